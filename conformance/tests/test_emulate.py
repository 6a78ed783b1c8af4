"""Emulated columns (``--emulate X.Y``): how a module is told its version, and their known deviations.

The unit tests use a stand-in module that reports the version it was told,
so they check the harness's side only.  ``test_every_emulated_column`` runs
the whole suite against ``python -m runpy_ref --as-of X.Y`` for all 17
versions on the host: every cell PASS, N/A, UNKNOWN (the case says nobody
knows) or a listed deviation of the host's import system.  It starts about
1,700 children, so like the differential tests it is skipped, visibly,
under ``RUNPY_REF_SKIP_DIFFERENTIAL=1`` (CI runs it once, not per host).
"""

from __future__ import annotations

import fnmatch
import json
import os
from collections import Counter
from pathlib import Path

import pytest

from conformance.harness import emulate
from conformance.harness.cases import load_cases
from conformance.harness.impls import KNOWN_REQUIREMENTS, Implementation
from conformance.harness.runner import BAD_STATUSES, run_cell, run_matrix
from conformance.harness.versions import FEATURE_VERSIONS

from .helpers import PROJECT_ROOT, host, make_case

STAND_IN = '''
import contextlib
import runpy

TOLD = []


@contextlib.contextmanager
def as_of(version):
    TOLD.append(version)
    yield


def run_module(name, init_globals=None, run_name=None, alter_sys=False):
    return dict(runpy.run_module(name, init_globals, run_name, alter_sys), told=list(TOLD))
'''

CASE = {
    "id": "t-told",
    "fixture": {"mod.py": ["import _rec", "_rec.snap(globals())"]},
    "setup": {"sys_path": ["{fixture}"]},
    "call": {"api": "run_module", "args": ["mod"]},
    "expect": [{"outcome": "returned", "result": {"told": ["2.6"]}}],
}


def stand_in(tmp_path: Path, emulate_as: str | None) -> Implementation:
    (tmp_path / "impl").mkdir(exist_ok=True)
    (tmp_path / "impl" / "emulator.py").write_text(STAND_IN)
    return Implementation(host(), module="emulator", path=str(tmp_path / "impl"), emulate=emulate_as)


def test_a_known_emulator_is_told_its_version_on_the_command_line():
    impl = Implementation(host(), module="runpy_ref", path="/p", emulate="2.6")
    cmd = impl.cli_command({"cli": "module", "module": "pkg", "argv": ["a"], "options": ["-E"]}, "/f")
    assert emulate.adapt_command(impl, cmd) == [host().exe, "-E", "-m", "runpy_ref", "--as-of", "2.6", "pkg", "a"]
    cmd = impl.cli_command({"cli": "path", "path": "s.py", "argv": []}, "/f")
    assert emulate.adapt_command(impl, cmd) == [host().exe, "-m", "runpy_ref", "--as-of", "2.6", "--path", "s.py"]
    assert emulate.adapt_command(impl, None) is None  # a launch the implementation cannot express stays so


def test_other_columns_are_left_alone():
    plain = Implementation(host(), module="runpy_ref", path="/p")
    unknown = Implementation(host(), module="other", path="/p", emulate="2.6")
    for impl in (plain, unknown):
        cmd = impl.cli_command({"cli": "module", "module": "pkg", "argv": []}, "/f")
        assert emulate.adapt_command(impl, cmd) == cmd
        assert emulate.adapt_request(impl, {"module": impl.module}) == {"module": impl.module}
    assert unknown.child_env() == {"RUNPY_CONFORMANCE_EMULATE": "2.6"}  # it may read this itself


def test_the_probe_makes_the_call_inside_the_modules_version_context(tmp_path, monkeypatch):
    monkeypatch.setitem(emulate.EMULATORS, "emulator", {"cli_options": [], "api_context": "as_of"})
    told = run_cell(make_case(CASE), stand_in(tmp_path, "2.6"), tmp_path / "a", [])
    assert told.status == "PASS", told.mismatches
    assert told.request["emulate"] == {"context": "as_of", "version": "2.6"}
    not_told = run_cell(make_case(dict(CASE, expect=[{"outcome": "returned", "result": {"told": []}}])),
                        stand_in(tmp_path, None), tmp_path / "b", [])
    assert not_told.status == "PASS", not_told.mismatches


def test_deviations_of_emulated_columns_name_the_module_the_versions_and_the_host(tmp_path, monkeypatch):
    entries = ({"cases": ["t-*"], "module": "runpy_ref", "emulated": "2.5-2.6", "reason": "host's import system"},
               {"cases": ["t-*"], "module": "runpy_ref", "emulated": "3.10", "host": {"not": "3.10"},
                "reason": "only newer hosts"})
    monkeypatch.setattr(emulate, "_entries", lambda: entries)
    case = make_case(dict(CASE, id="t-x"))
    ref = {v: Implementation(host(), module="runpy_ref", path="/p", emulate=v) for v in ("2.6", "2.7", "3.10")}
    assert emulate.deviation_for(case, ref["2.6"]).reason == "host's import system"
    assert emulate.deviation_for(case, ref["2.7"]) is None
    assert emulate.deviation_for(case, Implementation(host(), module="runpy_ref", path="/p")) is None
    on_host_310 = host().version[:2] == (3, 10)
    assert (emulate.deviation_for(case, ref["3.10"]) is None) == on_host_310


def test_the_deviation_file_is_well_formed():
    data = json.loads(emulate.DEVIATIONS_FILE.read_text(encoding="utf-8"))
    ids = {case.id for case in load_cases()}
    for entry in data["deviations"]:
        assert entry["reason"] and entry["module"] and entry["emulated"]
        for pattern in entry["cases"]:
            assert any(fnmatch.fnmatch(i, pattern) for i in ids), pattern


@pytest.mark.skipif(os.environ.get("RUNPY_REF_SKIP_DIFFERENTIAL") == "1",
                    reason="emulated matrix skipped: RUNPY_REF_SKIP_DIFFERENTIAL=1 (CI runs it once)")
def test_every_emulated_column():
    """runpy_ref as of each of the 17 versions: no FAIL, ERROR, CRASH, TIMEOUT or XPASS anywhere."""
    impls = [Implementation(host(), module="runpy_ref", path=str(PROJECT_ROOT),
                            requires=KNOWN_REQUIREMENTS["runpy_ref"], emulate=v) for v in FEATURE_VERSIONS]
    if not impls[0].supported():
        pytest.skip("runpy_ref does not run on this interpreter")
    results = run_matrix(load_cases(), impls)
    counts = {impl.label: dict(Counter(r.status for r in results if r.impl_label == impl.label)) for impl in impls}
    print("\nemulated columns:", json.dumps(counts, indent=1))
    bad = [f"{r.impl_label} {r.case.id} {r.status}: {r.reason} {r.mismatches[:2]}"
           for r in results if r.status in BAD_STATUSES]
    assert bad == []
    assert all(counts[impl.label].get("PASS", 0) > 30 for impl in impls)  # every column really ran

