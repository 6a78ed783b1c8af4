# Starter for exercise 6: `python -m runpy_ref.exercises start 6` copies it to your
# working copy; replace each TODO block with your code, then run
# `python -m runpy_ref.exercises check 6`.  (Generated from the instructor's solution by
# `python -m runpy_ref.exercises build-starters`: edit the solution, not this file.)
# ruff: noqa: F401 - the imports are the tools you will need
"""Exercise 6: restore - undo one change to ``sys``: the caller gets back what it had.

Contract (from ``runpy_ref/stages/restore.py``)::

    restore(applied) -> SysRestored

``applied`` is what ``alter_sys`` returned: ``applied.change`` (a
``SetArgv0``, ``ReplaceArgv``, ``SetModule`` or ``InsertPath``) and
``applied.saved`` (the value it replaced, or ``MISSING``).  The pipeline
calls ``restore`` from a ``finally:`` block, in reverse order of the changes,
after a normal end *and* after an exception [RM-17, RM-18, RP-19].

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
    read_target,
    target_name,
    tracing_on,
)


def restore(applied: Applied) -> SysRestored:
    """Put back what ``applied.change`` replaced, in place.

    * ``SetArgv0``: ``sys.argv[0]`` gets the saved value back.
    * ``ReplaceArgv``: the *contents* of ``sys.argv`` become the saved list again.
    * ``SetModule``: put the saved module back; if there was none (``MISSING``),
      remove the entry (the reference ignores an entry the code removed itself; CPython
      raises KeyError there, see lesson 7).
      ``run_name='__main__'`` replaces the real ``__main__``, which must come back [RM-19].
    * ``InsertPath``: an overwritten ``sys.path[0]`` gets its old value; an
      inserted entry is removed with ``sys.path.remove`` (the first equal
      entry), and if the code removed it already there is nothing to do [RP-07].
    """
    change = applied.change
    before = read_target(change) if tracing_on() else None
    action = "set"  # how it was undone, for the trace: "set", "removed" or "already gone"
    # TODO: One branch per kind of change, putting back applied.saved; see the docstring.
    # TODO: Hint: sys.modules.pop(name, None) removes an entry that may already be gone;
    # TODO: catch the ValueError of sys.path.remove.
    raise NotImplementedError("exercise 6: restore is not written yet")
    after = read_target(change) if tracing_on() else None
    return emit(SysRestored(target_name(change), action, before, after, change.ids))
