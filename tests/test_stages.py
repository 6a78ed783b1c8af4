"""Each stage on its own: find_spec, pick_main, pick_path, build_globals, alter_sys, restore, exec."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import py_compile
import sys
import types
import warnings
import zipfile

import pytest

from runpy_ref.pipeline import _get_module_details
from runpy_ref.profiles import PROFILES, host_profile
from runpy_ref.records import MainChoice, SpecFound, init_globals_keys
from runpy_ref.stages import (
    ABSENT,
    DEFAULT_STAGES,
    STAGE_NAMES,
    Applied,
    InsertPath,
    ReplaceArgv,
    SetArgv0,
    SetModule,
    active_stages,
    alter_sys,
    altered,
    build_globals,
    exec_code,
    find_spec,
    pick_main,
    pick_path,
    restore,
    use_stages,
)
from runpy_ref.trace import tracing

pytestmark = pytest.mark.usefixtures("clean_sys")

PROFILE = host_profile()


class Boom(Exception):
    """A private error class, like the CLI's _Error."""


def events(tracer, name=None):
    return [e for e in tracer.events if name is None or e.event == name]


# -- find_spec ---------------------------------------------------------------------------


def test_find_spec_locates_a_top_level_module_without_running_it(tree):
    tree({"fs_top.py": "raise AssertionError('must not run')"})
    found = find_spec("fs_top", error=Boom, profile=PROFILE)
    assert found.name == "fs_top"
    assert found.spec.origin.endswith("fs_top.py")
    assert not found.is_package
    assert "fs_top" not in sys.modules


def test_find_spec_imports_the_parent_and_reports_it(tree):
    tree({"fs_pkg/__init__.py": "", "fs_pkg/mod.py": "raise AssertionError"})
    with tracing() as tracer:
        found = find_spec("fs_pkg.mod", error=Boom, profile=PROFILE)
    assert found.spec.name == "fs_pkg.mod"
    assert "fs_pkg" in sys.modules and "fs_pkg.mod" not in sys.modules
    assert [(e.event, e.data) for e in tracer.events] == [
        ("parent_imported", {"package": "fs_pkg", "module": "fs_pkg.mod"}),
        ("spec_found", {"name": "fs_pkg.mod", "spec": tracer.events[1].data["spec"]}),
    ]
    assert tracer.events[1].data["spec"]["is_package"] is False
    assert tracer.events[1].behaviours == ("RM-02", "CLI-01")


def test_find_spec_rejects_relative_names():
    with pytest.raises(Boom, match=r"^Relative module names not supported$"):
        find_spec(".relative", error=Boom, profile=PROFILE)


def test_find_spec_relative_name_without_the_profile_check_fails_in_the_lookup():
    profile = PROFILE.replace(reject_relative_names=False)
    expected = r"Error while finding module specification for '\.relative' \(ImportError"
    with pytest.raises(Boom, match=expected):
        find_spec(".relative", error=Boom, profile=profile)


def test_find_spec_missing_module():
    with pytest.raises(Boom, match=r"^No module named runpy_ref_no_such_module$"):
        find_spec("runpy_ref_no_such_module", error=Boom, profile=PROFILE)


def test_find_spec_missing_parent_is_a_lookup_error():
    with pytest.raises(Boom) as info:
        find_spec("runpy_ref_no_pkg.mod", error=Boom, profile=PROFILE)
    assert str(info.value) == (
        "Error while finding module specification for 'runpy_ref_no_pkg.mod' "
        "(ModuleNotFoundError: No module named 'runpy_ref_no_pkg')"
    )
    assert isinstance(info.value.__cause__, ModuleNotFoundError)


def test_find_spec_parent_error_propagates_unchanged(tree):
    tree({"fs_bad/__init__.py": "raise ZeroDivisionError('in parent')", "fs_bad/m.py": ""})
    with pytest.raises(ZeroDivisionError, match="in parent"):
        find_spec("fs_bad.m", error=Boom, profile=PROFILE)


def test_find_spec_parent_import_error_for_another_module_propagates(tree):
    tree({"fs_imp/__init__.py": "import runpy_ref_absent_dependency", "fs_imp/m.py": ""})
    with pytest.raises(ModuleNotFoundError, match="runpy_ref_absent_dependency"):
        find_spec("fs_imp.m", error=Boom, profile=PROFILE)


def test_find_spec_parent_import_error_without_a_name_propagates(tree):
    tree({"fs_imp2/__init__.py": "raise ImportError('custom')", "fs_imp2/m.py": ""})
    with pytest.raises(ImportError, match=r"^custom$"):
        find_spec("fs_imp2.m", error=Boom, profile=PROFILE)


def test_find_spec_missing_grandparent_is_left_to_the_lookup():
    with pytest.raises(Boom, match="No module named 'runpy_ref_gp'"):
        find_spec("runpy_ref_gp.parent.mod", error=Boom, profile=PROFILE)


def test_find_spec_suggests_dropping_py_suffix(tree):
    tree({"fs_script.py": ""})
    with pytest.raises(Boom) as info:
        find_spec("fs_script.py", error=Boom, profile=PROFILE)
    message = str(info.value)
    assert message.startswith(
        "Error while finding module specification for 'fs_script.py' (ModuleNotFoundError"
    )
    assert message.endswith(". Try using 'fs_script' instead of 'fs_script.py' as the module name.")


def test_find_spec_no_suffix_hint_when_the_profile_says_so(tree):
    tree({"fs_script2.py": ""})
    profile = PROFILE.replace(py_suffix_hint=False)
    with pytest.raises(Boom) as info:
        find_spec("fs_script2.py", error=Boom, profile=profile)
    assert "Try using" not in str(info.value)


def test_find_spec_warns_when_the_module_is_already_imported(tree):
    tree({"fs_warn/__init__.py": "from . import sub", "fs_warn/sub.py": ""})
    with tracing() as tracer, pytest.warns(RuntimeWarning) as caught:
        find_spec("fs_warn.sub", error=Boom, profile=PROFILE)
    message = (
        "'fs_warn.sub' found in sys.modules after import of package 'fs_warn', but prior to "
        "execution of 'fs_warn.sub'; this may result in unpredictable behaviour"
    )
    assert [str(w.message) for w in caught] == [message]
    already = events(tracer, "already_imported")
    assert [e.data for e in already] == [{"module": "fs_warn.sub", "package": "fs_warn", "warning": message}]
    assert already[0].behaviours == ("RM-24",)


def test_find_spec_does_not_warn_for_a_subpackage_or_when_the_profile_says_no(tree):
    tree({
        "fs_w2/__init__.py": "from . import inner, leaf", "fs_w2/inner/__init__.py": "", "fs_w2/leaf.py": "",
    })
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        find_spec("fs_w2.inner", error=Boom, profile=PROFILE)
        quiet = PROFILE.replace(warn_if_already_imported=False)
        find_spec("fs_w2.leaf", error=Boom, profile=quiet)


# -- pick_main ------------------------------------------------------------------------------


def test_pick_main_loads_a_module_code(tree):
    tree({"pm_mod.py": "x = 1"})
    found = find_spec("pm_mod", error=Boom, profile=PROFILE)
    with tracing() as tracer:
        chosen = pick_main(found, error=Boom, profile=PROFILE)
    assert chosen.name == "pm_mod" and chosen.spec is found.spec
    assert isinstance(chosen.code, types.CodeType) and chosen.code.co_filename == found.spec.origin
    assert chosen.source == "loader.get_code()"
    [event] = tracer.events
    assert event.event == "code_loaded" and event.behaviours == ("RM-02", "RM-04")
    assert event.data == {"name": "pm_mod", "origin": found.spec.origin, "source": "loader.get_code()"}


def test_pick_main_redirects_a_package_to_its_main(tree):
    tree({"pm_pkg/__init__.py": "", "pm_pkg/__main__.py": "y = 2"})
    found = find_spec("pm_pkg", error=Boom, profile=PROFILE)
    with tracing() as tracer:
        redirect = pick_main(found, error=Boom, profile=PROFILE)
    assert (redirect.package, redirect.main) == ("pm_pkg", "pm_pkg.__main__")
    assert [e.event for e in tracer.events] == ["package_redirect"]
    assert tracer.events[0].data == {"package": "pm_pkg", "main": "pm_pkg.__main__"}
    # the pipeline goes round again with the new name
    with tracing() as tracer:
        name, spec, _ = _get_module_details("pm_pkg", Boom)
    assert (name, spec.name) == ("pm_pkg.__main__", "pm_pkg.__main__")
    assert [e.event for e in tracer.events] == [
        "spec_found", "package_redirect", "parent_imported", "spec_found", "code_loaded",
    ]


def test_pick_main_package_without_main(tree):
    tree({"pm_nomain/__init__.py": ""})
    with pytest.raises(Boom) as info:
        _get_module_details("pm_nomain", Boom)
    assert str(info.value) == (
        "No module named pm_nomain.__main__; 'pm_nomain' is a package and cannot be directly executed"
    )


def test_pick_main_refuses_a_package_named_main(tree):
    tree({"pm_outer/__init__.py": "", "pm_outer/__main__/__init__.py": ""})
    found = find_spec("pm_outer.__main__", error=Boom, profile=PROFILE)
    with pytest.raises(Boom, match=r"^Cannot use package as __main__ module$"):
        pick_main(found, error=Boom, profile=PROFILE)


def test_pick_main_package_that_fails_to_import_reports_its_own_error(tree):
    # The package's __init__ raises ImportError: the error is about the
    # package itself, not about it being a package.
    tree({"pm_broken/__init__.py": "raise ImportError('broken init')", "pm_broken/__main__.py": ""})
    with pytest.raises(ImportError) as info:
        _get_module_details("pm_broken")
    assert str(info.value) == "broken init"


def test_pick_main_namespace_module_without_loader():
    spec = importlib.machinery.ModuleSpec("ghost", None)
    with pytest.raises(Boom, match=r"^'ghost' is a namespace package and cannot be executed$"):
        pick_main(SpecFound("ghost", spec), error=Boom, profile=PROFILE)


class FakeLoader:
    def __init__(self, result):
        self.result = result

    def get_code(self, name):
        if isinstance(self.result, BaseException):
            raise self.result
        return self.result


def test_pick_main_loader_import_error_is_reworded_with_the_callers_class():
    spec = importlib.machinery.ModuleSpec("fake", FakeLoader(ImportError("cannot load")))
    with pytest.raises(Boom, match=r"^cannot load$") as info:
        pick_main(SpecFound("fake", spec), error=Boom, profile=PROFILE)
    assert isinstance(info.value.__cause__, ImportError)


def test_pick_main_no_code_object():
    spec = importlib.machinery.ModuleSpec("fake", FakeLoader(None))
    with pytest.raises(Boom, match=r"^No code object available for fake$"):
        pick_main(SpecFound("fake", spec), error=Boom, profile=PROFILE)


def test_pick_main_namespace_package(tree):
    tree({"pm_ns/data.txt": "not python"})
    found = find_spec("pm_ns", error=Boom, profile=PROFILE)
    assert found.is_package
    with pytest.raises(Boom, match=r"^No module named pm_ns.__main__; 'pm_ns' is a package"):
        _get_module_details("pm_ns", Boom)


# -- pick_path ---------------------------------------------------------------------------------


def test_pick_path_reads_a_source_file(tree):
    root = tree({"pp.py": "z = 3"})
    path = str(root / "pp.py")
    with tracing() as tracer:
        where = pick_path(path, profile=PROFILE)
    assert (where.path, where.kind, where.importer) == (path, "file", None)
    assert where.code.co_filename == path
    assert [(e.event, e.data) for e in tracer.events] == [
        ("path_classified", {"path": path, "kind": "file", "importer": None}),
        ("code_loaded", {"name": path, "origin": path, "source": "source file"}),
    ]
    assert tracer.events[1].behaviours == ("RP-03", "RP-04")


def test_pick_path_reads_compiled_bytecode(tree):
    root = tree({"ppc.py": "w = 4"})
    pyc = root / "ppc.pyc"
    py_compile.compile(str(root / "ppc.py"), cfile=str(pyc), doraise=True)
    with tracing() as tracer:
        where = pick_path(str(pyc), profile=PROFILE)
    namespace = {}
    exec(where.code, namespace)
    assert namespace["w"] == 4
    assert tracer.events[-1].data["source"] == "bytecode file"


def test_pick_path_directory_and_zip_are_sys_path_entries(tree):
    root = tree({"ppdir/__main__.py": ""})
    with zipfile.ZipFile(root / "pp.zip", "w") as zf:
        zf.writestr("__main__.py", "")
    directory = pick_path(str(root / "ppdir"), profile=PROFILE)
    assert (directory.kind, directory.importer, directory.code) == ("sys.path entry", "FileFinder", None)
    archive = pick_path(str(root / "pp.zip"), profile=PROFILE)
    assert (archive.kind, archive.importer) == ("sys.path entry", "zipimporter")


def test_pick_path_missing_file_raises_oserror(tmp_path):
    with pytest.raises(FileNotFoundError):
        pick_path(str(tmp_path / "absent.py"), profile=PROFILE)


def test_pick_path_decodes_bytes_when_the_profile_says_so(tree):
    root = tree({"ppb.py": ""})
    raw = bytes(root / "ppb.py")
    decoded = pick_path(raw, profile=PROFILE.replace(decode_path_argument=True))
    assert decoded.path == str(root / "ppb.py")
    kept = pick_path(raw, profile=PROFILE.replace(decode_path_argument=False))
    assert kept.path == raw


def test_pick_path_null_importer_is_no_importer(tree, monkeypatch):
    root = tree({"ppn.py": "v = 5"})
    NullImporter = type("NullImporter", (), {"__module__": "imp"})
    import pkgutil

    monkeypatch.setattr(pkgutil, "get_importer", lambda path: NullImporter())
    rejecting = PROFILE.replace(reject_null_importer=True)
    assert pick_path(str(root / "ppn.py"), profile=rejecting).kind == "file"
    accepting = PROFILE.replace(reject_null_importer=False)
    assert pick_path(str(root / "ppn.py"), profile=accepting).importer == "NullImporter"


# -- build_globals --------------------------------------------------------------------------------


def test_build_globals_from_a_spec_is_pure(tree):
    tree({"bg_pkg/__init__.py": "", "bg_pkg/mod.py": ""})
    spec = importlib.util.find_spec("bg_pkg.mod")
    init = {"__name__": "overridden", "extra": 1}
    snapshot = (list(sys.argv), list(sys.path), dict(sys.modules))
    first = build_globals(spec=spec, run_name="run", init_globals=init, profile=PROFILE)
    second = build_globals(spec=spec, run_name="run", init_globals=init, profile=PROFILE)
    assert first == second
    assert init == {"__name__": "overridden", "extra": 1}
    assert snapshot == (list(sys.argv), list(sys.path), dict(sys.modules))
    assert dict(first.specials) == {
        "__name__": "run",
        "__file__": spec.origin,
        "__cached__": spec.cached,
        "__doc__": None,
        "__loader__": spec.loader,
        "__package__": "bg_pkg",
        "__spec__": spec,
    }
    assert [k for k, _ in first.specials] == list(PROFILE.specials)
    assert (first.kept, first.overridden) == (("extra",), ("__name__",))
    assert first.behaviours() == ("RM-08", "RM-09", "RM-11", "RM-14", "RM-15")


def test_build_globals_explicit_package_wins_over_the_spec_parent(tree):
    tree({"bg2.py": ""})
    spec = importlib.util.find_spec("bg2")
    plan = build_globals(spec=spec, run_name="r", init_globals=None, pkg_name="given", profile=PROFILE)
    assert dict(plan.specials)["__package__"] == "given"
    assert (plan.kept, plan.overridden) == ((), ())


def test_build_globals_without_a_spec_uses_the_script_name():
    plan = build_globals(
        spec=None, run_name="<run_path>", init_globals={"a": 1}, pkg_name="", script_name="/x/s.py",
        profile=PROFILE,
    )
    assert dict(plan.specials) == {
        "__name__": "<run_path>", "__file__": "/x/s.py", "__cached__": None, "__doc__": None,
        "__loader__": None, "__package__": "", "__spec__": None,
    }
    assert plan.behaviours() == ("RP-11", "RP-12", "RP-13", "RP-14", "RP-15")


def test_build_globals_follows_the_profile_specials():
    profile = PROFILE.replace(specials=("__name__", "__file__"))
    plan = build_globals(spec=None, run_name="n", init_globals=None, script_name="f", profile=profile)
    assert plan.specials == (("__name__", "n"), ("__file__", "f"))


def test_build_globals_trace_names_the_spec(tree):
    tree({"bg3.py": ""})
    spec = importlib.util.find_spec("bg3")
    with tracing() as tracer:
        build_globals(spec=spec, run_name="r", init_globals={"k": 1, "__file__": 2}, profile=PROFILE)
    data = tracer.events[0].data
    assert data["specials"]["__spec__"] == "bg3"  # described in full by spec_found, named here
    assert data["specials"]["__loader__"] == "<SourceFileLoader>"
    assert (data["kept"], data["overridden"]) == (["k"], ["__file__"])


# -- alter_sys and restore ------------------------------------------------------------------------


def test_set_argv0_and_restore():
    sys.argv[:] = ["prog", "a"]
    with tracing() as tracer:
        applied = alter_sys(SetArgv0("/x.py"))
        assert sys.argv == ["/x.py", "a"]
        restore(applied)
    assert sys.argv == ["prog", "a"]
    assert [(e.event, e.data) for e in tracer.events] == [
        ("sys_changed", {"target": "sys.argv[0]", "action": "set", "before": "prog", "after": "/x.py",
                         "lasting": False}),
        ("sys_restored", {"target": "sys.argv[0]", "action": "set", "before": "/x.py", "after": "prog"}),
    ]
    assert tracer.events[0].behaviours == ("RM-17",)


def test_replace_argv_keeps_the_same_list_object():
    sys.argv[:] = ["prog", "-x"]
    argv = sys.argv
    applied = alter_sys(ReplaceArgv(("-m", "arg")))
    assert sys.argv is argv and argv == ["-m", "arg"]
    restore(applied)
    assert sys.argv is argv and argv == ["prog", "-x"]


def test_set_module_new_name_is_removed_on_restore():
    module = types.ModuleType("sm_new")
    with tracing() as tracer:
        applied = alter_sys(SetModule("sm_new", module))
        assert sys.modules["sm_new"] is module
        restore(applied)
    assert "sm_new" not in sys.modules
    assert tracer.events[0].data["before"] == "<absent>"
    assert tracer.events[0].data["after"] == "<module 'sm_new'>"
    assert tracer.events[1].data["after"] == "<absent>"


def test_set_module_existing_name_is_put_back():
    old, new = types.ModuleType("sm_old"), types.ModuleType("sm_old")
    sys.modules["sm_old"] = old
    applied = alter_sys(SetModule("sm_old", new))
    assert sys.modules["sm_old"] is new
    restore(applied)
    assert sys.modules["sm_old"] is old


def test_set_module_none_moves_the_entry_aside():
    old = types.ModuleType("sm_aside")
    sys.modules["sm_aside"] = old
    with tracing() as tracer:
        applied = alter_sys(SetModule("sm_aside", None))
        assert "sm_aside" not in sys.modules
        restore(applied)
    assert sys.modules["sm_aside"] is old
    assert tracer.events[0].data["after"] == "<absent>"


def test_set_module_restore_when_the_code_removed_it_itself():
    applied = alter_sys(SetModule("sm_gone", types.ModuleType("sm_gone")))
    del sys.modules["sm_gone"]
    with pytest.raises(KeyError, match="sm_gone"):  # as CPython's _TempModule does
        restore(applied)
    assert "sm_gone" not in sys.modules


def test_insert_path_and_restore_removes_the_first_equal_entry():
    sys.path[:] = ["/a", "/b"]
    with tracing() as tracer:
        applied = alter_sys(InsertPath("/entry"))
        assert sys.path == ["/entry", "/a", "/b"]
        sys.path.append("/entry")
        restore(applied)
    assert sys.path == ["/a", "/b", "/entry"]
    assert tracer.events[0].data == {
        "target": "sys.path[0]", "action": "inserted", "before": "/a", "after": "/entry", "lasting": False,
    }
    assert tracer.events[1].data == {"target": "sys.path[0]", "action": "removed", "before": "/entry", "after": "/a"}
    assert tracer.events[0].behaviours == ("RP-06", "RP-07")


def test_insert_path_restore_when_the_code_removed_it():
    sys.path[:] = ["/a"]
    applied = alter_sys(InsertPath("/entry"))
    sys.path.remove("/entry")
    restore(applied)
    assert sys.path == ["/a"]


def test_insert_path_replace_first():
    sys.path[:] = ["/cwd", "/lib"]
    applied = alter_sys(InsertPath("/script_dir", replace_first=True))
    assert sys.path == ["/script_dir", "/lib"]
    restore(applied)
    assert sys.path == ["/cwd", "/lib"]


def test_insert_path_replace_first_on_an_empty_path_inserts():
    sys.path[:] = []
    with tracing() as tracer:
        applied = alter_sys(InsertPath("/only", replace_first=True))
        assert sys.path == ["/only"]
        restore(applied)
    assert sys.path == []
    assert tracer.events[0].data["before"] == "<absent>"
    assert tracer.events[1].data["after"] == "<absent>"


def test_untraced_alter_sys_reads_nothing_for_the_trace():
    applied = alter_sys(SetArgv0("v"))
    assert isinstance(applied, Applied) and applied.change == SetArgv0("v")
    record = restore(applied)
    assert (record.before, record.after) == (None, None)
    assert repr(ABSENT) == "<absent>"


def test_altered_undoes_in_reverse_order():
    sys.argv[:] = ["prog"]
    sys.path[:] = ["/p"]
    with tracing() as tracer:
        three = SetModule("al_three", types.ModuleType("al_three"))
        with altered(SetArgv0("one"), InsertPath("/two"), three):
            assert sys.argv[0] == "one" and sys.path[0] == "/two" and "al_three" in sys.modules
    targets = [(e.event, e.data["target"]) for e in tracer.events]
    assert targets == [
        ("sys_changed", "sys.argv[0]"),
        ("sys_changed", "sys.path[0]"),
        ("sys_changed", "sys.modules['al_three']"),
        ("sys_restored", "sys.modules['al_three']"),
        ("sys_restored", "sys.path[0]"),
        ("sys_restored", "sys.argv[0]"),
    ]
    assert (sys.argv, sys.path, "al_three" in sys.modules) == (["prog"], ["/p"], False)


def test_altered_keeps_lasting_changes():
    sys.argv[:] = ["prog"]
    with tracing() as tracer:
        with altered(SetArgv0("kept", lasting=True), InsertPath("/undone")):
            pass
    assert sys.argv == ["kept"] and "/undone" not in sys.path
    assert [e.event for e in tracer.events] == ["sys_changed", "sys_changed", "sys_restored"]
    assert tracer.events[0].data["lasting"] is True


@pytest.mark.parametrize("exc", [ValueError("v"), SystemExit(3), KeyboardInterrupt()])
def test_altered_restores_on_every_way_out(exc):
    sys.argv[:] = ["prog"]
    with pytest.raises(type(exc)) as info:
        with altered(SetArgv0("temp"), SetModule("al_exc", types.ModuleType("al_exc"))):
            raise exc
    assert info.value is exc
    assert sys.argv == ["prog"] and "al_exc" not in sys.modules


def test_a_failing_restore_still_restores_the_others():
    sys.argv[:] = ["prog"]
    sys.path[:] = ["/p"]

    def flaky_restore(applied):
        if isinstance(applied.change, SetModule):
            raise RuntimeError("restore failed")
        return restore(applied)

    with tracing() as tracer, use_stages(restore=flaky_restore):
        with pytest.raises(RuntimeError, match="restore failed"):
            flaky = SetModule("al_flaky", types.ModuleType("al_flaky"))
            with altered(SetArgv0("a"), flaky, InsertPath("/x")):
                pass
    assert sys.argv == ["prog"] and sys.path == ["/p"]
    assert [e.data["target"] for e in events(tracer, "sys_restored")] == ["sys.path[0]", "sys.argv[0]"]
    del sys.modules["al_flaky"]


def test_a_failing_change_undoes_the_ones_already_made():
    sys.argv[:] = ["prog"]

    def flaky_alter(change):
        if isinstance(change, InsertPath):
            raise RuntimeError("cannot alter")
        return alter_sys(change)

    with use_stages(alter_sys=flaky_alter), pytest.raises(RuntimeError, match="cannot alter"):
        with altered(SetArgv0("a"), InsertPath("/x")):
            raise AssertionError("body must not run")
    assert sys.argv == ["prog"]


# -- exec ------------------------------------------------------------------------------------------


def test_exec_returned():
    namespace = {}
    with tracing() as tracer:
        finished = exec_code(compile("r = 42", "f", "exec"), namespace, name="m")
    assert namespace["r"] == 42
    assert (finished.outcome, finished.exception, finished.exit_code) == ("returned", None, None)
    assert [(e.event, e.data) for e in tracer.events] == [
        ("exec_started", {"name": "m", "namespace": "plain dict"}),
        ("exec_finished", {"name": "m", "outcome": "returned", "exception": None, "exit_code": None}),
    ]
    assert tracer.events[1].behaviours == ("RM-02",)


def test_exec_raised_propagates_the_same_exception():
    error = LookupError("mine")
    with tracing() as tracer, pytest.raises(LookupError) as info:
        code = compile("raise error", "f", "exec")
        active_stages().exec(code, {"error": error}, name="m")
    assert info.value is error
    finished = events(tracer, "exec_finished")[0]
    assert finished.data == {"name": "m", "outcome": "raised", "exception": "LookupError", "exit_code": None}
    assert finished.behaviours == ("ERR-12", "G-16")
    assert [e.event for e in tracer.events] == ["exec_started", "exec_finished"]  # reported once, by exec


@pytest.mark.parametrize("code", [3, 0, None, "bye"])
def test_exec_system_exit(code):
    with tracing() as tracer, pytest.raises(SystemExit) as info:
        exec_code(compile("raise SystemExit(c)", "f", "exec"), {"c": code}, name="m")
    assert info.value.code == code
    finished = events(tracer, "exec_finished")[0]
    assert finished.data == {"name": "m", "outcome": "exit", "exception": "SystemExit", "exit_code": code}


def test_exec_untraced_returns_the_record_and_emits_nothing():
    finished = exec_code(compile("", "f", "exec"), {}, name="m")
    assert finished.outcome == "returned"
    with pytest.raises(SystemExit):
        exec_code(compile("raise SystemExit(1)", "f", "exec"), {}, name="m")
    with pytest.raises(ValueError):
        exec_code(compile("raise ValueError", "f", "exec"), {}, name="m")


# -- stage failures and the stage table ---------------------------------------------------------------


def test_stage_failure_is_reported_once_with_catalogue_ids(tree):
    tree({"sf_nomain/__init__.py": ""})
    with tracing() as tracer, pytest.raises(Boom):
        _get_module_details("sf_nomain", Boom)
    failed = events(tracer, "stage_failed")
    # the inner find_spec failure, then pick_main's reworded error: one event each
    assert [(e.stage, e.data["error_type"], e.behaviours) for e in failed] == [
        ("find_spec", "Boom", ("ERR-01",)),
        ("pick_main", "Boom", ("ERR-04",)),
    ]


@pytest.mark.parametrize(
    ("make", "ids"),
    [
        (lambda: find_spec(".x", error=Boom, profile=PROFILE), ("RM-05", "ERR-06")),
        (lambda: find_spec("no_such_module_xyz", error=Boom, profile=PROFILE), ("ERR-01",)),
        (lambda: find_spec("no_such_pkg_xyz.sub", error=Boom, profile=PROFILE), ("ERR-02", "ERR-03")),
        (lambda: pick_main(SpecFound("fake", importlib.machinery.ModuleSpec("fake", FakeLoader(None))),
                           error=Boom, profile=PROFILE), ("ERR-08", "RM-26")),
        (lambda: pick_main(SpecFound("ghost", importlib.machinery.ModuleSpec("ghost", None)),
                           error=Boom, profile=PROFILE), ("ERR-09",)),
    ],
)
def test_each_failure_names_the_ids_the_raising_code_gives(make, ids):
    with tracing() as tracer, pytest.raises(Boom):
        make()
    assert [e.behaviours for e in events(tracer, "stage_failed")] == [ids]


def test_tracing_adds_nothing_to_the_exception():
    for traced in (False, True):
        with (tracing() if traced else use_stages()), pytest.raises(Boom) as info:
            find_spec(".x", error=Boom, profile=PROFILE)
        assert vars(info.value) == {} and info.value.__traceback__ is not None


def test_use_stages_rejects_unknown_names():
    with pytest.raises(TypeError, match=r"unknown stage\(s\) \['bogus', 'pick'\]; stages are \['find_spec'"):
        with use_stages(pick=pick_main, bogus=find_spec):
            raise AssertionError("must not enter")
    assert active_stages() is DEFAULT_STAGES


def test_use_stages_swaps_for_the_block_only_and_nests():
    def mine(*args, **kwargs):
        return exec_code(*args, **kwargs)

    with use_stages(exec=mine) as table:
        assert active_stages() is table and table.exec is mine
        assert table.find_spec is find_spec
        with use_stages(restore=restore) as inner:
            assert inner.exec is mine and inner.restore is restore
        assert active_stages() is table
    assert active_stages() is DEFAULT_STAGES


def test_a_students_failing_stage_shows_as_the_runs_ending(tree):
    root = tree({"upp.py": ""})

    def broken_pick_path(path, *, profile):
        raise ValueError("student bug")

    from runpy_ref import run_path

    assert active_stages().find_spec is find_spec  # the plain function: no wrapper
    with tracing() as tracer, use_stages(pick_path=broken_pick_path), pytest.raises(ValueError):
        run_path(str(root / "upp.py"))
    assert [e.event for e in tracer.events] == ["run_started", "run_finished"]
    assert tracer.events[-1].data["exception"] == "ValueError"


def test_use_stages_replacement_is_used_for_the_recursive_package_lookup(tree):
    tree({"us_pkg/__init__.py": "", "us_pkg/__main__.py": "ran = True"})
    asked = []

    def spy_find_spec(name, *, error, profile):
        asked.append(name)
        return find_spec(name, error=error, profile=profile)

    chosen_by = []

    def spy_pick_main(found, *, error, profile):
        chosen_by.append(found.name)
        return pick_main(found, error=error, profile=profile)

    from runpy_ref import run_module

    with use_stages(find_spec=spy_find_spec, pick_main=spy_pick_main):
        result = run_module("us_pkg")
    assert result["ran"] is True
    assert asked == ["us_pkg", "us_pkg.__main__"]
    assert chosen_by == ["us_pkg", "us_pkg.__main__"]


def test_use_stages_student_pick_main_result_is_what_runs(tree):
    tree({"us_a.py": "which = 'a'", "us_b.py": "which = 'b'"})

    def always_b(found, *, error, profile):
        spec = importlib.util.find_spec("us_b")
        return MainChoice("us_b", spec, "student", spec.loader.get_code("us_b"))

    from runpy_ref import run_module

    with use_stages(pick_main=always_b):
        assert run_module("us_a")["which"] == "b"
    assert run_module("us_a")["which"] == "a"


def test_profiles_exist_for_every_supported_version():
    assert list(PROFILES) == ["2.5", "2.6", "2.7", "3.0", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8",
                              "3.9", "3.10", "3.11", "3.12", "3.13"]


def test_every_stage_is_reached_through_the_table_by_every_entry_point(tree, capsys):
    root = tree({"wp_pkg/__init__.py": "", "wp_pkg/__main__.py": "v = 1", "wp_dir/__main__.py": "w = 2"})
    calls: list[str] = []

    def spy(name):
        real = getattr(DEFAULT_STAGES, name)

        def stage_fn(*args, **kwargs):
            calls.append(name)
            return real(*args, **kwargs)

        return stage_fn

    from runpy_ref import cli, run_module, run_path

    entry_points = {
        "run_module": lambda: run_module("wp_pkg", alter_sys=True),
        "run_path": lambda: run_path(str(root / "wp_dir")),
        "cli -m": lambda: cli.main(["wp_pkg"]),
        "cli --path": lambda: cli.main(["--path", str(root / "wp_dir")]),
    }
    seen = {}
    for label, call in entry_points.items():
        calls.clear()
        with use_stages(**{name: spy(name) for name in STAGE_NAMES}):
            call()
        seen[label] = (set(calls), calls.count("find_spec"))
    everything = set(STAGE_NAMES)
    assert seen == {
        # a package: find_spec for wp_pkg, then (recursively) for wp_pkg.__main__
        "run_module": (everything - {"pick_path"}, 2),
        "cli -m": (everything - {"pick_path"}, 2),
        # a directory: pick_path, then one lookup of __main__ on the new sys.path[0]
        "run_path": (everything, 1),
        "cli --path": (everything, 1),
    }


def test_init_globals_keys_of_none_is_empty():
    assert init_globals_keys(None) == ()


def test_a_module_entry_the_code_deleted_itself_fails_its_restore_with_key_error(tree):
    # CPython's _TempModule deletes the entry with `del`: KeyError (2.7, 3.9 and 3.13, run).
    tree({"selfdel.py": "import sys\ndel sys.modules[__name__]\n"})
    sys.argv[:] = ["prog"]
    from runpy_ref import run_module

    with pytest.raises(KeyError, match="selfdel"):
        run_module("selfdel", alter_sys=True)
    assert sys.argv == ["prog"] and "selfdel" not in sys.modules  # the other change was undone
