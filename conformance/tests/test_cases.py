"""The case files themselves: well-formed, unique, and covering the catalogue."""

from __future__ import annotations

import json
import re

import pytest

from conformance.harness import catalogue
from conformance.harness.cases import CASES_DIR, CaseError, load_cases, version_states
from conformance.harness.report import listing
from conformance.harness.rules import Target
from conformance.harness.versions import FEATURE_VERSIONS

from .helpers import make_case

CASES = load_cases()
CAT = catalogue.load()


def test_cases_load_and_ids_are_unique():
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


def test_every_documented_behaviour_has_a_case():
    data = listing(CASES, CAT)
    assert data["uncovered_documented"] == [], "documented behaviours without a case"


def test_case_behaviour_ids_exist_in_the_catalogue():
    assert listing(CASES, CAT)["unknown_ids_in_cases"] == []


def test_expectations_are_literal_data():
    """Expected values are data with placeholders, never computed by importlib/runpy."""
    for path in CASES_DIR.glob("*/*.json"):
        data = json.loads(path.read_text())
        text = json.dumps(data.get("expect", []))
        assert "importlib" not in text or "Loader" in text, path
        for name in re.findall(r"\{([a-z_]+)\}", text):
            assert name in ("fixture", "exe", "cache_tag", "module"), f"{path}: unknown placeholder {name}"


def test_every_case_has_header_fields():
    for case in CASES:
        assert case.title and case.behaviours and case.data["cite"], case.id


def test_list_json_command(capsys):
    from conformance.harness.cli import main

    assert main(["list", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {e["id"] for e in data["entries"]} == set(CAT.ids())
    assert all("documented" in e and "cases" in e for e in data["entries"])
    assert {c["id"] for c in data["cases"]} == {c.id for c in CASES}


# -- every version has an expectation, an explicit unknown, or does not apply ----------------------


def _label(point: tuple[int, int, int]) -> str:
    from conformance.harness.versions import LAST

    return f"{point[0]}.{point[1]}" + ("" if point[2] == LAST else f".{point[2]}")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_every_case_says_something_for_every_version(case):
    """17 feature versions, and both sides of every point-release boundary a rule names:
    each has an expectation, an explicit "unknown, because ...", or does not apply."""
    states = version_states(case)
    assert {f"{p[0]}.{p[1]}" for p, _s, _d in states} == set(FEATURE_VERSIONS)
    bad = [(_label(p), s, d) for p, s, d in states if s in ("missing", "conflict")]
    assert bad == [], f"{case.id}: no expectation and no declared unknown"


def test_the_not_verified_idiom_is_gone():
    """{"any": ["==2.7", ">=3.6"]} used to mean "not verified on 3.0-3.5" and made those cells N/A."""
    for path in CASES_DIR.glob("*/*.json"):
        text = path.read_text()
        assert '"==2.7"' not in text and '">=3.6"' not in text, path


def test_gaps_reported_by_issue_12_are_filled():
    by_id = {c.id: c for c in CASES}
    init = {_label(p): s for p, s, _d in version_states(by_id["run-module-init-exception"])}
    for version in ("2.5", "2.6", "3.0", "3.5", "3.5.1", "3.5.2"):
        assert init[version] == "expect", version
    assert init["3.3"] == "unknown"
    recursion = {_label(p): s for p, s, _d in version_states(by_id["run-path-main-recursion"])}
    assert all(recursion[v] == "expect" for v in ("3.2", "3.3", "3.4"))
    assert all(recursion[v] == "n/a" for v in ("2.5", "2.6", "3.0", "3.1"))  # no run_path there


def test_point_release_boundaries_are_sampled():
    by_id = {c.id: c for c in CASES}
    points = [_label(p) for p, _s, _d in version_states(by_id["run-module-docstrings"])]
    assert "3.9.12" in points and "3.9.13" in points and "3.10.4" in points and "3.10.5" in points
    states = {_label(p): s for p, s, _d in version_states(by_id["run-module-docstrings"])}
    assert states["3.9.12"] == "n/a" and states["3.9.13"] == "expect" and states["3.9"] == "expect"


def test_unknown_is_not_not_applicable():
    case = make_case({
        "id": "t-unknown", "applies": "2.7, 3.2+", "call": {"api": "run_path", "args": ["x"]},
        "expect": [{"when": "2.7, 3.4+", "outcome": "returned"}],
        "unknown": [{"when": "3.2-3.3", "because": "no 3.2/3.3 source here"}],
    })
    states = {_label(p): (s, d) for p, s, d in version_states(case)}
    assert states["3.1"] == ("n/a", "applies")
    assert states["3.3"] == ("unknown", "no 3.2/3.3 source here")
    assert states["3.4"] == ("expect", "")
    assert case.unknown_for(Target(version=(3, 2, 6))) == "no 3.2/3.3 source here"
    assert case.unknown_for(Target(version=(3, 4))) is None


def test_an_unknown_version_that_also_has_its_own_expectation_is_a_conflict():
    case = make_case({
        "id": "t-conflict", "call": {"api": "run_module", "args": ["x"]},
        "expect": [{"outcome": "raised"}, {"when": "3.3", "exception": {"type": "ImportError"}}],
        "unknown": [{"when": "3.3-3.4", "because": "not seen"}],
    })
    states = {_label(p): s for p, s, _d in version_states(case)}
    assert states["3.3"] == "conflict"  # an item names 3.3 explicitly: which is it?
    assert states["3.4"] == "unknown"  # only the "*" item covers 3.4: the unknown wins
    assert states["3.5"] == "expect"


@pytest.mark.parametrize(
    "unknown",
    [[{"when": "3.3"}], [{"when": "3.3", "because": " "}], [{"when": "3.3", "because": "x", "extra": 1}],
     [{"when": "3.3-", "because": "x"}], {"when": "3.3", "because": "x"}],
)
def test_malformed_unknown_items_are_rejected(unknown):
    with pytest.raises(CaseError):
        make_case({"id": "t-bad", "call": {"api": "run_module", "args": ["x"]},
                   "expect": [{"outcome": "returned"}], "unknown": unknown})


def test_unknown_cells_are_reported_distinctly(tmp_path):
    """A documented (or emulated) cell of an unknown version is UNKNOWN: not N/A, PASS or FAIL."""
    from conformance.harness import report
    from conformance.harness.catalogue import Catalogue, Entry
    from conformance.harness.runner import documented_cell

    case = make_case({
        "id": "t-unknown-report", "behaviours": ["RM-25"], "call": {"api": "run_module", "args": ["x"]},
        "expect": [{"when": "3.4+", "outcome": "returned"}],
        "unknown": [{"when": "3.3", "because": "pkgutil 3.3 not seen"}],
        "applies": "3.3+",
    })
    unknown, na, encoded = (documented_cell(case, v) for v in ((3, 3), (3, 2), (3, 4)))
    assert (unknown.status, unknown.reason) == ("UNKNOWN", "unknown: pkgutil 3.3 not seen")
    assert na.status == "N/A" and na.reason == "case does not apply to this version"
    assert encoded.status == "N/A" and encoded.expected == {"outcome": "returned"}
    cat = Catalogue([Entry("RM-25", "run_module", "init errors", False)], ["3.2", "3.3", "3.4"], [], "test")
    text = report.render_text_matrix([na, unknown, encoded], cat)
    row = next(line for line in text.splitlines() if line.strip().startswith("RM-25"))
    assert row.endswith(" ?d  init errors")  # 3.2: does not apply; 3.3: unknown; 3.4: encoded
    assert "?=UNKNOWN" in text
    page = report.render_html([na, unknown, encoded], cat, 1.0)
    assert 'class="UNKNOWN"' in page and "pkgutil 3.3 not seen" in page
    summary = report.render_text([na, unknown, encoded], 1.0)
    assert "1 unknown" in summary
    assert unknown.as_record()["status"] == "UNKNOWN"
