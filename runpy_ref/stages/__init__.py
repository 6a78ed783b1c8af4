"""The six stages, one file each, and the table the pipeline calls them through.

=============  =========================================================  ====================
stage          contract                                                   file
=============  =========================================================  ====================
find_spec      ``find_spec(name, *, error, profile) -> SpecFound``        ``find_spec.py``
pick_main      ``pick_main(found, *, error, profile)``                    ``pick_main.py``
               ``-> MainChoice | PackageRedirect``;
               ``pick_path(path, *, profile) -> PathChoice``
build_globals  ``build_globals(*, spec, run_name, init_globals,           ``build_globals.py``
               pkg_name, script_name, loader, profile) -> GlobalsPlan``
alter_sys      ``alter_sys(change) -> Applied``                           ``alter_sys.py``
exec           ``exec_code(code, namespace, *, name) -> ExecFinished``    ``exec.py``
restore        ``restore(applied) -> SysRestored``                        ``restore.py``
=============  =========================================================  ====================

The pipeline (:mod:`runpy_ref.pipeline`) reaches every stage through the
:class:`~.table.Stages` table in force (``table.py``), so :func:`use_stages` can plug in another
implementation of one contract, which is how the classroom exercises grade a
student's ``pick_main``.  Errors are raised through the ``error`` class the
caller passes in, as CPython's runpy does: ``ImportError`` for the public
API, a private class for ``python -m`` so that it can print one line.
"""

from __future__ import annotations

from .alter_sys import alter_sys, clear_when_released, new_module
from .altered import altered
from .build_globals import build_globals
from .changes import ABSENT, MISSING, Applied, Change, InsertPath, ReplaceArgv, SetArgv0, SetModule
from .exec import exec_code
from .find_spec import find_spec
from .pick_main import pick_main, pick_path
from .restore import restore
from .table import DEFAULT_STAGES, STAGE_NAMES, Stages, active_stages, use_stages

__all__ = [
    "ABSENT", "DEFAULT_STAGES", "MISSING", "STAGE_NAMES", "Applied", "Change", "InsertPath", "ReplaceArgv",
    "SetArgv0", "SetModule", "Stages", "active_stages", "alter_sys", "altered", "build_globals",
    "clear_when_released", "exec_code", "find_spec", "new_module", "pick_main", "pick_path", "restore", "use_stages",
]
