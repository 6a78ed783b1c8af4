"""Scenarios: small runs of runpy that the grader makes twice, reference and student.

Each scenario is one call (``run_module``, ``run_path`` or
``_run_module_as_main``) on a fixture tree written to a temporary directory.
The grader never states what the answer *should* be: it runs the scenario
with the reference implementation and with the student's, and compares the
two observations, which are plain data: how the call ended, the globals it
returned, what the code saw of ``sys`` while it ran, what it printed, the
warnings, and the state of ``sys`` afterwards.  The reference itself is held
to CPython by the conformance suite.
"""

from __future__ import annotations

import contextlib
import io
import os
import pathlib
import py_compile
import sys
import traceback
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from ..trace import plain

__all__ = ["FIXTURE", "SCENARIOS", "Scenario", "materialise", "observe"]

# What the code saw while it ran: the part of sys that alter_sys changes.
_SEEN = (
    "import sys as _sys\n"
    "_me = _sys.modules.get(__name__)\n"
    "import os as _os\n"
    "seen = {'argv': list(_sys.argv), 'path0': _sys.path[0], 'cwd_on_path': _os.getcwd() in _sys.path,\n"
    "        'registered': _me is not None and vars(_me) is globals(),\n"
    "        'main_registered': '__main__' in _sys.modules}\n"
    "del _me, _os\n"
)

FIXTURE: dict[str, str] = {
    "top.py": '"""A top-level module."""\n' + _SEEN + "answer = 42\nprint('top ran as', __name__)\n",
    "pkg/__init__.py": "INIT = 'pkg imported'\n",
    "pkg/__main__.py": "from . import helper\n" + _SEEN + "message = helper.MESSAGE\nprint(message, seen)\n",
    "pkg/helper.py": "MESSAGE = 'hello from pkg.helper'\n",
    "pkg/sub.py": _SEEN + "where = __name__\n",
    "nomain/__init__.py": "",
    "mainpkg/__init__.py": "",
    "mainpkg/__main__/__init__.py": "",
    "badparent/__init__.py": "raise ValueError('badparent refuses to be imported')\n",
    "badparent/child.py": "x = 1\n",
    "brokenimport/__init__.py": "import no_such_module_inside_brokenimport\n",
    "brokenimport/child.py": "x = 1\n",
    "selfbroken/__init__.py": "raise ImportError('selfbroken cannot start', name='selfbroken')\n",
    "ns/mod.py": _SEEN + "inside = 'namespace package'\n",
    "boom.py": _SEEN + "raise KeyError('boom')\n",
    "leave.py": _SEEN + "raise SystemExit(3)\n",
    "stop.py": _SEEN + "class Stop(BaseException):\n    pass  # not an Exception, like KeyboardInterrupt\n\n"
               "raise Stop('the program stops itself')\n",
    "app/__main__.py": _SEEN + "print('app ran as', __name__, seen)\n",
    "app_removes/__main__.py": "import sys\nsys.path.remove(sys.path[0])\nremoved = True\n",
    "emptydir/": "",
    "script.py": "# -*- coding: latin-1 -*-\n" + _SEEN + "text = 'caf\xe9'\n",
    "compiled_src.py": _SEEN + "compiled = True\n",
}
"""The fixture tree: relative path -> source text (a trailing ``/`` makes an empty directory)."""

COMPILED = ("compiled_src.py", "compiled.bin")
"""``compiled.bin``: bytecode without the usual suffix (RP-04: no suffix is required)."""

FIXTURE_NAMES = ("top", "pkg", "nomain", "mainpkg", "badparent", "brokenimport", "ns", "boom", "leave",
                 "stop", "selfbroken")
WATCHED_KEYS = ("__main__", "<run_path>", "custom", "a.b.c")


def materialise(root: Path) -> None:
    """Write the fixture tree under ``root`` (latin-1 where a file says so)."""
    for rel, text in FIXTURE.items():
        path = root / rel
        if rel.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("latin-1" if "latin-1" in text else "utf-8"))
    py_compile.compile(str(root / COMPILED[0]), cfile=str(root / COMPILED[1]), doraise=True)


@dataclass(frozen=True)
class Scenario:
    """One call, with the catalogue entries it exercises (most telling first)."""

    id: str
    title: str
    behaviours: tuple[str, ...]
    call: Callable[[Any], Any]
    setup: Callable[[], None] = field(default=lambda: None)
    as_main: bool = False
    """Run with a fresh ``__main__`` module and ``sys.argv == ['-m', 'arg1']``, like ``python -m``."""
    path0: str | None = None
    """Fixture subdirectory put at ``sys.path[0]`` instead of the fixture root."""
    stage_only: bool = False
    """Uses runpy_ref's command line, so only for the stage exercises."""
    lesson: str = ""
    """What a failure here usually means, in the lessons' words (shown with the failure)."""


def _pre_import_sub() -> None:
    __import__("pkg.sub")


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("rm-top", "run_module('top')", ("RM-02", "RM-08", "RM-09", "RM-11", "RM-14", "RM-20"),
             lambda api: api.run_module("top")),
    Scenario("rm-package", "run_module('pkg'): a package runs its __main__",
             ("RM-06", "RM-12", "RM-14", "RM-03"), lambda api: api.run_module("pkg")),
    Scenario("rm-submodule", "run_module('pkg.sub', run_name='__main__')", ("RM-03", "RM-08", "RM-14"),
             lambda api: api.run_module("pkg.sub", run_name="__main__")),
    Scenario("rm-relative", "run_module('.top'): a relative name", ("RM-05",),
             lambda api: api.run_module(".top")),
    Scenario("rm-missing", "run_module('no_such_module_here')", ("ERR-01",),
             lambda api: api.run_module("no_such_module_here")),
    Scenario("rm-missing-parent", "run_module('no_such_pkg.sub'): the parent does not exist", ("ERR-02",),
             lambda api: api.run_module("no_such_pkg.sub")),
    Scenario("rm-parent-raises", "run_module('badparent.child'): the parent's __init__ raises ValueError",
             ("RM-25", "CLI-18"), lambda api: api.run_module("badparent.child")),
    Scenario("rm-parent-import-error",
             "run_module('brokenimport.child'): the parent's __init__ raises its own ImportError",
             ("RM-25", "ERR-03"), lambda api: api.run_module("brokenimport.child")),
    Scenario("rm-py-suffix", "run_module('top.py'): a file name given as a module name", ("ERR-07", "CLI-25"),
             lambda api: api.run_module("top.py")),
    Scenario("rm-already-imported", "run_module('pkg.sub') after pkg.sub was imported", ("RM-24",),
             lambda api: api.run_module("pkg.sub"), setup=_pre_import_sub),
    Scenario("rm-no-main", "run_module('nomain'): a package without __main__", ("ERR-04",),
             lambda api: api.run_module("nomain")),
    Scenario("rm-package-fails-to-import",
             "run_module('selfbroken'): the package itself cannot be imported", ("ERR-04", "ERR-03"),
             lambda api: api.run_module("selfbroken"),
             lesson="the 'is a package and cannot be directly executed' suffix is only for a package that "
                    "was imported; when the package itself failed, the error goes out as it is"),
    Scenario("rm-main-package", "run_module('mainpkg'): a package whose __main__ is a package",
             ("RM-22", "ERR-05"), lambda api: api.run_module("mainpkg")),
    Scenario("rm-main-package-direct", "run_module('mainpkg.__main__'): the __main__ package itself",
             ("RM-22", "ERR-05"), lambda api: api.run_module("mainpkg.__main__")),
    Scenario("rm-builtin", "run_module('sys'): a built-in module has no code", ("RM-26", "ERR-08"),
             lambda api: api.run_module("sys")),
    Scenario("rm-namespace-module", "run_module('ns.mod'): a module in a namespace package", ("RM-23",),
             lambda api: api.run_module("ns.mod")),
    Scenario("rm-namespace-package", "run_module('ns'): a namespace package without __main__",
             ("RM-23", "ERR-04"), lambda api: api.run_module("ns")),
    Scenario("rm-init-globals", "run_module('top', init_globals={...}, run_name='custom')",
             ("RM-15", "RM-16", "RM-08", "RM-14"),
             lambda api: _with_given(api.run_module, "top", run_name="custom")),
    Scenario("rm-run-name-main", "run_module('pkg', run_name='__main__'): __spec__ is not run_name's",
             ("RM-14", "RM-08", "RM-11"), lambda api: api.run_module("pkg", run_name="__main__")),
    Scenario("rm-alter-sys", "run_module('top', alter_sys=True)", ("RM-17", "G-14"),
             lambda api: api.run_module("top", alter_sys=True)),
    Scenario("rm-alter-sys-main", "run_module('pkg.sub', run_name='__main__', alter_sys=True)",
             ("RM-19", "RM-17"), lambda api: api.run_module("pkg.sub", run_name="__main__", alter_sys=True)),
    Scenario("rm-raises", "run_module('boom', alter_sys=True): the code raises KeyError",
             ("RM-18", "ERR-12"), lambda api: api.run_module("boom", alter_sys=True)),
    Scenario("rm-exits", "run_module('leave', alter_sys=True): the code raises SystemExit(3)",
             ("RM-18", "ERR-12"), lambda api: api.run_module("leave", alter_sys=True),
             lesson="SystemExit must reach the caller as it is (catch it before the general case, "
                    "record it, re-raise it with a bare `raise`): python -m exits with the program's status"),
    Scenario("rm-base-exception",
             "run_module('stop', alter_sys=True): the code raises Stop, a BaseException that is not "
             "an Exception",
             ("ERR-12", "G-16", "RM-18"), lambda api: api.run_module("stop", alter_sys=True),
             lesson="`except Exception` does not see this ending: Stop derives from BaseException, as "
                    "KeyboardInterrupt does; catch BaseException to record every way the code can end"),
    Scenario("rp-file", "run_path('script.py'): a latin-1 source file", ("RP-03", "RP-04", "RP-13", "RP-14",
             "RP-15", "RP-18", "RP-19", "RP-12"), lambda api: api.run_path("script.py")),
    Scenario("rp-bytecode", "run_path('compiled.bin'): bytecode with no .pyc suffix", ("RP-04", "RP-03"),
             lambda api: api.run_path("compiled.bin")),
    Scenario("rp-pathlike", "run_path(pathlib.Path('script.py'))", ("RP-22",),
             lambda api: api.run_path(pathlib.Path("script.py"))),
    Scenario("rp-directory", "run_path('app'): a directory with __main__.py", ("RP-06", "RP-16", "RP-17",
             "RP-18", "RP-10", "RP-05"), lambda api: api.run_path("app")),
    Scenario("rp-directory-run-name", "run_path('app', run_name='a.b.c')", ("RP-21", "RP-17", "RP-16"),
             lambda api: _with_given(api.run_path, "app", run_name="a.b.c")),
    Scenario("rp-no-main", "run_path('emptydir'): a directory without __main__", ("ERR-10", "RP-08"),
             lambda api: api.run_path("emptydir")),
    Scenario("rp-entry-removed", "run_path('app_removes'): the code removes its own sys.path entry",
             ("RP-07", "RP-06"), lambda api: api.run_path("app_removes")),
    Scenario("rp-missing-file", "run_path('missing.py'): no such file", ("ERR-11", "RP-05"),
             lambda api: api.run_path("missing.py")),
    Scenario("main-package", "_run_module_as_main('pkg'), as for python -m pkg arg1",
             ("CLI-03", "CLI-05", "CLI-08", "CLI-16"), lambda api: api._run_module_as_main("pkg"),
             as_main=True),
    Scenario("main-module", "_run_module_as_main('top'), as for python -m top arg1",
             ("CLI-03", "CLI-08", "CLI-16", "CLI-01"), lambda api: api._run_module_as_main("top"),
             as_main=True),
    Scenario("main-error", "_run_module_as_main('nomain'): python -m on a package without __main__",
             ("CLI-17", "ERR-04"), lambda api: api._run_module_as_main("nomain"), as_main=True,
             lesson="under python -m a failed lookup is one line and exit status 1, not a traceback: raise "
                    "the `error` class the stage receives, never ImportError itself"),
    Scenario("main-missing", "_run_module_as_main('no_such_module_here'): python -m on a missing module",
             ("CLI-17", "ERR-01"), lambda api: api._run_module_as_main("no_such_module_here"), as_main=True,
             lesson="under python -m a failed lookup is one line and exit status 1, not a traceback: raise "
                    "the `error` class the stage receives, never ImportError itself"),
    Scenario("main-directory", "_run_module_as_main('__main__', alter_argv=False), as for python app",
             ("CLI-21", "CLI-22", "RP-10"),
             lambda api: api._run_module_as_main("__main__", alter_argv=False), as_main=True, path0="app"),
    Scenario("cli-module", "python -m runpy_ref pkg x (the command line, in-process)",
             ("CLI-09", "CLI-14", "CLI-08", "CLI-03"), lambda api: api.cli_main(["pkg", "x"]),
             stage_only=True),
    Scenario("cli-directory", "python -m runpy_ref --path app y (the command line, in-process)",
             ("CLI-21", "CLI-22", "CLI-08"), lambda api: api.cli_main(["--path", "app", "y"]),
             stage_only=True),
)


def _with_given(fn: Callable[..., Any], target: str, **kwargs: Any) -> Any:
    """Call with an init_globals dict holding specials and extras; report the dict afterwards too."""
    given = {"__name__": "given", "__file__": "given.py", "__doc__": "given", "extra": 1, "other": [1, 2]}
    before = dict(given)
    result = fn(target, init_globals=given, **kwargs)
    return result, {"init_globals_unchanged": given == before}


# -- running one scenario in a sandbox ---------------------------------------------


@contextlib.contextmanager
def _sandbox(root: Path, scenario: Scenario) -> Iterator[dict[str, Any]]:
    """Give the scenario a clean, known ``sys``; take everything back afterwards.

    The student's code may break ``sys`` in any way (that is what some
    scenarios look for), so the state is saved here by copy and restored by
    force, not through any stage.
    """
    saved_argv_obj, saved_argv = sys.argv, list(sys.argv)
    saved_path_obj, saved_path = sys.path, list(sys.path)
    saved_modules = dict(sys.modules)
    saved_cwd = os.getcwd()
    saved_dont_write = sys.dont_write_bytecode
    saved_importers = dict(sys.path_importer_cache)
    state: dict[str, Any] = {}
    try:
        sys.dont_write_bytecode = True
        # Finders are cached by sys.path entry, and a relative entry ('app') found
        # under an earlier fixture root would otherwise answer for this one (3.9).
        sys.path_importer_cache.clear()
        os.chdir(root)
        sys.argv[:] = ["-m", "arg1"] if scenario.as_main else ["caller.py", "arg1"]
        sys.path.insert(0, str(root / scenario.path0) if scenario.path0 else str(root))
        for name in list(sys.modules):
            if name.partition(".")[0] in FIXTURE_NAMES or name in WATCHED_KEYS[1:]:
                del sys.modules[name]
        if scenario.as_main:
            main = ModuleType("__main__")
            main.__dict__["__builtins__"] = __builtins__
            sys.modules["__main__"] = main
            state["main"] = main
        import importlib

        importlib.invalidate_caches()
        state["argv_obj"], state["path_obj"] = sys.argv, sys.path
        state["argv"], state["path"] = list(sys.argv), list(sys.path)
        state["modules"] = dict(sys.modules)
        yield state
    finally:
        os.chdir(saved_cwd)
        sys.dont_write_bytecode = saved_dont_write
        sys.argv = saved_argv_obj
        sys.argv[:] = saved_argv
        sys.path = saved_path_obj
        sys.path[:] = saved_path
        sys.modules.clear()
        sys.modules.update(saved_modules)
        sys.path_importer_cache.clear()
        sys.path_importer_cache.update(saved_importers)


def _after(state: dict[str, Any], root: Path) -> dict[str, Any]:
    """How ``sys`` was left, compared with how the scenario started."""
    modules: dict[str, str] = {}
    before = state["modules"]
    for name in sorted(set(before) | set(sys.modules)):
        if not (name.partition(".")[0] in FIXTURE_NAMES or name in WATCHED_KEYS):
            continue
        if name not in sys.modules:
            modules[name] = "removed"
        elif name not in before:
            modules[name] = "added"
        elif sys.modules[name] is not before[name]:
            modules[name] = "replaced"
    return {
        "argv": plain(list(sys.argv), relative_to=str(root)),
        "argv_is_same_list": sys.argv is state["argv_obj"],
        "argv_restored": sys.argv == state["argv"],
        "path_restored": sys.path == state["path"] and sys.path is state["path_obj"],
        "path0": plain(sys.path[0] if sys.path else None, relative_to=str(root)),
        "modules": modules,
    }


def observe(scenario: Scenario, api: Any, root: Path, tracer_factory: Callable[[], Any] | None = None
            ) -> tuple[dict[str, Any], list[Any] | None]:
    """Run ``scenario`` against ``api``; return the observation and the trace events (if traced)."""
    rel = str(root)
    out, err = io.StringIO(), io.StringIO()
    events = None
    with _sandbox(root, scenario) as state:
        scenario.setup()
        obs: dict[str, Any] = {}
        with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(out), \
                contextlib.redirect_stderr(err):
            warnings.simplefilter("always")
            tracer_cm = tracer_factory() if tracer_factory else contextlib.nullcontext()
            try:
                with tracer_cm as tracer:
                    try:
                        value = scenario.call(api)
                    finally:
                        events = list(tracer.events) if tracer is not None else None
            except SystemExit as exc:
                obs.update(outcome="exit", exit_code=plain(exc.code, relative_to=rel),
                           **{"~frames": _frames(exc), "~reraised": _reraised(exc)})
            except NotImplementedError:
                raise
            except BaseException as exc:  # every ending is an observation
                if isinstance(exc, (KeyboardInterrupt, GeneratorExit)):
                    raise
                chained = ("cause" if exc.__cause__ is not None else "none" if exc.__context__ is None
                           or exc.__suppress_context__ else "context")
                obs.update(outcome="raised", error=plain(f"{type(exc).__name__}: {exc}", relative_to=rel),
                           chained=chained, **{"~frames": _frames(exc), "~reraised": _reraised(exc)})
            else:
                extras = {}
                if isinstance(value, tuple):
                    value, extras = value
                obs.update(outcome="returned", globals=_globals(value, rel), **extras)
                if "main" in state:
                    obs["returned_main_dict"] = value is vars(state["main"])
        obs["stdout"] = plain(out.getvalue(), relative_to=rel)
        obs["~stderr"] = err.getvalue()  # tracebacks name files and lines: shown, not compared
        obs["warnings"] = [plain(f"{w.category.__name__}: {w.message}", relative_to=rel) for w in caught
                           if issubclass(w.category, RuntimeWarning)]
        obs["after"] = _after(state, root)
    return obs, events


def _globals(namespace: Any, rel: str) -> Any:
    if not isinstance(namespace, dict):
        return {"$not_a_dict": plain(namespace, relative_to=rel)}
    return {str(k): plain(v, relative_to=rel) for k, v in sorted(namespace.items(), key=lambda kv: str(kv[0]))
            if k != "__builtins__"}


def _frames(exc: BaseException) -> list[tuple[str, int, str, str]]:
    """Where the exception passed (for pointing at a line of the student's file; not compared)."""
    return [(f.filename, f.lineno or 0, f.name, (f.line or "").strip())
            for f in traceback.extract_tb(exc.__traceback__)]


def _reraised(exc: BaseException) -> list[tuple[str, int, str]]:
    """Where the exception was raised again by name (``raise exc``) after being caught.

    ``raise exc`` inside the frame that caught ``exc`` adds that frame to the
    traceback a second time, at the line of the ``raise``; a bare ``raise``
    does not.  So two traceback entries of one frame mark a re-raise by name:
    ``(file, line of the raise, function)`` (not compared; the grader asks
    whose file it is).
    """
    found = []
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        if tb.tb_frame is tb.tb_next.tb_frame:
            found.append((tb.tb_frame.f_code.co_filename, tb.tb_lineno, tb.tb_frame.f_code.co_name))
        tb = tb.tb_next
    return found
