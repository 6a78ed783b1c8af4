"""Cell classification: PASS/FAIL/N/A/SKIP/CRASH/TIMEOUT/ERROR and XFAIL/XPASS."""

from __future__ import annotations

import time

import pytest

from conformance.harness import runner
from conformance.harness.impls import Implementation
from conformance.harness.runner import Deviation, apply_deviation, run_cell, run_matrix
from conformance.harness.workers import ProbeServers, RunStats

from .helpers import host, make_case

SNAP = ["import _rec", "_rec.snap(globals())"]
BASIC = {
    "id": "t-basic",
    "fixture": {"mod.py": SNAP},
    "setup": {"sys_path": ["{fixture}"]},
    "call": {"api": "run_module", "args": ["mod"]},
    "expect": [
        {"outcome": "returned", "records": {"main": {"__name__": "mod", "__file__": "{fixture}/mod.py"}}}
    ],
}


@pytest.fixture()
def stdlib() -> Implementation:
    return Implementation(host())


def test_pass_and_fail(tmp_path, stdlib):
    assert run_cell(make_case(BASIC), stdlib, tmp_path / "a", []).status == "PASS"
    wrong = dict(BASIC, expect=[{"outcome": "returned", "records": {"main": {"__name__": "other"}}}])
    result = run_cell(make_case(wrong), stdlib, tmp_path / "b", [])
    assert result.status == "FAIL"
    assert result.mismatches == [{"path": "/records/main/__name__", "expected": "other", "observed": "mod"}]


def test_known_deviation_turns_fail_into_xfail_and_pass_into_xpass(tmp_path, stdlib):
    dev = [Deviation("t-*", {"module": "runpy"}, "known")]
    wrong = dict(BASIC, expect=[{"outcome": "raised"}])
    assert run_cell(make_case(wrong), stdlib, tmp_path / "a", dev).status == "XFAIL"
    assert run_cell(make_case(BASIC), stdlib, tmp_path / "b", dev).status == "XPASS"
    assert apply_deviation("CRASH", dev[0]) == ("CRASH", "")
    assert apply_deviation("PASS", None) == ("PASS", "")
    assert "XPASS" in runner.BAD_STATUSES


def test_not_applicable_and_doc_only(tmp_path, stdlib):
    old_only = dict(BASIC, applies="<3.0")
    assert run_cell(make_case(old_only), stdlib, tmp_path / "a", []).status == "N/A"
    doc = {"id": "t-doc", "kind": "doc-only", "reason": "not observable"}
    result = run_cell(make_case(doc), stdlib, tmp_path / "b", [])
    assert (result.status, result.reason) == ("N/A", "doc-only: not observable")
    unsupported = Implementation(host(), module="runpy_ref", requires={"impl": "nonexistent"})
    assert run_cell(make_case(BASIC), unsupported, tmp_path / "c", []).status == "N/A"


def test_no_expectation_for_target_is_an_error(tmp_path, stdlib):
    case = dict(BASIC, expect=[{"when": "<3.0", "outcome": "returned"}])
    assert run_cell(make_case(case), stdlib, tmp_path / "a", []).status == "ERROR"


def test_unimportable_implementation_is_a_crash(tmp_path):
    impl = Implementation(host(), module="no_such_runpy_module_here")
    result = run_cell(make_case(BASIC), impl, tmp_path / "a", [])
    assert result.status == "CRASH"
    assert result.observed["exception"]["type"] in ("ImportError", "ModuleNotFoundError")


def test_hanging_and_dying_implementations(tmp_path):
    (tmp_path / "impl").mkdir()
    (tmp_path / "impl" / "hangs.py").write_text("import time\ndef run_module(*a, **k):\n    time.sleep(60)\n")
    (tmp_path / "impl" / "dies.py").write_text("import os\ndef run_module(*a, **k):\n    os._exit(9)\n")
    hangs = Implementation(host(), module="hangs", path=str(tmp_path / "impl"))
    dies = Implementation(host(), module="dies", path=str(tmp_path / "impl"))
    assert run_cell(make_case(BASIC), hangs, tmp_path / "a", [], timeout=1.0).status == "TIMEOUT"
    result = run_cell(make_case(BASIC), dies, tmp_path / "b", [])
    assert result.status == "CRASH" and "status 9" in result.reason


def test_cli_template_without_a_form_is_skipped_and_api_is_na(tmp_path):
    impl = Implementation(host(), module_template="{python} -m {module} {args}")
    cli_path = {"id": "t-cli", "fixture": {"s.py": ""}, "call": {"cli": "path", "path": "s.py"},
                "expect": [{"returncode": 0}]}
    assert run_cell(make_case(cli_path), impl, tmp_path / "a", []).status == "SKIP"
    assert run_cell(make_case(BASIC), impl, tmp_path / "b", []).status == "N/A"
    cli_mod = {"id": "t-cli-m", "fixture": {"m.py": SNAP},
               "call": {"cli": "module", "module": "m", "argv": ["x"]},
               "expect": [{"returncode": 0, "records": {"main": {"argv": ["{fixture}/m.py", "x"]}}}]}
    assert run_cell(make_case(cli_mod), impl, tmp_path / "c", []).status == "PASS"


def test_cli_commands_per_kind():
    interp = host()
    call = {"cli": "module", "module": "pkg", "argv": ["a"], "options": ["-I"]}
    assert Implementation(interp).cli_command(call, "/f") == [interp.exe, "-I", "-m", "pkg", "a"]
    mod = Implementation(interp, module="runpy_ref", path="/p")
    assert mod.cli_command({"cli": "path", "path": "s.py", "argv": ["a"]}, "/f") == [
        interp.exe, "-m", "runpy_ref", "--path", "s.py", "a"]
    assert mod.cli_command({"cli": "raw", "args": ["-c", "pass"]}, "/f") is None
    tpl = Implementation(interp, module_template="cov run -m {module} {args}")
    assert tpl.cli_command(call, "/f") is None  # interpreter options cannot be expressed
    assert tpl.cli_command({"cli": "module", "module": "pkg", "argv": ["a", "b"]}, "/f") == [
        "cov", "run", "-m", "pkg", "a", "b"]
    assert tpl.kind == "template" and mod.kind == "module" and Implementation(interp).kind == "stdlib"


def test_emulating_implementation_is_judged_as_the_emulated_version(tmp_path):
    impl = Implementation(host(), module="runpy", emulate="2.7")
    assert impl.target.version == (2, 7) and impl.supported()
    assert impl.child_env() == {"RUNPY_CONFORMANCE_EMULATE": "2.7"}
    assert impl.label.endswith("/runpy@2.7")
    only_27 = dict(BASIC, id="t-emulate", expect=[{"when": "==2.7", "outcome": "returned"}])
    assert run_cell(make_case(only_27), impl, tmp_path / "a", []).status == "PASS"


def test_timeout_kills_grandchildren_holding_the_pipes(tmp_path):
    (tmp_path / "impl").mkdir()
    (tmp_path / "impl" / "forks.py").write_text(
        "import subprocess, sys, time\n"
        "def run_module(*a, **k):\n"
        "    subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        "    time.sleep(60)\n"
    )
    impl = Implementation(host(), module="forks", path=str(tmp_path / "impl"))
    start = time.monotonic()
    assert run_cell(make_case(BASIC), impl, tmp_path / "a", [], timeout=1.0).status == "TIMEOUT"
    assert time.monotonic() - start < 20


# -- API cells forked by a probe server (workers.py) ------------------------------------------------

MODULES = dict(BASIC, id="t-modules", fixture={"mod.py": [
    "import _rec, os, sys", "_rec.put('modules', sorted(sys.modules))",
    "fds = '/proc/self/fd'",
    "_rec.put('fds', sorted(int(f) for f in os.listdir(fds)) if os.path.isdir(fds) else [])",
    "_rec.put('emulate', os.environ.get('RUNPY_CONFORMANCE_EMULATE'))", "_rec.snap(globals())"]})


@pytest.fixture()
def servers(tmp_path):
    stats = RunStats()
    pool = ProbeServers(runner.clean_env(), tmp_path, stats)
    yield pool, stats
    pool.close()


def test_a_forked_cell_sees_what_a_fresh_probe_sees(tmp_path, stdlib, servers):
    pool, stats = servers
    fresh = run_cell(make_case(MODULES), stdlib, tmp_path / "a", [])
    forked = run_cell(make_case(MODULES), stdlib, tmp_path / "b", [], servers=pool, stats=stats)
    assert fresh.status == forked.status == "PASS"
    seen = [r.observed["records"] for r in (fresh, forked)]
    assert seen[0]["modules"] == seen[1]["modules"]  # nothing more imported, nothing less
    assert seen[0]["fds"] == seen[1]["fds"]  # the protocol pipes are not inherited
    assert seen[0]["main"]["argv"] == seen[1]["main"]["argv"]
    assert (stats.servers, stats.forks, stats.launches) == (1, 1, 0)


def test_forked_cells_reuse_one_server_per_implementation(tmp_path, stdlib, servers):
    pool, stats = servers
    emulating = Implementation(host(), emulate="3.6")
    for n, impl in enumerate([stdlib, stdlib, emulating, emulating]):
        result = run_cell(make_case(MODULES), impl, tmp_path / str(n), [], servers=pool, stats=stats)
        assert result.observed["records"]["emulate"] == impl.emulate
    assert (stats.servers, stats.forks) == (2, 4)  # the environment is part of a server's identity


def test_forked_cells_classify_hangs_deaths_and_import_failures(tmp_path, servers):
    pool, stats = servers
    (tmp_path / "impl").mkdir()
    (tmp_path / "impl" / "hangs.py").write_text(
        "import subprocess, sys, time\n"
        "def run_module(*a, **k):\n"
        "    subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        "    time.sleep(60)\n")
    (tmp_path / "impl" / "dies.py").write_text("import os\ndef run_module(*a, **k):\n    os._exit(9)\n")
    (tmp_path / "impl" / "broken.py").write_text("raise RuntimeError('cannot import me')\n")
    impl = {name: Implementation(host(), module=name, path=str(tmp_path / "impl"))
            for name in ("hangs", "dies", "broken")}
    start = time.monotonic()
    hung = run_cell(make_case(BASIC), impl["hangs"], tmp_path / "a", [], timeout=1.0,
                    servers=pool, stats=stats)
    assert hung.status == "TIMEOUT" and time.monotonic() - start < 20
    died = run_cell(make_case(BASIC), impl["dies"], tmp_path / "b", [], servers=pool, stats=stats)
    assert died.status == "CRASH" and "status 9" in died.reason
    broken = run_cell(make_case(BASIC), impl["broken"], tmp_path / "c", [], servers=pool, stats=stats)
    assert broken.status == "CRASH" and broken.observed["exception"]["type"] == "RuntimeError"
    assert stats.launches == 0  # all three went through servers, which survived their children


def test_run_matrix_prints_the_same_statuses_either_way(tmp_path, stdlib):
    cases = [make_case(BASIC), make_case(MODULES),
             make_case(dict(BASIC, id="t-wrong", expect=[{"outcome": "raised"}]))]
    stats = RunStats()
    forked = run_matrix(cases, [stdlib], isolation="fork", stats=stats, deviations=[])
    fresh = run_matrix(cases, [stdlib], isolation="process", deviations=[])
    assert [r.status for r in forked] == [r.status for r in fresh] == ["PASS", "PASS", "FAIL"]
    assert stats.forks == 3 and stats.launches == 0 and stats.cells[stdlib.label] == 3
