"""Structured trace events: the story of a run, as plain data.

Every stage of the pipeline reports what it decided as an :class:`Event`.
Three rules shape this module:

* **Plain data only.**  An event holds strings, numbers, booleans, ``None``,
  lists and dicts, never a live module, spec or code object, so a trace can be
  serialised, compared and kept after the run without keeping the run alive.
  :func:`plain` does the conversion; its reprs are *safe* (a raising
  ``__repr__`` becomes a marker, not a crash) and *bounded* (long text is cut
  with an explicit marker and the original length).
* **A closed vocabulary.**  :data:`STAGES` and :data:`EVENTS` list every name
  an event may carry; the JSON schema shipped in ``runpy_ref/schema`` repeats
  them, and the tests check that the two agree.
* **Observation never changes behaviour.**  When tracing is off the pipeline
  pays one context-variable lookup per step.  When a sink fails (a full disk,
  a closed pipe) the tracer stops writing, remembers the error and lets the
  run finish as it would have untraced; :func:`tracing` raises
  :class:`TraceSinkError` afterwards.
"""

from __future__ import annotations

import contextvars
import itertools
import math
import os
import re
import sys
import time
import types
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from typing import Any, Protocol

from .profiles import Profile, host_profile

__all__ = [
    "EVENTS",
    "SCHEMA_NAME",
    "SCHEMA_VERSION",
    "STAGES",
    "Event",
    "Record",
    "Sink",
    "TraceSinkError",
    "Tracer",
    "current",
    "plain",
    "safe_repr",
    "tracing",
]

SCHEMA_NAME = "runpy_ref.trace"
SCHEMA_VERSION = 1

STAGES = ("run", "find_spec", "pick_main", "build_globals", "alter_sys", "exec", "restore")
"""The stages, in the order ``run_module`` visits them; ``run`` frames a run."""

EVENTS: dict[str, str] = {
    "run_started": "run",
    "run_finished": "run",
    "stage_failed": "*",
    "parent_imported": "find_spec",
    "already_imported": "find_spec",
    "spec_found": "find_spec",
    "package_redirect": "pick_main",
    "path_classified": "pick_main",
    "code_loaded": "pick_main",
    "globals_built": "build_globals",
    "sys_changed": "alter_sys",
    "exec_started": "exec",
    "exec_finished": "exec",
    "sys_restored": "restore",
}
"""Every event name, mapped to the stage that emits it (``*``: any stage)."""

REPR_LIMIT = 160
LIST_LIMIT = 24
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


class TraceSinkError(RuntimeError):
    """A sink failed while the trace was written; the run itself went on."""


class Sink(Protocol):
    """Where events go.  Sinks receive the header once, then each event."""

    def header(self, header: dict[str, Any]) -> None: ...

    def event(self, event: Event) -> None: ...


@dataclass(frozen=True)
class Event:
    """One step of the story.

    ``run`` numbers the run (a ``run_module`` called from inside executed
    code starts run 2 with ``parent`` 1 and ``depth`` 1), ``seq`` orders all
    events of a trace, and ``behaviours`` names the catalogue entries the
    step implements.
    """

    seq: int
    run: int
    parent: int | None
    depth: int
    stage: str
    event: str
    behaviours: tuple[str, ...]
    data: dict[str, Any]
    time_ms: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """The event as one JSON Lines record (key order is part of the schema)."""
        out: dict[str, Any] = {
            "seq": self.seq,
            "run": self.run,
            "parent": self.parent,
            "depth": self.depth,
            "stage": self.stage,
            "event": self.event,
            "behaviours": list(self.behaviours),
            "data": self.data,
        }
        if self.time_ms is not None:
            out["time_ms"] = self.time_ms
        return out


class Record:
    """Base of the decision records (see :mod:`runpy_ref.records`).

    A record is what a stage decided.  The pipeline acts on it, and the
    tracer turns it into an event: ``EVENT`` and ``STAGE`` name the event,
    ``BEHAVIOURS`` the catalogue entries, and the dataclass fields become the
    event data (fields with ``metadata={"trace": False}`` are left out: they
    carry live objects the payload already describes).
    """

    EVENT: str = ""
    STAGE: str = ""
    BEHAVIOURS: tuple[str, ...] = ()

    def behaviours(self) -> tuple[str, ...]:
        """Catalogue IDs for this instance; subclasses refine by content."""
        return self.BEHAVIOURS

    def payload(self) -> dict[str, Any]:
        """Field name to value, before conversion to plain data."""
        return {name: getattr(self, name) for name in _traced_fields(type(self))}


_TRACED_FIELDS: dict[type, tuple[str, ...]] = {}


def _traced_fields(cls: type) -> tuple[str, ...]:
    """The names of ``cls``'s traced fields, looked up once per class.

    ``dataclasses.fields()`` rebuilds its answer on every call; a traced run
    asks for every event, so the answer is kept here.
    """
    names = _TRACED_FIELDS.get(cls)
    if names is None:
        names = tuple(f.name for f in fields(cls) if f.metadata.get("trace", True))  # type: ignore[arg-type]
        _TRACED_FIELDS[cls] = names
    return names


# -- plain data -------------------------------------------------------------


def safe_repr(value: object, limit: int = REPR_LIMIT) -> str:
    """``repr(value)`` that never raises and never runs long.

    A raising ``__repr__`` is reported as a marker naming the exception, so
    a hostile object in ``init_globals`` cannot break tracing.
    """
    return _bounded(_repr_text(value), limit)


def _repr_text(value: object) -> str:
    """``repr(value)``, or a marker naming the exception ``__repr__`` raised."""
    try:
        return repr(value)
    except Exception as exc:
        return f"<{type(value).__qualname__} object; repr raised {type(exc).__name__}>"


def _bounded(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}...<{len(text)} chars>"


def _describe_spec(spec: Any, convert: Any) -> dict[str, Any]:
    locations = spec.submodule_search_locations
    return {
        "name": convert(spec.name),
        "origin": convert(spec.origin),
        "loader": _type_name(spec.loader),
        "parent": convert(spec.parent),
        "is_package": locations is not None,
        "cached": convert(getattr(spec, "cached", None)),
    }


def _type_name(value: object) -> str | None:
    return None if value is None else type(value).__qualname__


def plain(value: Any, *, relative_to: str | None = None, limit: int = REPR_LIMIT) -> Any:
    """Convert ``value`` to JSON-ready data, describing live objects.

    Specs become small dicts, loaders their type name, modules and code
    objects a short label, anything else a safe, bounded repr.  With
    ``relative_to``, absolute paths under that root are written ``<root>/…``,
    the interpreter's path ``<python>``, and memory addresses are blanked,
    which is what deterministic mode needs.

    The result is built only from the exact types ``json`` writes (subclasses
    of ``str``/``int``/``float`` are copied down to them), stays valid strict
    JSON (``nan`` and ``inf`` become strings) and never raises: an object
    whose ``__repr__``, ``__str__`` or ``__getattr__`` raises is described by
    a marker instead.
    """

    def convert(v: Any) -> Any:
        if type(v) is str:  # the commonest case first: names, paths, messages
            return _bounded(_relative(v, relative_to), limit)
        if v is None or v is True or v is False:
            return v
        if isinstance(v, int):
            number = int.__int__(v)
            return number if number.bit_length() <= _INT_BITS else f"<int of {number.bit_length()} bits>"
        if isinstance(v, float):
            number = float.__float__(v)
            return number if math.isfinite(number) else repr(number)
        if isinstance(v, str):
            return _bounded(_relative(str.__str__(v), relative_to), limit)
        if isinstance(v, (list, tuple)):
            items = [convert(item) for item in v[:LIST_LIMIT]]
            if len(v) > LIST_LIMIT:
                items.append(f"...<{len(v)} items>")
            return items
        if isinstance(v, dict):
            out = {_key(k): convert(item) for k, item in itertools.islice(v.items(), LIST_LIMIT)}
            if len(v) > LIST_LIMIT:
                out["..."] = f"...<{len(v)} items>"
            return out
        try:
            return describe(v)
        except Exception:  # a hostile __getattr__ (hasattr lets non-AttributeErrors through)
            return convert(_repr_text(v))

    def describe(v: Any) -> Any:
        if hasattr(v, "submodule_search_locations") and hasattr(v, "origin"):
            return _describe_spec(v, convert)
        if isinstance(v, types.CodeType):
            return f"<code {v.co_name} from {convert(v.co_filename)}>"
        if type(v).__name__.endswith(("Loader", "Importer", "importer")):
            return f"<{type(v).__qualname__}>"
        return convert(_repr_text(v))  # modules, paths, bytes, anything else: bounded once

    def _key(k: Any) -> str:
        return convert(k if isinstance(k, str) else _repr_text(k))

    return convert(value)


_INT_BITS = 1024
"""Larger ints are described, not written: ``str()`` of a huge int raises on 3.11+."""


def _relative(text: str, root: str | None) -> str:
    """Write paths under ``root`` as ``<root>/...`` and blank memory addresses.

    A match must start a path (not follow a name character or another path
    component), so that ``root="/"`` rewrites ``/usr/lib`` once, not at every
    slash; the bare root inside a message (``... in '/the/root'``) becomes
    ``<root>``.  The interpreter's own path (``sys.executable``, which
    ``python -m`` puts in its one-line errors) is written ``<python>``: it
    differs from machine to machine as much as the root does.  So do
    runpy_ref's own files when the root is elsewhere (``python -m runpy_ref``
    shows its ``__main__.py`` in ``sys.argv``): they are written ``<runpy_ref>/...``.
    """
    if not root:
        return text
    if text == root:
        return "<root>"
    if sys.executable and sys.executable in text:
        text = text.replace(sys.executable, "<python>")
    if root in text:
        starts_path = r"(?<![\w.~/>-])"
        prefix = root.rstrip(os.sep) + os.sep
        text = re.sub(starts_path + re.escape(prefix), "<root>/", text)
        text = re.sub(starts_path + re.escape(root) + r"(?=['\"\s,;:)\]>]|$)", "<root>", text)
    if _PACKAGE_DIR in text:
        text = re.sub(r"(?<![\w.~/>-])" + re.escape(_PACKAGE_DIR + os.sep), "<runpy_ref>/", text)
    return _ADDRESS.sub(" at 0x...", text)


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
"""runpy_ref's own directory, as ``<runpy_ref>`` in deterministic traces."""


# -- the tracer ---------------------------------------------------------------


@dataclass
class Tracer:
    """Collects events, numbers them, and hands them to the sinks.

    ``deterministic`` drops timestamps and rewrites paths under ``root`` so
    that the same run gives the same bytes on every machine: traces can then
    be golden files in tests and docs.
    """

    sinks: Sequence[Sink] = ()
    deterministic: bool = False
    root: str | None = None
    profile: Profile = field(default_factory=host_profile)
    keep: bool = True
    events: list[Event] = field(default_factory=list)
    sink_error: BaseException | None = None
    _seq: int = 0
    _runs: int = 0
    _stack: list[int] = field(default_factory=list)
    _t0: float = field(default_factory=time.perf_counter)

    def __post_init__(self) -> None:
        if self.deterministic and self.root is None:
            self.root = os.getcwd()
        if self.root:
            self.root = os.path.abspath(self.root)
        self._broadcast("header", self.header())

    def header(self) -> dict[str, Any]:
        """The first JSON Lines record: what produced this trace."""
        from . import __version__

        impl = sys.implementation
        return {
            "schema": SCHEMA_NAME,
            "schema_version": SCHEMA_VERSION,
            "runpy_ref": __version__,
            "interpreter": {
                "implementation": impl.name,
                "version": "%d.%d" % sys.version_info[:2],
            },
            "profile": self.profile.version,
            "deterministic": self.deterministic,
        }

    # Runs nest: executed code may call run_module again.
    def begin_run(self, record: Record) -> None:
        self._runs += 1
        self._stack.append(self._runs)
        self.emit(record)

    def end_run(self, record: Record) -> None:
        self.emit(record)
        if self._stack:
            self._stack.pop()

    def emit(self, record: Record, stage: str | None = None) -> None:
        """Turn a decision record into an event and deliver it."""
        self._seq += 1
        run = self._stack[-1] if self._stack else 0
        parent = self._stack[-2] if len(self._stack) > 1 else None
        root = self.root if self.deterministic else None
        data = plain(record.payload(), relative_to=root)
        elapsed = None if self.deterministic else round((time.perf_counter() - self._t0) * 1e3, 3)
        event = Event(
            seq=self._seq,
            run=run,
            parent=parent,
            depth=max(len(self._stack) - 1, 0),
            stage=stage or record.STAGE,
            event=record.EVENT,
            behaviours=record.behaviours(),
            data=data,
            time_ms=elapsed,
        )
        if self.keep:
            self.events.append(event)
        self._broadcast("event", event)

    def flush(self) -> None:
        """Flush sinks that buffer (called when :func:`tracing` ends)."""
        for sink in self.sinks:
            if hasattr(sink, "flush"):
                self._broadcast_one(sink, "flush", None)

    def _broadcast_one(self, sink: Any, method: str, item: Any) -> None:
        if self.sink_error is not None:
            return
        try:
            getattr(sink, method)() if item is None else getattr(sink, method)(item)
        except Exception as exc:
            self.sink_error = exc

    def _broadcast(self, method: str, item: Any) -> None:
        if self.sink_error is not None:
            return
        for sink in self.sinks:
            try:
                getattr(sink, method)(item)
            except Exception as exc:
                self.sink_error = exc
                return


_current: contextvars.ContextVar[Tracer | None] = contextvars.ContextVar(
    "runpy_ref_tracer", default=None
)


def current() -> Tracer | None:
    """The active tracer, or ``None`` when tracing is off (the fast path)."""
    return _current.get()


@contextmanager
def tracing(
    *sinks: Sink,
    deterministic: bool = False,
    root: str | None = None,
    profile: Profile | None = None,
    keep: bool = True,
) -> Iterator[Tracer]:
    """Trace every runpy_ref call made inside the ``with`` block.

    The stdlib-compatible signatures of ``run_module`` and ``run_path`` stay
    untouched; tracing is switched on around them instead::

        with runpy_ref.tracing() as tracer:
            runpy_ref.run_module("json.tool", run_name="not_main")
        for event in tracer.events: ...

    If a sink failed, :class:`TraceSinkError` is raised when the block ends
    normally (an exception from the block itself takes precedence).
    """
    tracer = Tracer(
        sinks=sinks,
        deterministic=deterministic,
        root=root,
        profile=profile or host_profile(),
        keep=keep,
    )
    token = _current.set(tracer)
    try:
        yield tracer
    finally:
        _current.reset(token)
        tracer.flush()
    if tracer.sink_error is not None:
        error = tracer.sink_error
        raise TraceSinkError(f"trace output failed: {error}") from error
