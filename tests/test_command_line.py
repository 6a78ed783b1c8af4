"""``python -m runpy_ref``: option parsing, exit statuses, error lines, and the program's view of sys.

In-process tests call :func:`runpy_ref.cli.main` (and count for coverage);
subprocess tests run the real ``python -m runpy_ref`` and, where the claim is
"as ``python -m`` does", run the interpreter's own ``-m`` on the same program
and compare.
"""

from __future__ import annotations

import importlib.util
import json
import marshal
import os
import py_compile
import subprocess
import sys
import types
import zipfile
from pathlib import Path

import pytest

import runpy_ref
from runpy_ref import cli
from runpy_ref.interpreter import INTERRUPTED, print_line

pytestmark = pytest.mark.usefixtures("clean_sys")

PROJECT_ROOT = Path(runpy_ref.__file__).resolve().parent.parent
PACKAGE_DIR = str(Path(runpy_ref.__file__).resolve().parent)

PROBE = """
first_globals = list(globals())
import json, sys, types
main = sys.modules["__main__"]
print(json.dumps({
    "globals": first_globals,
    "cached": __cached__ if "__cached__" in globals() else "<unset>",
    "argv": sys.argv,
    "path": sys.path,
    "name": __name__,
    "file": __file__,
    "package": __package__,
    "spec": getattr(__spec__, "name", None),
    "loader": type(__loader__).__name__,
    "builtins": type(__builtins__).__name__,
    "main_is_me": main.__dict__ is globals(),
    "main_name": main.__name__,
}))
"""


def env() -> dict[str, str]:
    out = dict(os.environ)
    out["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), out.get("PYTHONPATH")]))
    out["PYTHONDONTWRITEBYTECODE"] = "1"
    return out


def python(*args: str, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env(), capture_output=True, text=True, check=False, **kwargs
    )


def stderr_lines(capsys) -> list[str]:
    return capsys.readouterr().err.splitlines()


# -- options ------------------------------------------------------------------------------


def test_help_lists_options_and_examples(capsys):
    for flag in ("--help", "-h"):
        assert cli.main([flag]) == 0
        out = capsys.readouterr().out
        assert out.startswith("usage: python -m runpy_ref [options] [-m] MODULE [args...]")
        assert "exit status:" in out and "documentation:" in out and "--as-of X.Y" in out
        assert "examples:\n  python -m runpy_ref --trace runpy_ref.demo Ada" in out
        for option in ("--trace", "--trace-format", "--trace-file", "--deterministic", "--root", "--path"):
            assert f"  {option}" in out


def test_version(capsys):
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out == f"runpy_ref {runpy_ref.__version__}\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--bogus", "mod"], "runpy_ref: error: unknown option '--bogus'"),
        (["--trace-format", "bad", "m"], "runpy_ref: error: --trace-format must be text, json or html, not 'bad'"),
        (["--trace-format=xml", "mod"], "runpy_ref: error: --trace-format must be text, json or html, not 'xml'"),
        (["--trace-file"], "runpy_ref: error: --trace-file needs a value"),
        (["--path"], "runpy_ref: error: --path needs a value"),
        ([], "runpy_ref: error: no module given (use --help for examples)"),
        (["--trace", "--"], "runpy_ref: error: no module given (use --help for examples)"),
    ],
)
def test_usage_errors_are_one_line_then_usage_and_exit_2(argv, message, capsys):
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert lines[0] == message
    assert lines[1:] == cli.USAGE.splitlines()
    assert "Traceback" not in captured.err


def test_parse_args_forms():
    parsed = cli.parse_args(["--trace-format=json", "--trace-file", "t.jsonl", "--deterministic",
                             "--root=/r", "mod", "--trace", "-x"])
    assert parsed == cli.Options(
        target="mod", args=("--trace", "-x"), trace=True, trace_format="json", trace_file="t.jsonl",
        deterministic=True, root="/r",
    )
    assert cli.parse_args(["--", "-weird", "a"]) == cli.Options(target="-weird", args=("a",))
    assert cli.parse_args(["-", "a"]) == cli.Options(target="-", args=("a",))
    assert cli.parse_args(["--path=dir", "a"]) == cli.Options(target="dir", args=("a",), is_path=True)
    assert cli.parse_args(["--trace", "m"]).trace is True
    assert cli.parse_args(["--trace-file", "f", "m"]).trace is True
    assert cli.parse_args(["m"]).trace is False


def test_main_reads_sys_argv_by_default(tree, capsys):
    tree({"cli_default.py": "print('ran with', __import__('sys').argv[1:])"})
    sys.argv[:] = ["runpy_ref", "cli_default", "x"]
    assert cli.main() == 0
    assert capsys.readouterr().out == "ran with ['x']\n"


# -- exit statuses and error lines ------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "status", "err"),
    [
        ("import sys; sys.exit(7)", 7, ""),
        ("import sys; sys.exit()", 0, ""),
        ("import sys; sys.exit(None)", 0, ""),
        ("import sys; sys.exit('bye now')", 1, "bye now\n"),
        ("pass", 0, ""),
    ],
)
def test_exit_status(tree, capsys, source, status, err):
    tree({"cli_exit.py": source})
    assert cli.main(["cli_exit"]) == status
    assert capsys.readouterr().err == err


def test_uncaught_exception_gives_1_and_a_traceback_without_runpy_ref_frames(tree, capsys):
    root = tree({"cli_raise.py": "def f():\n    raise ValueError('from user code')\nf()\n"})
    assert cli.main(["cli_raise"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):\n")
    assert f'File "{root / "cli_raise.py"}", line 3, in <module>' in err
    assert f'File "{root / "cli_raise.py"}", line 2, in f' in err
    assert err.endswith("ValueError: from user code\n")
    assert PACKAGE_DIR not in err


def test_syntax_error_shows_the_users_file_not_runpy_ref(tree, capsys):
    root = tree({"cli_syntax.py": "x = (\n"})
    assert cli.main(["cli_syntax"]) == 1
    err = capsys.readouterr().err
    assert f'File "{root / "cli_syntax.py"}", line 1' in err
    assert "SyntaxError" in err and PACKAGE_DIR not in err
    assert cli.main(["--path", str(root / "cli_syntax.py")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f'  File "{root / "cli_syntax.py"}", line 1')  # like `python file.py`
    assert "Traceback" not in err and PACKAGE_DIR not in err


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (["cli_missing_mod"], "No module named cli_missing_mod"),
        ([".relative"], "Relative module names not supported"),
        (["cli_nomain"],
         "No module named cli_nomain.__main__; 'cli_nomain' is a package and cannot be directly executed"),
    ],
)
def test_lookup_errors_are_one_line_naming_the_interpreter(tree, capsys, argv, line):
    tree({"cli_nomain/__init__.py": ""})
    assert cli.main(argv) == 1
    assert capsys.readouterr().err == f"{sys.executable}: {line}\n"


def test_directory_and_zip_without_main(tree, capsys):
    root = tree({"cli_emptydir/readme.txt": ""})
    with zipfile.ZipFile(root / "empty.zip", "w") as zf:
        zf.writestr("readme.txt", "")
    for target in ("cli_emptydir", "empty.zip"):
        assert cli.main(["--path", str(root / target)]) == 1
        assert capsys.readouterr().err == (
            f"{sys.executable}: can't find '__main__' module in {str(root / target)!r}\n"
        )


def test_unreadable_and_missing_files_exit_2(tree, capsys):
    # Running as root makes chmod 000 useless; a path *through* a file cannot
    # be opened by anyone, and a missing file gives ENOENT.
    root = tree({"plain.py": ""})
    through = str(root / "plain.py" / "inner.py")
    assert cli.main(["--path", through]) == 2
    assert capsys.readouterr().err == (
        f"{sys.executable}: can't open file {through!r}: [Errno 20] Not a directory\n"
    )
    missing = str(root / "missing.py")
    assert cli.main(["--path", missing]) == 2
    assert capsys.readouterr().err == (
        f"{sys.executable}: can't open file {missing!r}: [Errno 2] No such file or directory\n"
    )


def test_pyc_with_bad_magic(tree, capsys):
    root = tree({"bad.pyc": b"garbage that is not bytecode"})
    assert cli.main(["--path", str(root / "bad.pyc")]) == 1
    assert capsys.readouterr().err == "RuntimeError: Bad magic number in .pyc file\n"


@pytest.mark.parametrize(
    "body",
    [marshal.dumps(compile("x = 1", "t", "exec"))[:9], marshal.dumps(42)],
    ids=["truncated", "not-code"],
)
def test_pyc_with_a_bad_body(tree, capsys, body):
    root = tree({"body.pyc": importlib.util.MAGIC_NUMBER + bytes(12) + body})
    assert cli.main(["--path", str(root / "body.pyc")]) == 1
    assert capsys.readouterr().err == "RuntimeError: Bad code object in .pyc file\n"


def test_a_value_error_reading_a_source_file_is_not_a_bad_pyc(tree, capsys):
    root = tree({"src.py": ""})

    def failing_pick_path(path, *, profile):
        raise ValueError("cannot read this source")

    from runpy_ref.stages import use_stages

    with use_stages(pick_path=failing_pick_path):
        assert cli.main(["--path", str(root / "src.py")]) == 1
    err = capsys.readouterr().err
    assert err.endswith("ValueError: cannot read this source\n") and "Bad code object" not in err


def test_unknown_source_encoding_is_worded_as_python_file_words_it(tree, capsys):
    root = tree({"enc.py": "# -*- coding: bogus -*-\nx = 1\n"})
    assert cli.main(["--path", str(root / "enc.py")]) == 1
    assert capsys.readouterr().err == "SyntaxError: encoding problem: bogus\n"


def test_a_student_pick_path_that_calls_a_file_a_path_entry_is_followed(tree, capsys):
    root = tree({"entry.py": "print('must not run as a file')"})
    from runpy_ref.records import PathChoice
    from runpy_ref.stages import use_stages

    def everything_is_an_entry(path, *, profile):
        return PathChoice(path, "sys.path entry", "StudentImporter", None)

    with use_stages(pick_path=everything_is_an_entry):
        assert cli.main(["--path", str(root / "entry.py")]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"{sys.executable}: can't find '__main__' module in {str(root / 'entry.py')!r}\n"


def test_valid_pyc_runs_with_a_sourceless_loader(tree, capsys):
    root = tree({"comp.py": "print(type(__loader__).__name__, __name__)"})
    py_compile.compile(str(root / "comp.py"), cfile=str(root / "comp.pyc"), doraise=True)
    assert cli.main(["--path", str(root / "comp.pyc")]) == 0
    assert capsys.readouterr().out == "SourcelessFileLoader __main__\n"


def test_trace_file_that_cannot_be_written(tmp_path, capsys):
    target = str(tmp_path / "no" / "such" / "dir" / "t.txt")
    assert cli.main(["--trace-file", target, "runpy_ref.demo"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"runpy_ref: cannot write trace file {target!r}: No such file or directory\n"


def test_keyboard_interrupt_prints_the_programs_traceback_and_reports_an_interrupt(tree, capsys):
    tree({"cli_kbd.py": "raise KeyboardInterrupt"})
    argv = list(sys.argv)
    assert cli.main(["cli_kbd"]) == INTERRUPTED
    assert sys.argv == argv
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == "KeyboardInterrupt" and "runpy_ref" not in err


# -- where the trace goes ---------------------------------------------------------------


def test_trace_goes_to_stderr_never_stdout(tree, capsys):
    tree({"cli_out.py": "print('program output')"})
    assert cli.main(["--trace", "cli_out"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "program output\n"
    lines = [line for line in captured.err.splitlines() if not line.startswith(" " * 18)]
    assert lines[0].startswith("runpy_ref trace (")
    assert [line.split()[1] for line in lines[1:]][:3] == ["alter_sys", "alter_sys", "run"]
    assert lines[-1].startswith("runpy_ref trace complete (")


def test_trace_to_a_file_in_json(tree, tmp_path, capsys):
    tree({"cli_json.py": "print('hi')"})
    trace_file = tmp_path / "t.jsonl"
    assert cli.main(["--trace-format", "json", "--trace-file", str(trace_file), "cli_json"]) == 0
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("hi\n", "")
    records = [json.loads(line) for line in trace_file.read_text().splitlines()]
    assert records[0]["schema"] == "runpy_ref.trace" and records[0]["deterministic"] is False
    finished = [r for r in records[1:-1] if r["event"] == "run_finished"]
    assert [r["data"]["outcome"] for r in finished] == ["returned"]
    assert records[-2]["event"] == "sys_restored"  # in-process: the CLI's own changes are undone last
    assert records[-1] == {"complete": True, "events": len(records) - 2}
    assert all("time_ms" in r for r in records[1:-1])


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_trace_file_takes_arguments_that_are_not_utf8(tree, tmp_path, capsys, fmt):
    # On POSIX an argument with bytes that are not UTF-8 reaches sys.argv as a
    # lone surrogate; the trace file must still be written, whole.
    tree({"cli_bytes.py": "import sys; print(ascii(sys.argv[1]))"})
    trace_file = tmp_path / "t.out"
    arg = os.fsdecode(b"\xff")
    assert cli.main(["--trace-format", fmt, "--trace-file", str(trace_file), "cli_bytes", arg]) == 0
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("'\\udcff'\n", "")
    text = trace_file.read_text(encoding="utf-8")
    if fmt == "json":
        records = [json.loads(line) for line in text.splitlines()]
        argv_change = next(r for r in records[1:-1] if r["data"].get("target") == "sys.argv")
        assert argv_change["data"]["after"] == ["-m", arg]
        assert records[-2]["event"] == "sys_restored"
    else:
        assert "['-m', '\\udcff']" in text
        assert "run_module_as_main returned" in text


def test_deterministic_trace_with_a_root(tree, tmp_path, capsys):
    root = tree({"cli_det.py": ""})
    trace_file = tmp_path / "t.txt"
    args = ["--trace-file", str(trace_file), "--deterministic", "--root", str(root),
            "--path", str(root / "cli_det.py")]
    assert cli.main(args) == 0
    text = trace_file.read_text()
    assert str(root) not in text and "<root>/cli_det.py" in text


def test_a_failing_trace_sink_is_reported_after_the_run(tree, capsys, monkeypatch):
    tree({"cli_sinkfail.py": "print('program finished')"})

    class Closed:
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self):
            pass

    monkeypatch.setattr(sys, "stderr", Closed())
    quieted = []
    monkeypatch.setattr(cli, "_quiet_broken_stderr", quieted.append)
    argv = list(sys.argv)
    assert cli.main(["--trace", "cli_sinkfail"]) == 0  # the program's status: the trace never changes it
    assert capsys.readouterr().out == "program finished\n"
    assert sys.argv == argv  # sys restored
    assert len(quieted) == 1 and isinstance(quieted[0], BrokenPipeError)


def test_a_failing_trace_file_keeps_the_program_status(tree, tmp_path, capsys, monkeypatch):
    tree({"cli_sinkfail2.py": "import sys; sys.exit(4)"})
    from runpy_ref import sinks

    def broken(self, event):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sinks.TextSink, "event", broken)
    assert cli.main(["--trace-file", str(tmp_path / "t.txt"), "cli_sinkfail2"]) == 4
    assert capsys.readouterr().err == (
        "runpy_ref: note: the trace could not be written ([Errno 28] No space left on device); it is incomplete\n"
    )


def test_fail_survives_a_closed_stderr(monkeypatch):
    class Closed:
        def write(self, text):
            raise OSError("closed")

    monkeypatch.setattr(sys, "stderr", Closed())
    print_line("message")  # no exception


def test_quiet_broken_stderr_points_fd_2_at_devnull(monkeypatch):
    calls = []
    monkeypatch.setattr(os, "dup2", lambda fd, target: calls.append(target))
    cli._quiet_broken_stderr(BrokenPipeError())
    cli._quiet_broken_stderr(OSError("other"))
    cli._quiet_broken_stderr(None)
    assert calls == [sys.stderr.fileno()]


def test_close_quietly_swallows_a_failing_close():
    class Stream:
        def close(self):
            raise BrokenPipeError(32, "Broken pipe")

    cli._close_quietly(Stream())


# -- the program's view of sys -------------------------------------------------------------


def test_in_process_run_leaves_sys_as_it_was(tree, capsys):
    tree({"cli_view.py": PROBE})
    argv, main = list(sys.argv), sys.modules["__main__"]
    assert cli.main(["cli_view", "a"]) == 0
    seen = json.loads(capsys.readouterr().out)
    assert seen["argv"][1:] == ["a"] and seen["main_is_me"] and seen["name"] == "__main__"
    assert sys.argv == argv and sys.modules["__main__"] is main


def test_lasting_keeps_main_and_argv_like_python_m(tree, capsys):
    root = tree({"cli_last.py": "marker = 'still here'"})
    assert cli.main(["cli_last", "x"], lasting=True) == 0
    assert sys.argv == [str(root / "cli_last.py"), "x"]
    assert sys.modules["__main__"].marker == "still here"


def test_path_file_in_process(tree, capsys):
    root = tree({"cli_script.py": PROBE})
    path_rest = sys.path[1:]
    assert cli.main(["--path", str(root / "cli_script.py"), "q"]) == 0
    seen = json.loads(capsys.readouterr().out)
    assert seen["argv"] == [str(root / "cli_script.py"), "q"]
    assert seen["path"] == [str(root), *path_rest]
    assert (seen["name"], seen["spec"], seen["loader"], seen["main_is_me"]) == (
        "__main__", None, "SourceFileLoader", True,
    )


def test_path_file_with_safe_path_leaves_sys_path_alone(tree, capsys, monkeypatch):
    root = tree({"cli_safe.py": PROBE})
    flags = types.SimpleNamespace(**{name: getattr(sys.flags, name) for name in dir(sys.flags)
                                     if not name.startswith(("_", "n_")) and name not in ("count", "index")})
    flags.safe_path = True
    monkeypatch.setattr(sys, "flags", flags)
    path = list(sys.path)
    assert cli.main(["--path", str(root / "cli_safe.py")]) == 0
    assert json.loads(capsys.readouterr().out)["path"] == path


def test_path_directory_and_zip_in_process(tree, capsys):
    root = tree({"cli_app/__main__.py": PROBE})
    with zipfile.ZipFile(root / "cli_app.zip", "w") as zf:
        zf.writestr("__main__.py", PROBE)
    for target in ("cli_app", "cli_app.zip"):
        assert cli.main(["--path", str(root / target)]) == 0
        seen = json.loads(capsys.readouterr().out)
        assert seen["path"][0] == str(root / target)
        assert (seen["name"], seen["spec"], seen["main_is_me"]) == ("__main__", "__main__", True)


def test_pickling_a_class_defined_in_the_running_module_in_process(tree, capsys):
    tree({"cli_pickle.py": PICKLE})
    assert cli.main(["cli_pickle"]) == 0
    assert capsys.readouterr().out == "__main__ 3\n"


PICKLE = """
import pickle
class Point:
    def __init__(self, x):
        self.x = x
p = pickle.loads(pickle.dumps(Point(3)))
print(type(p).__module__, p.x)
"""

SPAWN = """
import multiprocessing

def square(x):
    return x * x

if __name__ == "__main__":
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        print(pool.map(square, [1, 2, 3]))
"""


# -- subprocess: the real `python -m runpy_ref` against the real `python -m` ----------------------


INIT_PROBE = """
import json, sys
print(json.dumps({"argv_while_importing_the_package": list(sys.argv)}))
"""


@pytest.fixture
def progdir(tmp_path: Path) -> Path:
    (tmp_path / "probe.py").write_text(PROBE)
    (tmp_path / "pickler.py").write_text(PICKLE)
    (tmp_path / "spawner.py").write_text(SPAWN)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__main__.py").write_text(PROBE)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text(INIT_PROBE)
    (tmp_path / "pkg" / "__main__.py").write_text(PROBE)
    return tmp_path


@pytest.mark.parametrize(
    ("native", "ours"),
    [
        (["-m", "probe", "a", "-b"], ["probe", "a", "-b"]),
        (["-m", "pkg", "x"], ["pkg", "x"]),
        (["probe.py", "y"], ["--path", "probe.py", "y"]),
        (["app", "z"], ["--path", "app", "z"]),
    ],
)
def test_program_sees_what_python_m_shows(progdir, native, ours):
    expected = python(*native, cwd=progdir)
    actual = python("-m", "runpy_ref", *ours, cwd=progdir)
    assert (actual.returncode, actual.stderr) == (0, "")
    assert expected.returncode == 0, expected.stderr
    assert [json.loads(line) for line in actual.stdout.splitlines()] == [
        json.loads(line) for line in expected.stdout.splitlines()
    ]


@pytest.mark.parametrize(
    ("native", "ours"),
    [
        (["-m", "no_such_module_here"], ["no_such_module_here"]),
        (["-m", ".relative"], [".relative"]),
        (["-m", "nomain"], ["nomain"]),
        (["-m", "syntax_err"], ["syntax_err"]),
        (["emptydir"], ["--path", "emptydir"]),
        (["empty.zip"], ["--path", "empty.zip"]),
        (["missing.py"], ["--path", "missing.py"]),
        (["probe.py/inner.py"], ["--path", "probe.py/inner.py"]),
        (["bad.pyc"], ["--path", "bad.pyc"]),
        (["truncated.pyc"], ["--path", "truncated.pyc"]),
        (["notcode.pyc"], ["--path", "notcode.pyc"]),
        (["syntax_err.py"], ["--path", "syntax_err.py"]),
        (["quitter.py"], ["--path", "quitter.py"]),
        (["bad_encoding.py"], ["--path", "bad_encoding.py"]),
        (["-m", "quitter"], ["quitter"]),
    ],
)
def test_failures_match_the_interpreter(progdir, native, ours):
    """Status and stderr are those of the interpreter's own ``python X`` / ``python -m X``."""
    (progdir / "nomain").mkdir()
    (progdir / "nomain" / "__init__.py").write_text("")
    (progdir / "emptydir").mkdir()
    with zipfile.ZipFile(progdir / "empty.zip", "w") as zf:
        zf.writestr("readme.txt", "")
    (progdir / "bad.pyc").write_bytes(b"not bytecode at all")
    header = importlib.util.MAGIC_NUMBER + bytes(12)  # flags, mtime and size: not checked for a script
    (progdir / "truncated.pyc").write_bytes(header + marshal.dumps(compile("x = 1", "t", "exec"))[:9])
    (progdir / "notcode.pyc").write_bytes(header + marshal.dumps(42))
    # Not an unexpected-EOF error: for those, 3.9's `python FILE` (tokenizing the
    # open file) reports the line after the last, while compile() - used by
    # runpy.run_path and runpy_ref alike - reports the last line.
    (progdir / "syntax_err.py").write_text("x = = 1\n")
    (progdir / "bad_encoding.py").write_text("# -*- coding: bogus -*-\nx = 1\n")
    (progdir / "quitter.py").write_text("import sys\nsys.exit('quitting: ' + sys.argv[0])\n")
    expected = python(*native, cwd=progdir)
    actual = python("-m", "runpy_ref", *ours, cwd=progdir)
    assert actual.returncode == expected.returncode != 0
    if "syntax_err" in native[-1] and native[0] == "-m":
        # python -m shows frozen runpy frames above importlib's; runpy_ref hides its own
        assert actual.stderr.splitlines()[-4:] == expected.stderr.splitlines()[-4:]
        assert "runpy_ref" not in actual.stderr
    else:
        assert actual.stderr == expected.stderr
    assert actual.stdout == expected.stdout == ""


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_trace_on_stderr_leaves_stdout_to_the_program(progdir, fmt):
    expected = python("-m", "probe", "a", cwd=progdir)
    actual = python("-m", "runpy_ref", "--trace-format", fmt, "probe", "a", cwd=progdir)
    assert actual.returncode == 0
    assert json.loads(actual.stdout) == json.loads(expected.stdout)
    lines = actual.stderr.splitlines()
    if fmt == "json":
        records = [json.loads(line) for line in lines]
        assert records[0]["schema"] == "runpy_ref.trace"
        assert [r["seq"] for r in records[1:-1]] == list(range(1, len(records) - 1))
        assert records[-1]["complete"] is True
    else:
        assert lines[0].startswith("runpy_ref trace (")
        entries = [line for line in lines[1:-1] if not line.startswith(" " * 18)]
        assert [int(line.split()[0]) for line in entries] == list(range(1, len(entries) + 1))


def test_missing_module_line_matches_python_m(progdir):
    expected = python("-m", "no_such_module_here", cwd=progdir)
    actual = python("-m", "runpy_ref", "no_such_module_here", cwd=progdir)
    assert (actual.returncode, actual.stdout, actual.stderr) == (1, "", expected.stderr)
    assert expected.stderr == f"{sys.executable}: No module named no_such_module_here\n"


def test_keyboard_interrupt_ends_the_process_like_python_m(progdir):
    (progdir / "interrupt.py").write_text("raise KeyboardInterrupt")
    expected = python("-m", "interrupt", cwd=progdir)
    actual = python("-m", "runpy_ref", "interrupt", cwd=progdir)
    assert actual.returncode == expected.returncode
    assert actual.stderr.splitlines()[-1] == expected.stderr.splitlines()[-1] == "KeyboardInterrupt"


def test_pickle_in_a_subprocess(progdir):
    done = python("-m", "runpy_ref", "pickler", cwd=progdir)
    assert (done.returncode, done.stdout, done.stderr) == (0, "__main__ 3\n", "")


def test_multiprocessing_spawn_works(progdir):
    done = python("-m", "runpy_ref", "spawner", cwd=progdir, timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (0, "[1, 4, 9]\n", "")


def test_version_and_bad_option_in_a_subprocess(progdir):
    done = python("-m", "runpy_ref", "--version", cwd=progdir)
    assert (done.returncode, done.stdout) == (0, f"runpy_ref {runpy_ref.__version__}\n")
    bad = python("-m", "runpy_ref", "--trace-format", "bad", "probe", cwd=progdir)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.splitlines()[0] == "runpy_ref: error: --trace-format must be text, json or html, not 'bad'"


LONG_TRACE = """
import runpy_ref
for _ in range(400):
    runpy_ref.run_module("tiny")
"""


@pytest.fixture
def longdir(tmp_path: Path) -> Path:
    (tmp_path / "tiny.py").write_text("x = 1\n")
    (tmp_path / "longtrace.py").write_text(LONG_TRACE)
    return tmp_path


def test_broken_pipe_on_stderr_trace_exits_cleanly(longdir):
    # The shell pipes the trace (stderr) into head and throws stdout away.
    command = (
        f"{sys.executable} -m runpy_ref --trace longtrace 2>&1 >/dev/null | head -1; "
        'echo "status=${PIPESTATUS[0]}"'
    )
    done = subprocess.run(["bash", "-c", command], cwd=longdir, env=env(), capture_output=True, text=True,
                          check=False)
    lines = done.stdout.splitlines()
    assert lines[0].startswith("runpy_ref trace (")
    assert lines[1:] == ["status=0"]  # the program's own status; the trace lacks its footer
    assert done.stderr == ""


def test_broken_pipe_on_a_trace_file_says_so_in_one_line(longdir):
    for fmt in ("text", "json"):
        process = subprocess.Popen(
            [sys.executable, "-m", "runpy_ref", "--trace-format", fmt, "--trace-file", "/dev/stdout",
             "longtrace"],
            cwd=longdir, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        first = process.stdout.readline()
        process.stdout.close()  # the reader goes away, as `head -1` does
        err = process.stderr.read()
        process.stderr.close()
        status = process.wait(timeout=120)
        assert first.startswith("runpy_ref trace (" if fmt == "text" else '{"schema": "runpy_ref.trace"')
        assert status == 0
        assert err == "runpy_ref: note: the trace could not be written ([Errno 32] Broken pipe); it is incomplete\n"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_program_that_dies_mid_run_leaves_its_trace_on_stderr(tmp_path, fmt):
    """stderr is line-buffered: every step up to the death is there, even os._exit's."""
    program = "import os, sys\nprint('about to go', file=sys.stderr, flush=True)\nos._exit(3)\n"
    (tmp_path / "dies.py").write_text(program)
    actual = python("-m", "runpy_ref", "--trace-format", fmt, "dies", cwd=tmp_path)
    assert actual.returncode == 3
    lines = actual.stderr.splitlines()
    assert lines[-1] == "about to go"
    if fmt == "json":
        events = [json.loads(line)["event"] for line in lines[1:-1]]
        assert events[-2:] == ["globals_built", "exec_started"]
    else:
        assert "executing '__main__' in a __main__ module" in "\n".join(lines[-3:-1])
    assert "complete" not in lines[-2]  # no footer: a reader can tell the trace was cut


def test_a_trace_file_holds_every_run_and_the_header(tmp_path):
    """A file gets a run's lines when the run ends; all of them are there when the process ends."""
    (tmp_path / "nested.py").write_text("import runpy_ref\nrunpy_ref.run_module('inner')\n")
    (tmp_path / "inner.py").write_text("print('inner ran')\n")
    trace = tmp_path / "run.jsonl"
    options = ["--trace-format", "json", "--trace-file", str(trace)]
    actual = python("-m", "runpy_ref", *options, "nested", cwd=tmp_path)
    assert (actual.returncode, actual.stdout) == (0, "inner ran\n")
    records = [json.loads(line) for line in trace.read_text().splitlines()]
    assert records[0]["schema"] == "runpy_ref.trace"
    assert [r["seq"] for r in records[1:-1]] == list(range(1, len(records) - 1))
    assert {r["run"] for r in records[1:-1] if r["depth"] == 1} == {2}
