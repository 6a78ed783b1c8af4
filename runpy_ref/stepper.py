"""A trace you can step through: one self-contained HTML page from a runpy_ref trace.

``render_html(header, events)`` takes a trace as plain data, the header
record and the event records exactly as the JSON Lines trace holds them
(``runpy_ref/schema/``), and returns one HTML document that needs nothing
else: no network, no server, no other file.  It shows

* a stepper: Previous and Next buttons (and the arrow keys) move through the
  events; beside each one, in words, the state of ``sys`` *after* it:
  ``sys.argv``, the first entries of ``sys.path``, which module
  ``sys.modules['__main__']`` is (and the other entries the run touched),
  the globals being built, and a diagram of the six stages with the current
  one lit, the package redirect that goes round again, and the restore
  that always runs;
* every step as a row of one table, which is all a reader with scripts off
  sees, and which keeps the page readable when printed;
* a link for every step: ``page.html#step-7`` opens the stepper at step 7
  (or scrolls the table to it without scripts).

The state is worked out here, in Python, from what the events say, and
written into the page; the page's script only shows one step at a time.
What an event does not say stays unknown and is shown as such (the rest
of ``sys.argv`` before a run replaces it, the entries of ``sys.path``
beyond those the run touched): the trace is the truth, and the page does
not guess beyond it.  Unknown event names and extra fields (a newer trace
schema) are shown as they are.

:class:`HtmlSink` is the same page as a trace sink: give it to
:func:`runpy_ref.tracing`, and when tracing ends its ``flush`` writes the
page to the stream.  :func:`render_fragment` is the part that goes inside
another page (the documentation embeds steppers that way, several on one
page, each with its own ``id_prefix``).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Mapping, Sequence
from typing import IO, Any

__all__ = ["STAGES", "STEPPER_CSS", "STEPPER_JS", "HtmlSink", "describe", "read_jsonl", "render_fragment",
           "render_html", "render_sys_picture", "states", "sys_picture"]

STAGES: tuple[tuple[str, str], ...] = (
    ("find_spec", "where is the module?"),
    ("pick_main", "which code runs?"),
    ("build_globals", "what does the code see?"),
    ("alter_sys", "point sys at the code"),
    ("exec", "run it"),
    ("restore", "give sys back"),
)
"""The six stages in the order the documentation numbers them, with the question each answers."""

# -- the state after each event ---------------------------------------------------------


def _module_key(target: str) -> str | None:
    """``"sys.modules['x']"`` -> ``"x"``."""
    if target.startswith("sys.modules[") and target.endswith("]"):
        inner = target[len("sys.modules["):-1]
        if len(inner) >= 2 and inner[0] == inner[-1] and inner[0] in "'\"":
            return inner[1:-1]
        return inner
    return None


def states(events: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The state of the run after each event, as plain data (one dict per event).

    Keys: ``argv`` (the whole list, or None when unknown), ``argv0`` (the
    first item when only that is known), ``path`` (the first entries of
    ``sys.path`` the trace has shown, first first), ``modules`` (entry ->
    what the trace last said is there; ``<absent>`` for none), ``globals``
    (the specials of the current run, once build_globals decided them),
    ``kept``/``overridden`` (init_globals keys), ``namespace``,
    ``outcome``, ``stage`` (the stage of the event), ``redirect`` (a package
    redirect happened in this run), ``runs`` (how many runs are open).
    """
    argv: list[Any] | None = None
    argv0: Any = None
    path: list[Any] = []
    modules: dict[str, Any] = {}
    per_run: dict[Any, dict[str, Any]] = {}
    open_runs: list[Any] = []
    out = []
    for event in events:
        data = event.get("data") or {}
        name = event.get("event")
        run = event.get("run")
        current = per_run.setdefault(run, {"globals": None, "kept": [], "overridden": [], "namespace": None,
                                           "outcome": None, "redirect": None, "error": None})
        if name == "run_started":
            open_runs.append(run)
            current.update(globals=None, kept=[], overridden=[], namespace=None, outcome=None, redirect=None,
                           error=None)
        elif name == "run_finished":
            if run in open_runs:
                open_runs.remove(run)
            current["outcome"] = _run_outcome(data)
        elif name in ("sys_changed", "sys_restored"):
            target = str(data.get("target", ""))
            after, before, action = data.get("after"), data.get("before"), data.get("action")
            if target == "sys.argv":
                argv = list(after) if isinstance(after, list) else None
                argv0 = None
            elif target == "sys.argv[0]":
                if argv:
                    argv[0] = after
                else:
                    argv0 = after
            elif target == "sys.path[0]":
                path = _path_after(path, name, action, before, after)
            else:
                key = _module_key(target)
                if key is not None:
                    modules[key] = after
        elif name == "globals_built":
            current["globals"] = dict(data.get("specials") or {})
            current["kept"] = list(data.get("kept") or [])
            current["overridden"] = list(data.get("overridden") or [])
        elif name == "package_redirect":
            current["redirect"] = (data.get("package"), data.get("main"))
        elif name == "exec_started":
            current["namespace"] = data.get("namespace")
        elif name == "exec_finished":
            current["outcome"] = _exec_outcome(data)
        elif name == "stage_failed":
            current["error"] = f"{data.get('error_type', 'error')}: {data.get('message', '')}"
        out.append({
            "argv": list(argv) if argv is not None else None,
            "argv0": argv0,
            "path": list(path),
            "modules": dict(modules),
            "globals": dict(current["globals"]) if current["globals"] is not None else None,
            "kept": list(current["kept"]),
            "overridden": list(current["overridden"]),
            "namespace": current["namespace"],
            "outcome": current["outcome"],
            "error": current["error"],
            "redirect": current["redirect"],
            "stage": event.get("stage"),
            "event": name,
            "runs": len(open_runs),
        })
    return out


def _path_after(path: list[Any], name: str, action: Any, before: Any, after: Any) -> list[Any]:
    """The known first entries of ``sys.path`` after a change to ``sys.path[0]``.

    ``action`` says how (trace schema 2): ``inserted`` pushes the old first
    entry down, ``set`` overwrites it, ``removed`` takes the first equal
    entry out, ``already gone`` changes nothing.  An older trace without
    ``action`` is read as an overwrite, the most the event itself says.
    """
    path = list(path)
    if name == "sys_changed" and action == "inserted":
        if not path and before not in (None, "<absent>"):
            path = [before]
        return [after, *path]
    if name == "sys_restored" and action == "removed":
        if path and path[0] == before:
            path = path[1:]
        if after not in (None, "<absent>") and (not path or path[0] != after):
            path = [after, *path]
        return path
    if action == "already gone":
        return path if path else ([after] if after not in (None, "<absent>") else [])
    if after in (None, "<absent>"):
        return []
    return [after, *path[1:]]


def _exec_outcome(data: Mapping[str, Any]) -> str:
    outcome = data.get("outcome")
    if outcome == "exit":
        return f"sys.exit({_short(data.get('exit_code'))})"
    if outcome == "raised":
        return f"raised {data.get('exception')}"
    return "returned normally" if outcome == "returned" else str(outcome)


def _run_outcome(data: Mapping[str, Any]) -> str:
    outcome = data.get("outcome")
    if outcome == "returned":
        return "returned"
    return f"{outcome} {data.get('exception') or ''}".strip()


# -- the event in words ----------------------------------------------------------------


def _short(value: Any, limit: int = 120) -> str:
    text = value if isinstance(value, str) and value.startswith("<") else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(event: Mapping[str, Any]) -> tuple[str, str]:
    """``(what happened, why)`` for one event record; any event name, known or not."""
    d = event.get("data") or {}
    name = event.get("event")
    if name == "run_started":
        extra = "".join(f", {k}={_short(d[k])}" for k in ("run_name", "alter_sys") if d.get(k) is not None)
        return f"{d.get('api')}({_short(d.get('target'))}{extra})", "a new run begins"
    if name == "run_finished":
        if d.get("outcome") == "returned":
            return f"{d.get('api')} returned", "end of this run"
        return f"{d.get('api')} ended: {d.get('outcome')} {d.get('exception') or ''}".strip(), "end of this run"
    if name == "stage_failed":
        return (f"{d.get('error_type')}: {d.get('message')}",
                f"{event.get('stage')} stops here; the error propagates")
    if name == "parent_imported":
        return (f"imported parent package {_short(d.get('package'))}",
                "parents are imported first, so their own errors show as themselves")
    if name == "already_imported":
        return (f"{_short(d.get('module'))} is already in sys.modules",
                "RuntimeWarning: the run gets a second, separate copy")
    if name == "spec_found":
        spec = d.get("spec") or {}
        kind = "package" if spec.get("is_package") else "module"
        return (f"found {kind} {_short(d.get('name'))} at {spec.get('origin')} ({spec.get('loader')})",
                "the import system located it; nothing has run yet")
    if name == "package_redirect":
        return (f"{_short(d.get('package'))} is a package, so {_short(d.get('main'))} runs instead",
                "a package's __main__ submodule is its entry point: find_spec and pick_main again")
    if name == "path_classified":
        entry = d.get("kind") == "sys.path entry"
        return (f"{_short(d.get('path'))} is a {d.get('kind')}",
                "an importer accepts it, so its __main__ will be imported" if entry
                else "no importer accepts it, so it is read as a file")
    if name == "code_loaded":
        return f"code for {_short(d.get('name'))} from {d.get('source')}", "this code object is what will run"
    if name == "globals_built":
        specials = d.get("specials") or {}
        shown = ", ".join(f"{k}={_short(specials[k], 40)}" for k in ("__name__", "__package__", "__spec__")
                          if k in specials)
        return f"globals: {shown}", "the special globals override init_globals"
    if name == "sys_changed":
        how = d.get("action")
        what = f"{d.get('target')}: {_short(d.get('before'))} -> {_short(d.get('after'))}"
        if how and how != "set":
            what += f" ({how})"
        return what, "kept for the life of the process" if d.get("lasting") else "undone in restore"
    if name == "sys_restored":
        how = d.get("action")
        what = f"{d.get('target')}: {_short(d.get('before'))} -> {_short(d.get('after'))}"
        if how and how != "set":
            what += f" ({how})"
        return what, "the caller gets back what it had, even after an exception"
    if name == "exec_started":
        return f"executing {_short(d.get('name'))} in a {d.get('namespace')}", "the module's own code runs now"
    if name == "exec_finished":
        return f"{_short(d.get('name'))}: {_exec_outcome(d)}", (
            "the code returned normally" if d.get("outcome") == "returned" else "the exception propagates unchanged")
    fields = ", ".join(f"{k}={_short(v, 60)}" for k, v in d.items())
    return f"{name}: {fields}" if fields else str(name), "(an event this page does not know: shown as recorded)"


# -- HTML ------------------------------------------------------------------------------------

_e = html.escape


def _value(value: Any) -> str:
    return f"<code>{_e(_short(value, 200))}</code>"


def _argv_html(state: Mapping[str, Any]) -> str:
    if state["argv"] is not None:
        return _value(state["argv"])
    if state["argv0"] is not None:
        return f"<code>[{_e(_short(state['argv0'], 200))}, …]</code> <span class='rs-note'>(the rest as the " \
               f"caller had it)</span>"
    return "<span class='rs-note'>as the caller had it (not shown by the trace yet)</span>"


def _path_html(state: Mapping[str, Any]) -> str:
    if not state["path"]:
        return "<span class='rs-note'>as the caller had it (not shown by the trace yet)</span>"
    items = "".join(f"<li>{_value(entry)}</li>" for entry in state["path"][:4])
    return f"<ol class='rs-path' start='0'>{items}<li class='rs-note'>…</li></ol>"


def _main_html(state: Mapping[str, Any]) -> str:
    main = state["modules"].get("__main__")
    if main is None:
        return "<span class='rs-note'>the caller's (not shown by the trace yet)</span>"
    return _value(main)


def _modules_html(state: Mapping[str, Any]) -> str:
    others = {k: v for k, v in state["modules"].items() if k != "__main__"}
    if not others:
        return ""
    rows = "".join(f"<li><code>sys.modules[{_e(repr(k))}]</code> {_value(v)}</li>" for k, v in others.items())
    return f"<ul class='rs-modules'>{rows}</ul>"


def _globals_html(state: Mapping[str, Any]) -> str:
    specials = state["globals"]
    if specials is None:
        return "<span class='rs-note'>not decided yet (build_globals has not run in this run)</span>"
    rows = "".join(f"<tr><th scope='row'><code>{_e(k)}</code></th><td>{_value(v)}</td></tr>"
                   for k, v in specials.items())
    extra = ""
    if state["kept"]:
        extra += f"<p>kept from init_globals: {_value(state['kept'])}</p>"
    if state["overridden"]:
        extra += f"<p>overridden (init_globals lose): {_value(state['overridden'])}</p>"
    if state["namespace"]:
        extra += f"<p>the code runs in: {_e(str(state['namespace']))}</p>"
    if state["outcome"]:
        extra += f"<p>ending: <strong>{_e(str(state['outcome']))}</strong></p>"
    return f"<table class='rs-globals'><tbody>{rows}</tbody></table>{extra}"


def _diagram_html(state: Mapping[str, Any] | None) -> str:
    """The six stages in order, the current one lit; the redirect loop and restore's ``finally``."""
    lit = state["stage"] if state else None
    redirect = state["redirect"] if state else None
    items = []
    for number, (stage, question) in enumerate(STAGES, 1):
        classes = ["rs-stage"] + (["rs-lit"] if stage == lit else [])
        label = f"<span class='rs-num'>{number}</span> <code>{stage}</code><span class='rs-q'>{question}</span>"
        if stage == "pick_main":
            loop = "a package goes round again: find_spec, pick_main for <code>PKG.__main__</code>"
            if redirect:
                loop = f"<code>{_e(str(redirect[0]))}</code> is a package: round again for " \
                       f"<code>{_e(str(redirect[1]))}</code>"
                classes.append("rs-looped")
            label += f"<span class='rs-loop'>↺ {loop}</span>"
        if stage == "restore":
            label += "<span class='rs-finally'>in <code>finally:</code>, it always runs</span>"
        current = " aria-current='step'" if stage == lit else ""
        items.append(f"<li class='{' '.join(classes)}' data-stage='{stage}'{current}>{label}</li>")
    run_lit = " rs-lit" if lit == "run" else ""
    return (f"<div class='rs-diagram'><p class='rs-runline{run_lit}'>the run: started, then the stages, "
            f"then finished</p><ol class='rs-stages'>{''.join(items)}</ol></div>")


Linker = Callable[[str], "str | None"]
"""Catalogue ID -> the URL of its entry (or None): the docs link IDs; a standalone page has nowhere to go."""


def _ids_html(event: Mapping[str, Any], link: Linker | None) -> str:
    parts = []
    for bid in event.get("behaviours") or []:
        url = link(bid) if link else None
        parts.append(f"<a href='{_e(url)}'>{_e(bid)}</a>" if url else _e(bid))
    return ", ".join(parts)


def _step_panel(index: int, event: Mapping[str, Any], state: Mapping[str, Any], total: int,
                link: Linker | None = None) -> str:
    what, why = describe(event)
    ids = _ids_html(event, link)
    error = f"<p class='rs-error'>{_e(state['error'])}</p>" if state.get("error") else ""
    return (
        f"<div class='rs-event'><p class='rs-count'>step {index} of {total} · stage "
        f"<code>{_e(str(event.get('stage')))}</code> · event <code>{_e(str(event.get('event')))}</code></p>"
        f"<p class='rs-what'>{_e(what)}</p><p class='rs-why'>{_e(why)}</p>"
        + (f"<p class='rs-ids'>documented behaviours: {ids}</p>" if ids else "") + error + "</div>"
        f"<div class='rs-panels'>"
        f"<section class='rs-panel' data-panel='argv'><h3>sys.argv</h3>{_argv_html(state)}</section>"
        f"<section class='rs-panel' data-panel='path'><h3>sys.path, first entries</h3>{_path_html(state)}</section>"
        f"<section class='rs-panel' data-panel='main'><h3>sys.modules['__main__']</h3>{_main_html(state)}"
        f"{_modules_html(state)}</section>"
        f"<section class='rs-panel rs-wide' data-panel='globals'><h3>the globals being built</h3>"
        f"{_globals_html(state)}</section>"
        f"<section class='rs-panel rs-wide' data-panel='stages'><h3>where the run is</h3>"
        f"{_diagram_html(state)}</section>"
        "</div>"
    )


def _summary_cell(state: Mapping[str, Any]) -> str:
    parts = [f"<dt>sys.argv</dt><dd>{_argv_html(state)}</dd>",
             f"<dt>sys.path</dt><dd>{_path_html(state)}</dd>",
             f"<dt>__main__</dt><dd>{_main_html(state)}{_modules_html(state)}</dd>"]
    if state["globals"] is not None:
        specials = state["globals"]
        shown = ", ".join(f"{k}={_short(specials[k], 40)}" for k in ("__name__", "__package__", "__spec__")
                          if k in specials)
        parts.append(f"<dt>globals</dt><dd><code>{_e(shown)}</code></dd>")
    if state["outcome"]:
        parts.append(f"<dt>ending</dt><dd>{_e(str(state['outcome']))}</dd>")
    return f"<dl class='rs-summary'>{''.join(parts)}</dl>"


def render_fragment(header: Mapping[str, Any], events: Sequence[Mapping[str, Any]], *,
                    id_prefix: str = "", title: str = "", table: bool = True, link: Linker | None = None) -> str:
    """The stepper as a ``<div>`` to put inside a page that has :data:`STEPPER_CSS` and :data:`STEPPER_JS`.

    Step anchors are ``{id_prefix}step-N``; give each stepper of one page
    its own prefix.  ``table=False`` leaves out the table of every step, for
    a page that shows the trace already (readers without scripts then see
    a one-line note instead of the stepper).  ``link`` turns a catalogue ID
    into the URL of its entry, where there is one to go to.
    """
    events = [dict(e) for e in events]
    all_states = states(events)
    total = len(events)
    interp = header.get("interpreter") or {}
    about = f"{interp.get('implementation', '?')} {interp.get('version', '?')}, profile {header.get('profile', '?')}"
    rows, templates = [], []
    for index, (event, state) in enumerate(zip(events, all_states), 1):
        what, why = describe(event)
        anchor = f"{id_prefix}step-{index}"
        ids = _ids_html(event, link)
        rows.append(
            f"<tr id='{_e(anchor)}'><th scope='row'><a href='#{_e(anchor)}'>{index}</a></th>"
            f"<td><code>{_e(str(event.get('stage')))}</code></td>"
            f"<td><p class='rs-what'>{_e(what)}</p><p class='rs-why'>{_e(why)}</p>"
            + (f"<p class='rs-ids'>{ids}</p>" if ids else "") +
            f"</td><td>{_summary_cell(state)}</td></tr>")
        templates.append(f"<template data-step='{index}'>{_step_panel(index, event, state, total, link)}</template>")
    heading = f"<p class='rs-title'>{_e(title)}</p>" if title else ""
    empty = "" if events else "<p>This trace has no events.</p>"
    return (
        f"<div class='runpy-stepper' data-runpy-stepper data-prefix='{_e(id_prefix)}' data-total='{total}'>"
        f"{heading}<p class='rs-about'>runpy_ref trace of {_e(about)}: {total} events"
        f"{'' if header.get('deterministic') is not False else ' (paths as they were)'}.</p>{empty}"
        "<div class='rs-interactive' hidden>"
        "<div class='rs-controls'>"
        "<button type='button' class='rs-prev'>Previous</button>"
        "<button type='button' class='rs-next'>Next</button>"
        f"<span class='rs-position' aria-live='polite'></span>"
        "<span class='rs-keys'>(or the ← and → keys)</span>"
        "</div><div class='rs-view' tabindex='-1'></div></div>"
        + (
            "<div class='rs-all'><p class='rs-tablenote'>Every step, with the state after it:</p>"
            "<div class='rs-tablewrap'><table class='rs-table'><thead><tr><th scope='col'>step</th>"
            "<th scope='col'>stage</th><th scope='col'>what happened, and why</th>"
            "<th scope='col'>state after it</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div></div>"
            if table else
            "<noscript><p class='rs-note'>With scripts on, this run can be stepped through here, "
            "with the state of sys after each step.</p></noscript>"
        )
        + f"{''.join(templates)}</div>"
    )


def render_html(header: Mapping[str, Any], events: Sequence[Mapping[str, Any]], *, title: str = "",
                footer: Mapping[str, Any] | None = None) -> str:
    """One self-contained HTML document: the stepper over ``events`` (see the module docstring).

    ``footer`` is the trace's closing record when there is one; the page
    says whether the trace was complete.
    """
    title = title or _default_title(events)
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
        f"<title>{_e(title)}</title><style>{STEPPER_CSS}</style></head>"
        f"<body class='rs-page'><header><h1>{_e(title)}</h1></header><main>"
        f"{render_fragment(header, events)}{_footer_note(footer, len(events))}</main>"
        f"<script>{STEPPER_JS}</script></body></html>\n"
    )


def _footer_note(footer: Mapping[str, Any] | None, count: int) -> str:
    if footer is None:
        return ""
    if footer.get("complete"):
        return f"<p class='rs-footnote'>The trace is complete: {_e(str(footer.get('events', count)))} events.</p>"
    return "<p class='rs-footnote'>The trace was cut short.</p>"


def _default_title(events: Sequence[Mapping[str, Any]]) -> str:
    for event in events:
        if event.get("event") == "run_started":
            what, _ = describe(event)
            return f"runpy_ref: {what}"
    return "runpy_ref trace"


class HtmlSink:
    """A trace sink that writes the stepper page when the trace ends.

    Events are kept as plain dicts (``event.as_dict()``) as they come; the
    page needs the whole run, so it is written once: when the tracer hands
    over the footer (the trace is complete), or at ``flush`` for a trace
    that ends without one (the page then says it was cut short).
    """

    def __init__(self, stream: IO[str], *, title: str = "") -> None:
        self.stream = stream
        self.title = title
        self._header: dict[str, Any] = {}
        self._events: list[dict[str, Any]] = []
        self._footer: dict[str, Any] | None = None
        self._written = False

    def header(self, header: dict[str, Any]) -> None:
        self._header = dict(header)

    def event(self, event: Any) -> None:
        self._events.append(event.as_dict() if hasattr(event, "as_dict") else dict(event))

    def footer(self, footer: dict[str, Any]) -> None:
        self._footer = dict(footer)
        self.flush()

    def flush(self) -> None:
        if self._written:
            return
        self._written = True
        self.stream.write(render_html(self._header, self._events, title=self.title, footer=self._footer))
        self.stream.flush()


# -- before, during, after: what a run changes in sys ---------------------------------------------


def sys_picture(events: Sequence[Mapping[str, Any]]) -> list[tuple[str, Any, Any, Any]]:
    """``(target, before the call, while the code runs, after the call)`` for each part of ``sys`` a run changes.

    Built from the events alone: *before* is what the first change of a
    target replaced, *while* what the last change before the code started
    left there (or *before*, if nothing had changed it yet), *after* what
    the last event about it left.  Changes the run made for good (``python
    -m``) show up as such: their *after* is not their *before*.
    """
    rows: dict[str, list[Any]] = {}
    running = False
    for event in events:
        name = event.get("event")
        if name == "exec_started":
            running = True
            for row in rows.values():
                row[2] = row[3]
            continue
        if name not in ("sys_changed", "sys_restored"):
            continue
        data = event.get("data") or {}
        target = str(data.get("target"))
        row = rows.setdefault(target, [target, data.get("before"), None, data.get("before")])
        row[3] = data.get("after")
        if not running:
            row[2] = row[3]
    for row in rows.values():
        if row[2] is None:
            row[2] = row[1]
    return [tuple(row) for row in rows.values()]  # type: ignore[misc]


def render_sys_picture(events: Sequence[Mapping[str, Any]], caption: str = "") -> str:
    """:func:`sys_picture` as an HTML table; a cell that differs from *before* is marked."""
    body = []
    for target, before, during, after in sys_picture(events):
        cells = []
        for value in (before, during, after):
            changed = " class='rs-changed'" if value != before else ""
            cells.append(f"<td{changed}>{_value(value)}</td>")
        body.append(f"<tr><th scope='row'><code>{_e(target)}</code></th>{''.join(cells)}</tr>")
    head = ("<thead><tr><th scope='col'>what</th><th scope='col'>before the call</th>"
            "<th scope='col'>while the code runs</th><th scope='col'>after the call</th></tr></thead>")
    cap = f"<caption>{_e(caption)}</caption>" if caption else ""
    return (f"<div class='runpy-stepper rs-picture'><div class='rs-tablewrap'><table class='rs-table'>{cap}"
            f"{head}<tbody>{''.join(body)}</tbody></table></div></div>")


# -- the page's style and script --------------------------------------------------------------

STEPPER_CSS = """
.runpy-stepper{--rs-fg:#1b1b1f;--rs-bg:#fff;--rs-muted:#5b5b66;--rs-line:#c9c9d3;--rs-panel:#f6f6f9;
--rs-lit:#ffe08a;--rs-lit-fg:#1b1b1f;--rs-accent:#2456c8;--rs-error:#a1162b;color:var(--rs-fg);
font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:72rem}
@media (prefers-color-scheme:dark){.runpy-stepper{--rs-fg:#e7e7ee;--rs-bg:#16161b;--rs-muted:#a9a9b8;
--rs-line:#3b3b47;--rs-panel:#202028;--rs-lit:#7a5b00;--rs-lit-fg:#fff;--rs-accent:#8fb0ff;--rs-error:#ff8fa0}}
body[data-theme=dark] .runpy-stepper{--rs-fg:#e7e7ee;--rs-bg:#16161b;--rs-muted:#a9a9b8;--rs-line:#3b3b47;
--rs-panel:#202028;--rs-lit:#7a5b00;--rs-lit-fg:#fff;--rs-accent:#8fb0ff;--rs-error:#ff8fa0}
body[data-theme=light] .runpy-stepper{--rs-fg:#1b1b1f;--rs-bg:#fff;--rs-muted:#5b5b66;--rs-line:#c9c9d3;
--rs-panel:#f6f6f9;--rs-lit:#ffe08a;--rs-lit-fg:#1b1b1f;--rs-accent:#2456c8;--rs-error:#a1162b}
.rs-page{margin:0;padding:1rem;background:#fff;color:#1b1b1f;
font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif}
@media (prefers-color-scheme:dark){.rs-page{background:#16161b;color:#e7e7ee}}
.rs-page h1{font-size:1.25rem;margin:0 0 .5rem;overflow-wrap:anywhere}
.runpy-stepper code{font:0.9em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
.runpy-stepper .rs-about,.runpy-stepper .rs-note,.runpy-stepper .rs-why,.runpy-stepper .rs-ids,
.runpy-stepper .rs-keys,.runpy-stepper .rs-count{color:var(--rs-muted)}
.runpy-stepper .rs-title{font-weight:600;margin:.25rem 0}
.runpy-stepper p{margin:.2rem 0}
.runpy-stepper .rs-controls{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0}
.runpy-stepper button{font:inherit;padding:.45rem 1.1rem;min-height:2.75rem;border:1px solid var(--rs-line);
border-radius:.4rem;background:var(--rs-panel);color:var(--rs-fg);cursor:pointer}
.runpy-stepper button:focus-visible{outline:3px solid var(--rs-accent);outline-offset:2px}
.runpy-stepper button:disabled{opacity:.45;cursor:default}
.runpy-stepper .rs-position{font-weight:600}
.runpy-stepper .rs-what{font-weight:600;overflow-wrap:anywhere}
.runpy-stepper a{color:var(--rs-accent)}
.runpy-stepper .rs-error{color:var(--rs-error);font-weight:600}
.runpy-stepper .rs-panels{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:.6rem;
margin-top:.6rem}
.runpy-stepper .rs-panel{background:var(--rs-panel);border:1px solid var(--rs-line);border-radius:.4rem;
padding:.5rem .7rem;min-width:0}
.runpy-stepper .rs-wide{grid-column:1/-1}
.runpy-stepper .rs-panel h3{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;margin:0 0 .3rem;
color:var(--rs-muted)}
.runpy-stepper .rs-path{margin:0;padding-left:1.6rem}
.runpy-stepper .rs-modules{margin:.3rem 0 0;padding-left:1.1rem}
.runpy-stepper .rs-globals{border-collapse:collapse}
.runpy-stepper .rs-globals th{text-align:left;padding:.1rem .8rem .1rem 0;font-weight:400}
.runpy-stepper .rs-stages{list-style:none;display:flex;flex-wrap:wrap;gap:.4rem;margin:.3rem 0 0;padding:0}
.runpy-stepper .rs-stage{flex:1 1 9rem;border:1px solid var(--rs-line);border-radius:.4rem;padding:.35rem .5rem;
background:var(--rs-bg);position:relative}
.runpy-stepper .rs-stage.rs-lit{background:var(--rs-lit);color:var(--rs-lit-fg);border-color:var(--rs-fg);
box-shadow:0 0 0 2px var(--rs-fg)}
.runpy-stepper .rs-num{display:inline-block;min-width:1.3rem;font-weight:700}
.runpy-stepper .rs-q,.runpy-stepper .rs-loop,.runpy-stepper .rs-finally{display:block;font-size:.8rem}
.runpy-stepper .rs-loop,.runpy-stepper .rs-finally{margin-top:.2rem;border-top:1px dashed var(--rs-line);
padding-top:.2rem}
.runpy-stepper .rs-looped .rs-loop{font-weight:700}
.runpy-stepper .rs-stage[data-stage=restore]{border-style:dashed}
.runpy-stepper .rs-runline{font-size:.85rem;margin:0;padding:.15rem .4rem;border-radius:.3rem}
.runpy-stepper .rs-runline.rs-lit{background:var(--rs-lit);color:var(--rs-lit-fg)}
.runpy-stepper .rs-tablewrap{overflow-x:auto}
.runpy-stepper .rs-table{border-collapse:collapse;width:100%}
.runpy-stepper .rs-table th,.runpy-stepper .rs-table td{border-top:1px solid var(--rs-line);padding:.35rem .5rem;
vertical-align:top;text-align:left}
.runpy-stepper .rs-table tr:target{background:var(--rs-lit);color:var(--rs-lit-fg)}
.runpy-stepper .rs-table td.rs-changed{background:var(--rs-lit);color:var(--rs-lit-fg)}
.runpy-stepper .rs-table caption{text-align:left;color:var(--rs-muted);padding:.2rem 0}
.runpy-stepper .rs-summary{margin:0;display:grid;grid-template-columns:auto 1fr;gap:.1rem .6rem}
.runpy-stepper .rs-summary dt{color:var(--rs-muted)}
.runpy-stepper .rs-summary dd{margin:0;min-width:0}
.runpy-stepper .rs-summary .rs-path{padding-left:1.2rem}
.runpy-stepper details.rs-all-details{margin-top:1rem}
@media (max-width:40rem){.runpy-stepper .rs-table thead{display:none}
.runpy-stepper .rs-table tr{display:block;border-top:1px solid var(--rs-line);padding:.3rem 0}
.runpy-stepper .rs-table th,.runpy-stepper .rs-table td{display:block;border:0;padding:.1rem .2rem}}
@media print{.runpy-stepper .rs-interactive{display:none}}
"""
"""The stepper's style: light and dark (the reader's setting, or the docs theme's), phone-sized too."""

STEPPER_JS = r"""
(function () {
  "use strict";
  function init(root) {
    var prefix = root.getAttribute("data-prefix") || "";
    var total = parseInt(root.getAttribute("data-total"), 10) || 0;
    if (!total) { return; }
    var templates = root.querySelectorAll("template[data-step]");
    var box = root.querySelector(".rs-interactive");
    var view = root.querySelector(".rs-view");
    var prev = root.querySelector(".rs-prev");
    var next = root.querySelector(".rs-next");
    var position = root.querySelector(".rs-position");
    var all = root.querySelector(".rs-all");
    var current = 0;
    if (all) {
      var details = document.createElement("details");
      details.className = "rs-all-details";
      var summary = document.createElement("summary");
      summary.textContent = "All " + total + " steps as one table";
      details.appendChild(summary);
      all.parentNode.insertBefore(details, all);
      details.appendChild(all);
      // The rows keep their anchors for a reader without scripts; here the stepper answers #step-N,
      // so the rows give theirs up (a matching row would open the table and scroll to it).
      var rows = all.querySelectorAll("tr[id]");
      for (var r = 0; r < rows.length; r++) {
        rows[r].setAttribute("data-step-id", rows[r].id);
        rows[r].removeAttribute("id");
      }
    }
    box.hidden = false;
    function stepFromHash() {
      var match = /^#(.*)step-(\d+)$/.exec(window.location.hash);
      if (!match || match[1] !== prefix) { return 0; }
      var n = parseInt(match[2], 10);
      return n >= 1 && n <= total ? n : 0;
    }
    function show(n, focus) {
      current = Math.min(Math.max(n, 1), total);
      while (view.firstChild) { view.removeChild(view.firstChild); }
      view.appendChild(document.importNode(templates[current - 1].content, true));
      prev.disabled = current === 1;
      next.disabled = current === total;
      position.textContent = "Step " + current + " of " + total;
      root.setAttribute("data-current", String(current));
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, "", "#" + prefix + "step-" + current);
      }
      if (focus) { view.focus({preventScroll: true}); }
    }
    prev.addEventListener("click", function () { show(current - 1); });
    next.addEventListener("click", function () { show(current + 1); });
    root.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) { return; }
      if (event.key === "ArrowRight") { show(current + 1); event.preventDefault(); }
      if (event.key === "ArrowLeft") { show(current - 1); event.preventDefault(); }
    });
    if (document.querySelectorAll("[data-runpy-stepper]").length === 1) {
      document.addEventListener("keydown", function (event) {
        var tag = (event.target && event.target.tagName) || "";
        if (root.contains(event.target) || /INPUT|TEXTAREA|SELECT/.test(tag)) { return; }
        if (event.altKey || event.ctrlKey || event.metaKey) { return; }
        if (event.key === "ArrowRight") { show(current + 1); event.preventDefault(); }
        if (event.key === "ArrowLeft") { show(current - 1); event.preventDefault(); }
      });
    }
    window.addEventListener("hashchange", function () {
      var n = stepFromHash();
      if (n && n !== current) { show(n); }
    });
    var start = stepFromHash();
    show(start || 1);
    if (start) { root.scrollIntoView(); }
  }
  function ready() {
    var roots = document.querySelectorAll("[data-runpy-stepper]");
    for (var i = 0; i < roots.length; i++) { init(roots[i]); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); }
  else { ready(); }
})();
"""
"""The stepper's script: shows one step's prepared panel at a time; nothing is fetched."""


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m runpy_ref.stepper TRACE.jsonl [OUT.html]``: a page from a JSON Lines trace file."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help") or len(args) > 2:
        print("usage: python -m runpy_ref.stepper TRACE.jsonl [OUT.html]  (a JSON Lines trace, "
              "as --trace-format json writes it)", file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8") as stream:
        header, events, footer = read_jsonl(stream.read())
    page = render_html(header, events, footer=footer)
    if len(args) == 2:
        with open(args[1], "w", encoding="utf-8") as out:
            out.write(page)
    else:
        sys.stdout.write(page)
    return 0


def read_jsonl(text: str) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any] | None]:
    """``(header, events, footer)`` from the text of a JSON Lines trace (``footer`` None when absent)."""
    header: dict[str, Any] = {}
    events: list[dict[str, Any]] = []
    footer: dict[str, Any] | None = None
    for line in text.splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        if "schema" in record and not header:
            header = record
        elif "seq" in record and "event" in record:
            events.append(record)
        elif "complete" in record:
            footer = record
    return header, events, footer


if __name__ == "__main__":
    raise SystemExit(main())
