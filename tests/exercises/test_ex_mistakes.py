"""The grader catches real mistakes, names the right behaviour, and the guide quotes it truly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ex_mistakes import MISTAKES, Mistake

from runpy_ref.exercises import exercise
from runpy_ref.exercises.catalog import tutorials_dir
from runpy_ref.exercises.grader import check


def _mutant(mistake: Mistake, tmp_path: Path) -> Path:
    item = exercise(mistake.exercise)
    source = item.solution_path().read_text(encoding="utf-8")
    assert source.count(mistake.old) == 1, f"{mistake.id}: the solution changed; update ex_mistakes.py"
    path = tmp_path / f"{mistake.id}.py"
    path.write_text(source.replace(mistake.old, mistake.new), encoding="utf-8")
    return path


def _output(mistake: Mistake, tmp_path: Path) -> str:
    report = check(exercise(mistake.exercise), _mutant(mistake, tmp_path), conformance=False)
    assert not report.ok, f"{mistake.id} was not caught"
    return report.render()


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.id)
def test_mistake_is_caught_and_the_right_behaviour_quoted_first(mistake: Mistake, tmp_path: Path) -> None:
    text = _output(mistake, tmp_path)
    quoted = text.split("the documentation/catalogue says:\n", 1)[1].lstrip()
    assert quoted.startswith(mistake.behaviour + ":"), text
    assert "expected:" in text and "actual:" in text


def _guide_excerpts() -> dict[str, list[str]]:
    text = (tutorials_dir() / "teachers-guide.md").read_text(encoding="utf-8")
    blocks = re.findall(r"<!-- grader-output: ([\w-]+) -->\n```text\n(.*?)\n```", text, re.S)
    return {name: body.splitlines() for name, body in blocks}


def test_every_mistake_of_the_table_is_in_the_guide() -> None:
    excerpts = _guide_excerpts()
    assert {m.id for m in MISTAKES} <= set(excerpts)


@pytest.mark.parametrize("name", sorted(_guide_excerpts()))
def test_guide_quotes_are_real_grader_output(name: str, tmp_path: Path) -> None:
    if name.startswith("starter-"):
        item = exercise(int(name.split("-")[1]))
        text = check(item, item.starter_path(), conformance=False).render()
    else:
        text = _output(next(m for m in MISTAKES if m.id == name), tmp_path)
    lines = {line.strip() for line in text.splitlines()}
    for quoted in _guide_excerpts()[name]:
        assert quoted.strip() in lines, f"not in the grader output:\n{quoted}\n{text}"
