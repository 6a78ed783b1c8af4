"""Reports: text summary, JSON records, static HTML matrix, replay folders.

All output is derived from the list of cell results; nothing here runs code.
The HTML page is self-contained (inline CSS, a few lines of inline script to
switch views, no network).
"""

from __future__ import annotations

import html
import json
import re
import shlex
import shutil
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from .cases import Case
from .catalogue import Catalogue
from .impls import Implementation
from .runner import PROBE, STATUSES, CellResult

RESULTS_SCHEMA = "runpy_ref.conformance-results/1"
# Worst first: the status shown when several cases cover one behaviour.
SEVERITY = ["CRASH", "TIMEOUT", "ERROR", "XPASS", "FAIL", "XFAIL", "PASS", "UNKNOWN", "SKIP", "N/A"]


def counts(results: list[CellResult]) -> Counter:
    return Counter(r.status for r in results if r.executable)


def summary_line(results: list[CellResult], wall: float) -> str:
    c = counts(results)
    parts = [f"{s} {c[s]}" for s in STATUSES if c[s]]
    return f"{sum(c.values())} cells in {wall:.1f}s: " + ", ".join(parts)


def _columns(results: list[CellResult]) -> list[str]:
    seen: dict[str, None] = {}
    for r in results:
        seen.setdefault(r.impl_label, None)
    return list(seen)


def render_text(results: list[CellResult], wall: float) -> str:
    lines = [summary_line(results, wall), ""]
    per: dict[str, Counter] = defaultdict(Counter)
    for r in results:
        if r.executable:
            per[r.impl_label][r.status] += 1
    lines.append("per implementation:")
    for label, c in per.items():
        lines.append(f"  {label:34} " + "  ".join(f"{s} {c[s]}" for s in STATUSES if c[s]))
    doc_cells = [r for r in results if not r.executable]
    if doc_cells:
        encoded = sum(1 for r in doc_cells if r.expected is not None)
        unknown = sum(1 for r in doc_cells if r.status == "UNKNOWN")
        lines.append(f"documented-only versions: {encoded} cells with encoded expectations "
                     f"(documented, not executable here), {unknown} unknown")
    bad = [r for r in results if r.executable and r.status not in ("PASS", "N/A", "SKIP", "UNKNOWN")]
    if bad:
        lines += ["", "not passing:"]
        for r in bad:
            lines.append(f"  {r.status:7} {r.case.id} [{r.impl_label}] {r.reason}")
            for m in r.mismatches[:6]:
                lines.append(f"          {m['path']}: expected {json.dumps(m['expected'])[:200]}"
                             f" observed {json.dumps(m['observed'])[:200]}")
    return "\n".join(lines) + "\n"


CODES = {"PASS": "P", "FAIL": "F", "XFAIL": "x", "XPASS": "!", "ERROR": "E", "CRASH": "C",
         "TIMEOUT": "T", "SKIP": "s", "N/A": ".", "UNKNOWN": "?"}


def _supported_columns(results: list[CellResult]) -> tuple[list[str], list[str]]:
    """Columns worth showing, and those left out because every cell is 'does not support'."""
    columns = _columns(results)
    unsupported = [c for c in columns if all(
        r.executable and r.status == "N/A" and " does not support " in r.reason
        for r in results if r.impl_label == c)]
    return [c for c in columns if c not in unsupported], unsupported


def render_text_matrix(results: list[CellResult], cat: Catalogue) -> str:
    """Behaviour x implementation matrix as text: one character per cell.

    The cell shows the worst status of the behaviour's cases; for versions
    without an interpreter, ``d`` marks an encoded expectation.  Rows whose
    executable cells differ are flagged with ``*`` (the disagreements view).
    """
    columns, unsupported = _supported_columns(results)
    by_beh: dict[tuple[str, str], list[CellResult]] = defaultdict(list)
    for r in results:
        for bid in r.case.behaviours:
            by_beh[(bid, r.impl_label)].append(r)
    executable = {r.impl_label: r.executable for r in results}
    lines = ["matrix (columns):"]
    lines += [f"  {n:>2} {c}{'' if executable[c] else ' (documented, not executable here)'}"
              for n, c in enumerate(columns, 1)]
    legend = " ".join(f"{code}={status}" for status, code in CODES.items())
    lines.append(f"  cells: {legend} (not N/A: it applies, but what happens is not known); "
                 "d=documented only; * = implementations disagree")
    header = "".join(str(n % 10) for n in range(1, len(columns) + 1))
    section = None
    for entry in cat.entries:
        if entry.section != section:
            section = entry.section
            lines += ["", f"  {section:<10} {header}"]
        cells, seen = [], set()
        for col in columns:
            rs = by_beh.get((entry.id, col), [])
            if executable[col]:
                worst = _worst([r.status for r in rs])
                if worst not in ("N/A", "UNKNOWN"):
                    seen.add(worst)
                cells.append(CODES[worst])
            elif any(r.expected is not None for r in rs):
                cells.append("d")
            else:
                cells.append("?" if any(r.status == "UNKNOWN" for r in rs) else " ")
        flag = "*" if len(seen) > 1 else " "
        lines.append(f"  {entry.id:<9}{flag} {''.join(cells)}  {entry.title[:60]}")
    if unsupported:
        lines += ["", f"  not shown (every cell N/A, unsupported): {', '.join(unsupported)}"]
    return "\n".join(lines) + "\n"


def render_json(results: list[CellResult], impls: list[Implementation], wall: float) -> str:
    data = {
        "schema": RESULTS_SCHEMA,
        "wall_seconds": round(wall, 2),
        "counts": dict(counts(results)),
        "implementations": [i.as_dict() for i in impls],
        "records": [r.as_record() for r in results],
    }
    return json.dumps(data, indent=1, sort_keys=False) + "\n"


def listing(cases: list[Case], cat: Catalogue) -> dict[str, Any]:
    """``list --format json``: catalogue entries with covering cases, and the cases."""
    covering: dict[str, list[str]] = defaultdict(list)
    for case in cases:
        for bid in case.behaviours:
            covering[bid].append(case.id)
    entries = [
        {"id": e.id, "section": e.section, "documented": e.documented, "cases": covering.get(e.id, [])}
        for e in cat.entries
    ]
    unknown = sorted(set(covering) - set(cat.ids()))
    return {
        "catalogue": cat.source,
        "entries": entries,
        "cases": [{"id": c.id, "group": c.group, "title": c.title, "behaviours": c.behaviours,
                   "file": str(c.source)} for c in cases],
        "uncovered_documented": [e["id"] for e in entries if e["documented"] and not e["cases"]],
        "uncovered": [e["id"] for e in entries if not e["cases"]],
        "unknown_ids_in_cases": unknown,
    }


def _worst(statuses: list[str]) -> str:
    return min(statuses, key=SEVERITY.index) if statuses else "N/A"


_CSS = """
body{font-family:sans-serif;font-size:13px;margin:1em}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 4px;text-align:center}
th.rot{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;white-space:nowrap}
td.l{text-align:left;max-width:30em}tr.sec td{background:#eee;font-weight:bold;text-align:left}
.PASS{background:#c8f7c5}.FAIL{background:#f7a5a5}.ERROR,.CRASH,.TIMEOUT,.XPASS{background:#e05050;color:#fff}
.XFAIL{background:#f7e3a5}.SKIP{background:#ddd}.NA{color:#aaa}.DOC{background:#dde8ff}
.UNKNOWN{color:#666;outline:1px dashed #999;outline-offset:-3px}
nav a{margin-right:1em}.view{display:none}.view.on{display:block}
"""
_JS = """
function show(id){
  document.querySelectorAll('.view').forEach(function(v){v.classList.toggle('on', v.id === id)});
}
window.addEventListener('DOMContentLoaded', function(){
  var id = location.hash.slice(1);
  if (document.getElementById(id)) { show(id); }
});
"""


def _tip(r: CellResult) -> str:
    """Tooltip text: status, reason and the first mismatches of one cell."""
    text = f"{r.case.id}: {r.status} {r.reason}".rstrip()
    for m in r.mismatches[:3]:
        text += (f"\n  {m['path']}: expected {json.dumps(m['expected'])[:120]}"
                 f" observed {json.dumps(m['observed'])[:120]}")
    return text


def _cell(statuses: list[str], tip: str, documented: bool = False) -> str:
    if documented:
        label, cls = ("doc", "DOC") if statuses else ("", "NA")
        return f'<td class="{cls}" title="{html.escape(tip)}">{label}</td>'
    worst = _worst(statuses)
    cls = "NA" if worst == "N/A" else worst
    return f'<td class="{cls}" title="{html.escape(tip)}">{html.escape(worst)}</td>'


def render_html(results: list[CellResult], cat: Catalogue, wall: float) -> str:
    """Behaviour x implementation matrix: grouped view, disagreements view, case view."""
    executable = {r.impl_label: r.executable for r in results}
    # Implementations that cannot run on an interpreter at all (e.g. runpy_ref on 2.7)
    # would only add columns of N/A; they are named below the table instead.
    columns, unsupported = _supported_columns(results)
    by_beh: dict[tuple[str, str], list[CellResult]] = defaultdict(list)
    by_case: dict[tuple[str, str], CellResult] = {}
    cases: dict[str, Case] = {}
    for r in results:
        for bid in r.case.behaviours:
            by_beh[(bid, r.impl_label)].append(r)
        by_case[(r.case.id, r.impl_label)] = r
        cases[r.case.id] = r.case
    head = "".join(
        f'<th class="rot">{html.escape(c)}{"" if executable[c] else " (documented)"}</th>' for c in columns
    )

    def behaviour_row(entry_id: str, title: str, documented: bool) -> tuple[str, bool]:
        cells, seen = [], set()
        for col in columns:
            rs = by_beh.get((entry_id, col), [])
            if executable[col]:
                statuses = [r.status for r in rs]
                tip = "\n".join(_tip(r) for r in rs)
                cells.append(_cell(statuses, tip))
                if _worst(statuses) not in ("N/A", "UNKNOWN"):
                    seen.add(_worst(statuses))
            else:
                encoded = [r for r in rs if r.expected is not None]
                tip = "; ".join(f"{r.case.id}: {r.reason}" for r in rs)
                unknown = [r for r in rs if r.status == "UNKNOWN"]
                if unknown and not encoded:  # not N/A: the case applies, the outcome is not known
                    cells.append(_cell(["UNKNOWN"], tip))
                else:
                    cells.append(_cell([r.status for r in encoded], tip, documented=True))
        flag = "doc" if documented else "obs"
        row = (f'<tr><td class="l"><b>{html.escape(entry_id)}</b> <small>[{flag}]</small> '
               f"{html.escape(title[:90])}</td>{''.join(cells)}</tr>")
        return row, len(seen) > 1

    notes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in results:
        for note in r.doc_says:
            where = notes[(r.case.id, note)]
            if r.impl_label in columns and r.impl_label not in where:
                where.append(r.impl_label)
    doc_rows = []
    for (cid, note), where in sorted(notes.items()):
        doc_rows.append(f'<tr><td class="l"><b>{html.escape(cid)}</b><br><small>'
                        f"{html.escape(', '.join(cases[cid].behaviours))}</small></td>"
                        f'<td class="l">{html.escape(note)}</td>'
                        f'<td class="l"><small>{html.escape(", ".join(where))}</small></td></tr>')
    grouped, disagreements = [], []
    section = None
    for entry in cat.entries:
        if entry.section != section:
            section = entry.section
            grouped.append(
                f'<tr class="sec"><td colspan="{len(columns) + 1}">{html.escape(section)}</td></tr>'
            )
        row, disagrees = behaviour_row(entry.id, entry.title, entry.documented)
        grouped.append(row)
        if disagrees:
            disagreements.append(row)
    case_rows = []
    for cid, case in sorted(cases.items()):
        cells = []
        for col in columns:
            r = by_case.get((cid, col))
            if r is None:
                cells.append("<td></td>")
            elif executable[col]:
                cells.append(_cell([r.status], _tip(r)))
            else:
                cells.append(_cell([r.status], r.reason) if r.status == "UNKNOWN" else
                             _cell([r.status] if r.expected is not None else [], r.reason, documented=True))
        case_rows.append(f'<tr><td class="l"><b>{html.escape(cid)}</b> {html.escape(case.title)}<br>'
                         f"<small>{', '.join(case.behaviours)}</small></td>{''.join(cells)}</tr>")
    c = counts(results)
    summary = html.escape(summary_line(results, wall))
    legend = " ".join(f'<span class="{s if s != "N/A" else "NA"}">{s}</span>' for s in SEVERITY)

    def table(rows: list[str]) -> str:
        return f"<table><tr><th>behaviour</th>{head}</tr>{''.join(rows)}</table>"

    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>runpy conformance matrix</title>
<style>{_CSS}</style><script>{_JS}</script></head><body>
<h1>runpy conformance matrix</h1>
<p>{summary}. Catalogue: {html.escape(cat.source)}. Legend: {legend};
<span class="DOC">doc</span> = documented, not executable here (expectation encoded);
<span class="UNKNOWN">?</span> = unknown: the case applies, but what that version does is not known
(the tooltip says why; distinct from N/A, which means the case does not apply).</p>
<nav><a href="#grouped" onclick="show('grouped')">grouped by section</a>
<a href="#disagree" onclick="show('disagree')">disagreements only ({len(disagreements)})</a>
<a href="#cases" onclick="show('cases')">cases</a></nav>
<div id="grouped" class="view on">{table(grouped)}</div>
<div id="disagree" class="view"><h2>Implementations disagree</h2>
<p>Behaviours whose executable columns do not all show the same (worst) status.</p>
{table(disagreements) if disagreements else '<p>none</p>'}
<h2>Documentation disagrees with behaviour</h2>
<p>Expectations follow the interpreters; the documentation's claim is kept beside them
(<code>doc_says</code>).</p>
<table><tr><th>case</th><th>the documentation says</th><th>where</th></tr>
{''.join(doc_rows)}</table></div>
<div id="cases" class="view">{table(case_rows)}</div>
<p><small>{sum(c.values())} executable cells. Not shown (the implementation does not support the
interpreter; every cell N/A): {html.escape(", ".join(unsupported)) or "none"}.</small></p>
</body></html>
"""


def render(fmt: str, results: list[CellResult], cat: Catalogue, impls: list[Implementation],
           wall: float) -> str:
    if fmt == "json":
        return render_json(results, impls, wall)
    if fmt == "html":
        return render_html(results, cat, wall)
    return render_text(results, wall) + "\n" + render_text_matrix(results, cat)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)


def write_replays(results: list[CellResult], root: Path) -> list[Path]:
    """One folder per non-passing cell: fixture, exact command, expected vs observed.

    The folder is self-sufficient: ``run.sh`` re-runs the exact launch (for API
    cases with the copied ``probe.py`` and ``request.json``), so someone
    without this harness can reproduce the observation.
    """
    written = []
    for r in results:
        if not r.executable or r.status not in ("FAIL", "ERROR", "CRASH", "TIMEOUT", "XPASS", "XFAIL"):
            continue
        if r.fixture_dir is None:
            continue
        folder = root / _slug(f"{r.case.id}__{r.impl_label}")
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
            env = " ".join(f"{k}={shlex.quote(v)}" for k, v in (r.env or {}).items()
                           if k != "RUNPY_CONFORMANCE_RECORD")
            cmd = " ".join(shlex.quote(a.replace(r.fixture_dir, "$here/fixture")) for a in r.command)
            rel = Path(r.cwd or r.fixture_dir).relative_to(r.fixture_dir) if r.cwd else Path(".")
            record = 'RUNPY_CONFORMANCE_RECORD="$here/records.jsonl"'
            lines.append(f'cd "$here/fixture/{rel}" && {record} {env} {cmd}')
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
