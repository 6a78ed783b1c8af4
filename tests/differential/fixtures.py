"""The fixture tree every differential scenario runs against, as data.

Each file is a few lines of user code ending in ``_probe.snap(globals())``,
which records what the code saw while it ran (see ``_PROBE`` below).  The tree
is written into a fresh directory *by the interpreter under test* (the
``build`` command of ``observer.py``), so that the legacy ``.pyc`` files carry
that interpreter's magic number.

This module must run unchanged on CPython 3.9 to 3.13: no ``match``, no
3.10-only syntax.
"""

from __future__ import annotations

import os
import py_compile
import zipfile

_PROBE = r'''
"""Records what running code sees: special globals, key order, sys state.

In a child started by observer.py (API scenarios) ``PRINT`` is set to False
and snapshots are collected in ``SNAPS``; in a command-line run each
snapshot is printed as one ``SNAP {...}`` line on stdout, as a Python literal
(``repr`` of plain data; the harness reads it with ``ast.literal_eval``):
importing json would cost every child process about 10 ms.
"""
import os
import sys

FIX = os.path.dirname(os.path.abspath(__file__))
PRINT = True
SNAPS = []
LAST = None
IMPL = None
SPECIALS = ("__name__", "__file__", "__cached__", "__doc__", "__loader__", "__package__", "__spec__")


def norm(value):
    """JSON-able, with the fixture directory and the interpreter made symbolic."""
    if isinstance(value, str):
        text = value.replace(FIX, "<fx>")
        return text.replace(sys.executable, "<python>") if sys.executable else text
    if isinstance(value, bytes):
        return {"bytes": norm(os.fsdecode(value))}
    if isinstance(value, (list, tuple)):
        return [norm(item) for item in value]
    if isinstance(value, dict):
        return {str(key): norm(item) for key, item in value.items()}
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if hasattr(value, "__fspath__"):
        return {"pathlike": type(value).__name__, "path": norm(os.fspath(value))}
    return {"type": type(value).__name__}


def spec_info(spec):
    if spec is None:
        return None
    if not hasattr(spec, "origin"):
        return {"not_a_spec": type(spec).__name__}
    locations = spec.submodule_search_locations
    return {
        "name": spec.name,
        "origin": norm(spec.origin),
        "parent": spec.parent,
        "cached": norm(spec.cached),
        "loader": type(spec.loader).__name__,
        "locations": None if locations is None else norm(list(locations)),
    }


def special(key, value):
    if key == "__loader__":
        return None if value is None else {"loader": type(value).__name__}
    if key == "__spec__":
        return spec_info(value)
    return norm(value)


def module_info(module, namespace):
    """How a sys.modules entry relates to the running code's globals."""
    if module is None:
        return "absent"
    if getattr(module, "__dict__", None) is namespace:
        return "the running namespace"
    return {"type": type(module).__name__, "name": norm(getattr(module, "__name__", None)),
            "file": norm(getattr(module, "__file__", None))}


def driver():
    """Module names of the frames that called the running code (a marker, not compared)."""
    names = []
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_globals.get("__name__")
        code_file = frame.f_code.co_filename
        if not str(code_file).startswith(FIX) and name not in names:
            names.append(str(name))
        frame = frame.f_back
    return names


def snap(namespace, **extra):
    global LAST
    LAST = namespace
    name = namespace.get("__name__")
    runpy_module = sys.modules.get("runpy")
    record = {
        "keys": [str(key) for key in namespace],
        "specials": {key: special(key, namespace[key]) for key in SPECIALS if key in namespace},
        "argv": norm(list(sys.argv)),
        "path01": norm(sys.path[:2]),
        "modules_run_name": module_info(sys.modules.get(name) if isinstance(name, str) else None,
                                        namespace),
        "modules_main": module_info(sys.modules.get("__main__"), namespace),
        "main_is_globals": getattr(sys.modules.get("__main__"), "__dict__", None) is namespace,
        "extra": norm(extra),
        "marker_runpy": getattr(runpy_module, "__name__", None),
        "marker_driver": driver(),
    }
    if PRINT:
        sys.stdout.write("SNAP " + repr(record) + "\n")
        sys.stdout.flush()
    else:
        SNAPS.append(record)
'''

_SNAP = "import _probe\n_probe.snap(globals())\n"


def _module(doc: str, body: str = "", tail: str = _SNAP) -> str:
    return f'"""{doc}"""\nimport sys\n{body}{tail}'


PICKLER = _module(
    "Defines a class and pickles an instance of it.",
    "import pickle\n\n\nclass Thing:\n    pass\n\n\n"
    "try:\n    RESULT = type(pickle.loads(pickle.dumps(Thing()))).__qualname__\n"
    "except Exception as exc:\n    RESULT = '%s: %s' % (type(exc).__name__, exc)\n",
    "import _probe\n_probe.snap(globals(), pickle=RESULT)\n",
)

FILES: dict[str, str] = {
    "_probe.py": _PROBE,
    "mod.py": _module("A plain module.", "X = 1\n"),
    "unicodé.py": _module("A module with a non-ASCII name."),
    "mpmod.py": _module(
        "Starts a child process with the spawn method: the child re-imports __main__.",
        "import multiprocessing\n\n\ndef work(x):\n    print('CHILD', x * x, __name__, flush=True)\n\n\n"
        "if __name__ == '__main__':\n    process = multiprocessing.get_context('spawn').Process("
        "target=work, args=(7,))\n    process.start()\n    process.join()\n"
        "    print('EXIT', process.exitcode, flush=True)\n",
    ),
    "my-mod.py": _module("A module whose name is not an identifier."),
    "data.json": '{"b": [1, 2], "a": "x"}\n',
    "pkg/__init__.py": '"""pkg"""\nPKG_INIT = True\nimport _probe\n_probe.snap(globals())\n',
    "pkg/__main__.py": _module("pkg's __main__."),
    "pkg/sub.py": _module("pkg.sub"),
    "pkg/nested/__init__.py": "",
    "pkg/nested/__main__.py": _module("pkg.nested's __main__."),
    "pkg/nested/deep.py": _module("pkg.nested.deep"),
    "nspkg/sub.py": _module("A module in a namespace package."),
    "nsmain/__main__.py": _module("__main__ of a namespace package."),
    "nomain/__init__.py": "",
    "mainpkg/__init__.py": "",
    "mainpkg/__main__/__init__.py": "",
    "badinit/__init__.py": "raise ValueError('badinit refuses to initialise')\n",
    "badinit/sub.py": _module("never reached"),
    "warnpkg/__init__.py": "from . import sub\n",
    "warnpkg/sub.py": _module("imported by its own package first"),
    "syntaxerr.py": "x = 1\ny = (\n",
    "synpkg/__init__.py": "",
    "synpkg/__main__.py": "def broken(:\n    pass\n",
    "badimport/__init__.py": "import nosuchthing_at_all\n",
    "badimport/__main__.py": _module("never reached"),
    "badimport/sub.py": _module("never reached"),
    "importerrmain/__init__.py": "",
    "importerrmain/__main__.py": _module("Fails to import something.", "import nosuchthing_at_all\n", ""),
    "badcookie.py": "# -*- coding: no-such-codec -*-\nX = 1\n",
    "raiser.py": _module(
        "Raises with an explicit cause.",
        "import _probe\n_probe.snap(globals())\n\n\ndef fail():\n    try:\n        {}['key']\n"
        "    except KeyError as exc:\n        raise ValueError('boom') from exc\n\n\nfail()\n",
        "",
    ),
    "ctxerr.py": _module(
        "Raises while handling another exception.",
        "try:\n    1 / 0\nexcept ZeroDivisionError:\n    raise RuntimeError('during handling')\n",
        "",
    ),
    "exit3.py": _module("Exits with status 3.", "import _probe\n_probe.snap(globals())\nsys.exit(3)\n", ""),
    "exitmsg.py": _module("Exits with a message.", "sys.exit('leaving: a message')\n", ""),
    "kbint.py": _module("Interrupted.", "import _probe\n_probe.snap(globals())\nraise KeyboardInterrupt\n",
                        ""),
    "pickler.py": PICKLER,
    "script.py": _module("A script for run_path.", "Y = 2\n"),
    "scriptdir/__main__.py": _module("A directory's __main__.", "import helper\n"),
    "scriptdir/helper.py": "HELPER = True\n",
    "selfdel.py": _module("Deletes its own sys.modules entry.",
                          "import _probe\n_probe.snap(globals())\ndel sys.modules[__name__]\n", ""),
    "replacemod.py": _module("Replaces its own sys.modules entry.",
                             "import _probe\n_probe.snap(globals())\nsys.modules[__name__] = 'replaced'\n",
                             ""),
    "alter.py": _module(
        "Replaces sys.argv and pushes on sys.path.",
        "import _probe\n_probe.snap(globals())\nsys.argv = ['replaced', 'argv']\n"
        "sys.path.insert(0, 'pushed-by-code')\n",
        "",
    ),
    "popself/__main__.py": _module(
        "Removes its own sys.path entry.", "import _probe\n_probe.snap(globals())\nsys.path.pop(0)\n", ""
    ),
    "nested.py": _module(
        "Runs another module from inside.",
        "import _probe\nINNER = sorted(k for k in _probe.IMPL.run_module('mod', run_name='inner') "
        "if k.startswith('__'))\n",
        "_probe.snap(globals(), inner=INNER)\n",
    ),
    "emptydir/.keep": "",
}
"""Source files, by path relative to the fixture directory."""

BINARY: dict[str, bytes] = {
    "bomcookie.py": b"\xef\xbb\xbf# -*- coding: latin-1 -*-\nX = 1\n",
    "badmagic.pyc": b"\x00\x01\x02\x03" + b"\x00" * 12 + b"not bytecode",
    "latin1.py": (
        b"# -*- coding: latin-1 -*-\n\"\"\"Source with an encoding cookie.\"\"\"\n"
        b"TEXT = '\xe9t\xe9 \xe0 \xa3'\nimport _probe\n_probe.snap(globals(), text=TEXT)\n"
    ),
}

ZIPS: dict[str, dict[str, str]] = {
    "app.zip": {"__main__.py": _module("A zip file's __main__.", "import helper\n"), "helper.py": ""},
    "app.pyz": {"__main__.py": _module("A .pyz file's __main__.", "import helper\n"), "helper.py": ""},
    "nomain.zip": {"helper.py": ""},
    "lib.zip": {
        "zmod.py": _module("A module inside a zip on sys.path."),
        "zpkg/__init__.py": "",
        "zpkg/__main__.py": _module("__main__ of a package inside a zip."),
    },
}

LEGACY: dict[str, str] = {
    "legacy.pyc": _module("Source-less bytecode next to the modules.", "Z = 3\n"),
    "legacypkg/__init__.pyc": "",
    "legacypkg/__main__.pyc": _module("Source-less __main__ of a package."),
}
"""Compiled by the interpreter under test; the source is then removed."""

AUDIT = (
    "import sys\n"
    "def _hook(event, args):\n"
    "    if event.startswith('cpython.run_'):\n"
    "        sys.stderr.write('AUDIT %s %r\\n' % (event, args))\n"
    "sys.addaudithook(_hook)\n"
)
"""``audit/sitecustomize.py``: print the interpreter's ``cpython.run_*`` audit events (CLI-20)."""

SHIM = (
    "import os, sys\n"
    "import runpy_ref\n"
    "sys.modules['runpy'] = runpy_ref\n"
    "if os.environ.get('SHIM_TRACE'):\n"
    "    from runpy_ref.sinks import JsonLinesSink\n"
    "    _path = '%s.%d' % (os.environ['SHIM_TRACE'], os.getpid())  # one file per process\n"
    "    _stream = open(_path, 'w', buffering=1, encoding='utf-8')\n"
    "    _tracing = runpy_ref.tracing(JsonLinesSink(_stream), keep=False)  # kept: closing it ends tracing\n"
    "    _tracing.__enter__()\n"
)
"""``shim/sitecustomize.py``: swap runpy_ref in for runpy at start-up.

With ``SHIM_TRACE`` set, every runpy_ref call in the process is also traced
to ``$SHIM_TRACE.<pid>``: proof that runpy_ref, not the stdlib, did the work.
"""


def build(root: str) -> None:
    """Write the fixture tree under ``root`` (which must exist)."""
    for rel, text in FILES.items():
        _write(root, rel, text.encode("utf-8"))
    for rel, data in BINARY.items():
        _write(root, rel, data)
    for rel, members in ZIPS.items():
        with zipfile.ZipFile(os.path.join(root, rel), "w") as archive:
            for name, text in members.items():
                archive.writestr(name, text)
    for rel, text in LEGACY.items():
        source = os.path.join(root, rel[:-1])
        _write(root, rel[:-1], text.encode("utf-8"))
        py_compile.compile(source, cfile=os.path.join(root, rel), dfile=source[: -len(".py")] + ".py",
                           doraise=True)
        os.remove(source)
    _write(root, "shim/sitecustomize.py", SHIM.encode("utf-8"))
    _write(root, "audit/sitecustomize.py", AUDIT.encode("utf-8"))
    os.symlink(os.path.join("pkg", "sub.py"), os.path.join(root, "link.py"))  # sys.path[0] follows it
    os.symlink("scriptdir", os.path.join(root, "linkdir"))


def _write(root: str, rel: str, data: bytes) -> None:
    path = os.path.join(root, *rel.split("/"))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as stream:
        stream.write(data)
