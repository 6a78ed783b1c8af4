"""``runpy_ref --as-of X.Y`` on the host against the real CPython X.Y, for 2.7, 3.6, 3.7 and 3.8.

The old interpreters installed here are the truth: each scenario of
``as_of_scenarios.py`` runs once on the real CPython X.Y (its own runpy, its
own ``-m``) and once on the interpreter running these tests, through
``runpy_ref.as_of("X.Y")`` or ``python -m runpy_ref --as-of X.Y``.  What the
code saw (which special globals exist and their values, ``sys.argv``,
``sys.path[0]``), the result, the exception and its message, the warnings,
the state of ``sys`` afterwards, and on the command line the exit status,
stdout and stderr (tracebacks reduced to the program's own frames) must be
equal, except for the documented deviations, which must still differ.

Interpreters are found as the other differential tests find them
(``$PYENV_ROOT/versions/X.Y.*`` or ``$RUNPY_REF_PYTHON_X_Y``); a missing one
is a visible skip.
"""

from __future__ import annotations

import copy
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from . import as_of_scenarios as s
from .harness import PROJECT, find_interpreter, reduce_stderr, replace_all

HERE = os.path.dirname(os.path.abspath(__file__))
OBSERVER = os.path.join(HERE, "as_of_observer.py")
FOUND = {version: find_interpreter(version) for version in s.VERSIONS}
AVAILABLE = [v for v in s.VERSIONS if FOUND[v]]
HOST = sys.executable
TIMEOUT = 120
_RELATIVE_FRAME = re.compile(r'^(  File ")(?![/<])', re.MULTILINE)
"""A traceback frame whose file is relative to the working directory, as 2.7 names a module imported
through the ``''`` entry of sys.path (the import system's spelling); it is written as under ``<fx>``."""


def _env(pythonpath: list[str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(pythonpath)
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _run(argv: list[str], *, cwd: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=cwd, env=env, input=stdin, capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=TIMEOUT)


class Side:
    """One side of a comparison: the real interpreter, or the host emulating it."""

    def __init__(self, version: str, real: bool, root: str) -> None:
        self.version, self.real = version, real
        self.python = FOUND[version] if real else HOST
        self.fix = os.path.realpath(os.path.join(root, version, "real" if real else "as-of"))
        os.makedirs(self.fix)
        done = _run([self.python, OBSERVER, "build", self.fix], cwd=root, env=_env([]))
        assert done.returncode == 0, done.stderr

    def api(self, traced: bool = False) -> dict[str, Any]:
        impl = "runpy" if self.real else "runpy_ref@" + self.version + ("+trace" if traced else "")
        done = _run([self.python, OBSERVER, "api", impl, self.fix], cwd=self.fix,
                    env=_env([] if self.real else [PROJECT]), stdin=json.dumps(s.API))
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def cli(self, case: dict[str, Any], traced: bool = False) -> dict[str, Any]:
        argv = [word.replace("<fx>", self.fix) for word in case["argv"]]
        if not self.real:
            head = ["-m", "runpy_ref", "--as-of", self.version]
            trace = os.path.join(os.path.dirname(self.fix), f"trace-{case['id']}.jsonl")
            if traced:  # to a file beside the fixture: observing must change nothing the program sees
                head += ["--trace-format", "json", "--trace-file", trace]
            argv = [*head, *argv] if argv[0] == "-m" else [*head, "--path", *argv]
        done = _run([self.python, *argv], cwd=self.fix, env=_env([] if self.real else [PROJECT]))
        if traced:
            with open(trace, encoding="utf-8") as stream:
                assert json.loads(stream.readline())["profile"] == self.version, trace
        names = [(self.fix, "<fx>"), (self.python, "<python>"), (os.path.realpath(self.python), "<python>")]
        snaps, stdout = [], []
        for line in replace_all(done.stdout, names).splitlines():
            if line.startswith("SNAP "):
                snaps.append(json.loads(line[5:]))
            else:
                stdout.append(line)
        stderr = _RELATIVE_FRAME.sub(r'\1<fx>/', replace_all(done.stderr, names))
        return {"status": done.returncode, "snaps": snaps, "stdout": stdout, "stderr": reduce_stderr(stderr)}


@pytest.fixture(scope="module")
def observed() -> Iterator[dict[tuple[str, ...], Any]]:
    """Every observation of every available version, both sides, made side by side on a thread pool."""
    root = tempfile.mkdtemp(prefix="runpy_ref-as-of-")
    try:
        with ThreadPoolExecutor(max_workers=(os.cpu_count() or 2) + 1) as pool:
            sides = {(v, real): pool.submit(Side, v, real, root) for v in AVAILABLE for real in (True, False)}
            jobs = {}
            for (version, real), side in sides.items():
                made = side.result()
                jobs[(version, real, "api")] = pool.submit(made.api)
                if not real:
                    jobs[(version, real, "api", "traced")] = pool.submit(made.api, True)
                for case in s.CLI:
                    jobs[(version, real, "cli", case["id"])] = pool.submit(made.cli, case)
                    if not real:
                        jobs[(version, real, "cli", case["id"], "traced")] = pool.submit(made.cli, case, True)
            yield {key: job.result() for key, job in jobs.items()}
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _deviation(case_id: str, version: str) -> dict[str, Any] | None:
    return next((d for d in s.DEVIATIONS if d["id"] == case_id and version in d["versions"]), None)


def _pop(data: Any, dotted: str) -> Any:
    """Remove and return the value at a dotted path (list items by index)."""
    *parents, last = dotted.split(".")
    for part in parents:
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data.pop(int(last)) if isinstance(data, list) else data.pop(last)


def _compare(real: Any, emulated: Any, case_id: str, version: str) -> None:
    deviation = _deviation(case_id, version)
    if deviation is not None:
        real, emulated = copy.deepcopy(real), copy.deepcopy(emulated)
        for path in deviation["ignore"]:
            left, right = _pop(real, path), _pop(emulated, path)
            assert left != right, f"documented deviation {path} of {case_id} no longer differs: remove it"
    if real != emulated:
        a = json.dumps(real, indent=1, sort_keys=True).splitlines()
        b = json.dumps(emulated, indent=1, sort_keys=True).splitlines()
        diff = "\n".join(difflib.unified_diff(a, b, f"CPython {version}", f"runpy_ref --as-of {version}",
                                              lineterm="", n=6))
        pytest.fail(f"CPython {version} and runpy_ref --as-of {version} differ:\n{diff}", pytrace=False)


@pytest.mark.parametrize("version", s.VERSIONS)
def test_as_of_interpreter_present(version: str) -> None:
    """Every version with a real interpreter to compare with is tested; a missing one is a visible skip."""
    if not FOUND[version]:
        pytest.skip(f"CPython {version} not found (install it under $PYENV_ROOT/versions)")


@pytest.mark.parametrize("version, case, traced", [
    pytest.param(v, c, traced, id=f"{v}-{c['id']}" + ("-traced" if traced else ""))
    for v in AVAILABLE for c in s.API if v in c.get("versions", [v]) for traced in (False, True)])
def test_as_of_api(observed: dict[tuple[str, ...], Any], version: str, case: dict[str, Any], traced: bool) -> None:
    real = observed[(version, True, "api")][case["id"]]
    emulated = observed[(version, False, "api", *(("traced",) if traced else ()))][case["id"]]
    assert "observer_crash" not in real and "observer_crash" not in emulated, (real, emulated)
    _compare(real, emulated, case["id"], version)


@pytest.mark.parametrize("version, case, traced", [
    pytest.param(v, c, traced, id=f"{v}-{c['id']}" + ("-traced" if traced else ""))
    for v in AVAILABLE for c in s.CLI for traced in (False, True)])
def test_as_of_cli(observed: dict[tuple[str, ...], Any], version: str, case: dict[str, Any], traced: bool) -> None:
    real = observed[(version, True, "cli", case["id"])]
    emulated = observed[(version, False, "cli", case["id"], *(("traced",) if traced else ()))]
    _compare(real, emulated, case["id"], version)


@pytest.mark.parametrize("case_id, kind, older, newer", [
    ("rm-module", "api", "2.7", "3.6"),  # which specials exist (RM-16)
    ("m-module", "cli", "3.6", "3.7"),  # sys.path[0] for -m (CLI-10)
    ("m-keyboard-interrupt", "cli", "3.7", "3.8"),  # exit status (CLI-19)
    ("f-script", "cli", "2.7", "3.6"),  # the globals python FILE sets
    ("rp-missing-file", "api", "3.7", "3.8"),  # the path an open error names (RP-23)
])
def test_observations_tell_the_versions_apart(observed: dict[tuple[str, ...], Any], case_id: str, kind: str,
                                              older: str, newer: str) -> None:
    """Agreement means something only if the observations are fine enough to differ between versions."""
    if not (FOUND[older] and FOUND[newer]):
        pytest.skip("needs both interpreters")

    def real(version: str) -> Any:
        key = (version, True, "api") if kind == "api" else (version, True, "cli", case_id)
        return observed[key][case_id] if kind == "api" else observed[key]

    assert real(older) != real(newer)


def test_every_deviation_names_a_scenario_and_a_reason() -> None:
    ids = {c["id"] for c in s.API + s.CLI}
    for deviation in s.DEVIATIONS:
        assert deviation["id"] in ids and deviation["reason"] and set(deviation["versions"]) <= set(s.VERSIONS)
