"""Stage 6, restore: give the caller back the ``sys`` it had, whatever happened in between.

Undoing runs in ``finally`` (:class:`~.altered.altered`), so it happens
when the code returned, raised, called ``sys.exit`` or was interrupted.
The changes are undone in the reverse order of their making, and a failing
undo does not stop the others.
"""

from __future__ import annotations

from .._lean import TYPE_CHECKING
from ..records import SysRestored
from ..trace.context import report, tracing_on

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from .changes import Applied

__all__ = ["restore", "restore_all"]


def restore(applied: Applied) -> SysRestored:
    """Undo one change: the caller gets back exactly what it had."""
    change = applied.change
    traced = tracing_on()  # reading the values is worth it only for the trace
    before = change.read() if traced else None
    action = change.undo(applied.saved)
    after = change.read() if traced else None
    return report(SysRestored(change.target(), action, before, after, change.ids))


def restore_all(applied: list[Applied], restore_one: Callable[[Applied], Any] = restore) -> None:
    """Undo ``applied`` last first; every undo is attempted even if one fails."""
    if not applied:
        return
    try:
        restore_one(applied[-1])
    finally:
        restore_all(applied[:-1], restore_one)
