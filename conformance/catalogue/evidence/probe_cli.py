# -*- coding: utf-8 -*-
"""Probe ``python -m`` / ``python FILE`` behaviour of the running interpreter.

Single-source for Python 2.7 and 3.6+.  Builds a fixture directory <C>,
starts ``sys.executable`` in child processes and prints one
``<ROW-ID>.<check> = <value>`` line per check.  Paths are normalised
(<C> = fixture dir, <EXE> = interpreter, <TAG> = bytecode cache tag).
Used by ../verify.py; stored output: evidence/observations.txt.
"""
from __future__ import print_function
import os, sys, shutil, subprocess, tempfile, zipfile, py_compile

C = tempfile.mkdtemp(prefix="rpcli")
CR = os.path.realpath(C)
EXE = sys.executable
TAG = getattr(getattr(sys, "implementation", None), "cache_tag", None)
VER = sys.version_info[:2]


def norm(s):
    for p in (CR, C):
        s = s.replace(p, "<C>")
    s = s.replace(EXE, "<EXE>")
    if TAG:
        s = s.replace(TAG, "<TAG>")
    return s


def out(key, value):
    if isinstance(value, list):
        value = "[" + "; ".join(str(v) for v in value) + "]"
    value = " | ".join(str(value).splitlines())
    print("%s = %s" % (key, norm(value)))
    sys.stdout.flush()


def write(rel, text):
    path = os.path.join(C, rel)
    d = os.path.dirname(path)
    if not os.path.isdir(d):
        os.makedirs(d)
    with open(path, "w") as f:
        f.write(text)
    return path


REPORT = '''\
import sys
def _p(k, v):
    print("R %s=%r" % (k, v))
def _cls(o):
    return getattr(o, "__class__", type(o)).__name__
_p("name", __name__)
_p("argv", sys.argv)
_p("path0", sys.path[0])
_p("file", globals().get("__file__", "<absent>"))
_p("package", globals().get("__package__", "<absent>"))
_sp = globals().get("__spec__", "<absent>")
_p("spec", getattr(_sp, "name", _sp))
_p("cached", globals().get("__cached__", "<absent>"))
_p("loader", _cls(globals().get("__loader__")))
_p("main_is_self", sys.modules["__main__"].__dict__ is globals())
_p("also_registered_as", sorted(k for k, m in list(sys.modules.items())
                               if k != "__main__" and getattr(m, "__dict__", None) is globals()))
'''

write("climod.py", REPORT)
write("clipkg/__init__.py", "import sys\nprint('INIT argv0=%r' % sys.argv[0])\n")
write("clipkg/__main__.py", REPORT)
write("clipkg/sub.py", REPORT + "from . import helper\nprint('R relimport=%r' % helper.V)\n")
write("clipkg/helper.py", "V = 'helper'\n")
write("clipkg/mp.py", '''\
from . import helper
def f(x):
    return helper.V + str(x)
if __name__ == "__main__":
    import multiprocessing as mp
    ctx = mp.get_context("spawn")
    pool = ctx.Pool(1)
    try:
        print("MP %r" % pool.map(f, [1]))
    finally:
        pool.close()
        pool.join()
''')
write("nsp/__main__.py", REPORT)
write("nomainpkg/__init__.py", "")
write("pkgpkg/__init__.py", "")
write("pkgpkg/__main__/__init__.py", "")
write("badinit/__init__.py", "raise ValueError('boom in init')\n")
write("badinit/sub.py", "")
write("raiser.py", "raise LookupError('raised by module body')\n")
write("synerr.py", "def broken(:\n")
write("kbd.py", "raise KeyboardInterrupt\n")
write("hello.py", "print('IMPORTED hello as %s' % __name__)\n")
write("script.py", REPORT)
write("hy-phen.py", "print('R hyphen_ran=True')\n")
write("sub/uses_sibling.py", "import sibling_of_script\nprint('R sibling_import=ok')\n")
write("sub/sibling_of_script.py", "")
write("appdir/__main__.py", REPORT)
write("emptydir/x.txt", "")
write("badpyc/__main__.py", "")
with open(os.path.join(C, "badpyc", "__init__.pyc"), "wb") as f:
    f.write(b"\0" * 16)
src = write("compiledmod.py", "print('R compiled=True')\n")
py_compile.compile(src, cfile=os.path.join(C, "compiledmod.pyc"), doraise=True)
os.remove(src)
with zipfile.ZipFile(os.path.join(C, "app.zip"), "w") as z:
    z.writestr("__main__.py", REPORT)
with zipfile.ZipFile(os.path.join(C, "mods.zip"), "w") as z:
    z.writestr("zipped_mod.py", REPORT)
    z.writestr("zipped_pkg/__init__.py", "")
    z.writestr("zipped_pkg/inner.py", REPORT)
with zipfile.ZipFile(os.path.join(C, "empty.zip"), "w") as z:
    z.writestr("other.py", "")
write("audit/sitecustomize.py", '''\
import sys
if hasattr(sys, "addaudithook"):
    def _hook(event, args):
        if event.startswith("cpython.run_"):
            sys.stderr.write("AUDIT %s %r\\n" % (event, args))
    sys.addaudithook(_hook)
''')

BASE_ENV = dict((k, v) for k, v in os.environ.items() if not k.startswith("PYTHON"))


def run(args, opts=("-B", "-E", "-s"), env_extra=None, stdin=None, cwd=None):
    env = dict(BASE_ENV)
    if env_extra:
        env.update(env_extra)
    p = subprocess.Popen([EXE] + list(opts) + list(args), cwd=cwd or C, env=env,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    o, e = p.communicate(stdin.encode() if stdin else None)
    return p.returncode, o.decode("utf-8", "replace"), e.decode("utf-8", "replace")


def report(o):
    d = {}
    for line in o.splitlines():
        if line.startswith("R ") and "=" in line:
            k, v = line[2:].split("=", 1)
            d[k] = v
    return d


def last(e):
    lines = [l for l in e.strip().splitlines() if l.strip()]
    return lines[-1].strip() if lines else "<empty>"


def summary(rc, o, e):
    return "rc=%s traceback=%s last_stderr=%s" % (rc, "Traceback" in e, last(e))


# ---- general
rc, o, e = run(["-m", "runpy", "climod", "a1", "a2"])
r = report(o)
out("G-04.runpy_as_script.name", r.get("name"))
out("G-04.runpy_as_script.argv", r.get("argv"))
out("G-04.runpy_as_script.main_is_self", r.get("main_is_self"))
out("G-04.runpy_as_script.rc", rc)
rc, o, e = run(["-m", "runpy"])
out("G-05.runpy_no_args", "rc=%s stderr=%s" % (rc, last(e)))
rc, o, e = run(["-m", "synerr"])
out("G-16.dash_m_syntax_error", "rc=%s last_stderr=%s" % (rc, last(e).split(":")[0]))
rc, o, e = run(["-c", "import runpy, sys; print('pkgutil' in sys.modules)"])
out("G-18.pkgutil_loaded_after_import_runpy", o.strip())
rc, o, e = run(["-m", "raiser"])
out("G-18.traceback_shows_frozen_runpy", "<frozen runpy>" in e)
rc, o, e = run(["-c", "import __main__; print(repr(__main__.__spec__))"])
out("G-19.dash_c.__main__.__spec__", o.strip())
rc, o, e = run(["-"], stdin="import __main__; print(repr(__main__.__spec__))\n")
out("G-19.stdin.__main__.__spec__", o.strip())
for label, args in (("dash_m", ["-m", "climod"]), ("file", ["script.py"]), ("dir", ["appdir"]), ("zip", ["app.zip"])):
    r = report(run(args)[1])
    out("G-19.%s.__main__.__spec__.name" % label, r.get("spec"))

# ---- -m basics
for label, args in (("module", ["climod"]), ("package", ["clipkg"]), ("submodule", ["clipkg.sub"]),
                    ("namespace_package", ["nsp"])):
    rc, o, e = run(["-m"] + args + ["x1"])
    r = report(o)
    if not r:
        out("CLI-16.%s.result" % label, summary(rc, o, e))
        continue
    out("CLI-16.%s.__name__" % label, r.get("name"))
    out("CLI-08.%s.argv" % label, r.get("argv"))
    out("CLI-16.%s.__package__" % label, r.get("package"))
    out("CLI-16.%s.__file__" % label, r.get("file"))
    out("CLI-16.%s.__spec__.name" % label, r.get("spec"))
    out("CLI-16.%s.__cached__" % label, r.get("cached"))
    out("CLI-16.%s.__loader__" % label, r.get("loader"))
    out("CLI-03.%s.main_is_self" % label, r.get("main_is_self"))
    out("CLI-16.%s.also_registered_as" % label, r.get("also_registered_as"))
    out("CLI-10.%s.path0" % label, r.get("path0"))
    if "relimport" in r:
        out("CLI-16.%s.relative_import" % label, r.get("relimport"))
for label, name in (("module", "zipped_mod"), ("package_member", "zipped_pkg.inner")):
    rc, o, e = run(["-m", name], opts=("-B", "-s"), env_extra={"PYTHONPATH": os.path.join(C, "mods.zip")})
    r = report(o)
    out("CLI-02.zip_on_path.%s" % label, "rc=%s file=%s loader=%s" % (rc, r.get("file"), r.get("loader")))
rc, o, e = run(["-m", "clipkg.sub"])
out("CLI-09.argv0_while_parent_init_runs", [l for l in o.splitlines() if l.startswith("INIT")])
rc, o, e = run(["-m", "compiledmod"])
out("CLI-07.sourceless_pyc_module", "rc=%s out=%s" % (rc, o.strip()))
rc, o, e = run(["-m", "sys"])
out("CLI-07.builtin_module", summary(rc, o, e))
write("-m", "")
r = report(run(["-m", "climod"])[1])
os.remove(os.path.join(C, "-m"))
r2 = report(run(["-m", "climod"])[1])
out("CLI-11.dash_m_file_ignored", r.get("path0") == r2.get("path0"))
rc, o, e = run(["-I", "-m", "climod"], opts=("-B",))
out("CLI-12.isolated_cwd_module", summary(rc, o, e))
rc, o, e = run(["-I", "sub/uses_sibling.py"], opts=("-B",))
out("CLI-28.isolated_script_dir_not_on_path", summary(rc, o, e))
rc, o, e = run(["sub/uses_sibling.py"])
out("CLI-28.control_without_isolation", summary(rc, o, e) + " " + o.strip())
rc, o, e = run(["-P", "sub/uses_sibling.py"])
out("CLI-29.dash_P_script", summary(rc, o, e))
rc, o, e = run(["sub/uses_sibling.py"], opts=("-B", "-s"), env_extra={"PYTHONSAFEPATH": "1"})
out("CLI-29.PYTHONSAFEPATH_script", summary(rc, o, e))
write("realdir/real_script.py", "import sys\nprint('R path0=%r' % sys.path[0])\n")
os.mkdir(os.path.join(C, "linkdir"))
os.symlink(os.path.join(C, "realdir", "real_script.py"), os.path.join(C, "linkdir", "link_script.py"))
rc, o, e = run(["linkdir/link_script.py"])
out("CLI-32.symlinked_script.path0", report(o).get("path0"))
rc, o, e = run(["-m", "hy-phen"])
out("CLI-04.hyphenated_module_name", "rc=%s out=%s" % (rc, o.strip()))
rc, o, e = run(["-P", "-m", "climod"])
out("CLI-13.dash_P", summary(rc, o, e))
rc, o, e = run(["-m", "climod"], opts=("-B", "-s"), env_extra={"PYTHONSAFEPATH": "1"})
out("CLI-13.PYTHONSAFEPATH", summary(rc, o, e))
rc, o, e = run(["-m", "climod", "-E", "--flag", "-c", "x"])
out("CLI-14.options_after_module_go_to_argv", report(o).get("argv"))
rc, o, e = run(["-m"])
out("CLI-15.no_module_argument", "rc=%s first_stderr=%s" % (rc, (e.strip().splitlines() or ["<empty>"])[0]))
rc, o, e = run(["-m", "no_such_mod_xyz"])
out("CLI-17.missing_module", summary(rc, o, e))
rc, o, e = run(["-m", "badinit"])
out("CLI-18.package_init_exception", summary(rc, o, e))
rc, o, e = run(["-m", "badinit.sub"])
out("CLI-18.parent_init_exception", summary(rc, o, e))
rc, o, e = run(["-m", "raiser"])
out("CLI-18.module_body_exception", summary(rc, o, e))
rc, o, e = run(["-m", "kbd"])
out("CLI-19.keyboard_interrupt_dash_m", "rc=%s last_stderr=%s" % (rc, last(e)))
rc, o, e = run(["-c", "import runpy; runpy.run_module('kbd')"])
out("CLI-19.keyboard_interrupt_run_module", "rc=%s" % rc)
for label, args in (("dash_m", ["-m", "climod"]), ("file", ["script.py"]), ("dir", ["appdir"]), ("zip", ["app.zip"])):
    rc, o, e = run(args, opts=("-B", "-s"), env_extra={"PYTHONPATH": os.path.join(C, "audit")})
    out("CLI-20.audit.%s" % label, [l for l in e.splitlines() if l.startswith("AUDIT")])

# ---- python FILE / DIR / ZIP
for label, args in (("file", ["script.py"]), ("dir", ["appdir"]), ("zip", ["app.zip"]),
                    ("abs_file", [os.path.join(C, "script.py")])):
    rc, o, e = run(args + ["x1"])
    r = report(o)
    out("CLI-21.%s.argv" % label, r.get("argv"))
    out("CLI-22.%s.path0" % label, r.get("path0"))
    out("CLI-22.%s.__name__" % label, r.get("name"))
    out("CLI-22.%s.__spec__.name" % label, r.get("spec"))
    out("CLI-22.%s.__package__" % label, r.get("package"))
    out("CLI-23.%s.__file__" % label, r.get("file"))
    out("CLI-22.%s.__loader__" % label, r.get("loader"))
    out("CLI-22.%s.__cached__" % label, r.get("cached"))
rc, o, e = run(["emptydir"])
out("CLI-24.dir_without_main", summary(rc, o, e))
rc, o, e = run(["empty.zip"])
out("CLI-24.zip_without_main", summary(rc, o, e))
rc, o, e = run(["-m", "hello.py"])
out("CLI-25.py_suffix.module_executed", [l for l in o.splitlines() if l.startswith("IMPORTED")])
out("CLI-25.py_suffix.error", summary(rc, o, e))
if VER >= (3, 4):
    rc, o, e = run(["-m", "clipkg.mp"])
    out("CLI-26.spawn_child_with_relative_import", "rc=%s out=%s" % (rc, o.strip()))
else:
    out("CLI-26.spawn_child_with_relative_import", "n/a (no multiprocessing.get_context)")
rc, o, e = run(["-c", "import sys; print(repr(sys.argv[0]))"])
out("CLI-27.dash_c.argv0", o.strip())
rc, o, e = run(["-"], stdin="import sys; print(repr(sys.argv[0]))\n")
out("CLI-27.stdin_dash.argv0", o.strip())
rc, o, e = run([], stdin="import sys; print(repr(sys.argv[0]))\n")
out("CLI-27.stdin_no_arg.argv0", o.strip())

# ---- errors via -m
rc, o, e = run(["-m", "nomainpkg"])
out("ERR-04.dash_m_package_without_main", summary(rc, o, e))
rc, o, e = run(["-m", "pkgpkg"])
out("ERR-05.dash_m_package_main_is_package", summary(rc, o, e))
rc, o, e = run(["-m", ".rel"])
out("ERR-06.dash_m_relative_name", summary(rc, o, e))
rc, o, e = run(["-m", "badpyc"])
out("ERR-03.dash_m_bad_pyc_package", summary(rc, o, e))
rc, o, e = run(["-m", "nosuch_parent.sub"])
out("ERR-02.dash_m_missing_parent", summary(rc, o, e))
rc, o, e = run(["nofile.py"])
out("ERR-13.script_missing_file", summary(rc, o, e))


# ---- where -m emulating tools differ (issue 13 section 4)
write("bltn.py", "print('R builtins=%s' % type(__builtins__).__name__)\n")
for label, args in (("dash_m", ["-m", "bltn"]), ("file", ["bltn.py"])):
    out("CLI-33.%s.builtins_type" % label, report(run(args)[1]).get("builtins"))
write("exit3.py", "import sys\nsys.exit(3)\n")
for label, args in (("dash_m", ["-m", "exit3"]), ("file", ["exit3.py"])):
    rc, o, e = run(args)
    out("CLI-34.%s.sys_exit_3" % label, "rc=%s stderr=%s" % (rc, last(e)))
for label, args in (("dash_m", ["-m", "raiser"]), ("file", ["raiser.py"])):
    out("CLI-34.%s.uncaught_exception" % label, summary(*run(args)))
write("args.py", "import sys\nprint('R args=%r' % sys.argv[1:])\n")
rc, o, e = run(["args.py", "-b", "--c", "-E", "-m", "x"])
out("CLI-35.file.option_like_args", "rc=%s args=%s" % (rc, report(o).get("args")))
write("ldr.py", "print('R loader=%s' % (type(__loader__).__name__ if '__loader__' in globals() else '<absent>'))\n")
out("CLI-36.file.__main__.__loader__", report(run(["ldr.py"])[1]).get("loader"))
write("late.py", """\
import atexit, sys, threading, time
MARK = 'main-global'
MAIN_THREAD = threading.current_thread()
def view(label):
    m = sys.modules.get('__main__')
    print('R %s=%s/%s/%s' % (label, getattr(m, '__dict__', None) is globals(), getattr(m, 'MARK', None),
                             globals().get('MARK')))
    sys.stdout.flush()
def wait():
    deadline = time.time() + 20
    while MAIN_THREAD.is_alive() and time.time() < deadline:
        time.sleep(0.01)
    view('thread')
atexit.register(view, 'atexit')
threading.Thread(target=wait).start()
""")
for label, args in (("dash_m", ["-m", "late"]), ("file", ["late.py"])):
    r = report(run(args)[1])
    out("CLI-37.%s.atexit.main_is_self/main_MARK/own_MARK" % label, r.get("atexit"))
    out("CLI-37.%s.thread.main_is_self/main_MARK/own_MARK" % label, r.get("thread"))
write("once.py", """\
import os
log = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'once.log')
with open(log, 'a') as f:
    f.write(__name__ + ' ')
""")
for label, args in (("dash_m", ["-m", "once"]), ("file", ["once.py"])):
    log = os.path.join(C, "once.log")
    if os.path.exists(log):
        os.remove(log)
    run(args)
    out("CLI-38.%s.runs" % label, open(log).read().split())

shutil.rmtree(C, ignore_errors=True)
