"""Run (case, implementation) cells in parallel child processes.

Every cell gets a fresh temporary directory and a fresh child process of the
target interpreter; the driver never imports the implementation under test.
A crash, a hang or garbage output of one cell becomes that cell's status
(CRASH, TIMEOUT, ERROR) and never stops the run.
"""

from __future__ import annotations

import contextlib
import fnmatch
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import emulate, expect, rules
from .cases import Case, materialise
from .impls import Implementation

PROBE = Path(__file__).resolve().parent / "probe.py"
DEVIATIONS_FILE = Path(__file__).resolve().parent.parent / "expectations" / "known_deviations.json"
STATUSES = ("PASS", "FAIL", "ERROR", "CRASH", "TIMEOUT", "SKIP", "N/A", "UNKNOWN", "XFAIL", "XPASS")
BAD_STATUSES = ("FAIL", "ERROR", "CRASH", "TIMEOUT", "XPASS")
_CLEAN_ENV_DROP = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONSAFEPATH", "PYTHONWARNINGS",
                   "PYTHONINSPECT", "PYTHONNOUSERSITE", "PYTHONDEVMODE", "PYTHONBREAKPOINT",
                   "PYTHONEXECUTABLE", "__PYVENV_LAUNCHER__", "PYENV_VERSION")


@dataclass
class Deviation:
    """A known deviation: matching FAIL cells become XFAIL, PASS cells XPASS."""

    case: str
    implementation: rules.Rule
    reason: str


@dataclass
class CellResult:
    """The recorded outcome of one (case, implementation) cell."""

    case: Case
    impl_label: str
    impl: dict[str, Any]
    status: str
    reason: str = ""
    expected: Any = None
    observed: Any = None
    mismatches: list[dict[str, Any]] = field(default_factory=list)
    doc_says: list[str] = field(default_factory=list)
    command: list[str] | None = None
    cwd: str | None = None
    env: dict[str, str] | None = None
    request: dict[str, Any] | None = None
    fixture_dir: str | None = None
    placeholders: dict[str, str] = field(default_factory=dict)
    duration: float = 0.0
    executable: bool = True

    def as_record(self) -> dict[str, Any]:
        """One JSON record per cell (the ``--format json`` contract)."""
        rec: dict[str, Any] = {
            "case": self.case.id,
            "title": self.case.title,
            "group": self.case.group,
            "behaviours": self.case.behaviours,
            "implementation": self.impl_label,
            "module": self.impl.get("module"),
            "kind": self.impl.get("kind"),
            "python_impl": self.impl.get("impl"),
            "version": self.impl.get("version"),
            "executable_here": self.executable,
            "status": self.status,
            "duration": round(self.duration, 3),
        }
        if self.reason:
            rec["reason"] = self.reason
        if self.doc_says:
            rec["doc_says"] = self.doc_says
        if self.status in ("FAIL", "ERROR", "CRASH", "TIMEOUT", "XFAIL", "XPASS") or not self.executable:
            rec["expected"] = self.expected
        if self.status in ("FAIL", "ERROR", "CRASH", "TIMEOUT", "XFAIL", "XPASS"):
            rec["observed"] = self.observed
            rec["mismatches"] = self.mismatches
            rec["command"] = self.command
        return rec


def load_deviations(path: Path = DEVIATIONS_FILE) -> list[Deviation]:
    """Known deviations, per implementation, each with a reason."""
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Deviation(d["case"], d.get("implementation"), d["reason"]) for d in data["deviations"]]


def _deviation_for(case: Case, impl: Implementation, deviations: list[Deviation]) -> Deviation | None:
    for dev in deviations:
        if fnmatch.fnmatch(case.id, dev.case) and rules.matches(dev.implementation, impl.target):
            return dev
    return None


def apply_deviation(status: str, dev: Deviation | None) -> tuple[str, str]:
    """FAIL + known deviation -> XFAIL; PASS + known deviation -> XPASS (an error)."""
    if dev is None:
        return status, ""
    if status == "FAIL":
        return "XFAIL", dev.reason
    if status == "PASS":
        return "XPASS", f"listed as known deviation but passed: {dev.reason}"
    return status, ""


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for children: the caller's, minus variables that change Python's startup."""
    env = {k: v for k, v in os.environ.items() if k not in _CLEAN_ENV_DROP}
    env.update(extra or {})
    return env


def _placeholders(impl: Implementation, fixture: Path) -> dict[str, str]:
    return {
        "fixture": str(fixture),
        "exe": impl.interp.executable,
        "cache_tag": impl.interp.cache_tag or "",
        "module": impl.module,
    }


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float,
         stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run one child in its own process group; on timeout kill the whole group.

    ``subprocess.run`` kills only the direct child and then waits for the
    pipes to close, which never happens if a grandchild (a hung
    multiprocessing worker, say) still holds them.
    """
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE, start_new_session=True,
    )
    try:
        out, err = proc.communicate(None if stdin is None else stdin.encode("utf-8"), timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    finally:
        if proc.poll() is None:  # an unexpected error: do not leave the child behind
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace").replace("\r\n", "\n")


def _read_records(path: Path) -> dict[str, Any]:
    records: dict[str, Any] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                records[item["key"]] = item["value"]
            except (ValueError, KeyError, TypeError):  # e.g. a line cut short by a kill
                records.setdefault("_malformed", []).append(line[:200])
    return records


def _api_request(case: Case, impl: Implementation) -> dict[str, Any]:
    setup = case.data.get("setup", {})
    observe = case.data.get("observe", {})
    return {
        "fixture": "fixture",
        "output": "observation.json",
        "module": impl.module,
        "path": impl.path,
        "cwd": setup.get("cwd", "."),
        "sys_path": setup.get("sys_path", []),
        "fake_modules": setup.get("fake_modules", []),
        "imports": setup.get("imports", []),
        "compile": case.data.get("compile", []),
        "call": case.call,
        "watch_modules": observe.get("watch_modules", []),
        "call_after": observe.get("call_after", []),
    }


def not_applicable(case: Case, impl: Implementation) -> str | None:
    """Why a cell is N/A for this implementation, or None if it should run."""
    if not impl.supported():
        return f"{impl.module} does not support {impl.interp.impl} {impl.interp.version_text}"
    if case.doc_only:
        return "doc-only: " + case.data["reason"]
    if not rules.matches(case.applies, impl.target):
        return "case does not apply to this implementation/version"
    if not case.is_cli and impl.kind == "template":
        return "CLI template implementations have no Python API"
    return None


def run_cell(case: Case, impl: Implementation, workdir: Path, deviations: list[Deviation],
             timeout: float = 30.0) -> CellResult:
    """Run one cell and classify it; never raises for problems of the implementation."""
    result = CellResult(case=case, impl_label=impl.label, impl=impl.as_dict(), status="N/A")
    why = not_applicable(case, impl)
    if why:
        result.reason = why
        return result
    target = impl.target
    unknown = case.unknown_for(target)
    if unknown is not None:  # the case applies, but what this version does is not known
        result.status, result.reason = "UNKNOWN", "unknown: " + unknown
        return result
    expected, notes = expect.resolve(case.expect, target)
    result.doc_says = notes
    if expected is None:
        result.status, result.reason = "ERROR", "no expectation resolves for this target"
        return result
    fixture = workdir / "fixture"
    materialise(case.data.get("fixture", {}), fixture)
    fixture = fixture.resolve()
    values = _placeholders(impl, fixture)
    result.placeholders = values
    result.fixture_dir = str(fixture)
    result.expected = expect.substitute(expected, values)
    start = time.monotonic()
    try:
        observed = _execute(case, impl, workdir, fixture, result, timeout)
    except subprocess.TimeoutExpired:
        result.status, result.reason = "TIMEOUT", f"no result within {timeout:.0f}s"
        result.duration = time.monotonic() - start
        return result
    except _Crash as exc:
        result.status, result.reason, result.observed = "CRASH", str(exc), exc.observed
        result.duration = time.monotonic() - start
        return result
    result.duration = time.monotonic() - start
    if observed is None:
        result.status = "SKIP"
        result.reason = "this implementation cannot express the launch (template/options)"
        return result
    result.observed = observed
    mismatches = expect.compare(result.expected, observed)
    result.mismatches = [m.as_dict() for m in mismatches]
    status = "FAIL" if mismatches else "PASS"
    known = _deviation_for(case, impl, deviations) or emulate.deviation_for(case, impl)
    result.status, result.reason = apply_deviation(status, known)
    return result


class _Crash(Exception):
    def __init__(self, message: str, observed: Any = None) -> None:
        super().__init__(message)
        self.observed = observed


def _execute(case: Case, impl: Implementation, workdir: Path, fixture: Path, result: CellResult,
             timeout: float) -> dict[str, Any] | None:
    request = emulate.adapt_request(impl, _api_request(case, impl))
    env = clean_env(impl.child_env())
    if case.is_cli:
        if request["compile"]:
            prep = {"fixture": "fixture", "output": "prepared.json", "compile": request["compile"],
                    "prepare_only": True}
            (workdir / "prepare.json").write_text(json.dumps(prep))
            prep_cmd = [impl.interp.exe, "-E", "-s", "-S", str(PROBE), "prepare.json"]
            proc = _run(prep_cmd, workdir, env, timeout)
            if proc.returncode != 0:
                raise _Crash("fixture compile step failed: " + _text(proc.stderr)[-2000:])
        cmd = emulate.adapt_command(impl, impl.cli_command(case.call, str(fixture)))
        if cmd is None:
            return None
        record_file = workdir / "records.jsonl"
        env["RUNPY_CONFORMANCE_RECORD"] = str(record_file)
        if impl.kind == "module" and impl.path:
            env["PYTHONPATH"] = impl.path
        for key, value in case.call.get("env", {}).items():
            env[key] = value.replace("{fixture}", str(fixture))
        cwd = fixture / case.data.get("setup", {}).get("cwd", ".")
        result.command, result.cwd = cmd, str(cwd)
        result.env = {k: env[k] for k in env if k in ("PYTHONPATH", "RUNPY_CONFORMANCE_RECORD")
                      or k in case.call.get("env", {}) or k in impl.child_env()}
        proc = _run(cmd, cwd, env, timeout, stdin=case.call.get("stdin"))
        return {
            "outcome": "exited",
            "returncode": proc.returncode,
            "stdout": _text(proc.stdout),
            "stderr": _text(proc.stderr),
            "records": _read_records(record_file),
        }
    (workdir / "request.json").write_text(json.dumps(request, indent=1))
    cmd = [impl.interp.exe, "-E", "-s", "-S", str(PROBE), "request.json"]
    result.command, result.cwd, result.request = cmd, str(workdir), request
    proc = _run(cmd, workdir, env, timeout)
    out = workdir / "observation.json"
    observed = None
    if out.exists():
        try:
            observed = json.loads(out.read_text(encoding="utf-8"))
        except ValueError:
            observed = None
    if proc.returncode == 3 and observed:
        raise _Crash("the implementation could not be imported", observed)
    if proc.returncode != 0 or observed is None:
        tail = _text(proc.stderr)[-2000:]
        raise _Crash(f"probe exited with status {proc.returncode}: {tail}",
                     {"returncode": proc.returncode, "stderr": tail})
    return observed


def documented_cell(case: Case, version: tuple[int, ...]) -> CellResult:
    """A cell for a version with no interpreter here: expectation only, status N/A."""
    label = "cpython-" + ".".join(map(str, version)) + "/runpy"
    impl = {"label": label, "impl": "cpython", "version": ".".join(map(str, version)),
            "module": "runpy", "kind": "stdlib"}
    result = CellResult(case=case, impl_label=label, impl=impl, status="N/A", executable=False)
    target = rules.Target(version=version)
    if case.doc_only:
        result.reason = "doc-only: " + case.data["reason"]
        return result
    if not rules.matches(case.applies, target):
        result.reason = "case does not apply to this version"
        return result
    unknown = case.unknown_for(target)
    if unknown is not None:
        result.status, result.reason = "UNKNOWN", "unknown: " + unknown
        return result
    expected, notes = expect.resolve(case.expect, target)
    result.doc_says = notes
    if expected is None:
        result.reason = "no expectation encoded for this version"
        return result
    result.expected = expected
    result.reason = "documented, not executable here"
    return result


def documented_cells(cases: list[Case], impls: list[Implementation], versions: list[str],
                     executable_here: list[str]) -> list[CellResult]:
    """Cells for every catalogue version that nothing here executes (nor emulates)."""
    covered = {".".join(map(str, i.target.version[:2])) for i in impls
               if i.interp.impl == "cpython" and i.supported()}
    out = []
    for version in versions:
        if version not in executable_here and version not in covered:
            vt = rules.parse_version(version)
            out.extend(documented_cell(c, vt) for c in cases)
    return out


def run_matrix(cases: list[Case], impls: list[Implementation], *, workers: int | None = None,
               timeout: float = 30.0, deviations: list[Deviation] | None = None,
               keep_dir: Path | None = None) -> list[CellResult]:
    """Run every (case, implementation) cell; results in (case, implementation) order."""
    deviations = load_deviations() if deviations is None else deviations
    workers = workers or max(2, (os.cpu_count() or 2) * 2)
    base = Path(tempfile.mkdtemp(prefix="runpy-conf-"))
    jobs = [(c, i, base / f"{n:05d}") for n, (c, i) in enumerate((c, i) for c in cases for i in impls)]

    def one(job: tuple[Case, Implementation, Path]) -> CellResult:
        case, impl, workdir = job
        workdir.mkdir()
        try:
            return run_cell(case, impl, workdir, deviations, timeout)
        except Exception as exc:  # a harness bug must not stop the run either
            return CellResult(case=case, impl_label=impl.label, impl=impl.as_dict(), status="ERROR",
                              reason=f"harness error: {type(exc).__name__}: {exc}")

    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(one, jobs))
        if keep_dir is not None:
            _keep_failures(results, keep_dir)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return results


def _keep_failures(results: list[CellResult], replay_dir: Path) -> None:
    from .report import write_replays

    write_replays(results, replay_dir)


def python_of_host() -> str:
    """The interpreter running the driver (used by ``pytest conformance``)."""
    return sys.executable
