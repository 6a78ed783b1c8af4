"""Rule evaluation: version specs and implementation selectors."""

import pytest

from conformance.harness.rules import RuleError, Target, matches, validate, version_matches


@pytest.mark.parametrize(
    ("spec", "version", "expected"),
    [
        (">=3.4", (3, 4, 0), True),
        (">=3.4", (3, 3, 7), False),
        ("==3.8", (3, 8, 18), True),
        ("!=3.8", (3, 8, 18), False),
        ("<3.0", (2, 7, 18), True),
        (">=3.6,<3.9", (3, 9, 0), False),
        (">=3.6,<3.9", (3, 8, 1), True),
        (">=3.8.3", (3, 8, 2), False),
        (">=3.8.3", (3, 8, 18), True),
        ("==2.7", (2, 7), True),
        ("*", (2, 5), True),
    ],
)
def test_version_spec(spec, version, expected):
    assert version_matches(spec, version) is expected


def test_dict_rules_combine_all_keys():
    t = Target(version=(3, 11, 7), impl="cpython", kind="module", module="runpy_ref")
    assert matches({"impl": "cpython", "version": ">=3.9"}, t)
    assert not matches({"impl": "pypy"}, t)
    assert matches({"kind": ["stdlib", "module"]}, t)
    assert matches({"module": "runpy_ref"}, t)
    assert matches({"any": ["==2.7", ">=3.6"]}, t)
    assert not matches({"all": [">=3.6", {"kind": "stdlib"}]}, t)
    assert matches({"not": {"kind": "stdlib"}}, t)
    assert matches(None, t)


@pytest.mark.parametrize("bad", ["~3.4", ">=three", {"version": ">=3", "flavour": "x"}, 3.4, {"any": ["?"]}])
def test_malformed_rules_are_rejected(bad):
    with pytest.raises(RuleError):
        validate(bad)
