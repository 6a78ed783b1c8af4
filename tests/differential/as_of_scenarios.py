"""Scenarios for test_as_of.py: the real CPython X.Y against ``runpy_ref --as-of X.Y`` on the host.

``API`` scenarios are one call of ``run_module`` or ``run_path`` (``{"$bytes": p}``
and ``{"$pathlib": p}`` arguments are bytes and ``pathlib.Path``; ``versions``
limits a scenario to some versions), made by
the old interpreter's own ``runpy`` and by ``runpy_ref.as_of("X.Y")``.
``CLI`` scenarios are one command line: ``pythonX.Y -m MOD args`` against
``python -m runpy_ref --as-of X.Y MOD args``, and ``pythonX.Y FILE args``
against ``python -m runpy_ref --as-of X.Y --path FILE args``.  The fixture
is ``as_of_observer.FILES``.

``DEVIATIONS`` lists where the two sides may differ and why: each names
the scenario, the versions, the parts of the observation that differ
(``ignore``: dotted paths) and the reason, which is always that the import
system, or an exception class, stays the host's (see the docs page "What
an emulated version can and cannot show").  The test checks that those
parts do differ, so a deviation that no longer holds is reported, and that
everything else is equal.
"""

from __future__ import annotations

from typing import Any

VERSIONS = ("2.7", "3.6", "3.7", "3.8")


def _rm(ident: str, name: Any, **kwargs: Any) -> dict[str, Any]:
    scenario: dict[str, Any] = {"id": ident, "call": "run_module", "args": [name], "kwargs": {}}
    for key in ("pre_import", "path_prepend", "watch", "call_after"):
        if key in kwargs:
            scenario[key] = kwargs.pop(key)
    scenario["kwargs"] = kwargs
    return scenario


def _rp(ident: str, path: Any, **kwargs: Any) -> dict[str, Any]:
    scenario = _rm(ident, path, **kwargs)
    scenario["call"] = "run_path"
    return scenario


INIT = {"__doc__": "given", "__cached__": "given", "__spec__": "given", "__loader__": "given",
        "__package__": "given", "__file__": "given", "__name__": "given", "extra": 1}

API: list[dict[str, Any]] = [
    _rm("rm-module", "mod", watch=["mod"]),
    _rm("rm-module-alter-sys", "mod", alter_sys=True, watch=["mod"]),
    _rm("rm-run-name", "mod", run_name="custom", watch=["custom"]),
    _rm("rm-init-globals", "mod", init_globals=INIT),
    _rm("rm-init-globals-alter-sys", "mod", init_globals=INIT, alter_sys=True),
    _rm("rm-docstring", "docmod"),
    _rm("rm-run-name-main", "mod", run_name="__main__", alter_sys=True),
    _rm("rm-package", "pkg", watch=["pkg", "pkg.__main__"]),
    _rm("rm-package-alter-sys", "pkg", alter_sys=True),
    _rm("rm-submodule", "pkg.sub", alter_sys=True, watch=["pkg", "pkg.sub"]),
    _rm("rm-nested-package", "pkg.nested"),
    _rm("rm-missing", "nosuch"),
    _rm("rm-missing-parent", "nosuch.sub"),
    _rm("rm-relative-name", ".mod"),
    _rm("rm-py-suffix", "mod.py"),
    _rm("rm-package-without-main", "nomain"),
    _rm("rm-main-is-package", "mainpkg"),
    _rm("rm-main-package-directly", "mainpkg.__main__"),
    _rm("rm-parent-init-fails", "badinit.sub"),
    _rm("rm-package-import-fails", "badimport"),
    _rm("rm-already-imported", "pkg.sub", pre_import=["pkg.sub"]),
    _rm("rm-imported-by-own-package", "warnpkg.sub"),
    _rm("rm-builtin", "sys"),
    _rm("rm-raises-alter-sys", "raiser", alter_sys=True, watch=["raiser"]),
    _rm("rm-exit-alter-sys", "exit3", alter_sys=True, watch=["exit3"]),
    _rm("rm-function-after-alter-sys", "funcmod", alter_sys=True, call_after=["f"]),
    _rm("rm-function-after", "funcmod", call_after=["f"]),
    _rm("rm-zip-module", "zmod", path_prepend=["lib.zip"]),
    _rp("rp-file", "script.py", watch=["<run_path>"]),
    _rp("rp-file-run-name", "script.py", run_name="a.b.c", watch=["a.b.c"]),
    _rp("rp-file-init-globals", "script.py", init_globals=INIT),
    _rp("rp-directory", "scriptdir", watch=["<run_path>"]),
    _rp("rp-directory-run-name", "scriptdir", run_name="a.b.c"),
    _rp("rp-zip", "app.zip"),
    _rp("rp-directory-without-main", "emptydir"),
    _rp("rp-zip-without-main", "nomain.zip"),
    _rp("rp-missing-file", "nosuch.py"),
    _rp("rp-raises", "raiser.py", watch=["<run_path>"]),
    _rp("rp-function-after", "funcmod.py", call_after=["f"]),
    dict(_rp("rp-bytes-file", {"$bytes": "script.py"}), versions=["3.6", "3.7", "3.8"]),
    dict(_rp("rp-pathlike-file", {"$pathlib": "script.py"}), versions=["3.6", "3.7", "3.8"]),
    dict(_rp("rp-pathlike-directory", {"$pathlib": "scriptdir"}), versions=["3.6", "3.7", "3.8"]),
    _rm("rm-existing-entry-alter-sys", "mod", run_name="os", alter_sys=True, watch=["os"]),
    _rm("rm-nested-runs", "nested"),
    _rm("rm-alias-entry-os-path", "os.path"),
]

CLI: list[dict[str, Any]] = [
    {"id": "m-module", "argv": ["-m", "mod", "a1", "--x"]},
    {"id": "m-package", "argv": ["-m", "pkg", "a1"]},
    {"id": "m-submodule", "argv": ["-m", "pkg.sub", "a1"]},
    {"id": "m-nested-package", "argv": ["-m", "pkg.nested"]},
    {"id": "m-missing", "argv": ["-m", "nosuch"]},
    {"id": "m-missing-parent", "argv": ["-m", "nosuch.sub"]},
    {"id": "m-relative-name", "argv": ["-m", ".mod"]},
    {"id": "m-package-without-main", "argv": ["-m", "nomain"]},
    {"id": "m-main-is-package", "argv": ["-m", "mainpkg"]},
    {"id": "m-parent-init-fails", "argv": ["-m", "badinit.sub"]},
    {"id": "m-package-import-fails", "argv": ["-m", "badimport"]},
    {"id": "m-imported-by-own-package", "argv": ["-m", "warnpkg.sub"]},
    {"id": "m-raises", "argv": ["-m", "raiser"]},
    {"id": "m-exit-status", "argv": ["-m", "exit3"]},
    {"id": "m-exit-message", "argv": ["-m", "exitmsg"]},
    {"id": "m-keyboard-interrupt", "argv": ["-m", "kbint"]},
    {"id": "m-builtin", "argv": ["-m", "sys"]},
    {"id": "m-py-suffix", "argv": ["-m", "mod.py"]},
    {"id": "f-script", "argv": ["script.py", "a1"]},
    {"id": "f-script-in-subdirectory", "argv": ["sub/script2.py", "a1"]},
    {"id": "f-script-dot-slash", "argv": ["./script.py"]},
    {"id": "f-script-absolute", "argv": ["<fx>/script.py"]},
    {"id": "f-symlink", "argv": ["link.py"]},
    {"id": "f-directory", "argv": ["scriptdir", "a1"]},
    {"id": "f-zip", "argv": ["app.zip", "a1"]},
    {"id": "f-directory-without-main", "argv": ["emptydir"]},
    {"id": "f-zip-without-main", "argv": ["nomain.zip"]},
    {"id": "f-missing-file", "argv": ["nosuch.py"]},
    {"id": "f-raises", "argv": ["raiser.py"]},
    {"id": "f-keyboard-interrupt", "argv": ["kbint.py"]},
]

_IMPORT_SYSTEM = "the import system stays the host's"

DEVIATIONS: list[dict[str, Any]] = [
    {"id": "rp-missing-file", "versions": ["2.7"], "ignore": ["exception.type"],
     "reason": "2.7 raises IOError; Python 3 has no separate IOError class (it is OSError), so the host's "
               "FileNotFoundError is the nearest (ERR-11); the message is the same"},
    {"id": "rm-py-suffix", "versions": ["3.6"], "ignore": ["exception.message"],
     "reason": _IMPORT_SYSTEM + ": the wrapped error's own text is importlib's (ERR-07: 3.6 \"AttributeError: "
               "module 'mod' has no attribute '__path__'\", 3.7+ and the host \"ModuleNotFoundError: __path__ "
               "attribute not found on 'mod' ...\"); runpy's wrapping around it is equal"},
    {"id": "rm-py-suffix", "versions": ["2.7"], "ignore": ["records.0"],
     "reason": _IMPORT_SYSTEM + ": 'mod' is imported as an ordinary module before the lookup fails (CLI-25), "
               "and what an import puts in a module's globals is the import system's (no __cached__, "
               "__loader__, __spec__ in 2.7); runpy's error is equal"},
    {"id": "rm-already-imported", "versions": ["2.7"], "ignore": ["records.1"],
     "reason": _IMPORT_SYSTEM + ": the snapshot taken by the ordinary import of pkg.sub before the call; "
               "the run's own snapshot is equal"},
    {"id": "rm-imported-by-own-package", "versions": ["2.7"], "ignore": ["records.0"],
     "reason": "as rm-already-imported: warnpkg imports its sub module itself"},
    {"id": "m-imported-by-own-package", "versions": ["2.7"], "ignore": ["snaps.0"],
     "reason": "as rm-imported-by-own-package, on the command line"},
    {"id": "rm-package-import-fails", "versions": ["2.7"], "ignore": ["exception.type", "exception.message"],
     "reason": _IMPORT_SYSTEM + ": the package's own failing import propagates unchanged in 2.7 (RM-25), and "
               "that error is the host's ModuleNotFoundError (\"No module named 'nosuchthing_xyz'\") where 2.7 "
               "raised ImportError without quotes"},
    {"id": "rp-file-run-name", "versions": ["2.7"],
     "ignore": ["records.0.specials.__package__", "records.0.dunders", "result_dunders", "warnings"],
     "reason": _IMPORT_SYSTEM + ": in 2.7 an import statement in a module whose __package__ is None sets it "
               "from __name__ ('a.b') and warns that 'a.b' is not found (implicit relative imports); what "
               "runpy set, read before any import, is equal (None, RP-15)"},
    {"id": "m-py-suffix", "versions": ["3.6"], "ignore": ["stderr"],
     "reason": "as rm-py-suffix, on the command line"},
    {"id": "m-py-suffix", "versions": ["2.7"], "ignore": ["snaps.0"],
     "reason": "as rm-py-suffix in 2.7, on the command line; the one-line error is equal"},
    {"id": "m-package-import-fails", "versions": ["2.7"], "ignore": ["stderr"],
     "reason": _IMPORT_SYSTEM + ": the package's own failed import is worded 'No module named nosuchthing_xyz' by "
               "2.7's import and with quotes by the host's; the traceback, its frames and the status are equal"},
    {"id": "f-directory", "versions": ["3.6", "3.7"], "ignore": ["snaps.0.specials.__file__",
                                                                  "snaps.0.specials.__cached__"],
     "reason": _IMPORT_SYSTEM + ": 3.6 and 3.7's FileFinder kept a relative sys.path entry relative "
               "(__file__ 'scriptdir/__main__.py'); the host's makes it absolute (CLI-30). sys.path[0] is equal"},
    {"id": "rp-directory", "versions": ["3.6", "3.7"], "ignore": ["records.0.specials.__file__",
                                                                   "records.0.specials.__cached__"],
     "reason": "as f-directory, through run_path (RP-16)"},
    {"id": "rp-directory-run-name", "versions": ["3.6", "3.7"], "ignore": ["records.0.specials.__file__",
                                                                            "records.0.specials.__cached__"],
     "reason": "as f-directory, through run_path (RP-16)"},
]
