"""``python -m runpy_ref``: ``python -m MOD`` and ``python FILE``, retold.

The interpreter's own ``-m`` switch does three things before runpy starts:
it puts the working directory at ``sys.path[0]``, sets ``sys.argv`` to
``['-m', *args]`` while the module is being looked up (CLI-09), and hands
over to ``runpy._run_module_as_main``.  ``python -m runpy_ref MOD`` starts
with ``runpy_ref`` itself as ``__main__``, so this module first gives the
program a fresh ``__main__`` module of its own: that is what makes pickling a
class defined in it, and multiprocessing's spawn start method, work.
"""

from __future__ import annotations

import builtins
import os
import sys
from types import CodeType, ModuleType

from . import pipeline
from .records import Frozen, set_field
from .stages import InsertPath, ReplaceArgv, SetModule, active_stages, altered

TYPE_CHECKING = False
if TYPE_CHECKING:  # names for annotations only: importing typing costs python -m runpy_ref
    from types import TracebackType
    from typing import IO, Any, NoReturn

USAGE = "usage: python -m runpy_ref [options] MODULE [args...]\n" \
        "       python -m runpy_ref [options] --path FILE_OR_DIR_OR_ZIP [args...]"

HELP = f"""{USAGE}

Run MODULE the way `python -m MODULE` does (or a file, directory or zip the
way `python FILE` does), and optionally tell the story of every runpy step.

options:
  --trace                 print the trace (plain text) to stderr
  --trace-format FORMAT   text (default) or json (JSON Lines; implies --trace)
  --trace-file PATH       write the trace to PATH instead of stderr (implies --trace)
  --deterministic         no timings, paths under the root shown as <root>/...
  --root DIR              root for --deterministic (default: the working directory)
  --path TARGET           run a file, directory or zip file instead of a module
  -h, --help              show this help and exit
  --version               show the runpy_ref version and exit

Everything after MODULE (or after --path TARGET) is passed to the program.

examples:
  python -m runpy_ref --trace runpy_ref.demo Ada
  python -m runpy_ref --trace-format json --trace-file run.jsonl json.tool data.json
  python -m runpy_ref --trace --deterministic --path script.py arg1
"""


class UsageError(Exception):
    """A bad command line: reported in one line, exit status 2."""


class Options(Frozen):
    """The parsed command line."""

    FIELDS = ("target", "args", "is_path", "trace", "trace_format", "trace_file", "deterministic", "root")
    __slots__ = FIELDS

    def __init__(
        self,
        target: str,
        args: tuple[str, ...] = (),
        is_path: bool = False,
        trace: bool = False,
        trace_format: str = "text",
        trace_file: str | None = None,
        deterministic: bool = False,
        root: str | None = None,
    ) -> None:
        set_field(self, "target", target)
        set_field(self, "args", args)
        set_field(self, "is_path", is_path)
        set_field(self, "trace", trace)
        set_field(self, "trace_format", trace_format)
        set_field(self, "trace_file", trace_file)
        set_field(self, "deterministic", deterministic)
        set_field(self, "root", root)


_VALUED = {"--trace-format": "trace_format", "--trace-file": "trace_file", "--root": "root"}


def parse_args(argv: list[str]) -> Options | str:
    """Parse options up to the target; return Options, or text to print and exit 0.

    Parsing stops at the first non-option, as the interpreter's own parser
    stops at ``-m MOD``: every later word belongs to the program (CLI-14).
    """
    values: dict[str, Any] = {}
    rest = list(argv)
    while rest:
        word = rest.pop(0)
        name, eq, inline = word.partition("=")
        if word in ("-h", "--help"):
            return HELP
        if word == "--version":
            from . import __version__

            return f"runpy_ref {__version__}\n"
        if word in ("--trace", "--deterministic"):
            values[word[2:]] = True
        elif name in _VALUED or name == "--path":
            if not eq:
                if not rest:
                    raise UsageError(f"{name} needs a value")
                inline = rest.pop(0)
            if name == "--path":
                return _options(values, inline, rest, is_path=True)
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
    if fmt not in ("text", "json"):
        raise UsageError(f"--trace-format must be text or json, not {fmt!r}")
    traced = bool(values.get("trace") or "trace_format" in values or "trace_file" in values)
    return Options(
        target=target,
        args=tuple(rest),
        is_path=is_path,
        trace=traced,
        trace_format=fmt,
        trace_file=values.get("trace_file"),
        deterministic=bool(values.get("deterministic")),
        root=values.get("root"),
    )


def main(argv: list[str] | None = None, *, lasting: bool = False) -> int:
    """Run the command line; return the exit status.

    ``lasting=True`` (used by ``python -m runpy_ref``) leaves the program's
    ``__main__`` and ``sys.argv`` in place when it ends, as ``python -m``
    does for the life of the process; in-process callers get ``sys`` back.
    """
    try:
        parsed = parse_args(sys.argv[1:] if argv is None else argv)
    except UsageError as exc:
        return _fail(f"error: {exc}\n{USAGE}", 2)
    if isinstance(parsed, str):
        sys.stdout.write(parsed)
        return 0
    if not parsed.trace:
        return _launch(parsed, lasting)
    try:
        stream = _trace_stream(parsed)
    except OSError as exc:
        return _fail(f"cannot write trace file {parsed.trace_file!r}: {exc.strerror or exc}", 2)
    try:
        return _launch_traced(parsed, lasting, stream)
    finally:
        if stream is not sys.stderr:
            _close_quietly(stream)


def _launch_traced(parsed: Options, lasting: bool, stream: IO[str]) -> int:
    from .sinks import JsonLinesSink, TextSink  # here: an untraced run need not import the tracer
    from .trace import TraceSinkError, tracing

    sink = (JsonLinesSink if parsed.trace_format == "json" else TextSink)(stream)
    status = 1
    try:
        with tracing(sink, deterministic=parsed.deterministic, root=parsed.root, keep=False):
            status = _launch(parsed, lasting)
    except TraceSinkError as exc:
        if stream is sys.stderr:  # a broken trace *file* leaves stderr fit to say so
            _quiet_broken_stderr(exc.__cause__)
        return _fail(f"the trace could not be written ({exc.__cause__}); it is incomplete", status or 1)
    return status


def _trace_stream(options: Options) -> IO[str]:
    """stderr, or the trace file opened for writing (the caller closes it)."""
    if options.trace_file is None:
        return sys.stderr
    return open(options.trace_file, "w", encoding="utf-8")


def _close_quietly(stream: IO[str]) -> None:
    """Close a trace file whose write may already have failed (a closed pipe).

    Any failure to write was reported when tracing ended; closing flushes the
    same unwritten text again, and must not turn into a second, raw traceback.
    """
    try:
        stream.close()
    except OSError:
        pass


def _fail(message: str, status: int) -> int:
    try:
        sys.stderr.write(f"runpy_ref: {message}\n")
        sys.stderr.flush()
    except OSError:
        pass  # stderr itself is gone (a closed pipe): the status still tells
    return status


def _quiet_broken_stderr(error: BaseException | None) -> None:
    """After a broken pipe on stderr, stop the interpreter complaining at exit."""
    if isinstance(error, BrokenPipeError):
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stderr.fileno())
        except (OSError, ValueError):  # pragma: no cover - stderr without a descriptor
            pass


# -- running the target ------------------------------------------------------------


def _launch(options: Options, lasting: bool) -> int:
    """Run the target as the interpreter would; map its ending to a status."""
    main_module = _fresh_main()
    try:
        if options.is_path:
            _run_path_as_main(options, main_module, lasting)
        else:
            sys.audit("cpython.run_module", options.target)  # what python -m announces (CLI-20)
            with altered(
                SetModule("__main__", main_module, lasting=lasting, ids=("CLI-03",)),
                ReplaceArgv(("-m", *options.args), lasting=lasting, ids=("CLI-09", "CLI-14")),
            ):
                pipeline._run_module_as_main(options.target)
    except SystemExit as exc:
        return _exit_status(exc.code)
    except KeyboardInterrupt:
        raise  # the interpreter ends the process by SIGINT, as after python -m (CLI-19)
    except BaseException as exc:
        # The default hook prints exc.__traceback__ and ignores its third
        # argument, so the trimmed traceback must be attached to the exception.
        exc = exc.with_traceback(_without_own_frames(exc.__traceback__))
        sys.excepthook(type(exc), exc, exc.__traceback__)
        return 1
    return 0


def _fresh_main() -> ModuleType:
    """A ``__main__`` module laid out as the interpreter lays out its own.

    CPython 3.9-3.13 start ``__main__`` with ``__annotations__`` (an empty
    dict) and ``__builtins__``, in that order; the program sees that key
    order in ``globals()`` (checked by tests/differential against ``python -m``).
    """
    module = ModuleType("__main__")
    module.__dict__["__annotations__"] = {}  # noqa: RUF063 - the key itself, as the interpreter sets it
    module.__dict__["__builtins__"] = builtins
    return module


def _exit_status(code: Any) -> int:
    """What the interpreter does with ``SystemExit(code)``."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    _fail_plain(str(code))
    return 1


def _fail_plain(message: str) -> None:
    try:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()
    except OSError:
        pass


def _without_own_frames(tb: TracebackType | None) -> TracebackType | None:
    """Drop runpy_ref's frames from the top of a traceback.

    A user's traceback should start at their own code, as it does under
    ``python -m`` (where CPython hides its frozen runpy frames).
    """
    package_dir = os.path.dirname(os.path.abspath(__file__))
    while tb is not None and tb.tb_frame.f_code.co_filename.startswith(package_dir):
        tb = tb.tb_next
    return tb


def _run_path_as_main(options: Options, main_module: ModuleType, lasting: bool) -> None:
    """``python FILE``: a directory or zip runs its ``__main__``, a file runs itself."""
    stages = active_stages()
    target = options.target
    safe_path = bool(sys.flags.isolated or getattr(sys.flags, "safe_path", False))
    where = _classify(target)
    common = (
        SetModule("__main__", main_module, lasting=lasting, ids=("CLI-22",)),
        ReplaceArgv((target, *options.args), lasting=lasting, ids=("CLI-21",)),
    )
    if where is None:  # a directory or zip file: its own path goes first on sys.path
        entry = InsertPath(
            _absolute(target), replace_first=not safe_path, lasting=lasting, ids=("CLI-22",)
        )
        with altered(*common, entry):
            pipeline._run_module_as_main("__main__", alter_argv=False)
        return
    code, loader_class = where
    filename = _absolute(target)
    plan = stages.build_globals(
        spec=None, run_name="__main__", init_globals=None, script_name=filename,
        profile=pipeline._PROFILE,
    )
    loader = loader_class("__main__", filename)
    plan = plan.replace(specials=tuple([(k, loader if k == "__loader__" else v) for k, v in plan.specials]))
    changes = list(common)
    if not safe_path:
        script_dir = os.path.dirname(os.path.realpath(target))
        changes.append(InsertPath(script_dir, replace_first=True, lasting=lasting, ids=("CLI-22",)))
    with altered(*changes):
        pipeline._execute(code, main_module.__dict__, plan, None, "__main__", "__main__ module")


def _absolute(path: str) -> str:
    """``path`` made absolute the way the interpreter does it for a script (3.9+).

    The working directory is prepended and nothing is tidied: ``./x.py``
    gives ``__file__ == '<cwd>/./x.py'`` and ``dir/`` keeps its slash in
    ``sys.path[0]``, where ``os.path.abspath`` would normalise both.
    """
    return path if os.path.isabs(path) else os.path.join(os.getcwd(), path)


def _classify(target: str) -> tuple[Any, type] | None:
    """None for a sys.path entry; else the code and the loader class for a file.

    Errors are those of ``python FILE``: an unreadable file ends with
    "can't open file" and status 2; a ``.pyc`` with a wrong magic number with
    "Bad magic number in .pyc file"; one whose body is not a marshalled code
    object (truncated, or some other value) with "Bad code object in .pyc file".
    """
    from importlib.machinery import SourceFileLoader, SourcelessFileLoader

    filename = _absolute(target)
    stages = active_stages()
    if _is_path_entry(filename):  # asked before the file is opened: 'app.zip/x.py' is an entry
        sys.audit("cpython.run_module", "__main__")  # as python DIR_OR_ZIP announces it (CLI-20)
        where = stages.pick_path(filename, profile=pipeline._PROFILE)  # says so in the trace too
        return None if where.kind != "file" else (where.code, SourceFileLoader)
    sys.audit("cpython.run_file", filename)  # as python FILE announces it, before opening it (CLI-20)
    bytecode = False
    try:
        bytecode = _is_bytecode(filename)
        where = stages.pick_path(filename, profile=pipeline._PROFILE)
    except SyntaxError as exc:
        if bytecode or exc.lineno != 0:
            raise
        raise _encoding_problem(exc) from None
    except OSError as exc:
        _fail_plain(f"{sys.executable}: can't open file {filename!r}: [Errno {exc.errno}] {exc.strerror}")
        raise SystemExit(2) from None
    except (EOFError, ValueError, TypeError):  # marshal could not read the body
        if not bytecode:
            raise
        _bad_code_object()
    if where.kind != "file":
        return None
    if bytecode and not isinstance(where.code, CodeType):
        _bad_code_object()
    return where.code, (SourcelessFileLoader if bytecode else SourceFileLoader)


def _is_path_entry(filename: str) -> bool:
    """Would an importer take ``filename`` as a ``sys.path`` entry?

    The interpreter asks this first (``pymain_get_importer``), so a path
    *inside* a zip file runs as a sys.path entry, not as a file to open.
    """
    from pkgutil import get_importer

    return get_importer(filename) is not None


def _encoding_problem(exc: SyntaxError) -> SyntaxError:
    """A bad encoding declaration, worded as ``python FILE`` words it.

    ``compile()`` reports "unknown encoding: X" at line 0; the interpreter's
    file reader says "encoding problem: X", with no location (3.9-3.13).
    """
    message = str(exc.msg)
    prefix = "unknown encoding: "
    if message.startswith(prefix):
        message = "encoding problem: " + message[len(prefix):]
    return SyntaxError(message)


def _bad_code_object() -> NoReturn:
    _fail_plain("RuntimeError: Bad code object in .pyc file")
    raise SystemExit(1) from None


def _is_bytecode(filename: str) -> bool:
    """True for compiled code; a ``.pyc`` name with the wrong magic is an error."""
    from importlib.util import MAGIC_NUMBER

    if os.path.isdir(filename):
        return False
    with open(filename, "rb") as stream:
        matches = stream.read(len(MAGIC_NUMBER)) == MAGIC_NUMBER
    if filename.endswith(".pyc") and not matches:
        _fail_plain("RuntimeError: Bad magic number in .pyc file")
        raise SystemExit(1)
    return matches
