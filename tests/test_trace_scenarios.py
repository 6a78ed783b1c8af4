"""Properties every trace must have, checked over many real runs.

For each scenario the whole event stream is walked: data is plain JSON (never
a live object), names come from the closed vocabulary, sequence numbers run
1..n without gaps, runs open and close in order, every change to ``sys`` is
undone in reverse order (unless lasting), and every behaviour ID exists in
the catalogue.  The JSON Lines output is validated against the schema.
"""

from __future__ import annotations

import io
import json
import py_compile
import re
import sys
import types
import warnings
from pathlib import Path

import pytest

import runpy_ref
from runpy_ref import cli, trace
from runpy_ref.sinks import JsonLinesSink, ListSink
from runpy_ref.trace import EVENTS, STAGES, tracing
from runpy_ref.trace.plain_data import LIST_LIMIT, REPR_LIMIT

pytestmark = pytest.mark.usefixtures("clean_sys")

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "conformance" / "catalogue" / "behaviours.json"
ID_PATTERN = re.compile(r"\b(?:G|RM|RP|CLI|ERR)-\d{2,}\b")


def catalogue_ids() -> set[str]:
    """IDs of the behaviour catalogue."""
    return {entry["id"] for entry in json.loads(CATALOGUE.read_text(encoding="utf-8"))["entries"]}


class LoudRepr:
    def __repr__(self) -> str:
        raise RuntimeError("repr exploded")


FILES = {
    "ts_mod.py": "x = 1",
    "ts_pkg/__init__.py": "",
    "ts_pkg/__main__.py": "from . import sub\n",
    "ts_pkg/sub.py": "y = 2",
    "ts_nested.py": (
        "import runpy_ref\nrunpy_ref.run_module('ts_mod')\nrunpy_ref.run_path(__file__[:-9] + 'ts_mod.py')"
    ),
    "ts_raise.py": "raise KeyError('k')",
    "ts_exit.py": "raise SystemExit(3)",
    "ts_syntax.py": "def (:\n",
    "ts_dir/__main__.py": "z = 3",
    "ts_nomain/__init__.py": "",
    "ts_warn/__init__.py": "from . import leaf",
    "ts_warn/leaf.py": "",
    "ts_argv.py": "import sys\nprint(sys.argv)",
    "ts_exit_loud.py": "from ts_loud import LoudRepr\nraise SystemExit(LoudRepr())",
    "ts_exit_huge.py": "raise SystemExit('x' * 100_000)",
    "ts_bad_str.py": (
        "class BadStr(Exception):\n    def __str__(self):\n        raise ZeroDivisionError\nraise BadStr()"
    ),
    "ts_loud.py": "class LoudRepr:\n    def __repr__(self):\n        raise RuntimeError('repr exploded')",
}


def _pyc(root: Path) -> str:
    py_compile.compile(str(root / "ts_mod.py"), cfile=str(root / "ts_mod.pyc"), doraise=True)
    return str(root / "ts_mod.pyc")


SCENARIOS = {
    "module": lambda r: runpy_ref.run_module("ts_mod"),
    "module_alter_sys": lambda r: runpy_ref.run_module("ts_mod", alter_sys=True),
    "package": lambda r: runpy_ref.run_module("ts_pkg", run_name="__main__", alter_sys=True),
    "nested": lambda r: runpy_ref.run_module("ts_nested"),
    "raising": lambda r: runpy_ref.run_module("ts_raise", alter_sys=True),
    "system_exit": lambda r: runpy_ref.run_module("ts_exit", alter_sys=True),
    "syntax_error": lambda r: runpy_ref.run_module("ts_syntax"),
    "missing": lambda r: runpy_ref.run_module("ts_absent"),
    "relative": lambda r: runpy_ref.run_module(".ts_mod"),
    "no_main": lambda r: runpy_ref.run_module("ts_nomain"),
    "already_imported": lambda r: runpy_ref.run_module("ts_warn.leaf"),
    "hostile_init_globals": lambda r: runpy_ref.run_module(
        "ts_mod", init_globals={"loud": LoudRepr(), "huge": "h" * 100_000, "obj": object()}
    ),
    "many_init_globals": lambda r: runpy_ref.run_module(
        "ts_mod", init_globals={f"k{i}": i for i in range(99)}
    ),
    "path_file": lambda r: runpy_ref.run_path(str(r / "ts_mod.py"), init_globals={"a": [1, 2]}),
    "path_bytes": lambda r: runpy_ref.run_path(bytes(r / "ts_mod.py")),
    "path_pyc": lambda r: runpy_ref.run_path(_pyc(r)),
    "path_dir": lambda r: runpy_ref.run_path(str(r / "ts_dir")),
    "path_no_main": lambda r: runpy_ref.run_path(str(r / "ts_nomain")),
    "path_missing": lambda r: runpy_ref.run_path(str(r / "absent.py")),
    "private_helpers": lambda r: runpy_ref._run_module_code(compile("", "f", "exec"), None, "ts_priv"),
    "exit_loud_repr": lambda r: runpy_ref.run_module("ts_exit_loud", alter_sys=True),
    "exit_huge": lambda r: runpy_ref.run_path(str(r / "ts_exit_huge.py")),
    "raise_bad_str": lambda r: runpy_ref.run_module("ts_bad_str"),
    "cli_module": lambda r: cli.main(["ts_argv", "a", "b"]),
    "cli_path": lambda r: cli.main(["--path", str(r / "ts_mod.py")]),
    "cli_dir": lambda r: cli.main(["--path", str(r / "ts_dir")]),
    "cli_missing": lambda r: cli.main(["ts_absent"]),
}


def run_scenario(name: str, where: Path, **options):
    """Run one scenario under tracing; return (tracer, JSON Lines text)."""
    stream = io.StringIO()
    sys.argv[:] = ["prog"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with tracing(JsonLinesSink(stream), **options) as tracer:
            try:
                SCENARIOS[name](where)
            except (Exception, SystemExit):
                pass
    return tracer, stream.getvalue()


@pytest.fixture
def root(tree, capsys) -> Path:
    return tree(FILES)


def is_plain(value: object) -> bool:
    if value is None or type(value) in (bool, int, str):
        return True
    if type(value) is float:
        return value == value and value not in (float("inf"), float("-inf"))
    if type(value) is list:
        return all(is_plain(v) for v in value)
    if type(value) is dict:
        return all(type(k) is str and is_plain(v) for k, v in value.items())
    return False


@pytest.fixture(scope="module")
def validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "runpy_ref" / "schema" / "trace-2.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_trace_properties(name, root, validator):
    tracer, jsonl = run_scenario(name, root)
    events = tracer.events
    assert events, name

    # plain data only, all the way down
    for event in events:
        assert is_plain(event.data), (name, event)
        assert type(event.behaviours) is tuple and all(type(b) is str for b in event.behaviours)

    # closed vocabulary: every event belongs to one of the six stages or is a run frame
    for event in events:
        assert event.stage in STAGES and event.event in EVENTS
        assert EVENTS[event.event] in (event.stage, "*")
        assert (event.stage == "run") == (event.event in ("run_started", "run_finished"))
    # each failure is reported once: never the same message twice in a row
    failed = [(e.stage, e.data["message"]) for e in events if e.event == "stage_failed"]
    assert len(failed) == len(set(failed))

    # sequence numbers 1..n with no gaps
    assert [e.seq for e in events] == list(range(1, len(events) + 1))

    # runs open and close like brackets; depth and parent follow the nesting
    stack: list[int] = []
    for event in events:
        if event.event == "run_started":
            assert event.parent == (stack[-1] if stack else None) and event.depth == len(stack)
            stack.append(event.run)
        elif event.run:
            assert stack and event.run == stack[-1] and event.depth == len(stack) - 1
        if event.event == "run_finished":
            stack.pop()
    assert stack == []

    # every non-lasting change to sys is undone, last change first
    open_changes: list[str] = []
    for event in events:
        if event.event == "sys_changed":
            assert {"before", "after", "target"} <= set(event.data)
            if not event.data["lasting"]:
                open_changes.append(event.data["target"])
        elif event.event == "sys_restored":
            assert {"before", "after", "target"} <= set(event.data)
            assert open_changes.pop() == event.data["target"]
    assert open_changes == []

    # every cited behaviour exists
    known = catalogue_ids()
    assert {b for e in events for b in e.behaviours} <= known

    # the JSON Lines rendering is the same story, and valid
    lines = [json.loads(line) for line in jsonl.splitlines()]
    for record in lines:
        validator.validate(record)
    assert lines[1:-1] == [e.as_dict() for e in events]
    assert lines[-1] == {"complete": True, "events": len(events)}  # a complete trace is closed


def test_nested_runs_number_and_nest(root):
    tracer, _ = run_scenario("nested", root)
    starts = [(e.run, e.parent, e.depth, e.data["api"]) for e in tracer.events if e.event == "run_started"]
    assert starts == [(1, None, 0, "run_module"), (2, 1, 1, "run_module"), (3, 1, 1, "run_path")]


def test_restore_events_even_when_the_code_raises(root):
    tracer, _ = run_scenario("raising", root)
    names = [e.event for e in tracer.events]
    raised_at = names.index("exec_finished")
    assert tracer.events[raised_at].data["outcome"] == "raised"
    assert names[raised_at:].count("sys_restored") == 2
    assert tracer.events[-1].data == {"api": "run_module", "outcome": "raised", "exception": "KeyError"}


def test_exec_outcomes(root):
    outcomes = {}
    for name in ("module", "raising", "system_exit"):
        tracer, _ = run_scenario(name, root)
        [finished] = [e for e in tracer.events if e.event == "exec_finished"]
        outcomes[name] = (finished.data["outcome"], finished.data["exception"], finished.data["exit_code"])
    assert outcomes == {
        "module": ("returned", None, None),
        "raising": ("raised", "KeyError", None),
        "system_exit": ("exit", "SystemExit", 3),
    }


def test_hostile_and_huge_init_globals_are_safe_and_bounded(root):
    tracer, _ = run_scenario("hostile_init_globals", root)
    started = tracer.events[0]
    assert started.data["init_globals"] == ["loud", "huge", "obj"]
    assert tracer.events[-1].data["outcome"] == "returned"
    assert all(len(json.dumps(e.data)) < 4000 for e in tracer.events)


def test_many_init_globals_are_cut_with_a_marker(root):
    tracer, _ = run_scenario("many_init_globals", root)
    keys = tracer.events[0].data["init_globals"]
    assert keys[-1] == "...<99 items>" and len(keys) == LIST_LIMIT + 1
    plan = next(e for e in tracer.events if e.event == "globals_built")
    assert plan.data["kept"][-1] == "...<99 items>"


def test_deterministic_scenarios_show_no_tmp_paths_or_addresses(root):
    for name in ("hostile_init_globals", "path_dir", "cli_path", "nested"):
        _, jsonl = run_scenario(name, root, deterministic=True, root=str(root))
        assert str(root) not in jsonl, name
        assert not re.search(r"0x[0-9a-fA-F]{4,}", jsonl), name
        assert '"time_ms"' not in jsonl


def test_every_behaviour_id_in_the_code_exists_in_the_catalogue():
    known = catalogue_ids()
    cited = set()
    for source in (ROOT / "runpy_ref").glob("*.py"):
        cited |= set(ID_PATTERN.findall(source.read_text(encoding="utf-8")))
    assert len(cited) > 40
    assert cited - known == set()


def test_tracing_off_emits_nothing_and_calls_no_sink(root, monkeypatch):
    sink = ListSink()
    with tracing(sink) as tracer:
        pass
    seen = (len(sink.events), list(tracer.events))

    def forbidden(*args, **kwargs):
        raise AssertionError("a tracer was used while tracing is off")

    monkeypatch.setattr(trace.Tracer, "emit", forbidden)
    monkeypatch.setattr(trace.Tracer, "begin_run", forbidden)
    assert runpy_ref.run_module("ts_mod", alter_sys=True)["x"] == 1
    assert runpy_ref.run_path(str(root / "ts_dir"))["z"] == 3
    with pytest.raises(KeyError):
        runpy_ref.run_module("ts_raise")
    assert (len(sink.events), list(tracer.events)) == seen == (0, [])
    assert trace.current() is None


def test_a_failing_sink_lets_the_run_finish_and_restores_sys(root):
    class Exploding:
        def __init__(self):
            self.calls = 0

        def header(self, header):
            pass

        def event(self, event):
            self.calls += 1
            if self.calls == 3:
                raise OSError("disk full")

    sys.argv[:] = ["prog"]
    path_before = list(sys.path)
    sink = Exploding()
    with pytest.raises(runpy_ref.TraceSinkError, match="disk full") as info:
        with tracing(sink) as tracer:
            result = runpy_ref.run_module("ts_mod", alter_sys=True)
    assert result["x"] == 1
    assert sys.argv == ["prog"] and sys.path == path_before and "ts_mod" not in sys.modules
    assert sink.calls == 3  # nothing was written after the failure
    assert tracer.events[-1].event == "run_finished"  # the story in memory is complete
    assert isinstance(info.value.__cause__, OSError)


def test_a_failing_sink_with_a_raising_program_reraises_the_program_error(root):
    class Broken:
        def header(self, header):
            raise OSError("closed")

        def event(self, event):
            raise AssertionError("not reached")

    with pytest.raises(KeyError):
        with tracing(Broken()):
            runpy_ref.run_module("ts_raise", alter_sys=True)
    assert "ts_raise" not in sys.modules


@pytest.mark.parametrize(
    ("module", "expected"),
    [("ts_exit_loud", SystemExit), ("ts_bad_str", Exception), ("ts_exit_huge", SystemExit)],
)
def test_tracing_never_replaces_the_programs_exception(root, module, expected):
    # A SystemExit code whose repr raises, or an exception whose str raises,
    # must reach the caller exactly as it does untraced.
    with pytest.raises(expected) as untraced:
        runpy_ref.run_module(module)
    with tracing() as tracer, pytest.raises(expected) as traced:
        runpy_ref.run_module(module)
    assert type(traced.value).__qualname__ == type(untraced.value).__qualname__
    assert type(traced.value).__name__ in ("SystemExit", "BadStr")
    finished = tracer.events[-1]
    assert finished.event == "run_finished" and is_plain(finished.data)


def test_unprintable_values_become_markers_in_the_trace(root):
    tracer, _ = run_scenario("exit_loud_repr", root)
    finished = [e for e in tracer.events if e.event in ("exec_finished", "run_finished")]
    assert finished[0].data["exit_code"] == "<LoudRepr object; repr raised RuntimeError>"
    assert finished[1].data["exception"] == "SystemExit(<LoudRepr object; repr raised RuntimeError>)"
    tracer, _ = run_scenario("raise_bad_str", root)
    assert [e.event for e in tracer.events if e.event == "stage_failed"] == []  # exec reports it, once
    assert tracer.events[-1].data["outcome"] == "raised"


def test_huge_values_are_cut_with_the_marker(root):
    tracer, _ = run_scenario("exit_huge", root)
    exit_code = next(e for e in tracer.events if e.event == "exec_finished").data["exit_code"]
    assert exit_code == "x" * REPR_LIMIT + "...<100000 chars>"
    exception = tracer.events[-1].data["exception"]
    assert exception.endswith("...<100014 chars>") and len(exception) < 200
