"""The built site holds what the generators promise: every entry, every trace.

Checks the HTML of a finished build (skipped without one, unless
``RUNPY_REF_DOCS_REQUIRE_RENDER=1``), so a generator that silently drops rows
cannot go unnoticed.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent
BUILD = Path(os.environ.get("RUNPY_REF_DOCS_HTML", DOCS / "_build" / "html"))
CATALOGUE = DOCS.parent / "conformance" / "catalogue" / "behaviours.json"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    if not (BUILD / "index.html").is_file():
        reason = f"no built docs at {BUILD}"
        print(f"test_built_site: {reason}")
        if os.environ.get("RUNPY_REF_DOCS_REQUIRE_RENDER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return {str(p.relative_to(BUILD)): p.read_text(encoding="utf-8") for p in BUILD.rglob("*.html")}


def test_every_catalogue_entry_has_an_anchor_on_its_section_page(pages: dict[str, str]) -> None:
    data = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    for entry in data["entries"]:
        page = pages[f"reference/catalogue/{entry['section']}.html"]
        assert f'id="behaviour-{entry["id"]}"' in page, entry["id"]


def test_every_golden_trace_is_on_a_page(pages: dict[str, str]) -> None:
    shown = set()
    for html in pages.values():
        shown |= set(re.findall(r'id="runpy-(?:trace|history)-([\w-]+)"', html))
    assert shown == {p.stem for p in (DOCS / "_golden").glob("*.txt")}


def test_matrix_page_covers_the_catalogue(pages: dict[str, str]) -> None:
    page = pages["reference/conformance.html"]
    data = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    rows = re.findall(r'<table class="[^"]*conformance-matrix.*?</table>', page, re.DOTALL)
    linked = set(re.findall(r'#behaviour-([A-Z]+-\d+)"', "".join(rows)))
    assert linked == {entry["id"] for entry in data["entries"]}


def test_no_page_references_a_missing_or_external_asset(pages: dict[str, str]) -> None:
    """Every page of the build, not only the ones the browser test opens."""
    from test_render import asset_problems

    problems = [problem for page in sorted(pages) for problem in asset_problems(BUILD, page)]
    assert problems == []
