"""Expectation resolution, placeholder substitution and matching."""

from conformance.harness.expect import compare, deep_merge, resolve, substitute
from conformance.harness.rules import Target


def paths(mismatches):
    return [m.path for m in mismatches]


def test_partial_dicts_allow_extra_keys():
    observed = {"__name__": "mod", "__custom__": 1, "__loader__": {"__type__": "SourceFileLoader", "x": 1}}
    assert compare({"__name__": "mod", "__loader__": {"$type": "SourceFileLoader"}}, observed) == []
    assert compare({"__loader__": {"__type__": "SourceFileLoader"}}, observed) == []
    assert paths(compare({"__name__": "other"}, observed)) == ["/__name__"]


def test_absent_and_present():
    assert compare({"a": {"$absent": True}}, {}) == []
    assert paths(compare({"a": {"$absent": True}}, {"a": None})) == ["/a"]
    assert compare({"a": {"$present": True}}, {"a": None}) == []
    assert paths(compare({"a": None}, {})) == ["/a"]


def test_scalars_are_strict_about_bool_versus_int():
    assert paths(compare({"a": 1}, {"a": True})) == ["/a"]
    assert compare({"a": False}, {"a": False}) == []


def test_lists_match_item_by_item():
    observed = [{"category": "RuntimeWarning", "message": "'x.y' found in sys.modules ..."}]
    assert compare([{"category": "RuntimeWarning", "message": {"$contains": "found in"}}], observed) == []
    assert paths(compare([], observed)) == [""]
    assert paths(compare(["a", "b"], ["a", "c"])) == ["[1]"]


def test_string_operators():
    text = "Traceback (most recent call last):\n  ...\nValueError: boom\n"
    assert compare({"$regex": "^ValueError: boom$"}, text) == []
    assert compare({"$startswith": "Traceback"}, text) == []
    assert compare({"$endswith": "boom\n"}, text) == []
    assert compare({"$contains": "Value"}, text) == []
    assert compare({"$any": ["x", {"$contains": "boom"}]}, text) == []
    assert compare({"$not": {"$contains": "KeyError"}}, text) == []
    assert paths(compare({"$contains": "KeyError"}, text)) == [""]
    assert compare({"$includes": ["a"]}, ["a", "b"]) == []
    assert compare({"$excludes": ["c"]}, ["a", "b"]) == []


def test_substitute_only_known_placeholders_and_escapes_regex():
    values = {"fixture": "/tmp/x.y", "exe": "/usr/bin/python3"}
    assert substitute("{fixture}/mod.py {other}", values) == "/tmp/x.y/mod.py {other}"
    got = substitute({"$regex": "^{exe}: a{2}"}, values)
    assert got == {"$regex": "^/usr/bin/python3: a{2}"}
    assert substitute({"$regex": "{fixture}"}, values) == {"$regex": "/tmp/x\\.y"}


def test_deep_merge_overrides_in_order():
    base = {"records": {"main": {"a": 1, "b": 2}}, "outcome": "returned"}
    merged = deep_merge(base, {"records": {"main": {"b": 3}}})
    assert merged == {"records": {"main": {"a": 1, "b": 3}}, "outcome": "returned"}
    assert deep_merge({"m": "text"}, {"m": {"$ignore": True}}) == {"m": {"$ignore": True}}
    assert base["records"]["main"]["b"] == 2  # inputs untouched


def test_resolve_applies_matching_items_in_order_and_keeps_doc_notes():
    items = [
        {"outcome": "returned", "x": 1},
        {"when": "<3.0", "x": 2},
        {"when": ">=3.4", "x": 3, "doc_says": "docs say 4"},
        {"when": ">=3.12", "note": "n", "y": 5},
    ]
    exp, notes = resolve(items, Target(version=(3, 6, 15)))
    assert exp == {"outcome": "returned", "x": 3} and notes == ["docs say 4"]
    exp, _ = resolve(items, Target(version=(2, 7, 18)))
    assert exp == {"outcome": "returned", "x": 2}
    exp, _ = resolve(items[1:2], Target(version=(3, 13)))
    assert exp is None
