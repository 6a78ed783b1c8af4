"""Keep the lessons' terminal transcripts honest: re-run them and compare.

A lesson marks a transcript with an HTML comment right before a ``console``
block (MyST and GitHub both hide the comment)::

    <!-- transcript -->
    ```console
    $ python -m runpy_ref --trace --deterministic greeter Ada
    ...the output, exactly as the command prints it...
    ```

Each ``$ `` line is run from ``tutorials/examples`` with this interpreter
(``python`` stands for it), ``runpy_ref`` importable, standard error merged
into standard output and unbuffered (so the program's lines fall between
the trace lines as they do in a terminal).  Two things differ from machine
to machine and are normalised: the interpreter's path (written ``python``)
and the version in the trace header.  ``--update`` rewrites the blocks;
``--check`` (and ``tests/exercises``) fails on any other difference.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .catalog import project_root, tutorials_dir

__all__ = ["Transcript", "find", "normalise", "run_command", "update"]

MARKER = "<!-- transcript -->"
_HEADER = re.compile(r"^runpy_ref trace \((\w+) \d+\.\d+, profile \d+\.\d+\)$", re.MULTILINE)


@dataclass(frozen=True)
class Transcript:
    """One marked block: where it is, its commands and the output shown for them."""

    lesson: Path
    start: int
    """Index of the first line inside the fence."""
    end: int
    """Index of the closing fence."""
    commands: tuple[str, ...]
    shown: str


def find(lesson: Path) -> list[Transcript]:
    """The marked transcripts of one lesson."""
    lines = lesson.read_text(encoding="utf-8").splitlines()
    found = []
    for index, line in enumerate(lines):
        if line.strip() != MARKER:
            continue
        fence = index + 1
        if fence >= len(lines) or lines[fence].strip() != "```console":
            raise ValueError(f"{lesson.name}:{index + 1}: {MARKER} must be followed by a ```console block")
        end = next(i for i in range(fence + 1, len(lines)) if lines[i].strip() == "```")
        body = lines[fence + 1:end]
        commands = tuple(line[2:] for line in body if line.startswith("$ "))
        found.append(Transcript(lesson, fence + 1, end, commands, "\n".join(body)))
    return found


def run_command(command: str) -> str:
    """Run one ``$`` line from tutorials/examples; return its merged output, normalised."""
    words = shlex.split(command)
    if not words or words[0] != "python":
        raise ValueError(f"a transcript command must start with 'python': {command!r}")
    env = dict(os.environ, PYTHONPATH=str(project_root()), PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONSAFEPATH", None)
    proc = subprocess.run([sys.executable, *words[1:]], cwd=tutorials_dir() / "examples", env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
    return proc.stdout.replace(sys.executable, "python").rstrip("\n")


def render(transcript: Transcript) -> str:
    """What the block should hold: each command followed by its real output."""
    parts = []
    for command in transcript.commands:
        output = run_command(command)
        parts.append(f"$ {command}" + (f"\n{output}" if output else ""))
    return "\n".join(parts)


def normalise(text: str) -> str:
    """Drop the interpreter version from trace headers (the lessons run on 3.9 to 3.13)."""
    return _HEADER.sub(r"runpy_ref trace (\1 X.Y, profile X.Y)", text)


def lessons() -> list[Path]:
    return sorted(tutorials_dir().glob("*.md"))


def update(paths: list[Path] | None = None) -> list[Path]:
    """Rewrite every marked block with fresh output; return the lessons that changed."""
    changed = []
    for lesson in paths or lessons():
        blocks = find(lesson)
        if not blocks:
            continue
        lines = lesson.read_text(encoding="utf-8").splitlines()
        for block in reversed(blocks):
            lines[block.start:block.end] = render(block).splitlines()
        text = "\n".join(lines) + "\n"
        if text != lesson.read_text(encoding="utf-8"):
            lesson.write_text(text, encoding="utf-8")
            changed.append(lesson)
    return changed
