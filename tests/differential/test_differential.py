"""runpy_ref against the stdlib runpy, scenario by scenario, on CPython 3.9-3.13.

Each test names its interpreter and scenario (``test_api[3.12-rp-zip]``).
The two sides run in separate child processes of the same interpreter; the
observations (see ``observer.py`` and ``harness.py``) must be equal, apart
from the *markers* that prove which implementation ran, which are checked
on their own.
"""

from __future__ import annotations

import copy
import difflib
import json
import os
from typing import Any

import pytest

from . import scenarios as s
from .conftest import _FOUND
from .harness import IMPLS, VERSIONS, CliRun, Lab, in_versions

AVAILABLE = [v for v in VERSIONS if _FOUND[v]]


def _params(cases: list[dict[str, Any]]) -> list[Any]:
    return [
        pytest.param(v, case, id=f"{v}-{case['id']}")
        for v in AVAILABLE
        for case in cases
        if in_versions(case, v)
    ]


def _api_params(cases: list[dict[str, Any]]) -> list[Any]:
    """Each case against runpy_ref, and against runpy_ref running inside ``tracing()``."""
    return [
        pytest.param(v, case, impl, id=f"{v}-{case['id']}" + ("-traced" if "trace" in impl else ""))
        for v in AVAILABLE
        for case in cases
        if in_versions(case, v)
        for impl in ("runpy_ref", "runpy_ref+trace")
    ]


def _diff(std: Any, ref: Any, left: str = "stdlib runpy", right: str = "runpy_ref") -> str:
    a = json.dumps(std, indent=1, sort_keys=True).splitlines()
    b = json.dumps(ref, indent=1, sort_keys=True).splitlines()
    return "\n".join(difflib.unified_diff(a, b, left, right, lineterm="", n=4))


def _assert_same(std: Any, ref: Any, **names: str) -> None:
    if std != ref:
        pytest.fail("observations differ:\n" + _diff(std, ref, **names), pytrace=False)


@pytest.mark.parametrize("version", VERSIONS)
def test_interpreter_present(version: str) -> None:
    """Every supported version must be tested; a missing one is reported, never silent."""
    if _FOUND[version]:
        assert os.access(_FOUND[version], os.X_OK), _FOUND[version]
        return
    message = f"CPython {version} not found: the differential scenarios did NOT run on it"
    if os.environ.get("RUNPY_REF_REQUIRE_ALL_PYTHONS") == "1":
        pytest.fail(message)
    pytest.skip(message)


# -- API: run_module, run_path and the private helpers ------------------------------------


def _split_markers(observation: dict[str, Any]) -> tuple[dict[str, Any], list[list[str]]]:
    observation = copy.deepcopy(observation)  # the lab's results are shared between tests
    drivers = []
    for snap in observation.get("snaps", []):
        drivers.append(snap.pop("marker_driver"))
        snap.pop("marker_runpy")
    return observation, drivers


@pytest.mark.parametrize(("version", "case", "impl"), _api_params(s.API))
def test_api(lab: Lab, version: str, case: dict[str, Any], impl: str) -> None:
    std, std_drivers = _split_markers(lab.result(version, "api", "runpy")[case["id"]])
    ref, ref_drivers = _split_markers(lab.result(version, "api", impl)[case["id"]])
    assert "observer_crash" not in std, std["observer_crash"]
    assert "observer_crash" not in ref, ref["observer_crash"]
    _assert_same(std, ref)
    # The markers: the stdlib side ran through runpy, the runpy_ref side through runpy_ref only.
    for driver in std_drivers:
        assert not any(name.startswith("runpy_ref") for name in driver), driver
    ran = [d for d in ref_drivers if not (d and d[0].startswith("importlib"))]  # not plain imports
    for driver in ran:
        assert "runpy" not in driver, driver
        assert any(name.startswith("runpy_ref.") for name in driver), driver


@pytest.mark.parametrize("version", AVAILABLE)
def test_observations_are_fine_grained_enough_to_differ(lab: Lab, version: str) -> None:
    """Guard against vacuous equality: scenarios that differ in one detail observe differently."""
    std = lab.result(version, "api", "runpy")
    pairs = {
        ("rm-module", "rm-module-alter-sys"): "sys.argv[0] and sys.modules during the run",
        ("rp-file", "rp-file-absolute"): "__file__ as given",
        ("rp-directory", "rp-zip"): "the __main__ that ran",
        ("rm-missing", "rm-relative-name"): "the error message",
        ("rm-package", "rm-package-alter-sys"): "the identity of the returned dict",
    }
    for (a, b), what in pairs.items():
        assert std[a] != std[b], f"{a} and {b} should differ in {what}"


def test_api_scenarios_are_all_compared(lab: Lab) -> None:
    """The observer answered every scenario of the batch, on both sides, on every interpreter."""
    for version in AVAILABLE:
        expected = {c["id"] for c in s.API + s.DEVIATIONS if in_versions(c, version)}
        for impl in IMPLS:
            assert set(lab.result(version, "api", impl)) == expected


# -- the private helpers keep the host's signatures ------------------------------------------


@pytest.mark.parametrize("version", AVAILABLE)
def test_private_helper_signatures(lab: Lab, version: str) -> None:
    """Names, kinds and defaults of parameters match ``inspect.signature`` of the host's runpy."""
    found = lab.result(version, "signatures")
    for name, pair in found.items():
        assert pair["runpy"] is not None, f"{name} is not in runpy {version}: update the list"
        assert pair["runpy_ref"] == pair["runpy"], f"{name}: {pair}"


# -- the command line ------------------------------------------------------------------------


def _check_fixture_reachable(run: CliRun) -> None:
    """Both sides failing to import ``_probe`` would compare equal and test nothing."""
    assert "No module named '_probe'" not in run.raw_stderr, "fixture bug: _probe not importable"


def _check_cli_markers(std: CliRun, ref: CliRun) -> None:
    _check_fixture_reachable(std)
    for marker in std.markers:
        assert not any(n.startswith("runpy_ref") for n in marker["marker_driver"]), marker
    # The program itself ran through runpy_ref (a child it spawns may use the stdlib's runpy).
    if ref.markers:
        assert any("runpy_ref.pipeline" in m["marker_driver"] for m in ref.markers), ref.markers


@pytest.mark.parametrize(("version", "case"), _params(s.CLI))
def test_cli(lab: Lab, version: str, case: dict[str, Any]) -> None:
    """``python -m MOD`` / ``python FILE`` against ``python -m runpy_ref [--path] ...``."""
    std: CliRun = lab.result(version, "cli", case["id"], "std")
    ref: CliRun = lab.result(version, "cli", case["id"], "ref")
    left, right = copy.deepcopy(std.comparable()), copy.deepcopy(ref.comparable())
    reason = case.get("location_differs", {}).get(version)
    if reason:  # a documented deviation: the error's location only; its last line must still agree
        assert left["stderr"][-1:] == right["stderr"][-1:], (left["stderr"], right["stderr"])
        assert left["stderr"] != right["stderr"], f"deviation gone, update the scenario: {reason}"
        left["stderr"] = right["stderr"] = ["<location not compared: %s>" % reason]
    _assert_same(left, right, left=" ".join(case["std"]), right=" ".join(case["ref"]))
    _check_cli_markers(std, ref)


@pytest.mark.parametrize(("version", "case"), _params(s.KNOWN_CLI))
def test_cli_documented_deviation(lab: Lab, version: str, case: dict[str, Any]) -> None:
    """Where ``python -m runpy_ref`` cannot be the interpreter; the reason is in the scenario.

    The test pins the deviation down: where the two runs differ (on some
    versions they agree, because the interpreter's start-up already did
    what runpy_ref's imports do), they differ only by stderr lines naming
    the module, for the stated cause, and the interpreter's run is clean.
    """
    std: CliRun = lab.result(version, "cli", case["id"], "std")
    ref: CliRun = lab.result(version, "cli", case["id"], "ref")
    if std.comparable() == ref.comparable():
        return
    module = case["std"][1]
    assert std.stderr == [] and std.status == 0, std.raw_stderr
    assert ref.stderr and all(module in line for line in ref.stderr), ref.stderr
    assert ref.snaps == std.snaps and ref.stdout == std.stdout


@pytest.mark.parametrize(("version", "case"), _params(s.FLAGS))
def test_cli_isolation_flags(lab: Lab, version: str, case: dict[str, Any]) -> None:
    """``-I``, ``-E``, ``-P``, ``-s``: runpy_ref's ``sys.path[0]`` follows the interpreter's rules."""
    std: CliRun = lab.result(version, "cli", case["id"], "std")
    ref: CliRun = lab.result(version, "cli", case["id"], "ref")
    _assert_same(std.comparable(), ref.comparable(), left=" ".join(case["std"]), right=" ".join(case["ref"]))
    _check_cli_markers(std, ref)


# -- the drop-in guarantee: sys.modules['runpy'] = runpy_ref -----------------------------------


def _mentions(events: list[dict[str, Any]], name: str) -> bool:
    return any(name in json.dumps(event.get("data", {})) for event in events)


@pytest.mark.parametrize(("version", "case"), _params(s.SHIM))
def test_shim(lab: Lab, version: str, case: dict[str, Any]) -> None:
    """The same command with runpy_ref installed as ``runpy`` by sitecustomize, and without."""
    plain, plain_events = lab.result(version, "shim", case["id"], "noshim")
    shim, shim_events = lab.result(version, "shim", case["id"], "shim")
    _check_fixture_reachable(plain)
    command = " ".join(case["argv"])
    if case.get("deviation"):  # documented: pin the interpreter's side, and that the shim differs
        assert (plain.status, plain.stderr) == (0, ["No module specified for execution"]), plain.raw_stderr
        assert shim.status != 0 and shim.stderr, "deviation gone, update the scenario: " + case["deviation"]
        assert _mentions(shim_events, case["traced"]), "runpy_ref was not used"
        return
    left, right = copy.deepcopy(plain.comparable()), copy.deepcopy(shim.comparable())
    if case.get("keys_differ"):  # a documented deviation, pinned down: only globals() keys differ
        std_keys = [snap.pop("keys") for snap in left["snaps"]]
        shim_keys = [snap.pop("keys") for snap in right["snaps"]]
        assert std_keys != shim_keys, "deviation gone, update the scenario: " + case["keys_differ"]
        assert all(set(b) <= set(a) for a, b in zip(std_keys, shim_keys)), (std_keys, shim_keys)
    _assert_same(left, right, left=command, right=command + "  [runpy_ref shim]")
    # Proof that runpy_ref really did the work on the shim side, and only there.
    assert plain_events == [] and not any(m["marker_runpy"] == "runpy_ref" for m in plain.markers)
    assert all(m["marker_runpy"] == "runpy_ref" for m in shim.markers), shim.markers
    assert shim_events and _mentions(shim_events, case["traced"]), (
        f"the shim's trace does not mention {case['traced']!r}: runpy_ref was not used\n{shim_events}"
    )
