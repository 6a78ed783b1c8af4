"""``python -m runpy_ref``: the options, and where the trace goes.

Running the program is :mod:`runpy_ref.interpreter`'s job; this module reads
the command line, switches tracing on around that run when asked, and makes
sure that nothing about the trace (a sink that fails, a stderr the program
closed) changes the program's status or output.
"""

from __future__ import annotations

import os
import sys

from ._lean import TYPE_CHECKING
from .interpreter import INTERRUPTED, print_line, run_main_program
from .values import Value

if TYPE_CHECKING:
    from typing import IO, Any

USAGE = (
    "usage: python -m runpy_ref [options] [-m] MODULE [args...]\n"
    "       python -m runpy_ref [options] --path FILE_OR_DIR_OR_ZIP [args...]"
)

HELP = f"""{USAGE}

Run MODULE the way `python -m MODULE` does (or a file, directory or zip the
way `python FILE` does), and optionally tell the story of every runpy step.

options:
  --trace                 print the trace (plain text) to stderr
  --trace-format FORMAT   text (default), json (JSON Lines) or html (a page to step through,
                          kept whole at every step; needs --trace-file); implies --trace
  --trace-file PATH       write the trace to PATH ('-': standard output); implies --trace
  --deterministic         no timings; paths under the root shown as <root>/... (with a trace)
  --root DIR              root for --deterministic (default: the working directory)
  --as-of X.Y             behave as runpy and -m of Python X.Y did (profiles: {{profiles}})
  -m MODULE               the module to run (the same as giving MODULE alone)
  --path TARGET           run a file, directory or zip file instead of a module
  --                      end of options: the next word is the module
  -h, --help              show this help and exit
  --version               show the runpy_ref version and exit

Everything after MODULE (or after --path TARGET) is passed to the program.

exit status:
  the program's own: 0 when it ends normally, N for sys.exit(N), 1 for an
  uncaught exception or sys.exit("message"); the process dies by SIGINT
  after Ctrl-C (130 in a shell), as after `python -m`
  1   the module cannot be found or loaded (one line, as `python -m` prints it)
  2   a bad runpy_ref option, a trace file that cannot be opened, or a file
      that cannot be opened under --path (as `python FILE`)
  A trace that cannot be written never changes the status: the trace then
  lacks its closing record, and a note goes to stderr if stderr still works.

examples:
  python -m runpy_ref --trace runpy_ref.demo Ada
  python -m runpy_ref --trace-format json --trace-file run.jsonl json.tool data.json
  python -m runpy_ref --trace-format html --trace-file run.html runpy_ref.demo Ada
  python -m runpy_ref --trace --deterministic --path script.py arg1
  python -m runpy_ref --as-of 2.6 --trace -m runpy_ref.demo

documentation: the docs/ folder of the runpy_ref source (how-to/trace.md: reading and writing
traces; reference/cli.md: every option and exit status; explanation/python_m.md: what -m does)
"""


class UsageError(Exception):
    """A bad command line: reported in one line, exit status 2."""


class Options(Value):
    """The parsed command line."""

    target: str
    args: tuple[str, ...] = ()
    is_path: bool = False
    trace: bool = False
    trace_format: str = "text"
    trace_file: str | None = None
    deterministic: bool = False
    root: str | None = None
    as_of: str | None = None


_VALUED = {"--trace-format": "trace_format", "--trace-file": "trace_file", "--root": "root", "--as-of": "as_of"}
_TARGETS = ("-m", "--path")


def parse_args(argv: list[str]) -> Options | str:
    """Parse options up to the target; return Options, or text to print before exiting 0.

    Parsing stops at the target, as the interpreter's own parser stops at
    ``-m MOD``: every later word belongs to the program (CLI-14).
    """
    values: dict[str, Any] = {}
    rest = list(argv)
    while rest:
        word = rest.pop(0)
        name, eq, inline = word.partition("=")
        if word in ("-h", "--help"):
            from .profiles import PROFILES

            return HELP.replace("{profiles}", ", ".join(PROFILES))
        if word == "--version":
            from ._version import __version__

            return f"runpy_ref {__version__}\n"
        if word in ("--trace", "--deterministic"):
            values[word[2:]] = True
        elif name in _VALUED or name in _TARGETS:
            if not eq:
                if not rest:
                    raise UsageError(f"{name} needs a value")
                inline = rest.pop(0)
            if name in _TARGETS:
                return _options(values, inline, rest, is_path=name == "--path")
            values[_VALUED[name]] = inline
        elif word == "--":
            break
        elif word.startswith("-") and word != "-":
            raise UsageError(f"unknown option {word!r}")
        else:
            return _options(values, word, rest, is_path=False)
    if not rest:
        raise UsageError("no module given (use --help for examples)")
    return _options(values, rest[0], rest[1:], is_path=False)


def _options(values: dict[str, Any], target: str, rest: list[str], *, is_path: bool) -> Options:
    fmt = values.get("trace_format", "text")
    if fmt not in ("text", "json", "html"):
        raise UsageError(f"--trace-format must be text, json or html, not {fmt!r}")
    if fmt == "html" and values.get("trace_file") in (None, "-"):
        raise UsageError("--trace-format html needs --trace-file PAGE.html (a page, not a stream)")
    if values.get("as_of") is not None:
        from .profiles import PROFILES, select_profile

        try:
            select_profile(values["as_of"])  # X.Y, or the point release its row reproduces
        except LookupError:
            raise UsageError(f"--as-of {values['as_of']}: profiles exist for {', '.join(PROFILES)}") from None
    traced = bool(values.get("trace") or "trace_format" in values or "trace_file" in values)
    return Options(target, tuple(rest), is_path, traced, fmt, values.get("trace_file"),
                   bool(values.get("deterministic")), values.get("root"), values.get("as_of"))


def main(argv: list[str] | None = None, *, lasting: bool = False) -> int:
    """Run the command line; return the exit status.

    ``lasting=True`` (used by ``python -m runpy_ref``) leaves the program's
    ``__main__`` and ``sys.argv`` in place when it ends, as ``python -m``
    does for the life of the process; in-process callers get ``sys`` back.
    """
    try:
        parsed = parse_args(sys.argv[1:] if argv is None else argv)
    except UsageError as exc:
        print_line(f"runpy_ref: error: {exc}\n{USAGE}")
        return 2
    if isinstance(parsed, str):
        sys.stdout.write(parsed)
        return 0
    if not parsed.trace:
        for option in ("deterministic", "root"):
            if getattr(parsed, option):
                print_line(f"runpy_ref: note: --{option} does nothing without --trace")
    if parsed.as_of is None:
        return _run(parsed, lasting)
    from .profiles import as_of

    with as_of(parsed.as_of):
        return _run(parsed, lasting)


def _run(parsed: Options, lasting: bool) -> int:
    if not parsed.trace:
        return run_main_program(parsed.target, parsed.args, is_path=parsed.is_path, lasting=lasting)
    try:
        stream = _trace_stream(parsed.trace_file)
    except OSError as exc:
        print_line(f"runpy_ref: cannot write trace file {parsed.trace_file!r}: {exc.strerror or exc}")
        return 2
    try:
        return _run_traced(parsed, lasting, stream)
    finally:
        if stream not in (sys.stderr, sys.stdout):
            _close_quietly(stream)


def _run_traced(parsed: Options, lasting: bool, stream: IO[str]) -> int:
    from .trace.tracer import TraceSinkError, tracing  # here: an untraced run need not import the tracer

    sink = _sink(parsed.trace_format, stream)
    status = 1
    try:
        with tracing(sink, deterministic=parsed.deterministic, root=parsed.root, keep=False):
            status = run_main_program(parsed.target, parsed.args, is_path=parsed.is_path, lasting=lasting)
    except TraceSinkError as exc:
        if stream is sys.stderr:
            _quiet_broken_stderr(exc.__cause__)
        if status != INTERRUPTED:
            print_line(f"runpy_ref: note: the trace could not be written ({exc.__cause__}); it is incomplete")
    return status


def _sink(trace_format: str, stream: IO[str]) -> Any:
    """The sink for ``--trace-format``: text and JSON Lines written through, or the stepper page."""
    if trace_format == "html":
        from .stepper import HtmlSink

        return HtmlSink(stream, title="python -m runpy_ref " + " ".join(sys.argv[1:]))
    from .sinks import JsonLinesSink, TextSink

    return (JsonLinesSink if trace_format == "json" else TextSink)(stream)


def _trace_stream(trace_file: str | None) -> IO[str]:
    """stderr, stdout for ``-``, or the trace file opened to write through (the caller closes it).

    Line buffering hands every line to the operating system as it is
    written, so a program that dies by ``os._exit``, a signal or a crash
    leaves a trace holding every event before its death, and ``tail -f``
    shows a long run as it goes.
    """
    if trace_file is None:
        return sys.stderr
    if trace_file == "-":
        return sys.stdout
    return open(trace_file, "w", encoding="utf-8", buffering=1)


def _close_quietly(stream: IO[str]) -> None:
    """Close a trace file whose writing may already have failed (a closed pipe)."""
    try:
        stream.close()
    except OSError:
        pass


def _quiet_broken_stderr(error: BaseException | None) -> None:
    """After a broken pipe on stderr, stop the interpreter complaining at exit."""
    if isinstance(error, BrokenPipeError):
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stderr.fileno())
        except (OSError, ValueError):  # pragma: no cover - stderr without a descriptor
            pass
