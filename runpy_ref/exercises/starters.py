"""Starters are generated from the solutions: one source, two files.

A solution marks each region the student writes::

    # TODO-BEGIN
    # TODO: what to do, in words (kept in the starter)
    ...the instructor's code (left out of the starter)...
    # TODO-END

:func:`make_starter` keeps the ``# TODO:`` lines of every region, drops the
code, and ends the region with ``raise NotImplementedError(...)`` naming the
exercise and the function, which is how the grader recognises an untouched
starter.  ``python -m runpy_ref.exercises build-starters`` rewrites
``tutorials/exercises/starters/``; a test fails when a committed starter
differs from what the generator makes of its solution.
"""

from __future__ import annotations

import re
from pathlib import Path

from .catalog import EXERCISES, Exercise

__all__ = ["NOT_WRITTEN", "StarterError", "build_all", "make_starter", "outdated"]

NOT_WRITTEN = "exercise {number}: {function} is not written yet"
"""Start of the NotImplementedError message in every starter region."""

_BEGIN = re.compile(r"^(?P<indent>\s*)# TODO-BEGIN\s*$")
_END = re.compile(r"^\s*# TODO-END\s*$")
_KEEP = re.compile(r"^\s*# TODO:")
_DEF = re.compile(r"^\s*def (?P<name>\w+)\(")
_CLASS = re.compile(r"^class (?P<name>\w+)\b")

HEADER = (
    "# Starter for exercise {number}: `python -m runpy_ref.exercises start {number}` copies it to your\n"
    "# working copy; replace each TODO block with your code, then run\n"
    "# `python -m runpy_ref.exercises check {number}`.  (Generated from the instructor's solution by\n"
    "# `python -m runpy_ref.exercises build-starters`: edit the solution, not this file.)\n"
    "# ruff: noqa: F401 - the imports are the tools you will need\n"
)


class StarterError(ValueError):
    """A solution file whose markers do not pair up."""


def make_starter(solution: str, number: int) -> str:
    """The starter text for a solution's text (pure; see the module docstring)."""
    out: list[str] = [HEADER.format(number=number)]
    region: list[str] | None = None
    indent = ""
    owner = "?"
    cls = ""
    for lineno, line in enumerate(solution.splitlines(keepends=True), 1):
        begin = _BEGIN.match(line)
        if region is None:
            if _END.match(line):
                raise StarterError(f"line {lineno}: TODO-END without TODO-BEGIN")
            if begin:
                region, indent = [], begin.group("indent")
                continue
            if (m := _CLASS.match(line)) is not None:
                cls = m.group("name")
            elif line.strip() and not line[0].isspace():
                cls = ""
            if (m := _DEF.match(line)) is not None:
                owner = f"{cls}.{m.group('name')}" if cls and line[0].isspace() else m.group("name")
            out.append(line)
            continue
        if begin:
            raise StarterError(f"line {lineno}: TODO-BEGIN inside another TODO block")
        if _END.match(line):
            out.extend(region)
            message = NOT_WRITTEN.format(number=number, function=owner)
            out.append(f'{indent}raise NotImplementedError("{message}")\n')
            region = None
            continue
        if _KEEP.match(line):
            region.append(line)
    if region is not None:
        raise StarterError("a TODO-BEGIN block is not closed")
    return "".join(out)


def _expected(item: Exercise) -> str:
    return make_starter(item.solution_path().read_text(encoding="utf-8"), item.number)


def outdated() -> list[Exercise]:
    """Exercises whose committed starter is not what the generator makes."""
    stale = []
    for item in EXERCISES:
        path = item.starter_path()
        if not path.exists() or path.read_text(encoding="utf-8") != _expected(item):
            stale.append(item)
    return stale


def build_all() -> list[Path]:
    """Regenerate every starter; return the files that changed."""
    changed = []
    for item in EXERCISES:
        path: Path = item.starter_path()
        text = _expected(item)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed
