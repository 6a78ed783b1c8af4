"""The ``pipeline-figure`` directive: the six stages in the order each entry point runs them.

The figure is drawn at build time from :data:`LANES`, a table of steps and
edges, not from a hand-drawn image, so a change to the pipeline's order is a
change to one list here, reviewed like code.  Each lane is one entry point
(``run_module``, ``python -m``, ``run_path`` of a directory), drawn top to
bottom as its own small inline SVG:

* a box per step, coloured by its stage and linked to the stage's chapter;
* ``next`` edges between consecutive steps (implied by the order);
* ``loop`` edges, on the right, for the package redirect: ``pick_main``
  hands back a package's ``__main__`` and the lookup goes round again
  (``_get_module_details`` in ``runpy_ref/pipeline.py``);
* ``finally`` brackets, on the left, from a ``sys`` change to the restore
  that undoes it whatever happened in between;
* ``round`` bands behind the steps of one round (``run_path`` of a
  directory works in two).

Colours are the theme's (``currentColor`` and furo's CSS variables), so the
figure reads in dark mode; each lane has a ``viewBox`` and scales, and the
lanes wrap one under the other on a narrow screen.  The same table is written
out as text below the figure (its text alternative), and each SVG carries a
title and a description.
"""

from __future__ import annotations

from html import escape
from typing import Any, NamedTuple

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective


class Step(NamedTuple):
    key: str  # unique in its lane; edges name steps by it
    stage: str  # one of runpy_ref.trace.STAGES; "run" for the interpreter's own part
    label: str  # what the box says under the stage name
    words: str  # the step in a sentence, for the text alternative


class Edge(NamedTuple):
    kind: str  # "loop", "finally" or "round"
    start: str
    end: str
    label: str


class Lane(NamedTuple):
    key: str
    title: str
    source: str  # where to read it
    steps: tuple[Step, ...]
    edges: tuple[Edge, ...]


LANES: tuple[Lane, ...] = (
    Lane("run_module", "run_module(name)", "run_module in runpy_ref/pipeline.py", (
        Step("find", "find_spec", "where is it?", "find_spec asks the import system where the module is."),
        Step("pick", "pick_main", "package? its __main__",
             "pick_main loads the module's code; for a package it names the package's __main__ instead."),
        Step("globals", "build_globals", "__name__, __spec__ ...",
             "build_globals decides the special globals."),
        Step("alter", "alter_sys", "argv[0], sys.modules",
             "alter_sys (only with alter_sys=True) points sys.argv[0] and sys.modules[run_name] at the run."),
        Step("exec", "exec", "run the code", "exec runs the code in its namespace."),
        Step("restore", "restore", "put sys back", "restore puts sys.argv[0] and sys.modules back."),
    ), (
        Edge("loop", "pick", "find", "package: again"),
        Edge("finally", "alter", "restore", "finally"),
    )),
    Lane("python_m", "python -m name", "run_main_program in runpy_ref/interpreter.py", (
        Step("interp", "run", "argv=['-m', ...]",
             "The interpreter sets sys.argv to ['-m', *args] and gives the program a fresh __main__ module."),
        Step("find", "find_spec", "where is it?", "find_spec looks the module up."),
        Step("pick", "pick_main", "package? its __main__",
             "pick_main loads the code; for a package it names the package's __main__ instead."),
        Step("alter", "alter_sys", "argv[0] = file, kept",
             "alter_sys sets sys.argv[0] to the module's file, for good: before the globals are built."),
        Step("globals", "build_globals", "in __main__'s dict",
             "build_globals fills the real __main__ module's namespace."),
        Step("exec", "exec", "the process is it",
             "exec runs the code; from now on the process is that module."),
        Step("exit", "run", "exit status",
             "The interpreter turns the ending into the exit status; sys.argv[0] is not restored."),
    ), (
        Edge("loop", "pick", "find", "package: again"),
    )),
    Lane("run_path", "run_path(directory)", "run_path in runpy_ref/pipeline.py", (
        Step("pick_path", "pick_main", "file or path entry?",
             "pick_main (pick_path) decides the path is a sys.path entry, not a file to read."),
        Step("path", "alter_sys", "sys.path[0] = dir",
             "alter_sys puts the directory first on sys.path, before any lookup."),
        Step("aside", "alter_sys", "__main__ moved aside",
             "alter_sys moves the caller's sys.modules['__main__'] aside so it cannot answer the lookup."),
        Step("find", "find_spec", "find '__main__'", "find_spec looks up '__main__' on the new sys.path."),
        Step("pick", "pick_main", "its code",
             "pick_main loads its code (a package __main__ would go round again)."),
        Step("back", "restore", "__main__ put back",
             "restore puts the caller's __main__ back, before any code runs."),
        Step("globals", "build_globals", "__name__ = '<run_path>'",
             "build_globals decides the special globals."),
        Step("alter", "alter_sys", "temp module, argv[0]",
             "alter_sys registers a temporary module under run_name and sets sys.argv[0] to the path."),
        Step("exec", "exec", "run the code", "exec runs the code in the temporary module."),
        Step("restore", "restore", "module, argv[0] back",
             "restore removes the temporary module and puts sys.argv[0] back."),
        Step("unpath", "restore", "sys.path entry out", "restore takes the directory off sys.path, last of all."),
    ), (
        Edge("round", "pick_path", "pick_path", "round 1"),
        Edge("round", "path", "unpath", "round 2"),
        Edge("loop", "pick", "find", "package: again"),
        Edge("finally", "aside", "back", "finally"),
        Edge("finally", "alter", "restore", "finally"),
        Edge("finally", "path", "unpath", "finally"),
    )),
)
"""The figure's data: for each entry point, its steps in order and its extra edges."""

BOX_W, BOX_H, GAP = 150, 38, 18
LEFT, RIGHT, TOP = 48, 78, 30
NEST = 13  # horizontal step between nested finally brackets


def check(lanes: tuple[Lane, ...] = LANES) -> None:
    """Every step's stage is a real stage, keys are unique, and edges name steps of their lane."""
    from runpy_ref.trace import STAGES

    for lane in lanes:
        keys = [step.key for step in lane.steps]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{lane.key}: duplicate step keys")
        for step in lane.steps:
            if step.stage not in STAGES:
                raise ValueError(f"{lane.key}: {step.stage!r} is not a stage")
        for edge in lane.edges:
            if edge.kind not in ("loop", "finally", "round") or {edge.start, edge.end} - set(keys):
                raise ValueError(f"{lane.key}: bad edge {edge}")


def _depths(lane: Lane, index: dict[str, int]) -> dict[Edge, int]:
    """Nesting level of each finally bracket: an outer bracket sits further left."""
    brackets = [e for e in lane.edges if e.kind == "finally"]
    depth = {}
    for edge in brackets:
        lo, hi = index[edge.start], index[edge.end]
        depth[edge] = sum(1 for other in brackets if other is not edge
                          and index[other.start] >= lo and index[other.end] <= hi)
    return depth


def lane_svg(lane: Lane, href: Any, uid: str) -> str:
    """One lane, top to bottom; ``href(stage)`` links a box to its chapter (or None)."""
    index = {step.key: number for number, step in enumerate(lane.steps)}

    def top(number: int) -> float:
        return TOP + number * (BOX_H + GAP)

    width = LEFT + BOX_W + RIGHT
    height = top(len(lane.steps)) - GAP + 6
    parts: list[str] = []
    for edge in lane.edges:  # bands first: they sit behind the boxes
        if edge.kind == "round":
            y0, y1 = top(index[edge.start]) - 5, top(index[edge.end]) + BOX_H + 5
            parts.append(f'<rect class="pf-round" x="{LEFT - 8}" y="{y0}" width="{BOX_W + 16}" '
                         f'height="{y1 - y0}" rx="6"/>'
                         f'<text class="pf-round-label" x="{LEFT + BOX_W + 12}" y="{y0 + 11}">'
                         f'{escape(edge.label)}</text>')
    for number, step in enumerate(lane.steps):
        y = top(number)
        box = (f'<rect class="pf-box sd-{step.stage}" x="{LEFT}" y="{y}" width="{BOX_W}" height="{BOX_H}" '
               f'rx="7"/><text class="pf-stage" x="{LEFT + BOX_W / 2}" y="{y + 15}" text-anchor="middle">'
               f'{escape("interpreter" if step.stage == "run" else step.stage)}</text>'
               f'<text class="pf-label" x="{LEFT + BOX_W / 2}" y="{y + 30}" text-anchor="middle">'
               f'{escape(step.label)}</text>')
        link = href(step.stage) if step.stage != "run" else None
        parts.append(f'<a href="{escape(link)}">{box}</a>' if link else box)
        if number < len(lane.steps) - 1:
            x, y1 = LEFT + BOX_W / 2, y + BOX_H + 1
            parts.append(f'<path class="pf-arrow" d="M{x} {y1} v{GAP - 3} l-4 -5 m4 5 l4 -5"/>')
    for edge in lane.edges:
        if edge.kind == "loop":  # from the right of the later box back up to the earlier one
            y0 = top(index[edge.start]) + BOX_H / 2
            y1 = top(index[edge.end]) + BOX_H / 2
            x0, x1 = LEFT + BOX_W + 1, LEFT + BOX_W + 26
            parts.append(f'<path class="pf-loop" d="M{x0} {y0} H{x1} V{y1} H{x0 + 2} l6 -4 m-6 4 l6 4"/>'
                         f'<text class="pf-edge-label" x="{x1 + 4}" y="{(y0 + y1) / 2 - 2}">'
                         f'{escape(edge.label.split(":")[0])}:</text>'
                         f'<text class="pf-edge-label" x="{x1 + 4}" y="{(y0 + y1) / 2 + 10}">'
                         f'{escape(edge.label.split(":")[-1].strip())}</text>')
    for edge, depth in _depths(lane, index).items():
        x = LEFT - 10 - depth * NEST
        y0 = top(index[edge.start]) + BOX_H / 2
        y1 = top(index[edge.end]) + BOX_H / 2
        parts.append(f'<path class="pf-finally" d="M{LEFT - 1} {y0} H{x} V{y1} H{LEFT - 3} l-6 -4 m6 4 l-6 4"/>')
        parts.append(f'<text class="pf-edge-label" transform="translate({x - 3} {(y0 + y1) / 2}) rotate(-90)" '
                     f'text-anchor="middle">{escape(edge.label)}</text>')
    words = " ".join(f"{n + 1}. {s.words}" for n, s in enumerate(lane.steps))
    return (f'<figure class="pf-lane pf-{lane.key}"><svg xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="0 0 {width} {height}" width="100%" role="img" aria-labelledby="{uid}-t {uid}-d">'
            f'<title id="{uid}-t">{escape(lane.title)}</title><desc id="{uid}-d">{escape(words)}</desc>'
            f'<text class="pf-title" x="{LEFT + BOX_W / 2}" y="16" text-anchor="middle">{escape(lane.title)}</text>'
            f'{"".join(parts)}</svg></figure>')


def words_html(lanes: tuple[Lane, ...]) -> str:
    """The figure as text: the steps of each lane in order, and what the arrows say."""
    out = ['<details class="pf-words"><summary>The figure in words</summary>']
    for lane in lanes:
        out.append(f"<p><strong>{escape(lane.title)}</strong> (read <code>{escape(lane.source)}</code>):</p><ol>")
        out += [f"<li>{escape(step.words)}</li>" for step in lane.steps]
        out.append("</ol>")
        named = {step.key: f"{n + 1}" for n, step in enumerate(lane.steps)}
        notes = []
        for edge in lane.edges:
            if edge.kind == "loop":
                notes.append(f"For a package, step {named[edge.start]} goes back to step {named[edge.end]} "
                             f"with the package's __main__.")
            elif edge.kind == "finally":
                notes.append(f"Step {named[edge.end]} undoes step {named[edge.start]} in a finally: it runs "
                             f"whether the steps between returned or raised.")
            elif edge.kind == "round":
                span = named[edge.start] if edge.start == edge.end else f"{named[edge.start]} to {named[edge.end]}"
                notes.append(f"{edge.label.capitalize()}: step {span}.")
        if notes:
            out.append("<p>" + " ".join(escape(n) for n in notes) + "</p>")
    out.append("</details>")
    return "".join(out)


def figure_html(href: Any, serial: int, lanes: tuple[Lane, ...] = LANES) -> str:
    lanes_svg = "".join(lane_svg(lane, href, f"pf{serial}-{lane.key}") for lane in lanes)
    return (f'<div class="pipeline-figure"><div class="pf-lanes">{lanes_svg}</div>'
            f'<p class="pf-caption">The stages in the order each entry point runs them. Boxes link to the '
            f'stage chapters; a dashed arrow on the right is the package redirect, a bracket on the left a '
            f'restore that runs in <code>finally</code>.</p>{words_html(lanes)}</div>')


class pipeline_figure(nodes.General, nodes.Element):
    """Placeholder; links are resolved per builder."""


class PipelineFigure(SphinxDirective):
    """See the module docstring."""

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(__file__)  # the data table lives here
        check()
        return [pipeline_figure()]


def _render(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    def href(stage: str) -> str | None:
        target = f"explanation/stages/{stage}"
        return app.builder.get_relative_uri(docname, target) if target in app.env.all_docs else None

    for serial, node in enumerate(list(doctree.findall(pipeline_figure))):
        if app.builder.format == "html":
            node.replace_self(nodes.raw("", figure_html(href, serial), format="html"))
        else:
            node.replace_self(nodes.paragraph(text=" ".join(s.words for lane in LANES for s in lane.steps)))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("pipeline-figure", PipelineFigure)
    app.add_node(pipeline_figure)
    app.connect("doctree-resolved", _render)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
