"""The six stages, each a short function with a stated contract.

=============  ==========================================================
stage          contract
=============  ==========================================================
find_spec      ``find_spec(name, *, error, profile) -> SpecFound``
pick_main      ``pick_main(found, *, error, profile) -> MainChoice``
               ``pick_path(path, *, profile) -> PathChoice`` (run_path)
build_globals  ``build_globals(*, spec, run_name, init_globals, pkg_name,
               script_name, profile) -> GlobalsPlan`` (pure)
alter_sys      ``alter_sys(change) -> Applied``
exec           ``exec_code(code, namespace, *, name, namespace_kind)
               -> ExecFinished``
restore        ``restore(applied) -> SysRestored``
=============  ==========================================================

The pipeline (:mod:`runpy_ref.pipeline`) reaches every stage through the
active :class:`Stages` table, so :func:`use_stages` can plug in another
implementation of one contract, which is how the classroom exercises grade a
student's ``pick_main``.  Errors are raised through the ``error`` class the
caller passes in, as CPython's runpy does: ``ImportError`` for the public
API, a private class for ``python -m`` so that it can print one line.
"""

from __future__ import annotations

import importlib.util  # already imported when python -m starts runpy_ref
import os
import sys

from .profiles import Profile
from .records import (
    AlreadyImported,
    ExecFinished,
    ExecStarted,
    Frozen,
    GlobalsPlan,
    MainChoice,
    PackageRedirect,
    ParentImported,
    PathChoice,
    Record,
    SpecFound,
    StageFailed,
    SysChanged,
    SysRestored,
    set_field,
)

try:  # contextvars.py only re-exports its C module: importing that directly saves a module load
    from _contextvars import ContextVar
except ImportError:  # pragma: no cover - other Pythons
    from contextvars import ContextVar

TYPE_CHECKING = False
if TYPE_CHECKING:  # names for annotations only: importing typing costs python -m runpy_ref
    from collections.abc import Callable
    from types import ModuleType
    from typing import Any

__all__ = [
    "DEFAULT_STAGES",
    "Applied",
    "InsertPath",
    "ReplaceArgv",
    "SetArgv0",
    "SetModule",
    "Stages",
    "active_stages",
    "alter_sys",
    "build_globals",
    "exec_code",
    "find_spec",
    "pick_main",
    "pick_path",
    "restore",
    "stage",
    "use_stages",
]

_MISSING = object()


class _Absent:
    """Stands for "no such entry" in the before/after values of the trace."""

    def __repr__(self) -> str:
        return "<absent>"


ABSENT = _Absent()


# -- what is in force for this context ------------------------------------------
# The tracer (set by runpy_ref.trace.tracing()) and the stage table (set by use_stages()) are
# context variables: each thread, and each asyncio task, sees its own.

_current: ContextVar[Any] = ContextVar("runpy_ref_tracer", default=None)
"""The active :class:`~runpy_ref.trace.Tracer`, or ``None``: tracing is off (the fast path)."""

_tracer = _current.get
"""``trace.current()`` without its Python frame: asked at every stage, so kept cheap."""


def _emit(record: Record) -> Any:
    """Hand ``record`` to the tracer when one is active; return it either way."""
    tracer = _tracer()
    if tracer is not None:
        tracer.emit(record)
    return record


def stage(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark ``fn`` as the implementation of stage ``name``; ``fn`` itself is unchanged.

    The mark is for readers and tools (``fn.stage``).  What a stage adds at
    run time comes from the stage table: while tracing, :func:`active_stages`
    hands the pipeline each stage wrapped so that a failure inside it is
    reported once as a ``stage_failed`` event (the exception still
    propagates unchanged), which is also how a student's function plugged in
    with :func:`use_stages` shows up in the trace.  Untraced, the pipeline
    calls the functions directly: a wrapper costs a call more per stage.
    """

    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn.stage = name  # type: ignore[attr-defined]
        return fn

    return mark


def _reporting(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn``, wrapped to report its failure as ``stage_failed`` (tracing only)."""

    def traced(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except BaseException as exc:
            _report_failure(name, exc)
            raise

    # What functools.wraps would copy (importing functools costs python -m runpy_ref):
    # the name and docstring for help(), __wrapped__ for inspect.signature().
    for attribute in ("__module__", "__name__", "__qualname__", "__doc__", "__annotations__"):
        setattr(traced, attribute, getattr(fn, attribute, None))
    traced.__wrapped__ = fn  # type: ignore[attr-defined]
    traced.stage = name  # type: ignore[attr-defined]
    return traced


def _report_failure(name: str, exc: BaseException) -> None:
    tracer = _tracer()
    if tracer is None or getattr(exc, "_runpy_ref_reported", False):
        return
    try:
        exc._runpy_ref_reported = True  # type: ignore[attr-defined]
    except AttributeError:  # pragma: no cover - exceptions with __slots__
        pass
    message = _message(exc)
    tracer.emit(StageFailed(name, type(exc).__name__, message, ids=_error_ids(message)), stage=name)


def _message(exc: BaseException) -> str:
    """``str(exc)``, except that a raising ``__str__`` must not replace the user's exception."""
    try:
        return str(exc)
    except Exception as error:
        return f"<{type(exc).__name__} message; str() raised {type(error).__name__}>"


def _error_ids(message: str) -> tuple[str, ...]:
    """Catalogue entries for the error messages runpy itself composes."""
    table = (
        ("Relative module names", ("RM-05", "ERR-06")),
        ("is a package and cannot", ("ERR-04",)),
        ("Cannot use package as __main__", ("RM-22", "ERR-05")),
        ("Error while finding module specification", ("ERR-02", "ERR-03")),
        ("No code object available", ("ERR-08", "RM-26")),
        ("is a namespace package", ("ERR-09",)),
        ("can't find '__main__'", ("ERR-10",)),
        ("No module named", ("ERR-01",)),
    )
    return next((ids for text, ids in table if text in message), ())


# -- find_spec ---------------------------------------------------------------


@stage("find_spec")
def find_spec(mod_name: str, *, error: type[Exception], profile: Profile) -> SpecFound:
    """Locate ``mod_name`` without executing it (its parents do get imported).

    Documented in: runpy docs, ``run_module`` ("locate using the standard
    import mechanism"); PEP 338.  CPython: the first half of
    ``runpy._get_module_details``.
    """
    if profile.reject_relative_names and mod_name.startswith("."):
        raise error("Relative module names not supported")
    pkg_name = mod_name.rpartition(".")[0]
    if pkg_name:
        _import_parent(pkg_name, mod_name)
        if profile.warn_if_already_imported:
            _warn_if_already_imported(mod_name, pkg_name)
    spec = _lookup_spec(mod_name, error, profile)
    if spec is None:
        raise error("No module named %s" % mod_name)
    return _emit(SpecFound(mod_name, spec))


def _import_parent(pkg_name: str, mod_name: str) -> None:
    """Import the parent first, so that its own errors are not disguised.

    A missing parent is left for the lookup to report; any other failure in
    the parent's ``__init__`` propagates unchanged (RM-25, bpo-14285).
    """
    try:
        __import__(pkg_name)
    except ImportError as exc:
        missing = exc.name
        if missing is None or (missing != pkg_name and not pkg_name.startswith(missing + ".")):
            raise
    else:
        _emit(ParentImported(pkg_name, mod_name))


def _warn_if_already_imported(mod_name: str, pkg_name: str) -> None:
    existing = sys.modules.get(mod_name)
    if existing is None or hasattr(existing, "__path__"):
        return
    message = (
        f"{mod_name!r} found in sys.modules after import of package {pkg_name!r}, "
        f"but prior to execution of {mod_name!r}; this may result in unpredictable behaviour"
    )
    _emit(AlreadyImported(mod_name, pkg_name, message))
    from warnings import warn

    warn(RuntimeWarning(message))  # noqa: B028 - stacklevel 1, as CPython's runpy


def _lookup_spec(mod_name: str, error: type[Exception], profile: Profile) -> Any:
    """``importlib.util.find_spec``, with its assorted failures made ImportErrors."""
    try:
        return importlib.util.find_spec(mod_name)
    except (ImportError, AttributeError, TypeError, ValueError) as exc:
        message = profile.spec_error_template.format(
            name=mod_name, type=type(exc).__name__, error=exc
        )
        if profile.py_suffix_hint and mod_name.endswith(".py"):
            message += (
                f". Try using '{mod_name[:-3]}' instead of '{mod_name}' as the module name."
            )
        raise error(message) from exc


# -- pick_main ------------------------------------------------------------------


@stage("pick_main")
def pick_main(found: SpecFound, *, error: type[Exception], profile: Profile) -> MainChoice:
    """Decide which module's code runs, and load that code.

    A package runs its ``__main__`` submodule (RM-06); a module runs itself.
    CPython: the second half of ``runpy._get_module_details``.
    """
    if found.is_package:
        return _pick_package_main(found, error, profile)
    loader = found.spec.loader
    if loader is None:
        raise error("%r is a namespace package and cannot be executed" % found.name)
    try:
        code = loader.get_code(found.name)
    except ImportError as exc:
        raise error(format(exc)) from exc
    if code is None:
        raise error("No code object available for %s" % found.name)
    return _emit(MainChoice(found.name, found.spec, "loader.get_code()", code))


def _pick_package_main(found: SpecFound, error: type[Exception], profile: Profile) -> MainChoice:
    name = found.name
    if name == "__main__" or name.endswith(".__main__"):
        raise error("Cannot use package as __main__ module")
    main_name = name + ".__main__"
    _emit(PackageRedirect(name, main_name))
    stages = active_stages()
    try:
        main_found = stages.find_spec(main_name, error=error, profile=profile)
        return stages.pick_main(main_found, error=error, profile=profile)
    except error as exc:
        if name not in sys.modules:
            raise  # the package itself failed to import: being a package is beside the point
        raise error(  # noqa: B904 - implicit chaining, as CPython's runpy
            "%s; %r is a package and cannot be directly executed" % (exc, name)
        )


@stage("pick_main")
def pick_path(path_name: Any, *, profile: Profile) -> PathChoice:
    """Classify a run_path argument: a sys.path entry, or a file to read.

    Anything an importer accepts (a directory, a zip file) is an entry whose
    ``__main__`` will be imported; everything else is read as a file, compiled
    bytecode first and source second (RP-03, RP-04, RP-05).
    """
    from pkgutil import get_importer

    importer = get_importer(path_name)
    if profile.reject_null_importer and _is_null_importer(importer):
        importer = None
    if profile.decode_path_argument:
        path_name = os.fsdecode(path_name)
    if importer is not None:
        return _emit(PathChoice(path_name, "sys.path entry", type(importer).__qualname__, None))
    code, source = _code_from_file(path_name)
    choice = _emit(PathChoice(path_name, "file", None, code))
    _emit(MainChoice(path_name, None, source, code))
    return choice


def _is_null_importer(importer: object) -> bool:
    kind = type(importer)
    return kind.__module__ == "imp" and kind.__name__ == "NullImporter"


def _code_from_file(fname: Any, *, decode: bool = True) -> tuple[Any, str]:
    """Read ``fname`` as bytecode if its magic number matches, else as source.

    ``decode=False`` is 3.13's helper, whose caller decodes the path first:
    given bytes directly, it fails in ``io.open_code`` as CPython's does.
    """
    import io
    from pkgutil import read_code

    path = os.path.abspath(os.fsdecode(fname) if decode else fname)
    with io.open_code(path) as stream:
        code = read_code(stream)
    if code is not None:
        return code, "bytecode file"
    with io.open_code(path) as stream:
        return compile(stream.read(), fname, "exec"), "source file"


# -- build_globals ----------------------------------------------------------------


@stage("build_globals")
def build_globals(
    *,
    spec: Any,
    run_name: Any,
    init_globals: dict[str, Any] | None,
    pkg_name: str | None = None,
    script_name: Any = None,
    profile: Profile,
) -> GlobalsPlan:
    """Decide the special globals; a pure function of its arguments.

    Specials come from the spec when there is one (docs 3.4+: "set as
    normal"), else from the script name; they override same-named keys of
    ``init_globals``, which itself is never modified (RM-15, RM-16).
    """
    if spec is None:
        loader, fname, cached = None, script_name, None
    else:
        loader, fname, cached = spec.loader, spec.origin, spec.cached
        if pkg_name is None:
            pkg_name = spec.parent
    specials: tuple[tuple[str, Any], ...] = (
        ("__name__", run_name),
        ("__file__", fname),
        ("__cached__", cached),
        ("__doc__", None),
        ("__loader__", loader),
        ("__package__", pkg_name),
        ("__spec__", spec),
    )
    if profile.specials != _ALL_SPECIALS:  # a runpy that sets fewer, or in another order
        values = dict(specials)
        specials = tuple([(key, values[key]) for key in profile.specials])
    if init_globals is None:
        kept = overridden = ()
    else:
        given = init_globals_keys(init_globals)
        kept = tuple([key for key in given if key not in _ALL_SPECIALS])
        overridden = tuple([key for key in given if key in _ALL_SPECIALS])
    ids = _MODULE_GLOBALS_IDS if spec is not None else _SCRIPT_GLOBALS_IDS
    return _emit(GlobalsPlan(specials, kept, overridden, ids))


_ALL_SPECIALS = ("__name__", "__file__", "__cached__", "__doc__", "__loader__", "__package__", "__spec__")
"""Every special global runpy_ref can set, in the order the latest runpy sets them."""
_MODULE_GLOBALS_IDS = ("RM-08", "RM-09", "RM-11", "RM-14", "RM-15")
_SCRIPT_GLOBALS_IDS = ("RP-11", "RP-12", "RP-13", "RP-14", "RP-15")


def init_globals_keys(init_globals: Any) -> tuple[Any, ...]:
    """The keys ``dict.update(init_globals)`` will set, read without disturbing the run.

    runpy only ever hands ``init_globals`` to ``dict.update``, so whatever
    ``update`` accepts works there: a mapping, or pairs such as
    ``[("a", 1)]``.  A one-shot iterator is not read here (that would use
    it up before the update), and input ``update`` rejects is left for
    ``update`` to reject with its own message, at the moment CPython does.
    """
    if init_globals is None:
        return ()
    if hasattr(init_globals, "keys"):
        return tuple(init_globals.keys())
    try:
        if iter(init_globals) is init_globals:
            return ()
        return tuple(dict(init_globals))
    except (TypeError, ValueError):
        return ()


# -- alter_sys / restore --------------------------------------------------------


class SetArgv0(Frozen):
    """Set ``sys.argv[0]`` (RM-17, RP-18)."""

    FIELDS = ("value", "lasting", "ids")
    __slots__ = FIELDS

    def __init__(self, value: Any, lasting: bool = False, ids: tuple[str, ...] = ("RM-17",)) -> None:
        set_field(self, "value", value)
        set_field(self, "lasting", lasting)
        set_field(self, "ids", ids)


class ReplaceArgv(Frozen):
    """Replace the whole of ``sys.argv`` (the CLI's ``-m MOD args`` view)."""

    FIELDS = ("values", "lasting", "ids")
    __slots__ = FIELDS

    def __init__(
        self, values: tuple[Any, ...], lasting: bool = False, ids: tuple[str, ...] = ("CLI-08", "CLI-14")
    ) -> None:
        set_field(self, "values", values)
        set_field(self, "lasting", lasting)
        set_field(self, "ids", ids)


class SetModule(Frozen):
    """Put ``module`` at ``sys.modules[name]``, or take the entry out if None."""

    FIELDS = ("name", "module", "lasting", "ids")
    __slots__ = FIELDS

    def __init__(
        self, name: str, module: ModuleType | None, lasting: bool = False, ids: tuple[str, ...] = ("RM-17",)
    ) -> None:
        set_field(self, "name", name)
        set_field(self, "module", module)
        set_field(self, "lasting", lasting)
        set_field(self, "ids", ids)


class InsertPath(Frozen):
    """Insert ``entry`` at ``sys.path[0]``; undone by removing the first equal entry."""

    FIELDS = ("entry", "replace_first", "lasting", "ids")
    __slots__ = FIELDS

    def __init__(
        self,
        entry: Any,
        replace_first: bool = False,
        lasting: bool = False,
        ids: tuple[str, ...] = ("RP-06", "RP-07"),
    ) -> None:
        set_field(self, "entry", entry)
        set_field(self, "replace_first", replace_first)
        set_field(self, "lasting", lasting)
        set_field(self, "ids", ids)


class Applied(Frozen):
    """A change that has been made, with what it replaced (for restore)."""

    FIELDS = ("change", "saved")
    __slots__ = FIELDS

    def __init__(self, change: Any, saved: Any) -> None:
        set_field(self, "change", change)
        set_field(self, "saved", saved)


def _target(change: Any) -> str:
    if isinstance(change, SetArgv0):
        return "sys.argv[0]"
    if isinstance(change, ReplaceArgv):
        return "sys.argv"
    if isinstance(change, SetModule):
        return f"sys.modules[{change.name!r}]"
    return "sys.path[0]"


def _read(change: Any) -> Any:
    """The current value at the change's target (for the trace)."""
    if isinstance(change, SetArgv0):
        return sys.argv[0]
    if isinstance(change, ReplaceArgv):
        return list(sys.argv)
    if isinstance(change, SetModule):
        return sys.modules.get(change.name, ABSENT)
    return sys.path[0] if sys.path else ABSENT


@stage("alter_sys")
def alter_sys(change: Any) -> Applied:
    """Make one change to ``sys``; return what is needed to undo it."""
    tracer = _tracer()
    before = _read(change) if tracer is not None else None
    saved: Any
    if isinstance(change, SetArgv0):
        saved, sys.argv[0] = sys.argv[0], change.value
    elif isinstance(change, ReplaceArgv):
        saved, sys.argv[:] = list(sys.argv), change.values
    elif isinstance(change, SetModule):
        saved = sys.modules[change.name] if change.module is None else sys.modules.get(change.name, _MISSING)
        if change.module is None:
            del sys.modules[change.name]
        else:
            sys.modules[change.name] = change.module
    elif change.replace_first and sys.path:
        saved, sys.path[0] = sys.path[0], change.entry
    else:
        saved = _MISSING
        sys.path.insert(0, change.entry)
    if tracer is not None:
        tracer.emit(SysChanged(_target(change), before, _read(change), change.lasting, ids=change.ids))
    return Applied(change, saved)


@stage("restore")
def restore(applied: Applied) -> SysRestored:
    """Undo one change: the caller gets back exactly what it had."""
    change, saved = applied.change, applied.saved
    tracer = _tracer()
    before = _read(change) if tracer is not None else None
    if isinstance(change, SetArgv0):
        sys.argv[0] = saved
    elif isinstance(change, ReplaceArgv):
        sys.argv[:] = saved
    elif isinstance(change, SetModule):
        if saved is _MISSING:
            sys.modules.pop(change.name, None)
        else:
            sys.modules[change.name] = saved
    elif saved is not _MISSING:
        sys.path[0] = saved
    else:
        try:
            sys.path.remove(change.entry)
        except ValueError:
            pass  # the code removed it itself: nothing to undo (RP-07)
    if tracer is None:
        return SysRestored(_target(change), None, None, ids=change.ids)
    restored = SysRestored(_target(change), before, _read(change), ids=change.ids)
    tracer.emit(restored)
    return restored


class altered:  # lower case: used like a function, with altered(change, ...):
    """Apply ``changes`` in order; undo them in reverse on *every* way out.

    Exceptions, ``SystemExit`` and ``KeyboardInterrupt`` from the body, and
    a failing restore of one change, all still restore the others; so does
    a change that fails to apply, for the changes made before it.  Changes
    marked ``lasting`` are made but deliberately not undone (``python -m``
    leaves ``sys.argv[0]`` pointing at the running module).  ``with`` gives
    the list of :class:`Applied` changes.
    """

    def __init__(self, *changes: Any) -> None:
        self.changes = changes
        self.applied: list[Applied] = []
        self._stages = DEFAULT_STAGES

    def __enter__(self) -> list[Applied]:
        self._stages = stages = active_stages()
        applied = self.applied
        try:
            for change in self.changes:
                applied.append(stages.alter_sys(change))
        except BaseException:
            self._undo()
            raise
        return applied

    def __exit__(self, *exc_info: Any) -> None:
        self._undo()

    def _undo(self) -> None:
        _restore_all([a for a in self.applied if not a.change.lasting], self._stages)


def _restore_all(applied: list[Applied], stages: Stages) -> None:
    if not applied:
        return
    try:
        stages.restore(applied[-1])
    finally:
        _restore_all(applied[:-1], stages)


# -- exec ---------------------------------------------------------------------------


@stage("exec")
def exec_code(code: Any, namespace: dict[str, Any], *, name: Any, namespace_kind: str) -> ExecFinished:
    """Run ``code`` in ``namespace`` and report how it ended.

    The outcome is traced whether the code returns, raises, or calls
    ``sys.exit``; the exception itself always propagates unchanged (ERR-12).
    """
    tracing = _tracer() is not None
    if tracing:
        _emit(ExecStarted(name, namespace_kind))
    try:
        exec(code, namespace)
    except SystemExit as exc:
        if tracing:
            _emit(ExecFinished(name, "exit", "SystemExit", exc.code))
        raise
    except BaseException as exc:
        if tracing:
            _emit(ExecFinished(name, "raised", type(exc).__name__))
        raise
    finished = ExecFinished(name, "returned")
    return _emit(finished) if tracing else finished


# -- the stage table ---------------------------------------------------------------


class Stages(Frozen):
    """One implementation per stage; the pipeline calls whatever is here."""

    FIELDS = ("find_spec", "pick_main", "pick_path", "build_globals", "alter_sys", "exec", "restore")
    __slots__ = FIELDS

    def __init__(
        self,
        find_spec: Callable[..., SpecFound] = find_spec,
        pick_main: Callable[..., MainChoice] = pick_main,
        pick_path: Callable[..., PathChoice] = pick_path,
        build_globals: Callable[..., GlobalsPlan] = build_globals,
        alter_sys: Callable[..., Applied] = alter_sys,
        exec: Callable[..., ExecFinished] = exec_code,
        restore: Callable[..., SysRestored] = restore,
    ) -> None:
        set_field(self, "find_spec", find_spec)
        set_field(self, "pick_main", pick_main)
        set_field(self, "pick_path", pick_path)
        set_field(self, "build_globals", build_globals)
        set_field(self, "alter_sys", alter_sys)
        set_field(self, "exec", exec)
        set_field(self, "restore", restore)


DEFAULT_STAGES = Stages()
STAGE_NAMES = Stages.FIELDS

_active: ContextVar[Stages] = ContextVar("runpy_ref_stages", default=DEFAULT_STAGES)


def active_stages() -> Stages:
    """The stage table in force for this context, as the pipeline should call it.

    Untraced, that is the table itself.  While tracing, it is a copy whose
    stages report their failures (see :func:`stage`), made once per table.
    """
    table = _active.get()
    if _tracer() is None:
        return table
    view = _REPORTING_VIEWS.get(id(table))
    if view is None or view[0] is not table:
        if len(_REPORTING_VIEWS) >= 64:  # tables come and go with use_stages blocks
            _REPORTING_VIEWS.clear()
        view = _REPORTING_VIEWS[id(table)] = (table, _reporting_view(table))
    return view[1]


def _reporting_view(table: Stages) -> Stages:
    wrapped = {key: _reporting(_stage_of(key), getattr(table, key)) for key in STAGE_NAMES}
    return table.replace(**wrapped)


_REPORTING_VIEWS: dict[int, tuple[Stages, Stages]] = {}
"""``id(table) -> (table, view)``: the table is kept, so its id cannot be reused meanwhile."""


def use_stages(**overrides: Callable[..., Any]) -> _UsingStages:
    """Swap stage implementations for the duration of a ``with`` block.

    ``use_stages(pick_main=my_pick_main)`` runs the whole pipeline with the
    given function in place of the default, which keeps the same contract.
    Unknown stage names are an error, caught here rather than mid-run.
    """
    unknown = sorted(set(overrides) - set(STAGE_NAMES))
    if unknown:
        raise TypeError(f"unknown stage(s) {unknown}; stages are {list(STAGE_NAMES)}")
    return _UsingStages(overrides)


class _UsingStages:
    """The ``with`` block of :func:`use_stages`: the table in force when it starts, with the overrides."""

    def __init__(self, overrides: dict[str, Callable[..., Any]]) -> None:
        self.overrides = overrides
        self._token: Any = None

    def __enter__(self) -> Stages:
        table = _active.get().replace(**self.overrides)
        self._token = _active.set(table)
        return table

    def __exit__(self, *exc_info: Any) -> None:
        _active.reset(self._token)


def _stage_of(key: str) -> str:
    return "pick_main" if key == "pick_path" else key
