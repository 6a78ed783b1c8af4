"""The grader catches real mistakes, names each one, and the guide quotes it truly.

``ex_mistakes.MISTAKES`` is the corpus of typical wrong solutions; every one
must fail with feedback that names it.  A verbatim copy of the running
interpreter's own ``runpy.py`` must fail the final exercise too: it does
the work, but the exercise is to write the six stages, and it tells no
story.
"""

from __future__ import annotations

import re
import runpy
import shutil
from collections import Counter
from pathlib import Path

import pytest
from ex_mistakes import MISTAKES, Mistake

from runpy_ref.exercises import EXERCISES, exercise
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
    assert report.failures, f"{mistake.id} was not caught"
    return report.render()


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.id)
def test_mistake_fails_and_the_feedback_names_it(mistake: Mistake, tmp_path: Path) -> None:
    text = _output(mistake, tmp_path)
    assert text.splitlines()[2].startswith("NOT YET:"), text
    for phrase in mistake.says:
        assert phrase in text, f"{mistake.id}: the feedback does not say {phrase!r}:\n{text}"
    if mistake.behaviour:
        quoted = text.split("the documentation/catalogue says:\n", 1)[1].lstrip()
        assert quoted.startswith(mistake.behaviour + ":"), text
    assert "expected:" in text and "actual:" in text


def test_every_exercise_has_a_corpus_of_mistakes() -> None:
    sizes = Counter(m.exercise for m in MISTAKES)
    assert {item.number for item in EXERCISES} <= set(sizes)
    assert min(sizes.values()) >= 4, sizes
    assert len({m.id for m in MISTAKES}) == len(MISTAKES)


def test_a_copy_of_the_interpreters_runpy_fails_the_final_exercise(tmp_path: Path) -> None:
    copy = tmp_path / "07_runpy.py"
    shutil.copyfile(runpy.__file__, copy)
    report = check(exercise(7), copy)  # with the conformance cases: they never run, the story fails first
    assert not report.ok
    text = report.render()
    assert "your runpy tells no story" in text and "exercise 7 is to write the six stages" in text
    assert any(p.startswith("scenario ") for p in report.passed), "it does the work: the scenarios agree"
    assert not any(p.startswith("conformance ") for p in report.passed)


def _guide_excerpts() -> dict[str, list[str]]:
    text = (tutorials_dir() / "teachers-guide.md").read_text(encoding="utf-8")
    blocks = re.findall(r"<!-- grader-output: ([\w-]+) -->\n```text\n(.*?)\n```", text, re.S)
    return {name: body.splitlines() for name, body in blocks}


def test_the_guide_quotes_at_least_one_mistake_per_exercise() -> None:
    excerpts = _guide_excerpts()
    quoted = {m.exercise for m in MISTAKES if m.id in excerpts}
    assert quoted == {item.number for item in EXERCISES}


@pytest.mark.parametrize("name", sorted(_guide_excerpts()))
def test_guide_quotes_are_real_grader_output(name: str, tmp_path: Path) -> None:
    if name.startswith("starter-"):
        item = exercise(int(name.split("-")[1]))
        text = check(item, item.starter_path(), conformance=False).render()
    elif name == "runpy-copy":
        copy = tmp_path / "07_runpy.py"
        shutil.copyfile(runpy.__file__, copy)
        text = check(exercise(7), copy, conformance=False).render()
    else:
        text = _output(next(m for m in MISTAKES if m.id == name), tmp_path)
    lines = {line.strip() for line in text.splitlines()}
    for quoted in _guide_excerpts()[name]:
        assert quoted.strip() in lines, f"not in the grader output:\n{quoted}\n{text}"
