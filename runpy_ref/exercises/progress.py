"""A student's progress, kept beside the working copies: what the last ``check`` of each exercise found.

``check N`` (on the working copy, not on a FILE given for grading) records
whether it passed, whether it was graded (``--no-conformance`` is not), a
fingerprint of the file it graded, and its first failure.  ``list`` shows
it ("passed", "not yet", "passed, changed since"); ``hint N`` reads the
first failure to choose the hint that speaks about it.  The file is
``tutorials/exercises/work/.progress.json``, git-ignored with the rest of
``work/``; losing it loses nothing but these labels.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from .catalog import tutorials_dir
from .feedback import Report

__all__ = ["fingerprint", "first_failure", "load", "record", "status"]


def _file() -> Path:
    return tutorials_dir() / "exercises" / "work" / ".progress.json"


def fingerprint(path: Path) -> str:
    """The file's content hash: a pass counts for the text that passed, not for the file name."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return ""


def load() -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def record(number: int, path: Path, report: Report) -> None:
    """Remember what ``check number`` found for the working copy ``path``."""
    data = load()
    first = report.failures[0] if report.failures else None
    data[str(number)] = {
        "ok": report.ok,
        "graded": report.graded,
        "fingerprint": fingerprint(path),
        "checks": len(report.passed) + len(report.failures),
        "failures": len(report.failures),
        "first_failure": None if first is None else {
            "kind": first.kind, "title": first.title, "behaviours": list(first.behaviours),
            "scenario": first.scenario,
        },
    }
    try:
        _file().parent.mkdir(parents=True, exist_ok=True)
        _file().write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    except OSError:
        pass  # a read-only checkout: grading still works, progress is not kept


def status(number: int, work: Path) -> str:
    """``passed``, ``passed, changed since``, ``not yet``, ``started`` or ``not started``."""
    if not work.exists():
        return "not started"
    entry = load().get(str(number))
    if not entry:
        return "started"
    if entry.get("ok"):
        return "passed" if entry.get("fingerprint") == fingerprint(work) else "passed, changed since"
    if not entry.get("failures"):
        return "not graded yet (last check ran --no-conformance)"
    return f"not yet ({entry['failures']} of {entry['checks']} checks failed)"


def first_failure(number: int) -> dict[str, Any] | None:
    """The first failure of the last ``check number`` of the working copy, if it failed."""
    entry = load().get(str(number)) or {}
    failure = entry.get("first_failure")
    return failure if isinstance(failure, dict) else None
