"""Exercise 6: restore - undo one change to ``sys``: the caller gets back what it had.

Contract (from ``runpy_ref/stages/restore.py``)::

    restore(applied) -> SysRestored

``applied`` is what ``alter_sys`` returned: ``applied.change`` (a
``SetArgv0``, ``ReplaceArgv``, ``SetModule`` or ``InsertPath``) and
``applied.saved`` (the value it replaced, or ``MISSING``).  The pipeline
calls ``restore`` from a ``finally:`` block, in reverse order of the changes,
after a normal end *and* after an exception [RM-17, RM-18, RP-19].

The trace says what the undoing did, as ``action``: ``"set"`` (an old value
put back), ``"removed"`` (an entry the change added taken out) or
``"already gone"`` (the code removed it itself: nothing to undo).
``change.target()`` names what changed and ``change.read()`` reads it (``ABSENT``
for no entry); ``change.undo()`` is the reference's answer to this exercise, so
do not call it.

Check your work with ``python -m runpy_ref.exercises check 6``.
"""

from __future__ import annotations

import sys

from runpy_ref.exercises.kit import (
    MISSING,
    Applied,
    InsertPath,
    ReplaceArgv,
    SetArgv0,
    SetModule,
    SysRestored,
    emit,
    tracing_on,
)


def restore(applied: Applied) -> SysRestored:
    """Put back what ``applied.change`` replaced, in place.

    * ``SetArgv0``: ``sys.argv[0]`` gets the saved value back ("set").
    * ``ReplaceArgv``: the *contents* of ``sys.argv`` become the saved list again ("set").
    * ``SetModule``: put the saved module back ("set"); if there was none
      (``MISSING``), remove the entry ("removed") - if the code already
      removed it, that is fine too.  ``run_name='__main__'`` replaces the
      real ``__main__``, which must come back [RM-19].
    * ``InsertPath``: an overwritten ``sys.path[0]`` gets its old value
      ("set"); an inserted entry is removed with ``sys.path.remove`` (the
      first equal entry, "removed"), and if the code removed it already
      there is nothing to do ("already gone") [RP-07].
    """
    change = applied.change
    before = change.read() if tracing_on() else None
    action = "set"  # what the undoing did, for the trace: "set", "removed" or "already gone"
    # TODO-BEGIN
    # TODO: One branch per kind of change, putting back applied.saved and setting action to what
    # TODO: was done ("set", "removed" or "already gone"); see the docstring.
    # TODO: Hint: sys.modules.pop(name, None) removes an entry that may already be gone;
    # TODO: catch the ValueError of sys.path.remove.
    saved = applied.saved
    if isinstance(change, SetArgv0):
        sys.argv[0] = saved
    elif isinstance(change, ReplaceArgv):
        sys.argv[:] = saved
    elif isinstance(change, SetModule):
        if saved is MISSING:
            sys.modules.pop(change.name, None)
            action = "removed"
        else:
            sys.modules[change.name] = saved
    elif isinstance(change, InsertPath) and saved is not MISSING:
        sys.path[0] = saved
    elif isinstance(change, InsertPath):
        try:
            sys.path.remove(change.entry)
        except ValueError:
            action = "already gone"  # the code removed it itself: nothing to undo (RP-07)
        else:
            action = "removed"
    else:
        raise TypeError(f"restore does not know how to undo {change!r}")
    # TODO-END
    after = change.read() if tracing_on() else None
    return emit(SysRestored(change.target(), action, before, after, change.ids))
