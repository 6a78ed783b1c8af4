"""Conformance probe: one public runpy API call, one observation record.

Usage (run by the *target* interpreter, never imported by the driver)::

    python -E -s probe.py REQUEST.json

The request (JSON) names the module under test, an optional directory that
must be on ``sys.path`` to import it, the fixture tree, and the call.  The
probe performs exactly one call of ``run_module``, ``run_path`` or an
``inspect`` of the module's public surface, and writes one observation record
(JSON) to the request's ``output`` file.  Any exception from the call is part
of the observation, not a probe failure.

Why this shape: the driver runs on a modern Python, but the probe must run on
every interpreter under test (2.7, 3.6-3.13, PyPy), so it is single-source,
standard-library only, and free of f-strings and annotations.  It never
computes expected values; it only reports.

Exit status: 0 when an observation was written; 3 when the module under test
could not be imported (the driver reports CRASH); anything else is a probe
crash.  ``INTERPRETING.md`` specifies the request and observation formats.

``python -E -s -S probe.py --serve`` is the same probe as a fork server: it
reads one request path per line on stdin and, for each, forks a child that
does exactly what ``probe.py REQUEST`` would do in a fresh process (the child
starts from the state the interpreter has right after its start-up, because
the server imports nothing and runs nothing before forking).  One server per
interpreter saves an interpreter start-up per cell.
"""
import os
import sys
import warnings

PROBE_FORMAT = "runpy-conformance-probe/1"
CALLER_ARGV = ["caller-argv0", "caller-arg1"]


def _subst(value, fixture):
    """Replace the ``{fixture}`` placeholder in every string of a request value."""
    if isinstance(value, list):
        return [_subst(v, fixture) for v in value]
    if isinstance(value, dict):
        return dict((k, _subst(v, fixture)) for k, v in value.items())
    if isinstance(value, basestring_types):
        return value.replace("{fixture}", fixture)
    return value


try:
    basestring_types = (str, unicode)
except NameError:
    basestring_types = (str,)


def _native(text):
    """Python 2: turn JSON unicode into native str (paths, module names)."""
    if sys.version_info[0] == 2 and isinstance(text, unicode):  # noqa: F821
        return text.encode("utf-8")
    return text


def _decode_arg(value):
    """Build a call argument from its JSON form.

    ``{"$path": s}`` becomes ``pathlib.Path(s)``, ``{"$bytes": s}`` becomes
    ``s`` encoded with the filesystem encoding; lists and dicts are decoded
    element by element; strings become native strings.
    """
    if isinstance(value, dict):
        if "$path" in value:
            import pathlib

            return pathlib.Path(_native(value["$path"]))
        if "$bytes" in value:
            return value["$bytes"].encode(sys.getfilesystemencoding())
        return dict((_native(k), _decode_arg(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_decode_arg(v) for v in value]
    if isinstance(value, basestring_types):
        return _native(value)
    return value


def load_request(path):
    """Read the JSON request without importing ``json``.

    Importing ``json`` (and ``re`` behind it) costs more than a whole probe
    run on recent Pythons, so the request - plain JSON written by the driver
    with ASCII escapes - is evaluated as a Python literal expression with the
    three JSON constants bound and no builtins.  ``unicode_literals`` makes
    ``\\uXXXX`` escapes mean the same on Python 2.
    """
    import __future__

    with open(path) as handle:
        text = handle.read()
    code = compile(text, path, "eval", __future__.unicode_literals.compiler_flag, True)
    return eval(code, {"__builtins__": {}, "true": True, "false": False, "null": None})


# (source, code) of the harness's recorder.py, compiled once by a probe server before it forks:
# every fixture's _rec.py is a copy of it, and compiling it again costs a millisecond per cell.
_RECORDER = [None, None]


def _load_recorder(fixture):
    """Load the fixture's ``_rec.py`` as module ``_rec`` without the import system."""
    path = os.path.join(fixture, "_rec.py")
    module = type(sys)("_rec")
    module.__file__ = path
    with open(path) as handle:
        source = handle.read()
    code = _RECORDER[1] if source == _RECORDER[0] else compile(source, path, "exec")
    exec(code, module.__dict__)
    sys.modules["_rec"] = module
    return module


def _compile_steps(fixture, steps):
    """Byte-compile fixture files with *this* interpreter (legacy .pyc layout)."""
    if not steps:
        return
    import py_compile

    for step in steps:
        source = os.path.join(fixture, step["source"])
        target = os.path.join(fixture, step["target"])
        py_compile.compile(source, cfile=target, doraise=True)
        if step.get("remove_source"):
            os.remove(source)


def _import_target(name, path):
    """Import the module under test; ``path`` is on sys.path only meanwhile."""
    if path:
        sys.path.insert(0, path)
    try:
        __import__(name)
        return sys.modules[name]
    finally:
        if path and path in sys.path:
            sys.path.remove(path)


def _describe_exception(exc, rec):
    data = {
        "type": type(exc).__name__,
        "message": rec._text(str(exc)) if not isinstance(exc, SystemExit) else None,
        "is_import_error": isinstance(exc, ImportError),
    }
    if isinstance(exc, SystemExit):
        data["code"] = rec.describe(exc.code)
    cause = getattr(exc, "__cause__", None)
    data["cause"] = None if cause is None else {"type": type(cause).__name__}
    return data


def _signature(func):
    """Parameter names and described defaults, on 2.7 and 3.x alike."""
    import inspect

    if hasattr(inspect, "signature"):
        params = []
        for p in inspect.signature(func).parameters.values():
            default = "$required" if p.default is p.empty else p.default
            params.append([p.name, default])
        return params
    spec = inspect.getargspec(func)
    defaults = list(spec.defaults or ())
    pad = ["$required"] * (len(spec.args) - len(defaults))
    return [[n, d] for n, d in zip(spec.args, pad + defaults)]


def _inspect(module, rec):
    data = {"has": {}, "params": {}, "doc": {}}
    if hasattr(module, "__all__"):
        data["all"] = rec.describe(list(module.__all__))
    for name in ("run_module", "run_path"):
        func = getattr(module, name, None)
        data["has"][name] = func is not None
        if func is not None:
            data["params"][name] = rec.describe(_signature(func))
            data["doc"][name] = rec.describe(getattr(func, "__doc__", None))
    return data


def _emulating(target, emulate):
    """The context manager the module offers for the emulated version (request key ``emulate``), or None."""
    if not emulate:
        return None
    return getattr(target, _native(emulate["context"]))(_native(emulate["version"]))


def run(request_path):
    """Execute one request and return the observation dict."""
    base = os.path.dirname(os.path.abspath(request_path))
    req = load_request(request_path)
    fixture = os.path.normpath(os.path.join(base, _native(req["fixture"])))
    _compile_steps(fixture, req.get("compile", []))
    if req.get("prepare_only"):
        return {"probe": PROBE_FORMAT, "prepared": True}

    rec = _load_recorder(fixture)
    obs = {"probe": PROBE_FORMAT}
    try:
        target = _import_target(_native(req["module"]), req.get("path") and _native(req["path"]))
    except BaseException as exc:  # the implementation itself is broken
        obs["outcome"] = "import-failed"
        obs["exception"] = _describe_exception(exc, rec)
        return obs

    rec.TARGET = target  # fixture code that must call the implementation uses _rec.TARGET
    os.chdir(os.path.join(fixture, _native(req.get("cwd", "."))))
    sys.argv[:] = list(CALLER_ARGV)
    for entry in reversed(_subst(req.get("sys_path", []), fixture)):
        sys.path.insert(0, _native(entry))
    for name in req.get("imports", []):  # fixture helpers, e.g. an import hook
        __import__(_native(name))
    watch = [_native(n) for n in req.get("watch_modules", [])]
    for name in req.get("fake_modules", []):
        sys.modules[_native(name)] = type(sys)(_native(name))

    call = _subst(req["call"], fixture)
    args = _decode_arg(call.get("args", []))
    kwargs = _decode_arg(call.get("kwargs", {}))
    init = kwargs.get("init_globals")
    init_before = rec.describe(init) if isinstance(init, dict) else None
    argv_before = list(sys.argv)
    path_before = list(sys.path)
    main_before = sys.modules.get("__main__")
    before = dict((n, sys.modules.get(n)) for n in watch)

    result = None
    context = _emulating(target, req.get("emulate"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if context is not None:
                context.__enter__()
            try:
                if call["api"] == "inspect":
                    obs["inspect"] = _inspect(target, rec)
                else:
                    result = getattr(target, call["api"])(*args, **kwargs)
            finally:
                if context is not None:
                    context.__exit__(None, None, None)
            obs["outcome"] = "returned"
        except BaseException as exc:
            obs["outcome"] = "raised"
            obs["exception"] = _describe_exception(exc, rec)

    after = {
        "argv": rec.describe(list(sys.argv)),
        "argv_restored": sys.argv == argv_before,
        "path_restored": sys.path == path_before,
        "main_restored": sys.modules.get("__main__") is main_before,
        "modules": {},
    }
    for name in watch:
        now = sys.modules.get(name)
        after["modules"][name] = {
            "present": name in sys.modules,
            "same": now is before[name],
        }
    if init_before is not None:
        after["init_globals_unchanged"] = rec.describe(init) == init_before
    obs["after"] = after
    obs["warnings"] = [
        {"category": w.category.__name__, "message": rec._text(str(w.message))} for w in caught
    ]
    obs["records"] = rec.RECORDS
    if isinstance(result, dict):
        obs["result"] = rec.describe(result)
        obs["result_is"] = dict((k, v is result) for k, v in rec.KEPT.items())
        if init is not None and "__builtins__" in init:
            obs["result_builtins_is_init"] = result.get("__builtins__") is init["__builtins__"]
        calls = {}
        for name in req.get("call_after", []):
            try:
                calls[name] = rec.describe(result[name]())
            except BaseException as exc:
                calls[name] = {"raised": type(exc).__name__}
        obs["call_after"] = calls
    elif obs["outcome"] == "returned" and call["api"] != "inspect":
        obs["result"] = rec.describe(result)
    return obs


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.path and os.path.abspath(sys.path[0] or ".") == here:
        del sys.path[0]
    request_path = os.path.abspath(argv[1])
    request = load_request(request_path)
    for key, value in request.get("env", {}).items():  # e.g. RUNPY_CONFORMANCE_EMULATE
        os.environ[_native(key)] = _native(value)
    output = request.get("output", "observation.json")
    output = os.path.join(os.path.dirname(request_path), _native(output))
    obs = run(request_path)
    sys.stdout.flush()
    rec = sys.modules.get("_rec")
    with open(output, "w") as handle:
        handle.write(rec.dumps(obs) if rec is not None else '{"prepared": true}')
    return 3 if obs.get("outcome") == "import-failed" else 0


def _serve_child(request_path):
    """In the forked child: become a fresh probe run for one request, then exit.

    The child gets its own session (the driver kills the whole group on a
    timeout), the request's directory as working directory, ``/dev/null`` as
    stdin, and files as stdout/stderr (read by the driver if the probe
    crashes) - what the driver would otherwise give a freshly launched probe.
    ``main`` applies the request's ``env`` additions in both modes.
    """
    code = 1
    try:
        os.setsid()
        workdir = os.path.dirname(request_path)
        os.chdir(workdir)
        for fd, name in ((1, "probe.stdout"), (2, "probe.stderr")):
            target = os.open(os.path.join(workdir, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(target, fd)
            os.close(target)
        sys.argv[:] = [sys.argv[0], request_path]
        code = main(sys.argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass
    os._exit(code)


def _readline(fd):
    """One line from a raw file descriptor ("" at end of file); no buffering objects are created."""
    chunks = []
    while True:
        byte = os.read(fd, 1)
        if not byte or byte == b"\n":
            return b"".join(chunks).decode("utf-8")
        chunks.append(byte)


def serve(preload=None, path=None):
    """Fork server: ``REQUEST-PATH`` lines in, ``started PID`` and ``exited STATUS`` lines out.

    ``preload`` is the module under test: the server imports it once (with
    ``path`` on ``sys.path`` meanwhile, exactly as step 3 of a probe run
    does), so that each child finds it imported instead of importing it
    again.  If that import fails, the server starts over without it, and
    each child fails the import itself and reports it.

    The protocol descriptors are moved away from 0 and 1 (which become
    ``/dev/null``) so that nothing a child does can write into the protocol,
    and the child closes them first thing.  ``STATUS`` is the child's exit
    status, or minus the signal number that killed it.
    """
    if preload:
        try:
            _import_target(preload, path)
        except BaseException:
            os.execv(sys.executable, [sys.executable, "-E", "-s", "-S", os.path.abspath(__file__), "--serve"])
    recorder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "recorder.py")
    with open(recorder) as handle:
        _RECORDER[0] = handle.read()
    _RECORDER[1] = compile(_RECORDER[0], recorder, "exec")
    proto_in, proto_out = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.close(devnull)
    while True:
        request_path = _readline(proto_in)
        if not request_path:
            return 0
        pid = os.fork()
        if pid == 0:
            os.close(proto_in)
            os.close(proto_out)
            _serve_child(os.path.abspath(request_path))
        os.write(proto_out, ("started %d\n" % pid).encode("ascii"))
        status = os.waitpid(pid, 0)[1]
        code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        os.write(proto_out, ("exited %d\n" % code).encode("ascii"))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        sys.exit(serve(*[_native(a) or None for a in sys.argv[2:4]]))
    sys.exit(main(sys.argv))
