"""The toolkit a classroom exercise file imports: one stable place, no private names.

A student's stage function makes the *decisions* of its stage; recording
them in the trace uses the same small helpers the reference stages use.
Importing them from here (rather than from ``runpy_ref.stages`` private
names) keeps the starter files readable and lets the stages module change
its internals without breaking every student's copy.
"""

from __future__ import annotations

from ..profiles import Profile
from ..records import (
    AlreadyImported,
    ExecFinished,
    ExecStarted,
    GlobalsPlan,
    MainChoice,
    PackageRedirect,
    ParentImported,
    PathChoice,
    SpecFound,
    SysChanged,
    SysRestored,
)
from ..stages import ABSENT, MISSING, Applied, InsertPath, ReplaceArgv, SetArgv0, SetModule, active_stages
from ..stages.exec import namespace_kind
from ..stages.pick_main import code_from_file as _code_from_file
from ..stages.pick_main import is_null_importer as _is_null_importer
from ..trace.context import failure, report, report_failure, tracing_on

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs every graded case's interpreter a few milliseconds
    from typing import Any

__all__ = [
    "ABSENT",
    "MISSING",
    "AlreadyImported",
    "Applied",
    "ExecFinished",
    "ExecStarted",
    "GlobalsPlan",
    "InsertPath",
    "MainChoice",
    "PackageRedirect",
    "ParentImported",
    "PathChoice",
    "Profile",
    "ReplaceArgv",
    "SetArgv0",
    "SetModule",
    "SpecFound",
    "SysChanged",
    "SysRestored",
    "active_stages",
    "code_from_file",
    "emit",
    "failure",
    "is_null_importer",
    "namespace_kind",
    "read_target",
    "report_failure",
    "target_name",
    "tracing_on",
]



def emit(record: Any) -> Any:
    """Hand a decision record to the active tracer (if any) and return it.

    ``return emit(SpecFound(name, spec))`` both records the decision in the
    trace and gives the pipeline the value it needs.
    """
    return report(record)


def code_from_file(path_name: Any) -> tuple[Any, str]:
    """Read a file as bytecode if its magic number matches, else compile it as source.

    Returns ``(code, "bytecode file" | "source file")`` (RP-04).
    """
    return _code_from_file(path_name)


def is_null_importer(importer: object) -> bool:
    """True for Python <= 3.11's ``imp.NullImporter`` ("no importer for this path")."""
    return _is_null_importer(importer)


def target_name(change: Any) -> str:
    """The trace's name for what a change touches, e.g. ``"sys.argv[0]"``."""
    return change.target()


def read_target(change: Any) -> Any:
    """The current value at the change's target (``ABSENT`` for a missing entry)."""
    return change.read()

