"""runpy_ref: a readable, tracing reimplementation of :mod:`runpy`.

``run_module`` and ``run_path`` behave like the stdlib functions of the
interpreter they run on (CPython 3.9 to 3.13); inside ``with tracing():``
they also tell the story of every decision as structured events.

The underscore names below are the private helpers other tools call on
CPython's runpy; they are exported so that ``sys.modules['runpy'] =
runpy_ref`` keeps pdb, profile and the interpreter's ``-m`` switch working.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .pipeline import (
    _Error,
    _get_code_from_file,
    _get_main_module_details,
    _get_module_details,
    _run_code,
    _run_module_as_main,
    _run_module_code,
    run_module,
    run_path,
)
from .profiles import PROFILES, Profile, host_profile, select_profile
from .stages import Stages, use_stages

__all__ = ["run_module", "run_path"]
"""Like runpy's: the public API.  The rest is reachable as attributes."""

_public_extras = (
    PROFILES, Profile, Stages, host_profile, select_profile, use_stages, _Error, _get_code_from_file,
    _get_main_module_details, _get_module_details, _run_code, _run_module_as_main, _run_module_code,
)


_LAZY = {
    "tracing": "trace", "Event": "trace", "TraceSinkError": "trace",
    "_TempModule": "compat", "_ModifiedArgv0": "compat",
}


def __getattr__(name: str) -> object:
    """The tracer (:mod:`runpy_ref.trace`) and CPython's two private context
    managers (:mod:`runpy_ref.compat`) load on first use.

    An untraced ``python -m runpy_ref`` needs neither, and every module it
    imports costs its start-up a file lookup, a read and the module's body.
    """
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    """``dir(runpy_ref)`` lists the names that load on first use too."""
    return sorted([*globals(), *_LAZY])
