"""The interpreter's part of ``python -m MOD`` and ``python FILE``, done the way the interpreter does it.

Before runpy starts, the interpreter has already decided three things:
``sys.argv`` (``['-m', *args]`` while the module is looked up, CLI-09; the
script as typed for a file, CLI-21), ``sys.path[0]`` (the working
directory for ``-m``, the script's directory for a file, nothing under
``-I`` or ``-P``; CLI-10, CLI-13, CLI-22, CLI-29), and a fresh ``__main__``
module for the program (CLI-03).  Afterwards it turns the program's ending
into an exit status and, for an uncaught exception, a traceback.

``python -m runpy_ref MOD`` starts with ``runpy_ref`` itself as
``__main__``, so :func:`run_main_program` first gives the program a
``__main__`` of its own: that is what makes pickling a class defined in it,
and multiprocessing's spawn start method, work.  Which of these rules apply
comes from the profile in force (:mod:`runpy_ref.profiles`).
"""

from __future__ import annotations

import builtins
import os
import sys
from types import CodeType, ModuleType

from . import pipeline
from ._lean import TYPE_CHECKING
from .profiles import active_profile
from .stages import InsertPath, ReplaceArgv, SetModule, active_stages, altered, new_module

if TYPE_CHECKING:
    from types import TracebackType
    from typing import Any, NoReturn

__all__ = ["INTERRUPTED", "die_by_sigint", "exit_status", "fresh_main", "print_line", "run_main_program"]

INTERRUPTED = -2
"""The status of a program ended by Ctrl-C: the process then dies by SIGINT, as after ``python -m`` (CLI-19)."""


def run_main_program(target: str, args: tuple[str, ...], *, is_path: bool, lasting: bool) -> int:
    """Run ``target`` as ``python -m target args`` (or ``python target args``); return the exit status."""
    profile = active_profile()
    main_module = fresh_main()
    try:
        if is_path:
            _run_path_as_main(target, args, main_module, lasting)
        else:
            if profile.audit_events:
                sys.audit("cpython.run_module", target)  # what python -m announces (CLI-20)
            with altered(
                SetModule("__main__", main_module, lasting=lasting, ids=("CLI-03",)),
                ReplaceArgv((profile.argv0_while_locating, *args), lasting=lasting),
                *_dash_m_path0(lasting),
            ):  # sys.path[0] is the interpreter's: it started python -m runpy_ref
                _run_module(target, profile)
    except SystemExit as exc:
        return exit_status(exc.code)
    except KeyboardInterrupt as exc:
        _print_traceback(exc)
        return INTERRUPTED if profile.interrupt_kills else 1  # CLI-19: status 1 before 3.8
    except BaseException as exc:
        _print_traceback(exc)
        return 1
    return 0


def _run_module(target: str, profile: Any) -> None:
    """The -m switch: ``_run_module_as_main`` from 2.6, ``run_module`` in a temporary ``__main__`` in 2.5 (CLI-03)."""
    if profile.dash_m_via_run_module:
        pipeline.run_module(target, run_name="__main__", alter_sys=True)
    else:
        pipeline._run_module_as_main(target)


def _dash_m_path0(lasting: bool) -> tuple[InsertPath, ...]:
    """Up to 3.6, ``-m`` put ``''`` first on sys.path where the host puts the working directory (CLI-10)."""
    if active_profile().dash_m_path0_absolute or not sys.path or sys.path[0] != os.getcwd():
        return ()
    return (InsertPath("", replace_first=True, lasting=lasting, ids=("CLI-10",)),)


def fresh_main() -> ModuleType:
    """A ``__main__`` module laid out as the interpreter of the version in force lays out its own.

    CPython 3.6-3.13 start ``__main__`` with ``__annotations__`` (an empty
    dict) and ``__builtins__``, in that order; the program sees that key
    order in ``globals()`` (checked by tests/differential against ``python -m``).
    Older versions have no ``__annotations__``, and 2.x modules no
    ``__loader__`` or ``__spec__`` (:func:`~runpy_ref.stages.new_module`).
    """
    profile = active_profile()
    module = new_module("__main__", profile=profile)
    if profile.main_annotations:
        module.__dict__["__annotations__"] = {}  # noqa: RUF063 - the key itself, as the interpreter sets it
    module.__dict__["__builtins__"] = builtins
    return module


def exit_status(code: Any) -> int:
    """What the interpreter does with ``SystemExit(code)``: None is 0, an int itself, else print it and 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    try:
        text = str(code)
    except Exception:  # a hostile __str__: the interpreter prints an empty line
        text = ""
    print_line(text)
    return 1


def print_line(message: str) -> None:
    """Write one line to stderr; a closed or broken stderr is not the program's problem."""
    try:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


def _print_traceback(exc: BaseException) -> None:
    """Print ``exc`` as the interpreter would, starting at the program's own frames."""
    # The default hook prints exc.__traceback__ and ignores its third argument,
    # so the trimmed traceback must be attached to the exception.
    exc = exc.with_traceback(_without_own_frames(exc.__traceback__, keep_one=not isinstance(exc, SyntaxError)))
    try:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    except Exception:  # a closed stderr, a broken hook: the status still tells
        pass


def _without_own_frames(tb: TracebackType | None, keep_one: bool = False) -> TracebackType | None:
    """Drop runpy_ref's frames from the top of a traceback.

    A user's traceback should start at their own code.  When the error has
    no frame of the user's at all (the import system failed to import a
    package, say), ``keep_one`` keeps the frame that raised it, as CPython
    shows its runpy frames: the report still reads as a traceback.  Otherwise
    none of runpy_ref's frames is shown: they are not the program's story.  (A
    SyntaxError in the file itself has none, as under ``python FILE``.)
    """
    package_dir = os.path.dirname(os.path.abspath(__file__)) + os.sep
    last = tb
    while tb is not None and tb.tb_frame.f_code.co_filename.startswith(package_dir):
        last, tb = tb, tb.tb_next
    return tb if tb is not None or not keep_one else last


def _safe_path() -> bool:
    """``-I`` or (where the version has them) ``-P`` / ``PYTHONSAFEPATH``: no directory goes first on sys.path."""
    if sys.flags.isolated:
        return True
    return active_profile().safe_path_option and bool(getattr(sys.flags, "safe_path", False))


def _run_path_as_main(target: str, args: tuple[str, ...], main_module: ModuleType, lasting: bool) -> None:
    """``python FILE``: a directory or zip runs its ``__main__``, a file runs itself."""
    profile = active_profile()
    where = _classify(target)
    script = _script_path(target)
    common = (
        SetModule("__main__", main_module, lasting=lasting, ids=("CLI-22",)),
        ReplaceArgv((target, *args), lasting=lasting, ids=("CLI-21",)),
    )
    if where is None:  # a directory or zip file: its own path goes first on sys.path
        entry = InsertPath(script, replace_first=not _safe_path(), lasting=lasting, ids=("CLI-22", "CLI-30"))
        with altered(*common, entry):
            pipeline._run_module_as_main("__main__", alter_argv=False)
        return
    code, loader_class = where
    plan = active_stages().build_globals(  # the interpreter's own list of globals (CLI-22), not runpy's
        spec=None, run_name="__main__", init_globals=None, script_name=script,
        loader=loader_class("__main__", script), profile=profile.replace(specials=profile.script_specials),
    )
    changes = list(common)
    if not _safe_path():
        script_dir = os.path.dirname(os.path.realpath(target))
        changes.append(InsertPath(script_dir, replace_first=True, lasting=lasting, ids=("CLI-22", "CLI-32")))
    with altered(*changes):
        pipeline._execute(code, main_module.__dict__, plan, None, "__main__")


def _script_path(path: str) -> str:
    """``path`` as the interpreter writes it in ``__file__`` and ``sys.path[0]`` (CLI-23, CLI-30).

    From 3.9 the working directory is prepended and nothing is tidied:
    ``./x.py`` gives ``'<cwd>/./x.py'`` and ``dir/`` keeps its slash, where
    ``os.path.abspath`` would normalise both.  Before, the path stayed as typed.
    """
    if not active_profile().absolute_script_path or os.path.isabs(path):
        return path
    return os.path.join(os.getcwd(), path)


def _classify(target: str) -> tuple[Any, type] | None:
    """None for a sys.path entry; else the code and the loader class for a file.

    Errors are those of ``python FILE``: an unreadable file ends with
    "can't open file" and status 2 (ERR-13); a ``.pyc`` with a wrong magic
    number with "Bad magic number in .pyc file"; one whose body is not a
    marshalled code object with "Bad code object in .pyc file".
    """
    from importlib.machinery import SourceFileLoader, SourcelessFileLoader

    filename = _script_path(target)
    stages = active_stages()
    profile = active_profile()
    if profile.script_dirs_run and _is_path_entry(filename):  # asked before opening: 'app.zip/x.py' is an entry
        _audit(profile, "cpython.run_module", "__main__")  # as python DIR_OR_ZIP announces it (CLI-31)
        where = stages.pick_path(filename, profile=profile)  # says so in the trace too
        return None if where.kind != "file" else (where.code, SourceFileLoader)
    _audit(profile, "cpython.run_file", filename)  # as python FILE announces it, before opening it (CLI-31)
    bytecode = False
    try:
        bytecode = _is_bytecode(filename)
        where = stages.pick_path(filename, profile=profile)
    except SyntaxError as exc:
        if bytecode or exc.lineno != 0:
            raise
        raise _encoding_problem(exc) from None
    except OSError as exc:
        print_line(f"{sys.executable}: can't open file {filename!r}: [Errno {exc.errno}] {exc.strerror}")
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


def _audit(profile: Any, event: str, argument: str) -> None:
    """Raise the interpreter's audit event, in the versions that have audit events (3.8+: CLI-20, CLI-31)."""
    if profile.audit_events:
        sys.audit(event, argument)


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
    print_line("RuntimeError: Bad code object in .pyc file")
    raise SystemExit(1) from None


def _is_bytecode(filename: str) -> bool:
    """True for compiled code; a ``.pyc`` name with the wrong magic is an error."""
    from importlib.util import MAGIC_NUMBER

    if os.path.isdir(filename):
        return False
    with open(filename, "rb") as stream:
        matches = stream.read(len(MAGIC_NUMBER)) == MAGIC_NUMBER
    if filename.endswith(".pyc") and not matches:
        print_line("RuntimeError: Bad magic number in .pyc file")
        raise SystemExit(1)
    return matches


def die_by_sigint() -> None:
    """End the process by SIGINT, as the interpreter does after an uncaught KeyboardInterrupt (CLI-19).

    A shell then reports status 130 and a parent sees the signal, so a
    script stopped by Ctrl-C stops the loop or make rule that ran it.
    """
    import signal

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGINT)
