"""Blame where it belongs: mismatches attributed to behaviours, semantic or wording."""

from __future__ import annotations

from conformance.harness import attribution
from conformance.harness.cases import load_cases
from conformance.harness.impls import Implementation
from conformance.harness.runner import run_cell

from .helpers import host, make_case

BASIC = ["CLI-01", "CLI-03", "CLI-08", "CLI-10", "CLI-14", "CLI-16", "G-19"]
EXPECTED = {"returncode": 0, "records": {"mod_in_modules": False, "main": {
    "__name__": "__main__", "argv": ["/f/mod.py", "a"], "path0": "/f", "main_is_self": True,
    "__spec__": {"name": "mod"}, "__loader__": {"$type": "SourceFileLoader"}}}}


def status(mismatches, semantic_only=False, cell="FAIL"):
    attributed = attribution.attribute(BASIC, EXPECTED, mismatches)
    return attribution.behaviour_status(BASIC, cell, attributed, semantic_only)


def test_a_mismatch_fails_only_the_behaviours_it_is_about():
    # cProfile: argv[0] is the module name and __main__ is not the module; sys.path[0] is right.
    got = status([{"path": "/records/main/argv[0]", "expected": "/f/mod.py", "observed": "mod"},
                  {"path": "/records/main/main_is_self", "expected": True, "observed": False}])
    assert got == {"CLI-01": "PASS", "CLI-03": "FAIL", "CLI-08": "FAIL", "CLI-10": "PASS",
                   "CLI-14": "PASS", "CLI-16": "PASS", "G-19": "PASS"}


def test_a_missing_record_fails_everything_below_it_and_unattributed_mismatches_fail_all():
    got = status([{"path": "/records/main", "expected": {}, "observed": "<absent>"}])
    assert got["CLI-10"] == got["CLI-08"] == got["G-19"] == "FAIL" and got["CLI-01"] == "FAIL"
    nobody = status([{"path": "/records/something_else", "expected": 1, "observed": 2}])
    assert set(nobody.values()) == {"FAIL"}


def test_cell_statuses_other_than_pass_and_fail_are_shared_and_xfail_stays_xfail():
    assert set(status([], cell="CRASH").values()) == {"CRASH"}
    got = status([{"path": "/records/main/path0", "expected": "/f", "observed": ""}], cell="XFAIL")
    assert got["CLI-10"] == "XFAIL" and got["CLI-08"] == "PASS"


def test_wording_and_semantic():
    def kind(path, expected, observed):
        return attribution.kind({"path": path, "expected": expected, "observed": observed})

    assert kind("/stderr", "x", "y") == kind("/exception/message", "x", "y") == "wording"
    assert kind("/returncode", 2, 1) == "wording"  # both failures, a different number
    assert kind("/returncode", 0, 1) == kind("/returncode", -2, 1) == "semantic"
    assert kind("/exception/type", "ImportError", "ModuleNotFoundError") == "semantic"
    got = status([{"path": "/returncode", "expected": 1, "observed": 2}], semantic_only=True)
    assert set(got.values()) == {"PASS"}


def test_every_behaviour_of_every_case_is_checked_by_some_path_of_that_case():
    """The table is complete: no (case, behaviour) falls back to the whole-cell status."""
    gaps = []
    for case in load_cases():
        if case.doc_only:
            continue
        leaves = {p for item in case.expect
                  for p in attribution.leaf_paths({k: v for k, v in item.items()
                                                   if k not in ("when", "note", "doc_says")})}
        gaps += [(case.id, b) for b in case.behaviours
                 if not any(attribution._matches(p, attribution.FIELDS.get(b, ())) for p in leaves)]
    assert gaps == []


def test_records_carry_behaviour_status_and_semantic_status(tmp_path):
    data = {"id": "t-attr", "behaviours": ["CLI-08", "CLI-10"],
            "fixture": {"m.py": ["import _rec", "_rec.snap(globals())"]},
            "call": {"cli": "module", "module": "m"},
            "expect": [{"returncode": 0, "records": {"main": {"path0": "{fixture}", "argv": ["wrong"]}}}]}
    record = run_cell(make_case(data), Implementation(host()), tmp_path / "a", []).as_record()
    assert record["status"] == "FAIL" and record["semantic_status"] == "FAIL"
    assert record["behaviour_status"] == {"CLI-08": "FAIL", "CLI-10": "PASS"}
    assert [(m["kind"], m["behaviours"]) for m in record["mismatches"]] == [("semantic", ["CLI-08"])]
    assert "unattributed" not in record
    data["expect"] = [{"returncode": 0, "stderr": "nope"}]  # only wording is wrong, and no behaviour owns it
    record = run_cell(make_case(data), Implementation(host()), tmp_path / "b", []).as_record()
    assert record["status"] == "FAIL" and record["semantic_status"] == "PASS" and record["unattributed"]
    assert record["behaviour_status"] == {"CLI-08": "FAIL", "CLI-10": "FAIL"}
    assert record["behaviour_status_semantic"] == {"CLI-08": "PASS", "CLI-10": "PASS"}
