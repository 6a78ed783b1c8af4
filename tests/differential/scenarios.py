"""The differential scenarios, as data.

Three families, all run on every CPython 3.9-3.13 found:

* ``API``: one call of ``run_module``, ``run_path`` or a private helper,
  made once through the stdlib ``runpy`` and once through ``runpy_ref``
  (``observer.py`` performs it and reports what it saw);
* ``CLI``: ``python -m MOD args`` against ``python -m runpy_ref MOD args``,
  and ``python FILE`` against ``python -m runpy_ref --path FILE``;
* ``SHIM``: the same command line with and without a ``sitecustomize`` that
  puts runpy_ref in ``sys.modules['runpy']`` (the drop-in guarantee, which
  covers the interpreter's ``-m`` and pdb, profile, cProfile and trace).

A path argument is written ``{"$path": "rel", "as": "str|bytes|pathlike",
"abs": bool}``; ``{"$dict": {...}}`` is a dict whose identity is reported;
``{"$code": "file"}`` a compiled code object; ``{"$spec": "name"}`` a spec;
``{"$cls": "Name"}`` a builtin exception class.  ``versions`` limits a
scenario to feature versions (``[min, max]``, inclusive).
"""

from __future__ import annotations

from typing import Any


def _p(rel: str, kind: str = "str", absolute: bool = False) -> dict[str, Any]:
    return {"$path": rel, "as": kind, "abs": absolute}


def _rm(ident: str, name: Any, **kwargs: Any) -> dict[str, Any]:
    scenario = {"id": ident, "call": "run_module", "args": [name], "kwargs": {}}
    for key in ("pre_import", "path_prepend", "versions", "block"):
        if key in kwargs:
            scenario[key] = kwargs.pop(key)
    scenario["kwargs"] = kwargs
    return scenario


def _rp(ident: str, path: Any, **kwargs: Any) -> dict[str, Any]:
    scenario = _rm(ident, path, **kwargs)
    scenario["call"] = "run_path"
    return scenario


INIT = {"$dict": {"given": 1, "__name__": "overridden", "__file__": "overridden", "__doc__": "given doc"}}

API: list[dict[str, Any]] = [
    # -- run_module: where the module is -----------------------------------------
    _rm("rm-module", "mod"),
    _rm("rm-module-alter-sys", "mod", alter_sys=True),
    _rm("rm-module-run-name-init-globals", "mod", run_name="custom.name", init_globals=INIT),
    _rm("rm-module-alter-sys-init-globals", "mod", alter_sys=True, init_globals=INIT),
    _rm("rm-module-run-name-main", "mod", run_name="__main__", alter_sys=True),
    _rm("rm-package", "pkg"),
    _rm("rm-package-alter-sys", "pkg", alter_sys=True),
    _rm("rm-submodule", "pkg.sub", alter_sys=True),
    _rm("rm-nested-package", "pkg.nested", alter_sys=True),
    _rm("rm-nested-module", "pkg.nested.deep"),
    _rm("rm-namespace-submodule", "nspkg.sub", alter_sys=True),
    _rm("rm-namespace-package-with-main", "nsmain", alter_sys=True),
    _rm("rm-zip-module", "zmod", path_prepend=["lib.zip"], alter_sys=True),
    _rm("rm-zip-package", "zpkg", path_prepend=["lib.zip"]),
    _rm("rm-legacy-pyc", "legacy", alter_sys=True),
    _rm("rm-legacy-pyc-package", "legacypkg"),
    _rm("rm-encoding-cookie", "latin1"),
    _rm("rm-stdlib-module", "this"),
    _rm("rm-frozen-module", "__hello__", alter_sys=True),
    _rm("rm-unicode-name", "unicodé", alter_sys=True),
    _rm("rm-hyphenated-name", "my-mod"),
    _rm("rm-trailing-dot", "pkg."),
    _rm("rm-double-dot", "pkg..sub"),
    _rm("rm-already-imported-stdlib-submodule", "encodings.utf_8"),
    {"id": "rm-alter-sys-empty-argv", "call": "run_module", "args": ["mod"], "kwargs": {"alter_sys": True},
     "argv": []},
    {"id": "rp-empty-argv", "call": "run_path", "args": ["script.py"], "argv": []},
    {"id": "rp-directory-without-main-module-entry", "call": "$snippet", "code": (
        "del sys.modules['__main__']\n"
        "try:\n"
        "    RESULT = sorted(R.run_path('scriptdir'))\n"
        "finally:\n"
        "    RESULT = [sys.path[:1], '__main__' in sys.modules]\n")},
    _rm("rm-builtin-module-no-code", "sys"),
    _rm("rm-alias-entry-os-path", "os.path"),
    _rp("rp-directory-without-main-finds-another", _p("emptydir"), path_prepend=["scriptdir"]),
    _rm("rm-blocked-module", "mod", block=["mod"]),
    _rm("rm-list-init-globals", "mod", init_globals=[["a", 1], ["__name__", "x"]]),
    _rm("rm-run-name-not-str", "mod", run_name=42),
    _rm("rm-run-name-not-str-alter-sys", "mod", run_name=42, alter_sys=True),
    _rm("rm-bad-encoding-cookie", "badcookie"),
    _rm("rm-bom-and-cookie", "bomcookie"),
    # -- run_module: the RuntimeWarning for an already imported submodule -------
    _rm("rm-already-imported-warns", "pkg.sub", pre_import=["pkg.sub"]),
    _rm("rm-imported-by-own-package-warns", "warnpkg.sub"),
    _rm("rm-imported-package-no-warning", "pkg.nested", pre_import=["pkg.nested"]),
    _rm("rm-imported-top-level-no-warning", "mod", pre_import=["mod"]),
    # -- run_module: errors ------------------------------------------------------------
    _rm("rm-missing", "nosuch"),
    _rm("rm-missing-parent", "nosuch.sub"),
    _rm("rm-parent-is-module", "mod.sub"),
    _rm("rm-relative-name", ".mod"),
    _rm("rm-empty-name", ""),
    _rm("rm-py-suffix-hint", "mod.py"),
    _rm("rm-py-suffix-missing", "nosuch.py"),
    _rm("rm-namespace-package", "nspkg"),
    _rm("rm-package-without-main", "nomain"),
    _rm("rm-package-main-is-package", "mainpkg"),
    _rm("rm-main-package-directly", "mainpkg.__main__"),
    _rm("rm-package-main-directly", "pkg.__main__"),
    _rm("rm-dunder-main", "__main__"),
    _rm("rm-parent-init-fails", "badinit.sub"),
    _rm("rm-syntax-error", "syntaxerr"),
    _rm("rm-syntax-error-in-package-main", "synpkg"),
    _rm("rm-package-init-import-fails", "badimport"),
    _rm("rm-package-init-import-fails-submodule", "badimport.sub"),
    _rm("rm-package-main-import-fails", "importerrmain", alter_sys=True),
    _rm("rm-exception-with-cause", "raiser", alter_sys=True),
    _rm("rm-exception-with-context", "ctxerr"),
    _rm("rm-exit-status", "exit3", alter_sys=True),
    _rm("rm-exit-message", "exitmsg"),
    _rm("rm-keyboard-interrupt", "kbint", alter_sys=True),
    _rm("rm-bytes-name", {"$path": "mod", "as": "bytes"}),
    _rm("rm-int-name", 42),
    # -- run_module: what the code does to sys ----------------------------------------
    _rm("rm-pickle", "pickler"),
    _rm("rm-pickle-alter-sys", "pickler", alter_sys=True),
    _rm("rm-replaces-own-module", "replacemod", alter_sys=True),
    _rm("rm-deletes-own-module-no-alter", "selfdel"),
    _rm("rm-replaces-argv-and-path", "alter", alter_sys=True),
    _rm("rm-nested-run", "nested", alter_sys=True),
    # -- run_path: files -------------------------------------------------------------
    _rp("rp-file", _p("script.py")),
    _rp("rp-file-absolute", _p("script.py", absolute=True)),
    _rp("rp-file-bytes", _p("script.py", "bytes")),
    _rp("rp-file-pathlike", _p("script.py", "pathlike")),
    _rp("rp-file-pathlib", _p("script.py", "pathlib", absolute=True)),
    _rp("rp-file-run-name", _p("script.py"), run_name="a.b.c"),
    _rp("rp-file-init-globals", _p("script.py"), init_globals=INIT, run_name="__main__"),
    _rp("rp-pyc-file", _p("legacy.pyc")),
    _rp("rp-pyc-file-bytes", _p("legacy.pyc", "bytes")),
    _rp("rp-encoding-cookie", _p("latin1.py")),
    _rp("rp-bad-encoding-cookie", _p("badcookie.py")),
    _rp("rp-bom-and-cookie", _p("bomcookie.py")),
    _rp("rp-bad-magic-pyc", _p("badmagic.pyc")),
    _rp("rp-run-name-not-str", _p("script.py"), run_name=42),
    _rp("rp-file-inside-zip", _p("app.zip/__main__.py")),
    _rp("rp-directory-trailing-slash", _p("scriptdir/")),
    _rp("rp-list-init-globals", _p("script.py"), init_globals=[["b", 2]]),
    {"id": "rp-iterator-init-globals", "call": "$snippet", "code": (
        "RESULT = sorted(R.run_path('script.py', iter([('it', 1)])))\n")},
    {"id": "rp-bad-pairs-init-globals", "call": "$snippet", "code": (
        "RESULT = sorted(R.run_path('script.py', [('a', 1, 2)]))\n")},
    _rp("rp-file-missing", _p("nosuch.py")),
    _rp("rp-file-syntax-error", _p("syntaxerr.py")),
    _rp("rp-file-exception", _p("raiser.py")),
    _rp("rp-file-exit", _p("exit3.py")),
    _rp("rp-file-keyboard-interrupt", _p("kbint.py")),
    _rp("rp-file-pickle", _p("pickler.py")),
    _rp("rp-file-replaces-argv-and-path", _p("alter.py")),
    _rp("rp-file-replaces-own-module", _p("replacemod.py")),
    _rp("rp-file-nested-run", _p("nested.py")),
    # -- run_path: directories and zip files ---------------------------------------------
    _rp("rp-directory", _p("scriptdir")),
    _rp("rp-directory-absolute", _p("scriptdir", absolute=True), run_name="__main__"),
    _rp("rp-directory-bytes", _p("scriptdir", "bytes")),
    _rp("rp-directory-pathlike", _p("scriptdir", "pathlike")),
    _rp("rp-directory-pathlib", _p("scriptdir", "pathlib")),
    _rp("rp-package-directory", _p("pkg")),
    _rp("rp-namespace-directory", _p("nsmain"), init_globals=INIT),
    _rp("rp-zip", _p("app.zip")),
    _rp("rp-symlinked-file", _p("link.py")),
    _rp("rp-symlinked-directory", _p("linkdir")),
    _rp("rp-directory-dotted-run-name", _p("scriptdir"), run_name="a.b.c"),
    _rp("rp-zip-dotted-run-name", _p("app.zip"), run_name="x.y"),
    _rm("rm-dotted-run-name", "pkg.sub", run_name="other.name", alter_sys=True),
    _rp("rp-zip-bytes", _p("app.zip", "bytes", absolute=True)),
    _rp("rp-zip-pathlike", _p("app.zip", "pathlike")),
    _rp("rp-directory-without-main", _p("emptydir")),
    _rp("rp-zip-without-main", _p("nomain.zip")),
    _rp("rp-directory-pops-own-path", _p("popself")),
    _rp("rp-directory-nonexistent-like-file", _p("nosuchdir/")),
    _rp("rp-int-path", 42),
    # -- the private helpers other tools call ---------------------------------------------
    {"id": "gmd-package", "call": "_get_module_details", "args": ["pkg"]},
    {"id": "gmd-module", "call": "_get_module_details", "args": ["pkg.nested.deep"]},
    {"id": "gmd-error-class", "call": "_get_module_details", "args": ["nosuch", {"$cls": "RuntimeError"}]},
    {"id": "gmd-error-class-package", "call": "_get_module_details",
     "args": ["nomain", {"$cls": "LookupError"}]},
    {"id": "gmmd-directory", "call": "_get_main_module_details", "path_prepend": ["scriptdir"]},
    {"id": "gmmd-empty", "call": "_get_main_module_details", "path_prepend": ["emptydir"],
     "args": [{"$cls": "RuntimeError"}]},
    {"id": "run-code-no-spec", "call": "_run_code",
     "args": [{"$code": "mod.py"}, {"$dict": {"pre": 1}}, {"init": 2}, "name", None, "pkgx", "scriptx"]},
    {"id": "run-code-spec", "call": "_run_code",
     "args": [{"$code": "pkg/sub.py"}, {"$dict": {}}, None, "named", {"$spec": "pkg.sub"}]},
    {"id": "run-module-code", "call": "_run_module_code",
     "args": [{"$code": "mod.py"}, {"$dict": {"a": 1}}, "tempname", None, "p", "the-script"]},
    {"id": "run-module-code-spec", "call": "_run_module_code",
     "args": [{"$code": "pkg/sub.py"}, None, "pkg.sub", {"$spec": "pkg.sub"}]},
    {"id": "run-module-as-main", "call": "_run_module_as_main", "args": ["mod"], "fresh_main": True,
     "argv": ["-m", "x", "y"]},
    {"id": "run-module-as-main-package", "call": "_run_module_as_main", "args": ["pkg.nested"],
     "fresh_main": True, "argv": ["-m"]},
    {"id": "run-module-as-main-directory", "call": "_run_module_as_main", "args": ["__main__", False],
     "fresh_main": True, "path_prepend": ["scriptdir"], "argv": ["scriptdir", "z"]},
    {"id": "run-module-as-main-missing", "call": "_run_module_as_main", "args": ["nosuch"],
     "fresh_main": True, "argv": ["-m"]},
    {"id": "run-module-as-main-empty-dir", "call": "_run_module_as_main", "args": ["__main__", False],
     "fresh_main": True, "path_prepend": ["emptydir"], "argv": ["emptydir"]},
    {"id": "get-code-from-file-3.9", "call": "_get_code_from_file", "args": ["rn", "script.py"],
     "versions": ["3.9", "3.12"]},
    {"id": "get-code-from-file-bytes-3.9", "call": "_get_code_from_file",
     "args": ["rn", {"$path": "legacy.pyc", "as": "bytes"}], "versions": ["3.9", "3.12"]},
    {"id": "get-code-from-file-3.13", "call": "_get_code_from_file", "args": ["script.py"],
     "versions": ["3.13", "3.13"]},
    {"id": "get-code-from-file-bytes-3.13", "call": "_get_code_from_file",
     "args": [{"$path": "legacy.pyc", "as": "bytes"}], "versions": ["3.13", "3.13"]},
    {"id": "get-code-from-file-pathlike", "call": "$snippet", "code": (
        "import pathlib\n"
        "p = pathlib.Path('script.py')\n"
        "out = R._get_code_from_file(p) if sys.version_info >= (3, 13) else R._get_code_from_file('rn', p)\n"
        "RESULT = [type(out).__name__, repr(out[1]) if isinstance(out, tuple) else out.co_filename]\n")},
    {"id": "rm-module-spec-is-none", "call": "$snippet", "code": (
        "import mod\n"
        "mod.__spec__ = None\n"
        "RESULT = sorted(R.run_module('mod'))\n")},
    {"id": "rm-mappingproxy-init-globals", "call": "$snippet", "code": (
        "import types\n"
        "RESULT = list(R.run_module('mod', types.MappingProxyType({'m': 1, '__file__': 'f'})))\n")},
    {"id": "rm-run-module-inside-run-module-alter-sys", "call": "$snippet", "code": (
        "RESULT = [sorted(R.run_module('nested', alter_sys=True)['INNER']), sys.argv[0], "
        "'nested' in sys.modules, 'inner' in sys.modules]\n")},
    {"id": "temp-module", "call": "$snippet", "code": (
        "with R._TempModule('mod') as temp:\n"
        "    inside = sys.modules['mod'] is temp.module\n"
        "    name = temp.module.__name__\n"
        "RESULT = [inside, name, 'mod' in sys.modules]\n")},
    {"id": "temp-module-restores-existing", "call": "$snippet", "pre_import": ["mod"], "code": (
        "old = sys.modules['mod']\n"
        "with R._TempModule('mod'):\n"
        "    pass\n"
        "RESULT = sys.modules['mod'] is old\n")},
    {"id": "modified-argv0", "call": "$snippet", "code": (
        "seen = []\n"
        "m = R._ModifiedArgv0('new')\n"
        "with m:\n"
        "    seen.append(sys.argv[0])\n"
        "    try:\n"
        "        m.__enter__()\n"
        "    except RuntimeError as exc:\n"
        "        seen.append(str(exc))\n"
        "seen.append(sys.argv[0])\n"
        "RESULT = seen\n")},
]

API += [
    # The code deletes its own temporary sys.modules entry: CPython's _TempModule then fails with
    # KeyError after the code finished, and runpy_ref does the same (it tolerated it until issue 11).
    _rm("rm-deletes-own-module", "selfdel", alter_sys=True),
    _rp("rp-file-deletes-own-module", _p("selfdel.py")),
]

DEVIATIONS: list[dict[str, Any]] = []
"""Known, deliberate differences between runpy_ref and the stdlib in process: none."""


def _m(ident: str, module: str, *args: str, **extra: Any) -> dict[str, Any]:
    """``python -m module args`` against ``python -m runpy_ref module args``."""
    return {"id": ident, "std": ["-m", module, *args], "ref": ["-m", "runpy_ref", module, *args], **extra}


def _f(ident: str, target: str, *args: str, **extra: Any) -> dict[str, Any]:
    """``python target args`` against ``python -m runpy_ref --path target args``.

    The fixture directory goes on PYTHONPATH (after any other entries), so that
    code run from a subdirectory or a zip can still import ``_probe``.
    """
    extra["pythonpath"] = [*extra.get("pythonpath", []), "."]
    return {"id": ident, "std": [target, *args], "ref": ["-m", "runpy_ref", "--path", target, *args], **extra}


CLI: list[dict[str, Any]] = [
    _m("m-module-reads-argv", "mod", "a", "-b", "--c"),
    _m("m-package", "pkg", "x"),
    _m("m-nested-package", "pkg.nested"),
    _m("m-submodule", "pkg.nested.deep"),
    _m("m-namespace-package-with-main", "nsmain"),
    _m("m-namespace-submodule", "nspkg.sub"),
    _m("m-namespace-package", "nspkg"),
    _m("m-zip-on-sys-path", "zpkg", "q", pythonpath=["lib.zip"]),
    _m("m-zip-module-on-sys-path", "zmod", pythonpath=["lib.zip"]),
    _m("m-missing", "nosuch"),
    _m("m-missing-parent", "nosuch.sub"),
    _m("m-relative-name", ".mod"),
    _m("m-package-without-main", "nomain"),
    _m("m-package-main-is-package", "mainpkg"),
    _m("m-py-suffix-hint", "mod.py"),
    _m("m-parent-init-fails", "badinit.sub"),
    _m("m-imported-by-own-package-warns", "warnpkg.sub"),
    _m("m-syntax-error", "syntaxerr"),
    _m("m-exception", "raiser"),
    _m("m-exception-context", "ctxerr"),
    _m("m-exit-status", "exit3"),
    _m("m-exit-message", "exitmsg"),
    _m("m-keyboard-interrupt", "kbint"),
    _m("m-pickle", "pickler"),
    _m("m-legacy-pyc", "legacy"),
    _m("m-legacy-pyc-package", "legacypkg"),
    _m("m-encoding-cookie", "latin1"),
    _m("m-deletes-own-main", "selfdel"),
    _m("m-replaces-argv-and-path", "alter"),
    _m("m-stdlib-module", "this"),
    _m("m-frozen-module", "__hello__"),
    _m("m-unicode-name", "unicodé"),
    _m("m-multiprocessing-spawn", "mpmod"),
    {"id": "m-warning-as-error", "std": ["-W", "error::RuntimeWarning", "-m", "warnpkg.sub"],
     "ref": ["-W", "error::RuntimeWarning", "-m", "runpy_ref", "warnpkg.sub"]},
    {"id": "m-optimize", "std": ["-O", "-m", "pkg"], "ref": ["-O", "-m", "runpy_ref", "pkg"]},
    {"id": "f-optimize", "std": ["-OO", "script.py"],
     "ref": ["-OO", "-m", "runpy_ref", "--path", "script.py"]},
    _m("m-already-imported-stdlib-submodule", "encodings.utf_8"),
    _m("m-stdlib-package-without-main", "encodings"),
    _m("m-stdlib-tool", "json.tool", "data.json"),
    _m("m-builtin-module-no-code", "sys"),
    _m("m-alias-entry-os-path", "os.path"),
    _m("m-syntax-error-in-package-main", "synpkg"),
    _m("m-package-init-import-fails", "badimport"),
    _m("m-package-main-import-fails", "importerrmain"),
    _m("m-bad-encoding-cookie", "badcookie"),
    _m("m-empty-name", ""),
    _f("f-file-reads-argv", "script.py", "a", "-b"),
    _f("f-file-absolute", "<fx>/script.py"),
    _f("f-directory", "scriptdir", "d"),
    _f("f-directory-slash", "scriptdir/"),
    _f("f-package-directory", "pkg"),
    _f("f-zip", "app.zip", "z"),
    _f("f-pyc", "legacy.pyc", "p"),
    _f("f-file-missing", "nosuch.py"),
    _f("f-directory-without-main", "emptydir"),
    _f("f-zip-without-main", "nomain.zip"),
    _f("f-syntax-error", "syntaxerr.py", location_differs={
        "3.9": "3.9's file tokenizer (python FILE) puts an error at EOF one line later than compile() "
               "of the same bytes does (runpy's run_path, and runpy_ref, must compile); not reproducible "
               "from Python code",
    }),
    _f("f-exception", "raiser.py"),
    _f("f-exit-status", "exit3.py"),
    _f("f-exit-message", "exitmsg.py"),
    _f("f-keyboard-interrupt", "kbint.py"),
    _f("f-pickle", "pickler.py"),
    _f("f-encoding-cookie", "latin1.py"),
    _f("f-directory-pops-own-path", "popself"),
    _f("f-subdirectory-file", "pkg/sub.py"),
    _f("f-multiprocessing-spawn", "mpmod.py"),
    _f("f-symlinked-file", "link.py"),
    _f("f-dot-slash-file", "./script.py"),
    _f("f-dot-slash-directory", "./scriptdir"),
    _f("f-unnormalised-file", "pkg/../script.py"),
    _f("f-unnormalised-zip", "pkg/../app.zip"),
    _f("f-dot-slash-missing-file", "./nosuch.py"),
    _f("f-symlinked-directory", "linkdir"),
    _f("f-bad-magic-pyc", "badmagic.pyc"),
    _f("f-bad-encoding-cookie", "badcookie.py"),
    _f("f-bom-and-cookie", "bomcookie.py"),
    _f("f-file-inside-zip", "app.zip/__main__.py"),
    _f("f-directory-is-a-package-init", "pkg/__init__.py"),
]

CLI += [
    _m("m-audit-event", "pkg", pythonpath=["audit"]),
    _f("f-audit-event", "script.py", pythonpath=["audit"]),
    _f("f-audit-event-directory", "scriptdir", pythonpath=["audit"]),
    _f("f-audit-event-zip", "app.zip", pythonpath=["audit"]),
    _f("f-audit-event-missing-file", "nosuch.py", pythonpath=["audit"]),
    _m("m-audit-event-missing-module", "nosuch", pythonpath=["audit"]),
]
"""The interpreter's audit events (CLI-20); the one announcing runpy_ref itself is dropped."""


def _traced(case: dict[str, Any]) -> dict[str, Any]:
    """The same command line with runpy_ref tracing to a file: the program must not notice."""
    ref = list(case["ref"])
    ref[2:2] = ["--trace-file", "<out>"]
    return {**case, "id": case["id"] + "-traced", "ref": ref, "std_from": case["id"]}


CLI += [_traced(case) for case in CLI if case["id"] in {
    "m-module-reads-argv", "m-package", "m-missing", "m-exception", "m-keyboard-interrupt",
    "m-imported-by-own-package-warns", "f-directory", "f-zip", "f-exception", "f-file-missing",
}]

FLAGS: list[dict[str, Any]] = [
    {"id": "flag-I-m", "std": ["-I", "-m", "mod", "a"], "ref": ["-I", "-m", "runpy_ref", "mod", "a"]},
    {"id": "flag-E-m", "std": ["-E", "-m", "mod"], "ref": ["-E", "-m", "runpy_ref", "mod"]},
    {"id": "flag-P-m", "std": ["-P", "-m", "mod"], "ref": ["-P", "-m", "runpy_ref", "mod"],
     "versions": ["3.11", "3.13"]},
    {"id": "flag-s-m", "std": ["-s", "-m", "pkg"], "ref": ["-s", "-m", "runpy_ref", "pkg"]},
    {"id": "flag-I-file", "std": ["-I", "script.py"],
     "ref": ["-I", "-m", "runpy_ref", "--path", "script.py"]},
    {"id": "flag-I-directory", "std": ["-I", "scriptdir"],
     "ref": ["-I", "-m", "runpy_ref", "--path", "scriptdir"]},
    {"id": "flag-P-file", "std": ["-P", "script.py"], "ref": ["-P", "-m", "runpy_ref", "--path", "script.py"],
     "versions": ["3.11", "3.13"]},
    {"id": "flag-P-zip", "std": ["-P", "app.zip"], "ref": ["-P", "-m", "runpy_ref", "--path", "app.zip"],
     "versions": ["3.11", "3.13"]},
    {"id": "flag-I-missing", "std": ["-I", "-m", "nosuch"], "ref": ["-I", "-m", "runpy_ref", "nosuch"]},
    {"id": "env-PYTHONSAFEPATH-m", "std": ["-m", "mod"], "ref": ["-m", "runpy_ref", "mod"],
     "env": {"PYTHONSAFEPATH": "1"}, "versions": ["3.11", "3.13"]},
    {"id": "env-PYTHONSAFEPATH-file", "std": ["script.py"], "ref": ["-m", "runpy_ref", "--path", "script.py"],
     "env": {"PYTHONSAFEPATH": "1"}, "versions": ["3.11", "3.13"]},
    {"id": "flag-E-ignores-PYTHONSAFEPATH", "std": ["-E", "-m", "mod"],
     "ref": ["-E", "-m", "runpy_ref", "mod"], "env": {"PYTHONSAFEPATH": "1"}, "versions": ["3.11", "3.13"]},
]
"""Isolation flags: run with a venv whose .pth makes runpy_ref and the fixtures importable."""


KNOWN_CLI: list[dict[str, Any]] = [
    _m("m-submodule-runpy-ref-imports", "collections.abc", reason=(
        "python -m runpy_ref has imported runpy_ref, and with it typing, which sets "
        "sys.modules['collections.abc'] before the run: the stdlib's find_spec then returns that "
        "entry's spec, so runpy warns that the submodule is already imported (3.9-3.12) or, on 3.13, "
        "where the entry is the frozen _collections_abc, fails with \"'collections.abc' is not a frozen "
        "module\".  python -m collections.abc itself is silent.  Any module runpy_ref imports for "
        "itself can show this; only a lazier import of typing would avoid it.")),
]
"""Command lines where ``python -m runpy_ref`` cannot be the interpreter, documented by a test."""


def _s(ident: str, *argv: str, **extra: Any) -> dict[str, Any]:
    return {"id": ident, "argv": list(argv), **extra}


SHIM: list[dict[str, Any]] = [
    _s("shim-m-module", "-m", "mod", "a", "b", traced="mod"),
    _s("shim-m-package", "-m", "pkg", "x", traced="pkg.__main__"),
    _s("shim-m-namespace-main", "-m", "nsmain", traced="nsmain.__main__"),
    _s("shim-m-zip-package", "-m", "zpkg", pythonpath=["lib.zip"], traced="zpkg.__main__"),
    _s("shim-directory", "scriptdir", "d", pythonpath=["."], traced="__main__"),
    _s("shim-zip", "app.zip", pythonpath=["."], traced="__main__"),
    _s("shim-m-missing", "-m", "nosuch", traced="nosuch"),
    _s("shim-m-package-without-main", "-m", "nomain", traced="nomain.__main__"),
    _s("shim-m-exception", "-m", "raiser", traced="raiser"),
    _s("shim-m-pickle", "-m", "pickler", traced="pickler"),
    _s("shim-m-multiprocessing-spawn", "-m", "mpmod", traced="mpmod"),
    _s("shim-pdb-m", "-m", "pdb", "-m", "mod", "a", stdin="c\nq\n", traced="mod"),
    _s("shim-pdb-m-package", "-m", "pdb", "-m", "pkg", stdin="c\nq\n", traced="pkg.__main__"),
    _s("shim-pdb-pyz", "-m", "pdb", "app.pyz", stdin="c\nq\n", traced="__main__", versions=["3.13", "3.13"]),
    _s("shim-m-keyboard-interrupt", "-m", "kbint", traced="kbint"),
    _s("shim-m-exit-message", "-m", "exitmsg", traced="exitmsg"),
    _s("shim-m-syntax-error", "-m", "syntaxerr", traced="syntaxerr"),
    _s("shim-pdb-m-missing", "-m", "pdb", "-m", "nosuch", stdin="q\n", traced="nosuch"),
    _s("shim-cprofile-m-missing", "-m", "cProfile", "-o", "<out>", "-m", "nosuch", traced="nosuch"),
    _s("shim-trace-module-missing", "-m", "trace", "--count", "-C", "<out>", "--module", "nosuch",
       traced="nosuch"),
    _s("shim-m-runpy-itself", "-m", "runpy", "mod", "a", traced="mod", keys_differ=(
        "python -m runpy MOD runs runpy's own module code as __main__ and then MOD in that same "
        "namespace, so the program's globals() start with runpy's functions; under the shim, "
        "'runpy' is runpy_ref, whose __main__ (the runpy_ref CLI) gives the program a fresh "
        "__main__.  Only the key list of globals() differs; argv, specials, output agree.")),
    _s("shim-m-runpy-no-module", "-m", "runpy", traced="runpy", deviation=(
        "python -m runpy with no module prints 'No module specified for execution' and exits 0 (G-05); "
        "under the shim 'runpy' is runpy_ref, whose __main__ is the runpy_ref command line: a usage "
        "error, status 2.")),
    _s("shim-cprofile-m", "-m", "cProfile", "-o", "<out>", "-m", "mod", "a", traced="mod"),
    _s("shim-profile-m", "-m", "profile", "-o", "<out>", "-m", "pkg", traced="pkg.__main__"),
    _s("shim-trace-module", "-m", "trace", "--count", "-C", "<out>", "--summary", "--module", "mod", "a",
       traced="mod", stdout_only_fixture_lines=True),
]
