"""The tracer: it numbers the events of a run, turns records into plain data, and hands them on.

Three promises shape it:

* **Observation never changes behaviour.**  When a sink fails (a full disk,
  a closed pipe) the tracer stops writing, remembers the error and lets the
  run finish exactly as it would have untraced; :func:`tracing` raises
  :class:`TraceSinkError` afterwards, when its block ends normally.
* **Each event is handed on when it happens**, so a sink that writes
  through leaves a trace that survives the program's death.
* **A forked child stays silent.**  After ``os.fork()`` the child inherits
  the tracer and its sinks; its events would repeat the end of the
  parent's story in the parent's file.  The tracer therefore hands on
  nothing in a process other than the one that started it: the trace is the
  story of the process that asked for it.
"""

from __future__ import annotations

import os
import sys
import time

from .._lean import TYPE_CHECKING
from .._version import __version__
from ..profiles import active_profile, host_profile
from ..scoped import scoped
from .context import active_tracer
from .events import SCHEMA_NAME, SCHEMA_VERSION, Event
from .plain_data import plain

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, Protocol

    from ..records import Record

    class Sink(Protocol):
        """Where events go: the header once, each event as it happens, the footer if the trace ends."""

        def header(self, header: dict[str, Any]) -> None: ...
        def event(self, event: Event) -> None: ...
        def footer(self, footer: dict[str, Any]) -> None: ...

__all__ = ["TraceSinkError", "Tracer", "tracing"]


class TraceSinkError(RuntimeError):
    """A sink failed while the trace was written; the run itself went on."""


class Tracer:
    """Collects events, numbers them, and hands them to the sinks.

    ``deterministic`` drops timings and rewrites paths under ``root`` (the
    working directory by default), so that the same run gives the same bytes
    on every machine: traces can then be golden files in tests and docs.
    ``keep`` keeps the events in :attr:`events` as well.
    """

    def __init__(self, sinks: Sequence[Sink] = (), deterministic: bool = False, root: str | None = None,
                 keep: bool = True) -> None:
        self.sinks = tuple(sinks)
        self.deterministic = deterministic
        if deterministic and root is None:
            root = os.getcwd()
        self.root = os.path.abspath(root) if root else None
        self.keep = keep
        self.events: list[Event] = []
        self.sink_error: BaseException | None = None
        self._seq = 0
        self._runs: list[int] = []  # the runs under way, outermost first
        self._run_count = 0
        self._pid = os.getpid()
        self._t0 = time.perf_counter()
        self._deliver("header", self.header())

    def __repr__(self) -> str:
        return (f"Tracer(sinks={self.sinks!r}, deterministic={self.deterministic!r}, root={self.root!r}, "
                f"keep={self.keep!r}, {len(self.events)} events kept)")

    def header(self) -> dict[str, Any]:
        """The first record of a trace: what produced it, under which profile."""
        impl = sys.implementation
        return {
            "schema": SCHEMA_NAME,
            "schema_version": SCHEMA_VERSION,
            "runpy_ref": __version__,
            "interpreter": {"implementation": impl.name, "version": "%d.%d" % sys.version_info[:2]},
            "profile": active_profile().version,
            "deterministic": self.deterministic,
        }

    def footer(self) -> dict[str, Any]:
        """The last record of a complete trace; a trace cut short by a crash has none."""
        return {"complete": True, "events": self._seq}

    def begin_run(self, record: Record) -> None:
        """A run starts; runs nest when executed code calls runpy_ref again."""
        self._run_count += 1
        self._runs.append(self._run_count)
        self.emit(record)

    def end_run(self, record: Record) -> None:
        self.emit(record)
        if self._runs:
            self._runs.pop()

    def emit(self, record: Record) -> None:
        """Turn a decision record into an event and hand it on at once."""
        if os.getpid() != self._pid:
            return  # a forked child: see the module docstring
        self._seq += 1
        runs = self._runs
        run, parent, depth = (runs[-1], runs[-2] if len(runs) > 1 else None, len(runs) - 1) if runs else (0, None, 0)
        root = self.root if self.deterministic else None
        data = {name: plain(value, relative_to=root) for name, value in record.payload().items()}
        profile = active_profile()
        if profile is not host_profile():  # --as-of another version: which of its rules decided this
            from .rules import rules_applied

            applied = rules_applied(profile, host_profile(), record.behaviours())
            if applied:
                data["as_of"] = applied
        elapsed = None if self.deterministic else round((time.perf_counter() - self._t0) * 1e3, 3)
        event = Event(self._seq, run, parent, depth, record.stage(), record.EVENT, record.behaviours(), data, elapsed)
        if self.keep:
            self.events.append(event)
        self._deliver("event", event)

    def close(self) -> None:
        """The trace is complete: the footer goes to every sink that takes one."""
        if os.getpid() == self._pid:
            self._deliver("footer", self.footer())

    def _deliver(self, method: str, item: Any) -> None:
        """Call ``method`` on every sink that has it; after a failure, on none."""
        for sink in self.sinks:
            if self.sink_error is not None:
                return
            call = getattr(sink, method, None)
            if call is None:
                continue
            try:
                call(item)
            except Exception as exc:
                self.sink_error = exc


def tracing(*sinks: Sink, deterministic: bool = False, root: str | None = None, keep: bool = True) -> _Tracing:
    """Trace every runpy_ref call made inside the ``with`` block.

    The stdlib-compatible signatures of ``run_module`` and ``run_path`` stay
    untouched; tracing is switched on around them instead::

        with runpy_ref.tracing() as tracer:
            runpy_ref.run_module("json.tool", run_name="not_main")
        for event in tracer.events: ...

    The header is written as the block starts and names the profile then in
    force; the footer as it ends normally or by an exception.  If a sink
    failed, :class:`TraceSinkError` is raised when the block ends normally
    (an exception from the block itself takes precedence).
    """
    return _Tracing(Tracer(sinks, deterministic, root, keep))


class _Tracing(scoped):
    """The ``with`` block of :func:`tracing`: its tracer is the active one inside."""

    def __init__(self, tracer: Tracer) -> None:
        super().__init__(active_tracer, tracer)
        self.tracer = tracer

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        super().__exit__(exc_type, exc, tb)
        self.tracer.close()
        error = self.tracer.sink_error
        if exc_type is None and error is not None:
            raise TraceSinkError(f"trace output failed: {error}") from error
