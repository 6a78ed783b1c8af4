"""Decision records: what each stage decided, as small immutable values.

A stage returns one of these; the pipeline acts on it and the tracer turns it
into an event (``EVENT``/``STAGE`` name it, the fields are its data).  Fields
marked ``_LIVE`` carry a live object the pipeline needs (a code object) but
stay out of the trace, which describes it through other fields instead.

The ``BEHAVIOURS`` tuples cite entries of the behaviour catalogue
(``conformance/catalogue/behaviours.json``); ``tests/test_records.py`` checks
that every cited ID exists there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .trace import Record

_LIVE = {"trace": False}


# -- run ---------------------------------------------------------------------


@dataclass(frozen=True)
class RunStarted(Record):
    """A public entry point was called (one run; runs may nest)."""

    EVENT = "run_started"
    STAGE = "run"
    api: str
    target: Any
    run_name: str | None = None
    alter_sys: bool | None = None
    init_globals: tuple[str, ...] | None = None

    def behaviours(self) -> tuple[str, ...]:
        return {"run_module": ("RM-01",), "run_path": ("RP-01",)}.get(self.api, ("CLI-03",))


@dataclass(frozen=True)
class RunFinished(Record):
    """The run ended: ``returned``, ``raised`` (with the type) or ``exit``."""

    EVENT = "run_finished"
    STAGE = "run"
    api: str
    outcome: str
    exception: str | None = None


@dataclass(frozen=True)
class StageFailed(Record):
    """A stage raised: the message is the one the caller will see."""

    EVENT = "stage_failed"
    failed_stage: str
    error_type: str
    message: str
    ids: tuple[str, ...] = field(default=(), metadata=_LIVE)

    def behaviours(self) -> tuple[str, ...]:
        return self.ids


# -- find_spec ------------------------------------------------------------------


@dataclass(frozen=True)
class ParentImported(Record):
    """The parent package was imported before the lookup (and stays imported)."""

    EVENT = "parent_imported"
    STAGE = "find_spec"
    BEHAVIOURS = ("RM-03", "RM-25")
    package: str
    module: str


@dataclass(frozen=True)
class AlreadyImported(Record):
    """The target was already in sys.modules: runpy warns, then runs it anyway."""

    EVENT = "already_imported"
    STAGE = "find_spec"
    BEHAVIOURS = ("RM-24",)
    module: str
    package: str
    warning: str


@dataclass(frozen=True)
class SpecFound(Record):
    """The import system located the module; nothing has been executed yet."""

    EVENT = "spec_found"
    STAGE = "find_spec"
    BEHAVIOURS = ("RM-02", "CLI-01")
    name: str
    spec: Any

    @property
    def is_package(self) -> bool:
        return self.spec.submodule_search_locations is not None


# -- pick_main --------------------------------------------------------------------


@dataclass(frozen=True)
class PackageRedirect(Record):
    """A package cannot run itself: its ``__main__`` submodule runs instead."""

    EVENT = "package_redirect"
    STAGE = "pick_main"
    BEHAVIOURS = ("RM-06", "CLI-05")
    package: str
    main: str


@dataclass(frozen=True)
class MainChoice(Record):
    """The module whose code will run, and where the code came from."""

    EVENT = "code_loaded"
    STAGE = "pick_main"
    name: str
    spec: Any
    source: str
    code: Any = field(default=None, metadata=_LIVE)

    def behaviours(self) -> tuple[str, ...]:
        if self.spec is None:
            return ("RP-03", "RP-04")
        return ("RM-02", "RM-04")

    def payload(self) -> dict[str, Any]:
        origin = self.name if self.spec is None else self.spec.origin
        return {"name": self.name, "origin": origin, "source": self.source}


@dataclass(frozen=True)
class PathChoice(Record):
    """run_path's first decision: a plain file, or a sys.path entry?"""

    EVENT = "path_classified"
    STAGE = "pick_main"
    BEHAVIOURS = ("RP-03", "RP-05")
    path: Any
    kind: str
    importer: str | None
    code: Any = field(default=None, metadata=_LIVE)


# -- build_globals ---------------------------------------------------------------


@dataclass(frozen=True)
class GlobalsPlan(Record):
    """The special globals the code will see, in the order they are set.

    ``overridden`` lists the ``init_globals`` keys that lose to a special;
    ``kept`` the ones that survive into the namespace.
    """

    EVENT = "globals_built"
    STAGE = "build_globals"
    specials: tuple[tuple[str, Any], ...]
    kept: tuple[str, ...] = ()
    overridden: tuple[str, ...] = ()
    ids: tuple[str, ...] = field(default=("RM-08", "RM-15", "RM-16"), metadata=_LIVE)

    def behaviours(self) -> tuple[str, ...]:
        return self.ids

    def payload(self) -> dict[str, Any]:
        return {
            "specials": dict(self.specials),
            "kept": self.kept,
            "overridden": self.overridden,
        }


# -- alter_sys / restore -------------------------------------------------------


@dataclass(frozen=True)
class SysChanged(Record):
    """One temporary change to ``sys``, with the values before and after."""

    EVENT = "sys_changed"
    STAGE = "alter_sys"
    target: str
    before: Any
    after: Any
    lasting: bool = False
    ids: tuple[str, ...] = field(default=(), metadata=_LIVE)

    def behaviours(self) -> tuple[str, ...]:
        return self.ids


@dataclass(frozen=True)
class SysRestored(Record):
    """A change undone: ``after`` is the value the caller gets back."""

    EVENT = "sys_restored"
    STAGE = "restore"
    target: str
    before: Any
    after: Any
    ids: tuple[str, ...] = field(default=(), metadata=_LIVE)

    def behaviours(self) -> tuple[str, ...]:
        return self.ids


# -- exec ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ExecStarted(Record):
    """The code object starts running in its namespace."""

    EVENT = "exec_started"
    STAGE = "exec"
    BEHAVIOURS = ("RM-02",)
    name: Any
    namespace: str


@dataclass(frozen=True)
class ExecFinished(Record):
    """How the code ended: ``returned``, ``raised`` or ``exit`` (SystemExit)."""

    EVENT = "exec_finished"
    STAGE = "exec"
    name: Any
    outcome: str
    exception: str | None = None
    exit_code: Any = None

    def behaviours(self) -> tuple[str, ...]:
        return ("RM-02",) if self.outcome == "returned" else ("ERR-12", "G-16")
