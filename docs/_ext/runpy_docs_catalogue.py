"""Reference pages generated from data: the behaviour catalogue and the conformance matrix.

Nothing on these pages is typed by hand.  At build time, and reading every
version statement through the catalogue's version model
(``conformance/harness/catalogue.py`` and ``versions.py``: version sets with
gaps, point releases and explicit unknowns):

* ``behaviour-catalogue`` renders one section of
  ``conformance/catalogue/behaviours.json`` as a table, one row per entry,
  and registers every ID as a link target (``{behaviour}`RM-17``` links to
  it; so do the catalogue IDs in every trace table);
* ``behaviour-versions`` renders the same section as a grid, one column per
  feature version 2.5 ... 3.13: what the interpreters here showed, what the
  docs and sources say for the versions that cannot be run, which versions
  hold only from (or up to) a point release, which are not known (and why),
  and where a version's documentation and its behaviour disagree;
* ``behaviour-timeline`` lists, version by version, the entries that begin,
  end, are not known or disagree there;
* ``conformance-matrix`` renders a results file of ``python -m conformance
  run --format json`` (``RUNPY_REF_CONFORMANCE_RESULTS=path``), or, when no
  file is given, runs the suite at build time against the host's runpy and
  runpy_ref.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from runpy_docs_trace import behaviour_ref, table
from sphinx.application import Sphinx
from sphinx.errors import SphinxError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_id

from conformance.harness import catalogue as catalogue_model
from conformance.harness.versions import LAST, Span, lineage_next, lineage_parent, low, parse

ROOT = Path(__file__).resolve().parent.parent.parent
CATALOGUE = ROOT / "conformance" / "catalogue" / "behaviours.json"
RESULTS_ENV = "RUNPY_REF_CONFORMANCE_RESULTS"
SECTIONS = {
    "general": "General",
    "run_module": "run_module",
    "run_path": "run_path",
    "cli": "The command line: python -m and python FILE",
    "errors": "Errors and their messages",
}
# Worst first: the status a behaviour gets when several cases cover it.
SEVERITY = ["CRASH", "TIMEOUT", "ERROR", "XPASS", "FAIL", "XFAIL", "PASS", "UNKNOWN", "SKIP", "N/A"]

logger = logging.getLogger(__name__)


class ConformanceError(SphinxError):
    category = "conformance matrix"


# -- data ----------------------------------------------------------------------------


def load_catalogue() -> dict[str, Any]:
    return json.loads(CATALOGUE.read_text(encoding="utf-8"))


def load_model() -> catalogue_model.Catalogue:
    """The catalogue read through the version model: every range is a Span."""
    return catalogue_model.load(CATALOGUE)


def parse_versions(text: str, versions: list[str]) -> set[str]:
    """``"2.7, 3.2-3.10"`` -> the feature versions of which the set holds any point release."""
    return set(parse(text).features(versions))


def span_text(span: Span) -> str:
    """``"2.7, 3.2+"``, or a dash when the statement holds nowhere."""
    return "\u2014" if not span.versions else span.versions.text()


def unknown_text(span: Span) -> str:
    """The versions for which a span is not known, e.g. ``"3.3"``; empty if none."""
    return span.unknown_versions.text() if span.unknown else ""


def starts(span: Span, version: str) -> bool:
    """The statement holds in ``version`` (from some point release on) but not at the end of the
    version it grew from (3.0 grew from 2.6), or it begins inside ``version`` ("from 3.5.2")."""
    part = span.versions.within(version)
    if not part:
        return False
    if part.intervals[0][0][2] > 0:
        return True
    parent = lineage_parent(version)
    return parent is None or (*low(parent)[:2], LAST) not in span.versions


def ends(span: Span, version: str) -> bool:
    """The statement holds in ``version`` but stops inside it ("up to 3.2.3"), or does not hold
    in the first release of the next version of the same line."""
    part = span.versions.within(version)
    if not part:
        return False
    if part.intervals[-1][1][2] < LAST:
        return True
    nxt = lineage_next(version)
    return nxt is not None and low(nxt) not in span.versions


def point_note(span: Span, version: str) -> str:
    """``" (from 3.5.2)"`` when only some point releases of ``version`` are in the span."""
    return f" ({span.versions.part_text(version)})" if span.versions.coverage(version) == "part" else ""


# -- inline text ------------------------------------------------------------------------

_CODE = re.compile(r"`([^`]+)`")
_EMPH = re.compile(r"(?<![\w*])\*([^*\s][^*]*?)\*(?![\w*])")


def inline(text: str) -> list[nodes.Node]:
    """Catalogue prose to nodes: ```code``` becomes a literal, ``*x*`` emphasis.

    The catalogue is plain text with Markdown-style code spans; it is not
    parsed as MyST, so a ``<pkg>`` placeholder can never turn into raw HTML.
    """
    out: list[nodes.Node] = []
    for number, piece in enumerate(_CODE.split(text)):
        if number % 2:
            out.append(nodes.literal(piece, piece))
            continue
        last = 0
        for match in _EMPH.finditer(piece):
            out.append(nodes.Text(piece[last:match.start()]))
            out.append(nodes.emphasis(match.group(1), match.group(1)))
            last = match.end()
        out.append(nodes.Text(piece[last:]))
    return [node for node in out if not (isinstance(node, nodes.Text) and not str(node))]


def para(*children: nodes.Node | str, classes: list[str] | None = None) -> nodes.paragraph:
    p = nodes.paragraph(classes=classes or [])
    for child in children:
        p += nodes.Text(child) if isinstance(child, str) else child
    return p


def cell(*children: nodes.Node, classes: list[str] | None = None) -> nodes.entry:
    entry = nodes.entry(classes=classes or [])
    for child in children:
        entry += child
    return entry


def badge(text: str, kind: str) -> nodes.inline:
    return nodes.inline(text, text, classes=["badge", f"badge-{kind}"])


# -- catalogue tables ------------------------------------------------------------------


class _CatalogueDirective(SphinxDirective):
    required_arguments = 0
    option_spec: ClassVar[dict[str, Any]] = {"section": directives.unchanged_required}

    def entries(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        self.env.note_dependency(str(CATALOGUE))
        data = load_catalogue()
        section = self.options.get("section")
        if section not in SECTIONS:
            raise self.error(f"unknown :section: {section!r}; sections are {list(SECTIONS)}")
        chosen = [e for e in data["entries"] if e["section"] == section]
        if not chosen:
            raise self.error(f"the catalogue has no entries in section {section!r}")
        return data, chosen


class BehaviourCatalogue(_CatalogueDirective):
    """One row per entry: ID (a link target), the behaviour, its versions, its sources."""

    def run(self) -> list[nodes.Node]:

        self.env.note_dependency(__file__)  # a change to this generator re-renders the page
        _, chosen = self.entries()
        models = load_model().by_id()
        std = self.env.get_domain("std")
        rows = []
        for entry in chosen:
            node_id = make_id(self.env, self.state.document, "behaviour", entry["id"])
            target = nodes.target("", "", ids=[node_id])
            self.state.document.note_explicit_target(target)
            std.note_object("behaviour", entry["id"], node_id, location=(self.env.docname, self.lineno))
            ident = para(nodes.strong(entry["id"], entry["id"]))
            marks = para(classes=["catalogue-badges"])
            marks += badge("documented", "doc") if entry.get("documented") else badge("undocumented", "undoc")
            if entry.get("disagreements"):
                marks += nodes.Text(" ")
                marks += badge("docs disagree", "disagree")
            what = [para(nodes.strong(entry["title"], entry["title"]), classes=["catalogue-title"]),
                    para(*inline(entry["summary"]))]
            for item in entry.get("disagreements", []):
                box = nodes.container(classes=["catalogue-disagreement"])
                box += para(nodes.strong(text=f"Docs and behaviour disagree ({item['versions']}). "),
                            nodes.emphasis(text="The docs say: "), *inline(item["doc_says"]))
                box += para(nodes.emphasis(text="What runs: "), *inline(item["behaviour"]))
                box += para(nodes.emphasis(text="Evidence: "), *inline(item["evidence"]),
                            classes=["catalogue-evidence"])
                what.append(box)
            for label, span in (("Not known whether the docs state it", models[entry["id"]].doc),
                                ("Not known whether it behaves so", models[entry["id"]].implemented)):
                for item in span.unknown:
                    what.append(para(nodes.emphasis(text=f"{label} in {item.versions.text()}: "),
                                     *inline(item.because), classes=["catalogue-unknown"]))
            if entry.get("sources"):
                what.append(para("Sources: " + ", ".join(entry["sources"]), classes=["catalogue-sources"]))
            model = models[entry["id"]]
            spans = []
            for label, span in (("docs: ", model.doc), ("runs: ", model.implemented)):
                spans.append(para(nodes.emphasis(text=label), span_text(span)))
                if span.unknown:
                    spans.append(para(nodes.emphasis(text="not known: "), unknown_text(span),
                                      classes=["catalogue-unknown"]))
            row_classes = ["catalogue-row"] + (["has-disagreement"] if entry.get("disagreements") else [])
            rows.append((row_classes, [cell(target, ident, marks), cell(*what), cell(*spans)]))
        return [table(["ID", "behaviour", "versions"], rows, ["behaviour-catalogue"], [12, 70, 18])]


class BehaviourVersions(_CatalogueDirective):
    """The per-version grid of one section, with notes for point releases and unknown versions."""

    def run(self) -> list[nodes.Node]:

        self.env.note_dependency(__file__)  # a change to this generator re-renders the page
        data, chosen = self.entries()
        models = load_model().by_id()
        versions: list[str] = data["versions"]
        executable = set(data.get("executable_here", []))
        rows, partial, unknown = [], [], []
        for entry in chosen:
            model = models[entry["id"]]
            disagree = model.disagreement_versions()
            cells = [cell(para(behaviour_ref(entry["id"])))]
            for version in versions:
                symbol, classes = grid_cell(model, version, version in executable,
                                            entry.get("observed", {}).get(version))
                if disagree.coverage(version) != "none":
                    classes.append("v-disagree")
                    symbol = "!" + symbol
                cells.append(cell(para(symbol), classes=classes))
                state = model.implemented.state(version)
                if state in ("part", "part-unknown"):
                    partial.append((entry["id"], version, model.implemented.versions.part_text(version)))
                if state in ("unknown", "part-unknown"):
                    unknown.append((entry["id"], version, model.implemented.why_unknown(version)))
            rows.append((["versions-row"], cells))
        headers = ["ID", *[v if v in executable else f"{v}\u00b0" for v in versions]]
        out: list[nodes.Node] = [table(headers, rows, ["behaviour-versions"], [8] + [3] * len(versions))]
        if partial:
            out.append(notes_list("Within a version (a change landed in a point release):",
                                  [(bid, f"{version}: {text}") for bid, version, text in partial],
                                  "versions-partial"))
        if unknown:
            out.append(notes_list("Not known (no interpreter, source or document settles it):",
                                  merge_unknown(unknown), "versions-unknown"))
        return out


def grid_cell(model: catalogue_model.Entry, version: str, executable: bool,
              observed: str | None) -> tuple[str, list[str]]:
    """The symbol and CSS classes of one (entry, version) cell of the grid."""
    classes = ["v-cell"]
    doc = model.doc.state(version)
    if doc == "holds":
        classes.append("v-doc")
    elif doc in ("part", "part-unknown"):
        classes.append("v-doc-part")
    state = model.implemented.state(version)
    if executable:
        symbol, kind = observed_mark(observed)
        if state in ("part", "part-unknown"):
            symbol += "\u00bd"  # the point release run here holds; earlier ones of this version did not
    elif state == "holds":
        symbol, kind = "\u00b7", "v-source"
    elif state == "part":
        symbol, kind = "\u00bd", "v-part"
    elif state == "part-unknown":
        symbol, kind = "\u00bd?", "v-part"
    elif state == "unknown":
        symbol, kind = "?", "v-unknown"
    else:
        symbol, kind = "", "v-none"
    classes.append(kind)
    return symbol, classes


def merge_unknown(items: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """``[(id, version, why)]`` -> one line per (id, why): ``("RM-18", "2.6, 3.0: why")``."""
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for bid, version, why in items:
        grouped[(bid, why)].append(version)
    return [(bid, f"{', '.join(vs)}: {why}") for (bid, why), vs in grouped.items()]


def notes_list(title: str, items: list[tuple[str, str]], css: str) -> nodes.container:
    """A titled bullet list under a grid: ``ID: text`` per item."""
    box = nodes.container(classes=[css])
    box["support_smartquotes"] = False  # the notes quote Python values: rpartition('.') stays pasteable
    box += para(nodes.emphasis(text=title))
    bullets = nodes.bullet_list()
    for bid, text in items:
        item = nodes.list_item()
        item += para(behaviour_ref(bid), nodes.Text(" "), *inline(text))
        bullets += item
    box += bullets
    return box


def observed_mark(text: str | None) -> tuple[str, str]:
    """The grid symbol and CSS class for one ``observed`` value."""
    if text is None:
        return "", "v-none"
    if text.startswith("holds"):
        return ("\u2713*" if "(" in text else "\u2713"), "v-holds"
    if text.startswith("differs"):
        return "\u2260", "v-differs"
    if text.startswith("untested"):
        return "\u2218", "v-untested"
    return "\u2013", "v-na"


class BehaviourTimeline(SphinxDirective):
    """Version by version: which entries start, stop, are not known, or have docs that disagree."""

    def run(self) -> list[nodes.Node]:

        self.env.note_dependency(__file__)  # a change to this generator re-renders the page
        self.env.note_dependency(str(CATALOGUE))
        cat = load_model()
        columns = timeline_columns(cat)
        rows = []
        for version in cat.versions:
            def refs(ids: list[str]) -> nodes.paragraph:
                p = para()
                for number, item in enumerate(ids):
                    bid, _, rest = item.partition(" ")
                    if number:
                        p += nodes.Text(", ")
                    p += behaviour_ref(bid)
                    if rest:
                        p += nodes.Text(" " + rest)
                return p
            mark = "" if version in cat.executable_here else "\u00b0"
            got = columns[version]
            rows.append(([f"timeline-{version.replace('.', '-')}"], [
                cell(para(nodes.strong(text=version + mark))),
                cell(refs(got["starts"])),
                cell(refs(got["documented"])),
                cell(refs(got["ends"])),
                cell(refs(got["unknown"]), classes=["v-unknown"] if got["unknown"] else []),
                cell(refs(got["disagree"]), classes=["v-disagree"] if got["disagree"] else []),
            ]))
        return [table(["version", "starts to run", "first documented", "last version", "not known",
                       "docs disagree"], rows, ["behaviour-timeline"], [8, 22, 20, 18, 14, 18])]


def timeline_columns(cat: catalogue_model.Catalogue) -> dict[str, dict[str, list[str]]]:
    """Per feature version: the entries that start, are first documented, end, are unknown, disagree.

    A version's predecessor is the one it grew from (3.0 from 2.6), so
    ``"2.7, 3.1+"`` starts twice, in 2.7 and in 3.1, and ``"2.5, 2.6, 3.0,
    3.1"`` ends twice, after 2.6 and after 3.1.  A start or end inside a
    version names its point release: ``RM-25 (from 3.5.2)``.
    """
    out: dict[str, dict[str, list[str]]] = {
        v: {"starts": [], "documented": [], "ends": [], "unknown": [], "disagree": []} for v in cat.versions
    }
    first = cat.versions[0]
    for entry in cat.entries:
        runs, docs = entry.implemented, entry.doc
        disagree = entry.disagreement_versions()
        for version in cat.versions:
            got = out[version]
            if version != first and starts(runs, version):
                got["starts"].append(entry.id + point_note(runs, version))
            if starts(docs, version):
                got["documented"].append(entry.id + point_note(docs, version))
            for span, label in ((runs, "runs"), (docs, "docs")):
                if ends(span, version):
                    got["ends"].append(f"{entry.id} ({label})")
            if runs.unknown_versions.coverage(version) != "none":
                got["unknown"].append(entry.id)
            if disagree.coverage(version) != "none":
                got["disagree"].append(entry.id)
    return out


# -- the conformance matrix ---------------------------------------------------------------


_RESULTS_CACHE: dict[str, tuple[dict[str, Any], str]] = {}


def _results_from_env(directive: SphinxDirective) -> tuple[dict[str, Any], str]:
    """The results to render; a build-time run happens at most once per build process."""
    key = os.environ.get(RESULTS_ENV, "")
    if key not in _RESULTS_CACHE:
        _RESULTS_CACHE[key] = _load_results(directive)
    else:
        _note_result_dependencies(directive)
    return _RESULTS_CACHE[key]


def _note_result_dependencies(directive: SphinxDirective) -> None:
    path = os.environ.get(RESULTS_ENV)
    if path:
        directive.env.note_dependency(str(Path(path).resolve()))
        return
    for pattern in ("runpy_ref/*.py", "conformance/harness/*.py", "conformance/cases/**/*.json",
                    "conformance/expectations/*"):
        for dep in sorted(ROOT.glob(pattern)):
            directive.env.note_dependency(str(dep))


def _load_results(directive: SphinxDirective) -> tuple[dict[str, Any], str]:
    _note_result_dependencies(directive)
    path = os.environ.get(RESULTS_ENV)
    if path:
        file = Path(path)
        if not file.exists():
            raise ConformanceError(f"{RESULTS_ENV}={path}: no such file")
        return json.loads(file.read_text(encoding="utf-8")), f"the results file {file.name} ({RESULTS_ENV})"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "results.json"
        command = [sys.executable, "-m", "conformance", "run", "--with-runpy-ref",
                   "--no-documented-versions", "--format", "json", "--output", str(out)]
        proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1800)
        if not out.exists():
            raise ConformanceError(
                f"`{' '.join(command[1:])}` wrote no results (status {proc.returncode}):\n{proc.stderr}"
            )
        logger.info("conformance matrix: %s", proc.stderr.strip())
        version = "%d.%d.%d" % sys.version_info[:3]
        return json.loads(out.read_text(encoding="utf-8")), \
            f"a run of the suite during this build (Python {version}: runpy and runpy_ref)"


def worst(statuses: list[str]) -> str:
    known = [s for s in statuses if s in SEVERITY]
    return min(known, key=SEVERITY.index) if known else "N/A"


def status_cell(statuses: list[str]) -> nodes.entry:
    if not statuses:
        return cell(para("\u2014"), classes=["st-none"])
    status = worst(statuses)
    text = status if len(statuses) == 1 else f"{status} ({len(statuses)})"
    return cell(para(text), classes=[f"st-{status.replace('/', '').lower()}"])


class ConformanceMatrix(SphinxDirective):
    """Summary, behaviour x implementation matrix, and the cells that did not pass."""

    option_spec: ClassVar[dict[str, Any]] = {"view": directives.unchanged}

    def run(self) -> list[nodes.Node]:

        self.env.note_dependency(__file__)  # a change to this generator re-renders the page
        view = self.options.get("view", "all")
        results, origin = _results_from_env(self)
        self.env.note_dependency(str(CATALOGUE))
        records = results.get("records", [])
        live = [r for r in records if r.get("executable_here", True)]
        columns = list(dict.fromkeys(r["implementation"] for r in live))
        out: list[nodes.Node] = []
        if view in ("all", "summary"):
            out.append(para(f"Source: {origin}; {len(live)} cells, {len({r['case'] for r in live})} cases, "
                            f"{len(columns)} implementations.", classes=["matrix-origin"]))
            out.append(self._summary(live, columns))
        if view in ("all", "behaviours"):
            out.extend(self._behaviours(live, columns))
        if view in ("all", "failures"):
            out.append(self._failures(live))
        return out

    def _summary(self, live: list[dict[str, Any]], columns: list[str]) -> nodes.table:
        statuses = [s for s in SEVERITY if any(r["status"] == s for r in live)]
        rows = []
        for column in columns:
            counts = Counter(r["status"] for r in live if r["implementation"] == column)
            rows.append(([], [cell(para(nodes.literal(text=column)))] +
                         [cell(para(str(counts.get(s, 0))),
                               classes=[f"st-{s.replace('/', '').lower()}"] if counts.get(s) else [])
                          for s in statuses]))
        return table(["implementation", *statuses], rows, ["conformance-summary"],
                     [30] + [8] * len(statuses))

    def _behaviours(self, live: list[dict[str, Any]], columns: list[str]) -> list[nodes.Node]:
        by: dict[tuple[str, str], list[str]] = defaultdict(list)
        for record in live:
            for bid in record.get("behaviours", []):
                by[(bid, record["implementation"])].append(record["status"])
        catalogue = load_catalogue()["entries"]
        out: list[nodes.Node] = []
        idle = [c for c in columns if all(r["status"] == "N/A" for r in live if r["implementation"] == c)]
        if idle:
            out.append(para("Implementations for which every case is N/A (they cannot run on that "
                             "interpreter) are left out of these tables: " + ", ".join(idle) + ".",
                             classes=["matrix-origin"]))
            columns = [c for c in columns if c not in idle]
        for section, title in SECTIONS.items():
            rows = []
            for entry in (e for e in catalogue if e["section"] == section):
                cells = [cell(para(behaviour_ref(entry["id"])))]
                cells.append(cell(para(*inline(entry["title"])), classes=["matrix-title"]))
                cells += [status_cell(by.get((entry["id"], column), [])) for column in columns]
                rows.append(([], cells))
            out.append(nodes.rubric(text=title))
            out.append(table(["ID", "behaviour", *columns], rows, ["conformance-matrix"],
                             [8, 40] + [12] * len(columns)))
        return out

    def _failures(self, live: list[dict[str, Any]]) -> nodes.Node:
        bad = [r for r in live if r["status"] not in ("PASS", "N/A", "SKIP", "UNKNOWN")]
        if not bad:
            return para("Every cell that could run passed.", classes=["matrix-allpass"])
        rows = []
        for record in bad:
            rows.append(([], [
                cell(para(nodes.literal(text=record["case"]))),
                cell(para(nodes.literal(text=record["implementation"]))),
                status_cell([record["status"]]),
                cell(para(record.get("reason", ""))),
            ]))
        return table(["case", "implementation", "status", "reason"], rows, ["conformance-failures"],
                     [25, 25, 10, 40])


# -- the timeline graphic ----------------------------------------------------------------------


class timeline_graphic(nodes.General, nodes.Element):
    """Placeholder: replaced by an inline SVG once every catalogue ID has a page."""


class BehaviourTimelineGraphic(SphinxDirective):
    """A Gantt-style chart: for each entry that changed, when it ran, when it was documented."""

    def run(self) -> list[nodes.Node]:

        self.env.note_dependency(__file__)  # a change to this generator re-renders the page
        self.env.note_dependency(str(CATALOGUE))
        return [timeline_graphic()]


def changed(entry: catalogue_model.Entry, versions: list[str]) -> bool:
    """Entries worth a row: they do not hold (or are not documented) everywhere, or have unknowns."""
    everywhere = parse(f"{versions[0]}+")
    runs, docs = entry.implemented, entry.doc
    return bool((everywhere - runs.versions) or runs.unknown or docs.unknown
                or (docs.versions and everywhere - docs.versions) or entry.data.get("disagreements"))


def bar_runs(span: Span, versions: list[str]) -> list[tuple[str, str, str]]:
    """``[(first, last, kind)]``: neighbouring versions in one state; kind "holds", "part" or "unknown".

    A version that holds only from (or up to) a point release is a bar of its
    own, so the chart shows where inside the range the change landed.
    """
    kinds = {"holds": "holds", "part": "part", "part-unknown": "part", "unknown": "unknown"}
    bars: list[tuple[str, str, str]] = []
    for number, version in enumerate(versions):
        kind = kinds.get(span.state(version))
        if kind is None:
            continue
        if bars and bars[-1][2] == kind != "part" and bars[-1][1] == versions[number - 1]:
            bars[-1] = (bars[-1][0], version, kind)
        else:
            bars.append((version, version, kind))
    return bars


SOURCE_KINDS: tuple[tuple[str, str, str], ...] = (
    ("D", r"D\d[\d.]*[pt]?", "the runpy page of that version's documentation (p: a partial copy; "
                             "2.7t: the 2009 trunk text)"),
    ("CL", r"CL\d[\d.]*", "the documentation's \"Command line and environment\" page"),
    ("WN", r"WN\d[\d.]*", "What's New in that version"),
    ("NEWS", r"NEWS .*", "the changelog (Misc/NEWS)"),
    ("REF", r"REF-(import|exec)", "the language reference (the import system; the execution model)"),
    ("SYS", r"SYS-doc", "the library page for sys"),
    ("PEP", r"PEP \d+", "a Python Enhancement Proposal"),
    ("S", r"S\d[\d.]*a?", "Lib/runpy.py of that version (the source)"),
    ("T", r"T\d[\d.]*", "Lib/test/test_runpy.py of that version"),
    ("TC", r"TC\d[\d.]*", "Lib/test/test_cmd_line_script.py of that version"),
    ("commit", r"python-checkins .*|gh-\d+.*", "a commit mail or a CPython issue, to date a change"),
    ("OBS", r"OBS.*", "observed by running the interpreters on this machine"),
)
"""Code shown in the timeline, pattern of the catalogue's source IDs it stands for, meaning (the legend)."""


def source_kinds(sources: list[str]) -> list[str]:
    """The kinds of a list of source IDs, in legend order: ``['D2.7', 'S3.13', 'OBS'] -> ['D', 'S', 'OBS']``.

    A source ID no kind matches is an error: the legend would not explain it.
    """
    found = set()
    for source in sources:
        kind = next((code for code, pattern, _ in SOURCE_KINDS if re.fullmatch(pattern, source)), None)
        if kind is None:
            raise ConformanceError(f"source {source!r} matches no kind of SOURCE_KINDS; add one")
        found.add(kind)
    return [code for code, _, _ in SOURCE_KINDS if code in found]


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis if cut."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 1)
    return text[:cut if cut > limit // 2 else limit - 1].rstrip(" ,;:") + "\u2026"


def timeline_svg(cat: catalogue_model.Catalogue, href: Any) -> str:
    """The chart as SVG text; ``href(id)`` gives the link of an entry, or None."""
    from html import escape

    versions = cat.versions
    executable = set(cat.executable_here)
    label_w, col_w, row_h, top, title_chars, kinds_w = 270, 36, 16, 34, 46, 132
    index = {v: i for i, v in enumerate(versions)}

    def x(version: str) -> float:
        return label_w + index[version] * col_w

    rows: list[str] = []
    y = top
    for section, title in SECTIONS.items():
        chosen = [e for e in cat.entries if e.section == section and changed(e, versions)]
        if not chosen:
            continue
        rows.append(f'<text class="tl-section" x="0" y="{y + 12}">{escape(title)}</text>')
        y += row_h + 2
        for entry in chosen:
            bid = escape(entry.id)
            tip = (f"<title>{bid}: {escape(entry.title)} (runs: {escape(span_text(entry.implemented))}"
                   f"; docs: {escape(span_text(entry.doc))}; sources: "
                   f"{escape(', '.join(entry.data.get('sources', [])))})</title>")
            link = href(entry.id)
            label = (f'<text class="tl-label" x="0" y="{y + 11}">{bid}'
                     f'<tspan class="tl-title" x="50">{escape(shorten(entry.title, title_chars))}</tspan></text>')
            if link:
                label = f'<a href="{escape(link)}">{label}</a>'
            kinds = " ".join(source_kinds(entry.data.get("sources", [])))
            parts = [label, f'<text class="tl-kinds" x="{label_w + len(versions) * col_w + 8}" y="{y + 11}">'
                            f'{escape(kinds)}</text>']
            for span, cls, dy, h in ((entry.implemented, "tl-runs", 6, 8), (entry.doc, "tl-docs", 2, 3)):
                for since, until, kind in bar_runs(span, versions):
                    width = x(until) + col_w - x(since) - 2
                    extra = {"holds": "", "part": " tl-part", "unknown": " tl-unknown"}[kind]
                    parts.append(f'<rect class="{cls}{extra}" x="{x(since) + 1}" y="{y + dy}" '
                                 f'width="{width}" height="{h}" rx="2"/>')
            for version in entry.disagreement_versions().features(versions):
                centre = x(version) + col_w / 2
                parts.append(f'<circle class="tl-disagree" cx="{centre}" cy="{y + 10}" r="4"/>')
            rows.append(f'<g class="tl-row">{tip}{"".join(parts)}</g>')
            y += row_h
        y += 6
    header = []
    for version in versions:
        cls = "tl-version" if version in executable else "tl-version tl-doc-only"
        mark = "" if version in executable else "\u00b0"
        header.append(f'<text class="{cls}" x="{x(version) + col_w / 2}" y="14" text-anchor="middle">'
                      f'{version}{mark}</text>')
        header.append(f'<line class="tl-grid" x1="{x(version)}" y1="20" x2="{x(version)}" y2="{y}"/>')
    header.append(f'<text class="tl-version tl-kinds-head" x="{label_w + len(versions) * col_w + 8}" y="14">'
                  f'sources</text>')
    legend_y = y + 14
    legend = (
        f'<rect class="tl-runs" x="{label_w}" y="{legend_y}" width="28" height="8" rx="2"/>'
        f'<text class="tl-legend" x="{label_w + 34}" y="{legend_y + 8}">behaves so</text>'
        f'<rect class="tl-runs tl-part" x="{label_w + 110}" y="{legend_y}" width="28" height="8" rx="2"/>'
        f'<text class="tl-legend" x="{label_w + 144}" y="{legend_y + 8}">from/up to a point release</text>'
        f'<rect class="tl-runs tl-unknown" x="{label_w + 300}" y="{legend_y}" width="28" height="8" rx="2"/>'
        f'<text class="tl-legend" x="{label_w + 334}" y="{legend_y + 8}">not known</text>'
        f'<rect class="tl-docs" x="{label_w}" y="{legend_y + 16}" width="28" height="3" rx="1"/>'
        f'<text class="tl-legend" x="{label_w + 34}" y="{legend_y + 22}">documented</text>'
        f'<circle class="tl-disagree" cx="{label_w + 124}" cy="{legend_y + 18}" r="4"/>'
        f'<text class="tl-legend" x="{label_w + 134}" y="{legend_y + 22}">docs and behaviour disagree</text>'
        f'<text class="tl-legend" x="{label_w + 334}" y="{legend_y + 22}">\u00b0 no interpreter here</text>'
    )
    width = label_w + len(versions) * col_w + kinds_w
    height = legend_y + 34
    return (f'<div class="behaviour-timeline-graphic"><svg xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="0 0 {width} {height}" width="100%" role="img" '
            f'aria-label="When each changing runpy behaviour ran and was documented, 2.5 to 3.13; '
            f'the table below gives the same data in words">'
            f'{"".join(header)}{"".join(rows)}{legend}</svg>{sources_legend(cat)}</div>')


def sources_legend(cat: catalogue_model.Catalogue) -> str:
    """The codes of the "sources" column, each with its meaning; only the kinds the catalogue uses."""
    from html import escape

    used = set(source_kinds([s for e in cat.entries for s in e.data.get("sources", [])]))
    items = "".join(f"<dt><code>{escape(code)}</code></dt><dd>{escape(meaning)}</dd>"
                    for code, _, meaning in SOURCE_KINDS if code in used)
    return (f'<p class="tl-sources-title">Sources (the right-hand column: what each entry rests on)</p>'
            f'<dl class="tl-sources">{items}</dl>')


def _render_graphics(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    graphics = list(doctree.findall(timeline_graphic))
    if not graphics:
        return
    std = app.env.get_domain("std")

    def href(bid: str) -> str | None:
        found = std.objects.get(("behaviour", bid))
        if found is None:
            return None
        target_doc, node_id = found[0], found[1]
        return app.builder.get_relative_uri(docname, target_doc) + "#" + node_id

    for node in graphics:
        if app.builder.format == "html":
            node.replace_self(nodes.raw("", timeline_svg(load_model(), href), format="html"))
        else:
            node.parent.remove(node)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("runpy_docs_trace")
    app.add_directive("behaviour-catalogue", BehaviourCatalogue)
    app.add_directive("behaviour-versions", BehaviourVersions)
    app.add_directive("behaviour-timeline", BehaviourTimeline)
    app.add_directive("conformance-matrix", ConformanceMatrix)
    app.add_directive("behaviour-timeline-graphic", BehaviourTimelineGraphic)
    app.add_node(timeline_graphic)
    app.connect("doctree-resolved", _render_graphics)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
