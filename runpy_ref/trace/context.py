"""What the stages and the pipeline need from the tracer: these names, nothing more.

* :func:`report` hands a decision record to the tracer, if one is active.
* :func:`tracing_on` says whether one is, for the rare value that is worth
  reading only for the trace.
* :func:`failure` makes the error a stage is about to raise, and reports it
  where it is raised, once, with the catalogue IDs the raising code names.
* :func:`report_failure` reports an error a stage lets through unchanged.
* :func:`run_frame` frames one call of ``run_module``, ``run_path`` or
  ``_run_module_as_main`` with ``run_started`` and ``run_finished``.

Untraced, each costs a context-variable lookup.  The tracer is a context
variable so that each thread and each asyncio task has its own: a traced
run in one thread leaves an untraced run in another alone.
"""

from __future__ import annotations

import sys
from contextvars import ContextVar

from .._lean import TYPE_CHECKING
from ..profiles import active_profile
from ..records import RunFinished, RunStarted, StageFailed, init_globals_keys

if TYPE_CHECKING:
    from typing import Any

    from ..records import Record
    from .tracer import Tracer

__all__ = ["active_tracer", "current", "failure", "report", "report_failure", "run_frame", "tracing_on"]

active_tracer: ContextVar[Tracer | None] = ContextVar("runpy_ref_tracer", default=None)
"""The tracer of the enclosing ``with runpy_ref.tracing():`` block, or ``None``."""


def tracing_on() -> bool:
    """True inside ``with runpy_ref.tracing():``."""
    return active_tracer.get() is not None


def report(record: Record) -> Record:
    """Hand ``record`` to the active tracer, if any; return it either way.

    ``return report(SpecFound(name, spec))`` both tells the story and gives
    the pipeline the value it needs.
    """
    tracer = active_tracer.get()
    if tracer is not None:
        tracer.emit(record)
    return record


def failure(error: type[BaseException], message: str, *, stage: str, ids: tuple[str, ...]) -> BaseException:
    """``error(message)``, reported as the ``stage_failed`` event of ``stage``; the caller raises it.

    ``raise failure(error, "Relative module names not supported",
    stage="find_spec", ids=("RM-05", "ERR-06"))``.
    """
    report(StageFailed(stage, error.__name__, message, ids))
    return error(message)


def report_failure(exc: BaseException, *, stage: str, ids: tuple[str, ...]) -> None:
    """Report an error a stage lets through unchanged (a parent package's own failure, say)."""
    if active_tracer.get() is not None:
        from .plain_data import safe_str

        report(StageFailed(stage, type(exc).__name__, safe_str(exc), ids))


def run_frame(api: str, target: Any, run_name: Any = None, alter_sys: bool | None = None,
              init_globals: Any = None) -> _RunFrame | _NoFrame:
    """A ``with`` block that reports ``run_started`` on entry and ``run_finished`` on every way out."""
    tracer = active_tracer.get()
    if tracer is None:
        return _NO_FRAME
    from .plain_data import safe_repr  # loaded only while tracing

    keys = None
    if init_globals is not None:
        keys = tuple(key if isinstance(key, str) else safe_repr(key) for key in init_globals_keys(init_globals))
    started = RunStarted(api, target, run_name, alter_sys, keys, active_profile().version)
    return _RunFrame(tracer, started)


class _RunFrame:
    def __init__(self, tracer: Tracer, started: RunStarted) -> None:
        self.tracer = tracer
        self.started = started

    def __enter__(self) -> None:
        self.tracer.begin_run(self.started)

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        api = self.started.api
        if exc_type is None:
            finished = RunFinished(api, "returned")
        elif isinstance(exc, SystemExit):
            from .plain_data import safe_repr

            code = safe_repr(exc.code, limit=sys.maxsize)  # the tracer bounds the whole text, once
            finished = RunFinished(api, "exit", f"SystemExit({code})")
        else:
            finished = RunFinished(api, "raised", exc_type.__name__)
        self.tracer.end_run(finished)  # the exception, if any, propagates unchanged


class _NoFrame:
    """The frame of an untraced run: a ``with`` block that does nothing."""

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc_info: object) -> None:
        pass


_NO_FRAME = _NoFrame()


def current() -> Tracer | None:
    """The active tracer, or ``None`` when tracing is off."""
    return active_tracer.get()
