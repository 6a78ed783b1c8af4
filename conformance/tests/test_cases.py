"""The case files themselves: well-formed, unique, and covering the catalogue."""

from __future__ import annotations

import json
import re

from conformance.harness import catalogue
from conformance.harness.cases import CASES_DIR, load_cases
from conformance.harness.report import listing

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
