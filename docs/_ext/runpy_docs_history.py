"""The ``runpy-history`` directive: one scenario traced under many versions, side by side.

It reuses the machinery of ``runpy-trace`` (:mod:`runpy_docs_trace`): the
same fixture syntax, the same fresh-interpreter runs in deterministic mode,
the same golden-file contract.  The difference is that the scenario runs once
per emulated version (``python -m runpy_ref --as-of X.Y ...`` for ``:cli:``,
``with runpy_ref.as_of("X.Y"):`` around the call for ``:call:``), all the
versions' traces go into one golden file ``docs/_golden/<name>.txt``, and the
page shows one row per version in which every event that differs from the
previous version's trace is highlighted, with its catalogue IDs linked and a
link to that version's What's New.

Why compare with the *previous* version rather than with the newest: the
reader asks "what changed in 2.7?", and the answer is the difference from
2.6, not from 3.13.

Syntax (MyST)::

    ```{runpy-history}
    :golden: history-python-m-pkg
    :cli: pkg

    # file: pkg/__init__.py
    # file: pkg/__main__.py
    print("main runs")
    ```

``:versions:`` overrides :data:`VERSIONS`.  There is no ``:expect:``: how a
run ends differs by version, and the golden file records each ending.
"""

from __future__ import annotations

import difflib
import os
import re
import shlex
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, ClassVar

import runpy_docs_trace as rt
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx

from runpy_ref.sinks import _rule_text, describe
from runpy_ref.trace import Event

VERSIONS = ("2.5", "2.6", "2.7", "3.1", "3.2", "3.4", "3.7", "3.11", "3.13")
"""The versions the issue asks for: each one changed something a trace can show."""

WHATS_NEW = "https://docs.python.org/3/whatsnew/{version}.html"
"""Every What's New from 2.0 on is published with the current documentation."""

_AS_OF_ARGS = re.compile(r"'--as-of', '[0-9.]+'")


def event_key(event: Event) -> str:
    """What must be equal for two versions' events to count as "the same".

    The stage and the story (:func:`runpy_ref.sinks.describe`), without the
    ``as_of`` notes (they name the version, so they always differ) and with the
    ``--as-of X.Y`` arguments of the command line masked (they are the
    experiment, not the behaviour).
    """
    what, why = describe(event)
    return _AS_OF_ARGS.sub("'--as-of', VERSION", f"{event.stage}: {what} -- {why}")


def changed_events(previous: list[Event] | None, current: list[Event]) -> tuple[set[int], int]:
    """Indexes of ``current`` events with no equal in ``previous``, and how many of ``previous`` vanished.

    ``previous`` is None for the first version: nothing is highlighted there.
    """
    if previous is None:
        return set(), 0
    matcher = difflib.SequenceMatcher(a=[event_key(e) for e in previous], b=[event_key(e) for e in current],
                                      autojunk=False)
    changed: set[int] = set()
    gone = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            changed.update(range(j1, j2))
            gone += max(0, (i2 - i1) - (j2 - j1))
    return changed, gone


def as_of_notes(event: Event) -> list[str]:
    """The rules the profile applied to this event (``data["as_of"]``), worded as the text sink words them."""
    return [_rule_text(rule, "").strip() for rule in event.data.get("as_of", ())]


def run_scenario(files: dict[str, str], version: str, *, cli: str | None = None, call: str | None = None,
                 argv: list[str] | None = None) -> tuple[str, dict[str, Any], list[Event]]:
    """One scenario under one version, in its own fixture (runs must not see each other's files).

    Returns the command as the golden file records it, the runner's report
    and the events.
    """
    with tempfile.TemporaryDirectory(prefix="runpy-history-") as tmp:
        root = Path(os.path.realpath(tmp))
        rt.write_fixture(root, files)
        if cli:
            args = ["--as-of", version, *shlex.split(cli)]
            command = "python -m runpy_ref --trace-format json --trace-file <trace-file> --deterministic " \
                      "--root <root> " + " ".join(shlex.quote(a) for a in args)
            report = rt.run_cli(root, args)
        elif call:
            command = f"with runpy_ref.as_of({version!r}): {call}"
            report = rt.run_api(root, call, argv or ["caller.py"], [], as_of=version)
        else:
            raise ValueError("a scenario needs a cli or a call")
    return command, report, [rt.to_event(record) for record in report["events"]]


def shown_command(cli: str | None, call: str | None) -> str:
    """The scenario as the page shows it once, above the rows: ``X.Y`` stands for each row's version."""
    if cli:
        return "python -m runpy_ref --as-of X.Y --trace --deterministic " + cli
    return f'with runpy_ref.as_of("X.Y"):\n    {call}'


def deciding_ids(event: Event) -> list[str]:
    """The catalogue IDs that explain why this event differs by version.

    Under an emulated version an event names the rules that decided it
    (``data["as_of"]``, each with its IDs): those are the precise answer.  An
    event with no such rule (a step that exists in one version only) falls
    back to the IDs the event itself cites.
    """
    ids = [bid for rule in event.data.get("as_of", ()) for bid in rule.get("ids", ())]
    return list(dict.fromkeys(ids or event.behaviours))


class RunpyHistory(rt.RunpyTrace):
    """See the module docstring."""

    option_spec: ClassVar[dict[str, Any]] = {
        "golden": directives.unchanged_required,
        "call": directives.unchanged,
        "cli": directives.unchanged,
        "argv": directives.unchanged,
        "versions": directives.unchanged,
        "caption": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        name = self.options.get("golden")
        if not name:
            raise self.error("runpy-history needs a :golden: name")
        call, cli = self.options.get("call"), self.options.get("cli")
        if bool(call) == bool(cli):
            raise self.error("runpy-history needs exactly one of :call: and :cli:")
        versions = self.options.get("versions", "").split() or list(VERSIONS)
        try:
            files = rt.parse_fixture(list(self.content))
        except ValueError as exc:
            raise self.error(f"runpy-history fixture: {exc}") from None
        self._note_dependencies(name)
        self._claim_golden(name)
        with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
            runs = list(pool.map(lambda v: self._run_one(v, files), versions))
        texts = [rt.golden_text(command, report, events) for command, report, events in runs]
        self._compare_golden(name, "\n".join(texts))
        return self._render_history(name, versions, runs)

    def _run_one(self, version: str, files: dict[str, str]) -> tuple[str, dict[str, Any], list[Event]]:
        argv = shlex.split(self.options.get("argv", "")) or ["caller.py"]
        return run_scenario(files, version, cli=self.options.get("cli"), call=self.options.get("call"),
                            argv=argv)

    def _render_history(self, name: str, versions: list[str],
                        runs: list[tuple[str, dict[str, Any], list[Event]]]) -> list[nodes.Node]:
        box = nodes.container(classes=["runpy-history-box"])
        box["ids"].append(f"runpy-history-{name}")
        first_command = shown_command(self.options.get("cli"), self.options.get("call"))
        box += nodes.rubric(text=self.options.get("caption", "The scenario"))
        language = "python" if self.options.get("call") else "shell"
        box += nodes.literal_block(first_command, first_command, language=language,
                                   classes=["runpy-trace-command"])
        box += nodes.paragraph(text=f"Checked against {rt._shown_path(self.golden_dir / f'{name}.txt')}; "
                                    "highlighted events differ from the version above.")
        rows = []
        previous: list[Event] | None = None
        for version, (_command, report, events) in zip(versions, runs):
            changed, gone = changed_events(previous, events)
            rows.append(self._row(version, report, events, changed, gone, previous is None))
            previous = events
        box += rt.table(["version", "trace", "what changed"], rows, ["runpy-history"], [8, 70, 22])
        return [box]

    def _row(self, version: str, report: dict[str, Any], events: list[Event], changed: set[int],
             gone: int, first: bool) -> tuple[list[str], list[nodes.entry]]:
        trace = nodes.container(classes=["history-trace"])
        changed_ids: list[str] = []
        for index, event in enumerate(events):
            what, _why = describe(event)
            classes = ["history-line"]
            if index in changed:
                classes.append("history-changed")
                changed_ids += [b for b in deciding_ids(event) if b not in changed_ids]
            line = nodes.paragraph(classes=classes)
            line += nodes.inline(text=f"{event.seq:>2} ", classes=["trace-seq"])
            line += nodes.inline(event.stage, event.stage, classes=["trace-stage", f"stage-{event.stage}"])
            line += nodes.Text(" " + "\u21b3 " * event.depth + what)
            for bid in event.behaviours:
                line += nodes.Text(" ")
                line += rt.behaviour_ref(bid)
            trace += line
            for note in as_of_notes(event):
                trace += nodes.paragraph(text=note, classes=[*classes, "history-rule"])
        ending = nodes.paragraph(classes=["history-outcome"])
        ending += nodes.strong(text="Ended: ")
        ending += nodes.literal(text=report["outcome"])
        trace += ending
        version_cell = nodes.paragraph()
        version_cell += nodes.strong(text=version)
        summary = nodes.container()
        if first:
            summary += nodes.paragraph(text="(the first version shown)")
        elif not changed and not gone:
            summary += nodes.paragraph(text="same trace as the version above")
        else:
            counts = f"{len(changed)} event(s) new or different" + (f", {gone} no longer happen" if gone else "")
            summary += nodes.paragraph(text=counts)
            ids = nodes.paragraph(classes=["trace-ids"])
            for number, bid in enumerate(changed_ids):
                if number:
                    ids += nodes.Text(" ")
                ids += rt.behaviour_ref(bid)
            summary += ids
            link = nodes.paragraph()
            url = WHATS_NEW.format(version=version)
            link += nodes.reference("", f"What's New in Python {version}", refuri=url)
            summary += link
        row_classes = ["history-row"] + ([] if first or (not changed and not gone) else ["history-row-changed"])
        return row_classes, [rt._cell(version_cell), rt._cell(trace), rt._cell(summary)]


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("runpy_docs_trace")
    app.add_directive("runpy-history", RunpyHistory)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
