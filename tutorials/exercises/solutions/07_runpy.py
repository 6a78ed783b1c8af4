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
        # TODO-BEGIN
        # TODO: Remember the current sys.modules entry (or _NOTHING), then install self.module;
        # TODO: tell it: change = SetModule(name, module), before = read_target(change) first,
        # TODO: _changed(change, before) after.
        change = SetModule(self.mod_name, self.module)
        before = read_target(change)
        self._saved = sys.modules.get(self.mod_name, _NOTHING)
        sys.modules[self.mod_name] = self.module
        _changed(change, before)
        return self
        # TODO-END

    def __exit__(self, *exc_info: Any) -> None:
        # TODO-BEGIN
        # TODO: Put the remembered entry back, or remove the entry if there was none;
        # TODO: tell it with _restored(SetModule(name, module), before).
        change = SetModule(self.mod_name, self.module)
        before = read_target(change)
        if self._saved is _NOTHING:
            sys.modules.pop(self.mod_name, None)
            action = "removed"
        else:
            sys.modules[self.mod_name] = self._saved
            action = "set"
        self._saved = _NOTHING
        _restored(change, before, action)
        # TODO-END


class _ModifiedArgv0:
    """``with _ModifiedArgv0(value):`` - ``sys.argv[0]`` is ``value`` inside, restored afterwards."""

    def __init__(self, value: Any) -> None:
        self.value = value
        self._saved: Any = _NOTHING

    def __enter__(self) -> None:
        # TODO-BEGIN
        # TODO: Refuse to be entered twice (RuntimeError("Already preserving saved value")),
        # TODO: then save sys.argv[0] and set it to self.value.
        if self._saved is not _NOTHING:
            raise RuntimeError("Already preserving saved value")
        change = SetArgv0(self.value)
        before = read_target(change)
        self._saved = sys.argv[0]
        sys.argv[0] = self.value
        _changed(change, before)
        # TODO-END

    def __exit__(self, *exc_info: Any) -> None:
        # TODO-BEGIN
        # TODO: Put the saved value back into sys.argv[0], and tell it (SetArgv0, _restored).
        change = SetArgv0(self.value)
        before = read_target(change)
        sys.argv[0] = self._saved
        self._saved = _NOTHING
        _restored(change, before)
        # TODO-END


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
    # TODO-BEGIN
    # TODO: 1. run_globals.update(init_globals) when init_globals is given (never modify init_globals).
    # TODO: 2. Compute the seven specials, emit the GlobalsPlan, set them (they override init_globals).
    # TODO: 3. exec(code, run_globals) between ExecStarted and ExecFinished (exercise 5); return run_globals.
    if init_globals is not None:
        run_globals.update(init_globals)
    if mod_spec is None:
        loader, fname, cached = None, script_name, None
    else:
        loader, fname, cached = mod_spec.loader, mod_spec.origin, mod_spec.cached
        if pkg_name is None:
            pkg_name = mod_spec.parent
    specials = {
        "__name__": mod_name,
        "__file__": fname,
        "__cached__": cached,
        "__doc__": None,
        "__loader__": loader,
        "__package__": pkg_name,
        "__spec__": mod_spec,
    }
    given = tuple(init_globals or ())
    emit(GlobalsPlan(tuple(specials.items()), tuple(k for k in given if k not in specials),
                     tuple(k for k in given if k in specials), ()))
    run_globals.update(specials)
    emit(ExecStarted(mod_name, namespace_kind(run_globals, mod_name)))
    try:
        exec(code, run_globals)
    except SystemExit as exc:
        emit(ExecFinished(mod_name, "exit", "SystemExit", exc.code))
        raise
    except BaseException as exc:
        emit(ExecFinished(mod_name, "raised", type(exc).__name__))
        raise
    emit(ExecFinished(mod_name, "returned"))
    return run_globals
    # TODO-END


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
    # TODO-BEGIN
    # TODO: with _TempModule(mod_name) as temp, _ModifiedArgv0(file name):
    # TODO:     _run_code(... temp.module.__dict__ ...)
    # TODO: then return a copy of temp.module.__dict__.
    fname = script_name if mod_spec is None else mod_spec.origin
    with _TempModule(mod_name) as temp, _ModifiedArgv0(fname):
        _run_code(code, temp.module.__dict__, init_globals, mod_name, mod_spec, pkg_name, script_name)
    return temp.module.__dict__.copy()
    # TODO-END


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
    # TODO-BEGIN
    # TODO: Exercise 1 (find the spec) then exercise 2 (pick the code); a package calls this function
    # TODO: again for NAME.__main__.  Return (name, spec, code).
    if mod_name.startswith("."):
        raise error("Relative module names not supported")
    pkg_name, _, _ = mod_name.rpartition(".")
    if pkg_name:
        try:
            __import__(pkg_name)
        except ImportError as exc:
            if exc.name is None or (exc.name != pkg_name and not pkg_name.startswith(exc.name + ".")):
                raise  # raised inside an existing parent: its own error, unchanged
        else:
            emit(ParentImported(pkg_name, mod_name))
        existing = sys.modules.get(mod_name)
        if existing is not None and not hasattr(existing, "__path__"):
            from warnings import warn

            message = (f"{mod_name!r} found in sys.modules after import of package {pkg_name!r}, "
                       f"but prior to execution of {mod_name!r}; this may result in unpredictable behaviour")
            emit(AlreadyImported(mod_name, pkg_name, message))
            warn(RuntimeWarning(message))  # noqa: B028 - stacklevel 1, as CPython's runpy
    try:
        spec = importlib.util.find_spec(mod_name)
    except (ImportError, AttributeError, TypeError, ValueError) as exc:
        message = f"Error while finding module specification for {mod_name!r} ({type(exc).__name__}: {exc})"
        if mod_name.endswith(".py"):
            message += f". Try using '{mod_name[:-3]}' instead of '{mod_name}' as the module name."
        raise error(message) from exc
    if spec is None:
        raise error("No module named %s" % mod_name)
    emit(SpecFound(mod_name, spec))
    if spec.submodule_search_locations is not None:
        if mod_name == "__main__" or mod_name.endswith(".__main__"):
            raise error("Cannot use package as __main__ module")
        emit(PackageRedirect(mod_name, mod_name + ".__main__"))
        try:
            return _get_module_details(mod_name + ".__main__", error)
        except error as exc:
            if mod_name not in sys.modules:
                raise
            raise error(f"{exc}; {mod_name!r} is a package and cannot be directly executed")  # noqa: B904
    loader = spec.loader
    if loader is None:
        raise error(f"{mod_name!r} is a namespace package and cannot be executed")
    try:
        code = loader.get_code(mod_name)
    except ImportError as exc:
        raise error(format(exc)) from exc
    if code is None:
        raise error(f"No code object available for {mod_name}")
    emit(MainChoice(mod_name, spec, "loader.get_code()", code))
    return mod_name, spec, code
    # TODO-END


def _get_main_module_details(error: type[Exception] = ImportError) -> tuple[str, Any, Any]:
    """Find ``__main__`` on ``sys.path`` with the caller's ``__main__`` moved out of the way [RP-10].

    Without the move, the *running* ``__main__`` module would answer the
    lookup.  Put it back afterwards, however the lookup ends.  A failed
    lookup that mentions ``__main__`` becomes ``error("can't find '__main__'
    module in PATH0")``, PATH0 being ``sys.path[0]`` [ERR-10, CLI-24].
    """
    # TODO-BEGIN
    # TODO: Take sys.modules["__main__"] out, call _get_module_details("__main__") (with ImportError),
    # TODO: reword the error, and put the module back in a finally: block.  Tell both moves:
    # TODO: change = SetModule("__main__", None) (None: taken out), _changed / _restored.
    change = SetModule("__main__", None)
    before = read_target(change)
    saved_main = sys.modules.pop("__main__")
    _changed(change, before)
    try:
        return _get_module_details("__main__")
    except ImportError as exc:
        if "__main__" in str(exc):
            raise error("can't find '__main__' module in %r" % (sys.path[0],)) from exc
        raise
    finally:
        before = read_target(change)
        sys.modules["__main__"] = saved_main
        _restored(change, before)
    # TODO-END


def _run_module_as_main(mod_name: str, alter_argv: bool = True) -> dict[str, Any]:
    """What the interpreter calls for ``python -m MOD`` (and, with ``alter_argv=False``, ``python DIR``).

    The code runs in the *real* ``__main__`` module's dict with
    ``__name__ == "__main__"`` [CLI-03, CLI-16].  A lookup failure ends the
    process with ``sys.exit("EXECUTABLE: MESSAGE")`` [CLI-17].  With
    ``alter_argv``, ``sys.argv[0]`` becomes the module's file, for good [CLI-08].
    ``alter_argv=False`` with ``mod_name == "__main__"`` finds ``__main__``
    with ``_get_main_module_details``.
    """
    # TODO-BEGIN
    # TODO: 1. Look the module up with _Error as the error class; turn _Error into sys.exit(...).
    # TODO: 2. Set sys.argv[0] (if alter_argv) and run the code in sys.modules["__main__"].__dict__.
    try:
        if alter_argv or mod_name != "__main__":
            mod_name, spec, code = _get_module_details(mod_name, _Error)
        else:
            mod_name, spec, code = _get_main_module_details(_Error)
    except _Error as exc:
        sys.exit(f"{sys.executable}: {exc}")
    main_globals = sys.modules["__main__"].__dict__
    if alter_argv:
        change = SetArgv0(spec.origin, lasting=True)
        before = read_target(change)
        sys.argv[0] = spec.origin
        _changed(change, before)
    return _run_code(code, main_globals, None, "__main__", spec)
    # TODO-END


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
    # TODO-BEGIN
    # TODO: _get_module_details, default run_name, then _run_code in {} or _run_module_code.
    mod_name, spec, code = _get_module_details(mod_name)
    if run_name is None:
        run_name = mod_name
    if alter_sys:
        return _run_module_code(code, init_globals, run_name, spec)
    return _run_code(code, {}, init_globals, run_name, spec)
    # TODO-END


def _get_code_from_file(*args: Any) -> Any:
    """Read a script: compiled bytecode if the magic number matches, else source [RP-04, RP-23].

    Files are opened with ``io.open_code`` (audit hooks see them), and the
    name is ``os.fsdecode``-d first.  The signature follows the host's
    runpy: ``(run_name, fname) -> (code, fname)`` up to 3.12, ``(fname) ->
    code`` from 3.13.
    """
    # TODO-BEGIN
    # TODO: fname = args[-1]; open os.path.abspath(os.fsdecode(fname)) with io.open_code,
    # TODO: try pkgutil.read_code, else compile the source (with fname as the file name).
    fname = args[-1]
    path = os.path.abspath(os.fsdecode(fname))
    with io.open_code(path) as stream:
        code = read_code(stream)
    source = "bytecode file"
    if code is None:
        source = "source file"
        with io.open_code(path) as stream:
            code = compile(stream.read(), fname, "exec")
    emit(PathChoice(fname, "file", None, code))
    emit(MainChoice(fname, None, source, code))
    return code if sys.version_info >= (3, 13) else (code, fname)
    # TODO-END


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
    # TODO-BEGIN
    # TODO: 1. Defaults for run_name and the package name; find the importer.
    # TODO: 2. No importer: _get_code_from_file, then _run_module_code(..., script_name=path_name).
    # TODO: 3. An importer: insert into sys.path, find __main__, run it in a _TempModule with
    # TODO:    _ModifiedArgv0(path_name); return a copy of the globals; remove the entry in finally:.
    if run_name is None:
        run_name = "<run_path>"
    pkg_name = run_name.rpartition(".")[0]
    importer = get_importer(path_name)
    kind = type(importer)
    if sys.version_info < (3, 12) and kind.__module__ == "imp" and kind.__name__ == "NullImporter":
        importer = None
    if sys.version_info >= (3, 13):
        path_name = os.fsdecode(path_name)
    if importer is None:
        code = _get_code_from_file(path_name) if sys.version_info >= (3, 13) else (
            _get_code_from_file(run_name, path_name)[0]
        )
        return _run_module_code(code, init_globals, run_name, pkg_name=pkg_name, script_name=path_name)
    emit(PathChoice(path_name, "sys.path entry", type(importer).__qualname__, None))
    entry = InsertPath(path_name)
    before = read_target(entry)
    sys.path.insert(0, path_name)
    _changed(entry, before)
    try:
        _, spec, code = _get_main_module_details()
        with _TempModule(run_name) as temp, _ModifiedArgv0(path_name):
            return _run_code(code, temp.module.__dict__, init_globals, run_name, spec, pkg_name).copy()
    finally:
        before = read_target(entry)
        try:
            sys.path.remove(path_name)
            action = "removed"
        except ValueError:
            action = "already gone"
        _restored(entry, before, action)
    # TODO-END
