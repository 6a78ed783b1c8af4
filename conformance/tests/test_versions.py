"""The version model: version sets with gaps, point releases, unknowns, and their text."""

from __future__ import annotations

import pytest

from conformance.harness.versions import (
    FEATURE_VERSIONS,
    Span,
    VersionError,
    VersionSet,
    lineage_next,
    lineage_parent,
    parse,
)


def holds(text: str) -> list[str]:
    """The feature versions of which a set holds any point release."""
    return parse(text).features()


def test_a_gap_is_written_out_and_respected() -> None:
    run_path = parse("2.7, 3.2+")
    assert "2.7" in run_path and "3.2" in run_path and "3.13" in run_path
    assert "3.0" not in run_path and "3.1" not in run_path and "2.6" not in run_path
    assert holds("2.7, 3.1+")[:3] == ["2.7", "3.1", "3.2"]


def test_versions_are_ordered_by_number_so_2_7_plus_includes_3_0() -> None:
    """The bug this model fixes: 'since 2.7' read in list order meant 2.7 and 3.0+."""
    assert "3.0" in parse("2.7+") and "3.1" in parse("2.7+")
    assert parse("2.7+") != parse("2.7, 3.2+")


def test_point_releases_split_a_feature_version() -> None:
    docstrings = parse("3.9.13-3.9, 3.10.5+")  # bpo-26792 backports
    assert (3, 9, 12) not in docstrings and (3, 9, 13) in docstrings and (3, 9, 18) in docstrings
    assert (3, 10, 4) not in docstrings and (3, 10, 5) in docstrings and (3, 11, 0) in docstrings
    assert docstrings.coverage("3.9") == "part" and docstrings.coverage("3.11") == "all"
    assert docstrings.coverage("3.8") == "none"
    assert docstrings.part_text("3.9") == "from 3.9.13"
    assert parse("3.2.0-3.2.3").part_text("3.2") == "up to 3.2.3"
    assert parse("3.6-3.8.0, 3.8.3+").part_text("3.8") == "up to 3.8.0, from 3.8.3"
    assert parse("3.5.2").part_text("3.5") == "3.5.2"


def test_a_bare_feature_version_as_target_is_its_last_point_release() -> None:
    """Interpreters here are late releases; "what 3.5 does" is what 3.5 ended up doing."""
    bpo_14285 = parse("2.7.12-2.7, 3.5.2+")
    assert "3.5" in bpo_14285 and (3, 5) in bpo_14285 and (3, 5, 1) not in bpo_14285
    assert "2.7" in bpo_14285 and (2, 7, 11) not in bpo_14285 and "3.0" not in bpo_14285
    # as the *lower* bound of a set, a feature version starts at its first release
    assert (3, 2, 0) in parse("3.2+") and (3, 4, 10) in parse("3.1-3.4")


def test_range_upper_bound_may_be_a_point_release() -> None:
    wrapped = parse("3.4-3.5.1")
    assert (3, 4, 0) in wrapped and (3, 5, 1) in wrapped and (3, 5, 2) not in wrapped


@pytest.mark.parametrize(
    ("comparison", "version_set"),
    [
        (">=3.6,<3.9", "3.6-3.8"),
        ("<3.0", "2.5-2.7"),
        ("==2.7", "2.7"),
        (">=3.5.3", "3.5.3+"),
        ("!=2.5", "2.6+"),
        (">2.7", "3.0+"),
        ("<=3.5.1", "2.5-3.5.1"),
    ],
)
def test_the_comparison_form_reads_into_the_same_model(comparison: str, version_set: str) -> None:
    assert parse(comparison).text() == version_set
    for version in [(2, 5, 0), (2, 7, 18), (3, 0), (3, 5, 1), (3, 5, 2), (3, 5, 3), (3, 8, 18), (3, 9)]:
        assert (version in parse(comparison)) == (version in parse(version_set)), version


@pytest.mark.parametrize(
    "text",
    ["2.7, 3.2+", "2.7, 3.1+", "3.9.13-3.9, 3.10.5+", "2.7.12-2.7, 3.5.2+", "2.5, 2.6, 3.0, 3.1",
     "3.5.0-3.5.1", "3.2.4+", "2.5-2.7, 3.2.4+", "3.6-3.8.0, 3.8.3+", "none", "*", "3.5.2"],
)
def test_canonical_text_round_trips(text: str) -> None:
    assert parse(text).text() == text
    assert parse(parse(text).text()) == parse(text)


def test_neighbouring_parts_merge() -> None:
    assert parse("2.7, 3.0, 3.1-3.4").text() == "2.7-3.4"
    assert parse("3.5.0-3.5.1, 3.5.2+").text() == "3.5+"
    assert parse("3.2+, 2.7").text() == "2.7, 3.2+"


@pytest.mark.parametrize(
    "bad", ["3", "3.x", "2.7 3.2", ">=3.6, 3.2+", "3.4-3.2", "", "2.7,,3.2", "~3.4", "3.2++"],
)
def test_malformed_sets_are_rejected(bad: str) -> None:
    with pytest.raises(VersionError):
        parse(bad)


def test_set_algebra() -> None:
    run_path = parse("2.7, 3.2+")
    everywhere = parse("2.5+")
    assert (everywhere - run_path).text() == "2.5-2.6, 3.0-3.1"
    assert (run_path & parse("3.0-3.4")).text() == "3.2-3.4"
    assert (~run_path & everywhere) == everywhere - run_path
    assert not VersionSet.nothing() and VersionSet.everything()


def test_span_states_tell_part_and_unknown_apart_from_no() -> None:
    span = Span.from_json({"versions": "2.7.12-2.7, 3.5.2+",
                           "unknown": [{"versions": "3.3", "because": "pkgutil 3.3 not seen"}]})
    assert span.state("2.7") == "part" and span.state("3.5") == "part"
    assert span.state("3.6") == "holds" and span.state("3.0") == "no"
    assert span.state("3.3") == "unknown" and span.why_unknown("3.3") == "pkgutil 3.3 not seen"
    mixed = Span.from_json({"versions": "3.2.4+", "unknown": [{"versions": "3.0-3.2.3", "because": "x"}]})
    assert mixed.state("3.2") == "part-unknown" and mixed.state("3.1") == "unknown"


def test_lineage_3_0_grew_from_2_6() -> None:
    assert lineage_parent("3.0") == "2.6" and lineage_parent("2.7") == "2.6"
    assert lineage_parent("3.1") == "3.0" and lineage_parent("2.5") is None
    assert lineage_next("2.6") == "2.7" and lineage_next("2.7") is None and lineage_next("3.13") is None
    assert FEATURE_VERSIONS[0] == "2.5" and FEATURE_VERSIONS[-1] == "3.13" and len(FEATURE_VERSIONS) == 17
