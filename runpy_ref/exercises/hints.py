"""Progressive hints, read from ``tutorials/hints.md`` (one source for the docs and the CLI).

The page has one ``## Exercise N: ...`` section per exercise and, inside
it, ``### Hint K`` subsections, from a gentle nudge to nearly the answer.
A hint may say which failures it answers, on a comment line right under
its heading (invisible in the rendered page)::

    ### Hint 3
    <!-- for: RM-25 ERR-03 rm-parent-raises -->

naming catalogue IDs, scenario IDs or failure kinds (``not-started``,
``trace`` ...).  ``hint N`` then picks the hint for the first failure of
the last ``check N``: the first matching hint not shown yet (or the last
matching one); without a failure, or without a match, the next hint in
order.  ``hint N --level K`` shows a given one.  What was shown is kept in
the working-copy directory.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .catalog import tutorials_dir

__all__ = ["Hint", "choose", "hints_for", "load_hints", "next_level", "seen_levels"]

_EXERCISE = re.compile(r"^## Exercise (\d+)\b")
_HINT = re.compile(r"^### Hint (\d+)\b")
_FOR = re.compile(r"^<!--\s*for:\s*(?P<tags>.*?)\s*-->\s*$")


@dataclass(frozen=True)
class Hint:
    level: int
    text: str
    answers: frozenset[str]
    """Catalogue IDs, scenario IDs and failure kinds this hint speaks about."""


def load_hints(number: int, page: Path | None = None) -> list[Hint]:
    """The hints of exercise ``number``, in order, with what each answers."""
    page = page or tutorials_dir() / "hints.md"
    bodies: list[list[str]] = []
    tags: list[set[str]] = []
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
            bodies.append([])
            tags.append(set())
        elif bodies and not bodies[-1] and (match := _FOR.match(line.strip())):
            tags[-1].update(match.group("tags").replace(",", " ").split())
        elif bodies:
            bodies[-1].append(line)
    return [Hint(n, "\n".join(body).strip(), frozenset(tag)) for n, (body, tag) in
            enumerate(zip(bodies, tags), 1)]


def hints_for(number: int, page: Path | None = None) -> list[str]:
    """The hints of exercise ``number``, in order (Markdown text, headings and tags left out)."""
    return [hint.text for hint in load_hints(number, page)]


def _progress_file() -> Path:
    return tutorials_dir() / "exercises" / "work" / ".hints-seen.json"


def _load_seen() -> dict[str, Any]:
    try:
        seen = json.loads(_progress_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return seen if isinstance(seen, dict) else {}


def seen_levels(number: int) -> set[int]:
    """The hint levels of exercise ``number`` shown so far."""
    value = _load_seen().get(str(number), [])
    if isinstance(value, int):  # the first format kept only the highest level seen
        return set(range(1, value + 1))
    return {int(v) for v in value} if isinstance(value, list) else set()


def _remember(number: int, level: int) -> None:
    seen = _load_seen()
    levels = seen_levels(number) | {level}
    seen[str(number)] = sorted(levels)
    try:
        _progress_file().parent.mkdir(parents=True, exist_ok=True)
        _progress_file().write_text(json.dumps(seen, indent=1) + "\n", encoding="utf-8")
    except OSError:
        pass  # a read-only checkout: hints still work, progress is not kept


def choose(hints: list[Hint], seen: set[int], failure: dict[str, Any] | None) -> tuple[int, str]:
    """``(level, why)``: the hint to show next, and why that one (``""``: simply the next)."""
    if failure:
        wanted = {failure.get("kind", ""), failure.get("scenario", ""), *failure.get("behaviours", [])}
        wanted.discard("")
        matching = [h for h in hints if h.answers & wanted]
        if matching:
            fresh = [h for h in matching if h.level not in seen]
            pick = fresh[0] if fresh else matching[-1]
            about = failure.get("scenario") or ", ".join(failure.get("behaviours", [])[:2]) or failure["kind"]
            return pick.level, f"chosen for the first failure of your last check ({about})"
    unseen = [h.level for h in hints if h.level not in seen]
    return (unseen[0] if unseen else max(len(hints), 1)), ""


def next_level(number: int, available: int, failure: dict[str, Any] | None = None) -> int:
    """The next hint level for exercise ``number`` (1-based), and remember it."""
    hints = load_hints(number) if available else []
    level, _ = choose(hints or [Hint(n, "", frozenset()) for n in range(1, available + 1)],
                      seen_levels(number), failure)
    _remember(number, level)
    return level
