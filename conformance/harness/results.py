"""Cell results: the statuses and the record of one (case, implementation) cell.

Kept apart from the runner (which produces them) and the reports (which
render them), so that neither has to import the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import attribution
from .cases import Case

STATUSES = ("PASS", "FAIL", "ERROR", "CRASH", "TIMEOUT", "SKIP", "N/A", "UNKNOWN", "XFAIL", "XPASS")
BAD_STATUSES = ("FAIL", "ERROR", "CRASH", "TIMEOUT", "XPASS")
# Cells that get a replay folder (``--replay-dir``): everything that did not simply pass.
REPLAY_STATUSES = ("FAIL", "ERROR", "CRASH", "TIMEOUT", "XPASS", "XFAIL")


@dataclass
class CellResult:
    """The recorded outcome of one (case, implementation) cell."""

    case: Case
    impl_label: str
    impl: dict[str, Any]
    status: str
    reason: str = ""
    expected: Any = None
    observed: Any = None
    mismatches: list[dict[str, Any]] = field(default_factory=list)
    doc_says: list[str] = field(default_factory=list)
    command: list[str] | None = None
    cwd: str | None = None
    env: dict[str, str] | None = None
    request: dict[str, Any] | None = None
    stdin: str | None = None
    fixture_dir: str | None = None
    placeholders: dict[str, str] = field(default_factory=dict)
    duration: float = 0.0
    executable: bool = True
    attributed: dict[str, Any] | None = None  # attribution.attribute(): checked paths, classified mismatches

    def behaviour_status(self, semantic_only: bool = False) -> dict[str, str]:
        """Each behaviour of the case with its own status in this cell (``attribution.py``)."""
        return attribution.behaviour_status(self.case.behaviours, self.status, self.attributed, semantic_only)

    @property
    def semantic_status(self) -> str:
        """The cell's status when wording mismatches are not counted (FAIL/XFAIL become PASS)."""
        if self.status in ("FAIL", "XFAIL") and self.attributed is not None and not any(
                m["kind"] == "semantic" for m in self.attributed["mismatches"]):
            return "PASS"
        return self.status

    def as_record(self) -> dict[str, Any]:
        """One JSON record per cell (the ``--format json`` contract)."""
        rec: dict[str, Any] = {
            "case": self.case.id,
            "title": self.case.title,
            "group": self.case.group,
            "behaviours": self.case.behaviours,
            "implementation": self.impl_label,
            "module": self.impl.get("module"),
            "kind": self.impl.get("kind"),
            "python_impl": self.impl.get("impl"),
            "version": self.impl.get("version"),
            "executable_here": self.executable,
            "status": self.status,
            "duration": round(self.duration, 3),
        }
        if self.reason:
            rec["reason"] = self.reason
        if self.doc_says:
            rec["doc_says"] = self.doc_says
        if self.status in ("FAIL", "ERROR", "CRASH", "TIMEOUT", "XFAIL", "XPASS") or not self.executable:
            rec["expected"] = self.expected
        if self.status in ("FAIL", "ERROR", "CRASH", "TIMEOUT", "XFAIL", "XPASS"):
            rec["observed"] = self.observed
            rec["mismatches"] = self.attributed["mismatches"] if self.attributed else self.mismatches
            rec["command"] = self.command
        if self.executable:
            rec["behaviour_status"] = self.behaviour_status()
            if self.mismatches:
                rec["semantic_status"] = self.semantic_status
                rec["behaviour_status_semantic"] = self.behaviour_status(semantic_only=True)
                if self.attributed and self.attributed["unattributed"]:
                    rec["unattributed"] = True
        return rec
