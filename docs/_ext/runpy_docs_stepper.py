"""Steppers in the docs: wherever a lesson or a stage page shows a trace, the same run can be stepped through.

Two places show traces, and both get a stepper (:mod:`runpy_ref.stepper`)
built at build time from the JSON trace of the very run the page shows:

* **stage pages and the other explanation pages**: the ``runpy-trace``
  directive (``runpy_docs_trace.py``) runs its example and checks the
  trace against its golden file.  This extension registers a subclass of
  that directive whose rendering appends a stepper made from the same
  report, so the stepper always shows the checked run;
* **lessons**: a transcript whose command is ``python -m runpy_ref
  --trace ...`` or ``python watch.py ...`` (the lessons' helper) is run
  again in ``tutorials/examples`` with a JSON Lines trace on the side, and
  the stepper goes right after the transcript.  The transcripts
  themselves are checked against real output by the course's tests.

The stepper's style and script are written into the build's ``_static``
(``runpy-stepper.css``, ``runpy-stepper.js``): local files, nothing from
the network.  With scripts off, a reader sees the trace the page already
shows and a one-line note.  :func:`setup` is called by the course
extension (``runpy_docs_tutorials``), which ``conf.py`` loads.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.errors import SphinxError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from runpy_ref.stepper import STEPPER_CSS, STEPPER_JS, read_jsonl, render_fragment, render_sys_picture

HERE = Path(__file__).resolve().parent
DOCS = HERE.parent
ROOT = DOCS.parent
EXAMPLES = ROOT / "tutorials" / "examples"
CSS, JS = "runpy-stepper.css", "runpy-stepper.js"
TIMEOUT = 60

logger = logging.getLogger(__name__)


class StepperError(SphinxError):
    category = "runpy stepper"


class stepper_placeholder(nodes.General, nodes.Element):  # docutils names its nodes in lower case
    """Where a stepper goes; its HTML is made once the catalogue's anchors are known (doctree-resolved)."""


def stepper_node(header: dict[str, Any], events: list[dict[str, Any]], prefix: str, caption: str) -> nodes.Node:
    """A container for the stepper: a caption, and a placeholder holding the trace as JSON text."""
    box = nodes.container(classes=["runpy-stepper-box"])
    box += nodes.rubric(text=caption)
    box += stepper_placeholder("", trace=json.dumps({"header": header, "events": events}), prefix=prefix)
    return box


def resolve_steppers(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Turn the placeholders into the stepper's HTML, catalogue IDs linked to their entries."""
    std = app.env.get_domain("std")

    def link(bid: str) -> str | None:
        found = std.objects.get(("behaviour", bid))
        if found is None:
            return None
        return f"{app.builder.get_relative_uri(docname, found[0])}#{found[1]}"

    for node in list(doctree.findall(stepper_placeholder)):
        if app.builder.format != "html":
            node.parent.remove(node)
            continue
        trace = json.loads(node["trace"])
        html = render_fragment(trace["header"], trace["events"], id_prefix=node["prefix"], table=False, link=link)
        node.replace_self(nodes.raw("", html, format="html"))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "run"


# -- stage pages: the runpy-trace directive, with a stepper ----------------------------------


def _stepped_directive(base: type) -> type:
    """A subclass of ``runpy-trace`` whose output ends with a stepper over the same report."""

    class SteppedTrace(base):  # type: ignore[misc, valid-type]
        def _render(self, name: str, command: str, files: dict[str, str], report: dict[str, Any],
                    events: list[Any]) -> list[nodes.Node]:
            rendered = super()._render(name, command, files, report, events)
            node = stepper_node(report["header"], list(report["events"]), f"{name}-",
                                "Step through this run")
            if rendered and isinstance(rendered[0], nodes.Element):
                rendered[0] += node
                return rendered
            return [*rendered, node]

    return SteppedTrace


# -- lessons: transcripts of traced runs ------------------------------------------------------

_TRACED = re.compile(r"^\$ python (?P<args>(?:-m runpy_ref --trace |watch\.py ).*)$", re.M)


def lesson_trace(command: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Run a lesson's traced command again in ``tutorials/examples``, with a JSON Lines trace."""
    args = shlex.split(command)
    with tempfile.TemporaryDirectory(prefix="runpy-stepper-") as tmp:
        trace = Path(tmp) / "trace.jsonl"
        if args[:2] == ["-m", "runpy_ref"]:
            rest = [a for a in args[2:] if a != "--trace"]
            argv = [sys.executable, "-m", "runpy_ref", "--trace-format", "json", "--trace-file", str(trace), *rest]
        else:
            argv = [sys.executable, *args, "--json", str(trace)]
        env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1")
        proc = subprocess.run(argv, cwd=EXAMPLES, capture_output=True, text=True, timeout=TIMEOUT, env=env)
        if not trace.exists() or not trace.read_text(encoding="utf-8").strip():
            raise StepperError(f"no trace from `python {command}` in {EXAMPLES}: {proc.stderr[-500:]}")
        # The trace file's temporary name is the one thing that differs from build to build.
        text = trace.read_text(encoding="utf-8").replace(json.dumps(str(trace))[1:-1], "<trace-file>")
        header, events, _ = read_jsonl(text)
    return header, events


def add_lesson_steppers(app: Sphinx, doctree: nodes.document) -> None:
    """After each traced transcript of a lesson, a stepper over the same command's run."""
    docname = app.env.docname
    if not docname.startswith("tutorials/"):
        return
    seen: dict[str, int] = {}
    for block in list(doctree.findall(nodes.literal_block)):
        position = block.parent.index(block)
        for match in _TRACED.finditer(block.astext()):
            command = match.group("args")
            header, events = lesson_trace(command)
            slug = _slug(command.replace("-m runpy_ref --trace", "m").replace("--deterministic", ""))
            seen[slug] = seen.get(slug, 0) + 1
            prefix = f"{slug}-{seen[slug]}-" if seen[slug] > 1 else f"{slug}-"
            position += 1
            block.parent.insert(position, stepper_node(header, events, prefix, f"Step through: python {command}"))
    app.env.note_dependency(str(EXAMPLES / "watch.py"))


# -- a picture: sys before, during and after a run --------------------------------------------


class SysPicture(SphinxDirective):
    """``{runpy-sys-picture} watch.py run_path app``: what the run changes in ``sys``, from its trace.

    The command is a lesson's (run in ``tutorials/examples``, as
    :func:`lesson_trace` does); the table shows each part of ``sys`` the
    run touched, before the call, while the code runs, and after it.
    """

    required_arguments = 1
    final_argument_whitespace = True
    option_spec = {"caption": directives.unchanged}  # noqa: RUF012 - docutils' own style

    def run(self) -> list[nodes.Node]:
        _, events = lesson_trace(self.arguments[0])
        self.env.note_dependency(str(EXAMPLES / "watch.py"))
        html = render_sys_picture(events, self.options.get("caption", ""))
        return [nodes.raw("", html, format="html")]


# -- static files ----------------------------------------------------------------------------


def write_static(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / CSS).write_text(STEPPER_CSS, encoding="utf-8")
    (static / JS).write_text(STEPPER_JS, encoding="utf-8")


def _register(app: Sphinx, config: Any) -> None:
    """Once every extension is loaded: put the stepping subclass in place of ``runpy-trace``."""
    from runpy_docs_trace import RunpyTrace

    app.add_directive("runpy-trace", _stepped_directive(RunpyTrace), override=True)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _register)
    app.connect("doctree-read", add_lesson_steppers)
    app.connect("build-finished", write_static)
    app.connect("doctree-resolved", resolve_steppers)
    app.add_node(stepper_placeholder)
    app.add_directive("runpy-sys-picture", SysPicture)
    app.add_css_file(CSS)
    app.add_js_file(JS)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


__all__ = ["add_lesson_steppers", "lesson_trace", "resolve_steppers", "setup", "stepper_node", "write_static"]


if __name__ == "__main__":  # pragma: no cover - a quick look: python docs/_ext/runpy_docs_stepper.py 'watch.py ...'
    print(json.dumps(lesson_trace(" ".join(sys.argv[1:]))[1], indent=1))
