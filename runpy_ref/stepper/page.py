"""The stepper's HTML: one panel per step, the table of every step, the page around them.

Values are escaped, and nothing in the HTML loads anything: the style and
the script are inlined by :func:`render_html` (or served by the page that
embeds :func:`render_fragment`).
"""

from __future__ import annotations

import html

from .._lean import TYPE_CHECKING
from .assets import STEPPER_CSS, STEPPER_JS
from .state import STAGES, short, states, sys_picture
from .words import describe

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from typing import Any

    Linker = Callable[[str], "str | None"]
    """Catalogue ID -> the URL of its entry (or None): the docs link IDs; a standalone page has nowhere to go."""

__all__ = ["render_fragment", "render_html", "render_sys_picture"]


_e = html.escape

def _value(value: Any) -> str:
    return f"<code>{_e(short(value, 200))}</code>"

def _argv_html(state: Mapping[str, Any]) -> str:
    if state["argv"] is not None:
        return _value(state["argv"])
    if state["argv0"] is not None:
        return f"<code>[{_e(short(state['argv0'], 200))}, …]</code> <span class='rs-note'>(the rest as the " \
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
        shown = ", ".join(f"{k}={short(specials[k], 40)}" for k in ("__name__", "__package__", "__spec__")
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
        return ("<p class='rs-footnote'>The trace has no closing record: the run was cut short (the "
                "program died first) or is still going on.</p>")
    if footer.get("complete"):
        return f"<p class='rs-footnote'>The trace is complete: {_e(str(footer.get('events', count)))} events.</p>"
    return "<p class='rs-footnote'>The trace was cut short.</p>"

def _default_title(events: Sequence[Mapping[str, Any]]) -> str:
    for event in events:
        if event.get("event") == "run_started":
            what, _ = describe(event)
            return f"runpy_ref: {what}"
    return "runpy_ref trace"

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
