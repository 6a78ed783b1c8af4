"""``python -m conformance``: run the suite, list cases and coverage.

The driver needs Python 3.9+; the implementations under test can be any
interpreter the probe supports (2.7, 3.6+, PyPy).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from . import catalogue as catalogue_mod
from . import publish, report, runner, tools
from .cases import load_cases
from .impls import KNOWN_REQUIREMENTS, Implementation, Interpreter, discover, query
from .results import BAD_STATUSES
from .workers import RunStats

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent


def interpreters(args: argparse.Namespace) -> list[Interpreter]:
    """The interpreters named with --python, found with --all-interpreters, or the host's."""
    # A relative path would break once children run in their fixture directories (not realpath: a
    # venv's python is a symlink whose target is another installation).
    exes: list[str] = [os.path.abspath(e) if os.sep in e else e for e in args.python or []]
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
    return interps


def build_implementations(args: argparse.Namespace) -> list[Implementation]:
    """Interpreters x modules (+ CLI templates, + tools) from the command-line options.

    Tools that cannot be installed or fail their check on an interpreter are
    left out, each with its reason in ``args.unavailable``.
    """
    interps = interpreters(args)
    impls: list[Implementation] = []
    args.unavailable = []
    if args.tool:
        try:
            chosen = tools.resolve_names(args.tool, tools.load_adapters())
        except tools.AdapterError as exc:
            raise SystemExit(f"conformance: {exc}") from None
        if getattr(args, "with_reference", False):
            impls.extend(Implementation(i) for i in interps)
        for adapter in chosen:
            for interp in interps:
                try:
                    impls.append(tools.implementation(adapter, interp, root=args.venvs,
                                                      allow_install=not args.no_install))
                except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
                    args.unavailable.append({"tool": adapter.name, "python": interp.exe,
                                             "version": interp.version_text, "reason": str(exc)})
                    print(f"conformance: {adapter.name} left out on {interp.exe}: {exc}", file=sys.stderr)
        return unique_labels(impls)
    modules = list(args.module or ["runpy"])
    if args.with_runpy_ref and "runpy_ref" not in modules:
        modules.append("runpy_ref")
    path = os.path.abspath(args.path) if args.path else None
    if "runpy_ref" in modules and path is None:
        path = str(PROJECT_ROOT)
    given = json.loads(args.requires) if args.requires else None
    for interp in interps:
        if args.cli_template or args.cli_path_template:
            impls.append(Implementation(interp, module=modules[0], module_template=args.cli_template,
                                        path_template=args.cli_path_template, requires=given))
            continue
        for module in modules:
            requires = given if given is not None and module != "runpy" else KNOWN_REQUIREMENTS.get(module)
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
    deviations = runner.load_deviations()
    for spec in args.deviations or []:
        tool, _, file = spec.rpartition("=") if "=" in spec else ("", "", spec)
        if not tool and args.tool and len(args.tool) == 1 and args.tool[0] != "all":
            tool = args.tool[0]  # one tool: its deviations file is its own
        if not Path(file).exists():
            raise SystemExit(f"conformance: no deviations file {file!r}")
        deviations += runner.load_deviations(Path(file), tool or None)
    # A plain SIGTERM would skip the clean-up of probe servers and cell directories.
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143)) if main_thread else None
    try:
        results = runner.run_matrix(cases, impls, workers=args.workers, timeout=args.timeout,
                                    keep_dir=replay, isolation=args.isolation, stats=stats,
                                    deviations=deviations)
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
    wall = time.monotonic() - start
    timings = report.timings(stats, wall, impls, budget(args, impls), load)
    extra = {"generated": time.strftime("%Y-%m-%d"), "timings": timings,
             "unavailable": getattr(args, "unavailable", [])}
    print(report.timing_text(timings), file=sys.stderr)
    if not args.no_documented_versions:
        results.extend(runner.documented_cells(cases, impls, cat.versions, cat.executable_here))
    rendered = report.render(args.format, results, cat, impls, wall, extra, semantic=args.semantic)
    if args.output:
        Path(args.output).write_text(rendered, encoding="utf-8")
    else:
        sys.stdout.write(rendered)
    for fmt, dest in (("json", args.json_out), ("html", args.html_out)):
        if dest:
            Path(dest).write_text(report.render(fmt, results, cat, impls, wall, extra), encoding="utf-8")
    if args.output or args.format != "text":
        print(report.summary_line(results, wall), file=sys.stderr)
    return 1 if any(r.status in BAD_STATUSES for r in results) else 0


MATRIX_RESULTS = PROJECT_ROOT / "conformance" / "tools" / "results" / "matrix.json"


def matrix_interpreters() -> list[str]:
    """Default interpreters of the tools matrix: one CPython per minor version from 3.9, and PyPy."""
    newest: dict[tuple, Interpreter] = {}
    for info in discover():
        if info.impl == "pypy" or info.version >= (3, 9):
            key = (info.impl, info.version[:2])
            if key not in newest or info.version > newest[key].version:
                newest[key] = info
    return [i.exe for i in sorted(newest.values(), key=lambda i: (i.impl != "cpython", i.version))]


def cmd_matrix(args: argparse.Namespace) -> int:
    """Install every tool for every interpreter (where it can run) and run the whole matrix.

    The results file gets the slim form (``publish.slim``); ``--merge``
    replaces only the columns this run produced in an existing results file.
    """
    full = Path(args.full_results) if args.full_results else Path(tempfile.mkstemp(suffix=".json")[1])
    argv = ["run", "--no-documented-versions", "--format", "json",
            "--output", str(full), "--timeout", str(args.timeout)]
    if not args.no_reference:
        argv.append("--with-reference")
    for exe in args.python or matrix_interpreters():
        argv += ["--python", exe]
    for tool in args.tool or ["all"]:
        argv += ["--tool", tool]
    for option, value in (("--html-out", args.html_out), ("--replay-dir", args.replay_dir),
                          ("--venvs", args.venvs), ("--case", args.case), ("--workers", args.workers)):
        if value is not None:
            argv += [option, str(value)]
    if args.no_install:
        argv.append("--no-install")
    Path(args.results).parent.mkdir(parents=True, exist_ok=True)
    print("conformance: python -m conformance " + " ".join(argv), file=sys.stderr)
    status = main(argv)
    if status not in (0, 1):  # tools failing cases is what the matrix is for; anything else is not
        return status
    results = json.loads(full.read_text(encoding="utf-8"))
    if not args.full_results:
        full.unlink()
    if args.merge and Path(args.results).exists():
        results = publish.merge(json.loads(Path(args.results).read_text(encoding="utf-8")), results)
    Path(args.results).write_text(publish.slim(results), encoding="utf-8")
    print(f"conformance: wrote {args.results}", file=sys.stderr)
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    """Re-generate the docs page and the README table of the tools matrix from a results file."""
    results = json.loads(Path(args.results).read_text(encoding="utf-8"))
    cat = catalogue_mod.load()
    try:
        shown = str(Path(args.results).resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        shown = Path(args.results).name
    Path(args.docs).write_text(publish.render_page(results, cat, shown), encoding="utf-8")
    docs_link = "docs/reference/tools_matrix.md"
    publish.update_readme(Path(args.readme), publish.render_readme_table(results, docs_link))
    print(f"conformance: wrote {args.docs} and the table in {args.readme}", file=sys.stderr)
    return 0


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
    run.add_argument("--requires", metavar="RULE",
                     help="JSON rule: where the module or the CLI templates can run at all (elsewhere N/A)")
    run.add_argument("--tool", action="append", metavar="NAME",
                     help="a tool from conformance/tools/adapters (or an adapter file's path; 'all' for "
                          "every one), installed into a venv per interpreter if need be; repeatable")
    run.add_argument("--with-reference", action="store_true",
                     help="with --tool: also run each interpreter's own python -m (stdlib runpy)")
    run.add_argument("--deviations", action="append", metavar="[TOOL=]FILE",
                     help="known deviations of your own (format of expectations/known_deviations.json); "
                          "TOOL= (or a single --tool) limits the file to that tool's columns; repeatable")
    run.add_argument("--no-install", action="store_true",
                     help="with --tool: use only venvs that already exist (others are left out)")
    run.add_argument("--venvs", type=Path, default=None, metavar="DIR",
                     help="where tool venvs live (default $RUNPY_CONFORMANCE_VENVS or "
                          "~/.cache/runpy-conformance/venvs)")
    run.add_argument("--cli-template", metavar="TEMPLATE",
                     help="command standing for 'python -m MOD', e.g. 'coverage run -m {module} {args}'")
    run.add_argument("--cli-path-template", metavar="TEMPLATE",
                     help="command standing for 'python FILE', e.g. 'coverage run {path} {args}'")
    run.add_argument("--emulate", action="append", metavar="X.Y",
                     help="also judge module implementations as version X.Y (they receive "
                          "RUNPY_CONFORMANCE_EMULATE=X.Y); repeatable")
    run.add_argument("--case", metavar="PATTERN", help="glob over case id, group/file or behaviour id")
    run.add_argument("--format", choices=("text", "json", "html"), default="text")
    run.add_argument("--semantic", action="store_true",
                     help="text report: count semantic mismatches only, not wording (messages, exit 2 vs 1); "
                          "the HTML page has a view for it, the JSON records carry both")
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
    mat = sub.add_parser("matrix", help="install every tool for every interpreter and run the whole matrix")
    mat.add_argument("--python", action="append", metavar="EXE",
                     help="interpreter (repeatable; default: one CPython per minor version >= 3.9, and PyPy)")
    mat.add_argument("--tool", action="append", metavar="NAME", help="tool (repeatable; default: all)")
    mat.add_argument("--results", type=Path, default=MATRIX_RESULTS, metavar="FILE",
                     help=f"JSON results (default {MATRIX_RESULTS.relative_to(PROJECT_ROOT)})")
    mat.add_argument("--html-out", metavar="FILE")
    mat.add_argument("--replay-dir", metavar="DIR")
    mat.add_argument("--venvs", type=Path, default=None, metavar="DIR")
    mat.add_argument("--case", metavar="PATTERN")
    mat.add_argument("--workers", type=int, default=None)
    mat.add_argument("--timeout", type=float, default=30.0)
    mat.add_argument("--no-install", action="store_true")
    mat.add_argument("--no-reference", action="store_true", help="leave out each interpreter's own python -m")
    mat.add_argument("--merge", action="store_true",
                     help="replace only this run's columns in the existing results file (one tool re-run)")
    mat.add_argument("--full-results", metavar="FILE",
                     help="also keep the complete results (expectations, observations, commands) here")
    mat.set_defaults(func=cmd_matrix)
    pub = sub.add_parser("publish", help="docs page and README table of the tools matrix, from its results")
    pub.add_argument("--results", type=Path, default=MATRIX_RESULTS, metavar="FILE")
    pub.add_argument("--docs", type=Path, default=publish.DOCS_PAGE, metavar="FILE")
    pub.add_argument("--readme", type=Path, default=publish.README, metavar="FILE")
    pub.set_defaults(func=cmd_publish)
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
