"""The pipeline: ``run_module``, ``run_path`` and ``python -m``, stage by stage.

Read :func:`run_module` first: it is the whole story on one screen.

1. **find_spec**: ask the import system where the module is.
2. **pick_main**: a package names its ``__main__`` (and the lookup goes
   round again with that name); a module's code object is loaded.
3. **build_globals**: decide ``__name__``, ``__file__``, ``__spec__`` ...
4. **alter_sys**: with ``alter_sys=True``, point ``sys.argv[0]`` and
   ``sys.modules[run_name]`` at the running module.
5. **exec**: run the code in its namespace.
6. **restore**: put ``sys`` back, whatever happened in step 5.

``run_path`` speaks the same language, but for a directory or zip file its
stages come in another order: the ``sys.path`` entry is altered *before*
the ``__main__`` lookup, and ``sys.modules['__main__']`` is moved aside
during that lookup and restored before the code runs.

The stages are reached through the table in force (:mod:`runpy_ref.stages`)
and read the version profile in force (:mod:`runpy_ref.profiles`).  The
helpers whose names start with ``_get`` and ``_run`` keep the names and
signatures of CPython's, because tools call them.
"""

from __future__ import annotations

import sys

from ._lean import TYPE_CHECKING
from .profiles import active_profile
from .records import PackageRedirect
from .stages import InsertPath, SetArgv0, SetModule, active_stages, altered, clear_when_released, new_module
from .stages.pick_main import cannot_run_package
from .trace.context import failure, run_frame

if TYPE_CHECKING:
    from types import CodeType, ModuleType
    from typing import Any

    from .profiles import Profile
    from .records import GlobalsPlan

__all__ = ["run_module", "run_path"]


def run_module(
    mod_name: str,
    init_globals: dict[str, Any] | None = None,
    run_name: str | None = None,
    alter_sys: bool = False,
) -> dict[str, Any]:
    """Execute a module's code without importing it; return its globals.

    Same contract as :func:`runpy.run_module` of the interpreter (or of the
    version chosen with :func:`runpy_ref.as_of`).

    mod_name -- absolute name of a module, or of a package (whose
    ``__main__`` submodule then runs); its parent packages are imported.
    init_globals -- optional mapping copied into the namespace before the
    code runs; it is not modified, and the special globals win over it.
    run_name -- ``__name__`` for the code when not None; otherwise the name
    of the module that runs (``mod_name`` or ``mod_name + '.__main__'``).
    alter_sys -- when true, ``sys.argv[0]`` and ``sys.modules[__name__]``
    point at the running module until the function returns; both are then
    restored, whether the code returned or raised.
    """
    with run_frame("run_module", mod_name, run_name, alter_sys, init_globals):
        name, spec, code = _get_module_details(mod_name)  # find_spec, pick_main
        run_name = name if run_name is None else run_name
        profile = active_profile()
        plan = active_stages().build_globals(spec=spec, run_name=run_name, init_globals=init_globals, profile=profile)
        if not alter_sys:  # "leave the sys module alone": run in a fresh dict
            return _execute(code, {}, plan, init_globals, run_name)
        module = new_module(run_name, profile=profile)
        kept = not profile.restore_modules_on_error  # RM-18: 2.5 left it there when the code raised
        with altered(SetModule(run_name, module, kept_if_raised=kept), SetArgv0(spec.origin)):  # alter_sys, restore
            _execute(code, module.__dict__, plan, init_globals, run_name)
        return _copied(module, profile)


def run_path(
    path_name: Any,
    init_globals: dict[str, Any] | None = None,
    run_name: str | None = None,
) -> dict[str, Any]:
    """Execute the code at a file system location; return its globals.

    Same contract as :func:`runpy.run_path` of the interpreter (or of the
    version chosen with :func:`runpy_ref.as_of`).

    path_name -- a source or bytecode file, which runs directly; or a
    directory or zip file (anything an importer accepts), which is put at
    ``sys.path[0]`` while its ``__main__`` module is found and run.
    init_globals -- optional mapping copied into the namespace first; it is
    not modified, and the special globals win over it.
    run_name -- ``__name__`` for the code when not None, else ``'<run_path>'``.
    """
    stages, profile = active_stages(), active_profile()
    run_name = "<run_path>" if run_name is None else run_name
    pkg_name = run_name.rpartition(".")[0]
    with run_frame("run_path", path_name, run_name, None, init_globals):
        if not profile.run_path_available:
            message = f"runpy.run_path does not exist in Python {profile.version} (added in 2.7 and 3.2)"
            raise failure(AttributeError, message, stage="pick_main", ids=("RP-01",))
        where = stages.pick_path(path_name, profile=profile)  # pick_main: a file, or a sys.path entry?
        if where.kind == "file":  # the file's code is loaded already; no import system involved
            plan = stages.build_globals(
                spec=None, run_name=run_name, init_globals=init_globals, script_name=where.path,
                pkg_name=pkg_name if profile.file_package_from_run_name else None,  # RP-15: None in 2.7
                loader=script_loader(run_name, where) if profile.loader_for_script_file else None,  # RP-14
                profile=profile,
            )
            return _execute_in_temp_module(where.code, plan, init_globals, run_name, where.path)
        with altered(InsertPath(where.path)):  # alter_sys first: the entry must be there for the lookup
            _, spec, code = _get_main_module_details()  # find_spec and pick_main of its __main__
            plan = stages.build_globals(
                spec=spec, run_name=run_name, init_globals=init_globals, profile=profile,
                pkg_name=pkg_name if profile.entry_package_from_run_name else "",  # RP-17: '' in 2.7
            )
            return _execute_in_temp_module(code, plan, init_globals, run_name, where.path)
        # restore: the entry leaves sys.path on the way out, last of all


def _execute(
    code: CodeType, namespace: dict[str, Any], plan: GlobalsPlan, init_globals: Any, name: Any
) -> dict[str, Any]:
    """Fill ``namespace``, ``init_globals`` first and the specials over them; then exec the code."""
    if init_globals is not None:
        namespace.update(init_globals)
    namespace.update(plan.specials)
    active_stages().exec(code, namespace, name=name)
    return namespace


def _execute_in_temp_module(
    code: CodeType, plan: GlobalsPlan, init_globals: Any, run_name: str, argv0: Any
) -> dict[str, Any]:
    """Run ``code`` in a temporary module registered as ``run_name`` (RP-18, RP-19)."""
    profile = active_profile()
    module = new_module(run_name, profile=profile)
    with altered(SetModule(run_name, module, ids=("RP-19",)), SetArgv0(argv0, ids=("RP-18",))):
        _execute(code, module.__dict__, plan, init_globals, run_name)
    return _copied(module, profile)


def _copied(module: ModuleType, profile: Profile) -> dict[str, Any]:
    """A copy of a temporary module's globals: the module may be cleared once it goes away (G-08)."""
    clear_when_released(module, profile=profile)
    return module.__dict__.copy()


def script_loader(run_name: str, where: Any) -> Any:
    """The loader 3.3's run_path gave a plain file: a source or a bytecode file loader (RP-14)."""
    from importlib.machinery import SourceFileLoader, SourcelessFileLoader

    kind = SourcelessFileLoader if where.source == "bytecode file" else SourceFileLoader
    return kind(run_name, where.path)


def _get_module_details(mod_name: str, error: type[Exception] = ImportError) -> tuple[str, Any, CodeType]:
    """find_spec, then pick_main; a package goes round again with its ``__main__``.

    Returns ``(name, spec, code)`` of the module that will run, like CPython's.
    """
    stages, profile = active_stages(), active_profile()
    found = stages.find_spec(mod_name, error=error, profile=profile)
    chosen = stages.pick_main(found, error=error, profile=profile)
    if isinstance(chosen, PackageRedirect):
        try:
            return _get_module_details(chosen.main, error)
        except error as exc:
            if mod_name not in sys.modules and active_profile().package_suffix_if_imported_only:
                raise  # the package itself failed to import: being a package is beside the point (ERR-04)
            raise cannot_run_package(exc, mod_name, error)  # noqa: B904 - implicit chaining, as CPython's
    return chosen.name, chosen.spec, chosen.code


def _get_main_module_details(error: type[Exception] = ImportError) -> tuple[str, Any, CodeType]:
    """Find ``__main__`` on ``sys.path``, with the caller's ``__main__`` moved aside (RP-10).

    Without the move, the running ``__main__`` module (whose ``__spec__``
    or ``__loader__`` describe *another* file) could answer the lookup
    instead of the directory or zip just put on ``sys.path``.
    """
    main_name = "__main__"
    with altered(SetModule(main_name, None, ids=("RP-10",))):
        try:
            return _get_module_details(main_name)
        except ImportError as exc:
            if main_name not in str(exc):
                raise
            message = active_profile().main_not_found_template.format(main=main_name, path=sys.path[0])
            raise failure(error, message, stage="find_spec", ids=("ERR-10", "CLI-24")) from exc


class _Error(Exception):
    """A ``python -m`` lookup failure: reported as one line, no traceback (CLI-17)."""


def _run_module_as_main(mod_name: str, alter_argv: bool = True) -> dict[str, Any]:
    """What the interpreter calls for ``python -m MOD`` and ``python DIR_OR_ZIP``.

    The code runs in the real ``__main__`` module's namespace (CLI-03), and
    ``sys.argv[0]`` becomes the module's file for good: the process *is*
    that module now.  Lookup errors end the process with one line naming the
    interpreter (CLI-17).
    """
    with run_frame("_run_module_as_main", mod_name, "__main__", alter_argv):
        try:
            if alter_argv or mod_name != "__main__":  # the -m switch
                mod_name, spec, code = _get_module_details(mod_name, _Error)
            else:  # a directory or zip file given as the script
                mod_name, spec, code = _get_main_module_details(_Error)
        except _Error as exc:
            sys.exit(active_profile().lookup_error_format.format(executable=sys.executable, message=exc))
        main_globals = sys.modules["__main__"].__dict__
        if alter_argv:
            active_stages().alter_sys(SetArgv0(spec.origin, lasting=True, ids=("CLI-08",)))
        plan = active_stages().build_globals(
            spec=spec, run_name="__main__", init_globals=None, profile=active_profile()
        )
        return _execute(code, main_globals, plan, None, "__main__")
