"""Probe servers: one long-lived ``probe.py --serve`` per interpreter, one fork per API cell.

Starting an interpreter costs more than most API cells take to run, and a
run of every interpreter here starts about seven hundred probes.  A probe
server is started once per interpreter (more only while several cells of
that interpreter run at the same time) and forks a child per cell.  The
child is as isolated as a fresh probe process: its own process, its own
session (a timeout kills its whole group), the interpreter's state right
after start-up (the server imports and runs nothing before forking), and
its own stdout/stderr files.  ``INTERPRETING.md`` section 5 gives the
protocol.

CLI cells do not go through a server: they launch the command under test.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

PROBE = Path(__file__).resolve().parent / "probe.py"
_START_TIMEOUT = 30.0  # seconds for a server to answer "started"


class ServerDied(Exception):
    """The server process ended or spoke out of protocol; the cell is re-run the classic way."""


@dataclass
class RunStats:
    """What a run cost: processes started and busy time per implementation (printed by the runner)."""

    servers: int = 0
    forks: int = 0
    launches: int = 0
    busy: Counter = field(default_factory=Counter)
    cells: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, what: str, count: int = 1) -> None:
        with self.lock:
            setattr(self, what, getattr(self, what) + count)

    def cell(self, label: str, seconds: float) -> None:
        with self.lock:
            self.busy[label] += seconds
            self.cells[label] += 1

    def processes(self) -> int:
        return self.servers + self.forks + self.launches


class ProbeServer:
    """One ``probe.py --serve`` process; used by one thread at a time."""

    def __init__(self, exe: str, env: dict[str, str], cwd: Path, preload: str | None = None,
                 path: str | None = None) -> None:
        self._stderr = tempfile.TemporaryFile()
        preload_args = [preload, path or ""] if preload else []
        self.proc = subprocess.Popen(
            [exe, "-E", "-s", "-S", str(PROBE), "--serve", *preload_args], cwd=cwd, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, start_new_session=True,
        )
        self._buffer = b""
        self.alive = True

    def _readline(self, timeout: float) -> str | None:
        """The next protocol line, or None if none arrived within ``timeout`` seconds."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                return None
            chunk = os.read(fd, 4096)
            if not chunk:
                raise ServerDied(self._stderr_tail())
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line.decode("ascii", "replace")

    def _stderr_tail(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read()[-2000:].decode("utf-8", "replace")

    def run(self, request: Path, timeout: float) -> int:
        """Run one request in a forked child; its exit status (negative: killed by that signal).

        Raises ``subprocess.TimeoutExpired`` after killing the child's process
        group when no exit arrives within ``timeout`` seconds.
        """
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(f"{request}\n".encode())
            self.proc.stdin.flush()
            started = self._readline(_START_TIMEOUT)
            if started is None or not started.startswith("started "):
                raise ServerDied(f"no fork within {_START_TIMEOUT:.0f}s: {started!r}")
            pid = int(started.split()[1])
            line = self._readline(timeout)
            if line is None:
                for kill in (os.killpg, os.kill):  # the group; the child itself if it had no time for setsid
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        kill(pid, signal.SIGKILL)
                self._readline(_START_TIMEOUT)
                raise subprocess.TimeoutExpired(str(request), timeout)
            if not line.startswith("exited "):
                raise ServerDied(f"unexpected line {line!r}")
            return int(line.split()[1])
        except (OSError, ValueError, ServerDied):
            self.alive = False
            raise

    def close(self) -> None:
        self.alive = False
        with contextlib.suppress(OSError):
            assert self.proc.stdin is not None
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self._stderr.close()


class ProbeServers:
    """Servers per implementation, started lazily: as many as its cells run at the same time.

    A server is specific to an interpreter, the module under test (imported
    once by the server), the directory that module is imported from, and
    the implementation's environment additions (``--emulate``), all of
    which the import may depend on.
    """

    def __init__(self, env: dict[str, str], cwd: Path, stats: RunStats) -> None:
        self.env, self.cwd, self.stats = env, cwd, stats
        self._idle: dict[tuple, list[ProbeServer]] = defaultdict(list)
        self._all: list[ProbeServer] = []
        self._broken: set[str] = set()
        self._lock = threading.Lock()

    def usable(self, exe: str) -> bool:
        """False once a server of ``exe`` died: its cells then launch one probe each."""
        return exe not in self._broken

    @contextlib.contextmanager
    def server(self, exe: str, module: str | None = None, path: str | None = None,
               env: dict[str, str] | None = None) -> Iterator[ProbeServer]:
        key = (exe, module, path, tuple(sorted((env or {}).items())))
        with self._lock:
            srv = self._idle[key].pop() if self._idle[key] else None
        if srv is None:
            srv = ProbeServer(exe, {**self.env, **(env or {})}, self.cwd, module, path)
            self.stats.add("servers")
            with self._lock:
                self._all.append(srv)
        try:
            yield srv
        except ServerDied:
            if srv.proc.poll() is not None:
                with self._lock:
                    self._broken.add(exe)
            raise
        finally:
            if srv.alive:
                with self._lock:
                    self._idle[key].append(srv)
            else:
                srv.close()

    def run(self, exe: str, request: Path, timeout: float, module: str | None = None,
            path: str | None = None, env: dict[str, str] | None = None) -> int:
        with self.server(exe, module, path, env) as srv:
            code = srv.run(request, timeout)
        self.stats.add("forks")
        return code

    def close(self) -> None:
        with self._lock:
            servers, self._all = self._all, []
            self._idle.clear()
        for srv in servers:
            srv.close()
