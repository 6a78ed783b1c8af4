"""The one immutable-value base (runpy_ref/values.py): every record, change, profile and option set."""

from __future__ import annotations

import copy
import pickle

import pytest

import runpy_ref.cli
import runpy_ref.records as records
from runpy_ref.cli import Options
from runpy_ref.profiles import PROFILES, Profile
from runpy_ref.records import GlobalsPlan, MainChoice, Record, SpecFound
from runpy_ref.stages import (
    DEFAULT_STAGES,
    Applied,
    Change,
    InsertPath,
    ReplaceArgv,
    SetArgv0,
    SetModule,
    Stages,
)
from runpy_ref.trace import Event
from runpy_ref.values import FrozenInstanceError, Value


def _record_classes() -> list[type]:
    return [value for value in vars(records).values()
            if isinstance(value, type) and issubclass(value, Record) and value is not Record]


def test_fields_cannot_be_assigned_or_deleted():
    change = SetArgv0("x")
    with pytest.raises(FrozenInstanceError, match=r"cannot assign to field 'value': SetArgv0 is immutable"):
        change.value = "y"
    with pytest.raises(AttributeError):  # FrozenInstanceError is an AttributeError, as dataclasses' is
        change.lasting = True
    with pytest.raises(FrozenInstanceError, match="cannot delete field 'ids'"):
        del change.ids
    with pytest.raises(FrozenInstanceError):
        change.not_a_field = 1
    assert change.value == "x"


def test_fields_come_from_annotations_in_order_constants_excluded():
    assert SetArgv0.FIELDS == ("value", "lasting", "ids")
    assert SetModule.FIELDS == ("name", "module", "lasting", "ids", "kept_if_raised")
    assert InsertPath.FIELDS == ("entry", "replace_first", "lasting", "ids")
    assert ReplaceArgv.FIELDS == ("values", "lasting", "ids")
    assert SpecFound.FIELDS == ("name", "spec") and "EVENT" not in SpecFound.FIELDS
    assert Event.FIELDS == ("seq", "run", "parent", "depth", "stage", "event", "behaviours", "data", "time_ms")
    assert Profile.FIELDS[0] == "version" and "lasting" not in Profile.FIELDS


def test_generic_constructor_positional_keyword_defaults_and_errors():
    assert SetModule("m", None) == SetModule(name="m", module=None, lasting=False, ids=("RM-17",))
    assert vars(SetArgv0("x")) == {"value": "x", "lasting": False, "ids": ("RM-17",)}  # defaults are held
    with pytest.raises(TypeError, match=r"SetArgv0 needs field\(s\) \['value'\]"):
        SetArgv0()
    with pytest.raises(TypeError, match="SetArgv0 has no field 'nope'"):
        SetArgv0("x", nope=1)
    with pytest.raises(TypeError, match="got field 'value' twice"):
        SetArgv0("x", value="y")
    with pytest.raises(TypeError, match="takes 3 fields, 4 given"):
        SetArgv0(1, 2, 3, 4)


def test_repr_eq_hash_go_by_the_fields_in_order():
    a, b = SetArgv0("x", ids=("CLI-08",)), SetArgv0("x", ids=("CLI-08",))
    assert repr(a) == "SetArgv0(value='x', lasting=False, ids=('CLI-08',))"
    assert a == b and hash(a) == hash(b)
    assert a != SetArgv0("y")
    assert a != ("x", False, ("CLI-08",))  # another type is never equal
    assert SetModule("m", None) != SetArgv0("m")
    assert a.astuple() == ("x", False, ("CLI-08",))


def test_replace_makes_a_changed_copy():
    event = Event(1, 1, None, 0, "run", "run_started", ("RM-01",), {"api": "run_module"})
    timed = event.replace(time_ms=1.5)
    assert (timed.time_ms, event.time_ms) == (1.5, None)
    assert timed.replace(time_ms=None) == event
    with pytest.raises(TypeError, match=r"Event has no field 'seconds'"):
        event.replace(seconds=1)


def test_profile_rows_and_defaults():
    assert PROFILES["3.9"].reject_null_importer is True
    assert PROFILES["3.13"].reject_null_importer is False
    assert PROFILES["3.10"].safe_path_option is False and PROFILES["3.11"].safe_path_option is True
    with pytest.raises(TypeError, match="no field"):
        Profile("3.9", no_such_flag=True)
    with pytest.raises(FrozenInstanceError):
        PROFILES["3.9"].specials = ()


def test_stage_table_replace_keeps_the_other_stages_and_does_not_bind_functions():
    def mine(*args, **kwargs):
        raise AssertionError

    table = DEFAULT_STAGES.replace(pick_main=mine)
    assert table.pick_main is mine and table.find_spec is DEFAULT_STAGES.find_spec
    assert Stages() == DEFAULT_STAGES
    assert DEFAULT_STAGES.exec.__name__ == "exec_code"  # a plain function, not a bound method


@pytest.mark.parametrize("value", [
    SetArgv0("x"), PROFILES["3.13"], GlobalsPlan((("__name__", "m"),), ("k",)),
    MainChoice("m", None, "source file"), Event(1, 1, None, 0, "run", "run_started", (), {}),
    Options("m", ("a",)), Applied(SetArgv0("x"), "old"),
])
def test_pickle_and_copy_round_trip(value):
    assert pickle.loads(pickle.dumps(value)) == value
    assert copy.copy(value) == value and copy.deepcopy(value) == value


def test_every_record_change_profile_and_option_set_is_a_value():
    for cls in [*_record_classes(), Change, SetArgv0, Profile, Options, Stages, Event, Applied]:
        assert issubclass(cls, Value), cls
    for cls in _record_classes():
        assert set(cls.UNTRACED) <= set(cls.FIELDS), cls
        assert cls.EVENT, cls
    assert runpy_ref.cli.Options.FIELDS[0] == "target"
