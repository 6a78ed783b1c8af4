"""Decision records: what each stage decided, as small immutable values.

A stage returns one of these; the pipeline acts on it, and the tracer turns
it into an event: ``EVENT`` and ``STAGE`` name the event, ``BEHAVIOURS`` the
catalogue entries it implements (``conformance/catalogue/behaviours.json``;
``tests/test_trace_scenarios.py`` checks that every cited ID exists), and
the fields become the event's data.  Fields listed in ``UNTRACED`` carry a
live object the pipeline needs (a code object) or the IDs, and stay out of
the data, which describes them another way.
"""

from __future__ import annotations

from ._lean import TYPE_CHECKING
from .values import Value

if TYPE_CHECKING:
    from typing import Any


class Record(Value):
    """Base of the decision records below."""

    EVENT = ""
    STAGE = ""
    BEHAVIOURS: tuple[str, ...] = ()
    UNTRACED: tuple[str, ...] = ()

    def behaviours(self) -> tuple[str, ...]:
        """Catalogue IDs for this instance; a record that carries its own ``ids`` reports them."""
        return getattr(self, "ids", None) or self.BEHAVIOURS

    def stage(self) -> str:
        """The stage the event belongs to (a failure belongs to the stage that failed)."""
        return self.STAGE

    def payload(self) -> dict[str, Any]:
        """Field name to value for the event data, before conversion to plain data."""
        return {name: getattr(self, name) for name in self.FIELDS if name not in self.UNTRACED}


def init_globals_keys(init_globals: Any) -> tuple[Any, ...]:
    """The keys ``dict.update(init_globals)`` will set, read without disturbing the run.

    runpy only ever hands ``init_globals`` to ``dict.update``, so whatever
    ``update`` accepts works there: a mapping, or pairs such as
    ``[("a", 1)]``.  A one-shot iterator is not read here (that would use
    it up before the update), and input ``update`` rejects is left for
    ``update`` to reject with its own message, at the moment CPython does.
    Both ``run_started`` and ``globals_built`` report these keys.
    """
    if init_globals is None:
        return ()
    if hasattr(init_globals, "keys"):
        return tuple(init_globals.keys())
    try:
        if iter(init_globals) is init_globals:
            return ()
        return tuple(dict(init_globals))
    except (TypeError, ValueError):
        return ()


# -- run frames ------------------------------------------------------------------


class RunStarted(Record):
    """A public entry point was called (one run; runs may nest)."""

    EVENT, STAGE = "run_started", "run"
    api: str
    target: Any
    run_name: str | None = None
    alter_sys: bool | None = None
    init_globals: tuple[str, ...] | None = None
    profile: str | None = None

    def behaviours(self) -> tuple[str, ...]:
        return {"run_module": ("RM-01",), "run_path": ("RP-01",)}.get(self.api, ("CLI-03",))


class RunFinished(Record):
    """The run ended: ``returned``, ``raised`` (with the type) or ``exit`` (with the SystemExit)."""

    EVENT, STAGE = "run_finished", "run"
    api: str
    outcome: str
    exception: str | None = None


class StageFailed(Record):
    """A stage gave up: the error the caller will see, reported where it was raised."""

    EVENT = "stage_failed"
    UNTRACED = ("ids",)
    failed_stage: str
    error_type: str
    message: str
    ids: tuple[str, ...] = ()

    def stage(self) -> str:
        return self.failed_stage


# -- find_spec ------------------------------------------------------------------


class ParentImported(Record):
    """The parent package was imported before the lookup (and stays imported)."""

    EVENT, STAGE, BEHAVIOURS = "parent_imported", "find_spec", ("RM-03", "RM-25")
    package: str
    module: str


class AlreadyImported(Record):
    """The target was already in sys.modules: runpy warns, then runs it anyway."""

    EVENT, STAGE, BEHAVIOURS = "already_imported", "find_spec", ("RM-24",)
    module: str
    package: str
    warning: str


class SpecFound(Record):
    """The import system located the module; nothing has been executed yet."""

    EVENT, STAGE, BEHAVIOURS = "spec_found", "find_spec", ("RM-02", "CLI-01")
    name: str
    spec: Any

    @property
    def is_package(self) -> bool:
        return self.spec.submodule_search_locations is not None


# -- pick_main --------------------------------------------------------------------


class PackageRedirect(Record):
    """A package cannot run itself: its ``__main__`` submodule is looked up and runs instead."""

    EVENT, STAGE, BEHAVIOURS = "package_redirect", "pick_main", ("RM-06", "CLI-05")
    package: str
    main: str


class MainChoice(Record):
    """The module whose code will run, and where the code came from."""

    EVENT, STAGE = "code_loaded", "pick_main"
    UNTRACED = ("code",)
    name: str
    spec: Any
    source: str
    code: Any = None

    def behaviours(self) -> tuple[str, ...]:
        return ("RP-03", "RP-04") if self.spec is None else ("RM-02", "RM-04")

    def payload(self) -> dict[str, Any]:
        origin = self.name if self.spec is None else self.spec.origin
        return {"name": self.name, "origin": origin, "source": self.source}


class PathChoice(Record):
    """run_path's first decision: a plain file, or a sys.path entry?"""

    EVENT, STAGE, BEHAVIOURS = "path_classified", "pick_main", ("RP-03", "RP-05")
    UNTRACED = ("code", "source")
    path: Any
    kind: str
    importer: str | None
    code: Any = None
    source: str | None = None
    """For a file, ``"bytecode file"`` or ``"source file"`` (``code_loaded`` reports it)."""


# -- build_globals ---------------------------------------------------------------


class GlobalsPlan(Record):
    """The special globals the code will see, in the order they are set.

    ``overridden`` lists the ``init_globals`` keys that lose to a special;
    ``kept`` the ones that survive into the namespace.
    """

    EVENT, STAGE = "globals_built", "build_globals"
    UNTRACED = ("ids",)
    specials: tuple[tuple[str, Any], ...]
    kept: tuple[str, ...] = ()
    overridden: tuple[str, ...] = ()
    ids: tuple[str, ...] = ("RM-08", "RM-15", "RM-16")

    def payload(self) -> dict[str, Any]:
        # __spec__ appears by its name: spec_found has described it already,
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
    """One change to ``sys``: what was done (``action``) and the values before and after.

    ``action`` is ``set`` (a value replaced), ``inserted`` (a new first
    entry: ``before`` moved to the next place) or ``removed`` (an entry taken
    out).
    """

    EVENT, STAGE = "sys_changed", "alter_sys"
    UNTRACED = ("ids",)
    target: str
    action: str
    before: Any
    after: Any
    lasting: bool = False
    ids: tuple[str, ...] = ()


class SysRestored(Record):
    """A change undone: ``after`` is the value the caller gets back."""

    EVENT, STAGE = "sys_restored", "restore"
    UNTRACED = ("ids",)
    target: str
    action: str
    before: Any
    after: Any
    ids: tuple[str, ...] = ()


# -- exec ----------------------------------------------------------------------------


class ExecStarted(Record):
    """The code object starts running in its namespace."""

    EVENT, STAGE, BEHAVIOURS = "exec_started", "exec", ("RM-02",)
    name: Any
    namespace: str


class ExecFinished(Record):
    """How the code ended: ``returned``, ``raised`` or ``exit`` (SystemExit)."""

    EVENT, STAGE = "exec_finished", "exec"
    name: Any
    outcome: str
    exception: str | None = None
    exit_code: Any = None

    def behaviours(self) -> tuple[str, ...]:
        return ("RM-02",) if self.outcome == "returned" else ("ERR-12", "G-16")
