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
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import attribution, emulate, expect, rules
from .cases import Case, materialise
from .impls import Implementation
from .replay import write_replays
from .results import BAD_STATUSES as BAD_STATUSES  # re-exported for callers of the runner
from .results import REPLAY_STATUSES, CellResult
from .results import STATUSES as STATUSES
from .workers import PROBE, ProbeServers, RunStats, ServerDied

DEVIATIONS_FILE = Path(__file__).resolve().parent.parent / "expectations" / "known_deviations.json"
_CLEAN_ENV_DROP = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONSAFEPATH", "PYTHONWARNINGS",
                   "PYTHONINSPECT", "PYTHONNOUSERSITE", "PYTHONDEVMODE", "PYTHONBREAKPOINT",
                   "PYTHONEXECUTABLE", "__PYVENV_LAUNCHER__", "PYENV_VERSION")


@dataclass
class Deviation:
    """A known deviation: matching FAIL cells become XFAIL, PASS cells XPASS.

    ``tool`` limits it to one tool's columns (a tool author's own file,
    ``--deviations TOOL=FILE``, or a ``"tool"`` key in the entry).
    """

    case: str
    implementation: rules.Rule
    reason: str
    tool: str | None = None


def load_deviations(path: Path = DEVIATIONS_FILE, tool: str | None = None) -> list[Deviation]:
    """Known deviations, per implementation, each with a reason; ``tool`` scopes a whole file."""
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Deviation(d["case"], d.get("implementation"), d["reason"], d.get("tool", tool))
            for d in data["deviations"]]


def _deviation_for(case: Case, impl: Implementation, deviations: list[Deviation]) -> Deviation | None:
    for dev in deviations:
        if dev.tool is not None and (impl.tool or "").lower() != dev.tool.lower():
            continue
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


def _stop_rules(stop: dict[str, Any] | list[dict[str, Any]]) -> list[dict[str, Any]]:
    return stop if isinstance(stop, list) else [stop]


def _declared(rule: dict[str, Any], match: re.Match) -> int | None:
    """The exit status a stop rule declares: a number, ``"$1"`` (what the regex's group 1 says), or None."""
    value = rule.get("returncode")
    if isinstance(value, str) and value.startswith("$"):
        try:
            return int(match.group(int(value[1:])))
        except (IndexError, ValueError):
            return None
    return value


def _run_until(proc: subprocess.Popen, stdin: str | None, timeout: float,
               stop: dict[str, Any] | list[dict[str, Any]]) -> tuple[bytes, bytes, dict[str, Any] | None]:
    """Read a child's output as it comes; stop its group when one of the adapter's ``stop`` regexes shows.

    For debuggers that restart the program when it ends (pdb, ipdb): a
    program that never stops at a line would otherwise restart until the
    time limit.  Returns stdout, stderr, and the rule that stopped the child
    (None when it ended by itself).
    """
    assert proc.stdout is not None and proc.stderr is not None
    if proc.stdin is not None:
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.write((stdin or "").encode("utf-8"))
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()
    rules_ = [(re.compile(rule["regex"]), rule) for rule in _stop_rules(stop)]
    out_fd, err_fd = proc.stdout.fileno(), proc.stderr.fileno()
    chunks: dict[int, list[bytes]] = {out_fd: [], err_fd: []}
    open_fds = [out_fd, err_fd]
    deadline = time.monotonic() + timeout
    while open_fds:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise subprocess.TimeoutExpired(proc.args, timeout)
        for fd in select.select(open_fds, [], [], remaining)[0]:
            data = os.read(fd, 65536)
            if not data:
                open_fds.remove(fd)
            chunks[fd].append(data)
        text = b"".join(chunks[out_fd] + chunks[err_fd]).decode("utf-8", "replace")
        for pattern, rule in rules_:
            match = pattern.search(text)
            if match is None:
                continue
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            hit = {**rule, "status": _declared(rule, match)}
            return b"".join(chunks[out_fd]), b"".join(chunks[err_fd]), hit
    proc.wait()
    return b"".join(chunks[out_fd]), b"".join(chunks[err_fd]), None


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float, stdin: str | None = None,
         stop: dict[str, Any] | list[dict[str, Any]] | None = None) -> subprocess.CompletedProcess:
    """Run one child in its own process group; on timeout kill the whole group.

    ``subprocess.run`` kills only the direct child and then waits for the
    pipes to close, which never happens if a grandchild (a hung
    multiprocessing worker, say) still holds them.  With ``stop`` (a tool
    adapter's rules), the child is stopped as soon as its output matches a
    rule; the result then has ``stopped`` = that rule, and the exit status
    the rule declares (``None`` if it declares none: the program's status
    is unknown).
    """
    if stop is not None:
        proc = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE, start_new_session=True,
        )
        try:
            out, err, hit = _run_until(proc, stdin, timeout, stop)
        finally:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()
        done = subprocess.CompletedProcess(cmd, proc.returncode if hit is None else hit["status"], out, err)
        done.stopped = hit  # type: ignore[attr-defined]
        return done
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
             timeout: float = 30.0, servers: ProbeServers | None = None,
             stats: RunStats | None = None) -> CellResult:
    """Run one cell and classify it; never raises for problems of the implementation.

    With ``servers``, API cells are forked by the interpreter's probe server
    instead of launching a probe each (``workers.py``).
    """
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
        observed = _execute(case, impl, workdir, fixture, result, timeout, servers, stats)
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
        result.reason = result.reason or "this implementation cannot express the launch (template/options)"
        return result
    result.observed = observed
    mismatches = expect.compare(result.expected, observed)
    result.mismatches = [m.as_dict() for m in mismatches]
    result.attributed = attribution.attribute(case.behaviours, result.expected, result.mismatches)
    status = "FAIL" if mismatches else "PASS"
    known = _deviation_for(case, impl, deviations) or emulate.deviation_for(case, impl)
    result.status, result.reason = apply_deviation(status, known)
    return result


class _Crash(Exception):
    def __init__(self, message: str, observed: Any = None) -> None:
        super().__init__(message)
        self.observed = observed


def _execute(case: Case, impl: Implementation, workdir: Path, fixture: Path, result: CellResult,
             timeout: float, servers: ProbeServers | None, stats: RunStats | None) -> dict[str, Any] | None:
    request = emulate.adapt_request(impl, _api_request(case, impl))
    env = clean_env(impl.child_env())
    if case.is_cli:
        if request["compile"]:
            prep = {"fixture": "fixture", "output": "prepared.json", "compile": request["compile"],
                    "prepare_only": True}
            (workdir / "prepare.json").write_text(json.dumps(prep))
            code, stderr = _probe(impl, workdir, "prepare.json", env, timeout, servers, stats)
            if code != 0:
                raise _Crash("fixture compile step failed: " + stderr)
        scratch = workdir / "scratch"
        scratch.mkdir(exist_ok=True)
        cmd = emulate.adapt_command(impl, impl.cli_command(case.call, str(fixture), str(scratch)))
        if cmd is None:
            result.reason = impl.form_unavailable(case.call["cli"]) or ""
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
        stdin = case.call.get("stdin", impl.stdin)
        result.stdin = stdin
        proc = _run(cmd, cwd, env, timeout, stdin=stdin, stop=impl.stop)
        if stats is not None:
            stats.add("launches")
        observed = {
            "outcome": "exited",
            "returncode": proc.returncode,
            "stdout": _text(proc.stdout),
            "stderr": _text(proc.stderr),
            "records": _read_records(record_file),
        }
        if getattr(proc, "stopped", None):
            rule = dict(proc.stopped)  # type: ignore[attr-defined]
            rule.pop("status", None)
            observed["stopped_by_adapter"] = rule
        return observed
    request["env"] = impl.child_env()
    (workdir / "request.json").write_text(json.dumps(request, indent=1))
    cmd = [impl.interp.exe, "-E", "-s", "-S", str(PROBE), "request.json"]
    result.command, result.cwd, result.request = cmd, str(workdir), request
    code, stderr = _probe(impl, workdir, "request.json", env, timeout, servers, stats)
    out = workdir / "observation.json"
    observed = None
    if out.exists():
        try:
            observed = json.loads(out.read_text(encoding="utf-8"))
        except ValueError:
            observed = None
    if code == 3 and observed:
        raise _Crash("the implementation could not be imported", observed)
    if code != 0 or observed is None:
        raise _Crash(f"probe exited with status {code}: {stderr}", {"returncode": code, "stderr": stderr})
    return observed


def _probe(impl: Implementation, workdir: Path, request: str, env: dict[str, str], timeout: float,
           servers: ProbeServers | None, stats: RunStats | None) -> tuple[int, str]:
    """Run the probe on one request file: forked by the interpreter's server, or launched afresh.

    Returns the exit status and the tail of the probe's stderr.  A server
    that dies is replaced by a fresh launch for this cell (and, if it could
    not even start, for every later cell of that interpreter).
    """
    exe = impl.interp.exe
    if servers is not None and servers.usable(exe):
        try:
            code = servers.run(exe, workdir / request, timeout, impl.module, impl.path, impl.child_env())
        except ServerDied:
            pass
        else:
            err = workdir / "probe.stderr"
            tail = err.read_bytes()[-2000:] if err.exists() else b""
            return code, _text(tail)
    proc = _run([exe, "-E", "-s", "-S", str(PROBE), request], workdir, env, timeout)
    if stats is not None:
        stats.add("launches")
    return proc.returncode, _text(proc.stderr)[-2000:]


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


def scratch_root() -> str | None:
    """Where cell directories go: ``$RUNPY_CONFORMANCE_TMP``, else ``/dev/shm`` when usable, else the default.

    A run creates and removes thousands of small files and directories; on
    a disk file system under load, removing them alone took seconds, on a
    memory file system (tmpfs) it takes milliseconds.
    """
    chosen = os.environ.get("RUNPY_CONFORMANCE_TMP")
    if chosen:
        return chosen
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) else None


def run_matrix(cases: list[Case], impls: list[Implementation], *, workers: int | None = None,
               timeout: float = 30.0, deviations: list[Deviation] | None = None,
               keep_dir: Path | None = None, isolation: str = "fork",
               stats: RunStats | None = None) -> list[CellResult]:
    """Run every (case, implementation) cell; results in (case, implementation) order.

    ``isolation="fork"`` (the default where the host has ``fork``) runs API
    cells in children forked by one probe server per interpreter;
    ``"process"`` launches a fresh probe per API cell.  ``stats``, if given,
    is filled with the processes started and the time spent per implementation.
    """
    deviations = load_deviations() if deviations is None else deviations
    workers = workers or max(2, (os.cpu_count() or 2) * 2)
    stats = RunStats() if stats is None else stats
    base = Path(tempfile.mkdtemp(prefix="runpy-conf-", dir=scratch_root()))
    jobs = [(c, i, base / f"{n:05d}") for n, (c, i) in enumerate((c, i) for c in cases for i in impls)]
    servers = ProbeServers(clean_env(), base, stats) if isolation == "fork" and hasattr(os, "fork") else None

    def one(job: tuple[Case, Implementation, Path]) -> CellResult:
        case, impl, workdir = job
        workdir.mkdir()
        start = time.monotonic()
        try:
            result = run_cell(case, impl, workdir, deviations, timeout, servers, stats)
        except Exception as exc:  # a harness bug must not stop the run either
            result = CellResult(case=case, impl_label=impl.label, impl=impl.as_dict(), status="ERROR",
                                reason=f"harness error: {type(exc).__name__}: {exc}")
        if keep_dir is None or result.status not in REPLAY_STATUSES:
            # Cleaning up now, in this thread, overlaps with other cells' children
            # instead of adding one long serial rmtree at the end.
            shutil.rmtree(workdir, ignore_errors=True)
            result.fixture_dir = None
        stats.cell(impl.label, time.monotonic() - start)
        return result

    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(one, jobs))
        if keep_dir is not None:
            write_replays(results, keep_dir)
    finally:
        if servers is not None:
            servers.close()
        shutil.rmtree(base, ignore_errors=True)
    return results


def python_of_host() -> str:
    """The interpreter running the driver (used by ``pytest conformance``)."""
    return sys.executable
