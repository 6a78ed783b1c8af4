"""The benchmark figures in machine instructions: the same ratios, without the noise.

``bench.py`` times things, and on a shared machine a time wanders by ten per
cent from one run to the next: more than the difference between meeting a
1.10 budget and missing it.  The number of instructions the CPU executes for
the same program, inputs and environment hardly moves: with
``PYTHONHASHSEED`` fixed, as here, two runs agree to 0.01 % (random string
hashing would otherwise move the counts by a few tenths of a per cent).  This
script counts them with valgrind's callgrind tool for the figures of
``bench.py``:

* start-up: ``python -m runpy_ref MOD`` (and with ``--trace --trace-format
  json``) against ``python -m MOD``, with and without ``-S``;
* in process: instructions per ``run_module`` call, runpy_ref untraced and
  traced to a JSON Lines file, against the stdlib's runpy (the difference
  between a process making 300 calls and one making none).

Usage::

    python benchmarks/instructions.py [--calls N]

Instructions are not time: a system call or a cache miss costs time that
callgrind does not count, so this explains and steadies the timed figures
rather than replacing them.  It needs ``valgrind`` on ``PATH``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench import SMALL_MODULE  # noqa: E402 - the module bench.py runs, beside this file

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


def instructions(argv: list[str], cwd: str, env: dict[str, str]) -> int:
    """Instructions executed by ``argv`` (user space, whole process), counted by callgrind."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        cwd=cwd, env=env, capture_output=True, text=True,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"callgrind failed for {argv}:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=300, help="calls in the in-process batch (default 300)")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("instructions.py needs valgrind (Debian: apt install valgrind)", file=sys.stderr)
        return 2
    work = tempfile.mkdtemp(prefix="runpy_ref-instructions-")
    try:
        with open(os.path.join(work, "tinymod.py"), "w") as f:
            f.write('print("tiny")\n')
        with open(os.path.join(work, "bench_small.py"), "w") as f:
            f.write(SMALL_MODULE)
        with open(os.path.join(work, "calls.py"), "w") as f:
            f.write(CALLS_SCRIPT.format(root=ROOT, work=work, trace=os.path.join(work, "trace.jsonl")))
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPATH"] = ROOT
        env["PYTHONHASHSEED"] = "0"  # string hashes, hence dict layouts, the same in every run
        py = sys.executable
        # Bytecode caches first, as an installed package has them: compiling is not the figure.
        traced_cli = ["--trace", "--trace-format", "json"]
        for warm in (["-m", "runpy_ref", *traced_cli, "tinymod"], ["calls.py", "traced", "1"]):
            subprocess.run([py, *warm], cwd=work, env=env, capture_output=True, check=True)
        print(f"runpy_ref instructions: {sys.implementation.name} {sys.version.split()[0]} (callgrind)")
        print(f"{'figure':<34} {'runpy_ref':>12} {'CPython':>12}  ratio")
        for flags, label in (([], ""), (["-S"], " -S")):
            base = instructions([py, *flags, "-m", "tinymod"], work, env)
            for extra, name in (([], "cli:tiny"), (traced_cli, "cli-trace-json:tiny")):
                ours = instructions([py, *flags, "-m", "runpy_ref", *extra, "tinymod"], work, env)
                print(f"{name + label:<34} {ours:>12,} {base:>12,}  {ours / base:.3f}")
        per_call = {}
        for side in ("runpy", "untraced", "traced"):
            none = instructions([py, "calls.py", side, "0"], work, env)
            some = instructions([py, "calls.py", side, str(args.calls)], work, env)
            per_call[side] = (some - none) / args.calls
        for side, name in (("untraced", "api (per call)"), ("traced", "api-trace-jsonl (per call)")):
            print(f"{name:<34} {per_call[side]:>12,.0f} {per_call['runpy']:>12,.0f}  "
                  f"{per_call[side] / per_call['runpy']:.3f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
