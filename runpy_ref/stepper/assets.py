"""The stepper's style and script, as text: inlined into a page, or written out as two static files."""

from __future__ import annotations

__all__ = ["STEPPER_CSS", "STEPPER_JS"]


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
