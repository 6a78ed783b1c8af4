"""The immutable record base that replaced dataclasses (runpy_ref/records.py)."""

from __future__ import annotations

import copy
import pickle

import pytest

from runpy_ref.profiles import PROFILES, Profile
from runpy_ref.records import Frozen, FrozenInstanceError, GlobalsPlan, MainChoice, SpecFound
from runpy_ref.stages import DEFAULT_STAGES, SetArgv0, SetModule, Stages
from runpy_ref.trace import Event, Record


def _record_classes() -> list[type]:
    import runpy_ref.records as records

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


def test_slots_leave_no_instance_dict():
    assert not hasattr(SpecFound("m", None), "__dict__")
    assert not hasattr(Event(1, 1, None, 0, "run", "run_started", (), {}), "__dict__")


def test_repr_eq_hash_go_by_the_fields_in_order():
    a, b = SetArgv0("x", ids=("CLI-08",)), SetArgv0("x", ids=("CLI-08",))
    assert repr(a) == "SetArgv0(value='x', lasting=False, ids=('CLI-08',))"
    assert a == b and hash(a) == hash(b)
    assert a != SetArgv0("y")
    assert a != ("x", False, ("CLI-08",))  # another type is never equal
    assert SetModule("m", None) != SetArgv0("m")


def test_replace_makes_a_changed_copy():
    event = Event(1, 1, None, 0, "run", "run_started", ("RM-01",), {"api": "run_module"})
    timed = event.replace(time_ms=1.5)
    assert (timed.time_ms, event.time_ms) == (1.5, None)
    assert timed.replace(time_ms=None) == event
    with pytest.raises(TypeError, match=r"Event has no field\(s\) \['seconds'\]"):
        event.replace(seconds=1)


def test_profile_stores_its_flags_and_falls_back_to_the_defaults():
    assert PROFILES["3.9"].reject_null_importer is True
    assert PROFILES["3.13"].reject_null_importer is False
    assert PROFILES["3.13"].replace(version="x").values()[1:] == PROFILES["3.13"].values()[1:]
    with pytest.raises(TypeError, match="no flag"):
        Profile("3.9", no_such_flag=True)
    with pytest.raises(FrozenInstanceError):
        PROFILES["3.9"].specials = ()


def test_fields_match_the_profile_annotations():
    # the class attributes are the defaults and carry the docstrings the docs show
    assert Profile.FIELDS == tuple(Profile.__annotations__)


def test_stage_table_replace_keeps_the_other_stages():
    def mine(*args, **kwargs):
        raise AssertionError

    table = DEFAULT_STAGES.replace(pick_main=mine)
    assert table.pick_main is mine and table.find_spec is DEFAULT_STAGES.find_spec
    assert Stages() == DEFAULT_STAGES


@pytest.mark.parametrize("value", [
    SetArgv0("x"), PROFILES["3.13"], GlobalsPlan((("__name__", "m"),), ("k",)),
    MainChoice("m", None, "source file"), Event(1, 1, None, 0, "run", "run_started", (), {}),
])
def test_pickle_and_copy_round_trip(value):
    assert pickle.loads(pickle.dumps(value)) == value
    assert copy.copy(value) == value and copy.deepcopy(value) == value


def test_every_record_lists_its_fields_and_every_init_sets_them():
    for cls in _record_classes():
        assert cls.__slots__ == cls.FIELDS, cls
        assert set(cls.UNTRACED) <= set(cls.FIELDS), cls
        required = cls.__init__.__code__.co_argcount - 1 - len(cls.__init__.__defaults__ or ())
        record = cls(*[f"<{name}>" for name in cls.FIELDS[:required]])
        assert isinstance(record, Frozen)
        assert list(cls.__init__.__code__.co_varnames[1:len(cls.FIELDS) + 1]) == list(cls.FIELDS), cls
        for name in cls.FIELDS[:required]:
            assert getattr(record, name) == f"<{name}>", (cls, name)
