"""The trace never lies, never loses, and never changes what it observes (issue 11, sections 2 to 4).

* Observing changes nothing: each scenario runs with and without tracing,
  and what the program and the caller see (the result, the exception, its
  attributes, ``sys``) is the same.
* Every event says what then holds: the globals the trace reports under
  ``--path`` are the globals the program gets.
* The trace survives the program: written through, a trace file holds the
  header and every event before a death by ``os._exit``, SIGTERM, SIGKILL or
  a segfault; after ``os.fork()`` nothing is written twice.
* ``python -m runpy_ref`` behaves as ``python -m`` at the edges: Ctrl-C, a
  hostile ``sys.exit`` argument, a closed stderr, an interpreter too old.
"""

from __future__ import annotations

import glob
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import runpy_ref
from runpy_ref.sinks import ListSink

ROOT = Path(__file__).resolve().parent.parent


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}


def python(*args: str, cwd: Path, exe: str = sys.executable, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([exe, *args], cwd=cwd, env=env(), capture_output=True, text=True, timeout=120,
                          check=False, **kwargs)


# -- observing changes nothing ----------------------------------------------------------

PROGRAMS = {
    "returns": "x = 1",
    "raises": "class Oops(Exception):\n    pass\nraise Oops('no')",
    "exits": "import sys\nsys.exit(0)",
    "exits_text": "import sys\nsys.exit('bye')",
    "reads_sys": "import sys\nseen = (list(sys.argv), sys.path[0], sorted(k for k in globals() if k.startswith('__')))",
}


def _sys_view() -> tuple:
    """What a run may touch: argv, path, and the modules runpy registers (stdlib imports aside)."""
    modules = {k: v for k, v in sys.modules.items() if k.startswith(("obs_", "__main__", "<run_path>"))}
    return list(sys.argv), list(sys.path), modules


def _observe(call) -> dict:
    before = _sys_view()
    try:
        result = call()
        ending = ("returned", sorted(k for k in result if not k.startswith("__builtins")), result.get("seen"))
    except BaseException as exc:
        ending = ("raised", type(exc).__name__, str(exc), sorted(vars(exc)), getattr(exc, "code", None))
    after = _sys_view()
    return {"ending": ending, "sys restored": before == after}


@pytest.mark.parametrize("name", list(PROGRAMS))
@pytest.mark.parametrize("api", ["run_module", "run_module_alter_sys", "run_path"])
def test_tracing_changes_nothing_a_program_or_caller_can_observe(name, api, tree):
    root = tree({f"obs_{name}.py": PROGRAMS[name]})
    calls = {
        "run_module": lambda: runpy_ref.run_module(f"obs_{name}"),
        "run_module_alter_sys": lambda: runpy_ref.run_module(f"obs_{name}", alter_sys=True),
        "run_path": lambda: runpy_ref.run_path(str(root / f"obs_{name}.py")),
    }
    untraced = _observe(calls[api])
    with runpy_ref.tracing(ListSink()) as tracer:
        traced = _observe(calls[api])
    assert traced == untraced and traced["sys restored"]
    assert tracer.events[-1].event == "run_finished"


# -- every event says what then holds ------------------------------------------------------


def test_under_path_the_reported_globals_are_the_programs(tmp_path):
    program = "import json, sys\nprint(json.dumps({'loader': type(__loader__).__name__, 'file': __file__}))\n"
    (tmp_path / "show.py").write_text(program)
    done = python("-m", "runpy_ref", "--trace-format", "json", "--path", "show.py", cwd=tmp_path)
    seen = json.loads(done.stdout)
    records = [json.loads(line) for line in done.stderr.splitlines()]
    built = next(r for r in records[1:-1] if r["event"] == "globals_built")
    assert built["data"]["specials"]["__loader__"] == f"<{seen['loader']}>" == "<SourceFileLoader>"
    assert built["data"]["specials"]["__file__"] == seen["file"]


def test_an_insertion_into_sys_path_reads_as_an_insertion(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__main__.py").write_text("")
    sink = ListSink()
    with runpy_ref.tracing(sink):
        runpy_ref.run_path(str(tmp_path / "app"))
    changed = next(e for e in sink.events if e.event == "sys_changed" and e.data["target"] == "sys.path[0]")
    undone = next(e for e in sink.events if e.event == "sys_restored" and e.data["target"] == "sys.path[0]")
    assert (changed.data["action"], changed.data["after"]) == ("inserted", str(tmp_path / "app"))
    assert (undone.data["action"], undone.data["before"]) == ("removed", str(tmp_path / "app"))


def test_sys_exit_zero_reads_as_the_programs_own_exit(tmp_path):
    (tmp_path / "bye.py").write_text("import sys\nsys.exit(0)\n")
    done = python("-m", "runpy_ref", "--trace", "bye", cwd=tmp_path)
    assert done.returncode == 0
    assert "could not continue" not in done.stderr and "stage_failed" not in done.stderr
    assert "called sys.exit(0)" in done.stderr and "the program's own exit" in done.stderr


# -- the trace survives the program ---------------------------------------------------------

DEATHS = {
    "os._exit": "import os\nos._exit(3)",
    "SIGTERM": "import os, signal\nos.kill(os.getpid(), signal.SIGTERM)",
    "SIGKILL": "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
    "segfault": "import ctypes\nctypes.string_at(0)",
}


@pytest.mark.parametrize("fmt", ["json", "text"])
@pytest.mark.parametrize("death", list(DEATHS))
def test_a_trace_file_holds_every_event_before_the_programs_death(tmp_path, death, fmt):
    (tmp_path / "dies.py").write_text("print('before', flush=True)\n" + DEATHS[death] + "\n")
    trace = tmp_path / "trace.out"
    done = python("-m", "runpy_ref", "--trace-format", fmt, "--trace-file", str(trace), "dies", cwd=tmp_path)
    assert done.returncode != 0 and done.stdout == "before\n"
    lines = trace.read_text(encoding="utf-8").splitlines()
    if fmt == "json":
        records = [json.loads(line) for line in lines]  # every line is whole, valid JSON
        assert records[0]["schema"] == "runpy_ref.trace"
        assert [r["event"] for r in records[-2:]] == ["globals_built", "exec_started"]
        assert [r["seq"] for r in records[1:]] == list(range(1, len(records)))
    else:
        assert lines[0].startswith("runpy_ref trace (")
        assert "executing '__main__' in a __main__ module" in "\n".join(lines[-3:])
        assert not lines[-1].startswith("runpy_ref trace complete")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is POSIX only")
@pytest.mark.parametrize("fmt", ["json", "text"])
def test_after_fork_no_header_or_event_is_written_twice(tmp_path, fmt):
    program = (
        "import os, sys\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    print('child', flush=True)\n"
        "    sys.exit(0)\n"
        "os.waitpid(pid, 0)\n"
        "print('parent', flush=True)\n"
    )
    (tmp_path / "forks.py").write_text(program)
    trace = tmp_path / "trace.out"
    done = python("-m", "runpy_ref", "--trace-format", fmt, "--trace-file", str(trace), "forks", cwd=tmp_path)
    assert done.returncode == 0 and sorted(done.stdout.split()) == ["child", "parent"]
    lines = trace.read_text(encoding="utf-8").splitlines()
    if fmt == "json":
        records = [json.loads(line) for line in lines]
        assert sum("schema" in r for r in records) == 1 and sum("complete" in r for r in records) == 1
        seqs = [r["seq"] for r in records if "seq" in r]
        assert seqs == list(range(1, len(seqs) + 1))
        assert [r["event"] for r in records if r.get("event") == "exec_finished"] == ["exec_finished"]
    else:
        assert sum(line.startswith("runpy_ref trace (") for line in lines) == 1
        assert sum(line.startswith("runpy_ref trace complete") for line in lines) == 1


def test_tail_f_sees_events_while_the_program_runs(tmp_path):
    (tmp_path / "waits.py").write_text("import sys\nsys.stdin.readline()\n")
    trace = tmp_path / "trace.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-m", "runpy_ref", "--trace-format", "json", "--trace-file", str(trace), "waits"],
        cwd=tmp_path, env=env(), stdin=subprocess.PIPE, text=True,
    )
    try:
        for _ in range(200):  # the program waits on stdin: the trace so far must already be on disk
            if trace.exists() and "exec_started" in trace.read_text():
                break
            assert process.poll() is None
            time.sleep(0.05)
        assert "exec_started" in trace.read_text()
    finally:
        process.communicate("\n", timeout=60)
    assert process.returncode == 0


# -- python -m runpy_ref at the edges, beside python -m ----------------------------------------------


def _without_runpy_frames(text: str) -> list[str]:
    lines, skip = [], False
    for line in text.splitlines():
        if line.startswith("  File "):
            skip = "runpy" in line.split(",")[0]
            if skip:
                continue
        elif skip and line.startswith("    "):
            continue
        lines.append(line)
    return lines


def test_ctrl_c_prints_only_the_programs_frames_runs_atexit_and_dies_by_sigint(tmp_path):
    program = "import atexit\natexit.register(lambda: print('atexit ran', flush=True))\nraise KeyboardInterrupt\n"
    (tmp_path / "intr.py").write_text(program)
    expected = python("-m", "intr", cwd=tmp_path)
    for options in ((), ("--trace-file", str(tmp_path / "t.txt"))):
        actual = python("-m", "runpy_ref", *options, "intr", cwd=tmp_path)
        assert actual.returncode == expected.returncode == -signal.SIGINT
        assert actual.stdout == expected.stdout == "atexit ran\n"
        assert "runpy_ref" not in actual.stderr
        assert actual.stderr.splitlines() == _without_runpy_frames(expected.stderr)


def test_sys_exit_with_a_hostile_str_prints_what_python_m_prints(tmp_path):
    program = "import sys\nclass C:\n    def __str__(self):\n        raise ValueError('no')\nsys.exit(C())\n"
    (tmp_path / "hostile.py").write_text(program)
    expected = python("-m", "hostile", cwd=tmp_path)
    actual = python("-m", "runpy_ref", "hostile", cwd=tmp_path)
    assert actual.returncode == expected.returncode == 1
    assert actual.stderr.splitlines()[:1] == expected.stderr.splitlines()[:1] == [""]
    assert "Traceback" not in actual.stderr


def test_a_traced_program_that_closes_stderr_keeps_its_status(tmp_path):
    (tmp_path / "closes.py").write_text("import sys\nprint('out')\nsys.stderr.close()\n")
    expected = python("-m", "closes", cwd=tmp_path)
    actual = python("-m", "runpy_ref", "--trace", "closes", cwd=tmp_path)
    assert (actual.returncode, actual.stdout) == (expected.returncode, expected.stdout) == (0, "out\n")


def test_the_dash_m_form_dash_dash_and_trace_file_dash(tmp_path):
    (tmp_path / "hello.py").write_text("import sys\nprint('hello', sys.argv[1:])\n")
    bare = python("-m", "runpy_ref", "hello", "-x", cwd=tmp_path)
    dash_m = python("-m", "runpy_ref", "-m", "hello", "-x", cwd=tmp_path)
    assert bare.stdout == dash_m.stdout == "hello ['-x']\n"
    to_stdout = python("-m", "runpy_ref", "--trace-format", "json", "--trace-file", "-", "hello", cwd=tmp_path)
    assert not (tmp_path / "-").exists()
    lines = to_stdout.stdout.splitlines()
    assert json.loads(lines[0])["schema"] == "runpy_ref.trace" and "hello ['-x']" not in lines
    assert "hello []" in lines and json.loads(lines[-1])["complete"] is True


def test_options_that_need_a_trace_say_so_and_as_of_is_checked(tmp_path):
    (tmp_path / "quiet.py").write_text("")
    done = python("-m", "runpy_ref", "--deterministic", "quiet", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stderr == "runpy_ref: note: --deterministic does nothing without --trace\n"
    done = python("-m", "runpy_ref", "--as-of", "1.5", "quiet", cwd=tmp_path)
    assert done.returncode == 2 and "--as-of 1.5: profiles exist for 2.5, 2.6, 2.7, 3.0" in done.stderr


def test_as_of_names_the_profile_in_the_header_and_the_run(tmp_path):
    (tmp_path / "quiet.py").write_text("")
    done = python("-m", "runpy_ref", "--as-of", "3.10", "--trace-format", "json", "quiet", cwd=tmp_path)
    records = [json.loads(line) for line in done.stderr.splitlines()]
    assert records[0]["profile"] == "3.10"
    assert next(r for r in records[1:-1] if r["event"] == "run_started")["data"]["profile"] == "3.10"


def test_as_of_the_hosts_own_version_is_identical_to_none(tmp_path):
    (tmp_path / "show.py").write_text("import sys\nprint(sys.argv, sys.path[0], sorted(globals()))\n")
    host = "%d.%d" % sys.version_info[:2]
    plain = python("-m", "runpy_ref", "--trace-format", "json", "--deterministic", "show", "a", cwd=tmp_path)
    as_of = python("-m", "runpy_ref", "--as-of", host, "--trace-format", "json", "--deterministic", "show", "a",
                   cwd=tmp_path)
    assert (as_of.returncode, as_of.stdout) == (plain.returncode, plain.stdout)
    sys_argv_plain = [r for r in map(json.loads, plain.stderr.splitlines()) if r.get("event") != "sys_changed"]
    sys_argv_as_of = [r for r in map(json.loads, as_of.stderr.splitlines()) if r.get("event") != "sys_changed"]
    assert sys_argv_plain == sys_argv_as_of  # (sys.argv shows the options themselves, which differ)


def test_as_of_in_process_is_per_context():
    assert runpy_ref.active_profile() == runpy_ref.host_profile()
    with runpy_ref.as_of("3.9"):
        assert runpy_ref.active_profile().version == "3.9"
        with runpy_ref.as_of((3, 13)):
            assert runpy_ref.active_profile().version == "3.13"
        assert runpy_ref.active_profile().version == "3.9"
    with pytest.raises(LookupError, match=r"no profile for Python 2\.1"):
        runpy_ref.as_of("2.1")


def _old_pythons() -> list[str]:
    root = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=False).stdout.strip() \
        if os.path.exists(os.path.expanduser("~/.pyenv")) else ""
    found = []
    for version in ("2.7", "3.6", "3.7", "3.8"):
        pattern = f"{root or os.path.expanduser('~/.pyenv')}/versions/{version}.*/bin/python{version}"
        found += sorted(glob.glob(pattern))[-1:]
    return found


@pytest.mark.parametrize("exe", _old_pythons() or [pytest.param(None, marks=pytest.mark.skip("no old Python"))])
def test_an_interpreter_older_than_3_9_gets_one_line(tmp_path, exe):
    done = python("-m", "runpy_ref", "runpy_ref.demo", cwd=ROOT, exe=exe)
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "runpy_ref needs Python 3.9 or newer" in done.stderr


def test_the_package_face_keeps_the_tracer_unloaded():
    code = "import sys, runpy_ref.__main__; print(sorted(k for k in sys.modules if k.startswith('runpy_ref.trace')))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env(), capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "['runpy_ref.trace', 'runpy_ref.trace.context']"


def test_no_user_object_gets_an_attribute(tree):
    tree({"attr_raise.py": "raise KeyError('k')"})
    with runpy_ref.tracing(ListSink()), pytest.raises(KeyError) as info:
        runpy_ref.run_module("attr_raise")
    assert vars(info.value) == {}


def test_an_html_trace_page_is_whole_at_every_step_and_survives_a_death(tmp_path):
    (tmp_path / "dies.py").write_text("print('before', flush=True)\nimport os\nos._exit(3)\n")
    (tmp_path / "lives.py").write_text("print('fine')\n")
    for name, status in (("dies", 3), ("lives", 0)):
        page = tmp_path / f"{name}.html"
        done = python("-m", "runpy_ref", "--trace-format", "html", "--trace-file", str(page), name, cwd=tmp_path)
        assert done.returncode == status
        text = page.read_text(encoding="utf-8")
        assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
        assert "executing &#x27;__main__&#x27; in a __main__ module" in text
        assert ("no closing record" in text) == (name == "dies")
    refused = python("-m", "runpy_ref", "--trace-format", "html", "lives", cwd=tmp_path)
    assert refused.returncode == 2 and "--trace-format html needs --trace-file" in refused.stderr
