"""Where does tracing-off time go?  Count the bytecode instructions, not the seconds.

Timings on a shared machine move by ten per cent from one run to the next,
which hides a change that saves three.  The number of bytecode instructions
CPython executes for one ``run_module`` call does not move at all, so this
script counts them (``sys.settrace`` with ``f_trace_opcodes``) for runpy_ref
and for the stdlib's runpy, and prints the difference function by function.

Usage::

    python benchmarks/opcodes.py [--calls N] [--all]

Instructions are not all equally dear (a call costs more than a load), so
this explains the ``api`` figure of ``bench.py`` rather than replacing it.
"""

from __future__ import annotations

import argparse
import collections
import os
import runpy
import sys
import tempfile
from typing import Any, Callable

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SMALL_MODULE = '''\
"""A small module for the in-process figures."""
import sys

GREETING = "hello"


def shout(text):
    return text.upper() + "!"


RESULT = shout(GREETING) if __name__ != "__main__" else None
'''
"""The same module ``bench.py`` runs 1000 times."""


def count(call: Callable[[], Any], calls: int) -> collections.Counter[tuple[str, str]]:
    """Instructions executed by ``calls`` calls, keyed by (file name, function name)."""
    counts: collections.Counter[tuple[str, str]] = collections.Counter()

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        frame.f_trace_opcodes = True
        if event == "opcode":
            code = frame.f_code
            counts[(os.path.basename(code.co_filename), code.co_name)] += 1
        return tracer

    call()  # warm caches first: the first call imports and fills finder caches
    sys.settrace(tracer)
    try:
        for _ in range(calls):
            call()
    finally:
        sys.settrace(None)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=10, help="calls counted per side (default 10)")
    parser.add_argument("--all", action="store_true", help="list every function, not only differences")
    args = parser.parse_args(argv)
    sys.path.insert(0, ROOT)
    sys.dont_write_bytecode = False  # as in bench.py: measure with .pyc files, as installed
    import runpy_ref

    with tempfile.TemporaryDirectory(prefix="runpy_ref-opcodes-") as workdir:
        with open(os.path.join(workdir, "bench_small.py"), "w") as f:
            f.write(SMALL_MODULE)
        sys.path.insert(0, workdir)
        try:
            # CPython 3.12.1 counts nothing in the first traced stretch of a
            # process (seen here; 3.9-3.11 and 3.13 do not): prime it once.
            count(lambda: runpy.run_module("bench_small"), 1)
            ours = count(lambda: runpy_ref.run_module("bench_small"), args.calls)
            stdlib = count(lambda: runpy.run_module("bench_small"), args.calls)
        finally:
            sys.path.remove(workdir)
            sys.modules.pop("bench_small", None)
    per_call = args.calls
    total_ours, total_stdlib = sum(ours.values()) / per_call, sum(stdlib.values()) / per_call
    if not total_ours or not total_stdlib:
        sys.exit("opcodes: the tracer counted no instructions; these figures would mean nothing")
    print(f"bytecode instructions per run_module call, CPython {sys.version.split()[0]}")
    print(f"  runpy_ref {total_ours:.0f}, runpy {total_stdlib:.0f}, ratio {total_ours / total_stdlib:.3f}")
    print("  difference by function (runpy_ref minus runpy):")
    rows = []
    for key in set(ours) | set(stdlib):
        delta = (ours[key] - stdlib[key]) / per_call
        if args.all or abs(delta) >= 1:
            rows.append((delta, key))
    for delta, (filename, function) in sorted(rows):
        print(f"  {delta:+8.1f}  {filename}:{function}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
