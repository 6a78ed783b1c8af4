"""Starters are generated from the solutions, and the committed ones are up to date."""

from __future__ import annotations

import subprocess
import sys

import pytest

from runpy_ref.exercises import EXERCISES
from runpy_ref.exercises.starters import StarterError, make_starter, outdated


def test_committed_starters_match_the_generator() -> None:
    stale = [item.filename for item in outdated()]
    assert stale == [], f"run `python -m runpy_ref.exercises build-starters`: {stale} are out of date"


def test_build_starters_check_command_agrees() -> None:
    proc = subprocess.run([sys.executable, "-m", "runpy_ref.exercises", "build-starters", "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("item", EXERCISES, ids=lambda e: e.slug)
def test_starter_keeps_the_contract_and_drops_the_answer(item) -> None:
    solution = item.solution_path().read_text(encoding="utf-8")
    starter = item.starter_path().read_text(encoding="utf-8")
    assert "TODO-BEGIN" in solution and "TODO-BEGIN" not in starter
    for name in item.functions:
        assert f"def {name}(" in starter, f"{item.filename}: the starter lost the signature of {name}"
    assert f'raise NotImplementedError("exercise {item.number}: ' in starter
    assert starter.count("# TODO:") == solution.count("# TODO:")
    compile(starter, str(item.starter_path()), "exec")


def test_regions_become_todo_text_and_a_named_stub() -> None:
    solution = (
        "def f(x):\n"
        "    '''Doc.'''\n"
        "    # TODO-BEGIN\n"
        "    # TODO: double it\n"
        "    return 2 * x\n"
        "    # TODO-END\n"
        "\n"
        "class K:\n"
        "    def m(self):\n"
        "        # TODO-BEGIN\n"
        "        return 1\n"
        "        # TODO-END\n"
    )
    starter = make_starter(solution, 9)
    assert "return 2 * x" not in starter and "return 1" not in starter
    stub = '    raise NotImplementedError("exercise 9: f is not written yet")\n'
    assert "    # TODO: double it\n" + stub in starter
    assert 'raise NotImplementedError("exercise 9: K.m is not written yet")' in starter


@pytest.mark.parametrize("text, message", [
    ("# TODO-END\n", "without TODO-BEGIN"),
    ("# TODO-BEGIN\n# TODO-BEGIN\n", "inside another"),
    ("# TODO-BEGIN\nx = 1\n", "not closed"),
])
def test_unpaired_markers_are_reported(text: str, message: str) -> None:
    with pytest.raises(StarterError, match=message):
        make_starter(text, 1)
