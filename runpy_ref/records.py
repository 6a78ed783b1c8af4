"""Decision records: what each stage decided, as small immutable values.

A stage returns one of these; the pipeline acts on it and the tracer turns it
into an event (``EVENT``/``STAGE`` name it, the fields are its data).  Fields
named in ``UNTRACED`` carry a live object the pipeline needs (a code object)
or the catalogue IDs, and stay out of the event data, which describes them
another way.  Each record lists its fields in ``FIELDS`` and sets them in a
plain ``__init__``; :class:`Frozen`, below, makes them immutable.

The ``BEHAVIOURS`` tuples cite entries of the behaviour catalogue
(``conformance/catalogue/behaviours.json``); ``tests/test_trace_scenarios.py`` checks
that every cited ID exists there.

Immutable values, written out by hand: runpy_ref's decision records, sys changes, stage table and profiles are
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

:class:`Frozen` and :class:`Record` live here, with the records, rather than
in modules of their own: every ``python -m runpy_ref`` imports them, and each
module costs a start-up a file lookup and a read.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


# -- immutable values -----------------------------------------------------------

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


class Record(Frozen):
    """Base of the decision records below.

    A record is what a stage decided.  The pipeline acts on it, and the
    tracer turns it into an event: ``EVENT`` and ``STAGE`` name the event,
    ``BEHAVIOURS`` the catalogue entries, and the fields become the event
    data, except those named in ``UNTRACED``: they carry live objects (a code
    object) or bookkeeping the event already gives another way.
    """

    __slots__ = ()
    EVENT: str = ""
    STAGE: str = ""
    BEHAVIOURS: tuple[str, ...] = ()
    UNTRACED: tuple[str, ...] = ()
    TRACED: tuple[str, ...] = ()
    """``FIELDS`` without ``UNTRACED``: the fields that become the event data (set per class)."""

    def behaviours(self) -> tuple[str, ...]:
        """Catalogue IDs for this instance; subclasses refine by content."""
        return self.BEHAVIOURS

    def payload(self) -> dict[str, Any]:
        """Field name to value, before conversion to plain data (a new dict at every call)."""
        return {name: getattr(self, name) for name in self.TRACED}

    @classmethod
    def traced_fields(cls) -> tuple[str, ...]:
        """The names of the fields that become event data, in order."""
        return cls.TRACED

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Worked out once per class, not at every event of a traced run.
        super().__init_subclass__(**kwargs)
        cls.TRACED = tuple([name for name in cls.FIELDS if name not in cls.UNTRACED])


# -- run ---------------------------------------------------------------------


class RunStarted(Record):
    """A public entry point was called (one run; runs may nest)."""

    EVENT = "run_started"
    STAGE = "run"
    FIELDS = ("api", "target", "run_name", "alter_sys", "init_globals")
    __slots__ = FIELDS

    def __init__(
        self,
        api: str,
        target: Any,
        run_name: str | None = None,
        alter_sys: bool | None = None,
        init_globals: tuple[str, ...] | None = None,
    ) -> None:
        set_field(self, "api", api)
        set_field(self, "target", target)
        set_field(self, "run_name", run_name)
        set_field(self, "alter_sys", alter_sys)
        set_field(self, "init_globals", init_globals)

    def behaviours(self) -> tuple[str, ...]:
        return {"run_module": ("RM-01",), "run_path": ("RP-01",)}.get(self.api, ("CLI-03",))


class RunFinished(Record):
    """The run ended: ``returned``, ``raised`` (with the type) or ``exit``."""

    EVENT = "run_finished"
    STAGE = "run"
    FIELDS = ("api", "outcome", "exception")
    __slots__ = FIELDS

    def __init__(self, api: str, outcome: str, exception: str | None = None) -> None:
        set_field(self, "api", api)
        set_field(self, "outcome", outcome)
        set_field(self, "exception", exception)


class StageFailed(Record):
    """A stage raised: the message is the one the caller will see."""

    EVENT = "stage_failed"
    UNTRACED = ("ids",)
    FIELDS = ("failed_stage", "error_type", "message", "ids")
    __slots__ = FIELDS

    def __init__(self, failed_stage: str, error_type: str, message: str, ids: tuple[str, ...] = ()) -> None:
        set_field(self, "failed_stage", failed_stage)
        set_field(self, "error_type", error_type)
        set_field(self, "message", message)
        set_field(self, "ids", ids)

    def behaviours(self) -> tuple[str, ...]:
        return self.ids


# -- find_spec ------------------------------------------------------------------


class ParentImported(Record):
    """The parent package was imported before the lookup (and stays imported)."""

    EVENT = "parent_imported"
    STAGE = "find_spec"
    BEHAVIOURS = ("RM-03", "RM-25")
    FIELDS = ("package", "module")
    __slots__ = FIELDS

    def __init__(self, package: str, module: str) -> None:
        set_field(self, "package", package)
        set_field(self, "module", module)


class AlreadyImported(Record):
    """The target was already in sys.modules: runpy warns, then runs it anyway."""

    EVENT = "already_imported"
    STAGE = "find_spec"
    BEHAVIOURS = ("RM-24",)
    FIELDS = ("module", "package", "warning")
    __slots__ = FIELDS

    def __init__(self, module: str, package: str, warning: str) -> None:
        set_field(self, "module", module)
        set_field(self, "package", package)
        set_field(self, "warning", warning)


class SpecFound(Record):
    """The import system located the module; nothing has been executed yet."""

    EVENT = "spec_found"
    STAGE = "find_spec"
    BEHAVIOURS = ("RM-02", "CLI-01")
    FIELDS = ("name", "spec")
    __slots__ = FIELDS

    def __init__(self, name: str, spec: Any) -> None:
        set_field(self, "name", name)
        set_field(self, "spec", spec)

    @property
    def is_package(self) -> bool:
        return self.spec.submodule_search_locations is not None


# -- pick_main --------------------------------------------------------------------


class PackageRedirect(Record):
    """A package cannot run itself: its ``__main__`` submodule runs instead."""

    EVENT = "package_redirect"
    STAGE = "pick_main"
    BEHAVIOURS = ("RM-06", "CLI-05")
    FIELDS = ("package", "main")
    __slots__ = FIELDS

    def __init__(self, package: str, main: str) -> None:
        set_field(self, "package", package)
        set_field(self, "main", main)


class MainChoice(Record):
    """The module whose code will run, and where the code came from."""

    EVENT = "code_loaded"
    STAGE = "pick_main"
    UNTRACED = ("code",)
    FIELDS = ("name", "spec", "source", "code")
    __slots__ = FIELDS

    def __init__(self, name: str, spec: Any, source: str, code: Any = None) -> None:
        set_field(self, "name", name)
        set_field(self, "spec", spec)
        set_field(self, "source", source)
        set_field(self, "code", code)

    def behaviours(self) -> tuple[str, ...]:
        if self.spec is None:
            return ("RP-03", "RP-04")
        return ("RM-02", "RM-04")

    def payload(self) -> dict[str, Any]:
        origin = self.name if self.spec is None else self.spec.origin
        return {"name": self.name, "origin": origin, "source": self.source}


class PathChoice(Record):
    """run_path's first decision: a plain file, or a sys.path entry?"""

    EVENT = "path_classified"
    STAGE = "pick_main"
    BEHAVIOURS = ("RP-03", "RP-05")
    UNTRACED = ("code",)
    FIELDS = ("path", "kind", "importer", "code")
    __slots__ = FIELDS

    def __init__(self, path: Any, kind: str, importer: str | None, code: Any = None) -> None:
        set_field(self, "path", path)
        set_field(self, "kind", kind)
        set_field(self, "importer", importer)
        set_field(self, "code", code)


# -- build_globals ---------------------------------------------------------------


class GlobalsPlan(Record):
    """The special globals the code will see, in the order they are set.

    ``overridden`` lists the ``init_globals`` keys that lose to a special;
    ``kept`` the ones that survive into the namespace.
    """

    EVENT = "globals_built"
    STAGE = "build_globals"
    UNTRACED = ("ids",)
    FIELDS = ("specials", "kept", "overridden", "ids")
    __slots__ = FIELDS

    def __init__(
        self,
        specials: tuple[tuple[str, Any], ...],
        kept: tuple[str, ...] = (),
        overridden: tuple[str, ...] = (),
        ids: tuple[str, ...] = ("RM-08", "RM-15", "RM-16"),
    ) -> None:
        set_field(self, "specials", specials)
        set_field(self, "kept", kept)
        set_field(self, "overridden", overridden)
        set_field(self, "ids", ids)

    def behaviours(self) -> tuple[str, ...]:
        return self.ids

    def payload(self) -> dict[str, Any]:
        # ``__spec__`` appears by its name: spec_found has described it already,
        # and __file__, __cached__ and __loader__ repeat its origin, cache and loader.
        specials = dict(self.specials)
        spec = specials.get("__spec__")
        if spec is not None:
            try:
                specials["__spec__"] = spec.name
            except Exception:  # not a real spec (_run_code takes anything): plain() describes it
                pass
        return {"specials": specials, "kept": self.kept, "overridden": self.overridden}


# -- alter_sys / restore -------------------------------------------------------


class SysChanged(Record):
    """One temporary change to ``sys``, with the values before and after."""

    EVENT = "sys_changed"
    STAGE = "alter_sys"
    UNTRACED = ("ids",)
    FIELDS = ("target", "before", "after", "lasting", "ids")
    __slots__ = FIELDS

    def __init__(
        self,
        target: str,
        before: Any,
        after: Any,
        lasting: bool = False,
        ids: tuple[str, ...] = (),
    ) -> None:
        set_field(self, "target", target)
        set_field(self, "before", before)
        set_field(self, "after", after)
        set_field(self, "lasting", lasting)
        set_field(self, "ids", ids)

    def behaviours(self) -> tuple[str, ...]:
        return self.ids


class SysRestored(Record):
    """A change undone: ``after`` is the value the caller gets back."""

    EVENT = "sys_restored"
    STAGE = "restore"
    UNTRACED = ("ids",)
    FIELDS = ("target", "before", "after", "ids")
    __slots__ = FIELDS

    def __init__(self, target: str, before: Any, after: Any, ids: tuple[str, ...] = ()) -> None:
        set_field(self, "target", target)
        set_field(self, "before", before)
        set_field(self, "after", after)
        set_field(self, "ids", ids)

    def behaviours(self) -> tuple[str, ...]:
        return self.ids


# -- exec ----------------------------------------------------------------------------


class ExecStarted(Record):
    """The code object starts running in its namespace."""

    EVENT = "exec_started"
    STAGE = "exec"
    BEHAVIOURS = ("RM-02",)
    FIELDS = ("name", "namespace")
    __slots__ = FIELDS

    def __init__(self, name: Any, namespace: str) -> None:
        set_field(self, "name", name)
        set_field(self, "namespace", namespace)


class ExecFinished(Record):
    """How the code ended: ``returned``, ``raised`` or ``exit`` (SystemExit)."""

    EVENT = "exec_finished"
    STAGE = "exec"
    FIELDS = ("name", "outcome", "exception", "exit_code")
    __slots__ = FIELDS

    def __init__(self, name: Any, outcome: str, exception: str | None = None, exit_code: Any = None) -> None:
        set_field(self, "name", name)
        set_field(self, "outcome", outcome)
        set_field(self, "exception", exception)
        set_field(self, "exit_code", exit_code)

    def behaviours(self) -> tuple[str, ...]:
        return ("RM-02",) if self.outcome == "returned" else ("ERR-12", "G-16")
