"""Finding interpreters, running children, and normalising what they print.

The pytest modules beside this file only compare; everything that starts a
process lives here.  All child processes of one session are started by a
:class:`Lab` on a small thread pool, interpreters side by side, so that the
whole differential suite stays well under a minute on two cores.
"""

from __future__ import annotations

import ast
import glob
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(os.path.dirname(HERE))
OBSERVER = os.path.join(HERE, "observer.py")
VERSIONS = ("3.9", "3.10", "3.11", "3.12", "3.13")
TIMEOUT = 120
RUNPY_REF_AUDIT = "AUDIT cpython.run_module ('runpy_ref',)"
IMPLS = ("runpy", "runpy_ref", "runpy_ref+trace")
"""The API side: the stdlib, runpy_ref, and runpy_ref inside ``tracing()``."""


def find_interpreter(version: str) -> str | None:
    """``$RUNPY_REF_PYTHON_3_9`` if set, else the newest pyenv build, else ``python3.9`` on PATH."""
    override = os.environ.get("RUNPY_REF_PYTHON_" + version.replace(".", "_"))
    if override:
        return override if os.access(override, os.X_OK) else None
    root = os.environ.get("PYENV_ROOT", "/root/.pyenv")
    found = sorted(
        glob.glob(os.path.join(root, "versions", version + ".*", "bin", "python" + version))
        + glob.glob(os.path.join(root, "versions", version, "bin", "python" + version)),
        key=lambda p: [int(x) if x.isdigit() else 0 for x in re.split(r"[.\-]", p.split("/")[-3])],
    )
    return found[-1] if found else shutil.which("python" + version)


def in_versions(scenario: dict[str, Any], version: str) -> bool:
    """Does a scenario with an optional ``versions: [min, max]`` apply to ``version``?"""
    low, high = scenario.get("versions", (VERSIONS[0], VERSIONS[-1]))

    def key(v: str) -> tuple[int, ...]:
        return tuple(int(x) for x in v.split("."))

    return key(low) <= key(version) <= key(high)


def clean_env(pythonpath: list[str]) -> dict[str, str]:
    """The parent's environment without PYTHON* variables, plus a chosen PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = os.pathsep.join(pythonpath)
    env["PYTHONIOENCODING"] = "utf-8"
    return env


# -- normalising a command-line run ---------------------------------------------------

_FRAME = re.compile(r'^  File "(.*?)", line \d+')
_WARNING = re.compile(r"^(.*?):(\d+): (\w*Warning): (.*)$")
_SNAP = re.compile(r"SNAP (\{.*\})$")
_MARKERS = ("marker_runpy", "marker_driver")


@dataclass
class CliRun:
    """One command line's outcome, normalised for comparison."""

    status: int
    snaps: list[dict[str, Any]]
    stdout: list[str]
    stderr: list[str]
    markers: list[dict[str, Any]] = field(default_factory=list)
    raw_stderr: str = ""

    def comparable(self) -> dict[str, Any]:
        return {"status": self.status, "snaps": self.snaps, "stdout": self.stdout, "stderr": self.stderr}


def replace_all(text: str, replacements: list[tuple[str, str]]) -> str:
    for old, new in replacements:
        if old:
            text = text.replace(old, new)
    return text


def reduce_stderr(text: str) -> list[str]:
    """Keep what a user compares: user-code frames, exception lines, messages.

    Frames of runpy (``<frozen runpy>`` or ``runpy.py``) and of runpy_ref are
    machinery, and so are the "Traceback" headers they cause; a warning raised
    by the machinery is kept without its file name and line (the stdlib warns
    from runpy.py, runpy_ref from its own stage module).
    """
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        frame = _FRAME.match(line)
        if frame:
            end = i + 1
            while end < len(lines) and lines[end].startswith("    "):
                end += 1
            if frame.group(1).startswith("<fx>"):
                out.extend(lines[i:end])
            i = end
            continue
        warning = _WARNING.match(line)
        if warning and not warning.group(1).startswith("<fx>"):
            out.append("<machinery>: %s: %s" % (warning.group(3), warning.group(4)))
            i += 1
            while i < len(lines) and lines[i].startswith("  "):
                i += 1
            continue
        if line != "Traceback (most recent call last):":
            out.append(line)
        i += 1
    return out


def normalise_cli(proc: subprocess.CompletedProcess, replacements: list[tuple[str, str]]) -> CliRun:
    snaps, stdout, markers = [], [], []
    for line in replace_all(proc.stdout, replacements).splitlines():
        found = _SNAP.search(line)
        if found:
            snap = ast.literal_eval(found.group(1))
            markers.append({key: snap.pop(key) for key in _MARKERS})
            snaps.append(snap)
            rest = line[: found.start()]
            if rest:
                stdout.append(rest)
        else:
            stdout.append(line)
    stderr_text = replace_all(proc.stderr, replacements)
    return CliRun(proc.returncode, snaps, stdout, reduce_stderr(stderr_text), markers, stderr_text)


# -- the lab: one per session ------------------------------------------------------------


@dataclass
class Interpreter:
    version: str
    python: str | None
    fix: str = ""
    venv_python: str = ""


class Lab:
    """Starts every child process of the session and keeps the results."""

    def __init__(self) -> None:
        from . import scenarios

        self.scenarios = scenarios
        self.tmp = tempfile.mkdtemp(prefix="runpy_ref-diff-")
        self.interpreters = {v: Interpreter(v, find_interpreter(v)) for v in VERSIONS}
        workers = max(2, (os.cpu_count() or 2) + 1)
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="differential")
        self.futures: dict[tuple[str, ...], Future] = {}
        self._lock = threading.Lock()
        self._started = False

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        shutil.rmtree(self.tmp, ignore_errors=True)

    @property
    def available(self) -> list[str]:
        return [v for v, i in self.interpreters.items() if i.python]

    @property
    def missing(self) -> list[str]:
        return [v for v, i in self.interpreters.items() if not i.python]

    def start(self, wanted: set[tuple[str, ...]] | None = None) -> None:
        """Submit the work at once (only ``wanted`` jobs if given): builds first, then the rest.

        Keys are ``(version, "api", impl)``, ``(version, "signatures")``,
        ``(version, "cli", case_id, side)`` and ``(version, "shim", case_id, side)``.
        """
        with self._lock:
            if self._started:
                return
            self._started = True
            jobs = [key for key in self.all_jobs() if wanted is None or key in wanted]
            for v in sorted({key[0] for key in jobs}, key=VERSIONS.index):
                self.futures[(v, "build")] = self.pool.submit(self._build, v)
            s = self.scenarios
            cases = {c["id"]: c for c in s.CLI + s.FLAGS + s.KNOWN_CLI + s.SHIM}
            for key in jobs:
                if key in self.futures:
                    continue
                base = cases.get(key[2], {}).get("std_from") if key[1] == "cli" else None
                if base and key[3] == "std":  # the same command line as the base case's: run it once
                    base_key = (key[0], "cli", base, "std")
                    if base_key not in self.futures:
                        self.futures[base_key] = self.pool.submit(self._cli, key[0], cases[base], "std")
                    self.futures[key] = self.futures[base_key]
                elif key[1] == "api":
                    self.futures[key] = self.pool.submit(self._api, key[0], key[2])
                elif key[1] == "signatures":
                    self.futures[key] = self.pool.submit(self._signatures, key[0])
                elif key[1] == "cli":
                    self.futures[key] = self.pool.submit(self._cli, key[0], cases[key[2]], key[3])
                else:
                    self.futures[key] = self.pool.submit(self._shim, key[0], cases[key[2]], key[3])

    def all_jobs(self) -> list[tuple[str, ...]]:
        s = self.scenarios
        jobs: list[tuple[str, ...]] = []
        for v in self.available:
            jobs += [(v, "api", impl) for impl in IMPLS] + [(v, "signatures")]
            jobs += [(v, "cli", c["id"], side) for c in s.CLI + s.FLAGS + s.KNOWN_CLI if in_versions(c, v)
                     for side in ("std", "ref")]
            jobs += [(v, "shim", c["id"], side) for c in s.SHIM if in_versions(c, v)
                     for side in ("shim", "noshim")]
        return jobs

    def result(self, *key: str) -> Any:
        self.start()
        return self.futures[key].result()

    # -- jobs -----------------------------------------------------------------------

    def _run(self, argv: list[str], *, cwd: str, env: dict[str, str], stdin: str | None = None
             ) -> subprocess.CompletedProcess:
        return subprocess.run(
            argv, cwd=cwd, env=env, input=stdin if stdin is not None else "", capture_output=True,
            text=True, encoding="utf-8", errors="replace", timeout=TIMEOUT,
        )

    def _build(self, version: str) -> Interpreter:
        interp = self.interpreters[version]
        assert interp.python
        interp.fix = os.path.join(self.tmp, version, "fx")
        os.makedirs(interp.fix)
        proc = self._run([interp.python, OBSERVER, "build", interp.fix], cwd=self.tmp, env=clean_env([]))
        if proc.returncode:
            raise RuntimeError(f"building fixtures with {interp.python} failed:\n{proc.stderr}")
        os.makedirs(os.path.join(interp.fix, "noshim"))
        with open(os.path.join(interp.fix, "noshim", "sitecustomize.py"), "w") as stream:
            stream.write("# the no-shim twin of shim/sitecustomize.py: runpy stays the stdlib's\n")
        venv = os.path.join(self.tmp, version, "venv")
        proc = self._run([interp.python, "-m", "venv", "--without-pip", venv], cwd=self.tmp,
                         env=clean_env([]))
        if proc.returncode:
            raise RuntimeError(f"creating a venv with {interp.python} failed:\n{proc.stderr}")
        interp.venv_python = os.path.join(venv, "bin", "python")
        site = glob.glob(os.path.join(venv, "lib", "python*", "site-packages"))[0]
        with open(os.path.join(site, "runpy_ref_differential.pth"), "w") as stream:
            stream.write(PROJECT + "\n" + interp.fix + "\n")
        return interp

    def _interp(self, version: str) -> Interpreter:
        return self.futures[(version, "build")].result()

    def _api(self, version: str, impl: str) -> dict[str, Any]:
        interp = self._interp(version)
        s = self.scenarios
        batch = [case for case in s.API + s.DEVIATIONS if in_versions(case, version)]
        proc = self._run([interp.python, OBSERVER, "api", impl, interp.fix], cwd=interp.fix,
                         env=clean_env([PROJECT]), stdin=json.dumps(batch))
        if proc.returncode:
            raise RuntimeError(f"observer ({impl}) failed on {version}:\n{proc.stderr}")
        return json.loads(proc.stdout)

    def _signatures(self, version: str) -> dict[str, Any]:
        interp = self._interp(version)
        proc = self._run([interp.python, OBSERVER, "signatures"], cwd=self.tmp, env=clean_env([PROJECT]))
        if proc.returncode:
            raise RuntimeError(f"signatures failed on {version}:\n{proc.stderr}")
        return json.loads(proc.stdout)

    def replacements(self, interp: Interpreter, python: str) -> list[tuple[str, str]]:
        return [
            (interp.fix + "/shim", "<fx>/<site>"),
            (interp.fix + "/noshim", "<fx>/<site>"),
            ("<fx>/shim", "<fx>/<site>"),  # as the probe already wrote it
            ("<fx>/noshim", "<fx>/<site>"),
            (interp.fix, "<fx>"),
            (python, "<python>"),
            (os.path.realpath(python), "<python>"),
        ]

    def _cli(self, version: str, case: dict[str, Any], side: str) -> CliRun:
        interp = self._interp(version)
        flags = case in self.scenarios.FLAGS
        python = interp.venv_python if flags else interp.python
        out = os.path.join(self.tmp, version, "out", case["id"], side)
        os.makedirs(out)
        trace = os.path.join(out, "trace")
        argv = [a.replace("<fx>", interp.fix).replace("<out>", trace) for a in case[side]]
        pythonpath = [os.path.join(interp.fix, p) for p in case.get("pythonpath", [])] + [PROJECT]
        env = clean_env(pythonpath)
        env.update(case.get("env", {}))
        proc = self._run([python, *argv], cwd=interp.fix, env=env)
        run = normalise_cli(proc, self.replacements(interp, python))
        if side == "ref":  # the interpreter announcing runpy_ref itself is not part of the program's run
            run.stderr = [line for line in run.stderr if line != RUNPY_REF_AUDIT]
        return run

    def _shim(self, version: str, case: dict[str, Any], side: str) -> tuple[CliRun, list[dict[str, Any]]]:
        interp = self._interp(version)
        out = os.path.join(self.tmp, version, "out", case["id"], side)
        os.makedirs(out)
        trace_file = os.path.join(out, "trace.jsonl")
        argv = [a.replace("<out>", os.path.join(out, "output")) for a in case["argv"]]
        pythonpath = (
            [os.path.join(interp.fix, side)]
            + [os.path.join(interp.fix, p) for p in case.get("pythonpath", [])]
            + [PROJECT]
        )
        env = clean_env(pythonpath)
        env["SHIM_TRACE"] = trace_file
        proc = self._run([interp.python, *argv], cwd=interp.fix, env=env, stdin=case.get("stdin"))
        events = []
        for path in sorted(glob.glob(trace_file + ".*")):  # one per process (spawned children too)
            with open(path, encoding="utf-8") as stream:
                events += [json.loads(line) for line in stream if line.strip()]
        run = normalise_cli(proc, [*self.replacements(interp, interp.python), (out, "<out>")])
        if case.get("stdout_only_fixture_lines"):  # modules imported by the shim itself are not counted
            run.stdout = [line for line in run.stdout if "<fx>" in line or not line.startswith(" ")]
        return run, events
