"""Stages 4 and 6 as a pair: a ``with`` block that makes changes to ``sys`` and always undoes them."""

from __future__ import annotations

from .._lean import TYPE_CHECKING
from .restore import restore_all
from .table import active_stages

if TYPE_CHECKING:
    from .changes import Applied, Change

__all__ = ["altered"]


class altered:  # lower case: used like a function, in a with statement
    """Make ``changes`` in order; undo them in reverse on *every* way out.

    Exceptions, ``SystemExit`` and ``KeyboardInterrupt`` from the body, and
    a failing undo of one change, all still undo the others; so does a
    change that fails to apply, for the changes made before it.  Changes
    marked ``lasting`` are made but deliberately not undone, and those
    marked ``kept_if_raised`` are not undone when the body raised.  Both stages
    are reached through the stage table in force, so a student's own
    ``alter_sys`` or ``restore`` is the one used.
    """

    def __init__(self, *changes: Change) -> None:
        self.changes = changes
        self.applied: list[Applied] = []

    def __enter__(self) -> list[Applied]:
        self._stages = active_stages()
        try:
            for change in self.changes:
                self.applied.append(self._stages.alter_sys(change))
        except BaseException:
            self._undo()
            raise
        return self.applied

    def __exit__(self, exc_type: object, *exc_info: object) -> None:
        self._undo(raised=exc_type is not None)

    def _undo(self, raised: bool = False) -> None:
        undone = [applied for applied in self.applied
                  if not applied.change.lasting and not (raised and applied.change.kept_if_raised)]
        restore_all(undone, self._stages.restore)
