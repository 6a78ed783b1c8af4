"""Immutable values: the one base of every record, change, profile and option set.

runpy_ref's decisions are *values*: built once, never changed, compared by
content, and turned into trace events.  A value class names its fields the
way a dataclass does, as annotated class attributes, with an optional
default::

    class SetArgv0(Value):
        value: object
        lasting: bool = False

    SetArgv0("app.py")             # positional, in field order
    SetArgv0(value="app.py")       # or by name
    SetArgv0("app.py").replace(lasting=True)

Names in capitals (``EVENT = "spec_found"``) are class constants, not
fields.  Why not :mod:`dataclasses`?  It imports :mod:`inspect` (and with it
``ast``, ``dis``, ``enum``, ``re`` ...), which would cost ``python -m
runpy_ref`` more than all of runpy_ref together; the few methods a value
needs are written once, below.
"""

from __future__ import annotations

from ._lean import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

__all__ = ["FrozenInstanceError", "Value"]


class FrozenInstanceError(AttributeError):
    """An attempt to change a field of an immutable value."""


class Value:
    """Base of immutable values; a subclass's fields are its annotated attributes.

    ``FIELDS`` lists them, inherited fields first.  A field whose class
    attribute gives a default may be left out of the constructor; the
    instance then holds that default.
    """

    FIELDS: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        annotations = cls.__dict__.get("__annotations__", {})  # noqa: RUF063 - this class's own, no import
        own = [name for name in annotations if not name.isupper()]
        cls.FIELDS = (*cls.FIELDS, *[name for name in own if name not in cls.FIELDS])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        fields = type(self).FIELDS
        if kwargs or len(args) != len(fields):  # some by name, or defaults to fill in
            args = self._bind(args, kwargs)
        for name, value in zip(fields, args):
            object.__setattr__(self, name, value)

    @classmethod
    def _bind(cls, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
        """Every field's value, in order, from positional and keyword arguments and the defaults."""
        if len(args) > len(cls.FIELDS):
            raise TypeError(f"{cls.__name__} takes {len(cls.FIELDS)} fields, {len(args)} given")
        given = dict(zip(cls.FIELDS, args))
        for name, value in kwargs.items():
            if name not in cls.FIELDS:
                raise TypeError(f"{cls.__name__} has no field {name!r}; fields are {list(cls.FIELDS)}")
            if name in given:
                raise TypeError(f"{cls.__name__} got field {name!r} twice")
            given[name] = value
        missing = [name for name in cls.FIELDS if name not in given and not hasattr(cls, name)]
        if missing:
            raise TypeError(f"{cls.__name__} needs field(s) {missing}")
        return tuple([given[name] if name in given else getattr(cls, name) for name in cls.FIELDS])

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(
            f"cannot assign to field {name!r}: {type(self).__name__} is immutable "
            f"(make a changed copy with .replace({name}=...))"
        )

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}: {type(self).__name__} is immutable")

    def astuple(self) -> tuple[Any, ...]:
        """The field values, in ``FIELDS`` order (like ``dataclasses.astuple``, not recursive)."""
        return tuple(getattr(self, name) for name in self.FIELDS)

    def replace(self, **changes: Any) -> Any:
        """A copy with the given fields changed (like ``dataclasses.replace``)."""
        fields = {name: getattr(self, name) for name in self.FIELDS}
        fields.update(changes)
        return type(self)(**fields)

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.FIELDS)
        return f"{type(self).__qualname__}({shown})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.astuple() == other.astuple()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self.astuple())

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle and copy by calling the class again (``__setattr__`` refuses the usual way)."""
        return (_rebuild, (type(self), {name: getattr(self, name) for name in self.FIELDS}))


def _rebuild(cls: type, fields: dict[str, Any]) -> Any:
    return cls(**fields)
