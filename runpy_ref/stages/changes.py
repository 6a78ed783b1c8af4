"""The kinds of change runpy makes to ``sys``, each owning how it is read, made and undone.

===============  ===========================  ==================================
change           made by                      undone by
===============  ===========================  ==================================
``SetArgv0``     ``sys.argv[0] = value``      putting the old value back
``ReplaceArgv``  ``sys.argv[:] = values``     putting the old list back
``SetModule``    ``sys.modules[name] = m``    the old module back, or the entry
                 (or ``del`` when m is None)  deleted if there was none
``InsertPath``   ``sys.path.insert(0, e)``    removing the first equal entry
                 (or ``sys.path[0] = e``)     (or the old first entry back)
===============  ===========================  ==================================

A change is a value (it says *what* to do); :func:`~.alter_sys.alter_sys`
makes it and :func:`~.restore.restore` undoes it.  ``lasting`` marks a
change that is made for good (``python -m`` leaves ``sys.argv[0]``
pointing at the running module); ``ids`` cite the catalogue entries that
call for it.
"""

from __future__ import annotations

import sys

from .._lean import TYPE_CHECKING
from ..values import Value

if TYPE_CHECKING:
    from types import ModuleType
    from typing import Any

__all__ = ["ABSENT", "MISSING", "Applied", "Change", "InsertPath", "ReplaceArgv", "SetArgv0", "SetModule"]


class _Marker:
    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


ABSENT = _Marker("<absent>")
"""Stands for "no such entry" in the before and after values of the trace."""
MISSING = _Marker("<missing>")
"""What a change saves when there was nothing to save: undoing it removes what it added."""


class Change(Value):
    """Base of the changes: ``target`` names what changes, ``action`` says how.

    Every kind declares the fields ``lasting`` and ``ids`` after its own
    (declared here, they would come first and take the first positional
    argument).
    """

    kept_if_raised = False
    """Not undone when the code raised (a field of :class:`SetModule` only)."""

    def target(self) -> str:
        raise NotImplementedError

    def action(self) -> str:
        return "set"

    def read(self) -> Any:
        """The value now at the target (for the trace)."""
        raise NotImplementedError

    def apply(self) -> Any:
        """Make the change; return what :meth:`undo` needs."""
        raise NotImplementedError

    def undo(self, saved: Any) -> str:
        """Undo the change; return the action that did it."""
        raise NotImplementedError


class SetArgv0(Change):
    """Set ``sys.argv[0]`` (RM-17, RP-18, CLI-08)."""

    value: Any
    lasting: bool = False
    ids: tuple[str, ...] = ("RM-17",)

    def target(self) -> str:
        return "sys.argv[0]"

    def read(self) -> Any:
        return sys.argv[0]

    def apply(self) -> Any:
        saved, sys.argv[0] = sys.argv[0], self.value
        return saved

    def undo(self, saved: Any) -> str:
        sys.argv[0] = saved
        return "set"


class ReplaceArgv(Change):
    """Replace the whole of ``sys.argv``: the interpreter's view of ``-m MOD args`` (CLI-09, CLI-14)."""

    values: tuple[Any, ...]
    lasting: bool = False
    ids: tuple[str, ...] = ("CLI-09", "CLI-14")

    def target(self) -> str:
        return "sys.argv"

    def read(self) -> Any:
        return list(sys.argv)

    def apply(self) -> Any:
        saved, sys.argv[:] = list(sys.argv), self.values
        return saved

    def undo(self, saved: Any) -> str:
        sys.argv[:] = saved
        return "set"


class SetModule(Change):
    """Put ``module`` at ``sys.modules[name]``, or take the entry out when ``module`` is None.

    ``kept_if_raised`` leaves the entry in place when the code raised, as
    2.5's ``alter_sys`` did (RM-18).
    """

    name: str
    module: ModuleType | None
    lasting: bool = False
    ids: tuple[str, ...] = ("RM-17",)
    kept_if_raised: bool = False

    def target(self) -> str:
        return f"sys.modules[{self.name!r}]"

    def action(self) -> str:
        return "removed" if self.module is None else "set"

    def read(self) -> Any:
        return sys.modules.get(self.name, ABSENT)

    def apply(self) -> Any:
        if self.module is None:
            return sys.modules.pop(self.name)
        saved = sys.modules.get(self.name, MISSING)
        sys.modules[self.name] = self.module
        return saved

    def undo(self, saved: Any) -> str:
        if saved is MISSING:
            del sys.modules[self.name]  # KeyError if the code removed it itself, as in CPython's runpy
            return "removed"
        sys.modules[self.name] = saved
        return "set"


class InsertPath(Change):
    """Put ``entry`` first on ``sys.path`` (RP-06, CLI-22).

    ``replace_first`` overwrites the first entry instead, as the interpreter
    does for a script's directory.  Undoing an insertion removes the first
    equal entry, and tolerates its absence: the code may have removed it
    itself (RP-07).
    """

    entry: Any
    replace_first: bool = False
    lasting: bool = False
    ids: tuple[str, ...] = ("RP-06", "RP-07")

    def target(self) -> str:
        return "sys.path[0]"

    def action(self) -> str:
        return "set" if self.replace_first else "inserted"

    def read(self) -> Any:
        return sys.path[0] if sys.path else ABSENT

    def apply(self) -> Any:
        if self.replace_first and sys.path:
            saved, sys.path[0] = sys.path[0], self.entry
            return saved
        sys.path.insert(0, self.entry)
        return MISSING

    def undo(self, saved: Any) -> str:
        if saved is not MISSING:
            sys.path[0] = saved
            return "set"
        try:
            sys.path.remove(self.entry)
        except ValueError:
            return "already gone"  # the code removed it itself: nothing to undo (RP-07)
        return "removed"


class Applied(Value):
    """A change that has been made, with what it replaced (for restore)."""

    change: Change
    saved: Any
