"""The generated reference tables read the code as it is: records, schema files, and API names."""

from __future__ import annotations

import json
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.importorskip("sphinx")

import runpy_docs_reference as ref

from runpy_ref import records
from runpy_ref.trace import EVENTS, SCHEMA_VERSION

DOCS = Path(__file__).resolve().parent.parent


def test_the_envelope_reads_the_schema_the_tracer_writes() -> None:
    path = ref.schema_path()
    assert path.name == f"trace-{SCHEMA_VERSION}.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$defs"]["header"]["properties"]["schema_version"] == {"const": SCHEMA_VERSION}
    assert set(schema["$defs"]) >= {"header", "event", "footer"}


def test_both_schema_files_are_shown_on_the_schema_page() -> None:
    page = (DOCS / "reference" / "trace_schema.md").read_text(encoding="utf-8")
    for version in (1, SCHEMA_VERSION):
        assert ref.schema_path(version).is_file()
        assert f"/../runpy_ref/schema/trace-{version}.schema.json" in page


def test_every_event_has_a_record_and_its_data_keys_are_what_the_tracer_writes() -> None:
    classes = ref._record_classes()
    assert set(classes) == set(EVENTS)
    for event, cls in classes.items():
        keys = ref.data_keys(cls)
        assert keys, event
        if cls.payload is records.Record.payload:
            assert keys == [name for name in cls.FIELDS if name not in cls.UNTRACED], event


def test_data_keys_leave_out_untraced_fields_and_read_overridden_payloads() -> None:
    assert ref.data_keys(records.StageFailed) == ["failed_stage", "error_type", "message"]
    assert ref.data_keys(records.SysChanged) == ["target", "action", "before", "after", "lasting"]
    assert ref.data_keys(records.MainChoice) == ["name", "origin", "source"]  # from its payload()
    assert ref.data_keys(records.GlobalsPlan) == ["specials", "kept", "overridden"]
    assert "profile" in ref.data_keys(records.RunStarted)


# -- the conf.py resolver: a name reached through a package links to its definition --------

CONF = runpy.run_path(str(DOCS / "conf.py"))


@pytest.mark.parametrize(
    ("name", "home"),
    [
        ("runpy_ref.stages.use_stages", "runpy_ref.stages.table.use_stages"),
        ("runpy_ref.stages.Applied", "runpy_ref.stages.changes.Applied"),
        ("runpy_ref.tracing", "runpy_ref.trace.tracer.tracing"),
        ("runpy_ref.trace.Event", "runpy_ref.trace.events.Event"),
        ("runpy_ref.as_of", "runpy_ref.profiles.as_of"),
        ("runpy_ref.run_module", "runpy_ref.pipeline.run_module"),
    ],
)
def test_a_reexported_name_resolves_to_where_it_is_defined(name: str, home: str) -> None:
    assert CONF["_defined_at"](name) == home


@pytest.mark.parametrize(
    "name",
    ["runpy_ref.stages.table.use_stages", "runpy_ref.no_such_name", "runpy_ref.profiles.PROFILES", "json.dumps"],
)
def test_names_at_home_missing_or_foreign_are_left_alone(name: str) -> None:
    assert CONF["_defined_at"](name) is None


def test_a_bare_name_resolves_only_when_one_object_has_it() -> None:
    entry = SimpleNamespace(aliased=False)
    objects = {"runpy_ref.profiles.Profile": entry, "runpy_ref.records.Record": entry,
               "runpy_ref.a.Twin": entry, "runpy_ref.b.Twin": entry}
    env = SimpleNamespace(get_domain=lambda name: SimpleNamespace(objects=objects))
    assert CONF["_only_documented"](env, "Profile") == "runpy_ref.profiles.Profile"
    assert CONF["_only_documented"](env, "Twin") is None
    assert CONF["_only_documented"](env, "Missing") is None


def test_a_value_class_is_shown_with_its_fields_as_signature() -> None:
    from runpy_ref.stages import SetArgv0, Stages

    assert CONF["value_signature"](SetArgv0) == "(value, lasting=False, ids=('RM-17',))"
    assert CONF["value_signature"](records.SpecFound) == "(name, spec)"
    assert CONF["value_signature"](Stages).startswith("(find_spec=find_spec, pick_main=pick_main, ")
    assert CONF["value_signature"](dict) is None
    assert CONF["value_signature"](records.Record) is None  # no fields of its own: nothing better to say
