"""The pipeline figure: drawn from its table, faithful to the pipeline's order, with a text alternative."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("sphinx")

import runpy_docs_figures as fig


def _lane(key: str) -> fig.Lane:
    return next(lane for lane in fig.LANES if lane.key == key)


def test_the_table_is_consistent() -> None:
    fig.check()
    bad = fig.Lane("x", "x", "x", (fig.Step("a", "find_spec", "", ""),), (fig.Edge("loop", "a", "b", ""),))
    with pytest.raises(ValueError, match="bad edge"):
        fig.check((bad,))
    with pytest.raises(ValueError, match="not a stage"):
        fig.check((fig.Lane("x", "x", "x", (fig.Step("a", "parse", "", ""),), ()),))


def test_the_lanes_say_what_the_code_does() -> None:
    """The orders the figure claims, checked against the order the pipeline's trace shows."""
    assert [s.stage for s in _lane("run_module").steps] == [
        "find_spec", "pick_main", "build_globals", "alter_sys", "exec", "restore"]
    # python -m: sys.argv[0] is set before the globals are built (pipeline._run_module_as_main)
    m = [s.stage for s in _lane("python_m").steps]
    assert m.index("alter_sys") < m.index("build_globals") and "restore" not in m
    # run_path(dir): the path entry goes in before the lookup, __main__ comes back before exec
    rp = [s.key for s in _lane("run_path").steps]
    assert rp.index("path") < rp.index("find") < rp.index("back") < rp.index("exec") < rp.index("unpath")
    for lane in fig.LANES:
        loops = [e for e in lane.edges if e.kind == "loop"]
        assert [(e.start, e.end) for e in loops] == [("pick", "find")]


def test_run_path_lane_matches_a_real_trace(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The stages of a traced run_path(dir), in order, are the figure's run_path lane."""
    import runpy_ref

    (tmp_path / "__main__.py").write_text("x = 1\n")
    with runpy_ref.tracing() as tracer:
        runpy_ref.run_path(str(tmp_path))
    seen = [e.stage for e in tracer.events if e.stage != "run"]
    collapsed = [stage for n, stage in enumerate(seen) if n == 0 or seen[n - 1] != stage]
    drawn = [s.stage for s in _lane("run_path").steps]
    drawn = [stage for n, stage in enumerate(drawn) if n == 0 or drawn[n - 1] != stage]
    assert collapsed == drawn


def test_svg_has_a_viewbox_theme_colours_and_a_text_alternative() -> None:
    html = fig.figure_html(lambda stage: f"stages/{stage}.html", 0)
    assert html.count("<svg") == len(fig.LANES)
    assert all(re.search(r'viewBox="0 0 \d+ \d+" width="100%"', part) for part in html.split("<svg")[1:])
    assert "fill=\"#" not in html and "stroke=\"#" not in html  # colours come from the stylesheet
    assert 'aria-labelledby="pf0-run_path-t pf0-run_path-d"' in html
    assert '<a href="stages/find_spec.html">' in html
    assert html.count("<finally>") == 0 and html.count('class="pf-finally"') == 4
    words = html[html.index('<details class="pf-words">'):]
    assert "Step 6 undoes step 3 in a finally" in words
    assert "For a package, step 5 goes back to step 4" in words


def test_run_module_lane_matches_a_real_trace(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A package run with alter_sys=True goes round once and restores: the run_module lane, loop unrolled."""
    import sys

    import runpy_ref

    (tmp_path / "pkgfig").mkdir()
    (tmp_path / "pkgfig" / "__init__.py").write_text("")
    (tmp_path / "pkgfig" / "__main__.py").write_text("x = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with runpy_ref.tracing() as tracer:
        runpy_ref.run_module("pkgfig", alter_sys=True)
    for name in ("pkgfig", "pkgfig.__main__"):
        sys.modules.pop(name, None)
    seen = [e.stage for e in tracer.events if e.stage != "run"]
    collapsed = [stage for n, stage in enumerate(seen) if n == 0 or seen[n - 1] != stage]
    drawn = [s.stage for s in _lane("run_module").steps]
    assert collapsed == drawn[:2] + drawn[:2] + drawn[2:]  # find_spec, pick_main, then round again
