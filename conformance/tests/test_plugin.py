"""The pytest plugin, run the way a tool author would run it: against coverage.py."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .helpers import PROJECT_ROOT

pytest.importorskip("coverage")

COVERAGE = "{python} -m coverage run --data-file={scratch}/.coverage"


def run_plugin(tmp_path, *args):
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "conformance.pytest_plugin", "-p", "no:cacheprovider",
         f"--runpy-conformance={COVERAGE} -m {{module}} {{args}}",
         f"--runpy-conformance-path={COVERAGE} {{path}} {{args}}", *args],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)


def test_one_item_per_cli_case_with_the_mismatch_on_failure(tmp_path):
    proc = run_plugin(tmp_path, "-k", "cli-module-basic or cli-script-file or cli-isolated", "-rA")
    out = proc.stdout
    assert "1 failed, 1 passed, 2 skipped" in out, out[-3000:]
    assert "PASSED runpy-conformance::cli-script-file" in out
    # coverage runs a module with its own loader class instead of the import system's
    assert "/records/main/__loader__ [semantic; CLI-16]" in out and "DummyLoader" in out
    assert "CLI-10 PASS" in out  # blame where it belongs: sys.path[0] is right


def test_deviations_file_turns_the_failure_into_an_expected_one(tmp_path):
    (tmp_path / "devs.json").write_text(
        '{"deviations": [{"case": "cli-module-basic", "reason": "coverage swaps in DummyLoader"}]}')
    proc = run_plugin(tmp_path, "-k", "cli-module-basic", "--runpy-conformance-deviations=devs.json")
    assert "1 xfailed" in proc.stdout, proc.stdout[-2000:]
