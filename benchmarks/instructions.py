"""Start-up and per-call costs in machine instructions, runpy_ref beside the tools people use instead.

``bench.py`` times things, and on a shared machine a time wanders by ten per
cent from one run to the next: more than the margin a budget leaves.  The
number of instructions the CPU executes for the same program, inputs and
environment hardly moves: with ``PYTHONHASHSEED`` fixed, as here, two runs
agree to 0.01 % (the traced in-process figure to 0.5 %: the timings its
events carry differ in length).  This script counts them with valgrind's callgrind tool.

**Start-up**, each command against ``python -m tinymod`` (a module that
prints one line), so that what is counted is the machinery around a ``-m``
run:

* runpy_ref: ``python -m runpy_ref tinymod`` (budget 1.25), the same with
  ``--trace --trace-format json`` (budget 1.35), and with the text
  ``--trace`` (no budget);
* the tools people use instead to watch a ``-m`` run, as they type them:
  ``python -m cProfile -m``, ``python -m profile -m``, ``python -m trace
  --trace --module`` (trace's own ``-m`` means ``--missing``; ``--trace``
  prints each line as it runs, the stdlib's way of watching a run, where
  ``--count`` writes coverage files, which ``coverage`` does better),
  ``python -m pdb -m`` fed ``continue`` then ``quit`` on stdin (the program
  runs to the end, pdb restarts it and stops at its first line, and
  ``quit`` ends the session), ``coverage run -m`` and
  ``pyinstrument -m`` (counted with a 10 s sampling interval: natively the
  run is too short for a sample at the default 1 ms, but under callgrind,
  which slows the program about fifty-fold, it would take dozens).

Every start-up command runs with the same interpreter in one throwaway
virtual environment, made for the run and deleted after it, into which
``coverage`` and ``pyinstrument`` are installed from PyPI (with the
interpreter's own pip).  So every ratio has the same ``python -m tinymod``
below it, in an environment like a user's: the interpreter's own
site-packages, and whatever ``.pth`` files a machine has put there, are
left out.  A tool that cannot be installed is reported as missing, and the
exit status is then 1.  The runpy_ref rows are repeated with ``python -S``
(no ``site`` at all).

**In process**, instructions per ``run_module`` call, runpy_ref untraced
(budget 1.20) and traced to a JSON Lines file (no budget: writing each
event through as it happens is worth more than the microseconds) against
the stdlib's ``runpy``: the difference between a process making N calls
and one making none.

Usage::

    python benchmarks/instructions.py                     # this interpreter: print the table
    python benchmarks/instructions.py --all-interpreters  # 3.9-3.13: results/instructions-X.Y.txt
    python benchmarks/instructions.py --calls 100 --peers cProfile,coverage  # quicker (CI)
    python benchmarks/instructions.py --check             # exit 1 when a budgeted ratio is over
    python benchmarks/instructions.py --markdown          # the READMEs' table, from results/

``--all-interpreters`` finds each CPython 3.9 to 3.13 under ``pyenv root``
(``versions/X.Y.*/bin/pythonX.Y``, the newest patch release) or as
``pythonX.Y`` on ``PATH``, runs this script with each (two at a time: the
counts do not depend on what else the machine does) and reports any it
cannot find.  Instructions are not time: a system call or a cache miss
costs time that callgrind does not count, so these figures explain and
steady the timed ones rather than replace them.  Needs ``valgrind`` on
``PATH``.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from typing import NamedTuple

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from bench import SMALL_MODULE  # noqa: E402 - the module bench.py runs, beside this file

VERSIONS = ("3.9", "3.10", "3.11", "3.12", "3.13")

BUDGETS = {"cli:tiny": 1.25, "cli-trace-json:tiny": 1.35, "api": 1.20}
"""Budgeted ratios (the ``-S`` rows share their figure's budget)."""


class Command(NamedTuple):
    """One start-up figure: what a user types, and the argv that does it in the venv."""

    figure: str
    shown: str
    argv: tuple[str, ...]  # after the interpreter; "{bin}" is the venv's bin directory
    stdin: str = ""
    needs: str = ""  # the PyPI distribution the command needs, if any


RUNPY_REF = (
    Command("cli:tiny", "python -m runpy_ref tinymod", ("-m", "runpy_ref", "tinymod")),
    Command("cli-trace-json:tiny", "python -m runpy_ref --trace --trace-format json tinymod",
            ("-m", "runpy_ref", "--trace", "--trace-format", "json", "tinymod")),
    Command("cli-trace:tiny", "python -m runpy_ref --trace tinymod",
            ("-m", "runpy_ref", "--trace", "tinymod")),
)
PEERS = (
    Command("peer:cProfile", "python -m cProfile -m tinymod", ("-m", "cProfile", "-m", "tinymod")),
    Command("peer:profile", "python -m profile -m tinymod", ("-m", "profile", "-m", "tinymod")),
    # trace's own -m is --missing: a module is named with --module.
    Command("peer:trace", "python -m trace --trace --module tinymod",
            ("-m", "trace", "--trace", "--module", "tinymod")),
    Command("peer:pdb", "python -m pdb -m tinymod, stdin: continue, quit", ("-m", "pdb", "-m", "tinymod"),
            stdin="continue\nquit\n"),
    # The console scripts pip writes, run as their #! line runs them.
    Command("peer:coverage", "coverage run -m tinymod", ("{bin}/coverage", "run", "-m", "tinymod"),
            needs="coverage"),
    # pyinstrument samples on a 1 ms timer.  Natively this run records no sample;
    # under callgrind, 50 times slower, it would record dozens (8 % more
    # instructions, varying by 2 % from run to run).  A 10 s interval takes the
    # native run's path, the same count every time.
    Command("peer:pyinstrument", "pyinstrument -m tinymod, counted with -i 10",
            ("{bin}/pyinstrument", "-i", "10", "-m", "tinymod"), needs="pyinstrument"),
)
BASELINE = Command("python", "python -m tinymod", ("-m", "tinymod"))

CALLS_SCRIPT = """\
import sys
sys.path[:0] = [{root!r}, {work!r}]
import runpy, runpy_ref
from runpy_ref.sinks import JsonLinesSink
side, calls = sys.argv[1], int(sys.argv[2])
run = runpy.run_module if side == "runpy" else runpy_ref.run_module
def batch(n):
    for _ in range(n):
        run("bench_small")
if side == "traced":
    with open({trace!r}, "w", encoding="utf-8") as stream:
        with runpy_ref.tracing(JsonLinesSink(stream), keep=False):
            batch(20)
            batch(calls)
else:
    batch(20)  # warm the caches, as the timed figures do
    batch(calls)
"""


def instructions(argv: list[str], cwd: str, env: dict[str, str], stdin: str = "") -> int:
    """Instructions executed by ``argv`` (user space, whole process), counted by callgrind."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        cwd=cwd, env=env, input=stdin, capture_output=True, text=True,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"callgrind failed for {argv}:\n{done.stdout[-1000:]}\n{done.stderr[-2000:]}")
    return int(found.group(1))


def make_venv(work: str, needs: list[str]) -> tuple[str, dict[str, str], dict[str, str]]:
    """A throwaway venv of this interpreter with ``needs`` from PyPI: (python, versions, missing).

    The venv gets no pip of its own (on 3.11 and older that would bring
    setuptools and a ``.pth`` file every start-up reads); this interpreter's
    pip installs into it.
    """
    venv = os.path.join(work, "venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = os.path.join(venv, "bin", "python")
    missing: dict[str, str] = {}
    if needs:
        done = subprocess.run(
            [sys.executable, "-m", "pip", "--python", python, "install", "-q",
             "--disable-pip-version-check", *needs],
            capture_output=True, text=True, timeout=600,
        )
        if done.returncode != 0:
            reason = (done.stderr.strip().splitlines() or ["pip failed"])[-1]
            missing = {name: f"pip install failed: {reason}" for name in needs}
    versions = {}
    for name in needs:
        if name in missing:
            continue
        found = subprocess.run([python, "-c", f"import importlib.metadata as m; print(m.version({name!r}))"],
                               capture_output=True, text=True)
        if found.returncode == 0:
            versions[name] = found.stdout.strip()
        else:
            missing[name] = "not importable after pip install"
    return python, versions, missing


def verdict(figure: str, ratio: float) -> str:
    """The budget column: the budget and whether the ratio is within it."""
    budget = BUDGETS.get(figure.split(" ")[0])
    if budget is None:
        return ""
    return f"{budget:.2f} {'ok' if ratio <= budget else 'OVER'}"


def measure(calls: int, peers: list[Command]) -> tuple[list[str], bool, list[str]]:
    """Run every figure on this interpreter: (report lines, all budgets met, missing tools)."""
    lines: list[str] = []
    within = True
    work = tempfile.mkdtemp(prefix="runpy_ref-instructions-")
    try:
        with open(os.path.join(work, "tinymod.py"), "w") as f:
            f.write('print("tiny")\n')
        with open(os.path.join(work, "bench_small.py"), "w") as f:
            f.write(SMALL_MODULE)
        with open(os.path.join(work, "calls.py"), "w") as f:
            f.write(CALLS_SCRIPT.format(root=ROOT, work=work, trace=os.path.join(work, "trace.jsonl")))
        needs = sorted({c.needs for c in peers if c.needs})
        py, versions, missing = make_venv(work, needs)
        env = {k: v for k, v in os.environ.items()
               if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONHOME", "PYTHONSTARTUP")
               and not k.startswith(("COVERAGE_", "PYINSTRUMENT_"))}
        env["PYTHONPATH"] = ROOT  # runpy_ref from this checkout; the same entry for every command
        env["PYTHONHASHSEED"] = "0"  # string hashes, hence dict layouts, the same in every run
        bindir = os.path.dirname(py)

        def argv(command: Command, flags: tuple[str, ...] = ()) -> list[str]:
            return [py, *flags, *(a.replace("{bin}", bindir) for a in command.argv)]

        valgrind = subprocess.run(["valgrind", "--version"], capture_output=True, text=True).stdout.strip()
        tools = ", ".join(f"{name} {version}" for name, version in versions.items()) or "nothing"
        lines.append(f"runpy_ref instructions: {sys.implementation.name} {sys.version.split()[0]} "
                     f"(callgrind, {valgrind})")
        lines.append(f"start-up in a throwaway venv of this interpreter (from PyPI: {tools}); "
                     "tinymod prints one line")
        lines.append(f"{'figure':<24} {'command':<58} {'instructions':>13} {'ratio':>6}  budget")
        measured = [c for c in (*RUNPY_REF, *peers) if c.needs not in missing]
        # Bytecode caches first, as an installed package has them: compiling is not the figure.
        for command in (BASELINE, *measured):
            subprocess.run(argv(command), cwd=work, env=env, input=command.stdin,
                           capture_output=True, text=True, check=True)
        subprocess.run([py, "calls.py", "traced", "1"], cwd=work, env=env, capture_output=True, check=True)

        def row(command: Command, count: int, base: int, flags: tuple[str, ...] = ()) -> None:
            nonlocal within
            suffix = " -S" if flags else ""
            shown = command.shown.replace("python", "python -S", 1) if flags else command.shown
            ratio = count / base
            mark = verdict(command.figure + suffix, ratio)
            within = within and "OVER" not in mark
            line = f"{command.figure + suffix:<24} {shown:<58} {count:>13,} {ratio:>6.3f}  {mark}"
            lines.append(line.rstrip())

        base = instructions(argv(BASELINE), work, env)
        row(BASELINE, base, base)
        for command in measured:
            row(command, instructions(argv(command), work, env, command.stdin), base)
        for command in peers:
            if command.needs in missing:
                lines.append(f"{command.figure:<24} {command.shown:<58} {'MISSING':>13}  "
                             f"{command.needs}: {missing[command.needs]}")
        base_s = instructions(argv(BASELINE, ("-S",)), work, env)
        row(BASELINE, base_s, base_s, ("-S",))
        for command in RUNPY_REF[:2]:
            row(command, instructions(argv(command, ("-S",)), work, env), base_s, ("-S",))

        heading = f"in process, per run_module call ({calls} calls)"
        lines.append(f"{heading:<73} {'runpy_ref':>13} {'runpy':>9} {'ratio':>6}  budget")
        per_call = {}
        for side in ("runpy", "untraced", "traced"):
            none = instructions([py, "calls.py", side, "0"], work, env)
            some = instructions([py, "calls.py", side, str(calls)], work, env)
            per_call[side] = (some - none) / calls
        for side, figure, shown in (("untraced", "api", 'run_module("bench_small")'),
                                    ("traced", "api-trace-jsonl", "the same, traced to a JSON Lines file")):
            ratio = per_call[side] / per_call["runpy"]
            mark = verdict(figure, ratio) or "none (retired)"
            within = within and "OVER" not in mark
            lines.append(f"{figure:<24} {shown:<48} {per_call[side]:>13,.0f} {per_call['runpy']:>9,.0f} "
                         f"{ratio:>6.3f}  {mark}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return lines, within, sorted(missing)


def find_interpreter(version: str) -> str | None:
    """The newest CPython ``version`` under ``pyenv root``, else ``pythonX.Y`` on PATH."""
    try:
        root = subprocess.run(["pyenv", "root"], capture_output=True, text=True).stdout.strip()
    except OSError:
        root = ""
    root = root or os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    found = []
    versions = os.path.join(root, "versions")
    for name in os.listdir(versions) if os.path.isdir(versions) else ():
        exe = os.path.join(versions, name, "bin", f"python{version}")
        if re.fullmatch(re.escape(version) + r"\.\d+", name) and os.access(exe, os.X_OK):
            found.append((int(name.rsplit(".", 1)[1]), exe))
    return max(found)[1] if found else shutil.which(f"python{version}")


def run_all(args: argparse.Namespace) -> int:
    """Run this script with every CPython 3.9-3.13 found; write results/instructions-X.Y.txt."""
    started = time.monotonic()
    status = 0
    jobs = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for version in VERSIONS:
            exe = find_interpreter(version)
            if exe is None:
                print(f"MISSING INTERPRETER: CPython {version} is not on this machine; not measured")
                status = 1
                continue
            output = os.path.join(HERE, "results", f"instructions-{version}.txt")
            argv = [exe, os.path.abspath(__file__), "--calls", str(args.calls), "--output", output]
            if args.peers:
                argv += ["--peers", args.peers]
            if args.check:
                argv.append("--check")
            jobs[version] = pool.submit(timed_run, argv)
        for version, job in jobs.items():
            done, seconds = job.result()
            print(done.stdout, end="")
            print(f"(CPython {version}: {seconds:.0f} s)\n")
            if done.returncode != 0:
                print(done.stderr, end="")
                print(f"FAILED: CPython {version} exited {done.returncode}\n")
                status = 1
    print(f"all interpreters: {time.monotonic() - started:.0f} s wall, {args.jobs} at a time")
    return status


def markdown() -> str:
    """The tables of the READMEs, from results/instructions-X.Y.txt: ratios, one column per interpreter.

    The rows are parsed back from the fixed-width tables ``measure`` writes.
    """
    columns: dict[str, dict[str, str]] = {}
    rows: dict[str, tuple[str, str]] = {}  # figure -> (command, budget), in order of appearance
    for version in VERSIONS:
        path = os.path.join(HERE, "results", f"instructions-{version}.txt")
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        label = lines[0].split()[3]  # "runpy_ref instructions: cpython 3.13.0 (...)"
        cells = columns.setdefault(label, {})
        in_process = False
        for line in lines[3:]:
            if line.startswith("in process"):
                in_process = True
                continue
            figure = line[:24].strip()
            if in_process:
                shown, numbers = line[25:73].strip(), line[73:].split()
                value, budget = numbers[2], " ".join(numbers[3:]).replace(" ok", "").replace(" OVER", "")
            else:
                shown, numbers = line[25:83].strip(), line[83:].split()
                if numbers[0] == "MISSING":
                    value, budget = "missing", ""
                else:
                    value, budget = numbers[1], (numbers[2] if len(numbers) > 2 else "")
                    if figure.startswith("python"):  # the baseline: its size, not 1.000
                        value = f"{int(numbers[0].replace(',', '')) / 1e6:.1f} M instr."
            if not in_process:  # the command as code, a note after a comma as text
                code, _, note = shown.partition(", ")
                shown = f"`{code}`" + (f" ({note})" if note else "")
            rows.setdefault(figure, (shown, budget))
            cells[figure] = value
    out = ["| figure | command | budget | " + " | ".join(columns) + " |",
           "|---|---|---|" + "---|" * len(columns)]
    for figure, (shown, budget) in rows.items():
        values = " | ".join(cells.get(figure, "-") for cells in columns.values())
        out.append(f"| `{figure}` | {shown} | {budget or '-'} | {values} |")
    return "\n".join(out) + "\n"


def timed_run(argv: list[str]) -> tuple[subprocess.CompletedProcess, float]:
    """Run ``argv``, capturing its output; return it and the seconds it took."""
    started = time.monotonic()
    done = subprocess.run(argv, capture_output=True, text=True)
    return done, time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=300, help="calls in the in-process batch (default 300)")
    names = [c.figure.split(":")[1] for c in PEERS]
    parser.add_argument("--peers", help=f"comma-separated peers to measure (default all: {','.join(names)})")
    parser.add_argument("--output", help="also write the table to this file")
    parser.add_argument("--check", action="store_true", help="exit 1 when a ratio is over its budget")
    parser.add_argument("--all-interpreters", action="store_true",
                        help="run on every CPython 3.9-3.13 found and write results/instructions-X.Y.txt")
    parser.add_argument("--jobs", type=int, default=2, help="interpreters measured at once (default 2)")
    parser.add_argument("--markdown", action="store_true",
                        help="print the READMEs' table from results/instructions-X.Y.txt (measures nothing)")
    args = parser.parse_args(argv)
    if args.markdown:
        print(markdown(), end="")
        return 0
    if shutil.which("valgrind") is None:
        print("instructions.py needs valgrind (Debian: apt install valgrind)", file=sys.stderr)
        return 2
    chosen = names if not args.peers else args.peers.split(",")
    unknown = sorted(set(chosen) - set(names))
    if unknown:
        parser.error(f"unknown peer(s) {', '.join(unknown)}; choose from {', '.join(names)}")
    if args.all_interpreters:
        return run_all(args)
    peers = [c for c in PEERS if c.figure.split(":")[1] in chosen]
    lines, within, missing = measure(args.calls, peers)
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    if missing:
        print(f"MISSING: not measured, could not be installed: {', '.join(missing)}")
        return 1
    return 1 if args.check and not within else 0


if __name__ == "__main__":
    sys.exit(main())
