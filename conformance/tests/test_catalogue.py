"""The behaviour catalogue read through the version model: the ranges issue 12 found wrong stay right."""

from __future__ import annotations

import importlib.util
import json

import pytest

from conformance.harness import catalogue
from conformance.harness.versions import parse

CAT = catalogue.load()
BY_ID = CAT.by_id()
RAW = json.loads(catalogue.CATALOGUE_JSON.read_text(encoding="utf-8"))


def _verify():
    spec = importlib.util.spec_from_file_location(
        "catalogue_verify", catalogue.CATALOGUE_JSON.parent / "verify.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lint_passes(capsys):
    assert _verify().lint() == 0, capsys.readouterr().out


def test_no_list_order_ranges_are_left():
    """since/until read in list order (2.7 before 3.0) is what made 'since 2.7' claim 3.0 and 3.1."""
    text = catalogue.CATALOGUE_JSON.read_text(encoding="utf-8")
    assert '"since"' not in text and '"until"' not in text
    assert RAW["schema"] == "runpy_ref.catalogue/2"


RUN_PATH_ENTRIES = [e for e in CAT.entries if e.section == "run_path" and e.id != "RP-22" and e.id != "RP-23"]


@pytest.mark.parametrize("entry", RUN_PATH_ENTRIES, ids=lambda e: e.id)
def test_run_path_entries_hold_in_2_7_and_3_2_on_not_3_0_or_3_1(entry):
    for span in (entry.implemented, entry.doc):
        for version in ("2.5", "2.6", "3.0", "3.1"):
            assert version not in span.versions, (entry.id, version)
    assert "2.7" in entry.implemented.versions and "3.13" in entry.implemented.versions


@pytest.mark.parametrize("bid", ["RM-06", "RM-22", "CLI-05", "ERR-04", "ERR-05"])
def test_package_main_rule_holds_in_2_7_and_3_1_on(bid):
    runs = BY_ID[bid].implemented.versions
    assert runs.text() == "2.7, 3.1+"


@pytest.mark.parametrize("bid", ["RM-18", "ERR-10", "ERR-11", "RP-01", "RP-02", "RP-07", "RP-08"])
def test_entries_named_by_the_issue_hold_in_2_7_and_3_2_on(bid):
    assert BY_ID[bid].implemented.versions.text() == "2.7, 3.2+"


def test_bpo_14285_is_pinned_to_its_point_releases():
    for bid in ("RM-25", "CLI-18"):
        runs = BY_ID[bid].implemented.versions
        assert runs.text() == "2.7.12-2.7, 3.5.2+"
        assert (3, 5, 1) not in runs and (3, 5, 2) in runs and "3.0" not in runs and "3.4" not in runs
        assert BY_ID[bid].implemented.state("3.3") == "unknown"


def test_point_release_backports():
    assert BY_ID["RM-29"].implemented.versions.text() == "3.9.13-3.9, 3.10.5+"  # bpo-26792
    assert BY_ID["RM-24"].implemented.versions.text() == "3.5.3+"  # bpo-27487
    assert BY_ID["RP-23"].implemented.versions.text() == "3.8.1+"  # bpo-38722
    assert BY_ID["RP-22"].implemented.versions.text() == "3.6-3.8.0, 3.8.3+"  # bpo-38722/39517
    assert BY_ID["G-13"].implemented.versions.text() == "2.5-2.7, 3.2.4+"  # issue 15230 on 3.2
    assert BY_ID["RM-05"].doc.versions.text() == "3.5.2+"


def test_doc_ranges_that_ended_in_3_1_do_not_claim_2_7():
    for bid in ("G-04", "G-12"):
        docs = BY_ID[bid].doc.versions
        assert "2.7" not in docs and "3.1" in docs and "3.0" in docs and "3.2" not in docs


def test_rm_07_is_2_6_and_3_0_only():
    assert BY_ID["RM-07"].implemented.versions.text() == "2.6, 3.0"
    assert BY_ID["RM-07"].implemented.state("2.5") == "part-unknown" or \
        BY_ID["RM-07"].implemented.state("2.5") == "unknown"


def test_every_unknown_says_why_and_no_executable_version_is_unknown():
    for entry in CAT.entries:
        for span in (entry.doc, entry.implemented):
            assert not (span.unknown_versions & span.versions), entry.id
            for item in span.unknown:
                assert item.because.strip(), entry.id
        for version in CAT.executable_here:
            assert CAT.release_of(version) not in entry.implemented.unknown_versions, (entry.id, version)


def test_observations_agree_with_the_implemented_range():
    verify = _verify()
    releases = RAW["observed_releases"]
    problems = [(e["id"], p) for e in RAW["entries"] for p in verify.observed_problems(e, releases)]
    assert problems == []


def test_disagreement_versions_are_version_sets():
    for entry in CAT.entries:
        for item in entry.data["disagreements"]:
            assert parse(item["versions"]), entry.id
    assert BY_ID["RP-02"].disagreement_versions().text() == "2.7, 3.2-3.10, 3.13"
