"""Reports: text summary, JSON records, static HTML matrix, replay folders.

All output is derived from the list of cell results; nothing here runs code.
The HTML page is self-contained (inline CSS, a few lines of inline script to
switch views, no network).
"""

from __future__ import annotations

import html
import json
import os
import re
from collections import Counter, defaultdict
from typing import Any

from .cases import Case
from .catalogue import Catalogue
from .impls import Implementation
from .replay import replay_folder_name
from .replay import write_replays as write_replays  # re-exported: reports and replays go together
from .results import STATUSES, CellResult
from .workers import RunStats

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


BehaviourCells = dict[tuple[str, str], list[tuple[str, CellResult]]]


def _behaviour_cells(results: list[CellResult], semantic: bool = False) -> BehaviourCells:
    """(behaviour, column) -> [(the behaviour's own status in that cell, cell)] over the cases listing it.

    Executable cells give each behaviour its attributed status
    (``attribution.py``; with ``semantic``, wording mismatches do not count);
    cells of versions not executable here keep the cell's status.
    """
    out: dict[tuple[str, str], list[tuple[str, CellResult]]] = defaultdict(list)
    for r in results:
        statuses = r.behaviour_status(semantic) if r.executable else {}
        for bid in r.case.behaviours:
            out[(bid, r.impl_label)].append((statuses.get(bid, r.status), r))
    return out


def render_text(results: list[CellResult], wall: float, semantic: bool = False) -> str:
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
    if semantic:
        bad = [r for r in bad if r.semantic_status not in ("PASS", "N/A", "SKIP", "UNKNOWN")]
    if bad:
        lines += ["", "not passing (semantic mismatches only):" if semantic else "not passing:"]
        for r in bad:
            lines.append(f"  {r.status:7} {r.case.id} [{r.impl_label}] {r.reason}")
            shown = r.attributed["mismatches"] if r.attributed else r.mismatches
            if semantic:
                shown = [m for m in shown if m.get("kind") != "wording"]
            for m in shown[:6]:
                about = f" [{m['kind']}; {', '.join(m['behaviours'])}]" if "kind" in m else ""
                lines.append(f"          {m['path']}{about}: expected {json.dumps(m['expected'])[:200]}"
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


def render_text_matrix(results: list[CellResult], cat: Catalogue, semantic: bool = False) -> str:
    """Behaviour x implementation matrix as text: one character per cell.

    The cell shows the worst of the behaviour's own statuses over the cases
    that list it (attributed: a mismatch about another behaviour of the same
    case does not count; with ``semantic``, neither does wording); for
    versions without an interpreter, ``d`` marks an encoded expectation.
    Rows whose executable cells differ are flagged with ``*``.
    """
    columns, unsupported = _supported_columns(results)
    by_beh = _behaviour_cells(results, semantic)
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
                worst = _worst([status for status, _r in rs])
                if worst not in ("N/A", "UNKNOWN"):
                    seen.add(worst)
                cells.append(CODES[worst])
            elif any(r.expected is not None for _s, r in rs):
                cells.append("d")
            else:
                cells.append("?" if any(r.status == "UNKNOWN" for _s, r in rs) else " ")
        flag = "*" if len(seen) > 1 else " "
        lines.append(f"  {entry.id:<9}{flag} {''.join(cells)}  {entry.title[:60]}")
    if unsupported:
        lines += ["", f"  not shown (every cell N/A, unsupported): {', '.join(unsupported)}"]
    return "\n".join(lines) + "\n"


def render_json(results: list[CellResult], impls: list[Implementation], wall: float,
                extra: dict[str, Any] | None = None) -> str:
    data: dict[str, Any] = {
        "schema": RESULTS_SCHEMA,
        "wall_seconds": round(wall, 2),
        "counts": dict(counts(results)),
        "implementations": [i.as_dict() for i in impls],
        "records": [r.as_record() for r in results],
    }
    data.update(extra or {})
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
table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:2px 4px;text-align:center;vertical-align:top}
th.rot{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;white-space:nowrap}
td.l{text-align:left;max-width:30em}tr.sec td{background:#eee;font-weight:bold;text-align:left}
td a{color:inherit}pre{margin:0;white-space:pre-wrap;word-break:break-all;max-width:40em;text-align:left}
.PASS{background:#c8f7c5}.FAIL{background:#f7a5a5}.ERROR,.CRASH,.TIMEOUT,.XPASS{background:#e05050;color:#fff}
.XFAIL{background:#f7e3a5}.SKIP{background:#ddd}.NA{color:#aaa}.DOC{background:#dde8ff}
.wording{color:#666}.semantic{font-weight:bold}
.UNKNOWN{color:#666;outline:1px dashed #999;outline-offset:-3px}
nav a{margin-right:1em}.view{display:none}.view.on{display:block}
@media print{nav{display:none}.view{display:block;page-break-before:always}
 th.rot{writing-mode:horizontal-tb;transform:none;font-size:9px}body{font-size:10px}
 .PASS,.FAIL,.XFAIL,.ERROR,.CRASH,.TIMEOUT,.XPASS,.DOC{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""
_JS = """
function show(id){
  document.querySelectorAll('.view').forEach(function(v){v.classList.toggle('on', v.id === id)});
}
window.addEventListener('DOMContentLoaded', function(){
  var id = location.hash.slice(1), el = document.getElementById(id);
  if (!el) { return; }
  var view = el.closest('.view');
  if (view) { show(view.id); el.scrollIntoView(); }
});
"""


def _tip(r: CellResult) -> str:
    """Tooltip text: status, reason and the first mismatches of one cell."""
    text = f"{r.case.id}: {r.status} {r.reason}".rstrip()
    for m in r.mismatches[:3]:
        text += (f"\n  {m['path']}: expected {json.dumps(m['expected'])[:120]}"
                 f" observed {json.dumps(m['observed'])[:120]}")
    return text


def _cell(statuses: list[str], tip: str, documented: bool = False, link: str | None = None) -> str:
    if documented:
        label, cls = ("doc", "DOC") if statuses else ("", "NA")
        return f'<td class="{cls}" title="{html.escape(tip)}">{label}</td>'
    worst = _worst(statuses)
    cls = "NA" if worst == "N/A" else worst
    text = html.escape(worst)
    if link:
        text = f'<a href="#{link}">{text}</a>'
    return f'<td class="{cls}" title="{html.escape(tip)}">{text}</td>'


def _value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return f"<pre>{html.escape(text[:1500])}</pre>"


def failure_anchor(case_id: str, label: str) -> str:
    """The id of a cell's details on the HTML page (also used by the published docs page)."""
    return "f-" + re.sub(r"[^A-Za-z0-9]+", "-", f"{case_id}-{label}").strip("-").lower()


def _failure_block(r: CellResult) -> str:
    """One non-passing cell in full: expected and observed side by side, per mismatch."""
    mismatches = r.attributed["mismatches"] if r.attributed else r.mismatches
    rows = "".join(
        f'<tr class="{m.get("kind", "")}"><td class="l"><code>{html.escape(m["path"])}</code></td>'
        f'<td>{html.escape(m.get("kind", ""))}</td><td>{html.escape(", ".join(m.get("behaviours", [])))}</td>'
        f"<td>{_value(m['expected'])}</td><td>{_value(m['observed'])}</td></tr>" for m in mismatches)
    statuses = ", ".join(f"{b} {s}" for b, s in r.behaviour_status().items())
    command = " ".join(r.command) if r.command else ""
    head = "".join(f"<th>{h}</th>" for h in ("path", "kind", "behaviours", "expected", "observed"))
    table = f"<table><tr>{head}</tr>{rows}</table>" if rows else f"<p>{html.escape(r.reason)}</p>"
    folder = replay_folder_name(r.case.id, r.impl_label)
    return (f'<div id="{failure_anchor(r.case.id, r.impl_label)}"><h3>{html.escape(r.case.id)} on '
            f"{html.escape(r.impl_label)}: {html.escape(r.status)}</h3><p>{html.escape(r.case.title)}. "
            f"Behaviours: {html.escape(statuses)}. <small>Command: <code>{html.escape(command)}</code>; "
            f"replay folder <code>{html.escape(folder)}</code></small></p>"
            f"{table}</div>")


def render_html(results: list[CellResult], cat: Catalogue, wall: float) -> str:
    """Views: behaviours (attributed), semantic failures only, disagreements (statuses and values),
    every failure with expected and observed values, and cases."""
    executable = {r.impl_label: r.executable for r in results}
    # Implementations that cannot run on an interpreter at all (e.g. runpy_ref on 2.7)
    # would only add columns of N/A; they are named below the table instead.
    columns, unsupported = _supported_columns(results)
    by_case: dict[tuple[str, str], CellResult] = {}
    cases: dict[str, Case] = {}
    for r in results:
        by_case[(r.case.id, r.impl_label)] = r
        cases[r.case.id] = r.case
    head = "".join(
        f'<th class="rot">{html.escape(c)}{"" if executable[c] else " (documented)"}</th>' for c in columns
    )
    failing = [r for r in results if r.executable and r.status in ("FAIL", "ERROR", "CRASH", "TIMEOUT",
                                                                   "XFAIL", "XPASS")]

    def behaviour_row(entry_id: str, title: str, documented: bool,
                      by_beh: BehaviourCells) -> tuple[str, set[str]]:
        cells, seen = [], set()
        for col in columns:
            rs = by_beh.get((entry_id, col), [])
            if executable[col]:
                statuses = [status for status, _r in rs]
                bad = [r for status, r in rs if status not in ("PASS", "N/A", "SKIP")]
                link = failure_anchor(bad[0].case.id, bad[0].impl_label) if bad else None
                cells.append(_cell(statuses, "\n".join(_tip(r) for _s, r in rs), link=link))
                if _worst(statuses) not in ("N/A", "UNKNOWN"):
                    seen.add(_worst(statuses))
            else:
                encoded = [r for _s, r in rs if r.expected is not None]
                tip = "; ".join(f"{r.case.id}: {r.reason}" for _s, r in rs)
                unknown = [r for _s, r in rs if r.status == "UNKNOWN"]
                if unknown and not encoded:  # not N/A: the case applies, the outcome is not known
                    cells.append(_cell(["UNKNOWN"], tip))
                else:
                    cells.append(_cell([r.status for r in encoded], tip, documented=True))
        flag = "doc" if documented else "obs"
        row = (f'<tr><td class="l"><b>{html.escape(entry_id)}</b> <small>[{flag}]</small> '
               f"{html.escape(title[:90])}</td>{''.join(cells)}</tr>")
        return row, seen

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
    attributed, semantic = _behaviour_cells(results), _behaviour_cells(results, semantic=True)
    grouped, semantic_rows, disagreements, values = [], [], [], []
    section = None
    for entry in cat.entries:
        if entry.section != section:
            section = entry.section
            grouped.append(
                f'<tr class="sec"><td colspan="{len(columns) + 1}">{html.escape(section)}</td></tr>'
            )
        row, seen = behaviour_row(entry.id, entry.title, entry.documented, attributed)
        grouped.append(row)
        if len(seen) > 1:
            disagreements.append(row)
            values.append(_value_comparison(entry.id, columns, attributed))
        sem_row, sem_seen = behaviour_row(entry.id, entry.title, entry.documented, semantic)
        if sem_seen - {"PASS", "SKIP", "N/A"}:
            semantic_rows.append(sem_row)
    case_rows = []
    for cid, case in sorted(cases.items()):
        cells = []
        for col in columns:
            r = by_case.get((cid, col))
            if r is None:
                cells.append("<td></td>")
            elif executable[col]:
                link = failure_anchor(cid, col) if r in failing else None
                cells.append(_cell([r.status], _tip(r), link=link))
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
(the tooltip says why; distinct from N/A, which means the case does not apply).
Each behaviour's cell shows its own status: a mismatch counts against the behaviours it is about
(INTERPRETING.md, section 9), not against every behaviour its case lists.</p>
<nav><a href="#grouped" onclick="show('grouped')">behaviours</a>
<a href="#semantic" onclick="show('semantic')">semantic failures only ({len(semantic_rows)})</a>
<a href="#disagree" onclick="show('disagree')">disagreements ({len(disagreements)})</a>
<a href="#failures" onclick="show('failures')">failures, expected and observed ({len(failing)})</a>
<a href="#cases" onclick="show('cases')">cases</a></nav>
<div id="grouped" class="view on">{table(grouped)}</div>
<div id="semantic" class="view"><h2>Semantic failures only</h2>
<p>Behaviours with at least one failure that is not only a matter of wording (message texts,
exit status 2 against 1); wording mismatches are not counted in these cells.</p>
{table(semantic_rows) if semantic_rows else '<p>none</p>'}</div>
<div id="disagree" class="view"><h2>Implementations disagree</h2>
<p>Behaviours whose executable columns do not all show the same status, then, for each, the
values the implementations observed where they differ from the expectation.</p>
{table(disagreements) if disagreements else '<p>none</p>'}
{''.join(values)}
<h2>Documentation disagrees with behaviour</h2>
<p>Expectations follow the interpreters; the documentation's claim is kept beside them
(<code>doc_says</code>).</p>
<table><tr><th>case</th><th>the documentation says</th><th>where</th></tr>
{''.join(doc_rows)}</table></div>
<div id="failures" class="view"><h2>Every cell that did not pass</h2>
{''.join(_failure_block(r) for r in failing) or '<p>none</p>'}</div>
<div id="cases" class="view">{table(case_rows)}</div>
<p><small>{sum(c.values())} executable cells. Not shown (the implementation does not support the
interpreter; every cell N/A): {html.escape(", ".join(unsupported)) or "none"}.</small></p>
</body></html>
"""


def _value_comparison(entry_id: str, columns: list[str], by_beh: BehaviourCells) -> str:
    """One behaviour: what each implementation observed at every path that some implementation got wrong."""
    observed: dict[tuple[str, str], dict[str, Any]] = defaultdict(dict)
    for col in columns:
        for _status, r in by_beh.get((entry_id, col), []):
            for m in (r.attributed or {}).get("mismatches", []):
                if entry_id in m["behaviours"]:
                    observed[(r.case.id, m["path"])][col] = m["observed"]
    if not observed:
        return ""
    rows = []
    for (cid, path), seen in sorted(observed.items()):
        cells = []
        for col in columns:
            cell = next((r for _s, r in by_beh.get((entry_id, col), []) if r.case.id == cid), None)
            if cell is None or not cell.executable or cell.status in ("N/A", "SKIP"):
                cells.append('<td class="NA"></td>')
            elif col in seen:
                cells.append(f'<td class="FAIL">{_value(seen[col])}</td>')
            else:
                cells.append('<td class="PASS">as expected</td>')
        rows.append(f'<tr><td class="l"><code>{html.escape(cid)}</code><br><code>{html.escape(path)}</code>'
                    f"</td>{''.join(cells)}</tr>")
    head = "".join(f'<th class="rot">{html.escape(c)}</th>' for c in columns)
    return (f"<h3>{html.escape(entry_id)}: observed values</h3><table><tr><th>case, path</th>{head}</tr>"
            f"{''.join(rows)}</table>")


def timings(stats: RunStats, wall: float, impls: list[Implementation], budget: tuple[str, float] | None,
            load: float | None = None) -> dict[str, Any]:
    """What a run cost, for the JSON results and the line the runner prints."""
    data: dict[str, Any] = {
        "wall_seconds": round(wall, 2),
        "implementations": len(impls),
        "cells": sum(stats.cells.values()),
        "processes": {"probe_servers": stats.servers, "forked_api_cells": stats.forks,
                      "launches": stats.launches},
        "busy_seconds": {label: round(sec, 2) for label, sec in stats.busy.items()},
        "cpus": os.cpu_count(),
    }
    if load is not None:
        data["load_average_at_start"] = round(load, 2)
    if budget:
        data["budget"] = {"for": budget[0], "seconds": budget[1], "within": wall <= budget[1]}
    return data


def timing_text(t: dict[str, Any]) -> str:
    """One paragraph: wall time against the budget, and the processes started."""
    p = t["processes"]
    line = (f"timing: {t['cells']} cells of {t['implementations']} implementation(s) in "
            f"{t['wall_seconds']:.2f}s wall on {t['cpus']} CPUs")
    if "load_average_at_start" in t:
        line += f" (load average {t['load_average_at_start']:.1f} at start)"
    if "budget" in t:
        b = t["budget"]
        line += f"; budget for {b['for']}: {b['seconds']}s, {'within' if b['within'] else 'OVER'}"
    line += (f"\n        processes: {p['probe_servers']} probe server(s), {p['forked_api_cells']} forked API "
             f"cells, {p['launches']} launched commands")
    slow = sorted(t["busy_seconds"].items(), key=lambda kv: -kv[1])[:3]
    if len(t["busy_seconds"]) > 1:
        line += "\n        busiest: " + ", ".join(f"{label} {sec:.1f}s" for label, sec in slow)
    return line


def render(fmt: str, results: list[CellResult], cat: Catalogue, impls: list[Implementation],
           wall: float, extra: dict[str, Any] | None = None, semantic: bool = False) -> str:
    """``extra``: more top-level keys of the JSON results (``timings``, ``unavailable``);
    ``semantic``: the text report counts semantic mismatches only (the HTML page has a view for it)."""
    if fmt == "json":
        return render_json(results, impls, wall, extra)
    if fmt == "html":
        return render_html(results, cat, wall)
    return render_text(results, wall, semantic) + "\n" + render_text_matrix(results, cat, semantic)
