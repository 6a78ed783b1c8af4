"""Every flag of the version profiles, exercised in process: runpy of 2.5 to 3.8 on the host.

tests/differential/test_as_of.py compares 2.7 and 3.6-3.8 with the real
interpreters; these tests pin each decision a flag makes, for the versions
that have no interpreter here too, with the catalogue entry it encodes.
"""

from __future__ import annotations

import gc
import os
import sys

import pytest

import runpy_ref
from runpy_ref.cli import main
from runpy_ref.history import FEATURE_VERSIONS, HISTORY, changed_in
from runpy_ref.profiles import PROFILES, Profile, select_profile


def run_module(version: str, *args, **kwargs):
    with runpy_ref.as_of(version):
        return runpy_ref.run_module(*args, **kwargs)


def run_path(version: str, *args, **kwargs):
    with runpy_ref.as_of(version):
        return runpy_ref.run_path(*args, **kwargs)


def error_of(version: str, call, *args, **kwargs) -> BaseException:
    with pytest.raises(BaseException) as info:
        call(version, *args, **kwargs)
    return info.value


# -- the table ------------------------------------------------------------------------


def test_the_first_row_states_every_flag_and_every_row_names_its_sources():
    assert set(HISTORY[0][3]) == set(Profile.FIELDS) - {"version", "release", "sources"}
    assert tuple(PROFILES) == FEATURE_VERSIONS and len(PROFILES) == 17
    for version, profile in PROFILES.items():
        assert profile.version == version and profile.release.startswith(version + ".")
        assert profile.sources[0] == f"https://docs.python.org/{version}/library/runpy.html"
        assert len(profile.sources) > 1


def test_the_table_is_a_read_only_mapping_made_on_first_use():
    assert "2.7" in PROFILES and "2.4" not in PROFILES and PROFILES.get("2.4") is None
    assert list(PROFILES.keys()) == list(FEATURE_VERSIONS)
    assert [v for v, _ in PROFILES.items()] == [p.version for p in PROFILES.values()]
    assert PROFILES["3.7"] is PROFILES["3.7"]


def test_a_row_is_its_parent_with_its_changes():
    assert PROFILES["2.7"].replace(version="3.0", release="", sources=()) != PROFILES["3.0"].replace(
        version="3.0", release="", sources=())
    assert PROFILES["3.6"] == PROFILES["3.5"].replace(version="3.6", release="3.6.15", sources=PROFILES["3.6"].sources,
                                                        main_annotations=True)
    assert changed_in("3.13", "dash_m_path0_absolute") == "3.7"
    assert changed_in("2.7", "argv0_while_locating") == "2.5"  # 2.7 kept '-c' (CLI-09)
    assert changed_in("3.0", "package_target") == "2.6"
    assert select_profile("2.6.9") is PROFILES["2.6"]


def test_the_host_row_is_the_host():
    host = "%d.%d" % sys.version_info[:2]
    assert runpy_ref.host_profile() is PROFILES[host] is select_profile(sys.version_info)


# -- find_spec ----------------------------------------------------------------------------


def test_relative_names(tree):
    tree({"rel_a.py": ""})
    assert str(error_of("2.5", run_module, ".rel_a")) == "Relative module names not supported"  # pkgutil (RM-05)
    wrapped = error_of("3.4", run_module, ".rel_a")  # 3.4 asked importlib, and wrapped its error
    assert str(wrapped).startswith("Error while finding spec for '.rel_a' (<class ")


def test_a_missing_parent_before_importlib_and_after(tree):
    assert str(error_of("2.7", run_module, "nosuch_parent_q.sub")) == "No module named nosuch_parent_q"
    assert str(error_of("3.3", run_module, "nosuch_parent_q.sub")) == "No module named 'nosuch_parent_q'"
    assert str(error_of("3.4", run_module, "nosuch_parent_q.sub")) == (
        "Error while finding spec for 'nosuch_parent_q.sub' (<class 'ModuleNotFoundError'>: "
        "No module named 'nosuch_parent_q')")
    assert str(error_of("3.8", run_module, "nosuch_parent_q.sub")).startswith(
        "Error while finding module specification for 'nosuch_parent_q.sub' (ModuleNotFoundError:")


def test_a_failing_parent_is_wrapped_only_where_importlib_imported_it(tree):
    tree({"fp_pkg/__init__.py": "raise ValueError('fp refuses')", "fp_pkg/mod.py": ""})
    assert str(error_of("2.7", run_module, "fp_pkg.mod")) == "fp refuses"  # RM-25
    assert str(error_of("3.4", run_module, "fp_pkg.mod")) == (
        "Error while finding spec for 'fp_pkg.mod' (<class 'ValueError'>: fp refuses)")
    assert isinstance(error_of("3.6", run_module, "fp_pkg.mod"), ValueError)


def test_an_import_error_of_a_parent_is_the_lookups_own_error_under_pkgutil(tree):
    tree({"ie_pkg/__init__.py": "raise ImportError('ie refuses')", "ie_pkg/mod.py": ""})
    error = error_of("2.7", run_module, "ie_pkg.mod")
    assert type(error) is ImportError and str(error) == "ie refuses" and error.__cause__ is not None
    error = error_of("3.6", run_module, "ie_pkg.mod")
    assert str(error) == "ie refuses" and error.__cause__ is None  # propagated unchanged (bpo-14285)


def test_the_warning_for_an_already_imported_submodule_is_3_5_on(tree, recwarn):
    tree({"wa_pkg/__init__.py": "from . import sub", "wa_pkg/sub.py": ""})
    run_module("3.4", "wa_pkg.sub")
    assert [w for w in recwarn if w.category is RuntimeWarning] == []
    run_module("3.5", "wa_pkg.sub")
    assert "found in sys.modules" in str(recwarn.pop(RuntimeWarning).message)  # RM-24


def test_the_py_suffix_hint_is_3_9_on(tree):
    tree({"hint_mod.py": ""})
    assert str(error_of("2.7", run_module, "hint_mod.py")) == "No module named hint_mod.py"
    assert "Try using" not in str(error_of("3.8", run_module, "hint_mod.py"))
    assert str(error_of("3.9", run_module, "hint_mod.py")).endswith(
        ". Try using 'hint_mod' instead of 'hint_mod.py' as the module name.")


# -- pick_main ------------------------------------------------------------------------------


def test_what_a_package_name_runs(tree):
    tree({"pt_pkg/__init__.py": "WHO = 'init'", "pt_pkg/__main__.py": "WHO = 'main'"})
    assert run_module("2.5", "pt_pkg")["WHO"] == "init"  # no package check at all
    assert str(error_of("2.6", run_module, "pt_pkg")) == "pt_pkg is a package and cannot be directly executed"
    assert run_module("3.0", "pt_pkg.__main__")["WHO"] == "main"  # a module inside a package runs
    assert run_module("2.7", "pt_pkg")["WHO"] == run_module("3.1", "pt_pkg")["WHO"] == "main"  # RM-06


def test_2_7_imports_the_package_itself_before_its_main(tree):
    tree({"ip_pkg/__init__.py": "import nosuch_inside_ip", "ip_pkg/__main__.py": ""})
    error = error_of("2.7", run_module, "ip_pkg")
    assert isinstance(error, ModuleNotFoundError) and error.__cause__ is None  # unwrapped (ERR-03)


def test_the_is_a_package_suffix_when_the_package_itself_failed(tree):
    tree({"sx_pkg/__init__.py": "import nosuch_inside_sx", "sx_pkg/__main__.py": ""})
    suffix = "; 'sx_pkg' is a package and cannot be directly executed"
    assert str(error_of("3.4", run_module, "sx_pkg")).endswith(suffix)
    assert "is a package" not in str(error_of("3.5", run_module, "sx_pkg"))  # bpo-19771


def test_an_alias_entry_such_as_os_path(recwarn):
    assert str(error_of("2.7", run_module, "os.path")) == "Loader for module posixpath cannot handle module os.path"
    assert str(error_of("3.3", run_module, "os.path")) == "loader cannot handle os.path"
    assert str(error_of("3.10", run_module, "os.path")) == "loader for posixpath cannot handle os.path"
    assert run_module("3.11", "os.path")["__name__"] == "os.path"  # RM-27


# -- build_globals and the temporary module ---------------------------------------------------


def test_the_specials_of_each_version(tree):
    tree({"sp_mod.py": ""})
    versions = ("2.5", "2.7", "3.2", "3.4")
    dunders = {v: sorted(k for k in run_module(v, "sp_mod") if k.startswith("__")) for v in versions}
    assert dunders["2.5"] == ["__builtins__", "__file__", "__loader__", "__name__"]
    assert dunders["2.7"] == ["__builtins__", "__file__", "__loader__", "__name__", "__package__"]
    assert dunders["3.2"] == [*dunders["2.7"][:1], "__cached__", "__doc__", *dunders["2.7"][1:]]
    assert dunders["3.4"] == [*dunders["3.2"], "__spec__"]
    assert run_module("3.3", "sp_mod")["__cached__"] is None  # RM-13
    assert run_module("3.4", "sp_mod")["__cached__"].endswith(".pyc")


def test_init_globals_keep_what_the_version_does_not_set(tree):
    tree({"ig_mod.py": ""})
    given = {"__doc__": "given", "__spec__": "given", "__cached__": "given"}
    assert {k: run_module("2.7", "ig_mod", init_globals=given)[k] for k in given} == given  # RM-16
    assert run_module("3.2", "ig_mod", init_globals=given)["__spec__"] == "given"


def test_temporary_modules_start_with_the_versions_attributes(tree):
    tree({"tm_mod.py": "import sys\nSEEN = sorted(vars(sys.modules[__name__]))"})
    seen = {v: run_module(v, "tm_mod", alter_sys=True)["SEEN"] for v in ("2.5", "2.7", "3.6")}
    assert "__package__" not in seen["2.5"] and "__doc__" in seen["2.5"]
    assert "__spec__" not in seen["2.7"] and "__package__" in seen["2.7"]
    assert "__spec__" in seen["3.6"]


def test_2_5_leaves_the_temporary_module_when_the_code_raised(tree):
    tree({"lv_mod.py": "raise KeyError('lv')"})
    with pytest.raises(KeyError):
        run_module("2.5", "lv_mod", alter_sys=True)
    assert "lv_mod" in sys.modules  # RM-18: only a normal return restored sys.modules
    del sys.modules["lv_mod"]
    with pytest.raises(KeyError):
        run_module("2.6", "lv_mod", alter_sys=True)
    assert "lv_mod" not in sys.modules


def test_python_2_clears_a_released_temporary_modules_globals(tree):
    tree({"cl_mod.py": "X = 'value'\ndef f():\n    return X\n"})
    for version, seen in (("2.7", None), ("3.0", "value")):
        result = run_module(version, "cl_mod", alter_sys=True)
        gc.collect()
        assert result["X"] == "value" and result["f"]() == seen  # G-08
        result = run_path(version if version == "2.7" else "3.2", os.path.join(sys.path[0], "cl_mod.py"))
        gc.collect()
        assert result["f"]() == seen
    assert run_module("2.7", "cl_mod")["f"]() == "value"  # no temporary module without alter_sys


# -- run_path ---------------------------------------------------------------------------------


def test_run_path_does_not_exist_before_2_7_and_3_2(tree):
    for version in ("2.5", "2.6", "3.0", "3.1"):
        error = error_of(version, run_path, "anything.py")
        assert type(error) is AttributeError
        assert str(error) == f"runpy.run_path does not exist in Python {version} (added in 2.7 and 3.2)"


def test_run_paths_package_of_a_file_and_of_a_directory(tree):
    root = tree({"rp_script.py": "", "rp_dir/__main__.py": ""})
    script, directory = str(root / "rp_script.py"), str(root / "rp_dir")
    assert run_path("2.7", script, run_name="a.b.c")["__package__"] is None  # RP-15
    assert run_path("3.2", script, run_name="a.b.c")["__package__"] == "a.b"
    assert run_path("2.7", directory, run_name="a.b.c")["__package__"] == ""  # RP-17
    assert run_path("3.2", directory, run_name="a.b.c")["__package__"] == "a.b"


def test_3_3_gave_a_plain_file_a_loader(tree):
    import py_compile

    root = tree({"ld_script.py": "X = 1"})
    compiled = py_compile.compile(str(root / "ld_script.py"), cfile=str(root / "ld_script.pyc"))
    assert type(run_path("3.3", str(root / "ld_script.py"))["__loader__"]).__name__ == "SourceFileLoader"
    assert type(run_path("3.3", compiled)["__loader__"]).__name__ == "SourcelessFileLoader"
    assert run_path("3.4", str(root / "ld_script.py"))["__loader__"] is None  # RP-14


def test_a_directory_without_main_is_worded_per_version(tree, capsys):
    root = tree({"nm_dir/.keep": ""})
    where = str(root / "nm_dir")
    assert str(error_of("3.2", run_path, where)) == f"can't find '__main__' module in {where!r}"  # ERR-10
    with runpy_ref.as_of("3.1"):  # 3.1 had no run_path: python DIR said it so (CLI-24)
        assert main(["--path", where]) == 1
    assert capsys.readouterr().err == f"{sys.executable}: can't find '__main__.py' in {where!r}\n"


def test_before_3_8_a_file_is_opened_under_the_name_as_given(tree, monkeypatch):
    root = tree({"oc_script.py": ""})
    monkeypatch.chdir(root)
    assert "'nosuch_oc.py'" in str(error_of("3.7", run_path, "nosuch_oc.py"))
    assert f"'{root}/nosuch_oc.py'" in str(error_of("3.8", run_path, "nosuch_oc.py"))  # RP-23
    assert run_path("3.7", "oc_script.py")["__file__"] == "oc_script.py"


# -- the interpreter's part ------------------------------------------------------------------


def test_dash_m_puts_an_empty_string_first_up_to_3_6(tree, capsys, monkeypatch):
    root = tree({"p0_mod.py": "import sys\nprint(repr(sys.path[0]))"})
    monkeypatch.chdir(root)
    sys.path[0] = os.getcwd()
    assert main(["--as-of", "3.6", "p0_mod"]) == 0 and main(["--as-of", "3.7", "p0_mod"]) == 0
    assert capsys.readouterr().out.splitlines() == ["''", repr(str(root))]  # CLI-10


def test_2_5s_dash_m_runs_in_a_temporary_main(tree, capsys):
    tree({"tmp_main.py": "import sys\nprint(sys.modules['__main__'].__dict__ is globals(), sys.argv[0])"})
    before = sys.modules["__main__"]
    assert main(["--as-of", "2.5", "tmp_main", "x"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("True ") and out.rstrip().endswith("tmp_main.py")
    assert sys.modules["__main__"] is before  # CLI-03: the temporary __main__ is gone again
    assert main(["--as-of", "2.5", "nosuch_mod_25"]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == "ImportError: No module named nosuch_mod_25"  # a traceback


def test_the_globals_python_file_sets(tree, capsys):
    root = tree({"pf_script.py": "print(sorted(k for k in globals() if k.startswith('__')))"})
    for version in ("2.7", "3.3", "3.6"):
        assert main(["--as-of", version, "--path", str(root / "pf_script.py")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "['__builtins__', '__doc__', '__file__', '__name__', '__package__']"
    assert "'__loader__'" in lines[1] and "'__spec__'" not in lines[1] and "'__annotations__'" not in lines[1]
    assert "'__annotations__'" in lines[2] and "'__spec__'" in lines[2]


def test_2_5_read_a_directory_as_a_file(tree, capsys):
    root = tree({"rd_dir/__main__.py": "print('ran')"})
    assert main(["--as-of", "2.5", "--path", str(root / "rd_dir")]) == 2
    assert "can't open file" in capsys.readouterr().err  # CLI-21: directories run from 2.6
    assert main(["--as-of", "2.6", "--path", str(root / "rd_dir")]) == 0


def test_audit_events_and_the_status_after_ctrl_c(tree, capsys):
    tree({"kb_mod.py": "raise KeyboardInterrupt"})
    events: list[str] = []
    sys.addaudithook(lambda event, args: events.append(event) if event.startswith("cpython.run_") else None)
    assert main(["--as-of", "3.7", "kb_mod"]) == 1  # CLI-19: status 1 before 3.8
    assert events == []  # CLI-20: no audit events before 3.8
    assert main(["--as-of", "3.8", "kb_mod"]) == runpy_ref.interpreter.INTERRUPTED
    assert events == ["cpython.run_module"]
    capsys.readouterr()


# -- the trace says which version's rule decided -------------------------------------------------


def _traced(version, call, *args, **kwargs):
    """The trace of one call under ``version`` (an ImportError ends the call, as the trace shows)."""
    from runpy_ref.sinks import ListSink

    sink = ListSink()
    with runpy_ref.as_of(version), runpy_ref.tracing(sink):
        try:
            call(*args, **kwargs)
        except ImportError:
            pass
    return sink


def _built(sink):
    return next(e for e in sink.events if e.event == "globals_built")


def test_under_another_version_an_event_names_the_rule_that_decided_it(tree):
    tree({"tr_pkg/__init__.py": "", "tr_pkg/__main__.py": ""})
    sink = _traced("2.6", runpy_ref.run_module, "tr_pkg")
    assert sink.header_record["profile"] == "2.6"
    failed = next(e for e in sink.events if e.event == "stage_failed")
    assert failed.data["as_of"][0] == {"rule": "package_target", "value": "refuse", "as_of": "2.6",
                                       "since": "2.6", "ids": ["RM-06", "RM-07"]}
    built = _built(_traced("2.7", runpy_ref.run_module, "tr_pkg"))
    assert [(r["rule"], r["since"]) for r in built.data["as_of"]] == [("specials", "2.6")]


def test_the_hosts_own_version_and_unchanged_decisions_name_no_rule(tree):
    tree({"tr_mod.py": ""})
    host = "%d.%d" % sys.version_info[:2]
    assert all("as_of" not in e.data for e in _traced(host, runpy_ref.run_module, "tr_mod").events)
    events = _traced("3.8", runpy_ref.run_module, "tr_mod").events  # 3.8's runpy decided as the host's
    assert all("as_of" not in e.data for e in events)


def test_a_rule_of_a_profile_made_by_hand_has_no_version(tree):
    from runpy_ref.sinks import render_text

    tree({"tr_hand.py": ""})
    hand = runpy_ref.host_profile().replace(specials=("__name__",))
    built = _built(_traced(hand, runpy_ref.run_module, "tr_hand"))
    assert built.data["as_of"][0]["since"] is None
    assert render_text(built).splitlines()[-1].strip() == (
        f"as of {hand.version}: specials = ['__name__'], a profile made by hand  [RM-15, RM-16, G-13]")
    wrapped = render_text(_built(_traced("2.7", runpy_ref.run_module, "tr_hand")), 60)
    assert "the rule since 2.6" in wrapped and max(map(len, wrapped.splitlines())) <= 60


def test_every_flag_cites_catalogue_entries_that_exist():
    import json
    from pathlib import Path

    from runpy_ref.trace.rules import flag_behaviours

    flags = flag_behaviours()
    assert set(flags) == set(Profile.FIELDS)
    catalogue = Path(__file__).resolve().parent.parent / "conformance" / "catalogue" / "behaviours.json"
    known = {entry["id"] for entry in json.loads(catalogue.read_text(encoding="utf-8"))["entries"]}
    assert {i for ids in flags.values() for i in ids} <= known
    undocumented = {flag for flag, ids in flags.items() if not ids}
    assert undocumented == {"version", "release", "sources", "code_from_file_returns_name", "main_annotations"}
