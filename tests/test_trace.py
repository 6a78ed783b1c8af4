"""The trace model: plain data, safe and bounded reprs, numbering, sinks, vocabulary."""

from __future__ import annotations

import importlib.util
import json
import math
import os
import sys
import types
from pathlib import Path, PurePosixPath

import pytest

import runpy_ref
import runpy_ref.trace.plain_data as plain_module
from runpy_ref import records, trace
from runpy_ref.profiles import host_profile
from runpy_ref.records import Record
from runpy_ref.sinks import ListSink
from runpy_ref.trace import (
    EVENTS,
    STAGES,
    Event,
    Tracer,
    TraceSinkError,
    current,
    plain,
    safe_repr,
    tracing,
)
from runpy_ref.trace.plain_data import LIST_LIMIT, REPR_LIMIT

SCHEMA_PATH = Path(runpy_ref.__file__).parent / "schema" / "trace-2.schema.json"


def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


class RaisingRepr:
    def __repr__(self) -> str:
        raise ValueError("no repr for you")


class HostileGetattr:
    """Like a lazy module proxy whose ``__getattr__`` raises something odd."""

    def __getattr__(self, name: str) -> object:
        raise RuntimeError(f"no attribute {name}")

    def __repr__(self) -> str:
        return "<HostileGetattr>"


class HostileKey:
    def __str__(self) -> str:
        raise RuntimeError("str")

    def __repr__(self) -> str:
        raise RuntimeError("repr")


def is_plain(value: object) -> bool:
    """True if ``value`` is built only from exact JSON types."""
    if value is None or type(value) in (bool, int, str):
        return True
    if type(value) is float:
        return math.isfinite(value)
    if type(value) is list:
        return all(is_plain(v) for v in value)
    if type(value) is dict:
        return all(type(k) is str and is_plain(v) for k, v in value.items())
    return False


# -- safe_repr -----------------------------------------------------------------------


def test_safe_repr_is_repr_for_ordinary_values():
    assert safe_repr([1, "a"]) == "[1, 'a']"


def test_safe_repr_survives_a_raising_repr():
    assert safe_repr(RaisingRepr()) == "<RaisingRepr object; repr raised ValueError>"


def test_safe_repr_is_bounded_with_marker_and_length():
    text = safe_repr("x" * 1000)
    assert text == "'" + "x" * (REPR_LIMIT - 1) + "...<1002 chars>"
    assert safe_repr("abcdef", limit=3) == "'ab...<8 chars>"


def test_safe_repr_at_the_limit_is_not_cut():
    value = "y" * (REPR_LIMIT - 2)
    assert safe_repr(value) == repr(value)


# -- plain -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, True, False, 0, -7, 2.5, "text", ""])
def test_plain_keeps_json_scalars(value):
    out = plain(value)
    assert out == value and type(out) is type(value)


def test_plain_turns_tuples_into_lists_and_recurses():
    assert plain((1, ("a", None), {"k": (2,)})) == [1, ["a", None], {"k": [2]}]


def test_plain_cuts_long_lists_with_a_count_marker():
    out = plain(list(range(100)))
    assert out == [*range(LIST_LIMIT), "...<100 items>"]


def test_plain_list_at_the_limit_has_no_marker():
    assert plain(list(range(LIST_LIMIT))) == list(range(LIST_LIMIT))


def test_plain_cuts_long_dicts_with_a_count_marker():
    out = plain({f"k{i}": i for i in range(40)})
    assert list(out)[:LIST_LIMIT] == [f"k{i}" for i in range(LIST_LIMIT)]
    assert out["..."] == "...<40 items>"
    assert len(out) == LIST_LIMIT + 1


def test_plain_dict_keys_become_strings():
    assert plain({1: "a", None: "b", ("t", 2): "c"}) == {"1": "a", "None": "b", "('t', 2)": "c"}


def test_plain_dict_key_with_raising_str_and_repr_is_safe():
    out = plain({HostileKey(): 1})
    assert out == {"<HostileKey object; repr raised RuntimeError>": 1}


def test_plain_bounds_long_strings():
    out = plain("z" * 500)
    assert out == "z" * REPR_LIMIT + "...<500 chars>"
    assert plain("z" * 500, limit=10) == "z" * 10 + "...<500 chars>"


def test_plain_describes_a_spec_as_a_small_dict():
    spec = importlib.util.find_spec("json")
    out = plain(spec)
    assert out == {
        "name": "json",
        "origin": spec.origin,
        "loader": "SourceFileLoader",
        "parent": "json",
        "is_package": True,
        "cached": spec.cached,
    }


def test_plain_spec_of_a_plain_module_is_not_a_package():
    spec = importlib.util.find_spec("json.decoder")
    out = plain(spec)
    assert out["is_package"] is False and out["parent"] == "json"


def test_plain_spec_without_loader():
    spec = importlib.machinery.ModuleSpec("ghost", None)
    assert plain(spec)["loader"] is None


def test_plain_module_is_its_repr():
    module = types.ModuleType("mod")
    assert plain(module) == "<module 'mod'>"


def test_plain_code_object_is_a_label():
    code = compile("x = 1", "/some/file.py", "exec")
    assert plain(code) == "<code <module> from /some/file.py>"


def test_plain_code_object_path_is_relative_in_deterministic_mode(tmp_path):
    code = compile("x = 1", str(tmp_path / "f.py"), "exec")
    assert plain(code, relative_to=str(tmp_path)) == "<code <module> from <root>/f.py>"


def test_plain_paths_and_bytes_are_reprs():
    assert plain(PurePosixPath("/a/b")) == "PurePosixPath('/a/b')"
    assert plain(b"/a/b") == "b'/a/b'"


def test_plain_bytes_path_under_root_is_relative(tmp_path):
    root = str(tmp_path)
    assert plain(os.fsencode(root + "/x.py"), relative_to=root) == "b'<root>/x.py'"


def test_plain_loaders_and_importers_are_type_names(tmp_path):
    spec = importlib.util.find_spec("json")
    assert plain(spec.loader) == "<SourceFileLoader>"
    import zipfile
    import zipimport

    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("m.py", "")
    assert plain(zipimport.zipimporter(str(archive))) == "<zipimporter>"

    class FakeImporter:
        pass

    assert plain(FakeImporter()) == "<test_plain_loaders_and_importers_are_type_names.<locals>.FakeImporter>"


def test_plain_other_objects_are_reprs_with_addresses_only_blanked_when_deterministic(tmp_path):
    obj = object()
    assert plain(obj) == repr(obj)
    assert " at 0x" in plain(obj)
    assert plain(obj, relative_to=str(tmp_path)) == "<object object at 0x...>"


def test_plain_object_repr_with_a_path_under_root_is_relative(tmp_path):
    class Pathy:
        def __repr__(self) -> str:
            return f"<Pathy {tmp_path}/inner.txt>"

    assert plain(Pathy(), relative_to=str(tmp_path)) == "<Pathy <root>/inner.txt>"


def test_plain_raising_repr_becomes_a_marker():
    assert plain([RaisingRepr()]) == ["<RaisingRepr object; repr raised ValueError>"]


def test_plain_hostile_getattr_does_not_break_conversion():
    # hasattr() only swallows AttributeError; a proxy raising anything else
    # (as lazy-module objects in sys.modules sometimes do) must not crash a trace.
    assert plain(HostileGetattr()) == "<HostileGetattr>"


def test_plain_non_finite_floats_become_strings_so_json_stays_valid():
    out = plain([float("nan"), float("inf"), -float("inf")])
    assert out == ["nan", "inf", "-inf"]
    json.loads(json.dumps(out, allow_nan=False))


def test_plain_huge_int_is_described_not_serialised():
    out = plain(10**5000)
    assert isinstance(out, str) and "int" in out
    assert len(out) <= REPR_LIMIT + 20


def test_plain_subclasses_of_scalars_become_exact_types():
    class S(str):
        pass

    class I(int):  # noqa: E742 - a short name, as in real code
        pass

    class F(float):
        pass

    out = plain([S("s"), I(3), F(1.5)])
    assert out == ["s", 3, 1.5]
    assert [type(x) for x in out] == [str, int, float]


def test_plain_subclasses_of_containers_become_lists_and_dicts():
    import collections

    Point = collections.namedtuple("Point", "x y")

    class L(list):
        pass

    out = plain([Point(1, 2), L(["a"]), collections.OrderedDict(k=1)])
    assert out == [[1, 2], ["a"], {"k": 1}]
    assert [type(x) for x in out] == [list, list, dict]


# -- deterministic paths -------------------------------------------------------------


def test_relative_rewrites_paths_under_root():
    root = "/tmp/fixed-root"
    assert plain(root, relative_to=root) == "<root>"
    assert plain(root + "/pkg/mod.py", relative_to=root) == "<root>/pkg/mod.py"
    assert plain(f"see '{root}/a.py' and '{root}/b.py'", relative_to=root) == (
        "see '<root>/a.py' and '<root>/b.py'"
    )


def test_relative_leaves_sibling_directories_alone():
    assert plain("/tmp/fixed-rootish/x.py", relative_to="/tmp/fixed-root") == "/tmp/fixed-rootish/x.py"


def test_relative_rewrites_the_root_quoted_inside_a_message():
    root = "/tmp/fixed-root"
    message = f"can't find '__main__' module in '{root}'"
    assert plain(message, relative_to=root) == "can't find '__main__' module in '<root>'"


def test_relative_with_filesystem_root_as_root():
    assert plain("/usr/lib/x.py", relative_to="/") == "<root>/usr/lib/x.py"


def test_relative_blanks_addresses_in_strings():
    assert plain("<object at 0xDEADbeef>", relative_to="/r") == "<object at 0x...>"


def test_relative_names_the_interpreter_python(tmp_path):
    message = f"{sys.executable}: No module named x"
    assert plain(message, relative_to=str(tmp_path)) == "<python>: No module named x"
    assert plain(message) == message


def test_runpy_ref_files_outside_the_root_are_named_runpy_ref(tmp_path):
    own = os.path.join(os.path.dirname(os.path.abspath(runpy_ref.__file__)), "__main__.py")
    assert plain(own, relative_to=str(tmp_path)) == "<runpy_ref>/__main__.py"
    assert plain(f"<module 'runpy_ref.__main__' from '{own}'>", relative_to=str(tmp_path)) == (
        "<module 'runpy_ref.__main__' from '<runpy_ref>/__main__.py'>"
    )


def test_no_root_no_rewrite():
    assert plain("<object at 0xdeadbeef> /tmp/x") == "<object at 0xdeadbeef> /tmp/x"
    assert plain("/tmp/x at 0x1234", relative_to=None) == "/tmp/x at 0x1234"


# -- events and records ------------------------------------------------------------


def test_event_as_dict_key_order_and_optional_time():
    event = Event(1, 1, None, 0, "run", "run_started", ("RM-01",), {"a": 1})
    assert list(event.as_dict()) == ["seq", "run", "parent", "depth", "stage", "event", "behaviours", "data"]
    assert event.as_dict()["behaviours"] == ["RM-01"]
    timed = event.replace(time_ms=1.5)
    assert timed.as_dict()["time_ms"] == 1.5


def test_record_payload_leaves_out_live_fields():
    code = compile("", "f", "exec")
    choice = records.PathChoice("/p", "file", None, code)
    assert choice.payload() == {"path": "/p", "kind": "file", "importer": None}
    assert Record().behaviours() == ()


# -- the tracer ------------------------------------------------------------------------


def test_header_names_schema_interpreter_and_profile():
    sink = ListSink()
    Tracer(sinks=[sink])
    assert sink.header_record == {
        "schema": "runpy_ref.trace",
        "schema_version": 2,
        "runpy_ref": runpy_ref.__version__,
        "interpreter": {"implementation": sys.implementation.name, "version": "%d.%d" % sys.version_info[:2]},
        "profile": host_profile().version,
        "deterministic": False,
    }


def test_header_names_the_profile_in_force():
    sink = ListSink()
    with runpy_ref.as_of("3.9"):
        Tracer(sinks=[sink])
    assert sink.header_record["profile"] == "3.9"


def test_deterministic_root_defaults_to_cwd_and_is_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert Tracer(deterministic=True).root == os.getcwd()
    assert Tracer(deterministic=True, root=".").root == os.getcwd()
    assert Tracer().root is None


def test_emit_numbers_events_and_tracks_runs():
    tracer = Tracer()
    tracer.emit(records.ParentImported("p", "p.m"))
    tracer.begin_run(records.RunStarted("run_module", "a"))
    tracer.begin_run(records.RunStarted("run_path", "b"))
    tracer.emit(records.ParentImported("p", "p.m"))
    tracer.end_run(records.RunFinished("run_path", "returned"))
    tracer.end_run(records.RunFinished("run_module", "returned"))
    tracer.end_run(records.RunFinished("run_module", "returned"))  # unbalanced: harmless
    shape = [(e.seq, e.run, e.parent, e.depth, e.event) for e in tracer.events]
    assert shape == [
        (1, 0, None, 0, "parent_imported"),
        (2, 1, None, 0, "run_started"),
        (3, 2, 1, 1, "run_started"),
        (4, 2, 1, 1, "parent_imported"),
        (5, 2, 1, 1, "run_finished"),
        (6, 1, None, 0, "run_finished"),
        (7, 0, None, 0, "run_finished"),
    ]


def test_emit_stage_override_and_timing():
    tracer = Tracer()
    tracer.emit(records.StageFailed("exec", "ValueError", "m", ids=("ERR-12",)))
    event = tracer.events[0]
    assert event.stage == "exec" and event.behaviours == ("ERR-12",)
    assert isinstance(event.time_ms, float) and event.time_ms >= 0
    deterministic = Tracer(deterministic=True, root="/")
    deterministic.emit(records.ParentImported("p", "p.m"))
    assert deterministic.events[0].time_ms is None


def test_tracer_repr_names_its_settings_not_its_events(tmp_path):
    tracer = Tracer(deterministic=True, root=str(tmp_path))
    tracer.emit(records.ParentImported("p", "p.m"))
    assert repr(tracer) == f"Tracer(sinks=(), deterministic=True, root={str(tmp_path)!r}, keep=True, 1 events kept)"


def test_keep_false_delivers_without_keeping():
    sink = ListSink()
    tracer = Tracer(sinks=[sink], keep=False)
    tracer.emit(records.ParentImported("p", "p.m"))
    assert tracer.events == [] and [e.event for e in sink.events] == ["parent_imported"]


class FailingSink:
    def __init__(self, fail_on: str, after: int = 0) -> None:
        self.fail_on, self.after, self.calls = fail_on, after, []

    def header(self, header: dict) -> None:
        self._call("header")

    def event(self, event: Event) -> None:
        self._call("event")

    def footer(self, footer: dict) -> None:
        self._call("footer")

    def _call(self, what: str) -> None:
        self.calls.append(what)
        if what == self.fail_on and self.calls.count(what) > self.after:
            raise OSError(f"{what} failed")


def test_a_failing_sink_stops_all_writing_and_is_remembered():
    bad, good = FailingSink("event", after=1), ListSink()
    tracer = Tracer(sinks=[bad, good])
    for _ in range(4):
        tracer.emit(records.ParentImported("p", "p.m"))
    assert bad.calls == ["header", "event", "event"]
    assert len(good.events) == 1  # the second event stopped at the failing sink
    assert str(tracer.sink_error) == "event failed"
    tracer.close()
    assert bad.calls[-1] == "event"  # no footer after a failure
    assert len(tracer.events) == 4  # the in-memory story is complete


def test_a_failing_header_is_remembered():
    tracer = Tracer(sinks=[FailingSink("header")])
    tracer.emit(records.ParentImported("p", "p.m"))
    assert str(tracer.sink_error) == "header failed"


def test_close_writes_the_footer_to_sinks_that_take_one_and_catches_failure():
    bad, listed = FailingSink("footer"), ListSink()

    class HeaderOnly:
        def header(self, header: dict) -> None:
            pass

    tracer = Tracer(sinks=[listed, HeaderOnly(), bad])
    tracer.emit(records.ParentImported("p", "p.m"))
    tracer.close()
    assert listed.footer_record == {"complete": True, "events": 1}
    assert bad.calls == ["header", "event", "footer"] and str(tracer.sink_error) == "footer failed"


def test_tracing_sets_and_resets_the_current_tracer():
    assert current() is None
    with tracing() as tracer:
        assert current() is tracer
    assert current() is None


def test_tracing_passes_its_options_to_the_tracer(tmp_path):
    with tracing(deterministic=True, root=str(tmp_path), keep=False) as tracer:
        pass
    assert (tracer.deterministic, tracer.root, tracer.keep) == (True, str(tmp_path), False)


def test_tracing_raises_trace_sink_error_after_the_block():
    bad = FailingSink("event")
    ran = []
    with pytest.raises(TraceSinkError, match="trace output failed: event failed") as info:
        with tracing(bad) as tracer:
            tracer.emit(records.ParentImported("p", "p.m"))
            ran.append("rest of block")
    assert ran == ["rest of block"]
    assert isinstance(info.value.__cause__, OSError)
    assert current() is None


def test_an_exception_from_the_block_wins_over_a_sink_error():
    with pytest.raises(KeyError):
        with tracing(FailingSink("header")):
            raise KeyError("mine")


# -- the closed vocabulary ------------------------------------------------------------


def test_schema_is_a_valid_json_schema():
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(schema())


def test_stage_and_event_vocabularies_agree_with_the_schema():
    props = schema()["$defs"]["event"]["properties"]
    assert props["stage"]["enum"] == list(STAGES)
    assert props["event"]["enum"] == list(EVENTS)


def test_schema_header_constants_match_the_code():
    header = schema()["$defs"]["header"]["properties"]
    assert header["schema"]["const"] == trace.SCHEMA_NAME
    assert header["schema_version"]["const"] == trace.SCHEMA_VERSION


def test_every_event_maps_to_a_known_stage():
    assert set(EVENTS.values()) <= set(STAGES) | {"*"}
    assert STAGES[0] == "run"


def record_classes() -> list[type]:
    return [
        obj for obj in vars(records).values()
        if isinstance(obj, type) and issubclass(obj, Record) and obj is not Record
    ]


def test_every_record_class_names_a_known_event_and_its_stage():
    classes = record_classes()
    assert len(classes) == 14
    for cls in classes:
        assert cls.EVENT in EVENTS, cls
        expected_stage = EVENTS[cls.EVENT]
        assert cls.STAGE == ("" if expected_stage == "*" else expected_stage), cls


def test_every_event_name_has_a_record_class():
    assert {cls.EVENT for cls in record_classes()} == set(EVENTS)


def test_plain_stops_at_containers_that_contain_themselves():
    # repr() prints [...] for a self-containing list; plain() must not recurse
    # until RecursionError (that would break the traced run).
    looped: list = [1]
    looped.append(looped)
    converted = trace.plain(looped)
    depth = 0
    while isinstance(converted, list):
        assert converted[0] == 1
        converted, depth = converted[1], depth + 1
    assert depth == plain_module.DEPTH_LIMIT
    assert converted == f"<list nested deeper than {plain_module.DEPTH_LIMIT}>"
    mapping: dict = {}
    mapping["self"] = mapping
    assert json.dumps(trace.plain(mapping))  # strict JSON, however deep


def test_a_spec_of_another_class_is_described_like_the_import_systems_own():
    class LookAlike:  # duck-typed: any object with the two attributes
        name, origin, loader, parent, cached = "fake", "/x/fake.py", None, "", None
        submodule_search_locations = None

    assert plain(LookAlike()) == {
        "name": "fake", "origin": "/x/fake.py", "loader": None, "parent": "", "is_package": False,
        "cached": None,
    }


def test_events_compare_by_type_and_fields():
    event = Event(1, 1, None, 0, "run", "run_started", ("RM-01",), {"a": 1})
    same = Event(*event.astuple())
    assert event == same and not (event != same)
    assert event != event.astuple() and event.astuple() != event  # a tuple of the same fields is not an event
    assert event != "x"
    assert event != event.replace(seq=2)


def test_records_list_their_traced_fields():
    assert list(records.PathChoice("/p", "file", None).payload()) == ["path", "kind", "importer"]
    assert list(records.StageFailed("exec", "E", "m").payload()) == ["failed_stage", "error_type", "message"]
    assert records.StageFailed("exec", "E", "m").stage() == "exec"


def test_no_sink_is_called_after_one_failed():
    first, second = FailingSink("header"), FailingSink("never")
    tracer = Tracer(sinks=[first, second])
    assert str(tracer.sink_error) == "header failed" and second.calls == []
    tracer.close()
    assert first.calls == ["header"] and second.calls == []
