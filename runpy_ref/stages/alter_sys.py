"""Stage 4, alter_sys: point ``sys`` at the running code, one change at a time.

``run_module(..., alter_sys=True)`` and ``run_path`` make ``sys.argv[0]``
and ``sys.modules[run_name]`` describe the module while it runs; ``run_path``
on a directory or zip file also puts it first on ``sys.path``.  Each kind of
change is a value in :mod:`.changes`; :class:`~.altered.altered` pairs every
change with its undoing, which is stage 6 (:mod:`.restore`).
CPython: ``runpy._TempModule`` and ``runpy._ModifiedArgv0``.
"""

from __future__ import annotations

from types import ModuleType

from .._lean import TYPE_CHECKING
from ..records import SysChanged
from ..trace.context import report, tracing_on
from .changes import Applied

if TYPE_CHECKING:
    from typing import Any

    from ..profiles import Profile
    from .changes import Change

__all__ = ["alter_sys", "clear_when_released", "new_module"]


def alter_sys(change: Change) -> Applied:
    """Make one change to ``sys``; return what is needed to undo it."""
    traced = tracing_on()  # reading the values is worth it only for the trace
    before = change.read() if traced else None
    saved = change.apply()
    if traced:
        report(SysChanged(change.target(), change.action(), before, change.read(), change.lasting, change.ids))
    return Applied(change, saved)


def new_module(name: Any, *, profile: Profile) -> ModuleType:
    """A module object as the version in force made one: with only the attributes it started with.

    The host's modules start with ``__loader__`` and ``__spec__`` set to
    None (3.4 on); a 2.7 module had neither, so code run by 2.7's runpy in a
    temporary module, or as ``__main__``, does not see those names (G-13, G-19).
    """
    module = ModuleType(name)
    for key in [key for key in module.__dict__ if key not in profile.module_attributes]:
        del module.__dict__[key]
    return module


def clear_when_released(module: ModuleType, *, profile: Profile) -> None:
    """Where the version did so, set the module's globals to None once the module object is released (G-08).

    Python 2 cleared a module's dictionary when the module was deallocated,
    so a function kept from a temporary module's run finds its globals None.
    The copy runpy returns was taken before, and keeps the values.
    """
    if profile.clear_temp_module_globals:
        import weakref

        weakref.finalize(module, _clear, module.__dict__)


def _clear(namespace: dict[str, Any]) -> None:
    for key in namespace:
        if key != "__builtins__":
            namespace[key] = None
