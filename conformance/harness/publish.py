"""The published tools matrix: a docs page and a README table, generated from a results file.

``python -m conformance publish`` reads the results of ``python -m
conformance matrix`` (``conformance/tools/results/matrix.json``) and writes

* ``docs/reference/tools_matrix.md``: per interpreter, behaviours x tools,
  each cell the behaviour's own status (attributed, INTERPRETING.md
  section 9); every failing cell links to its mismatches (expected and
  observed, semantic or wording) and names its replay folder;
* the table between the ``tools-matrix`` markers in ``README.md``: per tool
  and interpreter, how many behaviours fail (semantically).

Nothing here runs a case; the page is a pure function of the results file,
so re-generating it is one command and a reviewer can diff it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalogue import Catalogue
from .replay import replay_folder_name

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
DOCS_PAGE = PROJECT_ROOT / "docs" / "reference" / "tools_matrix.md"
README = PROJECT_ROOT / "README.md"
START, END = "<!-- tools-matrix: start", "<!-- tools-matrix: end -->"
_FIXTURE = re.compile(r"/[^\s'\"]*?/runpy-conf-[^/\s'\"]+/\d+/fixture")
_SCRATCH = re.compile(r"/[^\s'\"]*?/runpy-conf-[^/\s'\"]+/\d+/scratch")
_BAD = ("FAIL", "ERROR", "CRASH", "TIMEOUT", "XPASS")
CODES = {"PASS": "✓", "FAIL": "F", "XFAIL": "x", "XPASS": "!", "ERROR": "E", "CRASH": "C", "TIMEOUT": "T",
         "SKIP": "s", "N/A": ""}


@dataclass
class Column:
    """One implementation of the results: a tool (or the reference python) on one interpreter."""

    label: str
    tool: str
    tool_version: str
    interpreter: str  # "CPython 3.12"
    python: str
    records: list[dict[str, Any]] = field(default_factory=list)


def _interpreter(impl: dict[str, Any]) -> str:
    name = {"cpython": "CPython", "pypy": "PyPy"}.get(impl["impl"], impl["impl"])
    return f"{name} {'.'.join(impl['version'].split('.')[:2])}"


def columns(results: dict[str, Any]) -> list[Column]:
    by_label = {}
    for impl in results["implementations"]:
        tool = impl.get("tool") or ("python" if impl["kind"] == "stdlib" else impl["module"])
        by_label[impl["label"]] = Column(impl["label"], tool, impl.get("tool_version") or "",
                                         _interpreter(impl), impl["python"])
    for record in results["records"]:
        if record.get("executable_here", True) and record["implementation"] in by_label:
            by_label[record["implementation"]].records.append(record)
    return list(by_label.values())


def normalise(value: Any, col: Column) -> Any:
    """Values without the per-cell directories and interpreter paths, so that cells can be compared."""
    if isinstance(value, str):
        value = _FIXTURE.sub("{fixture}", value)
        value = _SCRATCH.sub("{scratch}", value)
        return value.replace(col.python, "{exe}")
    if isinstance(value, list):
        return [normalise(v, col) for v in value]
    if isinstance(value, dict):
        return {k: normalise(v, col) for k, v in value.items()}
    return value


def _short(value: Any, limit: int = 160) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    text = text.replace("`", "'").replace("\n", "\\n")
    return text if len(text) <= limit else text[:limit] + "…"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class Failure:
    """One failing (tool, case) with the same mismatches on one or more interpreters."""

    tool: str
    case: dict[str, Any]
    status: str
    mismatches: list[dict[str, Any]]
    reason: str
    interpreters: list[str] = field(default_factory=list)
    replays: list[str] = field(default_factory=list)
    label: str = ""


def failures(cols: list[Column]) -> tuple[list[Failure], dict[tuple[str, str], str]]:
    """Failing cells grouped by identical (normalised) mismatches; (column label, case) -> target label."""
    grouped: dict[tuple, Failure] = {}
    where: dict[tuple[str, str], str] = {}
    keys: dict[tuple[str, str], tuple] = {}
    newest_first = sorted(cols, key=lambda c: (c.interpreter.split()[0] != "CPython",
                                               [-int(p) for p in c.interpreter.split()[1].split(".")]))
    for col in newest_first:
        for r in col.records:
            if r["status"] not in _BAD and r["status"] != "XFAIL":
                continue
            mismatches = [normalise(m, col) for m in r.get("mismatches", [])]
            reason = normalise(r.get("reason", ""), col)
            # "The same way": the same paths fail, with the same kind; values (tracebacks, paths
            # with version numbers) are shown as the newest interpreter observed them.
            shape = tuple((m["path"], m.get("kind")) for m in mismatches)
            key = (col.tool, r["case"], r["status"], shape, "" if shape else reason)
            if key not in grouped:
                grouped[key] = Failure(col.tool, r, r["status"], mismatches, reason)
            grouped[key].interpreters.append(col.interpreter)
            grouped[key].replays.append(replay_folder_name(r["case"], col.label))
            keys[(col.label, r["case"])] = key
    order = {c.interpreter: n for n, c in enumerate(cols)}
    counter: dict[str, int] = defaultdict(int)
    for f in grouped.values():
        f.interpreters.sort(key=order.get)
        base = f"tm-{_slug(f.tool)}-{_slug(f.case['case'])}"
        counter[base] += 1
        f.label = base if counter[base] == 1 else f"{base}-{counter[base]}"
    for cell, key in keys.items():
        where[cell] = grouped[key].label
    return sorted(grouped.values(), key=lambda f: (f.tool.lower(), f.case["case"], f.label)), where


def _cell(status: str, semantic: str, target: str | None) -> str:
    if status in ("FAIL", "XFAIL") and semantic == "PASS":
        text = "w"  # only wording differs
    else:
        text = CODES.get(status, status)
    if target and status not in ("PASS", "N/A", "SKIP"):
        return f"{{ref}}`{text} <{target}>`"
    return text


def _tool_order(cols: list[Column]) -> list[str]:
    tools = list(dict.fromkeys(c.tool for c in cols))
    return sorted(tools, key=lambda t: (t != "python", t == "runpy_ref", t.lower()))


def render_page(results: dict[str, Any], cat: Catalogue, results_path: str) -> str:
    cols = columns(results)
    fails, where = failures(cols)
    interpreters = list(dict.fromkeys(c.interpreter for c in cols))
    tools = _tool_order(cols)
    by = {(c.tool, c.interpreter): c for c in cols}
    versions: dict[str, dict[str, str]] = defaultdict(dict)
    for c in cols:
        versions[c.tool][c.interpreter] = c.tool_version
    titles = {e.id: e.title for e in cat.entries}
    date = results.get("generated", "")
    out = [
        "# The `-m` tools matrix",
        "",
        "<!-- Generated by `python -m conformance publish` from "
        f"{results_path}; do not edit by hand. -->",
        "",
        "Profilers, debuggers, coverage and tracing tools run a user's program \"the way `python -m` does\".",
        "This page shows how closely each one does, case by case of the conformance suite's command-line",
        "cases, on each interpreter: rows are catalogue behaviours, columns are tools, and a cell is the",
        "behaviour's own status (a mismatch counts only against the behaviours it is about). The first",
        "column, `python`, is the interpreter itself: the reference.",
        "",
        f"Results file: `{results_path}`"
        + (f", run on {date}" if date else "")
        + f"; interpreters: {', '.join(interpreters)}.",
        "Re-generate with `python -m conformance matrix` (installs every tool into a venv per interpreter",
        "and runs the suite; `--replay-dir DIR` also writes the replay folders named below) and then",
        "`python -m conformance publish`.",
        "",
        "Cells: ✓ pass; **F** a semantic failure; w only the wording differs (message texts, exit status 2",
        "against 1); T timeout; C crash; s the tool cannot express the case (e.g. interpreter options);",
        "empty: the case does not apply. Each failing cell links to its mismatches below.",
        "",
        "## Tools",
        "",
        "| tool | " + " | ".join(interpreters) + " |",
        "|---|" + "---|" * len(interpreters),
    ]
    for tool in tools:
        cells = []
        for interp in interpreters:
            col = by.get((tool, interp))
            if col is None or not col.records:
                cells.append("—")
                continue
            failing = {b for r in col.records for b, s in r.get("behaviour_status", {}).items() if s in _BAD}
            semantic = {b for r in col.records for b, s in r.get("behaviour_status_semantic", {}).items()
                        if s in _BAD}
            version = col.tool_version if col.tool_version not in ("", "stdlib") else ""
            head = f"{version}: " if version else ""
            cells.append(f"{head}{len(failing)} failing ({len(semantic)} semantic)")
        out.append(f"| `{tool}` | " + " | ".join(cells) + " |")
    unavailable = results.get("unavailable", [])
    if unavailable:
        out += ["", "Left out (could not be installed or checked here):", ""]
        out += [f"- `{u['tool']}` on {u['version']}: {_short(u['reason'], 200)}" for u in unavailable]
    for interp in interpreters:
        present = [t for t in tools if (t, interp) in by]
        status: dict[tuple[str, str], list[tuple[str, str, str | None]]] = defaultdict(list)
        for tool in present:
            col = by[(tool, interp)]
            for r in col.records:
                if r["group"] != "cli" and col.tool not in ("python", "runpy_ref"):
                    continue
                sem = r.get("behaviour_status_semantic", {})
                for b, s in r.get("behaviour_status", {}).items():
                    status[(b, tool)].append((s, sem.get(b, s), where.get((col.label, r["case"]))))
        rows = [e.id for e in cat.entries
                if any(st != "N/A" for t in present if t not in ("python", "runpy_ref")
                       for st, _s, _w in status.get((e.id, t), []))]
        out += ["", f"## {interp}", "",
                "| behaviour | " + " | ".join(f"`{t}`" for t in present) + " |",
                "|---|" + "---|" * len(present)]
        for bid in rows:
            cells = []
            for tool in present:
                entries = status.get((bid, tool), [])
                bad = [e for e in entries if e[0] not in ("PASS", "N/A", "SKIP")]
                if bad:
                    worst = min(bad, key=lambda e: (e[1] == "PASS", e[0] != "TIMEOUT"))
                    cells.append(_cell(worst[0], worst[1], worst[2]))
                elif any(e[0] == "PASS" for e in entries):
                    cells.append("✓")
                else:
                    cells.append("s" if any(e[0] == "SKIP" for e in entries) else "")
            title = _short(titles.get(bid, ""), 70).replace("|", "/")
            out.append(f"| {{behaviour}}`{bid}` {title} | " + " | ".join(cells) + " |")
    out += ["", "## Mismatches", "",
            "Each failing tool and case, with the interpreters where it fails the same way. Paths are",
            "those of the observation (INTERPRETING.md, section 7); `{fixture}` is the case's directory,",
            "`{exe}` the interpreter. The replay folder holds the fixture and `run.sh`, the exact launch."]
    tool = None
    for f in fails:
        if f.tool != tool:
            tool = f.tool
            out += ["", f"### {tool}"]
        behaviours = ", ".join(f.case.get("behaviours", []))
        out += ["", f"({f.label})=", "",
                f"**{f.case['case']}** ({behaviours}): {f.status} on {', '.join(f.interpreters)}. "
                f"{_short(f.case.get('title', ''), 200)}", ""]
        for m in f.mismatches[:8]:
            about = f" ({m.get('kind', '?')}; {', '.join(m.get('behaviours', []))})"
            out.append(f"- `{_short(m['path'], 80)}`{about}: expected `{_short(m['expected'])}`, "
                       f"observed `{_short(m['observed'])}`")
        if not f.mismatches and f.reason:
            out.append(f"- {_short(f.reason, 300)}")
        out.append(f"- replay: `{f.replays[0]}`" + (f" (and {len(f.replays) - 1} more)" if len(f.replays) > 1
                                                     else ""))
    return "\n".join(out) + "\n"


def _version_key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in re.split(r"[.+-]", version))


def render_readme_table(results: dict[str, Any], docs_link: str) -> str:
    cols = columns(results)
    interpreters = list(dict.fromkeys(c.interpreter for c in cols))
    by = {(c.tool, c.interpreter): c for c in cols}
    lines = [f"{START} generated by `python -m conformance publish`; do not edit -->",
             "",
             "| tool | " + " | ".join(interpreters) + " |",
             "|---|" + "---|" * len(interpreters)]
    for tool in _tool_order(cols):
        versions = [c.tool_version for c in cols if c.tool == tool and c.records
                    and c.tool_version not in ("", "stdlib")]
        newest = max(versions, key=_version_key) if versions else ""
        cells = []
        for interp in interpreters:
            col = by.get((tool, interp))
            if col is None or not col.records:  # not installed, or cannot run there
                cells.append("—")
                continue
            semantic = {b for r in col.records for b, s in r.get("behaviour_status_semantic", {}).items()
                        if s in _BAD}
            failing = {b for r in col.records for b, s in r.get("behaviour_status", {}).items() if s in _BAD}
            other = f" ({col.tool_version})" if col.tool_version not in ("", "stdlib", newest) else ""
            cells.append(f"{len(semantic)} / {len(failing)}{other}")
        lines.append(f"| {tool}{' ' + newest if newest else ''} | " + " | ".join(cells) + " |")
    lines += ["", "Behaviours failing semantically / in all (wording included), per tool and interpreter "
              "(a version in parentheses: the newest release that installs there; — : the tool does not "
              f"run there); every mismatch: [{docs_link}]({docs_link}).", "", END]
    return "\n".join(lines)


def merge(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """``old`` results with the columns of ``new`` replaced or added: re-run one tool, keep the rest."""
    labels = {i["label"] for i in new["implementations"]}
    rerun = {(u["tool"], u["python"]) for u in new.get("unavailable", [])}
    out = dict(old)
    out["implementations"] = [*(i for i in old["implementations"] if i["label"] not in labels),
                              *new["implementations"]]
    out["records"] = [*(r for r in old["records"] if r["implementation"] not in labels), *new["records"]]
    out["unavailable"] = [*(u for u in old.get("unavailable", []) if (u["tool"], u["python"]) not in rerun),
                          *new.get("unavailable", [])]
    out["generated"] = new.get("generated", old.get("generated"))
    out["timings_of_merged_runs"] = [*old.get("timings_of_merged_runs", [old.get("timings")]),
                                     new.get("timings")]
    out["timings"] = new.get("timings")
    return out


def _cut(value: Any, limit: int = 400) -> Any:
    text = json.dumps(value)
    if len(text) <= limit:
        return value
    return (value if isinstance(value, str) else text)[:limit] + "…"


def slim(results: dict[str, Any]) -> str:
    """The results as committed: what the docs page needs, one record per line (diffs stay readable).

    Left out: N/A records, each record's full expectation and observation
    and its command (the mismatches keep expected and observed per path, long
    values cut at 400 characters).  ``--full-results`` keeps everything.
    """
    head = {k: v for k, v in results.items() if k != "records"}
    lines = []
    for record in results["records"]:
        if record["status"] == "N/A":
            continue
        r = {k: v for k, v in record.items() if k not in ("observed", "expected", "command", "doc_says")}
        if "mismatches" in r:
            r["mismatches"] = [{**m, "expected": _cut(m["expected"]), "observed": _cut(m["observed"])}
                               for m in r["mismatches"]]
        lines.append(json.dumps(r, sort_keys=True, ensure_ascii=False))
    text = json.dumps(head, indent=1, sort_keys=True, ensure_ascii=False)
    return text[:-2] + ',\n "records": [\n' + ",\n".join(lines) + "\n ]\n}\n"


def update_readme(readme: Path, table: str) -> None:
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(START), text.find(END)
    if start < 0 or end < 0:
        raise ValueError(f"{readme}: no '{START} ... {END}' markers")
    readme.write_text(text[:start] + table + text[end + len(END):], encoding="utf-8")
