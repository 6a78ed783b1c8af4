"""The conformance run grades the student's code, not the reference's.

A shim that silently fell back to the reference would pass every case for
every student; these tests give the shim a *wrong* stage and expect the
suite to notice.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from runpy_ref.exercises import exercise, suite
from runpy_ref.exercises.feedback import Report
from runpy_ref.exercises.grader import _run_suite

# Python 2.6 put '-c' in sys.argv[0] while -m searched for the module (CLI-09): a real
# behaviour the in-process scenarios cannot see, since argv[0] is replaced before the code runs.
OLD = "        saved, sys.argv[:] = list(sys.argv), change.values"
NEW = '        saved, sys.argv[:] = list(sys.argv), [("-c" if v == "-m" else v) for v in change.values]'


def _dash_c_alter_sys(tmp_path: Path) -> Path:
    source = exercise(4).solution_path().read_text(encoding="utf-8")
    assert source.count(OLD) == 1
    path = tmp_path / "alter_sys_dash_c.py"
    path.write_text(source.replace(OLD, NEW), encoding="utf-8")
    return path


def test_stage_shim_runs_the_students_stage_in_a_child_process(tmp_path: Path) -> None:
    shim_dir, fixture = tmp_path / "shim", tmp_path / "fixture"
    shim_dir.mkdir()
    (fixture / "pk").mkdir(parents=True)
    (fixture / "pk" / "__init__.py").write_text("import sys\nprint('searching with', sys.argv[0])\n")
    (fixture / "pk" / "mod.py").write_text("print('running')\n")
    suite.write_shim(shim_dir, suite.STUDENT, exercise(4), _dash_c_alter_sys(tmp_path))
    suite.write_shim(shim_dir, suite.REFERENCE, exercise(4), None)
    env = dict(os.environ, PYTHONPATH=str(shim_dir))
    for module, argv0 in ((suite.STUDENT, "-c"), (suite.REFERENCE, "-m")):
        proc = subprocess.run([sys.executable, "-m", module, "pk.mod"], cwd=fixture, env=env,
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.splitlines() == [f"searching with {argv0}", "running"]


def test_whole_module_shim_exports_the_students_functions(tmp_path: Path) -> None:
    student = tmp_path / "my_runpy.py"
    student.write_text(
        "def run_module(*a, **k):\n    return {'by': 'student'}\n"
        "def run_path(*a, **k):\n    return {}\n"
        "def _run_module_as_main(*a, **k):\n    return {}\n",
        encoding="utf-8",
    )
    suite.write_shim(tmp_path, suite.STUDENT, exercise(7), student)
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    code = f"import {suite.STUDENT} as m; print(m.run_module('x'))"
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert proc.stdout.strip() == "{'by': 'student'}", proc.stderr
    # python -m shim MOD: the shim plays the interpreter, then calls the student's _run_module_as_main
    student.write_text(student.read_text() + "def _run_module_as_main(name, alter_argv=True):\n"
                       "    import sys\n    print('student runs', name, alter_argv, sys.argv)\n")
    proc = subprocess.run([sys.executable, "-m", suite.STUDENT, "some_module", "a1"], cwd=tmp_path,
                          capture_output=True, text=True, env=env)
    assert proc.stdout.strip() == "student runs some_module True ['-m', 'a1']", proc.stderr


def test_suite_counts_a_case_the_students_stage_fails(tmp_path: Path) -> None:
    item = exercise(4)
    report = Report(item.number, item.title, "x", behaviours=item.behaviours)
    _run_suite(item, _dash_c_alter_sys(tmp_path), report)
    failed = [f for f in report.failures if f.kind == "conformance"]
    assert [f.title.split()[1] for f in failed] == ["cli-argv-during-search"], report.render()
    text = failed[0].render(item.behaviours)
    assert "CLI-09" in text and "expected: '-m'" in text and "actual:   '-c'" in text
    assert any(p.startswith("conformance ") for p in report.passed)
