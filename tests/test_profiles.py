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
        select_profile((2, 4))
    assert str(info.value) == (
        "runpy_ref has no profile for Python 2.4; profiles exist for "
        "2.5, 2.6, 2.7, 3.0, 3.1, 3.2, 3.3, 3.4, 3.5, 3.6, 3.7, 3.8, 3.9, 3.10, 3.11, 3.12, 3.13"
    )
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_select_profile_by_the_release_a_row_reproduces_and_no_other():
    assert select_profile("2.7.18") is select_profile("2.7") is PROFILES["2.7"]
    with pytest.raises(LookupError, match=r"profile 3.5 reproduces 3.5.10, not 3.5.1;"):
        select_profile("3.5.1")


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


# -- the profile is wired: every stage and the interpreter's side read the one in force -------------


def test_the_profile_in_force_is_read_at_run_time_not_at_import(tree):
    tree({"pf_rel.py": ""})
    host = runpy_ref.active_profile()
    lenient = host.replace(reject_relative_names=False)
    with pytest.raises(ImportError, match="Relative module names not supported"):
        runpy_ref.run_module(".pf_rel")
    with runpy_ref.as_of(lenient), pytest.raises(ImportError) as info:
        runpy_ref.run_module(".pf_rel")
    assert "Relative module names" not in str(info.value)  # the flag was read inside the with block


def test_the_interpreter_side_reads_argv0_while_locating(tree, capsys):
    tree({"pf_pkg/__init__.py": "import sys\nSEEN = sys.argv[0]\n",
          "pf_pkg/run.py": "import pf_pkg\nprint('while locating:', pf_pkg.SEEN)\n"})
    with runpy_ref.as_of(runpy_ref.active_profile().replace(argv0_while_locating="-c")):
        assert runpy_ref.cli.main(["pf_pkg.run"]) == 0
    assert capsys.readouterr().out == "while locating: -c\n"


def test_the_interpreter_side_reads_absolute_script_path(tree, capsys, monkeypatch):
    root = tree({"pf_script.py": "print(__file__)\n"})
    monkeypatch.chdir(root)
    assert runpy_ref.cli.main(["--path", "pf_script.py"]) == 0
    assert capsys.readouterr().out == f"{root}/pf_script.py\n"  # 3.9+: made absolute, not tidied
    with runpy_ref.as_of(runpy_ref.active_profile().replace(absolute_script_path=False)):
        assert runpy_ref.cli.main(["--path", "pf_script.py"]) == 0
    assert capsys.readouterr().out == "pf_script.py\n"  # as typed, as before 3.9


def test_the_interpreter_side_reads_the_lookup_error_format(tree, capsys):
    with runpy_ref.as_of(runpy_ref.active_profile().replace(lookup_error_format="{message} ({executable})")):
        assert runpy_ref.cli.main(["pf_missing_xyz"]) == 1
    assert capsys.readouterr().err == f"No module named pf_missing_xyz ({sys.executable})\n"


def test_the_safe_path_option_is_a_3_11_flag():
    assert [p.version for p in PROFILES.values() if p.safe_path_option] == ["3.11", "3.12", "3.13"]
    assert all(p.sources for p in PROFILES.values())
