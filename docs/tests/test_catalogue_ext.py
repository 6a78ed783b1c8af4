"""Helpers of the generated catalogue and matrix pages."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("sphinx")

import runpy_docs_catalogue as cat
from docutils import nodes

from conformance.harness import versions as cat_model
from conformance.harness.versions import Span

VERSIONS = ["2.5", "2.6", "2.7", "3.0", "3.1", "3.2", "3.3", "3.4", "3.10", "3.13"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2.6, 3.0, 3.1", {"2.6", "3.0", "3.1"}),
        ("2.7, 3.2-3.4", {"2.7", "3.2", "3.3", "3.4"}),
        ("3.4-3.13", {"3.4", "3.10", "3.13"}),
        ("3.13", {"3.13"}),
        ("3.2-3.10", {"3.2", "3.3", "3.4", "3.10"}),  # numeric order, not string order
        ("3.2.4+", {"3.2", "3.3", "3.4", "3.10", "3.13"}),  # a version holding in part is named
        ("2.5, 2.6, 3.0, 3.1", {"2.5", "2.6", "3.0", "3.1"}),  # not 2.7
    ],
)
def test_parse_versions(text: str, expected: set[str]) -> None:
    assert cat.parse_versions(text, VERSIONS) == expected


def span(versions: str, unknown: str | None = None) -> Span:
    return Span.from_json({"versions": versions,
                           "unknown": [{"versions": unknown, "because": "why"}] if unknown else []})


def test_starts_and_ends_follow_the_lineage() -> None:
    """3.0 grew from 2.6, so "2.7, 3.1+" starts twice and never "ends" at 2.7 (the last 2.x)."""
    package_main = span("2.7, 3.1+")
    assert [v for v in cat_model.FEATURE_VERSIONS if cat.starts(package_main, v)] == ["2.7", "3.1"]
    assert not any(cat.ends(package_main, v) for v in cat_model.FEATURE_VERSIONS)
    old_docs = span("2.5, 2.6, 3.0, 3.1")
    assert [v for v in cat_model.FEATURE_VERSIONS if cat.ends(old_docs, v)] == ["2.6", "3.1"]
    assert [v for v in cat_model.FEATURE_VERSIONS if cat.starts(old_docs, v)] == ["2.5"]
    point = span("2.7.12-2.7, 3.5.2+")
    assert [v for v in cat_model.FEATURE_VERSIONS if cat.starts(point, v)] == ["2.7", "3.5"]
    assert cat.point_note(point, "3.5") == " (from 3.5.2)" and cat.point_note(point, "3.6") == ""
    stops_inside = span("3.0-3.2.3")
    assert cat.ends(stops_inside, "3.2")


def test_grid_cells_show_gaps_point_releases_and_unknowns() -> None:
    model = cat.load_model().by_id()
    rp01 = model["RP-01"]
    assert cat.grid_cell(rp01, "3.0", False, None) == ("", ["v-cell", "v-none"])
    assert cat.grid_cell(rp01, "3.2", False, None)[0] == "\u00b7"
    assert cat.grid_cell(rp01, "2.7", True, "holds")[0] == "\u2713"
    rm25 = model["RM-25"]
    assert cat.grid_cell(rm25, "3.5", False, None) == ("\u00bd", ["v-cell", "v-part"])
    assert cat.grid_cell(rm25, "3.3", False, None) == ("?", ["v-cell", "v-unknown"])
    assert cat.grid_cell(rm25, "2.7", True, "holds")[0] == "\u2713\u00bd"  # 2.7.18 holds, 2.7.0 did not
    assert cat.grid_cell(rm25, "3.4", False, None)[0] == ""
    g13 = model["G-13"]
    assert cat.grid_cell(g13, "3.2", False, None)[0] == "\u00bd?"  # from 3.2.4; 3.2.0-3.2.3 unknown
    assert "v-doc" in cat.grid_cell(model["RM-06"], "3.1", False, None)[1]
    assert "v-doc" not in cat.grid_cell(model["RM-06"], "3.0", False, None)[1]


def test_timeline_columns_from_the_model() -> None:
    columns = cat.timeline_columns(cat.load_model())
    assert "RP-01" in columns["2.7"]["starts"] and "RP-01" in columns["3.2"]["starts"]
    assert "RP-01" not in columns["3.0"]["starts"] and "RP-01" not in columns["3.1"]["starts"]
    assert "RM-25 (from 3.5.2)" in columns["3.5"]["starts"]
    assert "RM-29 (from 3.9.13)" in columns["3.9"]["starts"]
    assert "G-04 (docs)" in columns["2.6"]["ends"] and "G-04 (docs)" in columns["3.1"]["ends"]
    assert "G-04 (docs)" not in columns["2.7"]["ends"]
    assert "RM-18" in columns["3.0"]["unknown"] and "RM-18" not in columns["3.2"]["unknown"]
    assert "RP-15" in columns["3.4"]["disagree"]


def test_timeline_bars_break_at_gaps_and_mark_parts() -> None:
    versions = list(cat_model.FEATURE_VERSIONS)
    assert cat.bar_runs(span("2.7, 3.2+"), versions) == [("2.7", "2.7", "holds"), ("3.2", "3.13", "holds")]
    bars = cat.bar_runs(span("2.7.12-2.7, 3.5.2+", "3.3"), versions)
    assert bars == [("2.7", "2.7", "part"), ("3.3", "3.3", "unknown"), ("3.5", "3.5", "part"),
                    ("3.6", "3.13", "holds")]


def test_timeline_svg_draws_parts_and_unknowns() -> None:
    svg = cat.timeline_svg(cat.load_model(), lambda bid: f"#{bid}")
    assert svg.startswith('<div class="behaviour-timeline-graphic"><svg')
    assert 'class="tl-runs tl-part"' in svg and 'class="tl-runs tl-unknown"' in svg
    assert "(runs: 2.7, 3.2+; docs: 2.7, 3.2+; sources: " in svg


def test_timeline_rows_are_titled_and_their_source_codes_explained() -> None:
    model = cat.load_model()
    svg = cat.timeline_svg(model, lambda bid: f"#{bid}")
    rp01 = model.by_id()["RP-01"]
    assert f'<tspan class="tl-title" x="50">{cat.shorten(rp01.title, 46)}</tspan>' in svg
    kinds = cat.source_kinds(rp01.data["sources"])
    assert f'>{" ".join(kinds)}</text>' in svg
    legend = svg[svg.index('<dl class="tl-sources">'):]
    for code in kinds:
        assert f"<dt><code>{code}</code></dt>" in legend
    assert legend.count("<dt>") == len({k for e in model.entries for k in cat.source_kinds(e.data["sources"])})


def test_source_kinds_cover_every_source_and_refuse_strangers() -> None:
    assert cat.source_kinds(["OBS", "S3.13", "D2.7t", "D3.0p", "PEP 338", "T2.7", "TC3.6"]) == [
        "D", "PEP", "S", "T", "TC", "OBS"]
    assert cat.source_kinds(["python-checkins r56509", "gh-91082", "NEWS bpo-14285"]) == ["NEWS", "commit"]
    with pytest.raises(cat.ConformanceError, match="matches no kind"):
        cat.source_kinds(["a blog post"])
    assert cat.shorten("short", 10) == "short"
    assert cat.shorten("run_path exists in 2.7 and 3.2+ only", 20) == "run_path exists in\u2026"


def test_changed_entries_include_gaps_and_unknowns() -> None:
    model = cat.load_model().by_id()
    versions = list(cat_model.FEATURE_VERSIONS)
    assert cat.changed(model["RP-01"], versions)  # a gap at 3.0/3.1
    assert cat.changed(model["CLI-08"], versions)  # 2.5 unknown
    assert not cat.changed(model["RM-02"], versions)  # the same from 2.5 to 3.13


def test_inline_makes_code_literal_and_never_raw_html() -> None:
    out = cat.inline("ImportError '<pkg> is a package', see `sys.argv[0]` and *init_globals*")
    kinds = [type(node) for node in out]
    assert nodes.raw not in kinds
    assert nodes.literal in kinds and nodes.emphasis in kinds
    assert "<pkg>" in "".join(node.astext() for node in out)


@pytest.mark.parametrize(
    ("observed", "symbol", "kind"),
    [("holds", "\u2713", "v-holds"), ("holds (detail)", "\u2713*", "v-holds"),
     ("differs: x", "\u2260", "v-differs"), ("n/a (absent)", "\u2013", "v-na"), (None, "", "v-none"),
     ("untested: a race", "\u2218", "v-untested")],
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
        for key in ("doc", "implemented"):
            assert set(entry[key]) >= {"versions", "unknown"}, (entry["id"], key)
        for item in entry["disagreements"]:
            assert cat.parse_versions(item["versions"], data["versions"]), (entry["id"], item["versions"])
