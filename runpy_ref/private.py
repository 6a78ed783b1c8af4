"""CPython runpy's private helpers, with their names and signatures, rebuilt on the stages.

Tools call these directly: pdb and profile call ``_run_module_as_main``'s
neighbours, others use ``_run_code`` or the two context managers.  They are
here, out of the pipeline's way, so that ``sys.modules['runpy'] =
runpy_ref`` keeps those tools working, and every change they make to ``sys``
shows in the trace like any other.
"""

from __future__ import annotations

from types import ModuleType

from ._lean import TYPE_CHECKING
from .pipeline import _execute
from .profiles import active_profile, host_profile
from .stages import SetArgv0, SetModule, active_stages, altered
from .stages.pick_main import code_from_file

if TYPE_CHECKING:
    from typing import Any


__all__ = ["_ModifiedArgv0", "_TempModule", "_get_code_from_file", "_run_code", "_run_module_code"]


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
        pkg_name=pkg_name, script_name=script_name, profile=active_profile(),
    )
    return _execute(code, run_globals, plan, init_globals, mod_name)


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


def _get_code_from_file(*args: Any, **kwargs: Any) -> Any:
    """CPython's private file reader, with the signature of the version in force.

    Up to 3.12: ``_get_code_from_file(run_name, fname) -> (code, fname)``;
    3.13: ``_get_code_from_file(fname) -> code``, its caller having decoded
    ``fname`` already.
    """
    if active_profile().code_from_file_returns_name:
        return _code_and_name(*args, **kwargs)
    return _code_only(*args, **kwargs)


def _code_and_name(run_name: Any, fname: Any) -> tuple[Any, Any]:
    return code_from_file(fname, open_code=active_profile().open_code)[0], fname


def _code_only(fname: Any) -> Any:
    return code_from_file(fname, decode=False)[0]


class _TempModule:
    """Temporarily replace ``sys.modules[mod_name]`` with an empty module."""

    def __init__(self, mod_name: str) -> None:
        self.mod_name = mod_name
        self.module = ModuleType(mod_name)
        self._altered: altered | None = None

    def __enter__(self) -> _TempModule:
        self._altered = altered(SetModule(self.mod_name, self.module))
        self._altered.__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._altered is not None:
            done, self._altered = self._altered, None
            done.__exit__(*exc_info)


class _ModifiedArgv0:
    """Temporarily replace ``sys.argv[0]``; not re-entrant, like CPython's."""

    def __init__(self, value: Any) -> None:
        self.value = value
        self._altered: altered | None = None

    def __enter__(self) -> None:
        if self._altered is not None:
            raise RuntimeError("Already preserving saved value")
        self._altered = altered(SetArgv0(self.value))
        self._altered.__enter__()

    def __exit__(self, *exc_info: object) -> None:
        if self._altered is not None:
            done, self._altered = self._altered, None
            done.__exit__(*exc_info)




# inspect.signature() follows __wrapped__: it reports the host version's parameters, as on CPython's runpy.
_get_code_from_file.__wrapped__ = (  # type: ignore[attr-defined]
    _code_and_name if host_profile().code_from_file_returns_name else _code_only
)
