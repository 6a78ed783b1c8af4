"""``python -m runpy_ref.exercises`` called in-process through ``cli.main``.

``test_ex_cli.py`` runs the real command line in child processes (what a
student types); these tests drive the same ``main(argv)`` in this process so
that every branch of the command layer is exercised where branch coverage
sees it: list, start, check, hint, build-starters and transcripts, each on
a private copy of ``tutorials/`` whenever the command writes.
"""

from __future__ import annotations

import json
import runpy
import shutil
import sys
from pathlib import Path

import pytest

from runpy_ref.exercises import EXERCISES, exercise
from runpy_ref.exercises.catalog import tutorials_dir
from runpy_ref.exercises.cli import NOT_GRADED, main
from runpy_ref.exercises.hints import hints_for, next_level


@pytest.fixture()
def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of tutorials/ (without anyone's work), made current via RUNPY_REF_TUTORIALS."""
    target = tmp_path / "tutorials"
    shutil.copytree(tutorials_dir(), target, ignore=shutil.ignore_patterns("work", "__pycache__"))
    monkeypatch.setenv("RUNPY_REF_TUTORIALS", str(target))
    return target


def test_list_json_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["exercises"]
    assert [r["number"] for r in rows] == [e.number for e in EXERCISES]
    assert rows[5]["functions"] == ["restore"] and rows[5]["lesson"] == "tutorials/07-restore.md"


def test_list_text_shows_which_exercises_are_started(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["start", "2"]) == 0
    capsys.readouterr()
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "2. pick_main: a package runs its __main__; load the code  [started]" in out
    assert "1. find_spec: ask the import system where the module is  [not started]" in out
    assert "writes: pick_main, pick_path" in out
    assert "0 of 7 exercises passed." in out


def test_list_shows_what_the_last_check_found(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Passed, not yet, not graded, and a passed file edited since: each says so."""
    main(["start", "6"])
    main(["start", "5"])
    work6 = copy / "exercises" / "work" / "06_restore.py"
    work5 = copy / "exercises" / "work" / "05_exec.py"
    assert main(["check", "6", "--no-conformance"]) == 1
    capsys.readouterr()
    main(["list"])
    assert "6. restore: give the caller its sys back  [not yet (" in capsys.readouterr().out
    work6.write_text(exercise(6).solution_path().read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["check", "6", "--no-conformance"]) == NOT_GRADED
    capsys.readouterr()
    main(["list"])
    assert "[not graded yet (last check ran --no-conformance)]" in capsys.readouterr().out
    assert main(["check", "6"]) == 0
    work5.write_text(exercise(5).solution_path().read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["check", "5"]) == 0
    capsys.readouterr()
    main(["list"])
    out = capsys.readouterr().out
    assert "6. restore: give the caller its sys back  [passed]" in out and "2 of 7 exercises passed." in out
    work5.write_text(work5.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    main(["list"])
    assert "[passed, changed since]" in capsys.readouterr().out
    # grading a hand-in (a FILE) is not the student's progress
    assert main(["check", "4", str(exercise(4).solution_path())]) == 0
    capsys.readouterr()
    main(["list"])
    assert "4. alter_sys: change sys.argv, sys.modules and sys.path  [not started]" in capsys.readouterr().out


def test_start_copies_keeps_and_forces(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    work = copy / "exercises" / "work" / "04_alter_sys.py"
    assert main(["start", "4"]) == 0
    out = capsys.readouterr().out
    assert f"created {work} from the starter." in out
    assert "python -m runpy_ref.exercises check 4" in out and "read tutorials/05-alter-sys.md" in out
    starter = (copy / "exercises" / "starters" / "04_alter_sys.py").read_text(encoding="utf-8")
    assert work.read_text(encoding="utf-8") == starter
    work.write_text("# my attempt\n", encoding="utf-8")
    assert main(["start", "4"]) == 0
    assert "exists already; keeping your work (use --force to start over)." in capsys.readouterr().out
    assert work.read_text(encoding="utf-8") == "# my attempt\n"
    assert main(["start", "4", "--force"]) == 0
    assert "created" in capsys.readouterr().out
    assert work.read_text(encoding="utf-8") == starter


def test_check_without_a_working_copy_says_start_first(copy: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "6"]) == 2
    err = capsys.readouterr().err
    assert "no working copy at" in err and "python -m runpy_ref.exercises start 6" in err


def test_check_the_working_copy_after_start(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["start", "6"])
    capsys.readouterr()
    assert main(["check", "6", "--no-conformance"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("exercise 6: restore: give the caller its sys back\nfile: ")
    assert "NOT YET" in out and "exercise 6: restore is not written yet" in out
    assert out.rstrip().endswith("stuck? python -m runpy_ref.exercises hint 6 (it picks the hint for your "
                                 "first failure)")


def test_check_a_passing_file_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    solution = str(exercise(6).solution_path())
    assert main(["check", "6", solution, "--no-conformance"]) == NOT_GRADED
    out = capsys.readouterr().out
    assert "PASS" not in out and "NOT YET" not in out
    assert "NOT GRADED: the " in out and "conformance cases that grade this exercise did not run" in out
    assert main(["check", "6", solution]) == 0
    assert "PASS: all" in capsys.readouterr().out
    assert main(["check", "6", solution, "--no-conformance", "--format", "json"]) == NOT_GRADED
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["graded"] is False
    assert report["failures"] == [] and report["exercise"] == 6
    assert report["passed"][0] == "load"
    assert any(p.startswith("scenario ") for p in report["passed"])
    assert any(p.startswith("trace ") for p in report["passed"])


def test_check_a_failing_file_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    item = exercise(3)
    source = item.solution_path().read_text(encoding="utf-8")
    # A plausible slip: __file__ set under the wrong key.
    assert source.count('"__file__"') >= 1
    path = tmp_path / item.filename
    path.write_text(source.replace('"__file__"', '"__filename__"'), encoding="utf-8")
    assert main(["check", "3", str(path), "--no-conformance", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["file"] == str(path)
    kinds = {f["kind"] for f in report["failures"]}
    assert "scenario" in kinds or "trace" in kinds
    first = report["failures"][0]
    assert first["expected"] != first["actual"]


def test_unknown_exercise_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["start", "99"]) == 2
    expected = "error: there is no exercise 99; the exercises are 1, 2, 3, 4, 5, 6, 7\n"
    assert capsys.readouterr().err == expected


def test_outside_a_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("RUNPY_REF_TUTORIALS", str(tmp_path))
    assert main(["list"]) == 2
    err = capsys.readouterr().err
    assert "has none" in err and "pip install -e ." in err


def test_hints_next_all_level_and_bad_level(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    count = len(hints_for(1))
    assert count >= 3
    assert main(["hint", "1"]) == 0
    out = capsys.readouterr().out
    assert f"exercise 1, hint 1 of {count}:" in out and "(run the same command again for hint 2)" in out
    seen = json.loads((copy / "exercises" / "work" / ".hints-seen.json").read_text(encoding="utf-8"))
    assert seen == {"1": [1]}
    assert main(["hint", "1", "--all"]) == 0
    out = capsys.readouterr().out
    assert all(f"exercise 1, hint {k} of {count}:" in out for k in range(1, count + 1))
    assert "run the same command again" not in out
    assert main(["hint", "1", "--level", "2"]) == 0
    assert f"hint 2 of {count}:" in capsys.readouterr().out
    assert main(["hint", "1", "--level", str(count + 1)]) == 2
    assert capsys.readouterr().err == f"exercise 1 has hints 1 to {count}\n"
    for _ in range(count + 1):  # past the last hint, the last one again
        main(["hint", "1"])
    assert f"hint {count} of {count}:" in capsys.readouterr().out.rsplit("exercise 1,", 1)[1]


def test_an_exercise_without_hints(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = copy / "hints.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("## Exercise 5:", "## Exercise five:"), encoding="utf-8")
    assert main(["hint", "5"]) == 1
    assert capsys.readouterr().err == "exercise 5 has no hints yet\n"


def test_hints_stop_at_the_next_section(tmp_path: Path) -> None:
    page = tmp_path / "hints.md"
    page.write_text("# Hints\n\n## Exercise 1: x\n\n### Hint 1\n\nfirst\n\n### Hint 2\n\nsecond\n\n"
                    "## Teachers\n\n### Hint 3\n\nnot a hint of exercise 1\n", encoding="utf-8")
    assert hints_for(1, page) == ["first", "second"]
    assert hints_for(2, page) == []


def test_hint_progress_survives_a_corrupt_or_unwritable_file(copy: Path) -> None:
    progress = copy / "exercises" / "work" / ".hints-seen.json"
    progress.parent.mkdir(parents=True)
    progress.write_text("{not json", encoding="utf-8")
    assert next_level(2, 3) == 1
    assert json.loads(progress.read_text(encoding="utf-8")) == {"2": [1]}
    progress.unlink()
    progress.mkdir()  # neither readable nor writable as a file: hints work, progress is not kept
    assert next_level(2, 3) == 1
    assert next_level(2, 3) == 1
    assert next_level(3, 0) == 1


def test_build_starters_check_and_rebuild(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build-starters", "--check"]) == 0
    starters = copy / "exercises" / "starters"
    good = (starters / "03_build_globals.py").read_text(encoding="utf-8")
    (starters / "03_build_globals.py").write_text(good + "# edited by hand\n", encoding="utf-8")
    (starters / "05_exec.py").unlink()
    capsys.readouterr()
    assert main(["build-starters", "--check"]) == 1
    err = capsys.readouterr().err
    assert f"out of date: {starters / '03_build_globals.py'}" in err
    assert f"out of date: {starters / '05_exec.py'}" in err
    assert main(["build-starters"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert sorted(out) == [f"wrote {starters / '03_build_globals.py'}", f"wrote {starters / '05_exec.py'}"]
    assert (starters / "03_build_globals.py").read_text(encoding="utf-8") == good
    assert main(["build-starters", "--check"]) == 0


def _one_lesson(copy: Path, shown: str) -> Path:
    for lesson in copy.glob("*.md"):
        lesson.unlink()
    lesson = copy / "01-lesson.md"
    lesson.write_text("# A lesson\n\n<!-- transcript -->\n```console\n$ python hello.py x y\n"
                      f"{shown}\n```\n\nEnd.\n", encoding="utf-8")
    (copy / "hints.md").write_text("# Hints\n", encoding="utf-8")
    return lesson


def test_transcripts_check_update_and_check_again(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lesson = _one_lesson(copy, "hello from somewhere else")
    assert main(["transcripts"]) == 1
    assert capsys.readouterr().err == f"{lesson}:4: the transcript differs from the real output\n"
    assert main(["transcripts", "--update"]) == 0
    assert capsys.readouterr().out == f"updated {lesson}\n"
    assert "$ python hello.py x y\nhello from __main__, argv=['x', 'y']\n```\n\nEnd.\n" in lesson.read_text(
        encoding="utf-8")
    assert main(["transcripts"]) == 0
    assert main(["transcripts", "--update"]) == 0
    assert capsys.readouterr().out == ""  # nothing changed the second time


def test_module_entry_point(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import runpy_ref.exercises.__main__ as entry  # imported, it does nothing

    assert entry.main is main
    monkeypatch.delitem(sys.modules, "runpy_ref.exercises.__main__")  # run it afresh, as -m does
    monkeypatch.setattr(sys, "argv", ["runpy_ref.exercises", "start", "0"])
    with pytest.raises(SystemExit) as exc:
        runpy.run_module("runpy_ref.exercises", run_name="__main__")
    assert exc.value.code == 2
    assert "there is no exercise 0" in capsys.readouterr().err


def test_hint_is_chosen_by_the_failing_check(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`except Exception` fails the BaseException scenario; the hint about the two handlers comes first."""
    main(["start", "5"])
    work = copy / "exercises" / "work" / "05_exec.py"
    solution = exercise(5).solution_path().read_text(encoding="utf-8")
    work.write_text(solution.replace("except BaseException as exc:", "except Exception as exc:"),
                    encoding="utf-8")
    assert main(["check", "5", "--no-conformance"]) == 1
    capsys.readouterr()
    assert main(["hint", "5"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("exercise 5, hint 2 of 3 (chosen for the first failure of your last check "
                          "(rm-base-exception)):")
    assert "except BaseException as" in out
    assert main(["hint", "5"]) == 0  # the same failure again: the next hint that speaks about it
    assert "hint 3 of 3 (chosen" in capsys.readouterr().out
    assert main(["hint", "5"]) == 0  # every matching hint seen: the last of them again
    assert "hint 3 of 3 (chosen" in capsys.readouterr().out
    work.write_text(solution, encoding="utf-8")
    assert main(["check", "5", "--no-conformance"]) == NOT_GRADED
    capsys.readouterr()
    assert main(["hint", "5"]) == 0  # no failure any more: the next hint not yet seen
    assert capsys.readouterr().out.startswith("exercise 5, hint 1 of 3:")


def test_replay_one_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = exercise(5).solution_path().read_text(encoding="utf-8")
    path = tmp_path / "05_exec.py"
    path.write_text(source.replace("except BaseException as exc:", "except Exception as exc:"),
                    encoding="utf-8")
    assert main(["check", "5", str(path), "--no-conformance"]) == 1
    out = capsys.readouterr().out
    command = "python -m runpy_ref.exercises check 5 --scenario rm-base-exception"
    assert f"replay this scenario alone, with both traces: {command}" in out
    assert main(["check", "5", str(path), "--scenario", "rm-base-exception"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("exercise 5, scenario rm-base-exception: run_module('stop', alter_sys=True)")
    reference, yours = out.split("trace, reference:\n", 1)[1].split("trace, yours:\n", 1)
    assert "'stop' raised Stop -- the exception propagates unchanged" in reference
    assert "'stop' raised Stop -- the exception propagates unchanged" not in yours
    assert "executing 'stop' in a temporary module" in yours
    assert out.rstrip().endswith("the scenario differs")
    assert main(["check", "5", str(exercise(5).solution_path()), "--scenario", "rm-top"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("the scenario agrees with the reference")
    assert main(["check", "5", str(path), "--scenario", "no-such"]) == 2
    assert "has no scenario 'no-such'; its scenarios: " in capsys.readouterr().out


def test_list_for_instructors_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--instructor"]) == 0
    assert "   solution: tutorials/exercises/solutions/07_runpy.py" in capsys.readouterr().out
    assert main(["list", "--instructor", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["exercises"]
    assert rows[0]["solution"] == "tutorials/exercises/solutions/01_find_spec.py"
