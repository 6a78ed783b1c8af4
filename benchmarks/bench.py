"""Performance figures for runpy_ref: ratios against CPython's own runpy.

Every figure compares two things measured in the same run, one after the
other, round by round (A B, B A, A B ...), so that drift in the machine (a
noisy neighbour, a CPU changing speed) hits both sides alike.  For each side the
script reports the median and the minimum over the rounds; the figure is the
ratio of the medians.

Figures and their budgets (from the project's performance requirements):

=================  =====================================================  ======
figure             A (runpy_ref) against B (CPython)                       budget
=================  =====================================================  ======
cli                ``python -m runpy_ref MOD`` / ``python -m MOD``          1.25
cli-trace-json     ``... --trace --trace-format json MOD`` / ``-m MOD``     1.35
api                1000 x ``run_module`` / 1000 x ``runpy.run_module``      1.20
api-trace-jsonl    the same inside ``tracing(JsonLinesSink(file))``         none
memory             tracemalloc peak, traced with ``keep=False`` / untraced  none
=================  =====================================================  ======

``cli`` and ``cli-trace-json`` are measured for two programs: a module that
prints one line, and ``json.tool`` on a small file.  ``memory`` is judged on
what is retained, not on the peak: the memory still allocated after the
traced calls must not grow with their number.  A few more rows (``run_path``,
``alter_sys=True``) are reported without a budget.  ``api-trace-jsonl`` had
a budget of 2.00, now retired: a trace written through as each event
happens is worth more than the microseconds; the figure is still reported.

Usage::

    python benchmarks/bench.py [--runs N] [--calls N] [--json OUT] [--check] [--no-site]

Run it with the interpreter to measure (both sides always use the same one).
``--check`` makes the exit status 1 when a ratio exceeds its budget or the
retained memory grows; without it the script only reports.  Timings are never asserted in the test suite:
this script is the one place where speed is judged.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import runpy
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from typing import Any, Callable

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

BUDGETS = {
    "cli": 1.25,
    "cli-trace-json": 1.35,
    "api": 1.20,
}

TINY_MODULE = 'print("hello from a tiny module")\n'
"""The program for the CLI figures: a real module that does almost nothing,
so that what is measured is the machinery around it."""

SMALL_MODULE = '''\
"""A small module for the in-process figures."""
import sys

GREETING = "hello"


def shout(text):
    return text.upper() + "!"


RESULT = shout(GREETING) if __name__ != "__main__" else None
'''
"""The module ``run_module`` runs 1000 times: a docstring, an import, a
function and a call, like a short real module."""

SMALL_JSON = {"name": "runpy_ref", "figures": [1, 2, 3], "nested": {"ok": True, "ratio": 1.05}}


# -- measuring ------------------------------------------------------------------


class Pair:
    """Timings of two sides of one figure, collected round by round."""

    def __init__(self, name: str, a_label: str, b_label: str, unit: str = "ms") -> None:
        self.name = name
        self.a_label = a_label
        self.b_label = b_label
        self.unit = unit
        self.a: list[float] = []
        self.b: list[float] = []
        self.a_cpu: list[float] = []
        self.b_cpu: list[float] = []
        self.notes: list[str] = []

    def ratio(self) -> float:
        return statistics.median(self.a) / statistics.median(self.b)

    def cpu_ratio(self) -> float | None:
        """The same ratio in CPU time: steadier than wall time on a loaded machine."""
        if not self.a_cpu or not self.b_cpu or not statistics.median(self.b_cpu):
            return None
        return statistics.median(self.a_cpu) / statistics.median(self.b_cpu)

    def as_dict(self) -> dict[str, Any]:
        budget = BUDGETS.get(self.name.split(":")[0])
        return {
            "figure": self.name,
            "a": self.a_label,
            "b": self.b_label,
            "unit": self.unit,
            "a_median": statistics.median(self.a),
            "a_min": min(self.a),
            "b_median": statistics.median(self.b),
            "b_min": min(self.b),
            "ratio": self.ratio(),
            "cpu_ratio": self.cpu_ratio(),
            "budget": budget,
            "ok": None if budget is None else self.ratio() <= budget,
            "runs": len(self.a),
            "notes": self.notes,
        }


Timer = Callable[[], "tuple[float, float]"]
"""Runs one measurement; returns (wall time, CPU time) in ms."""


def interleave(pair: Pair, runs: int, a: Timer, b: Timer) -> Pair:
    """Measure ``a`` and ``b`` alternately, ``runs`` times each, after one warm-up.

    Rounds alternate the order too (A B, B A, A B ...): whichever side runs
    second in a round was seen to gain or lose a few per cent from what ran
    just before it, and alternating cancels that.
    """
    a()
    b()
    for round_number in range(runs):
        sides = [(a, pair.a, pair.a_cpu), (b, pair.b, pair.b_cpu)]
        for timer, wall, cpu in sides if round_number % 2 == 0 else sides[::-1]:
            wall_ms, cpu_ms = timer()
            wall.append(wall_ms)
            cpu.append(cpu_ms)
    return pair


def children_cpu() -> float:
    """CPU seconds used so far by finished child processes (0.0 where unknown)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# -- the command line -------------------------------------------------------------


def command_timer(argv: list[str], cwd: str, env: dict[str, str]) -> Timer:
    """A function that runs ``argv`` once and returns its wall and CPU time in ms.

    Output goes to /dev/null (a trace on stderr too: what is measured is the
    cost of producing it, not of a terminal showing it).  A failing command
    stops the benchmark: a figure for a broken run would mean nothing.
    """

    def run() -> tuple[float, float]:
        cpu = children_cpu()
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = (time.perf_counter() - start) * 1e3
        if done.returncode != 0:
            sys.exit(f"bench: {' '.join(argv)} failed ({done.returncode}):\n{done.stderr.decode()}")
        return elapsed, (children_cpu() - cpu) * 1e3

    return run


def cli_figures(runs: int, workdir: str, no_site: bool) -> list[Pair]:
    """``python -m runpy_ref ...`` against ``python -m ...``, same interpreter, same env."""
    with open(os.path.join(workdir, "tinymod.py"), "w") as f:
        f.write(TINY_MODULE)
    with open(os.path.join(workdir, "small.json"), "w") as f:
        json.dump(SMALL_JSON, f)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (ROOT, env.get("PYTHONPATH")) if p)
    env.pop("PYTHONSTARTUP", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # see bytecode_on()
    python = [sys.executable] + (["-S"] if no_site else [])
    programs = {"tiny": ["tinymod"], "json.tool": ["json.tool", "small.json"]}
    pairs = []
    for label, program in programs.items():
        plain = command_timer([*python, "-m", *program], workdir, env)
        ours = command_timer([*python, "-m", "runpy_ref", *program], workdir, env)
        traced = command_timer(
            [*python, "-m", "runpy_ref", "--trace", "--trace-format", "json", *program], workdir, env
        )
        pairs.append(
            interleave(Pair(f"cli:{label}", "python -m runpy_ref MOD", "python -m MOD"), runs, ours, plain)
        )
        pairs.append(
            interleave(
                Pair(f"cli-trace-json:{label}", "python -m runpy_ref --trace --trace-format json MOD",
                     "python -m MOD"),
                runs, traced, plain,
            )
        )
    return pairs


# -- in process -------------------------------------------------------------------


def batch_timer(
    call: Callable[[], Any], calls: int, around: Callable[[], Any] | None = None
) -> Timer:
    """A function that makes ``calls`` calls and returns the total wall and CPU time in ms.

    ``around``, when given, returns the context manager the whole batch runs
    in (a ``tracing()`` block): setting it up is part of the cost.
    """

    def run() -> tuple[float, float]:
        gc.collect()
        cpu = time.process_time()
        start = time.perf_counter()
        if around is None:
            for _ in range(calls):
                call()
        else:
            with around():
                for _ in range(calls):
                    call()
        return (time.perf_counter() - start) * 1e3, (time.process_time() - cpu) * 1e3

    return run


def api_figures(runs: int, calls: int, workdir: str) -> list[Pair]:
    """``run_module``/``run_path`` in-process, untraced and traced to a JSON Lines file."""
    import runpy_ref
    from runpy_ref.sinks import JsonLinesSink

    module_dir = os.path.join(workdir, "api")
    os.makedirs(module_dir, exist_ok=True)
    script = os.path.join(module_dir, "bench_small.py")
    with open(script, "w") as f:
        f.write(SMALL_MODULE)
    sys.path.insert(0, module_dir)
    trace_path = os.path.join(workdir, "trace.jsonl")

    def jsonl_tracing() -> Any:
        from contextlib import ExitStack

        stack = ExitStack()  # closes the file after the tracing block has flushed it
        stream = open(trace_path, "w", encoding="utf-8")
        stack.enter_context(stream)
        stack.enter_context(runpy_ref.tracing(JsonLinesSink(stream), keep=False))
        return stack

    def ours() -> Any:
        return runpy_ref.run_module("bench_small")

    def stdlib() -> Any:
        return runpy.run_module("bench_small")

    try:
        assert ours()["RESULT"] == stdlib()["RESULT"] == "HELLO!"
        label = f"{calls} x run_module"
        pairs = [
            interleave(
                Pair("api", f"runpy_ref: {label}", f"runpy: {label}"),
                runs, batch_timer(ours, calls), batch_timer(stdlib, calls),
            ),
            interleave(
                Pair("api-trace-jsonl", f"runpy_ref: {label}, JSON Lines to a file", f"runpy: {label}"),
                runs, batch_timer(ours, calls, jsonl_tracing), batch_timer(stdlib, calls),
            ),
        ]
        for pair in pairs:
            extra = (statistics.median(pair.a) - statistics.median(pair.b)) / calls * 1e3
            extra_cpu = (statistics.median(pair.a_cpu) - statistics.median(pair.b_cpu)) / calls * 1e3
            pair.notes.append(f"cost per call over runpy's: {extra:.1f} us wall, {extra_cpu:.1f} us CPU")
        with open(trace_path, encoding="utf-8") as trace:
            lines = sum(1 for _ in trace)
        pairs[-1].notes.append(f"last traced batch wrote {lines} JSON lines")
        alter = Pair("info:alter_sys", f"runpy_ref: {label}(alter_sys=True)", "runpy: the same")
        pairs.append(
            interleave(
                alter, runs,
                batch_timer(lambda: runpy_ref.run_module("bench_small", alter_sys=True), calls),
                batch_timer(lambda: runpy.run_module("bench_small", alter_sys=True), calls),
            )
        )
        path_label = f"{calls} x run_path(file)"
        pairs.append(
            interleave(
                Pair("info:run_path", f"runpy_ref: {path_label}", f"runpy: {path_label}"), runs,
                batch_timer(lambda: runpy_ref.run_path(script), calls),
                batch_timer(lambda: runpy.run_path(script), calls),
            )
        )
    finally:
        sys.path.remove(module_dir)
        sys.modules.pop("bench_small", None)
    return pairs


def memory_figure(runs: int, calls: int, workdir: str) -> Pair:
    """tracemalloc peak of ``calls`` traced calls (``keep=False``) against untraced.

    The peak mostly measures garbage waiting for the cycle collector (each
    run leaves a module namespace whose functions point back at it), so it is
    reported without a budget.  What is judged is the memory *still
    allocated* after a collection: a trace that is not kept must not grow
    with the number of events, so after ``10 * calls`` traced calls it must
    be what it was after ``calls`` (within 64 KiB, for caches the first calls
    warm).  The same figure with ``keep=True`` is shown for contrast: there
    the trace is kept, and it grows.
    """
    import runpy_ref
    from runpy_ref.sinks import JsonLinesSink

    module_dir = os.path.join(workdir, "mem")
    os.makedirs(module_dir, exist_ok=True)
    with open(os.path.join(module_dir, "bench_mem.py"), "w") as f:
        f.write(SMALL_MODULE)
    sys.path.insert(0, module_dir)
    trace_path = os.path.join(workdir, "mem-trace.jsonl")

    def measure(n: int, keep: bool | None) -> tuple[float, float]:
        """(peak, retained) in KiB for ``n`` calls; ``keep=None``: untraced."""
        gc.collect()
        tracemalloc.start()
        try:
            base = tracemalloc.get_traced_memory()[0]
            if keep is None:
                for _ in range(n):
                    runpy_ref.run_module("bench_mem")
                tracer = None
            else:
                with open(trace_path, "w", encoding="utf-8") as stream, runpy_ref.tracing(
                    JsonLinesSink(stream), keep=keep
                ) as tracer:
                    for _ in range(n):
                        runpy_ref.run_module("bench_mem")
            gc.collect()
            current, peak = tracemalloc.get_traced_memory()
            del tracer
        finally:
            tracemalloc.stop()
        return (peak - base) / 1024, (current - base) / 1024

    pair = Pair("memory", f"peak, {calls} calls traced (keep=False)", f"peak, {calls} calls untraced", "KiB")
    try:
        measure(calls, False)  # warm caches (linecache, importlib) outside the figures
        for _ in range(min(runs, 10)):  # peaks vary little: ten rounds are plenty
            pair.a.append(measure(calls, False)[0])
            pair.b.append(measure(calls, None)[0])
        small = measure(calls, False)[1]
        large = measure(10 * calls, False)[1]
        kept = measure(calls, True)[1]
    finally:
        sys.path.remove(module_dir)
        sys.modules.pop("bench_mem", None)
    bounded = large - small <= 64
    pair.notes.append(
        f"retained after {calls} traced calls (keep=False): {small:.1f} KiB, after {10 * calls}: "
        f"{large:.1f} KiB" + (" (bounded)" if bounded else "  <-- GROWS with the number of calls")
    )
    pair.notes.append(f"for contrast, retained after {calls} calls with keep=True: {kept:.1f} KiB")
    pair.bounded = bounded  # type: ignore[attr-defined]
    return pair


def bytecode_on() -> None:
    """Measure with bytecode caching on, as an installed package runs.

    With ``PYTHONDONTWRITEBYTECODE`` set (some sandboxes and CI images set
    it), every ``python -m runpy_ref`` would compile runpy_ref from source and
    the figures would measure the compiler.  So runpy_ref is compiled once
    here, and the programs both sides run may write their ``.pyc`` files.
    """
    import compileall

    sys.dont_write_bytecode = False
    compileall.compile_dir(os.path.join(ROOT, "runpy_ref"), quiet=1)


# -- reporting -------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "executable": sys.executable,
        "platform": platform.platform(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
    }


def table(rows: list[dict[str, Any]]) -> str:
    head = ("figure", "A median", "A min", "B median", "B min", "ratio", "cpu ratio", "budget", "")
    lines = [head]
    for r in rows:
        unit = r["unit"]
        verdict = "" if r["ok"] is None else ("ok" if r["ok"] else "OVER")
        lines.append((
            r["figure"],
            f"{r['a_median']:.1f} {unit}", f"{r['a_min']:.1f} {unit}",
            f"{r['b_median']:.1f} {unit}", f"{r['b_min']:.1f} {unit}",
            f"{r['ratio']:.3f}", "-" if r["cpu_ratio"] is None else f"{r['cpu_ratio']:.3f}",
            "-" if r["budget"] is None else f"{r['budget']:.2f}", verdict,
        ))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = []
    for i, line in enumerate(lines):
        cells = [line[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(line[1:], widths[1:])]
        out.append("  ".join(cells).rstrip())
        if i == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--runs", type=int, default=20, help="rounds per figure (default 20; 10 or more count)"
    )
    parser.add_argument("--calls", type=int, default=1000, help="calls per in-process batch (default 1000)")
    parser.add_argument("--json", metavar="OUT", help="also write the results as JSON to OUT")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when a ratio exceeds its budget or memory grows"
    )
    parser.add_argument("--no-site", action="store_true", help="run the CLI figures with python -S")
    parser.add_argument(
        "--only", choices=("cli", "api", "memory"), action="append", help="measure only these groups"
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.calls < 1:
        parser.error("--runs and --calls must be positive")
    groups = args.only or ["cli", "api", "memory"]
    sys.path.insert(0, ROOT)
    bytecode_on()
    info = machine()
    print(f"runpy_ref benchmark: {info['implementation']} {info['python']} on {info['cpu']} "
          f"({info['cpus']} CPUs), {args.runs} runs, {args.calls} calls per batch"
          + (", CLI without site (-S)" if args.no_site else ""))
    if args.runs < 10:
        print("note: fewer than 10 runs; these figures are indicative only")
    workdir = tempfile.mkdtemp(prefix="runpy_ref-bench-")
    pairs: list[Pair] = []
    try:
        if "cli" in groups:
            pairs += cli_figures(args.runs, workdir, args.no_site)
        if "api" in groups:
            pairs += api_figures(args.runs, args.calls, workdir)
        if "memory" in groups:
            pairs.append(memory_figure(args.runs, args.calls, workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    rows = [p.as_dict() for p in pairs]
    print(table(rows))
    for r in rows:
        for note in r["notes"]:
            print(f"  {r['figure']}: {note}")
    failed = [r["figure"] for r in rows if r["ok"] is False]
    failed += [p.name + " (retained memory grows)" for p in pairs if getattr(p, "bounded", True) is False]
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": info, "runs": args.runs, "calls": args.calls, "no_site": args.no_site,
                       "results": rows, "over_budget": failed}, f, indent=2)
            f.write("\n")
    if failed:
        print("over budget: " + ", ".join(failed))
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
