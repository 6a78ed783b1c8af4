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

import os
import sys
import time
import types

from .profiles import Profile, host_profile
from .records import Frozen, Record
from .stages import _current

TYPE_CHECKING = False
if TYPE_CHECKING:  # names for annotations only: importing typing costs python -m runpy_ref
    from collections.abc import Sequence
    from typing import Any, Protocol
else:
    Protocol = object  # Sink documents an interface; sinks need not inherit from it

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


class TraceSinkError(RuntimeError):
    """A sink failed while the trace was written; the run itself went on."""


class Sink(Protocol):
    """Where events go.  Sinks receive the header once, then each event."""

    def header(self, header: dict[str, Any]) -> None: ...

    def event(self, event: Event) -> None: ...


def _field(index: int) -> Any:
    """A read-only attribute for item ``index`` of a tuple-based record."""
    return property(lambda record: tuple.__getitem__(record, index))


class Event(Frozen, tuple):
    """One step of the story.

    ``run`` numbers the run (a ``run_module`` called from inside executed
    code starts run 2 with ``parent`` 1 and ``depth`` 1), ``seq`` orders all
    events of a trace, and ``behaviours`` names the catalogue entries the
    step implements.

    An event is also a tuple of its fields in ``FIELDS`` order, like a
    :func:`~collections.namedtuple`: a traced run makes one per step, and a
    tuple is built in one call where a record with slots needs one call per
    field.  A sink can unpack it in one step.
    """

    FIELDS = ("seq", "run", "parent", "depth", "stage", "event", "behaviours", "data", "time_ms")
    __slots__ = ()
    seq: int = _field(0)
    run: int = _field(1)
    parent: int | None = _field(2)
    depth: int = _field(3)
    stage: str = _field(4)
    event: str = _field(5)
    behaviours: tuple[str, ...] = _field(6)
    data: dict[str, Any] = _field(7)
    time_ms: float | None = _field(8)

    def __new__(
        cls,
        seq: int,
        run: int,
        parent: int | None,
        depth: int,
        stage: str,
        event: str,
        behaviours: tuple[str, ...],
        data: dict[str, Any],
        time_ms: float | None = None,
    ) -> Event:
        return tuple.__new__(cls, (seq, run, parent, depth, stage, event, behaviours, data, time_ms))

    def __eq__(self, other: object) -> bool:
        # Only another Event can be equal: not a plain tuple of the same fields.
        if type(other) is not type(self):
            return False if isinstance(other, tuple) else NotImplemented
        return tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = Frozen.__hash__  # (defining __eq__ would otherwise drop it)

    def as_dict(self) -> dict[str, Any]:
        """The event as one JSON Lines record (key order is part of the schema)."""
        seq, run, parent, depth, stage, event, behaviours, data, time_ms = self
        out: dict[str, Any] = {
            "seq": seq,
            "run": run,
            "parent": parent,
            "depth": depth,
            "stage": stage,
            "event": event,
            "behaviours": list(behaviours),
            "data": data,
        }
        if time_ms is not None:
            out["time_ms"] = time_ms
        return out


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


def _describe_spec(spec: Any, root: str | None, limit: int) -> dict[str, Any]:
    locations = spec.submodule_search_locations
    return {
        "name": _convert(spec.name, root, limit),
        "origin": _convert(spec.origin, root, limit),
        "loader": _type_name(spec.loader),
        "parent": _convert(spec.parent, root, limit),
        "is_package": locations is not None,
        "cached": _convert(getattr(spec, "cached", None), root, limit),
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
    return _convert(value, relative_to or None, limit)


def _convert(v: Any, root: str | None, limit: int, depth: int = 0) -> Any:
    """:func:`plain` for one value; the common exact types are tested first, cheaply."""
    kind = type(v)
    if kind is str:  # the commonest case: names, paths, messages
        if root is not None:
            v = _relative(v, root)
        return v if len(v) <= limit else _bounded(v, limit)
    if v is None or v is True or v is False:
        return v
    if kind is dict:
        return _convert_dict(v, root, limit, depth)
    if kind is list or kind is tuple:
        return _convert_list(v, root, limit, depth)
    if kind is _ModuleSpec:  # every traced run describes one
        return _describe_spec(v, root, limit)
    if kind is int or kind is float or isinstance(v, (int, float, str, list, tuple, dict)):
        return _convert_number_or_subclass(v, root, limit, depth)
    try:
        return _describe(v, root, limit)
    except Exception:  # a hostile __getattr__ (hasattr lets non-AttributeErrors through)
        return _convert(_repr_text(v), root, limit)


def _convert_number_or_subclass(v: Any, root: str | None, limit: int, depth: int) -> Any:
    """Numbers, and subclasses of the JSON types copied down to the exact type."""
    if isinstance(v, int):
        number = int.__int__(v)
        return number if number.bit_length() <= _INT_BITS else f"<int of {number.bit_length()} bits>"
    if isinstance(v, float):
        number = float.__float__(v)
        return number if number - number == 0.0 else repr(number)  # nan and inf fail this test
    if isinstance(v, str):
        return _convert(str.__str__(v), root, limit)
    if isinstance(v, (list, tuple)):
        return _convert_list(v, root, limit, depth)
    return _convert_dict(v, root, limit, depth)


def _convert_list(v: Any, root: str | None, limit: int, depth: int = 0) -> Any:
    """A list or tuple, cut after ``LIST_LIMIT`` items with a marker saying how many there were."""
    if depth >= DEPTH_LIMIT:  # also what stops a list that contains itself
        return f"<{type(v).__name__} nested deeper than {DEPTH_LIMIT}>"
    if not v:
        return []
    items = [_convert(item, root, limit, depth + 1) for item in v[:LIST_LIMIT]]
    if len(v) > LIST_LIMIT:
        items.append(f"...<{len(v)} items>")
    return items


def _convert_dict(v: Any, root: str | None, limit: int, depth: int = 0) -> Any:
    """A dict with text keys, cut after ``LIST_LIMIT`` items like a list."""
    if depth >= DEPTH_LIMIT:
        return f"<{type(v).__name__} nested deeper than {DEPTH_LIMIT}>"
    items = v.items() if len(v) <= LIST_LIMIT else list(v.items())[:LIST_LIMIT]
    out = {}
    for key, item in items:  # short text and None, the commonest keys and values, are plain already
        if type(key) is not str or root is not None or len(key) > limit:
            key = _plain_key(key, root, limit)
        if item is not None and (type(item) is not str or root is not None or len(item) > limit):
            item = _convert(item, root, limit, depth + 1)
        out[key] = item
    if len(v) > LIST_LIMIT:
        out["..."] = f"...<{len(v)} items>"
    return out


def _plain_key(key: Any, root: str | None, limit: int) -> str:
    """A dict key as text: bounded, rewritten in deterministic mode, a repr if it is not text."""
    return _convert(key if isinstance(key, str) else _repr_text(key), root, limit)


def _describe(v: Any, root: str | None, limit: int) -> Any:
    """A live object as a short description: specs, code objects, loaders; else its repr."""
    kind = type(v)  # (the import system's own specs never get here: _convert describes them first)
    if kind is types.CodeType:
        return f"<code {v.co_name} from {_convert(v.co_filename, root, limit)}>"
    if kind.__name__.endswith(("Loader", "Importer", "importer")):  # before the duck test: cheaper
        return f"<{kind.__qualname__}>"
    if hasattr(v, "submodule_search_locations") and hasattr(v, "origin"):  # a spec of another class
        return _describe_spec(v, root, limit)
    return _convert(_repr_text(v), root, limit)  # modules, paths, bytes, anything else: bounded once


_ModuleSpec = type(sys.__spec__)
"""The import system's spec class; the duck test in :func:`_describe` accepts look-alikes too."""


DEPTH_LIMIT = 8
"""Containers nested deeper are described, not walked (a list may contain itself)."""

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
    import re  # deterministic mode only: an ordinary run need not import re

    if root in text:
        starts_path = r"(?<![\w.~/>-])"
        prefix = root.rstrip(os.sep) + os.sep
        text = re.sub(starts_path + re.escape(prefix), "<root>/", text)
        text = re.sub(starts_path + re.escape(root) + r"(?=['\"\s,;:)\]>]|$)", "<root>", text)
    if _PACKAGE_DIR in text:
        text = re.sub(r"(?<![\w.~/>-])" + re.escape(_PACKAGE_DIR + os.sep), "<runpy_ref>/", text)
    return re.sub(r" at 0x[0-9a-fA-F]+", " at 0x...", text) if " at 0x" in text else text


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
"""runpy_ref's own directory, as ``<runpy_ref>`` in deterministic traces."""


# -- the tracer ---------------------------------------------------------------


class Tracer:
    """Collects events, numbers them, and hands them to the sinks.

    ``deterministic`` drops timestamps and rewrites paths under ``root`` so
    that the same run gives the same bytes on every machine: traces can then
    be golden files in tests and docs.
    """

    def __init__(
        self,
        sinks: Sequence[Sink] = (),
        deterministic: bool = False,
        root: str | None = None,
        profile: Profile | None = None,
        keep: bool = True,
    ) -> None:
        self.sinks = sinks
        self.deterministic = deterministic
        if deterministic and root is None:
            root = os.getcwd()
        self.root = os.path.abspath(root) if root else root
        self.profile = host_profile() if profile is None else profile
        self.keep = keep
        self.events: list[Event] = []
        self.sink_error: BaseException | None = None
        self._seq = 0
        self._runs = 0
        self._stack: list[int] = []
        self._where = self._position()
        self._root = self.root if deterministic else None  # paths are rewritten in deterministic mode only
        self._deliver = [sink.event for sink in sinks]
        self._t0 = _clock()
        self._broadcast_header()

    def __repr__(self) -> str:
        return (
            f"Tracer(sinks={self.sinks!r}, deterministic={self.deterministic!r}, root={self.root!r}, "
            f"profile={self.profile.version!r}, keep={self.keep!r}, {len(self.events)} events kept)"
        )

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
        self._where = self._position()
        self.emit(record)

    def end_run(self, record: Record) -> None:
        self.emit(record)
        if self._stack:
            self._stack.pop()
        self._where = self._position()

    def _position(self) -> tuple[int, int | None, int]:
        """``(run, parent, depth)``: the same for every event until a run begins or ends."""
        runs = self._stack
        if not runs:
            return 0, None, 0
        return runs[-1], runs[-2] if len(runs) > 1 else None, len(runs) - 1

    def emit(self, record: Record, stage: str | None = None) -> None:
        """Turn a decision record into an event and deliver it."""
        self._seq += 1
        run, parent, depth = self._where
        root = self._root
        data = record.payload()  # a fresh dict: its values are converted to plain data in place
        for name, value in data.items():
            if value is not None and (type(value) is not str or len(value) > REPR_LIMIT or root is not None):
                data[name] = _convert(value, root, REPR_LIMIT)  # (short text and None are plain already)
        elapsed = None if self.deterministic else int((_clock() - self._t0) * 1e6) / 1e3  # whole µs
        event = _new_event(Event, (  # Event(...), without the Python frame of its __new__
            self._seq, run, parent, depth, stage or record.STAGE, record.EVENT, record.behaviours(),
            data, elapsed,
        ))
        if self.keep:
            self.events.append(event)
        if self.sink_error is None:
            for deliver in self._deliver:
                try:
                    deliver(event)
                except Exception as exc:
                    self.sink_error = exc
                    return

    def flush(self) -> None:
        """Flush sinks that buffer (called when :func:`tracing` ends); not after a failure."""
        for sink in self.sinks:
            if self.sink_error is None and hasattr(sink, "flush"):
                self._call(sink.flush)

    def _broadcast_header(self) -> None:
        header = self.header()
        for sink in self.sinks:
            if self.sink_error is None:
                self._call(sink.header, header)

    def _call(self, method: Any, *args: Any) -> None:
        """A sink's method; its failure is remembered, and no sink is called after one."""
        try:
            method(*args)
        except Exception as exc:
            self.sink_error = exc


_clock = time.perf_counter
_new_event = tuple.__new__


def current() -> Tracer | None:
    """The active tracer, or ``None`` when tracing is off (the fast path)."""
    return _current.get()


def tracing(
    *sinks: Sink,
    deterministic: bool = False,
    root: str | None = None,
    profile: Profile | None = None,
    keep: bool = True,
) -> _Tracing:
    """Trace every runpy_ref call made inside the ``with`` block.

    The stdlib-compatible signatures of ``run_module`` and ``run_path`` stay
    untouched; tracing is switched on around them instead::

        with runpy_ref.tracing() as tracer:
            runpy_ref.run_module("json.tool", run_name="not_main")
        for event in tracer.events: ...

    If a sink failed, :class:`TraceSinkError` is raised when the block ends
    normally (an exception from the block itself takes precedence).
    """
    return _Tracing(sinks, deterministic, root, profile, keep)


class _Tracing:
    """The ``with`` block of :func:`tracing`: a new tracer is the active one inside it.

    A small class rather than :func:`contextlib.contextmanager`, which
    ``python -m runpy_ref`` would have to import (CPython's runpy writes its
    context managers the same way).
    """

    def __init__(
        self, sinks: Sequence[Sink], deterministic: bool, root: str | None, profile: Profile | None,
        keep: bool,
    ) -> None:
        self._args = (sinks, deterministic, root, profile or host_profile(), keep)
        self.tracer: Tracer | None = None
        self._token: Any = None

    def __enter__(self) -> Tracer:
        self.tracer = Tracer(*self._args)  # the header is written now, as the block starts
        self._token = _current.set(self.tracer)
        return self.tracer

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        tracer = self.tracer
        assert tracer is not None
        try:
            _current.reset(self._token)
        finally:
            tracer.flush()
        if exc_type is None and tracer.sink_error is not None:
            error = tracer.sink_error
            raise TraceSinkError(f"trace output failed: {error}") from error
