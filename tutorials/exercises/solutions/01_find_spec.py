"""Exercise 1: find_spec - ask the import system where a module is.

Contract (from ``runpy_ref/stages/find_spec.py``)::

    find_spec(mod_name, *, error, profile) -> SpecFound

Locate ``mod_name`` *without executing it*.  Its parent packages do get
imported (they must be, to search inside them), and that import stays.

Check your work with ``python -m runpy_ref.exercises check 1``.
"""

from __future__ import annotations

import importlib.util
import sys
import warnings

from runpy_ref.exercises.kit import (
    AlreadyImported,
    ParentImported,
    Profile,
    SpecFound,
    emit,
    failure,
    report_failure,
)


def find_spec(mod_name: str, *, error: type[Exception], profile: Profile) -> SpecFound:
    """Find the spec of ``mod_name``; raise ``error`` (never another class) when runpy refuses.

    ``error`` is ``ImportError`` for ``run_module`` and a private class for
    ``python -m`` (which prints one line instead of a traceback), so every
    refusal below is ``raise failure(error, message, stage="find_spec",
    ids=...)``: ``failure`` builds ``error(message)`` and tells the trace that
    find_spec stops here.  Exceptions raised by a parent package's own code
    are *not* runpy's refusals: tell the trace with ``report_failure(exc,
    stage="find_spec", ids=("RM-25", "CLI-18"))`` and let them through with a
    bare ``raise``.

    The behaviours to reproduce (catalogue IDs in brackets):

    * a name starting with ``.`` is refused: "Relative module names not supported" [RM-05, ERR-06]
    * the parent package ``a.b`` of ``a.b.c`` is imported first; a *missing*
      parent is left for the lookup to report, any other error in the
      parent's ``__init__`` propagates unchanged [RM-03, RM-25]
    * if the module is already in ``sys.modules`` after the parent import
      (and is not a package), warn with a RuntimeWarning [RM-24]
    * ``importlib.util.find_spec`` failures (ImportError, AttributeError,
      TypeError, ValueError) become ``error`` with the message of
      ``profile.spec_error_template``, plus a hint when the name ends in
      ``.py`` [ERR-02, ERR-03; the hint: ERR-07]
    * no spec at all: "No module named NAME" (no quotes) [ERR-01]

    Record each step with ``emit(...)``: ``ParentImported(package, module)``
    after a successful parent import, ``AlreadyImported(module, package,
    message)`` before warning, and finally ``return emit(SpecFound(mod_name, spec))``.
    """
    # TODO-BEGIN
    # TODO: 1. Refuse a relative name (one starting with "."):
    # TODO:    raise failure(error, "Relative module names not supported", stage="find_spec", ids=...).
    # TODO: 2. If the name has a parent package (mod_name.rpartition(".")[0]), __import__ it.
    # TODO:    An ImportError that is about the parent (or one of *its* parents) being missing is
    # TODO:    swallowed; any other exception is reported (report_failure) and propagates as it is.
    # TODO:    After a successful import,
    # TODO:    emit(ParentImported(pkg_name, mod_name)).
    # TODO: 3. Still for a submodule: if sys.modules already holds mod_name and it is not a package,
    # TODO:    emit(AlreadyImported(...)) and warnings.warn(RuntimeWarning(message)).
    # TODO: 4. spec = importlib.util.find_spec(mod_name), translating its failures into error(...).
    # TODO: 5. No spec: error("No module named %s" % mod_name).
    # TODO:    Otherwise return emit(SpecFound(mod_name, spec)).
    if profile.reject_relative_names and mod_name.startswith("."):
        raise failure(error, "Relative module names not supported", stage="find_spec", ids=("RM-05", "ERR-06"))
    pkg_name = mod_name.rpartition(".")[0]
    if pkg_name:
        try:
            __import__(pkg_name)
        except ImportError as exc:
            # Only "the parent does not exist" is left to the lookup below; an
            # ImportError raised *inside* an existing parent is the parent's own.
            missing = exc.name
            if missing is None or (missing != pkg_name and not pkg_name.startswith(missing + ".")):
                report_failure(exc, stage="find_spec", ids=("RM-25", "CLI-18"))
                raise
        except Exception as exc:  # the parent's own __init__ failed: its error, unchanged
            report_failure(exc, stage="find_spec", ids=("RM-25", "CLI-18"))
            raise
        else:
            emit(ParentImported(pkg_name, mod_name))
        existing = sys.modules.get(mod_name)
        if profile.warn_if_already_imported and existing is not None and not hasattr(existing, "__path__"):
            message = (
                f"{mod_name!r} found in sys.modules after import of package {pkg_name!r}, "
                f"but prior to execution of {mod_name!r}; this may result in unpredictable behaviour"
            )
            emit(AlreadyImported(mod_name, pkg_name, message))
            warnings.warn(RuntimeWarning(message))  # noqa: B028 - stacklevel 1, as CPython's runpy
    try:
        spec = importlib.util.find_spec(mod_name)
    except (ImportError, AttributeError, TypeError, ValueError) as exc:
        message = profile.spec_error_template.format(name=mod_name, type=type(exc).__name__, error=exc)
        if profile.py_suffix_hint and mod_name.endswith(".py"):
            message += f". Try using '{mod_name[:-3]}' instead of '{mod_name}' as the module name."
        raise failure(error, message, stage="find_spec", ids=("ERR-02", "ERR-03")) from exc
    if spec is None:
        raise failure(error, "No module named %s" % mod_name, stage="find_spec", ids=("ERR-01",))
    return emit(SpecFound(mod_name, spec))
    # TODO-END
