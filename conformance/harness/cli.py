"""``python -m conformance``: run the suite, list cases and coverage.

The driver needs Python 3.9+; the implementations under test can be any
interpreter the probe supports (2.7, 3.6+, PyPy).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from . import catalogue as catalogue_mod
from . import report, runner
from .cases import load_cases
from .impls import KNOWN_REQUIREMENTS, Implementation, discover, query
from .results import BAD_STATUSES
from .workers import RunStats

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent


def build_implementations(args: argparse.Namespace) -> list[Implementation]:
    """Interpreters x modules (+ CLI templates) from the command-line options."""
    exes: list[str] = list(args.python or [])
    interps = []
    for exe in exes:
        info = query(exe)
        if info is None:
            raise SystemExit(f"conformance: cannot run interpreter {exe!r}")
        interps.append(info)
    if args.all_interpreters:
        known = {(i.impl, i.version, os.path.realpath(i.executable)) for i in interps}
        for info in discover():
            if (info.impl, info.version, os.path.realpath(info.executable)) not in known:
                interps.append(info)
    if not interps:
        info = query(sys.executable)
        assert info is not None
        interps.append(info)
    modules = list(args.module or ["runpy"])
    if args.with_runpy_ref and "runpy_ref" not in modules:
        modules.append("runpy_ref")
    path = os.path.abspath(args.path) if args.path else None
    if "runpy_ref" in modules and path is None:
        path = str(PROJECT_ROOT)
    impls = []
    for interp in interps:
        if args.cli_template or args.cli_path_template:
            impls.append(Implementation(interp, module=modules[0], module_template=args.cli_template,
                                        path_template=args.cli_path_template))
            continue
        for module in modules:
            requires = (json.loads(args.requires) if args.requires and module != "runpy"
                        else KNOWN_REQUIREMENTS.get(module))
            impls.append(Implementation(interp, module=module,
                                        path=None if module == "runpy" else path, requires=requires))
            if module != "runpy":
                impls.extend(Implementation(interp, module=module, path=path, requires=requires, emulate=v)
                             for v in args.emulate or [])
    return unique_labels(impls)


def unique_labels(impls: list[Implementation]) -> list[Implementation]:
    """Two installations of the same version (say a venv and its base) get distinct labels."""
    seen: dict[str, int] = {}
    for impl in impls:
        seen[impl.label] = seen.get(impl.label, 0) + 1
        if seen[impl.label] > 1:
            impl.label = f"{impl.label}@{impl.interp.exe}"
    return impls


# Wall-time budgets on the reference machine (2 cores), from issue 13: printed beside the figure.
BUDGETS = {"one implementation": 1.5, "every real interpreter here": 8.0, "the tools matrix": 60.0}


def budget(args: argparse.Namespace, impls: list[Implementation]) -> tuple[str, float] | None:
    """The budget that applies to this run, if any: by what it runs."""
    if any(i.kind == "template" for i in impls):
        return "the tools matrix", BUDGETS["the tools matrix"]
    if len(impls) == 1:
        return "one implementation", BUDGETS["one implementation"]
    if args.all_interpreters and all(i.kind == "stdlib" for i in impls):
        return "every real interpreter here", BUDGETS["every real interpreter here"]
    return None


def cmd_run(args: argparse.Namespace) -> int:
    cases = load_cases(pattern=args.case)
    if not cases:
        print("conformance: no case matches", args.case, file=sys.stderr)
        return 2
    impls = build_implementations(args)
    cat = catalogue_mod.load()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    start = time.monotonic()
    replay = Path(args.replay_dir) if args.replay_dir else None
    stats = RunStats()
    results = runner.run_matrix(cases, impls, workers=args.workers, timeout=args.timeout,
                                keep_dir=replay, isolation=args.isolation, stats=stats)
    wall = time.monotonic() - start
    timings = report.timings(stats, wall, impls, budget(args, impls), load)
    print(report.timing_text(timings), file=sys.stderr)
    if not args.no_documented_versions:
        results.extend(runner.documented_cells(cases, impls, cat.versions, cat.executable_here))
    rendered = report.render(args.format, results, cat, impls, wall, timings)
    if args.output:
        Path(args.output).write_text(rendered, encoding="utf-8")
    else:
        sys.stdout.write(rendered)
    for fmt, dest in (("json", args.json_out), ("html", args.html_out)):
        if dest:
            Path(dest).write_text(report.render(fmt, results, cat, impls, wall, timings), encoding="utf-8")
    if args.output or args.format != "text":
        print(report.summary_line(results, wall), file=sys.stderr)
    return 1 if any(r.status in BAD_STATUSES for r in results) else 0


def cmd_list(args: argparse.Namespace) -> int:
    cases = load_cases()
    cat = catalogue_mod.load()
    data = report.listing(cases, cat)
    if args.format == "json":
        print(json.dumps(data, indent=1))
    else:
        for entry in data["entries"]:
            mark = "doc " if entry["documented"] else "    "
            print(f"{entry['id']:8} {mark} {', '.join(entry['cases']) or '-- no case --'}")
        print(f"{len(data['cases'])} cases; uncovered documented: {data['uncovered_documented'] or 'none'}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m conformance", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the suite against one or more implementations")
    run.add_argument("--python", action="append", metavar="EXE", help="interpreter to test (repeatable)")
    run.add_argument("--all-interpreters", action="store_true",
                     help="every CPython and PyPy found on PATH and in pyenv")
    run.add_argument("--module", action="append", metavar="NAME",
                     help="module under test (repeatable; default: runpy)")
    run.add_argument("--path", metavar="DIR", help="directory to put on sys.path to import the module")
    run.add_argument("--with-runpy-ref", action="store_true",
                     help="also test runpy_ref (from this checkout) wherever it can run")
    run.add_argument("--requires", metavar="RULE", help="JSON rule: where the module can run at all")
    run.add_argument("--cli-template", metavar="TEMPLATE",
                     help="command standing for 'python -m MOD', e.g. 'coverage run -m {module} {args}'")
    run.add_argument("--cli-path-template", metavar="TEMPLATE",
                     help="command standing for 'python FILE', e.g. 'coverage run {path} {args}'")
    run.add_argument("--emulate", action="append", metavar="X.Y",
                     help="also judge module implementations as version X.Y (they receive "
                          "RUNPY_CONFORMANCE_EMULATE=X.Y); repeatable")
    run.add_argument("--case", metavar="PATTERN", help="glob over case id, group/file or behaviour id")
    run.add_argument("--format", choices=("text", "json", "html"), default="text")
    run.add_argument("--output", metavar="FILE")
    run.add_argument("--json-out", metavar="FILE", help="also write the JSON records here")
    run.add_argument("--html-out", metavar="FILE", help="also write the HTML matrix here")
    run.add_argument("--replay-dir", metavar="DIR", help="write a replay folder per failing cell")
    run.add_argument("--workers", type=int, default=None)
    run.add_argument("--timeout", type=float, default=30.0, help="seconds per cell")
    run.add_argument("--isolation", choices=("fork", "process"), default="fork",
                     help="API cells: forked by one probe server per interpreter (default), "
                          "or a fresh probe process each")
    run.add_argument("--no-documented-versions", action="store_true",
                     help="omit the columns of versions with no interpreter here")
    run.set_defaults(func=cmd_run)
    lst = sub.add_parser("list", help="list catalogue entries and cases")
    lst.add_argument("--format", choices=("text", "json"), default="text")
    lst.set_defaults(func=cmd_list)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        status = args.func(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`python -m conformance list | head`): that is not an
        # error of ours.  Point stdout at /dev/null so that the flush at exit is quiet too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a program killed by it
    return status
