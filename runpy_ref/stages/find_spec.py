"""Stage 1, find_spec: where is the module?  Nothing of it runs yet; its parents do.

Documented in: the runpy docs for ``run_module`` ("locate using the standard
import mechanism"), PEP 338.  CPython: the first half of
``runpy._get_module_details``.
"""

from __future__ import annotations

import builtins
import importlib.util
import sys

from .._lean import TYPE_CHECKING
from ..records import AlreadyImported, ParentImported, SpecFound
from ..trace.context import failure, report, report_failure

if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec

    from ..profiles import Profile

__all__ = ["find_spec"]


def find_spec(mod_name: str, *, error: type[Exception], profile: Profile) -> SpecFound:
    """Locate ``mod_name`` without executing it; its parent packages are imported first."""
    if profile.reject_relative_names and mod_name.startswith("."):
        raise failure(error, "Relative module names not supported", stage="find_spec", ids=("RM-05", "ERR-06"))
    pkg_name = mod_name.rpartition(".")[0]
    if pkg_name and profile.import_parent_first:
        _import_parent(pkg_name, mod_name, error, profile)
        if profile.warn_if_already_imported:
            _warn_if_already_imported(mod_name, pkg_name)
    spec = _lookup_spec(mod_name, error, profile)
    if spec is None:
        raise failure(error, "No module named %s" % mod_name, stage="find_spec", ids=("ERR-01",))
    return report(SpecFound(mod_name, spec))


def _import_parent(pkg_name: str, mod_name: str, error: type[Exception], profile: Profile) -> None:
    """Import the parent first, so that its own errors are not disguised.

    A missing parent is left for the lookup to report; any other failure in
    the parent's ``__init__`` propagates unchanged (RM-25, bpo-14285).
    Before importlib (``parent_errors_are_lookup_errors``), pkgutil imported
    the parent and any ImportError was the lookup's own error (ERR-02).
    """
    try:
        __import__(pkg_name)
    except ImportError as exc:
        if profile.parent_errors_are_lookup_errors:
            raise _reworded(exc, mod_name, error, profile) from exc
        missing = exc.name
        if missing is None or (missing != pkg_name and not pkg_name.startswith(missing + ".")):
            report_failure(exc, stage="find_spec", ids=("RM-25", "CLI-18"))
            raise
    except Exception as exc:  # the parent's own __init__ failed: its error, unchanged
        report_failure(exc, stage="find_spec", ids=("RM-25", "CLI-18"))
        raise
    else:
        report(ParentImported(pkg_name, mod_name))


def _warn_if_already_imported(mod_name: str, pkg_name: str) -> None:
    """Importing the parent may have imported the module too: running it again makes a second copy."""
    existing = sys.modules.get(mod_name)
    if existing is None or hasattr(existing, "__path__"):
        return
    message = (
        f"{mod_name!r} found in sys.modules after import of package {pkg_name!r}, "
        f"but prior to execution of {mod_name!r}; this may result in unpredictable behaviour"
    )
    report(AlreadyImported(mod_name, pkg_name, message))
    from warnings import warn

    warn(RuntimeWarning(message))  # noqa: B028 - stacklevel 1, as CPython's runpy


def _lookup_spec(mod_name: str, error: type[Exception], profile: Profile) -> ModuleSpec | None:
    """``importlib.util.find_spec``, with its assorted failures made one kind of error."""
    reworded = tuple(getattr(builtins, name) for name in profile.lookup_errors)
    try:
        return importlib.util.find_spec(mod_name)
    except reworded as exc:
        raise _reworded(exc, mod_name, error, profile) from exc


def _reworded(exc: BaseException, mod_name: str, error: type[Exception], profile: Profile) -> BaseException:
    """The lookup's own error for ``exc``, worded as the version in force words it (ERR-02, ERR-03)."""
    missing = getattr(exc, "name", None) or mod_name
    reason = "No module named %s" % missing if isinstance(exc, ModuleNotFoundError) else str(exc)
    message = profile.spec_error_template.format(
        name=mod_name, type=type(exc).__name__, cls=type(exc), error=exc, missing=missing, reason=reason,
    )
    if profile.py_suffix_hint and mod_name.endswith(".py"):
        message += f". Try using '{mod_name[:-3]}' instead of '{mod_name}' as the module name."
    return failure(error, message, stage="find_spec", ids=("ERR-02", "ERR-03"))
