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
from .trace import Event, TraceSinkError, tracing

__all__ = ["run_module", "run_path"]
"""Like runpy's: the public API.  The rest is reachable as attributes."""

_public_extras = (
    Event, PROFILES, Profile, Stages, TraceSinkError, host_profile, select_profile,
    tracing, use_stages, _Error, _get_code_from_file, _get_main_module_details,
    _get_module_details, _run_code, _run_module_as_main, _run_module_code,
)


def __getattr__(name: str) -> object:
    """``_TempModule`` and ``_ModifiedArgv0`` (in :mod:`runpy_ref.compat`) load on first use.

    Few callers need CPython's two private context managers, and every
    ``python -m runpy_ref`` would pay for importing them.
    """
    if name in ("_TempModule", "_ModifiedArgv0"):
        from . import compat

        return getattr(compat, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
