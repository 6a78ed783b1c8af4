"""Golden trace tests: each scenario's deterministic trace, byte for byte.

Regenerate after an intended change with::

    RUNPY_REF_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py

then read the diff before committing it: a golden is a claim about behaviour.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from golden import scenarios

UPDATE = os.environ.get("RUNPY_REF_UPDATE_GOLDEN") == "1"
CASES = [(name, fmt) for name in scenarios.SCENARIOS for fmt in scenarios.FORMATS]


@pytest.fixture(scope="module")
def fixture_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scenarios.build(tmp_path_factory.mktemp("golden") / "root")


@pytest.mark.parametrize(("name", "fmt"), CASES, ids=[f"{n}-{f}" for n, f in CASES])
def test_trace_matches_golden(name: str, fmt: str, fixture_root: Path) -> None:
    actual = scenarios.normalise(scenarios.run(name, fixture_root, fmt))
    path = scenarios.golden_path(name, fmt)
    if UPDATE:
        path.write_text(actual, encoding="utf-8", newline="\n")
    assert path.exists(), f"no golden file {path.name}; run with RUNPY_REF_UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", list(scenarios.SCENARIOS))
def test_deterministic_mode_is_byte_identical_across_runs(name: str, tmp_path: Path) -> None:
    # Two separate fixture roots: the run must not depend on where it happens.
    first = scenarios.run(name, scenarios.build(tmp_path / "one"), "json")
    second = scenarios.run(name, scenarios.build(tmp_path / "two"), "json")
    assert first == second
    assert str(tmp_path) not in first and sys.executable not in first
    assert "0x" not in first and "time_ms" not in first


def test_every_golden_file_belongs_to_a_scenario() -> None:
    expected = {scenarios.golden_path(n, f).name for n, f in CASES}
    present = {p.name for p in scenarios.GOLDEN_DIR.iterdir() if p.suffix in (".txt", ".jsonl")}
    assert present == expected


@pytest.mark.parametrize("name", list(scenarios.SCENARIOS))
def test_json_trace_validates_against_the_schema(name: str, fixture_root: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema_path = Path(scenarios.runpy_ref.__file__).parent / "schema" / "trace-2.schema.json"
    validator = jsonschema.Draft202012Validator(json.loads(schema_path.read_text(encoding="utf-8")))
    lines = scenarios.run(name, fixture_root, "json").splitlines()
    records = [json.loads(line) for line in lines]
    assert records[0]["schema"] == "runpy_ref.trace" and records[0]["deterministic"] is True
    for record in records:
        validator.validate(record)
    assert [r["seq"] for r in records[1:-1]] == list(range(1, len(records) - 1))
    assert records[-1] == {"complete": True, "events": len(records) - 2}


@pytest.mark.parametrize("name", list(scenarios.SCENARIOS))
def test_text_golden_has_one_entry_per_json_event_and_fits_100_columns(name: str) -> None:
    text = scenarios.golden_path(name, "text").read_text(encoding="utf-8").splitlines()
    jsonl = scenarios.golden_path(name, "json").read_text(encoding="utf-8").splitlines()
    assert text[0].startswith("runpy_ref trace (")
    entries = [line for line in text[1:-1] if not line.startswith(" " * 18)]  # continuation lines are indented
    assert len(entries) == len(jsonl) - 2  # neither counts the header or the footer
    for number, line in enumerate(entries, start=1):
        assert line.startswith(f"{number:>3} ")
    assert text[-1] == f"runpy_ref trace complete ({len(entries)} events)"
    assert all(len(line) <= 100 or " " not in line.strip() for line in text)
