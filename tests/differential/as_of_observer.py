"""Runs inside a child interpreter for test_as_of.py: do runpy calls, print what the code saw.

Usage (the tests drive it; it is not meant for people)::

    python as_of_observer.py build FIXDIR
    python as_of_observer.py api runpy FIXDIR < scenarios.json          # the interpreter's own runpy
    python as_of_observer.py api runpy_ref@2.7 FIXDIR < scenarios.json  # runpy_ref.as_of("2.7") on the host
    python as_of_observer.py api runpy_ref@2.7+trace FIXDIR < ...       # the same, inside tracing()

Written in the subset of Python that CPython 2.7 and 3.6-3.13 all read
(no f-strings, no annotations), because the real side of each comparison
is the old interpreter itself.  Each scenario runs in a forked copy of this
process, so scenarios never share ``sys.modules`` or ``sys.path``.  Every
path in an observation is written relative to the fixture directory
(``<fx>``), and the interpreter as ``<python>``.
"""

import io
import json
import os
import sys
import traceback
import warnings
import zipfile

SNAP = r'''
"""What running code sees: which special globals exist and their values, argv, sys.path[0].

Fixture code starts with ``SEEN_PACKAGE = globals().get('__package__', ABSENT)``
before any import, because an import statement on Python 2 rewrites a None
``__package__`` (an import-system side effect, not runpy's doing).
"""
import json
import os
import re
import sys

FIX = os.path.dirname(os.path.abspath(__file__))
if os.path.basename(FIX) in ("sub", "scriptdir") or FIX.endswith(".zip"):
    FIX = os.path.dirname(FIX)
RECORDS = []
PRINT = True
IMPL = None
SPECIALS = ("__name__", "__file__", "__cached__", "__doc__", "__package__")


def norm(value):
    if isinstance(value, bytes) and not isinstance(value, str):
        return {"bytes": norm(value.decode("utf-8"))}
    try:
        text_type = unicode  # noqa: F821 - Python 2
    except NameError:
        text_type = str
    if isinstance(value, (str, text_type)):
        text = str(value).replace(FIX, "<fx>").replace(os.path.realpath(FIX), "<fx>")
        if sys.executable:
            text = text.replace(sys.executable, "<python>")
        return re.sub(r"\.cpython-\d+\.pyc", ".<tag>.pyc", text)
    if isinstance(value, (list, tuple)):
        return [norm(item) for item in value]
    if isinstance(value, dict):
        return dict((str(k), norm(v)) for k, v in value.items())
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return "<%s>" % type(value).__name__


def emit(record):
    if PRINT:
        sys.stdout.write("SNAP " + json.dumps(record, sort_keys=True) + "\n")
        sys.stdout.flush()
    else:
        RECORDS.append(record)


def snap(namespace, label="main"):
    name = namespace.get("__name__")
    module = sys.modules.get(name) if isinstance(name, str) else None
    spec = namespace.get("__spec__", "<absent>")
    loader = namespace.get("__loader__", "<absent>")
    record = {
        "label": label,
        "dunders": sorted(key for key in namespace if key.startswith("__") and key.endswith("__")),
        "specials": dict((key, norm(namespace[key])) for key in SPECIALS if key in namespace),
        "package_before_imports": norm(namespace.get("SEEN_PACKAGE", "<unset>")),
        "loader": norm(loader) if loader is None or isinstance(loader, str) else "a loader",
        "spec": {"name": spec.name, "parent": spec.parent} if hasattr(spec, "parent") else norm(spec),
        "argv": norm(list(sys.argv)),
        "path0": norm(sys.path[0]) if sys.path else "<empty>",
        "in_modules": module is not None and getattr(module, "__dict__", None) is namespace,
        "main_is_self": getattr(sys.modules.get("__main__"), "__dict__", None) is namespace,
    }
    emit(record)


def put(key, value):
    emit({"label": "put", "key": key, "value": norm(value)})
'''

HEAD = "SEEN_PACKAGE = globals().get('__package__', '<absent>')\n"
SNAP_CALL = "import _snap\n_snap.snap(globals())\n"

FILES = {
    "mod.py": HEAD + SNAP_CALL,
    "docmod.py": '"""Doc of docmod."""\n' + HEAD + SNAP_CALL,
    "funcmod.py": HEAD + "X = 'value'\n\n\ndef f():\n    return X\n",
    "nested.py": HEAD + "import _snap\nINNER = sorted(k for k in _snap.IMPL.run_module('mod', run_name='inner') "
                        "if k.startswith('__'))\n_snap.put('inner', INNER)\n_snap.snap(globals())\n",
    "pkg/__init__.py": "import sys\nimport _snap\n_snap.put('init_argv0', sys.argv[0])\n",
    "pkg/__main__.py": HEAD + SNAP_CALL,
    "pkg/sub.py": HEAD + SNAP_CALL,
    "pkg/nested/__init__.py": "",
    "pkg/nested/__main__.py": HEAD + SNAP_CALL,
    "nomain/__init__.py": "",
    "mainpkg/__init__.py": "",
    "mainpkg/__main__/__init__.py": "",
    "badinit/__init__.py": "raise ValueError('badinit refuses')\n",
    "badinit/sub.py": HEAD + SNAP_CALL,
    "badimport/__init__.py": "import nosuchthing_xyz\n",
    "badimport/__main__.py": HEAD + SNAP_CALL,
    "warnpkg/__init__.py": "from . import sub\n",
    "warnpkg/sub.py": HEAD + SNAP_CALL,
    "raiser.py": HEAD + SNAP_CALL + "raise ValueError('boom')\n",
    "exit3.py": HEAD + SNAP_CALL + "import sys\nsys.exit(3)\n",
    "exitmsg.py": "import sys\nsys.exit('leaving: a message')\n",
    "kbint.py": HEAD + SNAP_CALL + "raise KeyboardInterrupt\n",
    "script.py": HEAD + SNAP_CALL,
    "sub/script2.py": HEAD + SNAP_CALL,
    "sub/_snap.py": SNAP,
    "scriptdir/__main__.py": HEAD + SNAP_CALL,
    "scriptdir/_snap.py": SNAP,
    "emptydir/.keep": "",
    "_snap.py": SNAP,
}

ZIPS = {
    "app.zip": {"__main__.py": HEAD + SNAP_CALL, "_snap.py": SNAP},
    "lib.zip": {"zmod.py": HEAD + SNAP_CALL},
    "nomain.zip": {"helper.py": ""},
}


def build(root):
    for rel, text in FILES.items():
        path = os.path.join(root, *rel.split("/"))
        if not os.path.isdir(os.path.dirname(path)):
            os.makedirs(os.path.dirname(path))
        with open(path, "w") as stream:
            stream.write(text)
    for rel, members in ZIPS.items():
        archive = zipfile.ZipFile(os.path.join(root, rel), "w")
        for name, text in members.items():
            archive.writestr(name, text)
        archive.close()
    os.symlink(os.path.join("sub", "script2.py"), os.path.join(root, "link.py"))


# -- one API scenario, in a forked child ---------------------------------------------


def describe_exc(exc, probe):
    if exc is None:
        return None
    info = {"type": type(exc).__name__, "message": probe.norm(str(exc))}
    if isinstance(exc, SyntaxError):
        info["message"] = "<the compiler's>"
    if isinstance(exc, SystemExit):
        info["code"] = probe.norm(exc.code)
    return info


def perform(call, probe, scenario, fix):
    sys.argv[:] = ["observer-argv0", "observer-arg1"]
    for entry in reversed(scenario.get("path_prepend", [])):
        sys.path.insert(0, os.path.join(fix, entry))
    for name in scenario.get("pre_import", []):
        __import__(name)
    argv_before, path_before = list(sys.argv), list(sys.path)
    watched = scenario.get("watch", [])
    present_before = dict((name, name in sys.modules) for name in watched)
    result, error, called = None, None, {}
    printed = io.StringIO() if sys.version_info[0] > 2 else io.BytesIO()
    real_stdout = sys.stdout
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sys.stdout = printed
        try:
            result = call(scenario)
            for name in scenario.get("call_after", []):
                called[name] = probe.norm(result[name]())
        except BaseException as exc:  # every way out is an observation
            error = exc
        finally:
            sys.stdout = real_stdout
    return {
        "records": probe.RECORDS,
        "printed": probe.norm(printed.getvalue()),
        "result_dunders": None if result is None else sorted(k for k in result if k.startswith("__")),
        "result_name": None if result is None else probe.norm(result.get("__name__")),
        "called_after": called,
        "exception": describe_exc(error, probe),
        "warnings": [{"category": w.category.__name__, "message": probe.norm(str(w.message))} for w in caught],
        "after": {
            "argv_restored": sys.argv == argv_before,
            "path_restored": sys.path == path_before,
            "modules": dict((name, name in sys.modules) for name in watched),
            "modules_before": present_before,
        },
    }


def run_forked(call, probe, scenario, fix):
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        try:
            payload = json.dumps(perform(call, probe, scenario, fix), sort_keys=True)
        except BaseException:
            payload = json.dumps({"observer_crash": traceback.format_exc()})
        stream = os.fdopen(write_end, "w")
        stream.write(payload)
        stream.close()
        os._exit(0)
    os.close(write_end)
    stream = os.fdopen(read_end, "r")
    data = stream.read()
    stream.close()
    os.waitpid(pid, 0)
    return json.loads(data) if data else {"observer_crash": "no output"}


def native(value):
    """Python 2: JSON text is unicode; module names and paths are passed as str, as a user passes them."""
    if sys.version_info[0] > 2:  # noqa: UP036 - this file runs on 2.7 too
        return value
    if isinstance(value, unicode):  # noqa: F821 - Python 2 only
        return value.encode("utf-8")
    if isinstance(value, list):
        return [native(item) for item in value]
    if isinstance(value, dict):
        return dict((native(k), native(v)) for k, v in value.items())
    return value


def argument(value):
    """``{"$bytes": p}`` and ``{"$pathlib": p}`` stand for bytes and ``pathlib.Path`` arguments."""
    if isinstance(value, dict) and "$bytes" in value:
        return value["$bytes"].encode("utf-8")
    if isinstance(value, dict) and "$pathlib" in value:
        import pathlib

        return pathlib.Path(value["$pathlib"])
    return value


def caller(impl_name, probe):
    """A function doing one scenario's call with the interpreter's runpy or runpy_ref as of a version."""
    if impl_name == "runpy":
        import runpy as impl

        probe.IMPL = impl

        def call(scenario):
            args = [argument(a) for a in scenario["args"]]
            return getattr(impl, scenario["call"])(*args, **scenario.get("kwargs", {}))
        return call
    import runpy_ref

    version, _, traced = impl_name.partition("@")[2].partition("+")
    profile = runpy_ref.select_profile(version)

    class AsOf(object):  # noqa: UP004 - a new-style class on 2.7 too
        """runpy_ref, every call made as of ``version`` (what nested calls reach through ``_snap.IMPL``)."""

        def __getattr__(self, name):
            function = getattr(runpy_ref, name)

            def as_of(*args, **kwargs):
                with runpy_ref.as_of(profile):
                    if not traced:
                        return function(*args, **kwargs)
                    with runpy_ref.tracing():  # observing must change nothing
                        return function(*args, **kwargs)
            return as_of

    probe.IMPL = impl = AsOf()

    def call_as_of(scenario):
        args = [argument(a) for a in scenario["args"]]
        return getattr(impl, scenario["call"])(*args, **scenario.get("kwargs", {}))
    return call_as_of


def api(impl_name, fix):
    scenarios = native(json.loads(sys.stdin.read()))
    sys.path.insert(0, fix)
    os.chdir(fix)
    import _snap as probe

    probe.PRINT = False
    version = "%d.%d" % sys.version_info[:2] if impl_name == "runpy" else impl_name[10:].partition("+")[0]
    scenarios = [s for s in scenarios if version in s.get("versions", [version])]
    call = caller(impl_name, probe)
    out = dict((s["id"], run_forked(call, probe, s, fix)) for s in scenarios)
    sys.stdout.write(json.dumps(out, sort_keys=True))


def main(argv):
    if argv[0] == "build":
        build(argv[1])
    elif argv[0] == "api":
        api(argv[1], argv[2])
    else:
        sys.stderr.write("unknown command %r\n" % argv[0])
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
