"""Helpers of the generated catalogue and matrix pages."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("sphinx")

import runpy_docs_catalogue as cat
from docutils import nodes

VERSIONS = ["2.5", "2.6", "2.7", "3.0", "3.1", "3.2", "3.3", "3.4", "3.10", "3.13"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2.6, 3.0, 3.1", {"2.6", "3.0", "3.1"}),
        ("2.7, 3.2-3.4", {"2.7", "3.2", "3.3", "3.4"}),
        ("3.4\u20133.13", {"3.4", "3.10", "3.13"}),
        ("3.13", {"3.13"}),
        ("3.2-3.10", {"3.2", "3.3", "3.4", "3.10"}),  # numeric order, not string order
    ],
)
def test_parse_versions(text: str, expected: set[str]) -> None:
    assert cat.parse_versions(text, VERSIONS) == expected


def test_in_span_is_inclusive_and_open_ended() -> None:
    assert cat.in_span("3.1", {"since": "2.5", "until": "3.1"})
    assert not cat.in_span("3.2", {"since": "2.5", "until": "3.1"})
    assert cat.in_span("3.13", {"since": "3.4", "until": None})
    assert not cat.in_span("3.3", {"since": "3.4", "until": None})
    assert not cat.in_span("3.3", {"since": None, "until": None})


def test_inline_makes_code_literal_and_never_raw_html() -> None:
    out = cat.inline("ImportError '<pkg> is a package', see `sys.argv[0]` and *init_globals*")
    kinds = [type(node) for node in out]
    assert nodes.raw not in kinds
    assert nodes.literal in kinds and nodes.emphasis in kinds
    assert "<pkg>" in "".join(node.astext() for node in out)


@pytest.mark.parametrize(
    ("observed", "symbol", "kind"),
    [("holds", "\u2713", "v-holds"), ("holds (detail)", "\u2713*", "v-holds"),
     ("differs: x", "\u2260", "v-differs"), ("n/a (absent)", "\u2013", "v-na"), (None, "", "v-none")],
)
def test_observed_mark(observed: str | None, symbol: str, kind: str) -> None:
    assert cat.observed_mark(observed) == (symbol, kind)


def test_worst_status_orders_by_severity() -> None:
    assert cat.worst(["PASS", "FAIL", "N/A"]) == "FAIL"
    assert cat.worst(["PASS", "XFAIL"]) == "XFAIL"
    assert cat.worst([]) == "N/A"


def test_catalogue_file_has_what_the_pages_read() -> None:
    data = json.loads(cat.CATALOGUE.read_text(encoding="utf-8"))
    assert set(data["executable_here"]) <= set(data["versions"])
    for entry in data["entries"]:
        assert entry["section"] in cat.SECTIONS, entry["id"]
        for key in ("id", "title", "summary", "doc", "implemented", "observed", "disagreements"):
            assert key in entry, (entry["id"], key)
        for item in entry["disagreements"]:
            assert cat.parse_versions(item["versions"], data["versions"]), (entry["id"], item["versions"])
