"""``python -m runpy_ref.exercises``: list, start, check without a working copy, hint."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from runpy_ref.exercises import EXERCISES, STAGE_BEHAVIOURS
from runpy_ref.exercises.catalog import project_root, tutorials_dir
from runpy_ref.exercises.feedback import catalogue_entry
from runpy_ref.exercises.hints import hints_for


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "runpy_ref.exercises", *args], capture_output=True,
                          text=True, env=env, cwd=project_root())


def test_list_json_names_each_exercise_and_its_files() -> None:
    proc = run("list", "--format", "json", "--instructor")
    assert proc.returncode == 0
    rows = json.loads(proc.stdout)["exercises"]
    assert [r["number"] for r in rows] == [1, 2, 3, 4, 5, 6, 7]
    for row in rows:
        assert row["title"]
        for key in ("starter", "solution", "lesson"):
            assert (project_root() / row[key]).is_file(), f"{key} of exercise {row['number']}: {row[key]}"
        assert row["starter"] != row["solution"]
        # one numbering: exercise N is stage N and lesson N + 1 (the final exercise: all stages, lesson 8)
        assert row["lesson_number"] == row["number"] + 1
        assert row["stage_number"] == (row["number"] if row["number"] <= 6 else 0)


def test_list_shows_solutions_only_to_instructors() -> None:
    for args in (("list",), ("list", "--format", "json")):
        proc = run(*args)
        assert proc.returncode == 0
        assert "solution" not in proc.stdout and "solutions/" not in proc.stdout, args
    proc = run("list", "--instructor")
    assert "solution: tutorials/exercises/solutions/01_find_spec.py" in proc.stdout


def test_list_text() -> None:
    proc = run("list", "--format", "text")
    assert proc.returncode == 0
    assert "1. find_spec" in proc.stdout and "7. runpy" in proc.stdout
    assert "lesson 2 (tutorials/02-find-spec.md), stage 1 of 6" in proc.stdout
    assert "Exercise N is lesson N+1 and stage N" in proc.stdout


@pytest.fixture()
def tutorials_copy(tmp_path: Path) -> dict[str, str]:
    """A private copy of tutorials/, so that start and hint do not touch the checkout's work dir."""
    copy = tmp_path / "tutorials"
    shutil.copytree(tutorials_dir(), copy, ignore=shutil.ignore_patterns("work", "__pycache__"))
    return dict(os.environ, RUNPY_REF_TUTORIALS=str(copy))


def test_start_then_check_the_working_copy(tutorials_copy: dict[str, str]) -> None:
    copy = Path(tutorials_copy["RUNPY_REF_TUTORIALS"])
    missing = run("check", "6", env=tutorials_copy)
    assert missing.returncode == 2 and "python -m runpy_ref.exercises start 6" in missing.stderr
    started = run("start", "6", env=tutorials_copy)
    assert started.returncode == 0
    work = copy / "exercises" / "work" / "06_restore.py"
    assert work.read_text() == (copy / "exercises" / "starters" / "06_restore.py").read_text()
    work.write_text(work.read_text() + "\n# my notes\n")
    again = run("start", "6", env=tutorials_copy)
    assert "keeping your work" in again.stdout and work.read_text().endswith("# my notes\n")
    graded = run("check", "6", env=tutorials_copy)
    assert graded.returncode == 1 and "restore is not written yet" in graded.stdout


def test_hints_progress_one_at_a_time(tutorials_copy: dict[str, str]) -> None:
    first = run("hint", "3", env=tutorials_copy)
    second = run("hint", "3", env=tutorials_copy)
    assert "hint 1 of 3" in first.stdout and "hint 2 of 3" in second.stdout
    assert "hint 3 of 3" in run("hint", "3", "--level", "3", env=tutorials_copy).stdout


def test_unknown_exercise_is_a_clear_error() -> None:
    proc = run("check", "42")
    assert proc.returncode == 2 and "there is no exercise 42" in proc.stderr


@pytest.mark.parametrize("item", EXERCISES, ids=lambda e: e.slug)
def test_every_exercise_has_progressive_hints_and_a_lesson(item) -> None:
    assert len(hints_for(item.number)) >= 3
    assert (tutorials_dir() / item.lesson).is_file()


def test_stage_map_cites_only_catalogue_entries() -> None:
    unknown = sorted({b for ids in STAGE_BEHAVIOURS.values() for b in ids if catalogue_entry(b) is None})
    assert unknown == []


def test_check_json_report_for_a_handin() -> None:
    from runpy_ref.exercises import exercise

    proc = run("check", "3", str(exercise(3).starter_path()), "--format", "json", "--no-conformance")
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert report["exercise"] == 3 and report["ok"] is False
    assert report["failures"][0]["kind"] == "not-started"


def test_outside_a_checkout_the_error_says_what_to_do(tmp_path: Path) -> None:
    proc = run("list", env=dict(os.environ, RUNPY_REF_TUTORIALS=str(tmp_path)))
    assert proc.returncode == 2 and "RUNPY_REF_TUTORIALS" in proc.stderr
