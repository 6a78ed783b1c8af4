"""``python -m runpy_ref.exercises``: list, start, check, hint, build-starters."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from . import progress, starters
from .catalog import EXERCISES, exercise, project_root, tutorials_dir
from .hints import choose, load_hints, next_level, seen_levels

__all__ = ["NOT_GRADED", "main"]

NOT_GRADED = 3
"""Exit status of ``check --no-conformance`` finding nothing wrong: not a pass (0), not a failure (1)."""


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(project_root()))
    except ValueError:
        return str(path)


def cmd_list(args: argparse.Namespace) -> int:
    rows = []
    for item in EXERCISES:
        row = {
            "number": item.number,
            "title": item.title,
            "stage": item.stage,
            "stage_number": item.stage_number,
            "functions": list(item.functions),
            "starter": _rel(item.starter_path()),
            "work": _rel(item.work_path()),
            "lesson": f"tutorials/{item.lesson}",
            "lesson_number": item.lesson_number,
            "status": progress.status(item.number, item.work_path()),
            "behaviours": list(item.behaviours),
        }
        if args.instructor:
            row["solution"] = _rel(item.solution_path())
        rows.append(row)
    if args.format == "json":
        print(json.dumps({"exercises": rows}, indent=1))
        return 0
    for row in rows:
        where = (f"stage {row['stage_number']} of 6" if row["stage_number"] else "all six stages")
        print(f"{row['number']}. {row['title']}  [{row['status']}]")
        print(f"   lesson {row['lesson_number']} ({row['lesson']}), {where};  "
              f"writes: {', '.join(row['functions'])}")
        print(f"   starter: {row['starter']}")
        if args.instructor:
            print(f"   solution: {row['solution']}")
    passed = sum(1 for row in rows if row["status"] == "passed")
    print(f"\n{passed} of {len(rows)} exercises passed.  Exercise N is lesson N+1 and stage N "
          "(lesson 1 is the overview).")
    return 0


def cmd_start(args: argparse.Namespace) -> int:
    item = exercise(args.number)
    work = item.work_path()
    if work.exists() and not args.force:
        print(f"{_rel(work)} exists already; keeping your work (use --force to start over).")
        return 0
    work.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(item.starter_path(), work)
    print(f"created {_rel(work)} from the starter.")
    print(f"read tutorials/{item.lesson}, fill in the TODOs, then run:")
    print(f"    python -m runpy_ref.exercises check {item.number}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .grader import check

    item = exercise(args.number)
    path = Path(args.file) if args.file else item.work_path()
    if not args.file and not path.exists():
        print(f"no working copy at {_rel(path)}: run `python -m runpy_ref.exercises start {item.number}` "
              f"first, or give a FILE to check.", file=sys.stderr)
        return 2
    if args.scenario:
        from .grader import replay

        text, status = replay(item, path, args.scenario)
        sys.stdout.write(text)
        return status
    report = check(item, path, conformance=not args.no_conformance)
    if not args.file or Path(args.file).resolve() == item.work_path().resolve():
        progress.record(item.number, path, report)
    if args.format == "json":
        print(json.dumps(report.as_dict(), indent=1))
    else:
        sys.stdout.write(report.render())
    if report.ok:
        return 0
    return NOT_GRADED if report.clean else 1


def cmd_hint(args: argparse.Namespace) -> int:
    item = exercise(args.number)
    hints = load_hints(item.number)
    if not hints:
        print(f"exercise {item.number} has no hints yet", file=sys.stderr)
        return 1
    why = ""
    if args.all:
        levels = list(range(1, len(hints) + 1))
    elif args.level:
        if not 1 <= args.level <= len(hints):
            print(f"exercise {item.number} has hints 1 to {len(hints)}", file=sys.stderr)
            return 2
        levels = [args.level]
    else:
        failure = progress.first_failure(item.number)
        _, why = choose(hints, seen_levels(item.number), failure)
        levels = [next_level(item.number, len(hints), failure)]
    for level in levels:
        note = f" ({why})" if why else ""
        print(f"exercise {item.number}, hint {level} of {len(hints)}{note}:\n\n{hints[level - 1].text}\n")
    if not args.all and not why and levels[-1] < len(hints):
        print(f"(run the same command again for hint {levels[-1] + 1})")
    return 0


def cmd_build_starters(args: argparse.Namespace) -> int:
    if args.check:
        stale = starters.outdated()
        for item in stale:
            print(f"out of date: {_rel(item.starter_path())}", file=sys.stderr)
        return 1 if stale else 0
    for path in starters.build_all():
        print(f"wrote {_rel(path)}")
    return 0


def cmd_transcripts(args: argparse.Namespace) -> int:
    from . import transcripts

    if args.update:
        for path in transcripts.update():
            print(f"updated {_rel(path)}")
        return 0
    stale = 0
    for lesson in transcripts.lessons():
        for block in transcripts.find(lesson):
            fresh = transcripts.render(block)
            if transcripts.normalise(fresh) != transcripts.normalise(block.shown):
                stale += 1
                print(f"{_rel(lesson)}:{block.start}: the transcript differs from the real output",
                      file=sys.stderr)
    return 1 if stale else 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m runpy_ref.exercises",
                                description="Classroom exercises: write runpy stage by stage.")
    sub = p.add_subparsers(dest="command", required=True)
    lst = sub.add_parser("list", help="list the exercises")
    lst.add_argument("--format", choices=("text", "json"), default="text")
    lst.add_argument("--instructor", action="store_true", help="also show where the reference solutions are")
    lst.set_defaults(func=cmd_list)
    start = sub.add_parser("start", help="copy exercise N's starter to your working copy")
    start.add_argument("number", type=int)
    start.add_argument("--force", action="store_true", help="overwrite an existing working copy")
    start.set_defaults(func=cmd_start)
    chk = sub.add_parser("check", help="grade exercise N (your working copy, or FILE)")
    chk.add_argument("number", type=int)
    chk.add_argument("file", nargs="?", help="file to grade (default: tutorials/exercises/work/NN_name.py)")
    chk.add_argument("--format", choices=("text", "json"), default="text")
    chk.add_argument("--no-conformance", action="store_true",
                     help="skip the conformance cases: a quick loop that finds failures but never passes "
                          f"(exit status {NOT_GRADED} when it finds none)")
    chk.add_argument("--scenario", metavar="ID",
                     help="replay one scenario alone: both observations and both traces in full")
    chk.set_defaults(func=cmd_check)
    hint = sub.add_parser("hint", help="show the next hint for exercise N")
    hint.add_argument("number", type=int)
    hint.add_argument("--level", type=int, help="show hint LEVEL")
    hint.add_argument("--all", action="store_true", help="show every hint")
    hint.set_defaults(func=cmd_hint)
    build = sub.add_parser("build-starters", help="regenerate the starters from the solutions (instructors)")
    build.add_argument("--check", action="store_true", help="only report starters that are out of date")
    build.set_defaults(func=cmd_build_starters)
    tr = sub.add_parser("transcripts", help="re-run the lessons' transcripts (instructors)")
    tr.add_argument("--update", action="store_true", help="rewrite them with the real output")
    tr.set_defaults(func=cmd_transcripts)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not (tutorials_dir() / "exercises" / "solutions").is_dir():
        print(f"error: the exercises live in a checkout of runpy_ref, and {tutorials_dir()} has none; "
              "install runpy_ref from a checkout (pip install -e .) or set RUNPY_REF_TUTORIALS to "
              "its tutorials directory", file=sys.stderr)
        return 2
    try:
        return int(args.func(args))
    except LookupError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 2
