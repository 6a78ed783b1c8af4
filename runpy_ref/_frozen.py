"""Small immutable records, written out by hand.

runpy_ref's decision records, sys changes, stage table and profiles are
values: built once, never changed, compared by content.  :mod:`dataclasses`
would write their methods for us, but importing it costs ``python -m
runpy_ref`` more than the rest of runpy_ref together (it imports
:mod:`inspect`, hence ``ast``, ``dis``, ``enum``, ``re`` ...), and it
generates the methods with ``exec`` at start-up.  So the few methods a value
needs live here, once, as plain code:

* a subclass lists its fields, in order, in ``FIELDS`` (and usually the same
  names in ``__slots__``, which makes instances small and attribute access
  fast);
* its ``__init__`` sets each field with :func:`set_field`, the one way in;
* after that, assignment and deletion raise :class:`FrozenInstanceError`;
* ``repr``, ``==`` and ``hash`` go by the fields, and :meth:`Frozen.replace`
  returns a copy with some fields changed.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Frozen", "FrozenInstanceError", "set_field"]

set_field = object.__setattr__
"""``set_field(record, name, value)``: how an ``__init__`` fills in a field."""


class FrozenInstanceError(AttributeError):
    """An attempt to change a field of an immutable record."""


class Frozen:
    """Base of immutable records whose fields are listed in ``FIELDS``."""

    __slots__ = ()
    FIELDS: tuple[str, ...] = ()

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(
            f"cannot assign to field {name!r}: {type(self).__name__} is immutable "
            f"(make a changed copy with .replace({name}=...))"
        )

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}: {type(self).__name__} is immutable")

    def values(self) -> tuple[Any, ...]:
        """The field values, in ``FIELDS`` order."""
        return tuple([getattr(self, name) for name in self.FIELDS])

    def replace(self, **changes: Any) -> Any:
        """A copy with the given fields changed (like ``dataclasses.replace``)."""
        unknown = [name for name in changes if name not in self.FIELDS]
        if unknown:
            known = list(self.FIELDS)
            raise TypeError(f"{type(self).__name__} has no field(s) {unknown}; fields are {known}")
        fields = {name: getattr(self, name) for name in self.FIELDS}
        fields.update(changes)
        return type(self)(**fields)

    def __repr__(self) -> str:
        shown = ", ".join([f"{name}={getattr(self, name)!r}" for name in self.FIELDS])
        return f"{type(self).__qualname__}({shown})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.values() == other.values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self.values())

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle and copy by calling the class again (``__setattr__`` refuses the usual way)."""
        return (_rebuild, (type(self), {name: getattr(self, name) for name in self.FIELDS}))


def _rebuild(cls: type, fields: dict[str, Any]) -> Any:
    return cls(**fields)
