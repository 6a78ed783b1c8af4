"""Where trace events go: plain text for people, JSON Lines for programs.

Both sinks are pure renderers over :class:`~runpy_ref.trace.Event` values;
neither looks at a live object.  The text sink writes one line per event:
what happened, then *why* in plain words, then the catalogue IDs, so a
student can read a run like a story and look each step up in the docs.
"""

from __future__ import annotations

from .trace import Event

TYPE_CHECKING = False
if TYPE_CHECKING:  # names for annotations only: typing and re would cost every traced start-up
    from collections.abc import Callable
    from typing import IO, Any

__all__ = ["JsonLinesSink", "ListSink", "TextSink", "describe", "render_text"]


def _q(value: Any) -> str:
    return value if isinstance(value, str) and value.startswith("<") else repr(value)


def _count(items: list[Any]) -> int:
    """The length of a list before plain() cut it (its last item says so)."""
    last = str(items[-1])
    if last.startswith("...<") and last.endswith(" items>") and last[4:-7].isdigit():
        return int(last[4:-7])
    return len(items)


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


class _JsonWriter:
    """Plain data to JSON text, with one encoder built once and reused for every line.

    ``json.JSONEncoder.encode`` builds a new C encoder on every call, which
    costs a traced run more than writing its lines; and ``import json``
    imports ``re`` (for its decoder), which on 3.13 is most of the start-up
    of ``python -m runpy_ref --trace-format json``.  So the sink asks
    ``_json``, the C module behind :mod:`json`, for one encoder with json's
    default separators (``ensure_ascii=False``), and imports :mod:`json`
    itself only where ``_json`` is missing.  The text is the same either way.
    """

    def __init__(self) -> None:
        self._words: dict[tuple[str, str, tuple[str, ...]], str] = {}
        try:
            from _json import encode_basestring, make_encoder
        except ImportError:  # other Pythons: the json module, at its own pace
            import json

            self.text = self.value = json.JSONEncoder(ensure_ascii=False).encode
            return
        self.text = encode_basestring
        # (markers, default, quote, indent, key_sep, item_sep, sort_keys, skipkeys, allow_nan): no
        # circularity or nan checks, because plain() has removed cycles, live objects and nan already.
        encoder = make_encoder(None, None, encode_basestring, None, ": ", ", ", False, False, True)
        self.value = lambda value: "".join(encoder(value, 0))

    def event_line(self, event: Event) -> str:
        """``event.as_dict()`` as one line; the envelope's fixed keys are written directly."""
        seq, run, parent, depth, stage, name, ids, data, time_ms = event
        words = self._words.get((stage, name, ids))
        if words is None:
            words = self._stage_event_behaviours(stage, name, ids)
        parent = "null" if parent is None else int(parent)
        time_ms = "" if time_ms is None else f', "time_ms": {float(time_ms)!r}'
        return f'{{"seq": {seq:d}, "run": {run:d}, "parent": {parent}, "depth": {depth:d}, {words}, ' \
            f'"data": {self.value(data)}{time_ms}}}\n'

    def _stage_event_behaviours(self, stage: str, name: str, ids: tuple[str, ...]) -> str:
        """The middle of the envelope, from a small vocabulary: written once, then looked up."""
        text = self.text
        words = '"stage": %s, "event": %s, "behaviours": [%s]' % (
            text(stage), text(name), ", ".join([text(item) for item in ids])
        )
        if len(self._words) < 1024:  # a closed vocabulary; the bound is for exotic callers
            self._words[(stage, name, ids)] = words
        return words


_JSON = _JsonWriter()


def _ascii_json(text: str) -> str:
    """JSON text with every non-ASCII character written as a ``\\uXXXX`` escape.

    Outside its strings, JSON text is ASCII, so escaping wherever a
    non-ASCII character occurs gives the text ``ensure_ascii=True`` would
    have written: characters beyond U+FFFF as a surrogate pair, a lone
    surrogate (undecodable bytes in a path) as itself.
    """
    if text.isascii():
        return text
    return "".join([char if char < "\x80" else _u_escape(ord(char)) for char in text])


def _u_escape(code: int) -> str:
    if code <= 0xFFFF:
        return "\\u%04x" % code
    code -= 0x10000
    return "\\u%04x\\u%04x" % (0xD800 | code >> 10, 0xDC00 | code & 0x3FF)


class JsonLinesSink:
    """A header record, then one JSON object per event (schema in runpy_ref/schema).

    On a stream that shows each write at once (``sys.stderr``, a terminal:
    write-through or line-buffered) each line is written as its event
    happens, so the trace of a program that dies mid-run still shows how far
    it got.  Any other stream (a trace file) buffers its writes anyway, so
    there the sink hands over a run's lines in one ``write`` when the
    outermost run ends, and the rest when tracing ends: one call per run
    instead of one per event.
    """

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self._lines: list[str] = []
        # sys.stderr is write-through (3.9+), a terminal line-buffered; a file opened for a trace is neither.
        shows_at_once = getattr(stream, "line_buffering", False) or getattr(stream, "write_through", False)
        self._per_line = bool(shows_at_once)

    def header(self, header: dict[str, Any]) -> None:
        self._lines.append(_JSON.value(header) + "\n")
        self._write_pending()

    def event(self, event: Event) -> None:
        self._lines.append(_JSON.event_line(event))
        if self._per_line or (event[5] == "run_finished" and event[3] == 0):  # event.event, event.depth
            self._write_pending()

    def flush(self) -> None:
        """Called once when tracing ends; lines are not flushed one by one."""
        self._write_pending()
        self.stream.flush()

    def _write_pending(self) -> None:
        lines, self._lines = self._lines, []
        try:
            self.stream.write("".join(lines))
        except UnicodeEncodeError:  # a line holds text the stream refuses: write them one by one
            for line in lines:
                _write_line(self.stream, line, lambda line=line: _ascii_json(line))


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
