"""Reference tables generated from the code: trace events, profiles, CLI help.

* ``trace-envelope`` - the fields of the header, of every event and of the
  footer, read from the schema in force (``runpy_ref/schema/trace-2.schema.json``);
* ``trace-events`` - every event name of :data:`runpy_ref.trace.EVENTS`, its
  stage, the decision record that produces it, the data keys, and the
  catalogue entries the record cites;
* ``profile-table`` - :data:`runpy_ref.profiles.PROFILES`, one column per
  version, rows whose value changes between versions marked;
* ``python-text`` - the value of a string attribute (``runpy_ref.cli.HELP``)
  as a literal block, so the CLI reference is the program's own help text.
"""

from __future__ import annotations

import importlib
import inspect
import json
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from runpy_docs_catalogue import cell, para
from runpy_docs_trace import behaviour_ref, table
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGE = ROOT / "runpy_ref"
SCHEMA_DIR = PACKAGE / "schema"


def schema_path(version: int | None = None) -> Path:
    """The schema file of ``version``; by default the one the tracer writes (``SCHEMA_VERSION``)."""
    if version is None:
        from runpy_ref.trace import SCHEMA_VERSION

        version = SCHEMA_VERSION
    return SCHEMA_DIR / f"trace-{version}.schema.json"


def py_ref(target: str, text: str | None = None, reftype: str = "class") -> pending_xref:
    ref = pending_xref("", refdomain="py", reftype=reftype, reftarget=target, refexplicit=text is not None)
    ref += nodes.literal(text or target, text or target, classes=["xref", "py", f"py-{reftype}"])
    return ref


def _first_line(doc: str | None) -> str:
    return (doc or "").strip().split("\n\n")[0].replace("\n", " ")


_RST_LITERAL = re.compile(r"``(.+?)``")


def rst_inline(text: str) -> list[nodes.Node]:
    """The first paragraph of a docstring: reST ````code```` becomes a literal, the rest text."""
    out: list[nodes.Node] = []
    for number, piece in enumerate(_RST_LITERAL.split(text)):
        if number % 2:
            out.append(nodes.literal(piece, piece))
        elif piece:
            out.append(nodes.Text(piece))
    return out


class TraceEnvelope(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(__file__)  # a change to this generator re-renders the page
        path = schema_path()
        self.env.note_dependency(str(path))
        schema = json.loads(path.read_text(encoding="utf-8"))
        rows = []
        for kind in ("header", "event", "footer"):
            spec = schema["$defs"].get(kind)
            if spec is None:  # version 1 had no footer
                continue
            required = set(spec.get("required", []))
            for name, prop in spec["properties"].items():
                kind_text = prop.get("type") or ("one of: " + ", ".join(prop["enum"]) if "enum" in prop else
                                                 f"always {json.dumps(prop['const'])}" if "const" in prop else "object")
                if isinstance(kind_text, list):
                    kind_text = " or ".join(kind_text)
                rows.append(([], [
                    cell(para(kind)),
                    cell(para(nodes.literal(text=name))),
                    cell(para("yes" if name in required else "no")),
                    cell(para(str(kind_text))),
                    cell(para(prop.get("description", ""))),
                ]))
        return [table(["record", "field", "required", "type", "meaning"], rows, ["trace-envelope"],
                      [8, 14, 8, 25, 45])]


def _record_classes() -> dict[str, type]:
    records = importlib.import_module("runpy_ref.records")
    found = {}
    for _, cls in inspect.getmembers(records, inspect.isclass):
        if cls.__module__ == records.__name__ and getattr(cls, "EVENT", ""):
            found[cls.EVENT] = cls
    return found


_PAYLOAD_KEY = re.compile(r'"(\w+)":')


def data_keys(cls: type) -> list[str]:
    """The keys of an event's ``data``: the fields not marked ``UNTRACED``, or what ``payload`` returns.

    A record that overrides ``payload`` (to describe a live object by a few
    plain fields) lists its keys in a dict display; they are read from its
    source, so this table cannot fall behind the code.
    """
    from runpy_ref.records import Record

    if cls.payload is not Record.payload:
        return _PAYLOAD_KEY.findall(inspect.getsource(cls.payload))
    return [name for name in field_names(cls) if name not in cls.UNTRACED]


def field_names(cls: type) -> list[str]:
    """A value class's fields, in order (``FIELDS``: its annotated class attributes, inherited first)."""
    return list(cls.FIELDS)


class TraceEvents(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(__file__)  # a change to this generator re-renders the page
        from runpy_ref.trace import EVENTS

        for path in (PACKAGE / "records.py", PACKAGE / "trace" / "events.py"):
            self.env.note_dependency(str(path))
        classes = _record_classes()
        rows = []
        for event, stage in EVENTS.items():
            cls = classes.get(event)
            if cls is None:
                raise self.error(f"no decision record in runpy_ref.records emits {event!r}")
            ids = para()
            for number, bid in enumerate(getattr(cls, "BEHAVIOURS", ())):
                if number:
                    ids += nodes.Text(" ")
                ids += behaviour_ref(bid)
            if not getattr(cls, "BEHAVIOURS", ()):
                ids += nodes.Text("by content")
            keys = para()
            for number, key in enumerate(data_keys(cls)):
                if number:
                    keys += nodes.Text(", ")
                keys += nodes.literal(text=key)
            rows.append(([], [
                cell(para(nodes.literal(text=event))),
                cell(para("the stage that failed" if stage == "*" else stage)),
                cell(para(py_ref(f"runpy_ref.records.{cls.__name__}", cls.__name__)),
                     para(*rst_inline(_first_line(cls.__doc__)))),
                cell(keys),
                cell(ids),
            ]))
        return [table(["event", "stage", "decision record", "data keys", "catalogue"], rows,
                      ["trace-events"], [16, 12, 38, 20, 14])]


class ProfileTable(SphinxDirective):
    """Flags x versions; a flag with one value everywhere gets one wide cell, changes are marked."""

    def run(self) -> list[nodes.Node]:

        self.env.note_dependency(__file__)  # a change to this generator re-renders the page
        from sphinx.pycode import ModuleAnalyzer

        from runpy_ref.profiles import PROFILES, Profile

        self.env.note_dependency(str(PACKAGE / "profiles.py"))
        docs = ModuleAnalyzer.for_module("runpy_ref.profiles").find_attr_docs()
        versions = list(PROFILES)
        rows = []
        for name in field_names(Profile):
            if name == "version":
                continue
            values = [getattr(PROFILES[v], name) for v in versions]
            meaning = " ".join(docs.get(("Profile", name), [])).strip()
            flag = cell(para(py_ref(f"runpy_ref.profiles.Profile.{name}", name, "attr")),
                        para(*rst_inline(meaning), classes=["profile-meaning"]))
            shown = [self._value(v) for v in values]
            if len({json.dumps(v, default=str) for v in values}) == 1:
                only = cell(shown[0], para("(every version)", classes=["profile-meaning"]))
                only["morecols"] = len(versions) - 1
                rows.append((["profile-row"], [flag, only]))
            else:
                rows.append((["profile-row", "profile-changes"],
                             [flag, *(cell(node, classes=["profile-changes"]) for node in shown)]))
        return [table(["flag", *versions], rows, ["profile-table"], [34] + [13] * len(versions))]

    @staticmethod
    def _value(value: Any) -> nodes.paragraph:
        text = ", ".join(value) if isinstance(value, tuple) else repr(value)
        return para(nodes.literal(text=text))


class PythonText(SphinxDirective):
    """A literal block holding the value of ``module.ATTRIBUTE``."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:

        self.env.note_dependency(__file__)  # a change to this generator re-renders the page
        module_name, _, attr = self.arguments[0].rpartition(".")
        module = importlib.import_module(module_name)
        self.env.note_dependency(inspect.getsourcefile(module) or "")
        value = getattr(module, attr)
        if not isinstance(value, str):
            raise self.error(f"{self.arguments[0]} is not a string")
        return [nodes.literal_block(value, value, language="text")]


class stage_diagram(nodes.General, nodes.Element):
    """Placeholder for the pipeline diagram; links are resolved per builder."""


class StageDiagram(SphinxDirective):
    """The six stages as a row of boxes, from :data:`runpy_ref.trace.STAGES`, each linking to its chapter."""

    def run(self) -> list[nodes.Node]:

        self.env.note_dependency(__file__)  # a change to this generator re-renders the page
        self.env.note_dependency(str(PACKAGE / "trace" / "events.py"))
        return [stage_diagram()]


QUESTIONS = {
    "find_spec": "where is it?",
    "pick_main": "which code runs?",
    "build_globals": "what does it see?",
    "alter_sys": "what must sys say?",
    "exec": "run it",
    "restore": "put sys back",
}


def stage_svg(href: Any) -> str:
    """Boxes and arrows for the stages in trace order; ``href(stage)`` links a box to its chapter."""
    from html import escape

    from runpy_ref.trace import STAGES

    stages = [s for s in STAGES if s != "run"]
    box_w, box_h, gap = 118, 54, 22
    parts = []
    for number, stage in enumerate(stages):
        x = number * (box_w + gap)
        question = QUESTIONS.get(stage, "")
        box = (f'<rect class="sd-box sd-{stage}" x="{x}" y="4" width="{box_w}" height="{box_h}" rx="8"/>'
               f'<text class="sd-name" x="{x + box_w / 2}" y="27" text-anchor="middle">'
               f'{number + 1}. {escape(stage)}</text>'
               f'<text class="sd-question" x="{x + box_w / 2}" y="45" text-anchor="middle">'
               f'{escape(question)}</text>')
        link = href(stage)
        parts.append(f'<a href="{escape(link)}">{box}</a>' if link else box)
        if number < len(stages) - 1:
            ax = x + box_w + 3
            parts.append(f'<path class="sd-arrow" d="M{ax} 31 h{gap - 8} l-5 -4 m5 4 l-5 4"/>')
    width = len(stages) * (box_w + gap) - gap
    return (f'<div class="stage-diagram"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 62" '
            f'width="100%" role="img" aria-label="The six stages of runpy, in order">{"".join(parts)}'
            f'</svg></div>')


def _render_diagrams(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    found = list(doctree.findall(stage_diagram))
    if not found:
        return

    def href(stage: str) -> str | None:
        target = f"explanation/stages/{stage}"
        if target not in app.env.all_docs:
            return None
        return app.builder.get_relative_uri(docname, target)

    for node in found:
        if app.builder.format == "html":
            node.replace_self(nodes.raw("", stage_svg(href), format="html"))
        else:
            node.parent.remove(node)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("runpy_docs_catalogue")
    app.add_directive("trace-envelope", TraceEnvelope)
    app.add_directive("trace-events", TraceEvents)
    app.add_directive("profile-table", ProfileTable)
    app.add_directive("python-text", PythonText)
    app.add_directive("stage-diagram", StageDiagram)
    app.add_node(stage_diagram)
    app.connect("doctree-resolved", _render_diagrams)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
