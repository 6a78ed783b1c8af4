"""The trace's vocabulary: the event record, its stages and names, and the schema they follow.

A trace is a header, then one :class:`Event` per step, then (when the trace
ended normally, not cut by a crash) a footer.  The JSON schema shipped in
``runpy_ref/schema/`` repeats :data:`STAGES` and :data:`EVENTS`, and the tests
check that the two agree.
"""

from __future__ import annotations

from .._lean import TYPE_CHECKING
from ..values import Value

if TYPE_CHECKING:
    from typing import Any

__all__ = ["EVENTS", "SCHEMA_NAME", "SCHEMA_VERSION", "STAGES", "Event"]

SCHEMA_NAME = "runpy_ref.trace"
SCHEMA_VERSION = 2
"""Version 2 (runpy_ref 0.2): ``sys_changed``/``sys_restored`` say their ``action``;
``run_started`` names the ``profile``; ``stage_failed`` belongs to the stage that
failed; a footer record closes a complete trace.  ``schema/trace-1.schema.json``
still describes version 1."""

STAGES = ("run", "find_spec", "pick_main", "build_globals", "alter_sys", "exec", "restore")
"""The six stages, in the order ``run_module`` visits them, after ``run``: the frame around one run."""

EVENTS: dict[str, str] = {
    "run_started": "run",
    "run_finished": "run",
    "stage_failed": "*",
    "parent_imported": "find_spec",
    "already_imported": "find_spec",
    "spec_found": "find_spec",
    "package_redirect": "pick_main",
    "path_classified": "pick_main",
    "code_loaded": "pick_main",
    "globals_built": "build_globals",
    "sys_changed": "alter_sys",
    "exec_started": "exec",
    "exec_finished": "exec",
    "sys_restored": "restore",
}
"""Every event name, mapped to its stage (``*``: the stage that failed)."""


class Event(Value):
    """One step of the story, as plain data.

    ``run`` numbers the run (a ``run_module`` called from inside executed
    code starts run 2 with ``parent`` 1 and ``depth`` 1), ``seq`` orders all
    events of a trace, and ``behaviours`` names the catalogue entries the
    step implements.  ``data`` holds only JSON types.
    """

    seq: int
    run: int
    parent: int | None
    depth: int
    stage: str
    event: str
    behaviours: tuple[str, ...]
    data: dict[str, Any]
    time_ms: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """The event as one JSON Lines record (key order is part of the schema)."""
        out: dict[str, Any] = {
            "seq": self.seq, "run": self.run, "parent": self.parent, "depth": self.depth,
            "stage": self.stage, "event": self.event, "behaviours": list(self.behaviours), "data": self.data,
        }
        if self.time_ms is not None:
            out["time_ms"] = self.time_ms
        return out
