"""Stage 4, alter_sys: point ``sys`` at the running code, one change at a time.

``run_module(..., alter_sys=True)`` and ``run_path`` make ``sys.argv[0]``
and ``sys.modules[run_name]`` describe the module while it runs; ``run_path``
on a directory or zip file also puts it first on ``sys.path``.  Each kind of
change is a value in :mod:`.changes`; :class:`~.altered.altered` pairs every
change with its undoing, which is stage 6 (:mod:`.restore`).
CPython: ``runpy._TempModule`` and ``runpy._ModifiedArgv0``.
"""

from __future__ import annotations

from .._lean import TYPE_CHECKING
from ..records import SysChanged
from ..trace.context import report, tracing_on
from .changes import Applied

if TYPE_CHECKING:
    from .changes import Change

__all__ = ["alter_sys"]


def alter_sys(change: Change) -> Applied:
    """Make one change to ``sys``; return what is needed to undo it."""
    before = change.read() if tracing_on() else None
    saved = change.apply()
    if tracing_on():
        report(SysChanged(change.target(), change.action(), before, change.read(), change.lasting, change.ids))
    return Applied(change, saved)
