"""Exercise 4: alter_sys - make one change to ``sys``, and keep what undoing it needs.

Contract (from ``runpy_ref/stages/alter_sys.py``)::

    alter_sys(change) -> Applied

``change`` is one of four small immutable records:

* ``SetArgv0(value)``: ``sys.argv[0] = value`` [RM-17, RP-18, CLI-08]
* ``ReplaceArgv(values)``: the whole of ``sys.argv`` becomes ``values`` [CLI-09, CLI-14]
* ``SetModule(name, module)``: ``sys.modules[name] = module``; with
  ``module=None`` the entry is *taken out* instead [RM-17, RM-19, RP-10, RP-19]
* ``InsertPath(entry, replace_first)``: ``sys.path.insert(0, entry)``, or
  with ``replace_first`` overwrite ``sys.path[0]`` [RP-06, CLI-22]

Return ``Applied(change, saved)``: ``saved`` is whatever ``restore`` (exercise 6)
needs to put things back; use ``MISSING`` for "there was no entry".

Check your work with ``python -m runpy_ref.exercises check 4``.
"""

from __future__ import annotations

import sys
from typing import Any

from runpy_ref.exercises.kit import (
    MISSING,
    Applied,
    InsertPath,
    ReplaceArgv,
    SetArgv0,
    SetModule,
    SysChanged,
    emit,
    read_target,
    target_name,
    tracing_on,
)


def alter_sys(change: Any) -> Applied:
    """Apply ``change`` to ``sys`` in place and return ``Applied(change, saved)``.

    Change the objects *in place* (``sys.argv[:] = ...``), never rebind
    ``sys.argv`` or ``sys.path``: other code holds references to those lists.
    """
    before = read_target(change) if tracing_on() else None
    saved: Any = MISSING  # what restore will need; MISSING: "there was no entry"
    # TODO-BEGIN
    # TODO: One branch per kind of change (isinstance(change, SetArgv0), ...):
    # TODO:   SetArgv0    - save sys.argv[0], then set it to change.value
    # TODO:   ReplaceArgv - save a copy of sys.argv, then replace its contents with change.values
    # TODO:   SetModule   - module None: save and delete sys.modules[change.name];
    # TODO:                 otherwise save the current entry (or MISSING) and set the new module
    # TODO:   InsertPath  - replace_first (and sys.path not empty): save and overwrite sys.path[0];
    # TODO:                 otherwise save MISSING and insert change.entry at position 0
    if isinstance(change, SetArgv0):
        saved, sys.argv[0] = sys.argv[0], change.value
    elif isinstance(change, ReplaceArgv):
        saved, sys.argv[:] = list(sys.argv), change.values
    elif isinstance(change, SetModule):
        if change.module is None:
            saved = sys.modules.pop(change.name)
        else:
            saved = sys.modules.get(change.name, MISSING)
            sys.modules[change.name] = change.module
    elif isinstance(change, InsertPath) and change.replace_first and sys.path:
        saved, sys.path[0] = sys.path[0], change.entry
    elif isinstance(change, InsertPath):
        saved = MISSING
        sys.path.insert(0, change.entry)
    else:
        raise TypeError(f"alter_sys does not know how to apply {change!r}")
    # TODO-END
    if tracing_on():  # the trace says how: "inserted" for a new sys.path entry, "removed" for an entry taken out
        emit(SysChanged(target_name(change), change.action(), before, read_target(change), change.lasting,
                        change.ids))
    return Applied(change, saved)
