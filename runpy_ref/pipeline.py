"""The pipeline: ``run_module``, ``run_path`` and ``python -m``, stage by stage.

Read :func:`run_module` first: it is the whole story on one screen.

1. **find_spec** - ask the import system where the module is.
2. **pick_main** - a package runs its ``__main__``; load the code object.
3. **build_globals** - decide ``__name__``, ``__file__``, ``__spec__`` ...
4. **alter_sys** - with ``alter_sys=True``, point ``sys.argv[0]`` and
   ``sys.modules[run_name]`` at the running module.
5. **exec** - run the code in its namespace.
6. **restore** - put ``sys`` back, whatever happened in step 5.

``run_path`` speaks the same language, but its stages come in another order
and some come twice: a directory's ``sys.path`` entry is altered *before* the
``__main__`` lookup, and ``sys.modules['__main__']`` is moved aside during
that lookup and restored before the code runs.

The private helpers CPython's own tools call (``_run_code``,
``_run_module_code``, ``_get_module_details``, ``_run_module_as_main``) keep
the signatures of the host's runpy, so that ``sys.modules['runpy'] =
runpy_ref`` keeps pdb, profile and the interpreter's ``-m`` working.
"""

from __future__ import annotations

import sys
from types import ModuleType

from .profiles import Profile, host_profile
from .records import RunFinished, RunStarted
from .stages import InsertPath, SetArgv0, SetModule, _current, active_stages, altered, init_globals_keys

TYPE_CHECKING = False
if TYPE_CHECKING:  # names for annotations only: importing typing costs python -m runpy_ref
    from typing import Any

    from .trace import Tracer

__all__ = ["run_module", "run_path"]

_PROFILE: Profile = host_profile()


def run_module(
    mod_name: str,
    init_globals: dict[str, Any] | None = None,
    run_name: str | None = None,
    alter_sys: bool = False,
) -> dict[str, Any]:
    """Execute a module's code without importing it; return its globals.

    Same contract as :func:`runpy.run_module` of the running interpreter.

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
    stages, profile = active_stages(), _PROFILE
    with _traced_run("run_module", mod_name, run_name, alter_sys, init_globals):
        found = stages.find_spec(mod_name, error=ImportError, profile=profile)  # 1
        chosen = stages.pick_main(found, error=ImportError, profile=profile)  # 2
        run_name = chosen.name if run_name is None else run_name
        plan = stages.build_globals(  # 3
            spec=chosen.spec, run_name=run_name, init_globals=init_globals, profile=profile
        )
        if not alter_sys:  # "leave the sys module alone": run in a fresh dict
            return _execute(chosen.code, {}, plan, init_globals, run_name, "fresh dict")  # 5
        module = ModuleType(run_name)
        with altered(SetModule(run_name, module), SetArgv0(chosen.spec.origin)):  # 4 ... 6
            _execute(chosen.code, module.__dict__, plan, init_globals, run_name, "temporary module")
        return module.__dict__.copy()  # the module may be cleared once it goes away


def run_path(
    path_name: Any,
    init_globals: dict[str, Any] | None = None,
    run_name: str | None = None,
) -> dict[str, Any]:
    """Execute the code at a file system location; return its globals.

    Same contract as :func:`runpy.run_path` of the running interpreter.

    path_name -- a source or bytecode file, which runs directly; or a
    directory or zip file (anything an importer accepts), which is put at
    ``sys.path[0]`` while its ``__main__`` module is found and run.
    init_globals -- optional mapping copied into the namespace first; it is
    not modified, and the special globals win over it.
    run_name -- ``__name__`` for the code when not None, else ``'<run_path>'``.
    """
    stages, profile = active_stages(), _PROFILE
    run_name = "<run_path>" if run_name is None else run_name
    pkg_name = run_name.rpartition(".")[0]
    with _traced_run("run_path", path_name, run_name, None, init_globals):
        where = stages.pick_path(path_name, profile=profile)  # 2 (file or sys.path entry?)
        if where.code is not None:  # a file: no import system involved
            plan = stages.build_globals(  # 3
                spec=None, run_name=run_name, init_globals=init_globals,
                pkg_name=pkg_name, script_name=where.path, profile=profile,
            )
            return _execute_in_temp_module(where.code, plan, init_globals, run_name, where.path)
        with altered(InsertPath(where.path)):  # 4 (then 6, last of all)
            _, spec, code = _get_main_module_details()  # 4, 1, 2, 6
            plan = stages.build_globals(  # 3
                spec=spec, run_name=run_name, init_globals=init_globals,
                pkg_name=pkg_name, profile=profile,
            )
            return _execute_in_temp_module(code, plan, init_globals, run_name, where.path)


# -- shared steps --------------------------------------------------------------


def _execute(
    code: Any,
    namespace: dict[str, Any],
    plan: Any,
    init_globals: dict[str, Any] | None,
    name: Any,
    kind: str,
) -> dict[str, Any]:
    """Populate ``namespace`` as ``plan`` says, then run ``code`` in it."""
    if init_globals is not None:
        namespace.update(init_globals)
    namespace.update(plan.specials)
    active_stages().exec(code, namespace, name=name, namespace_kind=kind)  # 5
    return namespace


def _execute_in_temp_module(
    code: Any, plan: Any, init_globals: dict[str, Any] | None, run_name: str, argv0: Any
) -> dict[str, Any]:
    """Run ``code`` in a temporary module registered as ``run_name``."""
    module = ModuleType(run_name)
    with altered(SetModule(run_name, module, ids=("RP-19",)), SetArgv0(argv0, ids=("RP-18",))):
        _execute(code, module.__dict__, plan, init_globals, run_name, "temporary module")
    return module.__dict__.copy()


class _Run:
    """A traced run's frame: ``run_started`` on the way in, ``run_finished`` on every way out."""

    def __init__(self, tracer: Tracer, record: RunStarted) -> None:
        self.tracer = tracer
        self.record = record

    def __enter__(self) -> None:
        self.tracer.begin_run(self.record)

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        api = self.record.api
        if exc_type is None:
            finished = RunFinished(api, "returned")
        elif isinstance(exc, SystemExit):
            from .trace import safe_repr  # loaded already: a tracer is running

            code = safe_repr(exc.code, limit=sys.maxsize)  # the tracer bounds the whole text, once
            finished = RunFinished(api, "exit", f"SystemExit({code})")
        else:
            finished = RunFinished(api, "raised", exc_type.__name__)
        self.tracer.end_run(finished)  # the exception, if any, propagates unchanged


class _Untraced:
    """Stands in for :class:`_Run` when tracing is off: a ``with`` block that does nothing."""

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc_info: Any) -> None:
        pass


_UNTRACED = _Untraced()


def _traced_run(
    api: str, target: Any, run_name: Any, alter_sys: bool | None, init_globals: Any
) -> Any:
    """Frame a run with run_started/run_finished; nearly free when untraced."""
    tracer = _current.get()  # trace.current(), without its Python frame
    if tracer is None:
        return _UNTRACED
    keys = None if init_globals is None else tuple(map(_key_name, init_globals_keys(init_globals)))
    return _Run(tracer, RunStarted(api, target, run_name, alter_sys, keys))


def _key_name(key: Any) -> str:
    """A key's name for the trace; ``str()`` of a hostile key must not break the run."""
    from .trace import safe_repr  # loaded already: a tracer is running

    return key if isinstance(key, str) else safe_repr(key)


# -- CPython's private helpers, same signatures ------------------------------------


def _get_module_details(mod_name: str, error: type[Exception] = ImportError) -> tuple[str, Any, Any]:
    """find_spec + pick_main; returns ``(name, spec, code)`` like CPython's."""
    stages, profile = active_stages(), _PROFILE
    found = stages.find_spec(mod_name, error=error, profile=profile)
    chosen = stages.pick_main(found, error=error, profile=profile)
    return chosen.name, chosen.spec, chosen.code


def _get_main_module_details(error: type[Exception] = ImportError) -> tuple[str, Any, Any]:
    """Find ``__main__`` on sys.path, with the caller's ``__main__`` moved aside.

    Without the move, the running ``__main__`` module (whose ``__spec__``
    or ``__loader__`` describe *another* file) could answer the lookup
    instead of the directory or zip just put on ``sys.path`` (RP-10).
    """
    main_name = "__main__"
    with altered(SetModule(main_name, None, ids=("RP-10",))):
        try:
            return _get_module_details(main_name)
        except ImportError as exc:
            if main_name in str(exc):
                raise error("can't find %r module in %r" % (main_name, sys.path[0])) from exc
            raise


def _run_code(
    code: Any,
    run_globals: dict[str, Any],
    init_globals: dict[str, Any] | None = None,
    mod_name: Any = None,
    mod_spec: Any = None,
    pkg_name: str | None = None,
    script_name: Any = None,
) -> dict[str, Any]:
    """Run ``code`` in ``run_globals`` after setting the special globals."""
    plan = active_stages().build_globals(
        spec=mod_spec, run_name=mod_name, init_globals=init_globals,
        pkg_name=pkg_name, script_name=script_name, profile=_PROFILE,
    )
    return _execute(code, run_globals, plan, init_globals, mod_name, _namespace_kind(run_globals))


def _namespace_kind(namespace: dict[str, Any]) -> str:
    main = sys.modules.get("__main__")
    return "__main__ module" if main is not None and vars(main) is namespace else "given dict"


def _run_module_code(
    code: Any,
    init_globals: dict[str, Any] | None = None,
    mod_name: Any = None,
    mod_spec: Any = None,
    pkg_name: str | None = None,
    script_name: Any = None,
) -> dict[str, Any]:
    """Run ``code`` in a temporary module, with ``sys.argv[0]`` pointing at it."""
    fname = script_name if mod_spec is None else mod_spec.origin
    module = ModuleType(mod_name)
    with altered(SetModule(mod_name, module), SetArgv0(fname)):
        _run_code(code, module.__dict__, init_globals, mod_name, mod_spec, pkg_name, script_name)
    return module.__dict__.copy()


class _Error(Exception):
    """A ``python -m`` failure that is reported as one line, no traceback."""


def _run_module_as_main(mod_name: str, alter_argv: bool = True) -> dict[str, Any]:
    """What the interpreter calls for ``python -m MOD`` and ``python DIR_OR_ZIP``.

    The code runs in the real ``__main__`` module's namespace (CLI-03), and
    ``sys.argv[0]`` becomes the module's file for good: the process *is*
    that module now.  Lookup errors end the process with one line naming the
    interpreter, as ``python -m`` does (CLI-17).
    """
    with _traced_run("_run_module_as_main", mod_name, "__main__", alter_argv, None):
        try:
            if alter_argv or mod_name != "__main__":  # the -m switch
                mod_name, spec, code = _get_module_details(mod_name, _Error)
            else:  # a directory or zip file given as the script
                mod_name, spec, code = _get_main_module_details(_Error)
        except _Error as exc:
            sys.exit("%s: %s" % (sys.executable, exc))
        main_globals = sys.modules["__main__"].__dict__
        if alter_argv:
            active_stages().alter_sys(SetArgv0(spec.origin, lasting=True, ids=("CLI-08",)))
        return _run_code(code, main_globals, None, "__main__", spec)


def _code_and_name(run_name: Any, fname: Any) -> tuple[Any, Any]:
    """3.9-3.12: ``_get_code_from_file(run_name, fname) -> (code, fname)``."""
    from .stages import _code_from_file

    return _code_from_file(fname)[0], fname


def _code_only(fname: Any) -> Any:
    """3.13: ``_get_code_from_file(fname) -> code``; ``run_path`` has decoded ``fname``."""
    from .stages import _code_from_file

    return _code_from_file(fname, decode=False)[0]


def _get_code_from_file(*args: Any, **kwargs: Any) -> Any:
    """CPython's private file reader, with the host version's signature.

    The variant is chosen per call from the active profile; ``inspect.signature``
    reports the host's parameters (through ``__wrapped__``, set below, so that
    ``inspect`` need not be imported), and calls bind like the host's.
    """
    variant = _code_and_name if _PROFILE.code_from_file_returns_name else _code_only
    return variant(*args, **kwargs)


# inspect.signature() follows __wrapped__: it reports the host variant's parameters.
_get_code_from_file.__wrapped__ = (  # type: ignore[attr-defined]
    _code_and_name if _PROFILE.code_from_file_returns_name else _code_only
)
