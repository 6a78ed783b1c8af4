"""Friendly feedback: what failed, what the documentation says, expected against actual.

The catalogue (``conformance/catalogue/behaviours.json``) is read as data;
a missing catalogue only makes the feedback shorter, never wrong.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .catalog import project_root

__all__ = ["Failure", "Report", "catalogue_entry", "first_difference", "quote"]


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, dict[str, Any]]:
    path = project_root() / "conformance" / "catalogue" / "behaviours.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {entry["id"]: entry for entry in data.get("entries", [])}


def catalogue_entry(behaviour: str) -> dict[str, Any] | None:
    """The catalogue entry for ``behaviour`` (e.g. ``"RM-25"``), or None."""
    return _catalogue().get(behaviour)


def quote(behaviour: str, width: int = 96) -> str:
    """``RM-25: <summary>`` plus where the docs say it, wrapped for a terminal."""
    entry = catalogue_entry(behaviour)
    if entry is None:
        return f"{behaviour} (not in the catalogue)"
    text = f"{behaviour}: {entry.get('summary') or entry.get('title', '')}"
    doc = entry.get("doc") or {}
    anchors = [_anchor(a) for a in doc.get("anchors") or []]
    if anchors:
        text += f" (docs: {'; '.join(anchors[-2:])})"
    elif entry.get("documented"):
        versions = doc.get("versions")  # catalogue schema 2: a version set such as "2.7, 3.2+"
        text += f" (documented for Python {versions})" if versions else " (documented)"
    else:
        text += " (not documented: observed CPython behaviour)"
    return textwrap.fill(text, width=width, subsequent_indent="    ")


def _anchor(anchor: Any) -> str:
    """``D3.13 runpy.run_module: "never *run_name*"`` from a catalogue anchor."""
    if not isinstance(anchor, dict):
        return str(anchor)
    where = " ".join(str(anchor[k]) for k in ("doc", "anchor") if anchor.get(k))
    return f'{where}: "{anchor["phrase"]}"' if anchor.get("phrase") else where


FIELD_BEHAVIOURS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("globals.__spec__", ("RM-14", "RP-16", "CLI-16")),
    ("globals.__name__", ("RM-08", "RP-12", "RP-21", "CLI-16")),
    ("globals.__file__", ("RM-09", "RP-13", "RP-16", "CLI-16")),
    ("globals.__package__", ("RM-11", "RP-15", "RP-17", "CLI-16")),
    ("globals.__loader__", ("RM-10", "RP-14", "RP-16")),
    ("globals.__cached__", ("RM-13", "RP-14", "RP-16")),
    ("globals.__doc__", ("G-13",)),
    ("globals.seen.argv", ("RM-17", "RP-18", "CLI-08", "CLI-09")),
    ("globals.seen.registered", ("RM-17", "RM-20", "RP-19")),
    ("globals.seen.path0", ("RP-06", "CLI-22")),
    ("globals", ("RM-15", "RP-11", "RM-02")),
    ("init_globals_unchanged", ("RM-15", "RP-11")),
    ("warnings", ("RM-24",)),
    ("after.modules", ("RM-03", "RM-17", "RM-19", "RP-19", "RP-10")),
    ("after.argv_is_same_list", ("CLI-09", "CLI-14", "RM-17")),
    ("after.argv", ("RM-17", "RM-18", "RP-18")),
    ("after.path", ("RP-06", "RP-07")),
    ("returned_main_dict", ("CLI-03",)),
)
"""Which catalogue entries speak about a field of the observation (most specific first)."""


EXPLANATIONS: dict[str, str] = {
    "after.argv_is_same_list": "sys.argv must still be the same list object afterwards: other code holds "
    "references to it, so change it in place (sys.argv[:] = ...), never rebind it",
    "after.path_restored": "sys.path must end as it started, the same list with the same entries",
    "init_globals_unchanged": "the caller's init_globals dict must not be modified",
    "returned_main_dict": "python -m runs the code in the real __main__ module's dict, and returns it",
    "globals.seen.path0": "while the code runs, sys.path[0] is the directory given to run_path or python "
    "(RP-06, CLI-22): the entry goes at the front of sys.path, never at the end",
    "globals.seen.cwd_on_path": "python DIR replaces sys.path[0] with the directory rather than adding "
    "an entry (CLI-22), so the entry that was first before (here the working directory) is gone while "
    "the code runs; run_path inserts, and keeps it (RP-06)",
    "globals.seen.main_registered": "once __main__ has been found, the program's own __main__ module must "
    "be back in sys.modules (RP-10): put it back in a finally: block",
    "chained": "runpy's errors keep the exception they replace: as their cause where CPython writes "
    "`raise ... from exc` (the lookup errors), as their context where it raises inside `except` "
    "(the package suffix); `from None` hides it from the user's traceback",
}
"""Plain words for observation fields whose name alone says little."""


def behaviours_for(path: str, scenario: tuple[str, ...], exercise: tuple[str, ...]) -> tuple[str, ...]:
    """The catalogue entries to quote for a difference at ``path``, best first."""
    for prefix, ids in FIELD_BEHAVIOURS:
        if path.startswith(prefix):
            chosen = [b for b in ids if b in scenario] or [b for b in ids if b in exercise] or list(ids)
            return tuple(dict.fromkeys([*chosen, *scenario]))
    mine = [b for b in scenario if b in exercise]
    return tuple(dict.fromkeys([*mine, *scenario]))


_MISSING = object()


def first_difference(expected: Any, actual: Any, path: str = "") -> tuple[str, Any, Any] | None:
    """The first place where two plain values differ: ``(path, expected, actual)``.

    Keys starting with ``~`` are notes for the reader, not compared.
    """
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in list(expected) + [k for k in actual if k not in expected]:
            if str(key).startswith("~"):
                continue
            sub = f"{path}.{key}" if path else str(key)
            found = first_difference(expected.get(key, _MISSING), actual.get(key, _MISSING), sub)
            if found:
                return found
        return None
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for index, (e, a) in enumerate(zip(expected, actual)):
            found = first_difference(e, a, f"{path}[{index}]")
            if found:
                return found
        return None
    if expected == actual and type(expected) is type(actual):
        return None
    return path or "(value)", expected, actual


def show(value: Any) -> str:
    """A value in a failure message: <absent> for a missing key, else repr, bounded."""
    if value is _MISSING:
        return "<absent>"
    text = value if isinstance(value, str) and value.startswith("<") else repr(value)
    return text if len(text) <= 300 else text[:300] + "..."


@dataclass
class Failure:
    """One failed check, ready to be printed."""

    kind: str
    """``load``, ``not-started``, ``scenario``, ``trace``, ``conformance`` or ``harness``."""
    title: str
    behaviours: tuple[str, ...] = ()
    expected: str = ""
    actual: str = ""
    detail: list[str] = field(default_factory=list)
    scenario: str = ""
    """The scenario that failed (``check N --scenario ID`` replays it alone), if any."""

    def render(self, exercise_behaviours: tuple[str, ...] = ()) -> str:
        lines = [f"  {self.kind}: {self.title}"]
        cited = list(self.behaviours)
        if cited:
            lines.append("  the documentation/catalogue says:")
            lines.extend("    " + line for line in quote(cited[0]).splitlines())
            if len(cited) > 1:
                lines.append(f"    (also: {', '.join(cited[1:4])})")
        if self.expected or self.actual:
            lines.append(f"  expected: {self.expected}")
            lines.append(f"  actual:   {self.actual}")
        lines.extend("  " + line for line in self.detail)
        return "\n".join(lines)


@dataclass
class Report:
    """Everything one ``check`` found; ``ok`` only when every check ran and passed.

    ``graded`` is False when the conformance cases were skipped
    (``--no-conformance``): such a report can find failures, but it never
    says PASS, since the cases that grade the exercise did not run.
    """

    number: int
    title: str
    file: str
    behaviours: tuple[str, ...] = ()
    passed: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    hint: str = ""
    graded: bool = True

    @property
    def clean(self) -> bool:
        """No check failed (and at least one ran); with ``graded``, that is a pass."""
        return not self.failures and bool(self.passed)

    @property
    def ok(self) -> bool:
        return self.clean and self.graded

    def render(self) -> str:
        head = f"exercise {self.number}: {self.title}\nfile: {self.file}"
        total = len(self.passed) + len(self.failures)
        if self.ok:
            lines = [head, f"PASS: all {total} checks pass."]
            lines += [f"  note: {n}" for n in self.notes]
            return "\n".join(lines) + "\n"
        if self.clean:
            lines = [head, f"NOT GRADED: the {total} in-process checks found nothing wrong, but the "
                           "conformance cases that grade this exercise did not run (--no-conformance).",
                     f"run `python -m runpy_ref.exercises check {self.number}` without it to be graded."]
            return "\n".join(lines) + "\n"
        lines = [head, f"NOT YET: {len(self.failures)} of {total} checks fail. First failure:", ""]
        lines.append(self.failures[0].render(self.behaviours))
        if self.failures[0].scenario:
            lines.append(f"  replay this scenario alone, with both traces: python -m runpy_ref.exercises "
                         f"check {self.number} --scenario {self.failures[0].scenario}")
        if len(self.failures) > 1:
            lines += ["", "other failures (fix the first one first; they often share a cause):"]
            lines += [f"  - {f.kind}: {f.title}" for f in self.failures[1:12]]
            if len(self.failures) > 12:
                lines.append(f"  ... and {len(self.failures) - 12} more")
        lines += [f"note: {n}" for n in self.notes]
        if self.hint:
            lines += ["", self.hint]
        return "\n".join(lines) + "\n"

    def as_dict(self) -> dict[str, Any]:
        return {
            "exercise": self.number,
            "title": self.title,
            "file": self.file,
            "ok": self.ok,
            "graded": self.graded,
            "passed": self.passed,
            "failures": [
                {"kind": f.kind, "title": f.title, "behaviours": list(f.behaviours),
                 "expected": f.expected, "actual": f.actual, "detail": f.detail, "scenario": f.scenario}
                for f in self.failures
            ],
            "notes": self.notes,
        }
