"""Where trace events go: plain text for people, JSON Lines for programs.

Both sinks are pure renderers over :class:`~runpy_ref.trace.Event` values;
neither looks at a live object.  The text sink writes one line per event:
what happened, then *why* in plain words, then the catalogue IDs, so a
student can read a run like a story and look each step up in the docs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import IO, Any

from .trace import Event

__all__ = ["JsonLinesSink", "ListSink", "TextSink", "describe", "render_text"]


def _q(value: Any) -> str:
    return value if isinstance(value, str) and value.startswith("<") else repr(value)


def _count(items: list[Any]) -> int:
    """The length of a list before plain() cut it (its last item says so)."""
    marker = re.fullmatch(r"\.\.\.<(\d+) items>", str(items[-1]))
    return int(marker.group(1)) if marker else len(items)


def _run_started(d: dict[str, Any]) -> tuple[str, str]:
    extra = ""
    if d["api"] == "run_module":
        extra = f", alter_sys={d['alter_sys']}"
    if d["run_name"] is not None:
        extra += f", run_name={d['run_name']!r}"
    if d["init_globals"]:
        extra += f", init_globals with {_count(d['init_globals'])} key(s)"
    return f"{d['api']}({_q(d['target'])}{extra})", "a new run begins"


def _run_finished(d: dict[str, Any]) -> tuple[str, str]:
    what = {"returned": "returned", "exit": f"ended by {d['exception']}"}.get(
        d["outcome"], f"raised {d['exception']}"
    )
    return f"{d['api']} {what}", "end of this run"


def _stage_failed(d: dict[str, Any]) -> tuple[str, str]:
    return f"{d['error_type']}: {d['message']}", f"{d['failed_stage']} could not continue"


def _spec_found(d: dict[str, Any]) -> tuple[str, str]:
    spec = d["spec"]
    kind = "package" if spec["is_package"] else "module"
    return (
        f"found {kind} {d['name']!r} at {spec['origin']} ({spec['loader']})",
        "the import system located it; nothing has run yet",
    )


def _sys_changed(d: dict[str, Any]) -> tuple[str, str]:
    why = "kept for the life of the process" if d["lasting"] else "undone in restore"
    return f"{d['target']}: {_q(d['before'])} -> {_q(d['after'])}", why


def _sys_restored(d: dict[str, Any]) -> tuple[str, str]:
    return (
        f"{d['target']}: {_q(d['before'])} -> {_q(d['after'])}",
        "the caller gets back what it had, even after an exception",
    )


def _globals_built(d: dict[str, Any]) -> tuple[str, str]:
    # __name__ and __package__ are always str or None, so repr() is exact here:
    # a run_name such as '<run_path>' must not read like one of the trace's markers.
    specials = d["specials"]
    shown = ", ".join(
        f"{key}={(value['name'] if isinstance(value, dict) else value)!r}"
        for key, value in specials.items()
        if key in ("__name__", "__package__", "__spec__")
    )
    why = "specials override init_globals"
    if d["overridden"]:
        why += f" (overridden: {', '.join(d['overridden'])})"
    return f"globals: {shown}", why


def _exec_finished(d: dict[str, Any]) -> tuple[str, str]:
    if d["outcome"] == "returned":
        return f"{d['name']!r} ran to the end", "the code returned normally"
    if d["outcome"] == "exit":
        return f"{d['name']!r} called sys.exit({d['exit_code']!r})", "SystemExit propagates to the caller"
    return f"{d['name']!r} raised {d['exception']}", "the exception propagates unchanged"


_TEXT: dict[str, Callable[[dict[str, Any]], tuple[str, str]]] = {
    "run_started": _run_started,
    "run_finished": _run_finished,
    "stage_failed": _stage_failed,
    "parent_imported": lambda d: (
        f"imported parent package {d['package']!r}",
        "parents are imported first, so their own errors show as themselves",
    ),
    "already_imported": lambda d: (
        f"{d['module']!r} is already in sys.modules",
        "RuntimeWarning: the run gets a second, separate copy",
    ),
    "spec_found": _spec_found,
    "package_redirect": lambda d: (
        f"{d['package']!r} is a package, so {d['main']!r} runs instead",
        "a package's __main__ submodule is its entry point",
    ),
    "path_classified": lambda d: (
        f"{_q(d['path'])} is a {d['kind']}",
        "an importer accepts it, so its __main__ will be imported"
        if d["kind"] == "sys.path entry"
        else "no importer accepts it, so it is read as a file",
    ),
    "code_loaded": lambda d: (
        f"code for {d['name']!r} from {d['source']}",
        "this code object is what will run",
    ),
    "globals_built": _globals_built,
    "sys_changed": _sys_changed,
    "exec_started": lambda d: (
        f"executing {d['name']!r} in a {d['namespace']}",
        "the module's own code runs now",
    ),
    "exec_finished": _exec_finished,
    "sys_restored": _sys_restored,
}


def describe(event: Event) -> tuple[str, str]:
    """``(what happened, why)`` for one event, in plain words."""
    return _TEXT[event.event](event.data)


def render_text(event: Event) -> str:
    """One line of the classroom trace."""
    what, why = describe(event)
    ids = f"  [{', '.join(event.behaviours)}]" if event.behaviours else ""
    indent = "  " * event.depth
    return f"{event.seq:>3} {indent}{event.stage:<13} {what} -- {why}{ids}"


class TextSink:
    """Human-readable trace, one line per step, for a classroom or a terminal."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def header(self, header: dict[str, Any]) -> None:
        interp = header["interpreter"]
        self.stream.write(
            f"runpy_ref trace ({interp['implementation']} {interp['version']}, "
            f"profile {header['profile']})\n"
        )
        self.stream.flush()

    def event(self, event: Event) -> None:
        _write_line(self.stream, render_text(event) + "\n", lambda: _escaped(render_text(event)) + "\n")
        self.stream.flush()


_ENCODER = json.JSONEncoder(ensure_ascii=False)
"""One encoder for every line: ``json.dumps`` with an option builds a new one per call."""


class JsonLinesSink:
    """A header record, then one JSON object per event (schema in runpy_ref/schema)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def header(self, header: dict[str, Any]) -> None:
        self._write(header)

    def event(self, event: Event) -> None:
        self._write(event.as_dict())

    def _write(self, record: dict[str, Any]) -> None:
        _write_line(self.stream, _ENCODER.encode(record) + "\n", lambda: json.dumps(record) + "\n")

    def flush(self) -> None:
        """Called once when tracing ends; lines are not flushed one by one."""
        self.stream.flush()


def _write_line(stream: IO[str], line: str, ascii_line: Callable[[], str]) -> None:
    """Write ``line``; if the stream cannot encode it, write its ASCII form.

    A path or argument holding bytes that are not UTF-8 reaches Python as a
    lone surrogate, which a strict UTF-8 file refuses.  The ASCII form keeps
    every character as an escape (``\\udcff``; valid JSON inside a string),
    so the trace stays whole.  The stream encodes a line before buffering it,
    so a refused line has written nothing.
    """
    try:
        stream.write(line)
    except UnicodeEncodeError:
        stream.write(ascii_line())


def _escaped(text: str) -> str:
    return text.encode("ascii", "backslashreplace").decode("ascii")


class ListSink:
    """Keeps header and events in memory (handy in tests and notebooks)."""

    def __init__(self) -> None:
        self.header_record: dict[str, Any] | None = None
        self.events: list[Event] = []

    def header(self, header: dict[str, Any]) -> None:
        self.header_record = header

    def event(self, event: Event) -> None:
        self.events.append(event)
