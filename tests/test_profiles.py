"""The version profile table, and ``python -m runpy_ref`` entered through its ``__main__``."""

from __future__ import annotations

import sys

import pytest

import runpy_ref
from runpy_ref.profiles import PROFILES, host_profile, select_profile


def test_host_profile_is_the_running_version():
    assert host_profile().version == "%d.%d" % sys.version_info[:2]
    assert host_profile() is PROFILES[host_profile().version]


def test_select_profile_by_version_tuple():
    assert select_profile((3, 12)).version == "3.12"
    assert select_profile((3, 9, 18, "final", 0)).version == "3.9"


def test_select_profile_unknown_version_lists_the_known_ones():
    with pytest.raises(LookupError) as info:
        select_profile((2, 7))
    assert str(info.value) == (
        "runpy_ref has no profile for Python 2.7; profiles exist for 3.9, 3.10, 3.11, 3.12, 3.13"
    )
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_package_main_entry_point(clean_sys, capsys):
    # Run runpy_ref's own __main__ through runpy_ref, as `python -m runpy_ref --version` would.
    sys.argv[:] = ["runpy_ref", "--version"]
    with pytest.raises(SystemExit) as info:
        runpy_ref.run_module("runpy_ref", run_name="__main__")
    assert info.value.code == 0
    assert capsys.readouterr().out == f"runpy_ref {runpy_ref.__version__}\n"


def test_importing_the_package_main_runs_nothing(clean_sys, capsys):
    import importlib

    sys.modules.pop("runpy_ref.__main__", None)
    module = importlib.import_module("runpy_ref.__main__")
    assert module.main is runpy_ref.cli.main
    assert capsys.readouterr() == ("", "")
