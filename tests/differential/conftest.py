"""Session plumbing for the differential tests: one Lab, and a summary line.

Every interpreter from 3.9 to 3.13 that is missing is reported twice: as a
skipped ``test_interpreter_present[3.X]`` with the reason, and in a summary
line at the end of the run.  With ``RUNPY_REF_REQUIRE_ALL_PYTHONS=1`` (CI)
a missing interpreter is a failure instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from .harness import IMPLS, VERSIONS, Lab, find_interpreter

_LAB: Lab | None = None
_FOUND = {version: find_interpreter(version) for version in VERSIONS}
_NODE_PREFIX = "tests/differential/"


_WANTED: set[tuple[str, ...]] | None = None


SKIP_VARIABLE = "RUNPY_REF_SKIP_DIFFERENTIAL"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """With ``RUNPY_REF_SKIP_DIFFERENTIAL=1``, skip this suite *visibly*.

    The suite compares child interpreters, so running it under each of
    five hosts repeats the same work; CI runs it once and sets the variable
    for the other runs.  Every test then shows as skipped with the reason.
    """
    if os.environ.get(SKIP_VARIABLE) != "1":
        return
    mark = pytest.mark.skip(reason=f"differential suite skipped: {SKIP_VARIABLE}=1 (CI runs it once)")
    for item in items:
        if item.nodeid.startswith(_NODE_PREFIX) or "/differential/" in str(item.fspath):
            item.add_marker(mark)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Remember which child processes the selected tests need (``-k`` runs start fewer)."""
    global _WANTED
    wanted: set[tuple[str, ...]] = set()
    for item in session.items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        name = getattr(item, "originalname", item.name)
        version, case = params.get("version"), params.get("case")
        if name in ("test_api", "test_documented_deviation_code_deletes_its_temporary_module"):
            wanted |= {(version, "api", "runpy"), (version, "api", params["impl"])}
        elif name == "test_observations_are_fine_grained_enough_to_differ":
            wanted.add((version, "api", "runpy"))
        elif name == "test_api_scenarios_are_all_compared":
            wanted |= {(v, "api", impl) for v in VERSIONS for impl in IMPLS}
        elif name == "test_private_helper_signatures":
            wanted.add((version, "signatures"))
        elif name in ("test_cli", "test_cli_isolation_flags", "test_cli_documented_deviation"):
            wanted |= {(version, "cli", case["id"], side) for side in ("std", "ref")}
        elif name == "test_shim":
            wanted |= {(version, "shim", case["id"], side) for side in ("shim", "noshim")}
    _WANTED = wanted


@pytest.fixture(scope="session")
def lab() -> Iterator[Lab]:
    global _LAB
    _LAB = Lab()
    _LAB.start(_WANTED)
    yield _LAB
    _LAB.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if os.environ.get(SKIP_VARIABLE) == "1":
        terminalreporter.write_line(f"differential: SKIPPED by {SKIP_VARIABLE}=1", yellow=True)
        return
    used = [f"{v} ({p})" for v, p in _FOUND.items() if p]
    missing = [v for v, p in _FOUND.items() if not p]
    line = "differential: compared runpy_ref with runpy on " + (", ".join(used) or "no interpreter")
    terminalreporter.write_sep("-", "runpy_ref differential tests")
    terminalreporter.write_line(line)
    if missing:
        terminalreporter.write_line(
            "differential: MISSING interpreters, NOT tested: " + ", ".join(missing)
            + " (install them under $PYENV_ROOT/versions or set RUNPY_REF_PYTHON_3_X)",
            red=True,
        )
