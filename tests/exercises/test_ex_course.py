"""The course's own statements about itself hold: plans add up, numbers agree, counts are true."""

from __future__ import annotations

import re
from collections import Counter

from ex_mistakes import MISTAKES

from runpy_ref.exercises import EXERCISES
from runpy_ref.exercises.catalog import STAGE_ORDER, tutorials_dir


def _guide() -> str:
    return (tutorials_dir() / "teachers-guide.md").read_text(encoding="utf-8")


def _lesson_minutes() -> dict[int, int]:
    """Each lesson's own "**Time:** N minutes" line, and the parts it splits into."""
    minutes = {}
    for path in sorted(tutorials_dir().glob("0*.md")):
        number = int(path.name.split("-", 1)[0])
        match = re.search(r"\*\*Time:\*\* (\d+) minutes(?: \((\d+) reading and tracing, (\d+) for the "
                          r"exercise\))?", path.read_text(encoding="utf-8"))
        if match is None:
            continue  # lesson 8 is a lab session of hours
        minutes[number] = int(match.group(1))
        if match.group(2):
            assert int(match.group(2)) + int(match.group(3)) == minutes[number], path.name
    return minutes


def test_lesson_times_agree_with_the_guides_table() -> None:
    table = {int(n): int(m) for n, m in re.findall(r"^\| Lesson (\d+)[^|]*\| (\d+) min \|", _guide(), re.M)}
    assert table == _lesson_minutes()
    assert sum(table.values()) == 265 and "Lessons 1 to 7 take 265 minutes in all." in _guide()


def test_session_plans_add_up() -> None:
    minutes = _lesson_minutes()
    block = _guide().split("<!-- session-plans -->", 1)[1].split("\n\n", 1)[0]
    rows = re.findall(r"^\| ([^|]+) \| ([\d, ]+) \| (\d+) \|$", block, re.M)
    assert len(rows) >= 3
    for plan, lessons, total in rows:
        numbers = [int(n) for n in lessons.split(",")]
        assert sum(minutes[n] for n in numbers) == int(total), plan
    two = [r for r in rows if r[0].startswith("two sessions")]
    assert sorted(int(n) for r in two for n in r[1].split(",")) == list(range(1, 8))


def test_one_numbering() -> None:
    """Exercise N writes stage N; lesson N + 1 teaches it; each lesson's title says so."""
    for item in EXERCISES:
        assert item.lesson_number == item.number + 1
        lesson = (tutorials_dir() / item.lesson).read_text(encoding="utf-8")
        assert f"exercise {item.number}" in lesson.lower()
        if not item.whole_module:
            assert STAGE_ORDER[item.number - 1] == item.stage
            assert f"stage {item.number} of 6" in lesson.lower(), item.lesson


def test_the_guide_counts_the_corpus_truly() -> None:
    sizes = Counter(m.exercise for m in MISTAKES)
    said = f"({len(MISTAKES)} of them, {min(sizes.values())} to {max(sizes.values())} per exercise)"
    assert said in _guide()


def test_set_up_uses_a_virtual_environment() -> None:
    """A bare pip install -e . fails where the system protects its Python: every set-up makes a venv."""
    for name in ("README.md", "teachers-guide.md", "01-what-does-python-m-do.md"):
        text = (tutorials_dir() / name).read_text(encoding="utf-8")
        assert "python3 -m venv .venv" in text, name
        for line in text.splitlines():
            command = line.lstrip("$ ").lstrip()
            if "pip install -e ." in line and command.startswith(("pip", "python")):
                assert command.startswith("python -m pip"), (name, line)
