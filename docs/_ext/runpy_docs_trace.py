"""The ``runpy-trace`` directive: a real trace of a real run, checked at build time.

A page declares a tiny file tree and a call; at build time the directive

1. writes the tree into a fresh temporary directory (the *fixture*),
2. runs the call in a fresh interpreter under
   ``runpy_ref.tracing(deterministic=True, root=<fixture>)`` (API calls, see
   ``trace_runner.py``) or as ``python -m runpy_ref --deterministic ...``
   (``:cli:``),
3. renders the trace as the text sink writes it (:func:`runpy_ref.sinks.render_text`
   wrapped at :data:`WIDTH` columns, then the closing line of a complete
   trace) and compares the text with the committed golden file
   ``docs/_golden/<name>.txt``,
4. shows the fixture and the trace as a table (catalogue IDs link to their
   entries), with what the program printed in rows of its own, between the
   events it happened between.

Where the output happened is noted as it is written: the API runner's
stdout/stderr records the number of events so far with each write; for
``:cli:`` runs, ``output_probe/sitecustomize.py`` notes the number of records
then in the JSON Lines trace file (which the sink writes through).  The golden
file shows each line of output, marked ``    | ``, at the same place.  Output
that bypassed ``sys.stdout``/``sys.stderr`` cannot be placed and is shown
after the trace instead, saying so.

In a page's text traces (a lesson's transcript), each catalogue ID in
``[...]`` becomes a link too (:func:`link_ids_in_text_traces`).

A difference from the golden file is a build *error* (an exception, not a
warning), so a change in behaviour cannot silently change the docs.  Set
``RUNPY_REF_UPDATE_GOLDEN=1`` to rewrite the golden files instead, then
review the diff like any other change.

Syntax (MyST)::

    ```{runpy-trace}
    :golden: find-spec-module
    :call: run_module("shop.cart")
    :expect: returned

    # file: shop/__init__.py
    # file: shop/cart.py
    print("cart runs")
    ```

``:call:`` is a Python expression over ``run_module``, ``run_path`` and
``runpy_ref``; ``:cli:`` instead gives the arguments of ``python -m
runpy_ref`` (``:argv:`` sets the caller's ``sys.argv`` for API calls).
``:expect:`` declares how the run ends (``returned``, ``raised ImportError``,
``exit 0`` ...); anything else is a build error too.  ``:result:`` names
globals of the returned namespace to show.  ``:hide-fixture:`` leaves out the
file listing.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.errors import SphinxError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from runpy_ref.sinks import describe, render_text
from runpy_ref.trace import Event

HERE = Path(__file__).resolve().parent
DOCS = HERE.parent
ROOT = DOCS.parent
GOLDEN_DIR = DOCS / "_golden"
RUNNER = HERE / "trace_runner.py"
OUTPUT_PROBE = HERE / "output_probe"
PACKAGE_DIR = ROOT / "runpy_ref"
UPDATE_ENV = "RUNPY_REF_UPDATE_GOLDEN"
FILE_MARK = "# file:"
TIMEOUT = 60
WIDTH = 100
"""Golden traces wrap where ``python -m runpy_ref --trace`` wraps when not writing to a terminal."""

logger = logging.getLogger(__name__)


class GoldenMismatch(SphinxError):
    """A trace differs from its golden file: behaviour changed, or the page did."""

    category = "runpy-trace golden file mismatch"


class TraceRunError(SphinxError):
    """The example could not be run, or ended differently from what the page declares."""

    category = "runpy-trace run failed"


# -- the fixture ------------------------------------------------------------------


def parse_fixture(lines: list[str]) -> dict[str, str]:
    """Split the directive body into ``{relative path: text}``.

    A line ``# file: PATH`` starts a file; a path ending in ``/`` is an empty
    directory.  Text before the first marker is an error, since it would be
    silently lost otherwise.
    """
    files: dict[str, list[str]] = {}
    current: list[str] | None = None
    for number, line in enumerate(lines, 1):
        if line.startswith(FILE_MARK):
            name = line[len(FILE_MARK):].strip()
            if not name or name.startswith("/") or ".." in Path(name).parts:
                raise ValueError(f"line {number}: bad fixture path {name!r}")
            current = files.setdefault(name, [])
        elif current is None:
            if line.strip():
                raise ValueError(f"line {number}: text before the first '{FILE_MARK} PATH' line")
        else:
            current.append(line)
    return {name: "\n".join(body).strip("\n") + ("\n" if any(body) else "") for name, body in files.items()}


def write_fixture(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        if name.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


# -- running -------------------------------------------------------------------------


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1", PYTHONHASHSEED="0",
               PYTHONIOENCODING="utf-8")
    return env


def normalise(text: str, root: Path) -> str:
    """Make machine-specific strings stable: the fixture, the checkout, the interpreter.

    The runner script is the caller's ``__main__`` module; it is shown as
    ``caller.py``, the name the runner also gives the caller's ``sys.argv[0]``.
    """
    for real, shown in ((str(root), "<root>"), (str(PACKAGE_DIR), "<runpy_ref>"),
                        (str(RUNNER), "caller.py"), (sys.executable, "<python>")):
        text = text.replace(real, shown)
    return text


_WARNING_AT = re.compile(r"^<runpy_ref>/[\w/]+\.py:\d+: (\w*Warning: .*)$")


def shorten_warnings(output: str) -> str:
    """``<runpy_ref>/stages/find_spec.py:66: RuntimeWarning: ...`` plus its source line -> ``RuntimeWarning: ...``.

    The line number and source line inside runpy_ref change with every
    unrelated edit; the API runner formats warnings the same way.
    """
    lines, out, skip = output.splitlines(keepends=True), [], False
    for line in lines:
        if skip and line.startswith("  "):
            skip = False
            continue
        skip = False
        match = _WARNING_AT.match(line.rstrip("\n"))
        if match:
            out.append(match.group(1) + "\n")
            skip = True
        else:
            out.append(line)
    return "".join(out)


def run_api(root: Path, call: str, argv: list[str], result_keys: list[str],
            as_of: str | None = None) -> dict[str, Any]:
    spec = {"root": str(root), "call": call, "argv": argv, "result_keys": result_keys, "as_of": as_of}
    proc = subprocess.run(
        [sys.executable, str(RUNNER), json.dumps(spec)],
        capture_output=True, text=True, cwd=root, env=_child_env(), timeout=TIMEOUT,
    )
    if proc.returncode != 0:
        raise TraceRunError(f"trace runner failed (status {proc.returncode}):\n{proc.stderr}")
    report = json.loads(normalise(proc.stdout, root))
    report["output_at"] = [[count, shorten_warnings(chunk)] for count, chunk in report["output_at"]]
    return report


def run_cli(root: Path, args: list[str]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as out_dir:
        trace_file = Path(out_dir) / "trace.jsonl"
        output_log = Path(out_dir) / "output.jsonl"
        command = [sys.executable, "-m", "runpy_ref", "--trace-format", "json", "--trace-file",
                   str(trace_file), "--deterministic", "--root", str(root), *args]
        env = _child_env()
        env.update(PYTHONPATH=os.pathsep.join([str(OUTPUT_PROBE), env["PYTHONPATH"]]),
                   RUNPY_REF_OUTPUT_LOG=str(output_log), RUNPY_REF_OUTPUT_TRACE=str(trace_file))
        proc = subprocess.run(command, capture_output=True, text=True, cwd=root, env=env, timeout=TIMEOUT)
        text = trace_file.read_text(encoding="utf-8") if trace_file.exists() else ""
        lines = normalise(text, root).replace(str(trace_file), "<trace-file>").splitlines()
        noted = [json.loads(line) for line in output_log.read_text(encoding="utf-8").splitlines()] \
            if output_log.exists() else []
    if not lines:
        raise TraceRunError(f"python -m runpy_ref wrote no trace (status {proc.returncode}):\n{proc.stderr}")
    records = [json.loads(line) for line in lines]
    footer = records[-1] if len(records) > 1 and "complete" in records[-1] else None
    events = len(records) - 1 - (footer is not None)
    output_at: list[list[Any]] = []
    complete = all("".join(chunk for _, chunk, name in noted if name == stream) == written
                   for stream, written in (("stdout", proc.stdout), ("stderr", proc.stderr)))
    for count, chunk, _ in noted:  # the header is one record; after the footer, all events came before
        count = min(max(count - 1, 0), events)
        if output_at and output_at[-1][0] == count:
            output_at[-1][1] += chunk
        else:
            output_at.append([count, chunk])
    output_at = [[count, shorten_warnings(normalise(chunk, root))] for count, chunk in output_at]
    return {
        "header": records[0],
        "events": records[1:-1] if footer else records[1:],
        "footer": footer,
        "outcome": f"exit {proc.returncode}",
        "output": shorten_warnings(normalise(proc.stdout + proc.stderr, root)),
        "output_at": output_at,
        "output_complete": complete,  # every byte went through sys.stdout or sys.stderr, so it is placed
        "result": {},
    }


def to_event(record: dict[str, Any]) -> Event:
    data = dict(record)
    data["behaviours"] = tuple(data.get("behaviours", ()))
    return Event(**data)


def footer_line(footer: dict[str, Any] | None) -> str:
    """The last line of a text trace: complete (with its count), or cut short (no footer record)."""
    if footer is None:
        return "(no footer: the trace was cut short)"
    return f"runpy_ref trace complete ({footer['events']} events)"


def golden_text(command: str, report: dict[str, Any], events: list[Event]) -> str:
    """The text kept in ``_golden``: the interpreter, the command, the trace, the ending, the output.

    The interpreter comes first so that a build on another Python version
    fails with that difference at the top of the diff, not somewhere inside.
    The trace reads as :class:`runpy_ref.sinks.TextSink` writes it to a
    file: wrapped at :data:`WIDTH` columns, closed by the footer line.
    """
    interp = report["header"]["interpreter"]
    lines = [f"# {interp['implementation']} {interp['version']}, profile {report['header']['profile']}",
             f"$ {command}"]
    placed = output_by_event(report)
    for count in range(len(events) + 1):
        if count:
            lines.append(render_text(events[count - 1], WIDTH))
        lines += [f"{OUTPUT_MARK}{line}" for line in placed.get(count, "").splitlines()]
    lines.append(footer_line(report.get("footer")))
    lines.append(f"-> {report['outcome']}")
    for key, value in report["result"].items():
        lines.append(f"result[{key!r}] = {value!r}")
    if unplaced_output(report):
        lines.append("--- output (not placed among the events) ---")
        lines += report["output"].rstrip("\n").splitlines()
    return "\n".join(lines) + "\n"


OUTPUT_MARK = "    | "
"""How a line of the program's own output is marked where it happened among the trace lines."""


def output_by_event(report: dict[str, Any]) -> dict[int, str]:
    """The program's output by the number of events before it: ``{10: 'Hello, Ada!\\n'}``."""
    placed: dict[int, str] = {}
    for count, chunk in report.get("output_at", []):
        placed[count] = placed.get(count, "") + chunk
    return placed


def unplaced_output(report: dict[str, Any]) -> bool:
    """True when some output could not be placed (written past ``sys.stdout``, straight to the descriptor)."""
    placed = "".join(chunk for _, chunk in report.get("output_at", []))
    return bool(report["output"]) and not report.get("output_complete", placed == report["output"])


# -- rendering ----------------------------------------------------------------------------


def behaviour_ref(bid: str) -> nodes.Node:
    """A link to the catalogue entry; an unknown ID fails a nitpicky build."""
    ref = pending_xref("", refdomain="std", reftype="behaviour", reftarget=bid, refexplicit=False,
                       refwarn=True)
    ref += nodes.literal(bid, bid, classes=["xref", "std", "std-behaviour"])
    return ref


def _cell(*children: nodes.Node, classes: list[str] | None = None) -> nodes.entry:
    entry = nodes.entry(classes=classes or [])
    for child in children:
        entry += child
    return entry


def table(headers: list[str], rows: list[tuple[list[str], list[nodes.entry]]], classes: list[str],
          widths: list[int]) -> nodes.table:
    """A docutils table: ``rows`` are ``(row classes, cells)``.

    Smart quotes are off inside: the cells quote Python values, and a curly
    quote in ``'shop.cart'`` would no longer be the repr a reader can paste.
    """
    tbl = nodes.table(classes=[*classes, "colwidths-given"])
    tbl["support_smartquotes"] = False
    group = nodes.tgroup(cols=len(headers))
    tbl += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head_row = nodes.row()
    head += head_row
    for title in headers:
        head_row += _cell(nodes.paragraph(text=title))
    body = nodes.tbody()
    group += body
    for row_classes, cells in rows:
        row = nodes.row(classes=row_classes)
        for cell in cells:
            row += cell
        body += row
    return tbl


def _output_row(text: str) -> tuple[list[str], list[nodes.entry]]:
    stage = nodes.paragraph()
    stage += nodes.inline("output", "output", classes=["trace-stage", "stage-output"])
    shown = text.rstrip("\n") if text.endswith("\n") else text + "\u23ce"  # a missing newline shows
    block = nodes.literal_block(shown, shown, language="text", classes=["runpy-trace-output"])
    return (["trace-output"], [_cell(nodes.paragraph(text=""), classes=["trace-seq"]), _cell(stage),
                               _cell(block, nodes.paragraph(text="what the program printed here",
                                                            classes=["trace-why"])),
                               _cell(nodes.paragraph(text=""))])


def trace_table(events: list[Event], output: dict[int, str] | None = None) -> nodes.table:
    """One row per event; the program's output, if any, in a row of its own where it happened."""
    output = output or {}
    rows = [_output_row(output[0])] if output.get(0) else []
    for count, event in enumerate(events, start=1):
        what, why = describe(event)
        ids = nodes.paragraph(classes=["trace-ids"])
        for number, bid in enumerate(event.behaviours):
            if number:
                ids += nodes.Text(" ")
            ids += behaviour_ref(bid)
        marker = "\u21b3 " * event.depth
        stage = nodes.paragraph()
        stage += nodes.inline(event.stage, event.stage, classes=["trace-stage", f"stage-{event.stage}"])
        story = nodes.paragraph(classes=["trace-what"])
        story += nodes.Text(marker + what)
        reason = nodes.paragraph(classes=["trace-why"])
        reason += nodes.Text(why)
        classes = [f"trace-depth-{event.depth}", f"trace-event-{event.event}"]
        rows.append((classes, [
            _cell(nodes.paragraph(text=str(event.seq)), classes=["trace-seq"]),
            _cell(stage),
            _cell(story, reason),
            _cell(ids),
        ]))
        if output.get(count):
            rows.append(_output_row(output[count]))
    return table(["#", "stage", "what happened, and why", "catalogue"], rows,
                 ["runpy-trace"], [4, 12, 60, 14])


def _lexer(name: str) -> str:
    return "python" if name.endswith(".py") else "text"


class RunpyTrace(SphinxDirective):
    """See the module docstring."""

    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "golden": directives.unchanged_required,
        "call": directives.unchanged,
        "cli": directives.unchanged,
        "argv": directives.unchanged,
        "expect": directives.unchanged,
        "result": directives.unchanged,
        "hide-fixture": directives.flag,
        "caption": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        name = self.options.get("golden")
        if not name:
            raise self.error("runpy-trace needs a :golden: name")
        call, cli = self.options.get("call"), self.options.get("cli")
        if bool(call) == bool(cli):
            raise self.error("runpy-trace needs exactly one of :call: and :cli:")
        try:
            files = parse_fixture(list(self.content))
        except ValueError as exc:
            raise self.error(f"runpy-trace fixture: {exc}") from None
        self._note_dependencies(name)
        self._claim_golden(name)

        with tempfile.TemporaryDirectory(prefix="runpy-trace-") as tmp:
            root = Path(os.path.realpath(tmp))
            write_fixture(root, files)
            if cli:
                args = shlex.split(cli)
                command = "python -m runpy_ref --trace-format json --trace-file <trace-file> " \
                          "--deterministic --root <root> " + " ".join(shlex.quote(a) for a in args)
                report = run_cli(root, args)
            else:
                argv = shlex.split(self.options.get("argv", "")) or ["caller.py"]
                keys = self.options.get("result", "").split()
                command = call
                report = run_api(root, call, argv, keys)
        events = [to_event(record) for record in report["events"]]
        self._check_expectation(name, report["outcome"])
        text = golden_text(command, report, events)
        self._compare_golden(name, text)
        return self._render(name, command, files, report, events)

    # -- checks --------------------------------------------------------------------------

    @property
    def golden_dir(self) -> Path:
        return Path(self.config.runpy_trace_golden_dir)

    def _note_dependencies(self, name: str) -> None:
        """Re-read the page when the code or the golden file changes (incremental builds)."""
        own = [RUNNER, Path(__file__), self.golden_dir / f"{name}.txt"]
        for path in [*sorted(PACKAGE_DIR.rglob("*.py")), *own]:
            self.env.note_dependency(str(path))

    def _claim_golden(self, name: str) -> None:
        owners = self.env.runpy_trace_goldens  # type: ignore[attr-defined]
        here = (self.env.docname, self.lineno)
        owner = owners.setdefault(name, here)
        if owner != here:
            raise self.error(f"golden name {name!r} is already used by {owner[0]} line {owner[1]}")

    def _check_expectation(self, name: str, outcome: str) -> None:
        expected = self.options.get("expect", "returned" if self.options.get("call") else "exit 0").strip()
        if not outcome.startswith(expected):
            raise TraceRunError(
                f"{self.env.docname}:{self.lineno}: trace {name!r} was declared to end with "
                f"{expected!r} but ended with {outcome!r}"
            )

    def _compare_golden(self, name: str, text: str) -> None:
        path = self.golden_dir / f"{name}.txt"
        shown = _shown_path(path)
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old == text:
            return
        if os.environ.get(UPDATE_ENV) == "1":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            logger.info("runpy-trace: wrote golden file %s", shown)
            return
        if old is None:
            raise GoldenMismatch(
                f"{self.env.docname}:{self.lineno}: no golden file {shown}; "
                f"review the trace below, then rebuild with {UPDATE_ENV}=1 to create it.\n{text}"
            )
        diff = "".join(difflib.unified_diff(
            old.splitlines(keepends=True), text.splitlines(keepends=True),
            fromfile=f"golden {shown}", tofile="this build",
        ))
        raise GoldenMismatch(
            f"{self.env.docname}:{self.lineno}: the trace {name!r} differs from its golden file. "
            f"If the change in behaviour is intended, rebuild with {UPDATE_ENV}=1 and commit "
            f"the new golden file.\n{diff}"
        )

    # -- output -------------------------------------------------------------------------

    def _render(self, name: str, command: str, files: dict[str, str], report: dict[str, Any],
                events: list[Event]) -> list[nodes.Node]:
        box = nodes.container(classes=["runpy-trace-box"])
        box["ids"].append(f"runpy-trace-{name}")
        if files and "hide-fixture" not in self.options:
            listing = nodes.container(classes=["runpy-trace-fixture"])
            listing += nodes.rubric(text="The files")
            for path, text in files.items():
                if path.endswith("/"):
                    listing += nodes.paragraph(text=f"{path} (empty directory)")
                    continue
                block = nodes.literal_block(text or "# (empty file)\n", text or "# (empty file)\n",
                                            language=_lexer(path), classes=["runpy-trace-file"])
                caption = nodes.container("", literal_block=True, classes=["literal-block-wrapper"])
                caption += nodes.caption(path, "", nodes.literal(path, path))
                caption += block
                listing += caption
            box += listing
        box += nodes.rubric(text=self.options.get("caption", "The call"))
        language = "python" if self.options.get("call") else "shell"
        box += nodes.literal_block(command, command, language=language, classes=["runpy-trace-command"])
        header = report["header"]
        interp = header["interpreter"]
        box += nodes.rubric(
            text=f"The trace ({interp['implementation']} {interp['version']}, profile {header['profile']}, "
                 f"deterministic; checked against {_shown_path(self.golden_dir / f'{name}.txt')})"
        )
        box += trace_table(events, output_by_event(report))
        box += nodes.paragraph(classes=["runpy-trace-footer"], text=footer_line(report.get("footer")))
        ending = nodes.paragraph(classes=["runpy-trace-outcome"])
        ending += nodes.strong(text="Ended: ")
        ending += nodes.literal(text=report["outcome"])
        box += ending
        if report["result"]:
            shown = "\n".join(f"result[{key!r}] = {value!r}" for key, value in report["result"].items())
            box += nodes.rubric(text="Globals of the returned namespace")
            box += nodes.literal_block(shown, shown, language="python")
        if unplaced_output(report):
            box += nodes.rubric(text="What the program printed (not placed among the events)")
            box += nodes.literal_block(report["output"], report["output"], language="text",
                                       classes=["runpy-trace-output"])
        return [box]


def _shown_path(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def _init_env(app: Sphinx, env: Any, docnames: Any) -> None:
    if not hasattr(env, "runpy_trace_goldens"):
        env.runpy_trace_goldens = {}


def _purge(app: Sphinx, env: Any, docname: str) -> None:
    owners = getattr(env, "runpy_trace_goldens", {})
    for key in [k for k, (doc, _) in owners.items() if doc == docname]:
        del owners[key]


def _merge(app: Sphinx, env: Any, docnames: Any, other: Any) -> None:
    env.runpy_trace_goldens.update(getattr(other, "runpy_trace_goldens", {}))


def _unused_goldens(app: Sphinx, env: Any) -> None:
    """A golden file no page uses is a leftover: say so (an error under -W)."""
    used = set(getattr(env, "runpy_trace_goldens", {}))
    for path in sorted(Path(app.config.runpy_trace_golden_dir).glob("*.txt")):
        if path.stem not in used:
            logger.warning("runpy-trace: golden file %s is used by no page", _shown_path(path),
                           type="runpy", subtype="golden")


_ID_LIST = re.compile(r"\[((?:(?:G|RM|RP|CLI|ERR)-\d+(?:, )?)+)\]")
_TRACE_BLOCK = re.compile(r'(<div class="highlight-(?:console|text|pycon) notranslate">.*?</pre>)', re.S)


def link_ids_in_text_traces(body: str, href: Any) -> str:
    """In the text traces of a page, make each ``[RM-02, CLI-01]`` ID a link to its catalogue entry.

    Text traces are highlighted code blocks (a lesson's transcript), so the
    links are added to the HTML, inside the text between tags: only a list
    in square brackets, as the text sink writes it, and only IDs that
    ``href(id)`` knows.
    """
    def ids(match: re.Match[str]) -> str:
        linked = []
        for bid in match.group(1).split(", "):
            target = href(bid)
            linked.append(f'<a class="reference internal trace-id" href="{target}">{bid}</a>' if target else bid)
        return "[" + ", ".join(linked) + "]"

    def block(match: re.Match[str]) -> str:
        return re.sub(r">([^<]*)<", lambda text: ">" + _ID_LIST.sub(ids, text.group(1)) + "<", match.group(1))

    return _TRACE_BLOCK.sub(block, body)


def _link_text_trace_ids(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                         doctree: Any) -> None:
    if "body" not in context or "[" not in context["body"]:
        return
    std = app.env.get_domain("std")

    def href(bid: str) -> str | None:
        found = std.objects.get(("behaviour", bid))
        return None if found is None else app.builder.get_relative_uri(pagename, found[0]) + "#" + found[1]

    context["body"] = link_ids_in_text_traces(context["body"], href)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("runpy_trace_golden_dir", str(GOLDEN_DIR), "env", types=(str,))
    app.add_crossref_type("behaviour", "behaviour", indextemplate="pair: %s; behaviour")
    app.add_directive("runpy-trace", RunpyTrace)
    app.connect("env-before-read-docs", _init_env)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-check-consistency", _unused_goldens)
    app.connect("html-page-context", _link_text_trace_ids)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
