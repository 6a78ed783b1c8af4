"""Replay folders: one self-sufficient folder per cell that did not pass.

Each folder holds the fixture, the exact launch (``run.sh``), the expectation
and the observation, so that someone without this harness can reproduce the
cell with nothing but the interpreter (and the tool) under test.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

from .results import REPLAY_STATUSES, CellResult

PROBE = Path(__file__).resolve().parent / "probe.py"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)


def replay_folder_name(case_id: str, label: str) -> str:
    """The folder name of a cell's replay (reports link to it)."""
    return _slug(f"{case_id}__{label}")


def _sh_word(word: str, places: dict[str, str]) -> str:
    """``word`` quoted for sh, with each directory of ``places`` replaced by its variable form.

    ``shlex.quote`` alone would put ``$here`` inside single quotes, where sh
    does not expand it; the pieces are quoted apart and joined instead.
    """
    pattern = "(" + "|".join(re.escape(p) for p in sorted(places, key=len, reverse=True)) + ")"
    out = []
    for piece in re.split(pattern, word):
        if piece in places:
            out.append(f'"{places[piece]}"')
        elif piece:
            out.append(shlex.quote(piece))
    return "".join(out) or "''"


def write_replays(results: list[CellResult], root: Path) -> list[Path]:
    """One folder per non-passing cell: fixture, exact command, expected vs observed.

    The folder is self-sufficient: ``run.sh`` re-runs the exact launch (for API
    cases with the copied ``probe.py`` and ``request.json``), so someone
    without this harness can reproduce the observation.
    """
    written = []
    for r in results:
        if not r.executable or r.status not in REPLAY_STATUSES:
            continue
        if r.fixture_dir is None:
            continue
        folder = root / replay_folder_name(r.case.id, r.impl_label)
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        shutil.copytree(r.fixture_dir, folder / "fixture")
        lines = [
            "#!/bin/sh",
            "# Replay of one conformance cell; run from anywhere.",
            'here=$(cd "$(dirname "$0")" && pwd)',
        ]
        if r.request is not None:
            shutil.copy(PROBE, folder / "probe.py")
            (folder / "request.json").write_text(json.dumps(r.request, indent=1) + "\n")
            exe = r.command[0] if r.command else "python"
            lines.append(
                f'cd "$here" && {shlex.quote(exe)} -E -s -S probe.py request.json && cat observation.json'
            )
        elif r.command:
            scratch = str(Path(r.fixture_dir).parent / "scratch")
            places = {r.fixture_dir: "$here/fixture", scratch: "$here/scratch"}
            env = " ".join(f"{k}={_sh_word(v, places)}" for k, v in (r.env or {}).items()
                           if k != "RUNPY_CONFORMANCE_RECORD")
            cmd = " ".join(_sh_word(a, places) for a in r.command)
            rel = Path(r.cwd or r.fixture_dir).relative_to(r.fixture_dir) if r.cwd else Path(".")
            record = 'RUNPY_CONFORMANCE_RECORD="$here/records.jsonl"'
            # The recorder appends, so a rerun starts from an empty record file.
            lines.append('rm -f "$here/records.jsonl"; mkdir -p "$here/scratch"')
            if r.stdin is None:
                launch = f"{record} {env} {cmd} </dev/null"
            else:
                launch = f"printf %s {shlex.quote(r.stdin)} | {record} {env} {cmd}"
            lines.append(f'cd "$here/fixture/{rel}" && {launch}')
            lines.append('echo "exit status: $?"; cat "$here/records.jsonl" 2>/dev/null')
        (folder / "run.sh").write_text("\n".join(lines) + "\n")
        (folder / "run.sh").chmod(0o755)
        (folder / "expected.json").write_text(json.dumps(r.expected, indent=1, sort_keys=True) + "\n")
        (folder / "observed.json").write_text(json.dumps(r.observed, indent=1, sort_keys=True) + "\n")
        info = {
            "case": r.case.id, "title": r.case.title, "behaviours": r.case.behaviours,
            "case_file": str(r.case.source), "implementation": r.impl, "status": r.status,
            "reason": r.reason, "mismatches": r.mismatches, "doc_says": r.doc_says,
            "original_command": r.command, "original_cwd": r.cwd, "placeholders": r.placeholders,
        }
        (folder / "README.json").write_text(json.dumps(info, indent=1) + "\n")
        written.append(folder)
    return written
