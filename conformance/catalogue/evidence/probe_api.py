# -*- coding: utf-8 -*-
"""Probe runpy's library API (run_module / run_path) on the running interpreter.

Single-source for Python 2.7 and 3.6+.  Builds a throw-away fixture tree,
runs one check per output line and prints ``<ROW-ID>.<check> = <value>``.
Machine-specific parts of values are normalised: the fixture directory is
shown as <T>, the bytecode cache tag as <TAG>.  Used by ../verify.py; the
stored output is evidence/observations.txt.  Does not import runpy_ref.
"""
from __future__ import print_function
import os, sys, shutil, tempfile, zipfile, py_compile, warnings, inspect, io
import runpy

PY3 = sys.version_info[0] >= 3
T = tempfile.mkdtemp(prefix="rpcat")
TR = os.path.realpath(T)
TAG = getattr(getattr(sys, "implementation", None), "cache_tag", None)
OUT = []
sys.dont_write_bytecode = True


def norm(s):
    s = str(s)
    for p in (TR, T):
        s = s.replace(p, "<T>")
    if TAG:
        s = s.replace(TAG, "<TAG>")
    return s


def show(v):
    if isinstance(v, type):
        return "type:" + v.__name__
    if v is None or isinstance(v, (bool, int)):
        return repr(v)
    if isinstance(v, str):
        return norm(repr(v))
    if PY3 and isinstance(v, bytes):
        return "bytes:" + norm(v.decode())
    if not PY3 and isinstance(v, unicode):  # noqa: F821
        return "unicode:" + norm(v)
    return "<%s>" % type(v).__name__


def out(key, value, raw=False):
    line = "%s = %s" % (key, norm(value) if raw else show(value))
    OUT.append(line)
    print(line)
    sys.stdout.flush()


def cls(obj):
    """Class name, also for 2.7 old-style instances (pkgutil.ImpLoader)."""
    return getattr(obj, "__class__", type(obj)).__name__


def err(fn):
    try:
        fn()
        return "no error"
    except BaseException as e:
        return "%s: %s" % (type(e).__name__, norm(e))


def write(rel, text, binary=False):
    path = os.path.join(T, rel)
    d = os.path.dirname(path)
    if not os.path.isdir(d):
        os.makedirs(d)
    with open(path, "wb") as f:
        f.write(text if binary else text.encode("utf-8"))
    return path


TARGET = '''\
import sys
X = "module-global"
def get_x():
    return X
_r = globals().get("REC")
if _r is not None:
    _r["argv0"] = sys.argv[0]
    _r["name"] = __name__
    _r["in_modules"] = __name__ in sys.modules
    _m = sys.modules.get(__name__)
    _r["modules_entry_is_ns"] = _m is not None and getattr(_m, "__dict__", None) is globals()
    _r["main_is_self"] = sys.modules["__main__"].__dict__ is globals()
    _r["path0"] = sys.path[0]
    _r["globals"] = globals()
    try:
        import imp as _lk
    except ImportError:
        import _imp as _lk
    _r["lock_held"] = _lk.lock_held()
    if _r.get("raise"):
        raise KeyError("from target")
'''

LIB = os.path.join(T, "lib")
write("lib/top_mod.py", TARGET)
write("lib/docmod.py", '"""Module docstring."""\n')
write("lib/sidefx_user.py", "import sidefx_dep\n")
write("lib/sidefx_dep.py", "")
write("lib/pkg/__init__.py", "")
write("lib/pkg/__main__.py", TARGET)
write("lib/pkg/mod.py", TARGET + "from . import sibling\nSIB = sibling.S\n")
write("lib/pkg/sibling.py", "S = 'sibling'\n")
write("lib/nomain/__init__.py", "")
write("lib/pkgpkg/__init__.py", "")
write("lib/pkgpkg/__main__/__init__.py", "")
write("lib/badinit/__init__.py", "raise ValueError('boom in init')\n")
write("lib/badinit/sub.py", "")
write("lib/ns/inner.py", TARGET)
write("lib/nsmain/__main__.py", TARGET)
write("lib/nsnomain/x.py", "")
write("lib/synerr.py", "def broken(:\n")
write("lib/raiser.py", "raise LookupError('raised by module body')\n")
write("lib/warnpkg/__init__.py", "from . import sub\n")
write("lib/warnpkg/sub.py", "")
write("lib/warnpkg2/__init__.py", "from . import __main__\n")
write("lib/warnpkg2/__main__.py", "")
write("lib/warnpkg3/__init__.py", "")
write("lib/warnpkg3/__main__.py", "")
write("lib/warnpkg4/__init__.py", "from . import subpkg\n")
write("lib/warnpkg4/subpkg/__init__.py", "")
write("lib/warnpkg4/subpkg/__main__.py", "")
src = write("lib/compiled_mod.py", "X = 'from pyc'\n")
py_compile.compile(src, cfile=os.path.join(LIB, "compiled_mod.pyc"), doraise=True)
os.remove(src)
# package whose __init__ is an unusable .pyc (bad magic number)
write("lib/badpyc/__init__.pyc", b"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", binary=True)
write("lib/badpyc/__main__.py", "")
# zip on sys.path
zpath = os.path.join(T, "modzip.zip")
with zipfile.ZipFile(zpath, "w") as z:
    z.writestr("zipmod.py", TARGET)
sys.path[:0] = [LIB, zpath]

# run_path fixtures
SCRIPT = write("script.py", TARGET)
write("script_noext", TARGET)
PKGCAP = "P0 = __package__\n"
write("pkgcap.py", PKGCAP)
write("pkgcapdir/__main__.py", PKGCAP)
write("script_latin1.py", b"# -*- coding: latin-1 -*-\nS = u'\xe9'\n", binary=True)
write("raiser_script.py", TARGET)
csrc = write("compiled_src.py", "X = 'from compiled file'\n")
py_compile.compile(csrc, cfile=os.path.join(T, "compiled.pyc"), doraise=True)
py_compile.compile(csrc, cfile=os.path.join(T, "compiled.data"), doraise=True)
write("appdir/__main__.py", TARGET)
write("emptydir/placeholder.txt", "")
write("otherpath/__main__.py", "OTHER_MAIN = True\n")
azip = os.path.join(T, "app.zip")
with zipfile.ZipFile(azip, "w") as z:
    z.writestr("__main__.py", TARGET)
rzip = os.path.join(T, "recurse.zip")
with zipfile.ZipFile(rzip, "w") as z:
    z.writestr("__main__.py", "import runpy\nrunpy.run_path(%r)\n" % os.path.join(T, "emptydir"))
os.chdir(T)

# ---------------------------------------------------------------- general
out("G-03.__all__", repr(runpy.__all__), raw=True)
out("G-06.imported_dependency_stays", (runpy.run_module("sidefx_user"), "sidefx_dep" in sys.modules)[1])

for label, call in (("noalter", lambda: runpy.run_module("top_mod")),
                    ("alter", lambda: runpy.run_module("top_mod", alter_sys=True)),
                    ("run_path", lambda: runpy.run_path(SCRIPT))):
    res = call()
    out("G-08.%s.function_sees_global_after_return" % label, res["get_x"]())

out("G-10.import_lock_held_in_target", (lambda r: (runpy.run_module("top_mod", {"REC": r}), r["lock_held"])[1])({}))

try:
    import builtins as _bi
except ImportError:
    import __builtin__ as _bi
BD = dict(vars(_bi))
BD["marker"] = 1
res = runpy.run_module("top_mod", {"__builtins__": BD})
out("G-12.run_module.init_globals_builtins_kept", res["__builtins__"] is BD)
out("G-12.run_module.default_builtins_type", type(runpy.run_module("top_mod")["__builtins__"]).__name__, raw=True)
out("G-12.run_path.init_globals_builtins_kept", runpy.run_path(SCRIPT, {"__builtins__": BD})["__builtins__"] is BD)

for label, call in (("run_module", lambda ig: runpy.run_module("top_mod", ig)),
                    ("run_module_alter", lambda ig: runpy.run_module("top_mod", ig, alter_sys=True)),
                    ("run_path", lambda ig: runpy.run_path(SCRIPT, ig))):
    r = call({"__doc__": "user doc"})
    out("G-13.%s.init_doc_result" % label, r.get("__doc__", "<absent>"))
    r = call(None)
    out("G-13.%s.no_docstring_result" % label, r.get("__doc__", "<absent>"))
out("G-13.run_module.docstring_module", runpy.run_module("docmod", {"__doc__": "user doc"})["__doc__"])

rec = {}
res = runpy.run_module("top_mod", {"REC": rec})
out("G-14.noalter.result_is_exec_dict", res is rec["globals"])
rec = {}
res = runpy.run_module("top_mod", {"REC": rec}, alter_sys=True)
out("G-14.alter.result_is_copy", res is not rec["globals"] and res == rec["globals"])
rec = {}
res = runpy.run_path(SCRIPT, {"REC": rec})
out("G-14.run_path.result_is_copy", res is not rec["globals"] and res == rec["globals"])


def exact_type(fn):
    try:
        fn()
        return "no error"
    except Exception as e:
        return type(e).__name__


out("G-15.missing_module_type", exact_type(lambda: runpy.run_module("no_such_module_xyz")), raw=True)
out("G-15.relative_name_type", exact_type(lambda: runpy.run_module(".rel")), raw=True)
out("G-15.nomain_package_type", exact_type(lambda: runpy.run_module("nomain")), raw=True)
out("G-16.run_module_syntax_error", exact_type(lambda: runpy.run_module("synerr")), raw=True)
out("G-16.run_path_syntax_error", exact_type(lambda: runpy.run_path(os.path.join(LIB, "synerr.py"))), raw=True)

with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    runpy.run_module("top_mod")
    runpy.run_module("pkg.mod", alter_sys=True)
    runpy.run_path(SCRIPT)
    runpy.run_path(os.path.join(T, "appdir"))
out("G-17.warnings_emitted", repr(sorted(set("%s: %s" % (x.category.__name__, x.message) for x in w))), raw=True)
out("G-18.pkgutil_imported_by_import_runpy", "see probe_cli", raw=True)

# ---------------------------------------------------------------- run_module
if PY3:
    sig = str(inspect.signature(runpy.run_module))
else:
    a = inspect.getargspec(runpy.run_module)
    sig = "(%s) defaults=%r" % (", ".join(a.args), a.defaults)
out("RM-01.signature", sig, raw=True)
out("RM-01.keyword_call", err(lambda: runpy.run_module(mod_name="top_mod", init_globals=None, run_name="x", alter_sys=False)), raw=True)
res = runpy.run_module("top_mod")
out("RM-02.returns_dict_type", type(res).__name__, raw=True)
out("RM-02.executed", res["X"])
out("RM-03.target_in_sys_modules_after", "top_mod" in sys.modules)
for m in [k for k in sys.modules if k == "pkg" or k.startswith("pkg.")]:
    del sys.modules[m]
runpy.run_module("pkg.mod")
out("RM-03.parent_in_sys_modules_after", "pkg" in sys.modules)
out("RM-03.submodule_in_sys_modules_after", "pkg.mod" in sys.modules)
res = runpy.run_module("compiled_mod")
out("RM-04.sourceless_pyc_runs", res["X"])
out("RM-04.sourceless_pyc.__file__", res["__file__"])
out("RM-04.sourceless_pyc.__cached__", res.get("__cached__", "<absent>"))
out("RM-04.sourceless_pyc.__loader__", cls(res["__loader__"]), raw=True)
res = runpy.run_module("zipmod")
out("RM-04.zip_module_runs", res["X"])
out("RM-05.relative_name", err(lambda: runpy.run_module(".rel")), raw=True)
out("RM-05.relative_name_pkg", err(lambda: runpy.run_module(".mod")), raw=True)
res = runpy.run_module("pkg")
out("RM-06.package.__name__", res["__name__"])
out("RM-06.package.__file__", res["__file__"])
out("RM-06.package.pkg_imported", "pkg" in sys.modules)
out("RM-08.default.__name__", runpy.run_module("top_mod")["__name__"])
out("RM-08.run_name.__name__", runpy.run_module("top_mod", run_name="custom")["__name__"])
out("RM-08.run_name_None.__name__", runpy.run_module("top_mod", run_name=None)["__name__"])
out("RM-08.run_name_empty.__name__", runpy.run_module("top_mod", run_name="")["__name__"])
out("RM-08.package_run_name.__name__", runpy.run_module("pkg", run_name="custom")["__name__"])
for label, name in (("top", "top_mod"), ("submod", "pkg.mod"), ("package", "pkg"), ("zip", "zipmod"), ("nsinner", "ns.inner")):
    try:
        res = runpy.run_module(name)
    except ImportError as ex:
        out("RM-09.%s.error" % label, "%s: %s" % (type(ex).__name__, ex), raw=True)
        continue
    out("RM-09.%s.__file__" % label, res.get("__file__", "<absent>"))
    out("RM-10.%s.__loader__" % label, cls(res.get("__loader__")), raw=True)
    out("RM-11.%s.__package__" % label, res.get("__package__", "<absent>"))
    out("RM-13.%s.__cached__" % label, res.get("__cached__", "<absent>"))
    sp = res.get("__spec__", "<absent>")
    out("RM-14.%s.__spec__.name" % label, getattr(sp, "name", sp))
res = runpy.run_module("pkg.mod", run_name="__main__")
out("RM-12.relative_import_with_run_name_main", res["SIB"])
out("RM-12.relative_import_default", runpy.run_module("pkg.mod")["SIB"])
sp = runpy.run_module("top_mod", run_name="custom").get("__spec__", "<absent>")
out("RM-14.run_name.__spec__.name", getattr(sp, "name", sp))
sp = runpy.run_module("pkg", run_name="custom").get("__spec__", "<absent>")
out("RM-14.package_run_name.__spec__.name", getattr(sp, "name", sp))

ig = {"custom": 1, "__custom__": 2}
before = dict(ig)
res = runpy.run_module("top_mod", ig)
out("RM-15.init_globals_unmodified", ig == before)
out("RM-15.plain_key_survives", res.get("custom"))
out("RM-15.unknown_dunder_survives", res.get("__custom__"))
res = runpy.run_module("top_mod", ig, alter_sys=True)
out("RM-15.alter.plain_key_survives", res.get("custom"))
for special in ("__name__", "__file__", "__loader__", "__package__", "__cached__", "__doc__", "__spec__"):
    res = runpy.run_module("top_mod", {special: "USER"})
    out("RM-16.init_%s_overridden" % special, res.get(special, "<absent>") != "USER")

# alter_sys details
saved_argv0 = sys.argv[0]
rec = {}
res = runpy.run_module("top_mod", {"REC": rec}, alter_sys=True)
out("RM-17.argv0_during_equals___file__", rec["argv0"] == res["__file__"])
out("RM-17.argv0_during", rec["argv0"])
out("RM-17.modules_entry_is_executing_namespace", rec["modules_entry_is_ns"])
out("RM-17.argv0_restored", sys.argv[0] == saved_argv0)
out("RM-17.modules_entry_removed", "top_mod" not in sys.modules)
rec = {}
runpy.run_module("top_mod", {"REC": rec}, run_name="elsewhere", alter_sys=True)
out("RM-17.run_name_key_used", rec["in_modules"] and rec["modules_entry_is_ns"])
sentinel = type(sys)("existing")
sys.modules["existing_key"] = sentinel
runpy.run_module("top_mod", run_name="existing_key", alter_sys=True)
out("RM-17.existing_entry_restored_identity", sys.modules.get("existing_key") is sentinel)
del sys.modules["existing_key"]
rec = {"raise": True}
e = err(lambda: runpy.run_module("top_mod", {"REC": rec}, run_name="exc_key", alter_sys=True))
out("RM-18.exception_propagates", e, raw=True)
out("RM-18.argv0_restored_after_exception", sys.argv[0] == saved_argv0)
out("RM-18.modules_restored_after_exception", "exc_key" not in sys.modules)
real_main = sys.modules["__main__"]
rec = {}
runpy.run_module("top_mod", {"REC": rec}, run_name="__main__", alter_sys=True)
out("RM-19.main_replaced_during", rec["main_is_self"] and rec["modules_entry_is_ns"])
out("RM-19.main_restored", sys.modules["__main__"] is real_main)
rec = {}
runpy.run_module("top_mod", {"REC": rec})
out("RM-20.argv0_untouched", rec["argv0"] == saved_argv0)
out("RM-20.name_not_in_modules_during", not rec["in_modules"])


# RM-21: a loader that can give code but no filename
class NoFileImporter(object):
    SRC = "import sys\nSEEN_ARGV0 = sys.argv[0]\n"

    def find_module(self, name, path=None):
        return self if name == "nofile_mod" else None

    def find_spec(self, name, path=None, target=None):
        if name != "nofile_mod":
            return None
        import importlib.util
        return importlib.util.spec_from_loader(name, self)

    def load_module(self, name):
        raise ImportError("not importable")

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        exec(self.get_code(module.__name__), module.__dict__)

    def get_code(self, name):
        return compile(self.SRC, "<nofile>", "exec")

    def is_package(self, name):
        return False


sys.meta_path.insert(0, NoFileImporter())
r = {}
e = err(lambda: r.update(runpy.run_module("nofile_mod", alter_sys=True)))
out("RM-21.nofile.error", e, raw=True)
out("RM-21.nofile.argv0_during", r.get("SEEN_ARGV0", "<not run>"))
out("RM-21.nofile.__file__", r.get("__file__", "<absent>"))
sys.meta_path.pop(0)

out("RM-22.via_package", err(lambda: runpy.run_module("pkgpkg")), raw=True)
out("RM-22.direct", err(lambda: runpy.run_module("pkgpkg.__main__")), raw=True)
out("RM-23.module_in_namespace_package", err(lambda: runpy.run_module("ns.inner")), raw=True)
out("RM-23.namespace_package_with_main", err(lambda: runpy.run_module("nsmain")), raw=True)
out("RM-23.namespace_package_without_main", err(lambda: runpy.run_module("nsnomain")), raw=True)


def warn_text(fn):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        e = err(fn)
    msgs = ["%s: %s" % (x.category.__name__, x.message) for x in w]
    return "%s | warnings=%r" % (e, msgs)


out("RM-24.submodule_already_imported", warn_text(lambda: runpy.run_module("warnpkg.sub")), raw=True)
out("RM-24.package_main_already_imported", warn_text(lambda: runpy.run_module("warnpkg2")), raw=True)
out("RM-24.package_main_not_imported", warn_text(lambda: runpy.run_module("warnpkg3")), raw=True)
out("RM-24.existing_entry_has_path", warn_text(lambda: runpy.run_module("warnpkg4.subpkg")), raw=True)
out("RM-25.parent_init_exception", err(lambda: runpy.run_module("badinit.sub")), raw=True)
out("RM-25.package_init_exception", err(lambda: runpy.run_module("badinit")), raw=True)
out("RM-26.builtin_module", err(lambda: runpy.run_module("sys")), raw=True)
out("RM-26.extension_or_frozen_module", err(lambda: runpy.run_module("_imp" if PY3 else "imp")), raw=True)
out("RM-27.os_path", warn_text(lambda: runpy.run_module("os.path")), raw=True)
res = runpy.run_module("zipmod")
out("RM-28.zip.__file__", res["__file__"])
out("RM-28.zip.__loader__", cls(res["__loader__"]), raw=True)
out("RM-29.run_module_doc_mentions_init_globals", "init_globals" in (runpy.run_module.__doc__ or ""))
out("RM-29.run_module_doc_package_name_phrase", "mod_name + '__main__'" in (runpy.run_module.__doc__ or ""))
out("RM-29.run_path_doc_mentions_init_globals", "init_globals" in (runpy.run_path.__doc__ or ""))

# ---------------------------------------------------------------- run_path
if PY3:
    sig = str(inspect.signature(runpy.run_path))
else:
    a = inspect.getargspec(runpy.run_path)
    sig = "(%s) defaults=%r" % (", ".join(a.args), a.defaults)
out("RP-02.signature", sig, raw=True)
out("RP-02.keyword_path_name", err(lambda: runpy.run_path(path_name=SCRIPT)), raw=True)
out("RP-02.keyword_file_path", err(lambda: runpy.run_path(file_path=SCRIPT)), raw=True)
out("RP-03.source_file", err(lambda: runpy.run_path(SCRIPT)), raw=True)
out("RP-03.compiled_file", runpy.run_path(os.path.join(T, "compiled.pyc"))["X"])
out("RP-03.directory", err(lambda: runpy.run_path(os.path.join(T, "appdir"))), raw=True)
out("RP-03.zipfile", err(lambda: runpy.run_path(azip)), raw=True)
out("RP-04.compiled_with_other_suffix", runpy.run_path(os.path.join(T, "compiled.data"))["X"])
out("RP-04.source_without_suffix", runpy.run_path(os.path.join(T, "script_noext"))["X"])
out("RP-04.coding_cookie_honoured", runpy.run_path(os.path.join(T, "script_latin1.py"))["S"] == u"\xe9")
out("RP-05.missing_path", err(lambda: runpy.run_path(os.path.join(T, "does_not_exist"))), raw=True)
saved_path = list(sys.path)
rec = {}
runpy.run_path(os.path.join(T, "appdir"), {"REC": rec})
out("RP-06.dir.path0_during", rec["path0"])
out("RP-06.dir.path_restored", sys.path == saved_path)
rec = {}
runpy.run_path(SCRIPT, {"REC": rec})
out("RP-06.file.path0_during_is_unchanged", rec["path0"] == saved_path[0])
sys.path.insert(0, os.path.join(T, "appdir"))
saved_dup = list(sys.path)
runpy.run_path(os.path.join(T, "appdir"))
out("RP-07.duplicate_entry.path_equal_after", sys.path == saved_dup)
sys.path.pop(0)
write("selfremove/__main__.py", "import sys\nsys.path.remove(sys.path[0])\n")
out("RP-07.entry_removed_by_code", err(lambda: runpy.run_path(os.path.join(T, "selfremove"))), raw=True)
out("RP-07.entry_removed_by_code.path_equal_after", sys.path == saved_path)
sys.path.append(os.path.join(T, "otherpath"))
r = {}
e = err(lambda: r.update(runpy.run_path(os.path.join(T, "emptydir"))))
out("RP-08.fallback_other_main", r.get("OTHER_MAIN", e))
sys.path.pop()
out("RP-08.no_fallback_error", err(lambda: runpy.run_path(os.path.join(T, "emptydir"))), raw=True)
lim = sys.getrecursionlimit()
sys.setrecursionlimit(200)
e = err(lambda: runpy.run_path(rzip))
sys.setrecursionlimit(lim)
out("RP-09.recursion", e.split(":")[0] + (" (maximum recursion)" if "recursion" in e else ""), raw=True)
sys.path[:] = saved_path
rec = {}
res = runpy.run_path(os.path.join(T, "appdir"), {"REC": rec})
out("RP-10.dir_main_found_despite_caller_main", rec.get("name"))
out("RP-10.main_entry_during_is_caller_main", sys.modules["__main__"] is real_main and not rec["main_is_self"])
ig = {"custom": 1, "__name__": "USER", "__file__": "USER"}
before = dict(ig)
res = runpy.run_path(SCRIPT, ig)
out("RP-11.init_globals_unmodified", ig == before)
out("RP-11.plain_key_survives", res.get("custom"))
out("RP-11.specials_overridden", res["__name__"] != "USER" and res["__file__"] != "USER")
out("RP-12.default.__name__", runpy.run_path(SCRIPT)["__name__"])
out("RP-12.run_name.__name__", runpy.run_path(SCRIPT, run_name="custom")["__name__"])
out("RP-13.relative_file.__file__", runpy.run_path("script.py")["__file__"])
out("RP-13.absolute_file.__file__", runpy.run_path(SCRIPT)["__file__"])
for label, p in (("file", SCRIPT), ("pyc", os.path.join(T, "compiled.pyc"))):
    res = runpy.run_path(p)
    out("RP-14.%s.__loader__" % label, res.get("__loader__", "<absent>"))
    out("RP-14.%s.__spec__" % label, res.get("__spec__", "<absent>"))
    out("RP-14.%s.__cached__" % label, res.get("__cached__", "<absent>"))
    out("RP-15.%s.__package__" % label, res.get("__package__", "<absent>"))
out("RP-15.file_run_name_dotted.__package__", runpy.run_path(SCRIPT, run_name="a.b.c").get("__package__", "<absent>"))
# values as set by runpy, seen before any import statement runs (2.7's import
# machinery rewrites a None __package__ from __name__ when the code imports)
out("RP-15.file.__package__before_import", runpy.run_path(os.path.join(T, "pkgcap.py"))["P0"])
out("RP-15.file_run_name_dotted.__package__before_import", runpy.run_path(os.path.join(T, "pkgcap.py"), run_name="a.b.c")["P0"])
out("RP-17.dir.__package__before_import", runpy.run_path(os.path.join(T, "pkgcapdir"))["P0"])
out("RP-17.dir_run_name_dotted.__package__before_import", runpy.run_path(os.path.join(T, "pkgcapdir"), run_name="a.b.c")["P0"])
for label, p in (("dir", os.path.join(T, "appdir")), ("reldir", "appdir"), ("zip", azip), ("relzip", "app.zip")):
    res = runpy.run_path(p)
    sp = res.get("__spec__", "<absent>")
    out("RP-16.%s.__spec__.name" % label, getattr(sp, "name", sp))
    out("RP-16.%s.__file__" % label, res.get("__file__", "<absent>"))
    out("RP-16.%s.__cached__" % label, res.get("__cached__", "<absent>"))
    out("RP-16.%s.__loader__" % label, cls(res.get("__loader__")), raw=True)
    out("RP-17.%s.__package__" % label, res.get("__package__", "<absent>"))
    res = runpy.run_path(p, run_name="a.b.c")
    out("RP-17.%s.run_name_dotted.__package__" % label, res.get("__package__", "<absent>"))
    sp = res.get("__spec__", "<absent>")
    out("RP-16.%s.run_name_dotted.__spec__.name" % label, getattr(sp, "name", sp))
for label, p in (("file", SCRIPT), ("dir", os.path.join(T, "appdir")), ("zip", azip), ("reldir", "appdir")):
    rec = {}
    runpy.run_path(p, {"REC": rec})
    out("RP-18.%s.argv0_during" % label, rec["argv0"])
    out("RP-19.%s.modules_entry_is_ns" % label, rec["modules_entry_is_ns"])
    out("RP-19.%s.registered_under" % label, rec["name"] if rec["in_modules"] else "<not registered>")
out("RP-18.argv0_restored", sys.argv[0] == saved_argv0)
out("RP-19.entry_removed_after", "<run_path>" not in sys.modules)
rec = {"raise": True}
e = err(lambda: runpy.run_path(SCRIPT, {"REC": rec}))
out("RP-19.after_exception.modules_restored", "<run_path>" not in sys.modules and sys.argv[0] == saved_argv0)
rec = {"raise": True}
e = err(lambda: runpy.run_path(os.path.join(T, "appdir"), {"REC": rec}))
out("RP-19.dir_after_exception.all_restored", "<run_path>" not in sys.modules and sys.argv[0] == saved_argv0 and sys.path == saved_path)
for label, p in (("dir", os.path.join(T, "appdir")), ("zip", azip)):
    rec = {}
    res = runpy.run_path(p, {"REC": rec}, run_name="a.b.c")
    out("RP-21.%s.__name__" % label, res["__name__"])
    out("RP-21.%s.registered_under_run_name" % label, rec["in_modules"] and rec["modules_entry_is_ns"])
try:
    import pathlib
except ImportError:
    pathlib = None
if pathlib is not None:
    for label, p in (("path_file", pathlib.Path(SCRIPT)), ("bytes_file", SCRIPT.encode()),
                     ("path_dir", pathlib.Path(os.path.join(T, "appdir"))), ("path_zip", pathlib.Path(azip))):
        rec = {}
        r = {}
        e = err(lambda: r.update(runpy.run_path(p, {"REC": rec})))
        out("RP-22.%s.result" % label, e, raw=True)
        if r:
            out("RP-22.%s.__file__type" % label, type(r["__file__"]).__name__, raw=True)
            out("RP-22.%s.argv0_type" % label, type(rec["argv0"]).__name__, raw=True)
else:
    out("RP-22.pathlib", "n/a (no pathlib)", raw=True)
if hasattr(io, "open_code"):
    calls = []
    orig = io.open_code

    def spy(p):
        calls.append(p)
        return orig(p)
    io.open_code = spy
    runpy.run_path(SCRIPT)
    io.open_code = orig
    out("RP-23.open_code_used_for_script", len(calls) > 0)
    out("RP-23.open_code_argument", calls[0] if calls else None)
else:
    out("RP-23.open_code_used_for_script", "n/a (no io.open_code)", raw=True)

# ---------------------------------------------------------------- errors (API side)
out("ERR-01.missing_top_level", err(lambda: runpy.run_module("no_such_module_xyz")), raw=True)
e = None
try:
    runpy.run_module("nosuch_parent.sub")
except ImportError as ex:
    e = ex
out("ERR-02.missing_parent", "%s: %s" % (type(e).__name__, e), raw=True)
out("ERR-02.chained_cause", type(getattr(e, "__cause__", None)).__name__, raw=True)
out("ERR-03.bad_pyc_package", err(lambda: runpy.run_module("badpyc")), raw=True)
out("ERR-04.package_without_main", err(lambda: runpy.run_module("nomain")), raw=True)
out("ERR-04.package_that_failed_to_import", err(lambda: runpy.run_module("badpyc")), raw=True)
out("ERR-07.py_suffix_api", err(lambda: runpy.run_module("top_mod.py")), raw=True)
e = None
try:
    runpy.run_path(os.path.join(T, "emptydir"))
except ImportError as ex:
    e = ex
if PY3:
    import importlib.machinery

    class LoaderlessFinder(object):
        def find_spec(self, name, path=None, target=None):
            if name == "loaderless_mod":
                return importlib.machinery.ModuleSpec(name, None)
            return None
    sys.meta_path.insert(0, LoaderlessFinder())
    out("ERR-09.spec_without_loader", err(lambda: runpy.run_module("loaderless_mod")), raw=True)
    sys.meta_path.pop(0)
else:
    out("ERR-09.spec_without_loader", "n/a (no module specs)", raw=True)
out("ERR-10.dir_without_main", "%s: %s" % (type(e).__name__, e), raw=True)
out("ERR-10.chained_cause", type(getattr(e, "__cause__", None)).__name__, raw=True)
ez = os.path.join(T, "empty.zip")
with zipfile.ZipFile(ez, "w") as z:
    z.writestr("other.py", "")
out("ERR-10.zip_without_main", err(lambda: runpy.run_path(ez)), raw=True)
out("ERR-11.missing_file", err(lambda: runpy.run_path(os.path.join(T, "nofile.py"))), raw=True)
out("ERR-12.module_body_exception", err(lambda: runpy.run_module("raiser")), raw=True)
out("ERR-12.run_path_body_exception", err(lambda: runpy.run_path(os.path.join(LIB, "raiser.py"))), raw=True)

os.chdir("/")
shutil.rmtree(T, ignore_errors=True)
