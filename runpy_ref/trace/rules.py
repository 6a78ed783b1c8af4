"""Under ``--as-of``, which rule of which version made a decision: the history behind an event.

An event names the catalogue entries it implements (``behaviours``); each
flag of :class:`~runpy_ref.profiles.Profile` cites the entries it encodes
in its docstring.  When the profile in force is not the host's, the tracer
asks :func:`rules_applied` for the flags that share an entry with the event
and whose value differs from the host's: those are the decisions the
emulated version made differently.  Each comes with its value, the version
in force, the version whose row set it (:func:`runpy_ref.history.changed_in`)
and the entries::

    {"rule": "argv0_while_locating", "value": "-c", "as_of": "2.7", "since": "2.5", "ids": ["CLI-09"]}

(``since`` is None for a profile made by hand, ``as_of(profile.replace(...))``.)

The flags' docstrings are the one place the entries are written: they are
read from the source of :mod:`runpy_ref.profiles`, once, the first time a
trace under another version needs them (an untraced run never loads this).
"""

from __future__ import annotations

import re

from .._lean import TYPE_CHECKING
from ..history import changed_in
from .plain_data import plain

if TYPE_CHECKING:
    from typing import Any

    from ..profiles import Profile

__all__ = ["flag_behaviours", "rules_applied"]

_ID = re.compile(r"\b[A-Z]+-\d{2,}\b")
_FLAGS: dict[str, tuple[str, ...]] | None = None


def flag_behaviours() -> dict[str, tuple[str, ...]]:
    """Each flag of Profile, with the catalogue IDs its docstring cites (in order, once each)."""
    global _FLAGS
    if _FLAGS is None:
        import ast

        from .. import profiles

        with open(profiles.__file__, encoding="utf-8") as stream:
            tree = ast.parse(stream.read())
        body = next(node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "Profile").body
        _FLAGS = {}
        for field, doc in zip(body, body[1:]):
            if isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name) and isinstance(
                    doc, ast.Expr) and isinstance(doc.value, ast.Constant) and isinstance(doc.value.value, str):
                _FLAGS[field.target.id] = tuple(dict.fromkeys(_ID.findall(doc.value.value)))
    return _FLAGS


def rules_applied(profile: Profile, host: Profile, behaviours: tuple[str, ...]) -> list[dict[str, Any]]:
    """The flags behind an event with ``behaviours`` whose value under ``profile`` is not the host's."""
    from ..profiles import PROFILES

    row = PROFILES.get(profile.version)
    wanted = set(behaviours)
    found = []
    for flag, ids in flag_behaviours().items():
        value = getattr(profile, flag)
        if wanted.intersection(ids) and value != getattr(host, flag):
            from_table = row is not None and getattr(row, flag) == value  # else a profile made by hand
            found.append({"rule": flag, "value": plain(value), "as_of": profile.version,
                          "since": changed_in(profile.version, flag) if from_table else None, "ids": list(ids)})
    return found
