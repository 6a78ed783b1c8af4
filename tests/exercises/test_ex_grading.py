"""Every reference solution passes its grader; every untouched starter fails, helpfully.

The solution runs include the conformance cases of each exercise (one fresh
interpreter per case), on the interpreter running the tests.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from runpy_ref.exercises import EXERCISES, exercise
from runpy_ref.exercises.grader import check


@pytest.mark.parametrize("item", EXERCISES, ids=lambda e: e.slug)
def test_reference_solution_passes(item) -> None:
    report = check(item, item.solution_path())
    assert report.ok, report.render()
    assert any(p.startswith("conformance ") for p in report.passed), report.render()
    assert any(p.startswith("scenario ") for p in report.passed)
    if not item.whole_module:
        assert any(p.startswith("trace ") for p in report.passed)


@pytest.mark.parametrize("item", EXERCISES, ids=lambda e: e.slug)
def test_untouched_starter_fails_with_a_helpful_message(item) -> None:
    report = check(item, item.starter_path())
    assert not report.ok
    text = report.render()
    first = report.failures[0]
    assert first.kind == "not-started"
    assert f"exercise {item.number}: " in text and "is not written yet" in text
    assert "the starter's NotImplementedError is still there" in text
    assert f"at {item.filename}:" in text, "the message must point at the line to edit"
    assert f"python -m runpy_ref.exercises hint {item.number}" in text
    assert not any(p.startswith("conformance ") for p in report.passed), "no suite run for a starter"


def test_check_command_exit_status_and_output() -> None:
    item = exercise(5)
    command = [sys.executable, "-m", "runpy_ref.exercises", "check", "5"]
    ok = subprocess.run([*command, str(item.solution_path())], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "PASS: all" in ok.stdout
    bad = subprocess.run([*command, str(item.starter_path())], capture_output=True, text=True)
    assert bad.returncode == 1
    assert "NOT YET" in bad.stdout and "exec_code is not written yet" in bad.stdout


def test_a_missing_function_is_named(tmp_path) -> None:
    item = exercise(2)
    text = item.solution_path().read_text(encoding="utf-8").replace("def pick_path(", "def pick_the_path(")
    path = tmp_path / "02_pick_main.py"
    path.write_text(text, encoding="utf-8")
    report = check(item, path, conformance=False)
    assert not report.ok
    assert "defines no function pick_path" in report.render()


def test_a_syntax_error_is_reported_with_its_line(tmp_path) -> None:
    path = tmp_path / "03_build_globals.py"
    path.write_text("def build_globals(:\n    pass\n", encoding="utf-8")
    report = check(exercise(3), path, conformance=False)
    assert "does not compile" in report.render() and "(line 1)" in report.render()


def test_a_missing_file_says_how_to_start(tmp_path) -> None:
    report = check(exercise(1), tmp_path / "nothing.py", conformance=False)
    assert "python -m runpy_ref.exercises start 1" in report.render()


def test_grading_leaves_sys_as_it_was() -> None:
    argv, path, modules = list(sys.argv), list(sys.path), set(sys.modules)
    check(exercise(4), exercise(4).starter_path(), conformance=False)
    check(exercise(6), exercise(6).solution_path(), conformance=False)
    assert sys.argv == argv and sys.path == path
    assert not {m for m in set(sys.modules) - modules if m.split(".")[0] in ("top", "pkg", "app")}


def test_an_endless_loop_is_stopped_and_shown(tmp_path, monkeypatch) -> None:
    import runpy_ref.exercises.grader as grader

    monkeypatch.setattr(grader, "SCENARIO_SECONDS", 1)
    source = exercise(5).solution_path().read_text(encoding="utf-8")
    start = "    emit(ExecStarted(name, namespace_kind(namespace, name)))\n"
    path = tmp_path / "05_exec.py"
    loop = '    while name == "top":\n        pass\n'
    path.write_text(source.replace(start, start + loop, 1), encoding="utf-8")
    text = check(exercise(5), path, conformance=False).render()
    assert "ScenarioTimeout: the scenario was still running after 1 s: an endless loop?" in text
    # The interrupt lands on either line of the loop, wherever the interpreter checks for signals
    # (on 3.9 the jump back to the test is counted as the body's line).
    raised_at = next(line for line in text.splitlines() if "raised at 05_exec.py:" in line)
    assert raised_at.endswith(('in exec_code: while name == "top":', "in exec_code: pass")), raised_at
