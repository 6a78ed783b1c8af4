"""A trace you can step through: one self-contained HTML page from a runpy_ref trace.

``render_html(header, events)`` takes a trace as plain data, the header
record and the event records exactly as the JSON Lines trace holds them
(``runpy_ref/schema/``), and returns one HTML document that needs nothing
else: no network, no server, no other file.  It shows

* a stepper: Previous and Next buttons (and the arrow keys) move through the
  events; beside each one, in words, the state of ``sys`` *after* it:
  ``sys.argv``, the first entries of ``sys.path``, which module
  ``sys.modules['__main__']`` is (and the other entries the run touched),
  the globals being built, and a diagram of the six stages with the current
  one lit, the package redirect that goes round again, and the restore
  that always runs;
* every step as a row of one table, which is all a reader with scripts off
  sees, and which keeps the page readable when printed;
* a link for every step: ``page.html#step-7`` opens the stepper at step 7
  (or scrolls the table to it without scripts).

The state is worked out here, in Python, from what the events say, and
written into the page; the page's script only shows one step at a time.
What an event does not say stays unknown and is shown as such (the rest
of ``sys.argv`` before a run replaces it, the entries of ``sys.path``
beyond those the run touched): the trace is the truth, and the page does
not guess beyond it.  Unknown event names and extra fields (a newer trace
schema) are shown as they are.

:class:`HtmlSink` is the same page as a trace sink: give it to
:func:`runpy_ref.tracing`, and when tracing ends its ``flush`` writes the
page to the stream.  :func:`render_fragment` is the part that goes inside
another page (the documentation embeds steppers that way, several on one
page, each with its own ``id_prefix``).
"""

from __future__ import annotations

import json

from .._lean import TYPE_CHECKING
from .assets import STEPPER_CSS, STEPPER_JS
from .page import render_fragment, render_html, render_sys_picture
from .state import STAGES, states, sys_picture
from .words import describe

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import IO, Any

__all__ = ["STAGES", "STEPPER_CSS", "STEPPER_JS", "HtmlSink", "describe", "main", "read_jsonl", "render_fragment",
           "render_html", "render_sys_picture", "states", "sys_picture"]


class HtmlSink:
    """A trace sink that writes the stepper page, kept whole at every step.

    A page needs the whole run to be one valid document, so on a file (a
    seekable stream) the page is written again after every event: a
    program that dies by ``os._exit``, a signal or a crash leaves a page
    holding every step before its death, marked as cut short.  On a stream
    that cannot be rewound (a pipe), the page is written once, when the
    tracer hands over the footer, or at ``flush`` for a trace that ended
    without one.  Events are kept as plain dicts (``event.as_dict()``).
    """

    def __init__(self, stream: IO[str], *, title: str = "") -> None:
        self.stream = stream
        self.title = title
        self._header: dict[str, Any] = {}
        self._events: list[dict[str, Any]] = []
        self._footer: dict[str, Any] | None = None
        self._written = False
        try:
            self._rewritable = bool(stream.seekable())
        except (AttributeError, ValueError, OSError):
            self._rewritable = False

    def header(self, header: dict[str, Any]) -> None:
        self._header = dict(header)
        if self._rewritable:
            self._write_page()

    def event(self, event: Any) -> None:
        self._events.append(event.as_dict() if hasattr(event, "as_dict") else dict(event))
        if self._rewritable:
            self._write_page()

    def footer(self, footer: dict[str, Any]) -> None:
        self._footer = dict(footer)
        self._write_page()
        self._written = True

    def flush(self) -> None:
        if not self._written:
            self._write_page()
            self._written = True

    def _write_page(self) -> None:
        page = render_html(self._header, self._events, title=self.title, footer=self._footer)
        if self._rewritable:
            self.stream.seek(0)
            self.stream.truncate()
        self.stream.write(page)
        self.stream.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m runpy_ref.stepper TRACE.jsonl [OUT.html]``: a page from a JSON Lines trace file."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help") or len(args) > 2:
        print("usage: python -m runpy_ref.stepper TRACE.jsonl [OUT.html]  (a JSON Lines trace, "
              "as --trace-format json writes it)", file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8") as stream:
        header, events, footer = read_jsonl(stream.read())
    page = render_html(header, events, footer=footer)
    if len(args) == 2:
        with open(args[1], "w", encoding="utf-8") as out:
            out.write(page)
    else:
        sys.stdout.write(page)
    return 0

def read_jsonl(text: str) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any] | None]:
    """``(header, events, footer)`` from the text of a JSON Lines trace (``footer`` None when absent)."""
    header: dict[str, Any] = {}
    events: list[dict[str, Any]] = []
    footer: dict[str, Any] | None = None
    for line in text.splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        if "schema" in record and not header:
            header = record
        elif "seq" in record and "event" in record:
            events.append(record)
        elif "complete" in record:
            footer = record
    return header, events, footer
