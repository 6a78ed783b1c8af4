"""The grader's rarer paths: broken imports, other threads, a missing or broken suite, reports.

The conformance part is exercised for real by ``test_ex_grading.py`` (every
reference solution passes its cases).  Here the suite's *harness* is
replaced where the point is how the grader copes with what a harness says:
a checkout without ``conformance/``, one whose harness prints no JSON, one
that hangs, and canned records (a case the reference fails too, a crash).
The stand-in harness is a real ``python -m conformance`` run in a child
process from a temporary checkout, found through ``suite.project_root``.
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import runpy_ref
from runpy_ref.exercises import exercise, feedback, suite, transcripts
from runpy_ref.exercises.feedback import Failure, Report, quote, show
from runpy_ref.exercises.grader import _suite_failure, check, load_student
from runpy_ref.exercises.scenarios import SCENARIOS, materialise, observe

HARNESS = '''\
import json, sys, time
from pathlib import Path

canned = json.loads((Path(__file__).parent / "canned.json").read_text())
args = sys.argv[1:]
if canned.get("sleep"):
    time.sleep(canned["sleep"])
if canned.get("garbage"):
    print("Traceback (most recent call last):\\nHarnessError: something broke")
elif args[0] == "list":
    print(json.dumps({"cases": canned["cases"]}))
else:
    print(json.dumps({"records": canned["records"][args[args.index("--module") + 1]]}))
'''


def fake_checkout(root: Path, monkeypatch: pytest.MonkeyPatch, **canned: Any) -> Path:
    package = root / "conformance"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "__main__.py").write_text(HARNESS, encoding="utf-8")
    (package / "canned.json").write_text(json.dumps(canned), encoding="utf-8")
    monkeypatch.setattr(suite, "project_root", lambda: root)
    return root


def test_an_import_that_raises_is_shown_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "06_restore.py"
    path.write_text("import os\n\ndef helper():\n    return {}['key']\n\nhelper()\n", encoding="utf-8")
    module, failure = load_student(path, exercise(6))
    assert module is None and failure is not None
    assert failure.kind == "load" and failure.title == "importing 06_restore.py raised KeyError: 'key'"
    assert failure.detail == ["at 06_restore.py:6 in <module>: helper()",
                              "at 06_restore.py:4 in helper: return {}['key']"]


def test_a_stray_exit_at_import_is_the_students_bug(tmp_path: Path) -> None:
    path = tmp_path / "06_restore.py"
    path.write_text("import sys\nsys.exit('bye')\n", encoding="utf-8")
    report = check(exercise(6), path, conformance=False)
    assert not report.ok and report.passed == []
    assert "importing 06_restore.py raised SystemExit: bye" in report.render()
    assert "at 06_restore.py:2 in <module>: sys.exit('bye')" in report.render()


def test_grading_from_another_thread_runs_without_a_time_limit() -> None:
    reports: list[Report] = []
    worker = threading.Thread(target=lambda: reports.append(
        check(exercise(6), exercise(6).solution_path(), conformance=False)))
    worker.start()
    worker.join(120)
    assert len(reports) == 1 and reports[0].clean and not reports[0].ok, reports and reports[0].render()


def test_a_checkout_without_the_suite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(suite, "project_root", lambda: tmp_path)
    assert not suite.available()
    report = check(exercise(6), exercise(6).solution_path())
    assert not report.ok
    assert report.failures[-1].kind == "harness"
    assert report.failures[-1].title == "the conformance suite is not in this checkout"
    assert "use --no-conformance" in report.render()


def test_a_harness_that_prints_no_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_checkout(tmp_path, monkeypatch, garbage=True)
    report = check(exercise(6), exercise(6).solution_path())
    assert not report.ok
    assert report.failures[-1].kind == "harness"
    assert report.failures[-1].title == ("python -m conformance list gave no JSON: "
                                         "Traceback (most recent call last): | HarnessError: something broke")
    with pytest.raises(suite.SuiteError, match="gave no JSON report: Traceback"):
        suite.run([suite.STUDENT], tmp_path, ["A-1"])


def test_no_cases_means_no_harness_run(tmp_path: Path) -> None:
    assert suite.run([suite.STUDENT], tmp_path, []) == []


def test_a_harness_that_hangs_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_checkout(tmp_path, monkeypatch, sleep=60)
    with pytest.raises(suite.SuiteError, match="did not finish within 1s"):
        suite.run([suite.STUDENT], tmp_path, ["A-1"], timeout=1.0)


def test_no_case_for_the_exercise_is_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_checkout(tmp_path, monkeypatch, cases=[{"id": "X-1", "behaviours": ["NOT-AN-ID"]}],
                  records={suite.STUDENT: [], suite.REFERENCE: []})
    report = check(exercise(6), exercise(6).solution_path())
    assert report.ok
    assert report.notes == ["the conformance suite has no case for this exercise's behaviours yet"]
    text = report.render()
    assert "PASS: all" in text and "  note: the conformance suite has no case" in text


def test_only_cases_the_reference_passes_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cited = exercise(6).behaviours[0]
    cases = [{"id": f"C-{n}", "behaviours": [cited]} for n in range(1, 5)]
    student = [
        {"case": "C-1", "status": "PASS"},
        {"case": "C-2", "status": "SKIP"},
        {"case": "C-3", "status": "FAIL", "group": "run_module", "title": "argv is restored",
         "behaviours": [cited], "mismatches": [{"path": "argv", "expected": ["a"], "observed": ["b"]}]},
        {"case": "C-4", "status": "FAIL", "group": "run_module", "title": "reference fails too"},
    ]
    reference = [{"case": "C-3", "status": "PASS"}, {"case": "C-4", "status": "FAIL"}]
    fake_checkout(tmp_path, monkeypatch, cases=cases,
                  records={suite.STUDENT: student, suite.REFERENCE: reference})
    report = check(exercise(6), exercise(6).solution_path())
    assert not report.ok
    assert "conformance C-1" in report.passed and "conformance C-2" not in report.passed
    assert [f.title for f in report.failures] == ["case C-3 (FAIL): argv is restored"]
    assert report.notes == ["conformance case C-4 not counted: the reference gives FAIL there too"]
    failure = report.failures[0]
    assert (failure.expected, failure.actual) == ("['a']", "['b']")
    assert "argv: expected ['a'], actual ['b']" in failure.detail
    assert "note: conformance case C-4 not counted" in report.render()


def test_a_crashed_case_shows_the_exception_or_the_stderr() -> None:
    raised = _suite_failure({"case": "E-2", "status": "CRASH", "group": "errors", "reason": "child died",
                             "observed": {"exception": {"type": "ImportError", "message": "no shim"}}})
    assert raised.detail[:2] == ["harness says: child died", "ImportError: no shim"]
    assert raised.expected == raised.actual == ""
    assert raised.detail[-1].startswith("the case is in conformance/cases/errors/ (id E-2)")
    printed = _suite_failure({"case": "E-3", "status": "CRASH", "group": "errors", "reason": "exit 1",
                              "observed": {"stderr": "Traceback:\n  line\nA\nB\nValueError: x\n"}})
    assert printed.detail[1] == "stderr: A | B | ValueError: x"
    silent = _suite_failure({"case": "E-4", "status": "CRASH", "group": "errors", "observed": {}})
    assert silent.detail == ["the case is in conformance/cases/errors/ (id E-4); "
                             "conformance/INTERPRETING.md explains its fields"]


def test_a_long_report_lists_eleven_others_then_counts() -> None:
    report = Report(3, "build_globals", "mine.py", hint="")
    report.passed.append("load")
    report.failures.extend(Failure("scenario", f"scenario {n}") for n in range(15))
    text = report.render()
    assert text.startswith("exercise 3: build_globals\nfile: mine.py\nNOT YET: 15 of 16 checks fail.")
    # the first failure in full, the next eleven by title, then a count: 1 + 11 + 3 == 15
    assert "  - scenario: scenario 1\n" in text
    assert "  - scenario: scenario 11\n  ... and 3 more\n" in text and "scenario 12" not in text
    assert text.endswith("... and 3 more\n"), "no hint line when there is no hint"
    data = report.as_dict()
    assert data["ok"] is False and len(data["failures"]) == 15 and data["passed"] == ["load"]
    assert data["failures"][0] == {"kind": "scenario", "title": "scenario 0", "behaviours": [],
                                   "expected": "", "actual": "", "detail": [], "scenario": ""}


def test_quotes_for_every_kind_of_catalogue_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    assert quote("ZZ-99") == "ZZ-99 (not in the catalogue)"
    entries = {
        "A-1": {"summary": "anchored", "doc": {"anchors": ["D3.13 runpy", {"doc": "D3.12", "anchor": "x"},
                                                        {"doc": "D3.13", "anchor": "y", "phrase": "never"}]}},
        "A-2": {"title": "since", "documented": True, "doc": {"versions": "2.7, 3.4+"}},
        "A-3": {"summary": "documented", "documented": True},
        "A-4": {"summary": "observed"},
    }
    monkeypatch.setattr(feedback, "_catalogue", lambda: entries)
    assert quote("A-1") == 'A-1: anchored (docs: D3.12 x; D3.13 y: "never")'
    assert quote("A-2") == "A-2: since (documented for Python 2.7, 3.4+)"
    assert quote("A-3") == "A-3: documented (documented)"
    assert quote("A-4") == "A-4: observed (not documented: observed CPython behaviour)"
    entries["A-5"] = {"summary": "plain", "doc": {"anchors": ["D2.7 runpy"]}}
    assert quote("A-5") == "A-5: plain (docs: D2.7 runpy)"


def test_no_catalogue_file_means_no_quotes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feedback, "project_root", lambda: tmp_path)
    assert feedback._catalogue.__wrapped__() == {}
    (tmp_path / "conformance" / "catalogue").mkdir(parents=True)
    (tmp_path / "conformance" / "catalogue" / "behaviours.json").write_text("{", encoding="utf-8")
    assert feedback._catalogue.__wrapped__() == {}


def test_show_marks_an_absent_key() -> None:
    assert feedback.first_difference({"a": 1}, {}) == ("a", 1, feedback._MISSING)
    assert show(feedback._MISSING) == "<absent>"
    assert show("x" * 400) == repr("x" * 400)[:300] + "..."


def test_transcript_markers_and_commands_are_checked(tmp_path: Path) -> None:
    lesson = tmp_path / "lesson.md"
    lesson.write_text("# L\n\n<!-- transcript -->\n```python\nprint()\n```\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"lesson.md:3: <!-- transcript --> must be followed by a ```con"):
        transcripts.find(lesson)
    lesson.write_text("# L\n\n<!-- transcript -->\n", encoding="utf-8")
    with pytest.raises(ValueError, match="must be followed by"):
        transcripts.find(lesson)
    with pytest.raises(ValueError, match="a transcript command must start with 'python': 'ls -l'"):
        transcripts.run_command("ls -l")


def test_a_stale_fixture_module_does_not_answer_for_the_fixture(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A ``top`` already imported in the grader's process is hidden for the run and given back after."""
    root = tmp_path / "fixture"
    root.mkdir()
    materialise(root)
    stale = ModuleType("top")
    monkeypatch.setitem(sys.modules, "top", stale)
    obs, _ = observe(SCENARIOS[0], runpy_ref, root)
    assert SCENARIOS[0].id == "rm-top"
    assert obs["outcome"] == "returned" and obs["globals"]["__name__"] == "top"
    assert obs["globals"]["__file__"] == "<root>/top.py"
    assert sys.modules["top"] is stale


def test_ctrl_c_in_a_students_code_stops_the_grading(tmp_path: Path) -> None:
    class Interrupted:
        def __getattr__(self, name: str) -> Any:
            def call(*args: Any, **kwargs: Any) -> Any:
                sys.argv.append("changed by the student")
                raise KeyboardInterrupt

            return call

    root = tmp_path / "fixture"
    root.mkdir()
    materialise(root)
    argv, path = list(sys.argv), list(sys.path)
    with pytest.raises(KeyboardInterrupt):
        observe(SCENARIOS[0], Interrupted(), root)
    assert sys.argv == argv and sys.path == path


def test_an_argv_that_contains_itself_is_reported_not_raised(tmp_path: Path) -> None:
    """Such an argv once made the trace recurse without end; now it is an ordinary, readable failure."""
    item = exercise(4)
    old = "        saved, sys.argv[:] = list(sys.argv), change.values"
    source = item.solution_path().read_text(encoding="utf-8")
    assert source.count(old) == 1
    path = tmp_path / item.filename
    path.write_text(source.replace(old, old.replace("change.values", "[*change.values, sys.argv]")),
                    encoding="utf-8")
    argv = list(sys.argv)
    report = check(item, path, conformance=False)
    assert sys.argv == argv
    assert not report.ok
    rendered = report.render()
    assert "'argv': ['<root>/pkg/__main__.py', 'x', ['<root>/pkg/__main__.py', 'x', [...]]]" in rendered
    assert "(both returned normally; the difference is in stdout)" in rendered
    assert {f.kind for f in report.failures} == {"scenario"}


# -- the rarer paths of this additions -----------------------------------------------------


def test_printed_difference_names_the_key_or_nothing() -> None:
    from runpy_ref.exercises.grader import _printed_difference

    assert _printed_difference("x {'argv': ['a'], 'path0': 'p'}", "x {'argv': ['a'], 'path0': 'q'}") == \
        "globals.seen.path0"
    assert _printed_difference("{'argv': ['a']}", "{'argv': ['a']}") == ""
    assert _printed_difference(1, "x") == ""


def test_replay_of_a_starter_a_broken_file_and_a_printing_scenario(tmp_path: Path) -> None:
    from runpy_ref.exercises.grader import replay

    text, status = replay(exercise(5), exercise(5).starter_path(), "rm-top")
    assert status == 1 and "yours:     raised NotImplementedError: exercise 5: exec_code is not written" in text
    broken = tmp_path / "05_exec.py"
    broken.write_text("def exec_code(:\n", encoding="utf-8")
    text, status = replay(exercise(5), broken, "rm-top")
    assert status == 1 and "does not compile" in text
    noisy = tmp_path / "05_noisy.py"
    noisy.write_text(exercise(5).solution_path().read_text(encoding="utf-8").replace(
        "    emit(ExecStarted(", "    import sys\n    print('from the stage', file=sys.stderr)\n"
        "    emit(ExecStarted(", 1), encoding="utf-8")
    text, status = replay(exercise(5), noisy, "rm-top")
    assert "what the program printed (your run):\n  top ran as top" in text
    assert "standard error (your run):\n  from the stage" in text
    assert status == 0 and text.rstrip().endswith("the scenario agrees with the reference")


def test_the_suite_falls_back_to_the_command_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Another checkout's suite already imported, or a harness that cannot be imported: not this process's."""
    import types

    saved = {n: m for n, m in sys.modules.items() if n == "conformance" or n.startswith("conformance.")}
    try:
        for name in saved:
            del sys.modules[name]
        other = types.ModuleType("conformance")
        other.__file__ = str(tmp_path / "elsewhere" / "conformance" / "__init__.py")
        sys.modules["conformance"] = other
        assert suite._in_process() is None
        del sys.modules["conformance"]
        fake = tmp_path / "checkout"
        (fake / "conformance" / "harness").mkdir(parents=True)
        (fake / "conformance" / "__init__.py").write_text("", encoding="utf-8")
        (fake / "conformance" / "harness" / "__init__.py").write_text("", encoding="utf-8")
        (fake / "conformance" / "harness" / "runner.py").write_text("", encoding="utf-8")
        (fake / "conformance" / "harness" / "cases.py").write_text("raise ImportError('broken')\n",
                                                                    encoding="utf-8")
        monkeypatch.setattr(suite, "project_root", lambda: fake)
        assert suite._in_process() is None
        assert str(fake) not in sys.path
    finally:
        for name in [n for n in sys.modules if n == "conformance" or n.startswith("conformance.")]:
            del sys.modules[name]
        sys.modules.update(saved)


def test_an_interpreter_the_harness_cannot_run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    harness = suite._in_process()
    assert harness is not None
    monkeypatch.setattr(harness.impls, "query", lambda exe: None)
    with pytest.raises(suite.SuiteError, match="cannot run"):
        suite._run_in_process(harness, [suite.STUDENT], tmp_path, ["rm-basic"], 10.0)


def test_progress_and_hints_survive_odd_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from runpy_ref.exercises import hints, progress
    from runpy_ref.exercises.feedback import Report

    assert progress.fingerprint(tmp_path / "missing.py") == ""
    monkeypatch.setenv("RUNPY_REF_TUTORIALS", str(tmp_path))
    work = tmp_path / "exercises" / "work"
    work.mkdir(parents=True)
    (work / ".progress.json").mkdir()  # neither readable nor writable as a file
    progress.record(3, tmp_path / "x.py", Report(3, "t", "x.py"))
    assert progress.load() == {}
    (work / ".hints-seen.json").write_text('{"2": 2}', encoding="utf-8")  # the first format: a level
    assert hints.seen_levels(2) == {1, 2}
    (work / ".hints-seen.json").write_text('{"2": "x"}', encoding="utf-8")
    assert hints.seen_levels(2) == set()


@pytest.mark.parametrize("number, body, method", [
    (4, "    saved = change.apply()\n    return Applied(change, saved)\n", "apply"),
    (6, "    def undo():\n        return change.undo(applied.saved)\n    undo()\n", "undo"),
])
def test_calling_the_reference_change_methods_is_refused(tmp_path: Path, number: int, body: str,
                                                         method: str) -> None:
    item = exercise(number)
    function = next(iter(item.functions))
    argument = "change" if number == 4 else "applied"
    prelude = "" if number == 4 else "    change = applied.change\n"
    path = tmp_path / item.filename
    path.write_text("from runpy_ref.exercises.kit import Applied\n\n\n"
                    f"def {function}({argument}):\n{prelude}{body}", encoding="utf-8")
    report = check(item, path, conformance=False)
    assert not report.ok and report.passed == []
    assert f"{function} calls change.{method}(): that method is the reference's answer" in report.render()


def test_only_the_methods_count_not_a_name_that_looks_like_them(tmp_path: Path) -> None:
    path = tmp_path / "04_alter_sys.py"
    source = exercise(4).solution_path().read_text(encoding="utf-8")
    start = "    saved: Any = MISSING"
    assert source.count(start) == 1
    path.write_text(source.replace(start, '    undo = apply = "mine"  # local names, not the methods\n' + start),
                    encoding="utf-8")
    assert check(exercise(4), path, conformance=False).clean
