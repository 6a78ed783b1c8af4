"""The runpy-trace directive: fixtures, normalisation, and the golden-file contract.

The integration tests build a one-page Sphinx project in a temporary
directory, so they check what matters to a reader of the docs: a trace that
differs from its golden file stops the build with a diff, the update switch
writes the file, and a run that ends differently from what the page declares
is an error too.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("sphinx")

import runpy_docs_trace as rt

EXT = Path(rt.__file__).resolve().parent


# -- fixtures ------------------------------------------------------------------------


def test_parse_fixture_splits_files_and_keeps_bodies() -> None:
    lines = ["# file: pkg/__init__.py", "# file: pkg/mod.py", "x = 1", "", "print(x)", "# file: d/"]
    files = rt.parse_fixture(lines)
    assert files == {"pkg/__init__.py": "", "pkg/mod.py": "x = 1\n\nprint(x)\n", "d/": ""}


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["print('lost')", "# file: a.py"], "before the first"),
        (["# file: /etc/passwd"], "bad fixture path"),
        (["# file: ../escape.py"], "bad fixture path"),
        (["# file:"], "bad fixture path"),
    ],
)
def test_parse_fixture_rejects_bad_input(lines: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rt.parse_fixture(lines)


def test_write_fixture_creates_tree(tmp_path: Path) -> None:
    rt.write_fixture(tmp_path, {"a/b.py": "x = 1\n", "empty/": ""})
    assert (tmp_path / "a" / "b.py").read_text() == "x = 1\n"
    assert (tmp_path / "empty").is_dir()


def test_normalise_hides_machine_paths(tmp_path: Path) -> None:
    text = f"{tmp_path}/m.py {rt.PACKAGE_DIR}/stages/find_spec.py {rt.RUNNER} {sys.executable}"
    assert rt.normalise(text, tmp_path) == "<root>/m.py <runpy_ref>/stages/find_spec.py caller.py <python>"


def test_shorten_warnings_drops_location_and_source_line() -> None:
    output = ("before\n<runpy_ref>/stages/find_spec.py:66: RuntimeWarning: 'p.m' found\n"
              "  warn(RuntimeWarning(message))\nafter\n")
    assert rt.shorten_warnings(output) == "before\nRuntimeWarning: 'p.m' found\nafter\n"


def test_run_api_traces_in_a_fresh_interpreter(tmp_path: Path) -> None:
    rt.write_fixture(tmp_path, {"m.py": "print('hi from', __name__)\n"})
    report = rt.run_api(tmp_path, 'run_module("m")', ["caller.py"], ["__name__"])
    events = [rt.to_event(r) for r in report["events"]]
    assert events[0].event == "run_started"
    assert events[-1].event == "run_finished"
    assert report["outcome"] == "returned"
    assert report["output"] == "hi from m\n"
    assert report["result"] == {"__name__": "m"}
    assert report["footer"] == {"complete": True, "events": len(events)}
    text = rt.golden_text('run_module("m")', report, events)
    assert "<root>/m.py" in text and str(tmp_path) not in text
    assert f"runpy_ref trace complete ({len(events)} events)\n-> returned\n" in text


def test_golden_text_wraps_as_the_text_sink_does(tmp_path: Path) -> None:
    """Long entries are wrapped at WIDTH with the "why" on its own line, as ``--trace`` writes to a file."""
    import io

    from runpy_ref.sinks import TextSink

    name = "a_module_with_a_long_name_so_that_its_entries_need_wrapping"
    rt.write_fixture(tmp_path, {f"{name}.py": "x = 1\n"})
    report = rt.run_api(tmp_path, f"run_module({name!r})", ["caller.py"], [])
    events = [rt.to_event(r) for r in report["events"]]
    text = rt.golden_text("call", report, events)
    stream = io.StringIO()
    sink = TextSink(stream, width=rt.WIDTH)
    for event in events:
        sink.event(event)
    sink.footer(report["footer"])
    assert stream.getvalue() in text
    assert any(line.lstrip().startswith("-- ") for line in text.splitlines())
    assert max(len(line) for line in stream.getvalue().splitlines()) <= rt.WIDTH


def test_run_cli_traces_python_m(tmp_path: Path) -> None:
    rt.write_fixture(tmp_path, {"m.py": "import sys; sys.exit(4)\n"})
    report = rt.run_cli(tmp_path, ["m"])
    assert report["outcome"] == "exit 4"
    assert report["header"]["schema"] == "runpy_ref.trace"
    assert any(r["event"] == "exec_finished" and r["data"]["outcome"] == "exit" for r in report["events"])
    assert report["footer"] == {"complete": True, "events": len(report["events"])}
    assert all("seq" in r for r in report["events"])  # the footer is not taken for an event


def test_run_cli_keeps_a_trace_cut_short(tmp_path: Path) -> None:
    """A program that dies by os._exit leaves its events, but no footer; the golden text says so."""
    rt.write_fixture(tmp_path, {"m.py": "import os; print('bye', flush=True); os._exit(3)\n"})
    report = rt.run_cli(tmp_path, ["m"])
    assert report["outcome"] == "exit 3"
    assert report["footer"] is None
    assert report["events"][-1]["event"] == "exec_started"  # the last thing that happened
    events = [rt.to_event(r) for r in report["events"]]
    text = rt.golden_text("python -m runpy_ref m", report, events)
    assert "(no footer: the trace was cut short)\n-> exit 3\n" in text


# -- the golden-file contract, through real Sphinx builds ---------------------------------

PAGE = """\
Test
====

.. runpy-trace::
   :golden: demo
   :call: run_module("m"){expect}

   # file: m.py
   print({text!r})
"""


def _project(tmp_path: Path, text: str = "hello", expect: str = "") -> Path:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "conf.py").write_text(textwrap.dedent(f"""\
        import sys
        sys.path[:0] = [{str(EXT)!r}, {str(rt.ROOT)!r}]
        extensions = ["runpy_docs_trace"]
        runpy_trace_golden_dir = {str(tmp_path / "golden")!r}
        """))
    expect_line = f"\n   :expect: {expect}" if expect else ""
    (src / "index.rst").write_text(PAGE.format(text=text, expect=expect_line))
    return src


def _build(src: Path, update: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != rt.UPDATE_ENV}
    if update:
        env[rt.UPDATE_ENV] = "1"
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-E", "-q", "-b", "html", str(src), str(src.parent / "out")],
        capture_output=True, text=True, env=env, timeout=300,
    )


def test_missing_golden_fails_the_build(tmp_path: Path) -> None:
    proc = _build(_project(tmp_path))
    assert proc.returncode != 0
    assert "no golden file" in proc.stderr


def test_update_writes_golden_and_next_build_passes(tmp_path: Path) -> None:
    src = _project(tmp_path)
    assert _build(src, update=True).returncode == 0
    golden = (tmp_path / "golden" / "demo.txt").read_text()
    assert golden.splitlines()[0].startswith("# cpython ")
    assert golden.splitlines()[1] == '$ run_module("m")'
    lines = golden.splitlines()
    assert "    | hello" in lines and "--- output" not in golden  # printed where it happened
    at = lines.index("    | hello")
    assert "executing 'm'" in "".join(lines[at - 2:at]) and "ran to the end" in lines[at + 1]
    proc = _build(src)
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "out" / "index.html").read_text()
    assert 'class="trace-what">run_module(\'m\', alter_sys=False)</p>' in html  # straight quotes
    assert '"event":' not in html  # rendered as a table, not dumped as JSON
    assert html.index("executing") < html.index('<tr class="trace-output') < html.index("ran to the end")
    assert re.search(r'class="runpy-trace-footer">runpy_ref trace complete \(\d+ events\)</p>', html)


def test_changed_behaviour_fails_with_a_diff(tmp_path: Path) -> None:
    assert _build(_project(tmp_path, "hello"), update=True).returncode == 0
    proc = _build(_project(tmp_path, "changed"))
    assert proc.returncode != 0
    assert "differs from its golden file" in proc.stderr
    assert "-    | hello" in proc.stderr and "+    | changed" in proc.stderr


def test_undeclared_failure_is_an_error(tmp_path: Path) -> None:
    src = _project(tmp_path, expect="raised ImportError")
    proc = _build(src, update=True)
    assert proc.returncode != 0
    assert "was declared to end with 'raised ImportError' but ended with 'returned'" in proc.stderr


def test_ids_in_text_traces_become_links() -> None:
    from runpy_docs_trace import link_ids_in_text_traces

    body = ('<p>[RM-02] stays</p><div class="highlight-console notranslate"><div class="highlight"><pre>'
            '<span class="go">  3 find_spec     found it  [RM-02, CLI-01]</span>\n'
            '<span class="go">  4 exec  [ERR-99]</span></pre></div></div>')
    known = {"RM-02": "cat.html#rm-02", "CLI-01": "cat.html#cli-01"}
    out = link_ids_in_text_traces(body, known.get)
    assert out.startswith("<p>[RM-02] stays</p>")  # prose is not a trace
    assert ('[<a class="reference internal trace-id" href="cat.html#rm-02">RM-02</a>, '
            '<a class="reference internal trace-id" href="cat.html#cli-01">CLI-01</a>]') in out
    assert "[ERR-99]" in out  # an ID the catalogue does not know stays text
