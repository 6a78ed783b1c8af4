"""runpy_ref: a readable, tracing reimplementation of :mod:`runpy`.

``run_module`` and ``run_path`` behave like the stdlib functions of the
interpreter they run on (CPython 3.9 to 3.13), or of the version, 2.5 to 3.13,
chosen with ``with runpy_ref.as_of("X.Y"):``; inside ``with runpy_ref.tracing():`` they
also tell the story of every decision as structured events.

Where to read: :mod:`runpy_ref.pipeline` (the story on one screen), then one
stage in :mod:`runpy_ref.stages`; for ``python -m``,
:mod:`runpy_ref.interpreter`.

The underscore names below are the private helpers other tools call on
CPython's runpy; they are exported so that ``sys.modules['runpy'] =
runpy_ref`` keeps pdb, profile and the interpreter's ``-m`` switch working.
"""

# This file is read by any Python that tries `python -m runpy_ref`, so until
# the version check it is written in the Python 2.7 subset, and says in one
# line what is needed instead of failing with a SyntaxError deep inside.
import sys

if sys.version_info < (3, 9):  # noqa: UP036 - the point: older Pythons read this file too
    _needed = "runpy_ref needs Python 3.9 or newer; this is Python %d.%d (%s)" % (
        sys.version_info[0], sys.version_info[1], sys.executable)
    if sys.argv[:1] in (["-m"], ["-c"]):  # python -m runpy_ref, still looking (-c on 2.7): one line, status 1
        raise SystemExit(_needed)
    raise ImportError(_needed)

from ._lean import lazy_attributes
from ._version import __version__
from .pipeline import (
    _Error,
    _get_main_module_details,
    _get_module_details,
    _run_module_as_main,
    run_module,
    run_path,
)
from .profiles import PROFILES, Profile, active_profile, as_of, host_profile, select_profile
from .stages import Stages, use_stages

__all__ = ["run_module", "run_path"]
"""Like runpy's: the public API.  The rest is reachable as attributes."""

_public_extras = (
    __version__, PROFILES, Profile, Stages, active_profile, as_of, host_profile, select_profile, use_stages,
    _Error, _get_main_module_details, _get_module_details, _run_module_as_main,
)

# The tracer, and the private helpers only other tools call, load on first use (see runpy_ref._lean).
__getattr__, __dir__ = lazy_attributes(__name__, {
    "tracing": "trace.tracer", "Event": "trace.events", "TraceSinkError": "trace.tracer",
    "_run_code": "private", "_run_module_code": "private", "_get_code_from_file": "private",
    "_TempModule": "private", "_ModifiedArgv0": "private",
})
