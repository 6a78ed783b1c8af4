"""Sinks: the one-line-per-step text rendering, JSON Lines, and the in-memory list."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from runpy_ref import sinks
from runpy_ref._lean import json_text_encoder
from runpy_ref.sinks import JsonLinesSink, ListSink, TextSink, describe, render_text
from runpy_ref.trace import EVENTS, Event, Tracer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

HEADER = {
    "schema": "runpy_ref.trace", "schema_version": 1, "runpy_ref": "0.1.0",
    "interpreter": {"implementation": "cpython", "version": "3.12"}, "profile": "3.12", "deterministic": True,
}


def ev(event: str, data: dict, *, stage: str = "run", seq: int = 1, depth: int = 0, ids=()) -> Event:
    return Event(seq, 1, None, depth, stage, event, tuple(ids), data)


def test_every_event_name_has_a_text_rendering():
    assert set(sinks._TEXT) == set(EVENTS)


@pytest.mark.parametrize(
    ("event", "data", "what", "why"),
    [
        ("run_started",
         {"api": "run_module", "target": "m", "run_name": None, "alter_sys": False, "init_globals": None},
         "run_module('m', alter_sys=False)", "a new run begins"),
        ("run_started",
         {"api": "run_path", "target": "<root>/s.py", "run_name": "x", "alter_sys": None,
          "init_globals": ["a", "b"]},
         "run_path(<root>/s.py, run_name='x', init_globals with 2 key(s))", "a new run begins"),
        ("run_started",
         {"api": "run_module", "target": "m", "run_name": None, "alter_sys": True,
          "init_globals": [f"k{i}" for i in range(24)] + ["...<99 items>"]},
         "run_module('m', alter_sys=True, init_globals with 99 key(s))", "a new run begins"),
        ("run_finished", {"api": "run_module", "outcome": "returned", "exception": None},
         "run_module returned", "end of this run"),
        ("run_finished", {"api": "run_path", "outcome": "exit", "exception": "SystemExit(3)"},
         "run_path ended by SystemExit(3)", "SystemExit propagates; end of this run"),
        ("run_finished", {"api": "run_path", "outcome": "raised", "exception": "KeyError"},
         "run_path raised KeyError", "end of this run"),
        ("stage_failed",
         {"failed_stage": "find_spec", "error_type": "ImportError", "message": "No module named x"},
         "ImportError: No module named x", "find_spec stops here; the error propagates"),
        ("parent_imported", {"package": "p", "module": "p.m"}, "imported parent package 'p'",
         "parents are imported first, so their own errors show as themselves"),
        ("already_imported", {"module": "p.m", "package": "p", "warning": "w"},
         "'p.m' is already in sys.modules", "RuntimeWarning: the run gets a second, separate copy"),
        ("spec_found",
         {"name": "p", "spec": {"name": "p", "origin": "<root>/p/__init__.py", "loader": "SourceFileLoader",
                                "parent": "p", "is_package": True, "cached": None}},
         "found package 'p' at <root>/p/__init__.py (SourceFileLoader)",
         "the import system located it; nothing has run yet"),
        ("package_redirect", {"package": "p", "main": "p.__main__"},
         "'p' is a package, so 'p.__main__' is looked up instead",
         "a package's __main__ submodule is its entry point"),
        ("path_classified", {"path": "<root>/d", "kind": "sys.path entry", "importer": "FileFinder"},
         "<root>/d is a sys.path entry", "an importer accepts it, so its __main__ will be imported"),
        ("path_classified", {"path": "/abs/s.py", "kind": "file", "importer": None},
         "'/abs/s.py' is a file", "no importer accepts it, so it is read as a file"),
        ("code_loaded", {"name": "m", "origin": "o", "source": "loader.get_code()"},
         "code for 'm' from loader.get_code()", "this code object is what will run"),
        ("globals_built",
         {"specials": {"__name__": "m", "__file__": "f", "__package__": "", "__spec__": {"name": "m"}},
          "kept": ["a"], "overridden": ["__name__", "__file__"]},
         "globals: __name__='m', __package__='', __spec__='m'",
         "specials override init_globals (overridden: __name__, __file__)"),
        ("globals_built",
         {"specials": {"__name__": "<run_path>", "__spec__": None}, "kept": [], "overridden": []},
         "globals: __name__='<run_path>', __spec__=None", "specials override init_globals"),
        ("sys_changed", {"target": "sys.argv[0]", "action": "set", "before": "prog", "after": "<root>/m.py",
                         "lasting": False},
         "sys.argv[0]: 'prog' -> <root>/m.py", "undone in restore"),
        ("sys_changed", {"target": "sys.argv", "action": "set", "before": ["a"], "after": ["-m"], "lasting": True},
         "sys.argv: ['a'] -> ['-m']", "kept for the life of the process"),
        ("sys_changed", {"target": "sys.path[0]", "action": "inserted", "before": "/a", "after": "/d",
                         "lasting": False},
         "sys.path[0]: inserted '/d' (the old first entry '/a' moves up one)", "undone in restore"),
        ("exec_started", {"name": "m", "namespace": "fresh dict"},
         "executing 'm' in a fresh dict", "the module's own code runs now"),
        ("exec_finished", {"name": "m", "outcome": "returned", "exception": None, "exit_code": None},
         "'m' ran to the end", "the code returned normally"),
        ("exec_finished", {"name": "m", "outcome": "exit", "exception": "SystemExit", "exit_code": 3},
         "'m' called sys.exit(3)", "the program's own exit; SystemExit propagates"),
        ("exec_finished", {"name": "m", "outcome": "raised", "exception": "ValueError", "exit_code": None},
         "'m' raised ValueError", "the exception propagates unchanged"),
        ("sys_restored", {"target": "sys.modules['m']", "action": "removed", "before": "<module 'm'>",
                          "after": "<absent>"},
         "sys.modules['m']: removed <module 'm'>; now <absent>",
         "the caller gets back what it had, even after an exception"),
        ("sys_restored", {"target": "sys.path[0]", "action": "already gone", "before": "/a", "after": "/a"},
         "sys.path[0]: the entry was gone already; nothing to undo",
         "the caller gets back what it had, even after an exception"),
    ],
)
def test_describe(event, data, what, why):
    assert describe(ev(event, data)) == (what, why)


def test_render_text_numbers_indents_and_cites():
    event = ev("parent_imported", {"package": "p", "module": "p.m"}, stage="find_spec", seq=7, depth=2,
               ids=("RM-03", "RM-25"))
    assert render_text(event) == (
        "  7     find_spec     imported parent package 'p' -- parents are imported first, "
        "so their own errors show as themselves  [RM-03, RM-25]"
    )
    plain = ev("run_finished", {"api": "run_module", "outcome": "returned", "exception": None}, seq=12)
    assert render_text(plain) == " 12 run           run_module returned -- end of this run"


class CountingStream(io.StringIO):
    def __init__(self):
        super().__init__()
        self.flushes = 0

    def flush(self):
        self.flushes += 1
        super().flush()


def test_text_sink_writes_a_header_then_one_flushed_line_per_event_then_the_footer():
    stream = CountingStream()
    sink = TextSink(stream)
    sink.header(HEADER)
    sink.event(ev("parent_imported", {"package": "p", "module": "p.m"}, stage="find_spec"))
    sink.event(ev("parent_imported", {"package": "q", "module": "q.m"}, stage="find_spec", seq=2))
    sink.footer({"complete": True, "events": 2})
    lines = stream.getvalue().splitlines()
    assert lines[0] == "runpy_ref trace (cpython 3.12, profile 3.12)"
    assert lines[3].startswith("  2 find_spec     imported parent package 'q'")  # wrapped at 100
    assert lines[-1] == "runpy_ref trace complete (2 events)"
    assert stream.flushes == 4  # each record is written through as it comes


def test_text_lines_wrap_to_the_width_with_the_why_on_its_own_line():
    event = ev("parent_imported", {"package": "p" * 30, "module": "m"}, stage="find_spec", ids=("RM-03",))
    assert "\n" not in render_text(event)
    wrapped = render_text(event, width=60).splitlines()
    assert all(len(line) <= 60 for line in wrapped)
    assert wrapped[0].startswith("  1 find_spec     imported parent package")
    why_at = next(n for n, line in enumerate(wrapped) if line.startswith(" " * 18 + "-- "))
    assert why_at > 0 and all(line.startswith(" " * 18) for line in wrapped[1:])
    assert wrapped[-1].endswith("[RM-03]")
    assert render_text(ev("run_started", {"api": "x", "target": "t", "run_name": None, "alter_sys": None,
                                          "init_globals": None}), width=200).count("\n") == 0


def test_text_sink_width_is_the_terminal_width_or_100():
    assert TextSink(io.StringIO()).width == 100
    assert TextSink(io.StringIO(), width=72).width == 72


def test_json_lines_sink_header_events_footer_each_written_through():
    stream = CountingStream()
    sink = JsonLinesSink(stream)
    sink.header(HEADER)
    event = ev("parent_imported", {"package": "p", "module": "p.m"}, stage="find_spec", ids=("RM-03",))
    sink.event(event)
    assert stream.flushes == 2  # on the way out at once: a crash loses nothing written so far
    sink.footer({"complete": True, "events": 1})
    first, second, third = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first == HEADER and second == event.as_dict() and third == {"complete": True, "events": 1}


def test_json_lines_keep_non_ascii_text():
    stream = io.StringIO()
    JsonLinesSink(stream).event(ev("parent_imported", {"package": "päckage", "module": "m"}))
    assert "päckage" in stream.getvalue()


def test_json_lines_reach_a_file_at_once(tmp_path):
    with open(tmp_path / "t.jsonl", "w", encoding="utf-8") as stream:
        sink = JsonLinesSink(stream)
        sink.event(ev("run_started", {"api": "run_module"}, seq=1))
        assert (tmp_path / "t.jsonl").read_text().count("\n") == 1  # another reader sees it now


def test_list_sink_keeps_everything():
    sink = ListSink()
    tracer = Tracer(sinks=[sink])
    assert sink.header_record == tracer.header()
    event = ev("parent_imported", {"package": "p", "module": "p.m"})
    sink.event(event)
    assert sink.events == [event]


def strict_stream(encoding: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="strict", write_through=True)


@pytest.mark.parametrize("encoding", ["utf-8", "ascii"])
def test_json_lines_on_a_strict_stream_escape_what_it_cannot_encode(encoding):
    stream = strict_stream(encoding)
    sink = JsonLinesSink(stream)
    data = {"path": "/tmp/\udcff/päckage", "plain": "ok"}
    event = ev("parent_imported", data)
    sink.event(event)
    sink.event(ev("parent_imported", {"plain": "next"}, seq=2))
    lines = stream.buffer.getvalue().decode(encoding).splitlines()
    assert [json.loads(line)["data"] for line in lines] == [data, {"plain": "next"}]


def test_text_on_a_strict_stream_escapes_what_it_cannot_encode():
    stream = strict_stream("utf-8")
    spec = {"name": "p", "origin": "/tmp/\udcff/p.py", "loader": "SourceFileLoader", "parent": "",
            "is_package": False, "cached": None}
    TextSink(stream).event(ev("spec_found", {"name": "p", "spec": spec}, stage="find_spec"))
    text = stream.buffer.getvalue().decode("utf-8")
    assert text == (
        "  1 find_spec     found module 'p' at /tmp/\\udcff/p.py (SourceFileLoader)\n"
        "                  -- the import system located it; nothing has run yet\n"
    )


JSON_VALUES = [
    {"a": 1, "b": [True, False, None], "c": 1.5, "d": -7, "e": {"nested": ["x", "y"]}},
    {"quote": 'say "hi"', "backslash": "C:\\temp", "control": "a\x00b\x1fc\nd\te", "sep": "\u2028"},
    {"non_ascii": "päckage ✓ 😀", "surrogate": "/tmp/\udcff/x", "empty": "", "list": []},
]


@pytest.mark.parametrize("value", JSON_VALUES)
def test_the_json_writer_writes_what_json_dumps_writes(value):
    """Byte for byte: the golden JSON Lines files and every reader rely on json's own text."""
    assert json_text_encoder()(value) == json.dumps(value, ensure_ascii=False)
    assert sinks._json_ascii(json_text_encoder()(value)) == json.dumps(value)


def test_without_the_c_accelerator_the_json_module_writes_the_same(monkeypatch):
    monkeypatch.setitem(sys.modules, "_json", None)  # import _json now raises ImportError
    encode = json_text_encoder()
    for value in JSON_VALUES:
        assert encode(value) == json.dumps(value, ensure_ascii=False)


def test_importing_the_sinks_imports_neither_json_nor_re():
    """``--trace`` and ``--trace-format json`` start-up: json's decoder imports re (10 ms on 3.13).

    Measured against what ``python -m`` has imported anyway (runpy imports
    importlib.util, which on 3.9 imports typing and re itself).
    """
    code = (
        "import sys, importlib.util; before = set(sys.modules); import runpy_ref.sinks; "
        "print(sorted(m for m in ('json', 're', 'typing') if m in sys.modules and m not in before))"
    )
    out = subprocess.run(
        [sys.executable, "-S", "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert out.strip() == "[]"


def test_ascii_json_escapes_like_ensure_ascii():
    value = {"astral": "😀", "latin": "ä", "lone": "\udcff", "plain": "x"}
    assert sinks._json_ascii(json.dumps(value, ensure_ascii=False)) == json.dumps(value)


def test_output_without_a_newline_glues_onto_the_next_trace_line_as_documented(tmp_path):
    """The limitation docs/how-to/trace.md states: the sink cannot know what the program last wrote.

    The program writes 'abc' without a newline to stderr, the stream the text
    trace shares with it; the next trace line follows on the same line.  The
    program's streams are its own, untouched objects: the sink does not wrap
    them to find out (that would change what the program sees).
    """
    (tmp_path / "glue.py").write_text(
        "import io, sys\n"
        "sys.stderr.write('abc')\n"
        "print(type(sys.stdout).__name__, type(sys.stderr).__name__,\n"
        "      sys.stderr is sys.__stderr__, sys.stdout is sys.__stdout__)\n"
    )
    env = {**os.environ, "PYTHONPATH": ROOT}
    proc = subprocess.run([sys.executable, "-m", "runpy_ref", "--trace", "glue"], cwd=tmp_path,
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "TextIOWrapper TextIOWrapper True True\n"
    glued = [line for line in proc.stderr.splitlines() if line.startswith("abc")]
    assert len(glued) == 1 and glued[0][3:].lstrip().split()[1] == "exec", proc.stderr
