"""Where trace events go: plain text for people, JSON Lines for programs, a list for tests.

Every sink receives the header once, each event as it happens, and the
footer when the trace ends normally; a trace without its footer was cut
short (the program died by ``os._exit``, a signal or a crash).  The stream
sinks write each record through as it comes, so such a trace still holds
every event before the death.  Neither looks at a live object: events are
plain data already.
"""

from __future__ import annotations

import os

from ._lean import TYPE_CHECKING, json_text_encoder

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import IO, Any

    from .trace.events import Event

__all__ = ["JsonLinesSink", "ListSink", "TextSink", "describe", "render_text"]


def _q(value: Any) -> str:
    """A value as the trace shows it: markers such as ``<absent>`` bare, the rest as repr."""
    return value if isinstance(value, str) and value.startswith("<") else repr(value)


def _count(items: list[Any]) -> int:
    """The length of a list before plain() cut it (its last item says so)."""
    last = str(items[-1]) if items else ""
    if last.startswith("...<") and last.endswith(" items>") and last[4:-7].isdigit():
        return int(last[4:-7])
    return len(items)


def _run_started(d: dict[str, Any]) -> tuple[str, str]:
    extra = f", alter_sys={d['alter_sys']}" if d["api"] == "run_module" else ""
    if d["run_name"] is not None:
        extra += f", run_name={d['run_name']!r}"
    if d["init_globals"]:
        extra += f", init_globals with {_count(d['init_globals'])} key(s)"
    return f"{d['api']}({_q(d['target'])}{extra})", "a new run begins"


def _run_finished(d: dict[str, Any]) -> tuple[str, str]:
    if d["outcome"] == "returned":
        return f"{d['api']} returned", "end of this run"
    if d["outcome"] == "exit":
        return f"{d['api']} ended by {d['exception']}", "SystemExit propagates; end of this run"
    return f"{d['api']} raised {d['exception']}", "end of this run"


def _spec_found(d: dict[str, Any]) -> tuple[str, str]:
    spec = d["spec"]
    kind = "package" if spec["is_package"] else "module"
    return (f"found {kind} {d['name']!r} at {spec['origin']} ({spec['loader']})",
            "the import system located it; nothing has run yet")


def _change(d: dict[str, Any]) -> str:
    if d["action"] == "inserted":
        return f"{d['target']}: inserted {_q(d['after'])} (the old first entry {_q(d['before'])} moves up one)"
    if d["action"] == "removed":
        return f"{d['target']}: removed {_q(d['before'])}; now {_q(d['after'])}"
    if d["action"] == "already gone":
        return f"{d['target']}: the entry was gone already; nothing to undo"
    return f"{d['target']}: {_q(d['before'])} -> {_q(d['after'])}"


def _globals_built(d: dict[str, Any]) -> tuple[str, str]:
    # __name__ and __package__ are always str or None, so repr() is exact here:
    # a run_name such as '<run_path>' must not read like one of the trace's markers.
    shown = ", ".join(
        f"{key}={(value['name'] if isinstance(value, dict) else value)!r}"
        for key, value in d["specials"].items() if key in ("__name__", "__package__", "__spec__")
    )
    why = "specials override init_globals"
    if d["overridden"]:
        why += f" (overridden: {', '.join(d['overridden'])})"
    return f"globals: {shown}", why


def _exec_finished(d: dict[str, Any]) -> tuple[str, str]:
    if d["outcome"] == "returned":
        return f"{d['name']!r} ran to the end", "the code returned normally"
    if d["outcome"] == "exit":
        return f"{d['name']!r} called sys.exit({d['exit_code']!r})", "the program's own exit; SystemExit propagates"
    return f"{d['name']!r} raised {d['exception']}", "the exception propagates unchanged"


_TEXT: dict[str, Callable[[dict[str, Any]], tuple[str, str]]] = {
    "run_started": _run_started,
    "run_finished": _run_finished,
    "stage_failed": lambda d: (f"{d['error_type']}: {d['message']}",
                               f"{d['failed_stage']} stops here; the error propagates"),
    "parent_imported": lambda d: (f"imported parent package {d['package']!r}",
                                  "parents are imported first, so their own errors show as themselves"),
    "already_imported": lambda d: (f"{d['module']!r} is already in sys.modules",
                                   "RuntimeWarning: the run gets a second, separate copy"),
    "spec_found": _spec_found,
    "package_redirect": lambda d: (f"{d['package']!r} is a package, so {d['main']!r} is looked up instead",
                                   "a package's __main__ submodule is its entry point"),
    "path_classified": lambda d: (
        f"{_q(d['path'])} is a {d['kind']}",
        "an importer accepts it, so its __main__ will be imported" if d["kind"] == "sys.path entry"
        else "no importer accepts it, so it is read as a file"),
    "code_loaded": lambda d: (f"code for {d['name']!r} from {d['source']}", "this code object is what will run"),
    "globals_built": _globals_built,
    "sys_changed": lambda d: (_change(d), "kept for the life of the process" if d["lasting"] else "undone in restore"),
    "exec_started": lambda d: (f"executing {d['name']!r} in a {d['namespace']}", "the module's own code runs now"),
    "exec_finished": _exec_finished,
    "sys_restored": lambda d: (_change(d), "the caller gets back what it had, even after an exception"),
}


def describe(event: Event) -> tuple[str, str]:
    """``(what happened, why)`` for one event, in plain words."""
    return _TEXT[event.event](event.data)


def render_text(event: Event, width: int | None = None) -> str:
    """The classroom trace's line(s) for one event: what, why, catalogue IDs.

    With ``width``, a line that would be longer is wrapped: the "why" goes
    on its own line, and long text continues under the description.
    """
    what, why = describe(event)
    ids = f"  [{', '.join(event.behaviours)}]" if event.behaviours else ""
    lead = f"{event.seq:>3} {'  ' * event.depth}{event.stage:<13} "
    pad = " " * len(lead)
    rules = [_rule_text(rule, pad) for rule in event.data.get("as_of", ())]  # under --as-of another version
    line = f"{lead}{what} -- {why}{ids}"
    if width is None or all(len(text) <= width for text in (line, *rules)):
        return "\n".join([line, *rules])
    wrapped = [*_wrap(lead + what, width, pad), *_wrap(f"{pad}-- {why}{ids}", width, pad + "   ")]
    return "\n".join([*wrapped, *(part for rule in rules for part in _wrap(rule, width, pad + "   "))])


def _rule_text(rule: dict[str, Any], pad: str) -> str:
    """``as of 2.7: argv0_while_locating = '-c', the rule since 2.5  [CLI-09]``: that version's own decision."""
    since = f"the rule since {rule['since']}" if rule.get("since") else "a profile made by hand"
    return f"{pad}as of {rule['as_of']}: {rule['rule']} = {rule['value']!r}, {since}  [{', '.join(rule['ids'])}]"


def _wrap(text: str, width: int, pad: str) -> list[str]:
    """Break ``text`` at spaces into lines of at most ``width``, continuing after ``pad``.

    A word longer than the line stays whole.
    """
    lines = []
    while len(text) > width:
        indent = len(text) - len(text.lstrip(" "))
        cut = text.rfind(" ", indent + 1, width + 1)
        if cut < 0:
            break
        lines.append(text[:cut])
        text = pad + text[cut + 1:]
    return [*lines, text]


def _terminal_width(stream: Any) -> int:
    """The terminal's width for a terminal, else 100 columns."""
    try:
        if stream.isatty():
            return max(os.get_terminal_size(stream.fileno()).columns, 40)
    except (AttributeError, OSError, ValueError):
        pass
    return 100


class TextSink:
    """Human-readable trace, wrapped to ``width`` columns (a terminal's own width, else 100)."""

    def __init__(self, stream: IO[str], width: int | None = None) -> None:
        self.stream = stream
        self.width = _terminal_width(stream) if width is None else width

    def header(self, header: dict[str, Any]) -> None:
        interp = header["interpreter"]
        _write(self.stream, f"runpy_ref trace ({interp['implementation']} {interp['version']}, "
                            f"profile {header['profile']})\n")

    def event(self, event: Event) -> None:
        _write(self.stream, render_text(event, self.width) + "\n")

    def footer(self, footer: dict[str, Any]) -> None:
        _write(self.stream, f"runpy_ref trace complete ({footer['events']} events)\n")


class JsonLinesSink:
    """A header record, one JSON object per event, then a footer record (schema in runpy_ref/schema)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self._json = json_text_encoder()

    def header(self, header: dict[str, Any]) -> None:
        _write(self.stream, self._json(header) + "\n", json=True)

    def event(self, event: Event) -> None:
        _write(self.stream, self._json(event.as_dict()) + "\n", json=True)

    def footer(self, footer: dict[str, Any]) -> None:
        _write(self.stream, self._json(footer) + "\n", json=True)


def _write(stream: IO[str], text: str, json: bool = False) -> None:
    """Write ``text`` through to ``stream``; if the stream cannot encode it, write it ASCII-escaped.

    A path or argument holding bytes that are not UTF-8 reaches Python as a
    lone surrogate, which a strict UTF-8 file refuses.  The escaped form
    keeps every character; for JSON it is the text ``ensure_ascii=True``
    would have written (``\\udcff``, a pair of escapes beyond U+FFFF), so
    the line stays valid JSON.
    """
    try:
        stream.write(text)
    except UnicodeEncodeError:
        stream.write(_json_ascii(text) if json else text.encode("ascii", "backslashreplace").decode("ascii"))
    stream.flush()


def _json_ascii(text: str) -> str:
    """JSON text with every non-ASCII character as ``\\uXXXX`` (JSON is ASCII outside its strings)."""
    out = []
    for char in text:
        code = ord(char)
        if code < 0x80:
            out.append(char)
        elif code <= 0xFFFF:
            out.append("\\u%04x" % code)
        else:
            code -= 0x10000
            out.append("\\u%04x\\u%04x" % (0xD800 | code >> 10, 0xDC00 | code & 0x3FF))
    return "".join(out)


class ListSink:
    """Keeps header, events and footer in memory (handy in tests and notebooks)."""

    def __init__(self) -> None:
        self.header_record: dict[str, Any] | None = None
        self.events: list[Event] = []
        self.footer_record: dict[str, Any] | None = None

    def header(self, header: dict[str, Any]) -> None:
        self.header_record = header

    def event(self, event: Event) -> None:
        self.events.append(event)

    def footer(self, footer: dict[str, Any]) -> None:
        self.footer_record = footer
