"""run_module, run_path and CPython's private helpers, end to end (traced and not)."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import types
import zipfile

import pytest

import runpy_ref
from runpy_ref.private import _ModifiedArgv0, _TempModule
from runpy_ref.profiles import active_profile
from runpy_ref.stages import find_spec, use_stages
from runpy_ref.trace import tracing

pytestmark = pytest.mark.usefixtures("clean_sys")

SPY = """
import sys
seen_argv0 = sys.argv[0]
seen_path0 = sys.path[0]
seen_module = sys.modules.get(__name__)
seen_main = sys.modules.get("__main__")
"""


def specials(namespace):
    keys = ("__name__", "__file__", "__cached__", "__doc__", "__loader__", "__package__", "__spec__")
    return {key: namespace[key] for key in keys}


# -- run_module --------------------------------------------------------------------------


def test_run_module_returns_globals_and_leaves_sys_alone(tree):
    root = tree({"rm_a.py": SPY + "value = 7"})
    before = (list(sys.argv), list(sys.path), dict(sys.modules))
    result = runpy_ref.run_module("rm_a")
    assert result["value"] == 7
    spec = result["__spec__"]
    assert specials(result) == {
        "__name__": "rm_a", "__file__": str(root / "rm_a.py"), "__cached__": spec.cached, "__doc__": None,
        "__loader__": spec.loader, "__package__": "", "__spec__": spec,
    }
    assert spec.name == "rm_a"
    assert result["seen_argv0"] == before[0][0] and result["seen_module"] is None
    assert (list(sys.argv), list(sys.path)) == before[:2]
    assert "rm_a" not in sys.modules


def test_run_module_run_name_and_init_globals(tree):
    tree({"rm_b.py": "echo = extra; name_seen = __name__"})
    init = {"extra": "given", "__name__": "loses", "__doc__": "loses too"}
    result = runpy_ref.run_module("rm_b", init_globals=init, run_name="chosen")
    assert (result["echo"], result["name_seen"], result["__doc__"]) == ("given", "chosen", None)
    assert init == {"extra": "given", "__name__": "loses", "__doc__": "loses too"}


def test_run_module_alter_sys(tree):
    root = tree({"rm_c.py": SPY})
    sys.argv[:] = ["prog", "arg"]
    result = runpy_ref.run_module("rm_c", run_name="rm_c_run", alter_sys=True)
    assert result["seen_argv0"] == str(root / "rm_c.py")
    assert isinstance(result["seen_module"], types.ModuleType)
    assert result["seen_module"].__name__ == "rm_c_run"
    assert sys.argv == ["prog", "arg"] and "rm_c_run" not in sys.modules


def test_run_module_alter_sys_restores_an_existing_entry(tree):
    tree({"rm_d.py": "raise ValueError('inside')"})
    existing = types.ModuleType("rm_d_existing")
    sys.modules["rm_d_existing"] = existing
    with pytest.raises(ValueError, match="inside"):
        runpy_ref.run_module("rm_d", run_name="rm_d_existing", alter_sys=True)
    assert sys.modules["rm_d_existing"] is existing


def test_run_module_package_runs_its_main(tree):
    tree({"rm_pkg/__init__.py": "", "rm_pkg/__main__.py": "from . import helper\nuse = helper.X",
          "rm_pkg/helper.py": "X = 'relative import works'"})
    result = runpy_ref.run_module("rm_pkg")
    assert result["use"] == "relative import works"
    assert (result["__name__"], result["__package__"], result["__spec__"].name) == (
        "rm_pkg.__main__", "rm_pkg", "rm_pkg.__main__",
    )


def test_run_module_errors_are_import_errors(tree):
    tree({"rm_nomain/__init__.py": ""})
    with pytest.raises(ImportError, match=r"^No module named rm_missing$"):
        runpy_ref.run_module("rm_missing")
    with pytest.raises(ImportError, match="'rm_nomain' is a package and cannot be directly executed"):
        runpy_ref.run_module("rm_nomain")
    with pytest.raises(ImportError, match=r"^Relative module names not supported$"):
        runpy_ref.run_module(".rel")


def test_run_module_system_exit_passes_through(tree):
    tree({"rm_exit.py": "import sys; sys.exit(3)"})
    with pytest.raises(SystemExit) as info:
        runpy_ref.run_module("rm_exit", alter_sys=True)
    assert info.value.code == 3


class HostileKey:
    def __str__(self):
        raise RuntimeError("str")

    __repr__ = __str__


def test_run_module_with_a_hostile_init_globals_key_is_traced(tree):
    # Untraced, such a key is harmless; tracing must not change that.
    tree({"rm_host.py": "ok = True"})
    with tracing() as tracer:
        result = runpy_ref.run_module("rm_host", init_globals={HostileKey(): 1, "plain": 2})
    assert result["ok"] is True
    started = tracer.events[0]
    assert started.data["init_globals"] == ["<HostileKey object; repr raised RuntimeError>", "plain"]


# -- run_path --------------------------------------------------------------------------------


def test_run_path_file(tree):
    root = tree({"rp_file.py": SPY + "v = 1"})
    script = str(root / "rp_file.py")
    sys.argv[:] = ["prog"]
    result = runpy_ref.run_path(script)
    assert specials(result) == {
        "__name__": "<run_path>", "__file__": script, "__cached__": None, "__doc__": None,
        "__loader__": None, "__package__": "", "__spec__": None,
    }
    assert result["seen_argv0"] == script
    assert isinstance(result["seen_module"], types.ModuleType)
    assert sys.argv == ["prog"] and "<run_path>" not in sys.modules


def test_run_path_file_with_dotted_run_name_sets_package(tree):
    root = tree({"rp_pkgname.py": ""})
    result = runpy_ref.run_path(str(root / "rp_pkgname.py"), run_name="outer.inner")
    assert (result["__name__"], result["__package__"]) == ("outer.inner", "outer")


def test_run_path_accepts_path_objects(tree):
    root = tree({"rp_pathobj.py": "v = 2"})
    assert runpy_ref.run_path(pathlib.Path(root / "rp_pathobj.py"))["v"] == 2


def test_run_path_directory(tree):
    root = tree({"rp_dir/__main__.py": SPY + "v = 3"})
    directory = str(root / "rp_dir")
    main_before = sys.modules["__main__"]
    path_before = list(sys.path)
    result = runpy_ref.run_path(directory)
    assert result["v"] == 3
    assert result["seen_path0"] == directory
    assert result["seen_argv0"] == directory
    assert result["seen_main"] is main_before  # moved aside only during the lookup (RP-10)
    assert result["__spec__"].name == "__main__"
    assert result["__file__"] == os.path.join(directory, "__main__.py")
    assert sys.path == path_before and sys.modules["__main__"] is main_before


def test_run_path_zip(tree):
    root = tree({})
    archive = root / "rp.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("__main__.py", SPY + "v = 4")
    result = runpy_ref.run_path(str(archive))
    assert result["v"] == 4
    assert result["seen_path0"] == str(archive)
    assert result["__file__"] == os.path.join(str(archive), "__main__.py")


def test_run_path_directory_without_main(tree):
    root = tree({"rp_empty/readme.txt": "nothing to run"})
    directory = str(root / "rp_empty")
    path_before = list(sys.path)
    with pytest.raises(ImportError) as info:
        runpy_ref.run_path(directory)
    assert str(info.value) == f"can't find '__main__' module in {directory!r}"
    assert sys.path == path_before


def test_run_path_lookup_error_not_about_main_passes_through(tree):
    root = tree({"rp_other/__main__.py": ""})

    def failing(name, *, error, profile):
        raise ImportError("unrelated failure")

    with use_stages(find_spec=failing), pytest.raises(ImportError, match=r"^unrelated failure$"):
        runpy_ref.run_path(str(root / "rp_other"))


def test_run_path_missing_file():
    with pytest.raises(FileNotFoundError):
        runpy_ref.run_path("/nonexistent/runpy_ref/file.py")


# -- nesting and tracing through the pipeline ------------------------------------------------


def test_nested_run_module_is_run_two_with_parent_one(tree):
    tree({"nest_outer.py": "import runpy_ref\ninner = runpy_ref.run_module('nest_inner')['v']",
          "nest_inner.py": "v = 'inner ran'"})
    with tracing() as tracer:
        result = runpy_ref.run_module("nest_outer")
    assert result["inner"] == "inner ran"
    starts = [(e.run, e.parent, e.depth, e.data["target"]) for e in tracer.events if e.event == "run_started"]
    assert starts == [(1, None, 0, "nest_outer"), (2, 1, 1, "nest_inner")]
    inner = [e for e in tracer.events if e.run == 2]
    assert {(e.parent, e.depth) for e in inner} == {(1, 1)}
    assert inner[0].event == "run_started" and inner[-1].event == "run_finished"
    assert tracer.events[-1].run == 1 and tracer.events[-1].event == "run_finished"


@pytest.mark.parametrize(
    ("source", "outcome", "exception"),
    [("pass", "returned", None), ("raise KeyError('k')", "raised", "KeyError"),
     ("raise SystemExit(3)", "exit", "SystemExit(3)")],
)
def test_run_finished_outcome(tree, source, outcome, exception):
    tree({"outcome_mod.py": source})
    with tracing() as tracer:
        try:
            runpy_ref.run_module("outcome_mod")
        except (KeyError, SystemExit):
            pass
    finished = tracer.events[-1]
    assert finished.event == "run_finished"
    assert finished.data == {"api": "run_module", "outcome": outcome, "exception": exception}


def test_restore_events_are_emitted_when_the_code_raises(tree):
    tree({"raiser.py": "raise ValueError('x')"})
    with tracing() as tracer, pytest.raises(ValueError):
        runpy_ref.run_module("raiser", alter_sys=True)
    names = [e.event for e in tracer.events]
    assert names[-4:] == ["exec_finished", "sys_restored", "sys_restored", "run_finished"]
    assert "stage_failed" not in names  # the code's own exception is reported once, by exec


# -- private helpers -----------------------------------------------------------------------


def test_get_module_details(tree):
    root = tree({"gmd.py": "x = 1"})
    name, spec, code = runpy_ref._get_module_details("gmd")
    assert (name, spec.origin, code.co_filename) == ("gmd", str(root / "gmd.py"), str(root / "gmd.py"))
    with pytest.raises(runpy_ref._Error):
        runpy_ref._get_module_details("gmd_absent", runpy_ref._Error)


def test_get_main_module_details_with_the_callers_error_class(tree):
    root = tree({"gmmd/x.txt": ""})
    sys.path.insert(0, str(root / "gmmd"))
    with pytest.raises(runpy_ref._Error) as info:
        runpy_ref._get_main_module_details(runpy_ref._Error)
    assert str(info.value) == f"can't find '__main__' module in {str(root / 'gmmd')!r}"


def test_run_code_in_a_given_dict_and_in_main():
    code = compile("out = __name__, __file__, __package__", "f", "exec")
    namespace = {}
    with tracing() as tracer:
        result = runpy_ref._run_code(code, namespace, {"k": 1}, "given", None, "pkg", "/s.py")
    assert result is namespace and result["out"] == ("given", "/s.py", "pkg") and result["k"] == 1
    main = types.ModuleType("__main__")
    sys.modules["__main__"] = main
    with tracing() as tracer2:
        runpy_ref._run_code(code, main.__dict__, None, "__main__")
    kinds = [e.data["namespace"] for t in (tracer, tracer2) for e in t.events if e.event == "exec_started"]
    assert kinds == ["plain dict", "__main__ module"]


def test_run_module_code_uses_a_temporary_module(tree):
    root = tree({"rmc.py": SPY})
    spec = find_spec("rmc", error=ImportError, profile=active_profile()).spec
    code = spec.loader.get_code("rmc")
    sys.argv[:] = ["prog"]
    result = runpy_ref._run_module_code(code, None, "rmc_name", spec)
    assert result["seen_argv0"] == str(root / "rmc.py")
    assert result["seen_module"].__name__ == "rmc_name"
    assert sys.argv == ["prog"] and "rmc_name" not in sys.modules
    script = runpy_ref._run_module_code(compile(SPY, "s", "exec"), None, "rmc2", None, None, "/script.py")
    assert script["seen_argv0"] == "/script.py"


def test_run_module_as_main(tree):
    root = tree({"rmam.py": SPY + "name = __name__"})
    main = types.ModuleType("__main__")
    sys.modules["__main__"] = main
    sys.argv[:] = ["-m", "arg"]
    result = runpy_ref._run_module_as_main("rmam")
    assert result is main.__dict__ and result["name"] == "__main__"
    assert result["seen_argv0"] == str(root / "rmam.py")
    assert sys.argv == [str(root / "rmam.py"), "arg"]  # lasting, as python -m


def test_run_module_as_main_missing_module_exits_with_one_line():
    with pytest.raises(SystemExit) as info:
        runpy_ref._run_module_as_main("rmam_missing")
    assert info.value.code == f"{sys.executable}: No module named rmam_missing"


def test_run_module_as_main_directory_mode(tree):
    root = tree({"rmam_dir/__main__.py": "where = __file__"})
    sys.path.insert(0, str(root / "rmam_dir"))
    main = types.ModuleType("__main__")
    sys.modules["__main__"] = main
    sys.argv[:] = ["rmam_dir"]
    result = runpy_ref._run_module_as_main("__main__", alter_argv=False)
    assert result["where"] == os.path.join(str(root / "rmam_dir"), "__main__.py")
    assert sys.argv == ["rmam_dir"]


def test_get_code_from_file_has_the_host_signature(tree):
    root = tree({"gcff.py": "x = 5"})
    fname = str(root / "gcff.py")
    if active_profile().code_from_file_returns_name:
        code, name = runpy_ref._get_code_from_file("run", fname)
        assert name == fname
    else:
        code = runpy_ref._get_code_from_file(fname)
    namespace = {}
    exec(code, namespace)
    assert namespace["x"] == 5


def test_get_code_from_file_other_signature(tree, monkeypatch):
    root = tree({"gcff2.py": "x = 6"})
    fname = str(root / "gcff2.py")
    flipped = not active_profile().code_from_file_returns_name
    with runpy_ref.as_of(active_profile().replace(code_from_file_returns_name=flipped)):
        result = runpy_ref._get_code_from_file("run", fname) if flipped else runpy_ref._get_code_from_file(fname)
    code = result[0] if flipped else result
    assert code.co_filename == fname


# -- compat ----------------------------------------------------------------------------------


def test_temp_module():
    with tracing() as tracer:
        with _TempModule("tm_name") as temp:
            assert sys.modules["tm_name"] is temp.module
        assert "tm_name" not in sys.modules
    assert [e.event for e in tracer.events] == ["sys_changed", "sys_restored"]
    temp.__exit__(None, None, None)  # a second exit is harmless


def test_modified_argv0_is_not_reentrant():
    sys.argv[:] = ["prog"]
    modified = _ModifiedArgv0("new")
    with modified:
        assert sys.argv[0] == "new"
        with pytest.raises(RuntimeError, match="Already preserving saved value"):
            with modified:
                pass
    assert sys.argv == ["prog"]
    modified.__exit__(None, None, None)
    assert sys.argv == ["prog"]


def test_public_surface():
    assert runpy_ref.__all__ == ["run_module", "run_path"]
    for name in ("_run_code", "_run_module_code", "_get_module_details", "_run_module_as_main",
                 "_get_main_module_details", "_get_code_from_file", "_Error", "_TempModule",
                 "_ModifiedArgv0", "tracing", "use_stages", "Stages", "TraceSinkError", "Event"):
        assert hasattr(runpy_ref, name), name


@pytest.mark.parametrize(
    ("init_globals", "traced_keys", "seen"),
    [
        ([("a", 1)], ["a"], ["a"]),  # pairs: dict.update accepts them, so runpy does
        (iter([("b", 2)]), [], ["b"]),  # a one-shot iterator is not read for the trace
    ],
)
def test_init_globals_that_are_not_a_mapping(tree, init_globals, traced_keys, seen):
    tree({"ig_pairs.py": "seen = sorted(k for k in globals() if not k.startswith('__'))"})
    with tracing() as tracer:
        result = runpy_ref.run_module("ig_pairs", init_globals=init_globals)
    assert result["seen"] == seen
    assert tracer.events[0].data["init_globals"] == traced_keys
    plan = next(e for e in tracer.events if e.event == "globals_built")
    assert plan.data["kept"] == traced_keys


@pytest.mark.parametrize(
    ("init_globals", "message"),
    [(5, "'int' object is not iterable"),
     ([1], "cannot convert dictionary update sequence element #0 to a sequence")],
)
def test_init_globals_that_update_rejects_fail_as_in_cpython(tree, init_globals, message):
    tree({"ig_bad.py": ""})
    with tracing(), pytest.raises(TypeError) as info:
        runpy_ref.run_module("ig_bad", init_globals=init_globals)
    assert str(info.value) == message


def test_run_code_with_something_that_is_not_a_spec_is_traced():
    class NotASpec:
        def __repr__(self):
            return "<NotASpec>"

        @property
        def name(self):
            raise RuntimeError("no name")

        loader = origin = cached = parent = None

    with tracing() as tracer:
        result = runpy_ref._run_code(compile("", "f", "exec"), {}, None, "m", NotASpec())
    assert isinstance(result["__spec__"], NotASpec)
    plan = next(e for e in tracer.events if e.event == "globals_built")
    assert plan.data["specials"]["__spec__"] == "<NotASpec>"


def test_the_tracer_and_the_private_context_managers_load_on_first_use():
    """An untraced ``python -m runpy_ref`` imports neither the tracer nor the sinks."""
    code = (
        "import sys, runpy_ref\n"
        "lazy = ('runpy_ref.trace.tracer', 'runpy_ref.trace.plain_data', 'runpy_ref.trace.events', 'runpy_ref.sinks')\n"
        "print(sorted(m for m in lazy if m in sys.modules))\n"
        "assert runpy_ref.tracing.__module__ == 'runpy_ref.trace.tracer'\n"
        "assert runpy_ref._TempModule.__module__ == 'runpy_ref.private'\n"
        "names = {'tracing', 'Event', 'TraceSinkError', '_ModifiedArgv0', 'run_module'}\n"
        "assert names <= set(dir(runpy_ref))\n"
        "try:\n"
        "    runpy_ref.no_such_name\n"
        "except AttributeError as exc:\n"
        "    print(exc)\n"
    )
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    out = done.stdout
    assert out.splitlines() == ["[]", "module 'runpy_ref' has no attribute 'no_such_name'"]


def test_an_unknown_attribute_of_the_package_is_an_attribute_error():
    with pytest.raises(AttributeError, match="module 'runpy_ref' has no attribute 'no_such_name'"):
        runpy_ref.no_such_name  # noqa: B018
    assert runpy_ref.Event.__module__ == "runpy_ref.trace.events"
