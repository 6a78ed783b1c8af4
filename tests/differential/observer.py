"""Runs inside a child interpreter: do runpy calls, print what was observed.

Usage (the differential tests drive it; it is not meant for people)::

    python observer.py build FIXDIR
    python observer.py api runpy|runpy_ref|runpy_ref+trace FIXDIR < scenarios.json
    python observer.py signatures

``api`` reads a JSON list of scenarios on stdin, performs each one with the
chosen module (the stdlib ``runpy`` or ``runpy_ref``), and prints one JSON
list of observations.  Each scenario runs in a forked copy of this process,
so scenarios share the cost of interpreter start-up but never each other's
``sys.modules``, ``sys.path`` or warning registry.  Every path in an
observation is written relative to the fixture directory (``<fx>``), so the
two runs, and runs in different temporary directories, compare equal.

Runs unchanged on CPython 3.9 to 3.13.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import inspect
import io
import json
import os
import sys
import traceback
import warnings
from types import ModuleType
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
PRIVATE_HELPERS = (
    "run_module", "run_path", "_run_code", "_run_module_code", "_run_module_as_main",
    "_get_module_details", "_get_main_module_details", "_get_code_from_file",
    "_TempModule", "_ModifiedArgv0",
)


class PathLike:
    """A minimal ``os.PathLike`` that is neither str nor pathlib (RP-22)."""

    def __init__(self, path: Any) -> None:
        self.path = path

    def __fspath__(self) -> Any:
        return self.path

    def __repr__(self) -> str:
        return "PathLike(%r)" % (self.path,)


# -- building call arguments ------------------------------------------------------


def resolve(value: Any, fix: str, held: dict[str, Any]) -> Any:
    """Turn the JSON encoding of an argument into the object passed."""
    if isinstance(value, list):
        return [resolve(item, fix, held) for item in value]
    if not isinstance(value, dict):
        return value
    if "$path" in value:
        path = value["$path"]
        if value.get("abs"):
            path = os.path.join(fix, path)
        kind = value.get("as", "str")
        if kind == "bytes":
            return os.fsencode(path)
        if kind == "pathlike":
            return PathLike(path)
        if kind == "pathlib":
            import pathlib

            return pathlib.Path(path)
        return path
    if "$dict" in value:  # a dict whose identity the observation reports
        made = {key: resolve(item, fix, held) for key, item in value["$dict"].items()}
        held.setdefault("dicts", []).append(made)
        return made
    if "$code" in value:
        with open(os.path.join(fix, value["$code"]), "rb") as stream:
            return compile(stream.read(), os.path.join(fix, value["$code"]), "exec")
    if "$spec" in value:
        return importlib.util.find_spec(value["$spec"])
    if "$cls" in value:
        import builtins

        return getattr(builtins, value["$cls"])
    return {key: resolve(item, fix, held) for key, item in value.items()}


# -- describing what happened -----------------------------------------------------


def describe_exc(exc: BaseException | None, probe: Any) -> Any:
    if exc is None:
        return None
    kind = type(exc)
    info: dict[str, Any] = {
        "type": "%s.%s" % (kind.__module__, kind.__qualname__),
        "message": probe.norm(str(exc)),
        "args": probe.norm([a if isinstance(a, (str, int, type(None))) else repr(a) for a in exc.args]),
        "cause": None if exc.__cause__ is None else type(exc.__cause__).__name__,
        "context": None if exc.__context__ is None else type(exc.__context__).__name__,
        "suppress_context": exc.__suppress_context__,
    }
    if isinstance(exc, SystemExit):
        info["code"] = probe.norm(exc.code)
    if isinstance(exc, ImportError):
        info["import_name"] = exc.name
    return info


def describe_result(result: Any, probe: Any, held: dict[str, Any]) -> Any:
    if isinstance(result, dict):
        specials = {k: probe.special(k, result[k]) for k in probe.SPECIALS if k in result}
        plain = {
            str(k): probe.norm(v)
            for k, v in result.items()
            if not str(k).startswith("__") and isinstance(v, (str, int, list, type(None)))
        }
        return {
            "kind": "dict",
            "keys": [str(k) for k in result],
            "specials": specials,
            "plain_values": plain,
            "is_an_argument": any(result is d for d in held.get("dicts", [])),
            "is_the_code_globals": result is probe.LAST,
            "is_a_module_dict": any(
                getattr(m, "__dict__", None) is result for m in list(sys.modules.values())
            ),
            "builtins_key": "__builtins__" in result,
        }
    if isinstance(result, tuple):
        return {"kind": "tuple", "items": [describe_result(item, probe, held) for item in result]}
    if hasattr(result, "co_filename"):
        return {"kind": "code", "filename": probe.norm(result.co_filename), "name": result.co_name}
    if hasattr(result, "submodule_search_locations"):
        return {"kind": "spec", "spec": probe.spec_info(result)}
    return {"kind": type(result).__name__, "value": probe.norm(result)}


def module_changes(before: dict[str, Any], fix_tops: set[str], extra: set[str]) -> dict[str, str]:
    """sys.modules entries the run added, removed or replaced (fixture names only).

    Standard library modules that one implementation imports lazily and the
    other does not are not part of runpy's contract, so they are left out.
    """
    changes = {}
    for name in set(before) | set(sys.modules):
        old, new = before.get(name), sys.modules.get(name)
        if old is new:
            continue
        if name.partition(".")[0] not in fix_tops and name not in extra:
            continue
        changes[name] = "added" if old is None else "removed" if new is None else "replaced"
    return dict(sorted(changes.items()))


# -- one scenario, in a forked child --------------------------------------------------


def perform(impl: Any, probe: Any, scenario: dict[str, Any], fix: str) -> dict[str, Any]:
    """Do the scenario's call; return the observation (JSON-able)."""
    held: dict[str, Any] = {}
    sys.argv[:] = scenario.get("argv", ["observer", "arg1"])
    for entry in reversed(scenario.get("path_prepend", [])):
        sys.path.insert(0, os.path.join(fix, entry))
    for name in scenario.get("pre_import", []):
        importlib.import_module(name)
    for name in scenario.get("block", []):
        sys.modules[name] = None  # type: ignore[assignment]
    if scenario.get("fresh_main"):
        main = ModuleType("__main__")
        import builtins

        main.__dict__["__builtins__"] = builtins
        sys.modules["__main__"] = main
    fn = scenario["call"]
    args = resolve(scenario.get("args", []), fix, held)
    kwargs = resolve(scenario.get("kwargs", {}), fix, held)
    fix_tops = {name.partition(".")[0] for name in os.listdir(fix)} | {"_probe"}
    names = [kwargs.get("run_name"), args[0] if args else None, args[2] if len(args) > 2 else None]
    extra = {"__main__", "<run_path>", "inner"} | {name for name in names if isinstance(name, str)}
    argv_before, path_before = list(sys.argv), list(sys.path)
    modules_before = dict(sys.modules)
    result: Any = None
    error: BaseException | None = None
    printed = io.StringIO()
    traced = impl.tracing() if TRACED else contextlib.nullcontext()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(printed):
        warnings.simplefilter("always")
        try:
            with traced:
                if fn == "$snippet":
                    namespace = {"R": impl, "sys": sys, "os": os, "fix": fix}
                    exec(scenario["code"], namespace)
                    result = namespace.get("RESULT")
                else:
                    result = getattr(impl, fn)(*args, **kwargs)
        except BaseException as exc:  # every way out is an observation
            error = exc
    observation = {
        "printed": probe.norm(printed.getvalue()),
        "snaps": probe.SNAPS,
        "result": describe_result(result, probe, held) if error is None else None,
        "exception": describe_exc(error, probe),
        "warnings": [
            {"category": w.category.__name__, "message": probe.norm(str(w.message))}
            for w in caught
        ],
        "after": {
            "argv": probe.norm(list(sys.argv)),
            "argv_restored": sys.argv == argv_before,
            "path_head": probe.norm(sys.path[:3]),
            "path_restored": sys.path == path_before,
            "modules": module_changes(modules_before, fix_tops, extra),
        },
        "init_globals_after": [probe.norm({k: v for k, v in d.items() if not k.startswith("__b")})
                               for d in held.get("dicts", [])],
    }
    return observation


def run_forked(impl: Any, probe: Any, scenario: dict[str, Any], fix: str) -> dict[str, Any]:
    """Run ``perform`` in a fork; return its observation or a description of the crash."""
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: observe, report, and leave without cleanup
        os.close(read_end)
        try:
            payload = json.dumps(perform(impl, probe, scenario, fix), sort_keys=True)
        except BaseException:
            payload = json.dumps({"observer_crash": traceback.format_exc()})
        with os.fdopen(write_end, "w", encoding="utf-8") as stream:
            stream.write(payload)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "r", encoding="utf-8") as stream:
        data = stream.read()
    _, status = os.waitpid(pid, 0)
    if not data:
        return {"observer_crash": "child ended with status %r and no output" % status}
    return json.loads(data)


TRACED = False
"""``runpy_ref+trace``: every call made inside ``runpy_ref.tracing()``, which must change nothing."""


def api(impl_name: str, fix: str) -> None:
    global TRACED
    TRACED = impl_name.endswith("+trace")
    impl_name = impl_name.partition("+")[0]
    scenarios = json.load(sys.stdin)
    sys.path.insert(0, fix)
    os.chdir(fix)
    probe = importlib.import_module("_probe")
    probe.PRINT = False
    impl = importlib.import_module(impl_name)
    probe.IMPL = impl
    out = {s["id"]: run_forked(impl, probe, s, fix) for s in scenarios}
    sys.stdout.write(json.dumps(out, sort_keys=True))


# -- signatures ---------------------------------------------------------------------


def signature_of(obj: Any) -> Any:
    """Parameter names, kinds and defaults; annotations are deliberately ignored."""
    if obj is None:
        return None
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError) as exc:
        return "no signature: %s" % exc
    return [
        [p.name, p.kind.name, None if p.default is inspect.Parameter.empty else repr(p.default)]
        for p in sig.parameters.values()
    ]


def signatures() -> None:
    import runpy

    import runpy_ref

    out = {
        name: {"runpy": signature_of(getattr(runpy, name, None)),
               "runpy_ref": signature_of(getattr(runpy_ref, name, None))}
        for name in PRIVATE_HELPERS
    }
    sys.stdout.write(json.dumps(out, sort_keys=True))


def main(argv: list[str]) -> int:
    command = argv[0]
    if command == "build":
        sys.path.insert(0, HERE)
        import fixtures

        fixtures.build(argv[1])
    elif command == "api":
        api(argv[1], argv[2])
    elif command == "signatures":
        signatures()
    else:
        sys.stderr.write("unknown command %r\n" % command)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
