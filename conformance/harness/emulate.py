"""Emulating columns: telling a module implementation which version to behave as.

``--emulate X.Y`` adds, for each module implementation, a column judged by
the expectations of version X.Y (:attr:`Implementation.target`), and every
child process of that column receives ``RUNPY_CONFORMANCE_EMULATE=X.Y``.  A
module that reads that variable needs nothing more.  A module that selects
its version in its own terms is described in :data:`EMULATORS`:

* ``cli_options`` - words put after ``-m MODULE`` in every command line
  (``{version}`` is replaced), e.g. ``python -m runpy_ref --as-of 2.6 MOD``;
* ``api_context`` - the name of a function of the module that takes the
  version and returns a context manager; the probe enters it around the
  one call of an API case (request key ``emulate``, INTERPRETING.md
  section 10).

The table names modules and options as text: the harness never imports
the implementation under test.

An emulator reproduces the runpy and ``-m`` of another version, but the
import system it runs on (loaders, namespace packages, the exception
classes and messages of the import system) is the host's.  Where that
shows, the cell is a known deviation of the emulated column, listed in
``conformance/expectations/emulated_deviations.json`` with the reason:
``cases`` (globs over case ids), ``module``, ``emulated`` (a rule over the
version emulated) and optionally ``host`` (a rule over the host's version,
for a deviation that only a newer host shows).  A FAIL there is XFAIL; a
PASS is XPASS, an error, so a stale entry is noticed.
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from . import rules
from .cases import Case
from .impls import Implementation

DEVIATIONS_FILE = Path(__file__).resolve().parent.parent / "expectations" / "emulated_deviations.json"

EMULATORS: dict[str, dict[str, Any]] = {
    "runpy_ref": {"cli_options": ["--as-of", "{version}"], "api_context": "as_of"},
}
"""How each known emulating module is told the version (others read RUNPY_CONFORMANCE_EMULATE)."""


def _emulator(impl: Implementation) -> dict[str, Any] | None:
    if not impl.emulate or impl.kind != "module":
        return None
    return EMULATORS.get(impl.module)


def adapt_command(impl: Implementation, cmd: list[str] | None) -> list[str] | None:
    """``python -m MODULE ...`` with the module's own version options after ``-m MODULE``."""
    emulator = _emulator(impl)
    if cmd is None or emulator is None:
        return cmd
    at = next((i for i in range(len(cmd) - 1) if cmd[i] == "-m" and cmd[i + 1] == impl.module), None)
    if at is None:
        return cmd
    options = [word.replace("{version}", impl.emulate or "") for word in emulator["cli_options"]]
    return [*cmd[: at + 2], *options, *cmd[at + 2:]]


def adapt_request(impl: Implementation, request: dict[str, Any]) -> dict[str, Any]:
    """The probe's request, asking it to make the call inside the module's version context."""
    emulator = _emulator(impl)
    if emulator is not None:
        request["emulate"] = {"context": emulator["api_context"], "version": impl.emulate}
    return request


@dataclass(frozen=True)
class EmulatedDeviation:
    """A cell of an emulated column that differs because the import system is the host's."""

    case: str
    reason: str


@cache
def _entries(path: Path = DEVIATIONS_FILE) -> tuple[dict[str, Any], ...]:
    if not path.exists():
        return ()
    return tuple(json.loads(path.read_text(encoding="utf-8"))["deviations"])


def deviation_for(case: Case, impl: Implementation) -> EmulatedDeviation | None:
    """The known deviation of an emulated column for ``case``, if one is listed."""
    if not impl.emulate:
        return None
    host = rules.Target(version=impl.interp.version, impl=impl.interp.impl)
    for entry in _entries():
        if entry["module"] != impl.module or not any(fnmatch.fnmatch(case.id, c) for c in entry["cases"]):
            continue
        if rules.matches(entry["emulated"], impl.target) and rules.matches(entry.get("host"), host):
            return EmulatedDeviation(case.id, entry["reason"])
    return None
