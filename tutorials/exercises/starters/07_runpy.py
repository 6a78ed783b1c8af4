# Starter for exercise 7: `python -m runpy_ref.exercises start 7` copies it to your
# working copy; replace each TODO block with your code, then run
# `python -m runpy_ref.exercises check 7`.  (Generated from the instructor's solution by
# `python -m runpy_ref.exercises build-starters`: edit the solution, not this file.)
# ruff: noqa: F401 - the imports are the tools you will need
"""Exercise 7: runpy, the whole of it - ``run_module``, ``run_path`` and ``python -m``.

Write a complete ``runpy`` in CPython's shape: the import system
(``importlib``, ``pkgutil``) and ``sys`` do the work, and one import from
runpy_ref, the exercise kit, lets the module tell its story.  The grader runs
the conformance suite against this file exactly as it would against any
other implementation of runpy.

The six stages you wrote in exercises 1-6 are all here, as plain code:
find_spec and pick_main in ``_get_module_details``, build_globals in
``_run_code``, alter_sys and restore in ``_TempModule`` / ``_ModifiedArgv0``
(and ``run_path``'s ``sys.path`` handling), exec at the end of ``_run_code``.
Each stage reports its decisions with ``emit(...)``, the same records as in
exercises 1-6: the grader compares your story with the reference's, stage by
stage (a copy of CPython's runpy.py does the work, but tells nothing, and
fails).

Check your work with ``python -m runpy_ref.exercises check 7``.
"""

from __future__ import annotations

import importlib.util
import io
import os
import sys
from pkgutil import get_importer, read_code
from types import ModuleType
from typing import Any

from runpy_ref.exercises.kit import (
    AlreadyImported,
    ExecFinished,
    ExecStarted,
    GlobalsPlan,
    InsertPath,
    MainChoice,
    PackageRedirect,
    ParentImported,
    PathChoice,
    SetArgv0,
    SetModule,
    SpecFound,
    SysChanged,
    SysRestored,
    emit,
    namespace_kind,
    read_target,
    target_name,
)

__all__ = ["run_module", "run_path"]

_NOTHING = object()  # "there was no such entry" (None can be a real value)


def _changed(change: Any, before: Any) -> None:
    """Tell the alter_sys part of the story: ``change`` was just made [exercise 4]."""
    emit(SysChanged(target_name(change), change.action(), before, read_target(change), change.lasting,
                    change.ids))


def _restored(change: Any, before: Any, action: str = "set") -> None:
    """Tell the restore part of the story: ``change`` was just undone, by ``action`` [exercise 6].

    ``action`` is how: ``"set"`` (the old value is back), ``"removed"`` (an
    entry that was not there before is gone) or ``"already gone"``.
    """
    emit(SysRestored(target_name(change), action, before, read_target(change), change.ids))


class _Error(Exception):
    """A ``python -m`` lookup failure: reported as one line, without traceback [CLI-17]."""


class _TempModule:
    """``with _TempModule(name) as temp:`` - ``sys.modules[name]`` is ``temp.module`` inside.

    Whatever was at ``sys.modules[name]`` before (or nothing) is back
    afterwards, however the ``with`` block ends [RM-17, RM-18, RM-19, RP-19].
    """

    def __init__(self, mod_name: str) -> None:
        self.mod_name = mod_name
        self.module = ModuleType(mod_name)
        self._saved: Any = _NOTHING

    def __enter__(self) -> _TempModule:
        # TODO: Remember the current sys.modules entry (or _NOTHING), then install self.module;
        # TODO: tell it: change = SetModule(name, module), before = read_target(change) first,
        # TODO: _changed(change, before) after.
        raise NotImplementedError("exercise 7: _TempModule.__enter__ is not written yet")

    def __exit__(self, *exc_info: Any) -> None:
        # TODO: Put the remembered entry back, or remove the entry if there was none;
        # TODO: tell it with _restored(SetModule(name, module), before).
        raise NotImplementedError("exercise 7: _TempModule.__exit__ is not written yet")


class _ModifiedArgv0:
    """``with _ModifiedArgv0(value):`` - ``sys.argv[0]`` is ``value`` inside, restored afterwards."""

    def __init__(self, value: Any) -> None:
        self.value = value
        self._saved: Any = _NOTHING

    def __enter__(self) -> None:
        # TODO: Refuse to be entered twice (RuntimeError("Already preserving saved value")),
        # TODO: then save sys.argv[0] and set it to self.value.
        raise NotImplementedError("exercise 7: _ModifiedArgv0.__enter__ is not written yet")

    def __exit__(self, *exc_info: Any) -> None:
        # TODO: Put the saved value back into sys.argv[0], and tell it (SetArgv0, _restored).
        raise NotImplementedError("exercise 7: _ModifiedArgv0.__exit__ is not written yet")


def _run_code(
    code: Any,
    run_globals: dict[str, Any],
    init_globals: dict[str, Any] | None = None,
    mod_name: Any = None,
    mod_spec: Any = None,
    pkg_name: str | None = None,
    script_name: Any = None,
) -> dict[str, Any]:
    """Fill ``run_globals`` (init_globals first, then the specials), run ``code`` in it, return it.

    Specials [RM-08..RM-16, RP-12..RP-17]: ``__name__`` is ``mod_name``;
    ``__doc__`` is None; with a spec, ``__file__``, ``__cached__`` and
    ``__loader__`` come from it (origin, cached, loader), ``__spec__`` is it,
    and ``__package__`` is ``pkg_name`` or else ``spec.parent``; without a
    spec, ``__file__`` is ``script_name`` and the others are None (and
    ``__package__`` is ``pkg_name``).

    The story: ``emit(GlobalsPlan(...))`` as in exercise 3, then
    ``ExecStarted(mod_name, namespace_kind(run_globals, mod_name))`` and an
    ``ExecFinished`` as in exercise 5.
    """
    # TODO: 1. run_globals.update(init_globals) when init_globals is given (never modify init_globals).
    # TODO: 2. Compute the seven specials, emit the GlobalsPlan, set them (they override init_globals).
    # TODO: 3. exec(code, run_globals) between ExecStarted and ExecFinished (exercise 5); return run_globals.
    raise NotImplementedError("exercise 7: _run_code is not written yet")


def _run_module_code(
    code: Any,
    init_globals: dict[str, Any] | None = None,
    mod_name: Any = None,
    mod_spec: Any = None,
    pkg_name: str | None = None,
    script_name: Any = None,
) -> dict[str, Any]:
    """Run ``code`` in a temporary module registered as ``mod_name``; return a *copy* of its dict.

    While the code runs, ``sys.argv[0]`` is the file name (the spec's origin,
    or ``script_name``) [RM-17, RP-18].  Copy the dict before the temporary
    module goes away: a dying module may be cleared [G-14].
    """
    # TODO: with _TempModule(mod_name) as temp, _ModifiedArgv0(file name):
    # TODO:     _run_code(... temp.module.__dict__ ...)
    # TODO: then return a copy of temp.module.__dict__.
    raise NotImplementedError("exercise 7: _run_module_code is not written yet")


def _get_module_details(mod_name: str, error: type[Exception] = ImportError) -> tuple[str, Any, Any]:
    """Find the module and its code without running it: ``(name, spec, code)``.

    Exercises 1 and 2 in one function: relative names refused [RM-05]; the
    parent imported first, its own errors left alone [RM-03, RM-25]; the
    RuntimeWarning for an already-imported submodule [RM-24]; lookup errors
    reworded as "Error while finding module specification for ..." [ERR-02,
    ERR-03, ERR-07]; "No module named NAME" [ERR-01]; a package runs its
    ``__main__`` [RM-06, RM-22, ERR-04]; a namespace package, or a loader
    without code, is refused [ERR-08, ERR-09].  Raise ``error``, not ImportError.

    The story, as in exercises 1 and 2: ``ParentImported`` once the parent
    is in, ``AlreadyImported`` before the warning, ``SpecFound``,
    ``PackageRedirect`` before looking for ``NAME.__main__``, and
    ``MainChoice(name, spec, "loader.get_code()", code)`` at the end.
    """
    # TODO: Exercise 1 (find the spec) then exercise 2 (pick the code); a package calls this function
    # TODO: again for NAME.__main__.  Return (name, spec, code).
    raise NotImplementedError("exercise 7: _get_module_details is not written yet")


def _get_main_module_details(error: type[Exception] = ImportError) -> tuple[str, Any, Any]:
    """Find ``__main__`` on ``sys.path`` with the caller's ``__main__`` moved out of the way [RP-10].

    Without the move, the *running* ``__main__`` module would answer the
    lookup.  Put it back afterwards, however the lookup ends.  A failed
    lookup that mentions ``__main__`` becomes ``error("can't find '__main__'
    module in PATH0")``, PATH0 being ``sys.path[0]`` [ERR-10, CLI-24].
    """
    # TODO: Take sys.modules["__main__"] out, call _get_module_details("__main__") (with ImportError),
    # TODO: reword the error, and put the module back in a finally: block.  Tell both moves:
    # TODO: change = SetModule("__main__", None) (None: taken out), _changed / _restored.
    raise NotImplementedError("exercise 7: _get_main_module_details is not written yet")


def _run_module_as_main(mod_name: str, alter_argv: bool = True) -> dict[str, Any]:
    """What the interpreter calls for ``python -m MOD`` (and, with ``alter_argv=False``, ``python DIR``).

    The code runs in the *real* ``__main__`` module's dict with
    ``__name__ == "__main__"`` [CLI-03, CLI-16].  A lookup failure ends the
    process with ``sys.exit("EXECUTABLE: MESSAGE")`` [CLI-17].  With
    ``alter_argv``, ``sys.argv[0]`` becomes the module's file, for good [CLI-08].
    ``alter_argv=False`` with ``mod_name == "__main__"`` finds ``__main__``
    with ``_get_main_module_details``.
    """
    # TODO: 1. Look the module up with _Error as the error class; turn _Error into sys.exit(...).
    # TODO: 2. Set sys.argv[0] (if alter_argv) and run the code in sys.modules["__main__"].__dict__.
    raise NotImplementedError("exercise 7: _run_module_as_main is not written yet")


def run_module(
    mod_name: str,
    init_globals: dict[str, Any] | None = None,
    run_name: str | None = None,
    alter_sys: bool = False,
) -> dict[str, Any]:
    """Execute a module's code without importing it; return its globals [RM-01, RM-02].

    ``run_name`` defaults to the name of the module that really runs.
    Without ``alter_sys`` the code runs in a fresh dict and ``sys`` is left
    alone [RM-20]; with it, in a temporary module (``_run_module_code``).
    """
    # TODO: _get_module_details, default run_name, then _run_code in {} or _run_module_code.
    raise NotImplementedError("exercise 7: run_module is not written yet")


def _get_code_from_file(*args: Any) -> Any:
    """Read a script: compiled bytecode if the magic number matches, else source [RP-04, RP-23].

    Files are opened with ``io.open_code`` (audit hooks see them), and the
    name is ``os.fsdecode``-d first.  The signature follows the host's
    runpy: ``(run_name, fname) -> (code, fname)`` up to 3.12, ``(fname) ->
    code`` from 3.13.
    """
    # TODO: fname = args[-1]; open os.path.abspath(os.fsdecode(fname)) with io.open_code,
    # TODO: try pkgutil.read_code, else compile the source (with fname as the file name).
    raise NotImplementedError("exercise 7: _get_code_from_file is not written yet")


def run_path(
    path_name: Any,
    init_globals: dict[str, Any] | None = None,
    run_name: str | None = None,
) -> dict[str, Any]:
    """Execute the code at a file system location; return its globals [RP-01, RP-03].

    ``run_name`` defaults to ``"<run_path>"`` [RP-12]; ``__package__`` is
    ``run_name.rpartition(".")[0]`` [RP-15, RP-17].  A path some importer
    accepts (``pkgutil.get_importer``; before 3.12 an ``imp.NullImporter``
    means "none") is inserted at ``sys.path[0]``, its ``__main__`` found with
    ``_get_main_module_details`` and run in a temporary module, with
    ``sys.argv[0]`` set to the path; the entry is removed afterwards with
    ``sys.path.remove`` (ignore a ValueError) [RP-06, RP-07, RP-18, RP-21].
    Anything else is read as a file and run with ``_run_module_code``.
    From 3.13 a path-like or bytes ``path_name`` is ``os.fsdecode``-d
    after the importer lookup [RP-22].
    """
    # TODO: 1. Defaults for run_name and the package name; find the importer.
    # TODO: 2. No importer: _get_code_from_file, then _run_module_code(..., script_name=path_name).
    # TODO: 3. An importer: insert into sys.path, find __main__, run it in a _TempModule with
    # TODO:    _ModifiedArgv0(path_name); return a copy of the globals; remove the entry in finally:.
    raise NotImplementedError("exercise 7: run_path is not written yet")
