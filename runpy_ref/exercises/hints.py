"""Progressive hints, read from ``tutorials/hints.md`` (one source for the docs and the CLI).

The page has one ``## Exercise N: ...`` section per exercise and, inside
it, ``### Hint K`` subsections, from a gentle nudge to nearly the answer.
``hint N`` shows the next hint you have not seen (progress is kept in the
working-copy directory), ``hint N --level K`` a given one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .catalog import tutorials_dir

__all__ = ["hints_for", "next_level"]

_EXERCISE = re.compile(r"^## Exercise (\d+)\b")
_HINT = re.compile(r"^### Hint (\d+)\b")


def hints_for(number: int, page: Path | None = None) -> list[str]:
    """The hints of exercise ``number``, in order (Markdown text, headings left out)."""
    page = page or tutorials_dir() / "hints.md"
    hints: list[list[str]] = []
    current: int | None = None
    for line in page.read_text(encoding="utf-8").splitlines():
        exercise = _EXERCISE.match(line)
        if exercise:
            current = int(exercise.group(1))
            continue
        if line.startswith("## "):
            current = None
            continue
        if current != number:
            continue
        if _HINT.match(line):
            hints.append([])
        elif hints:
            hints[-1].append(line)
    return ["\n".join(h).strip() for h in hints]


def _progress_file() -> Path:
    return tutorials_dir() / "exercises" / "work" / ".hints-seen.json"


def next_level(number: int, available: int) -> int:
    """The next hint level for exercise ``number`` (1-based, capped), and remember it."""
    path = _progress_file()
    try:
        seen = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        seen = {}
    level = min(int(seen.get(str(number), 0)) + 1, max(available, 1))
    seen[str(number)] = level
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(seen, indent=1) + "\n", encoding="utf-8")
    except OSError:
        pass  # a read-only checkout: hints still work, progress is not kept
    return level
