"""Literate coverage: every stage is shown from its real source, and goldens match pages.

The byterun chapter of "500 Lines or Less" kept its prose and code in step
with a line-diff script; here inclusion is structural (``:pyobject:``), and
this test checks the other direction: that no stage of the pipeline is left
out of the pages.
"""

from __future__ import annotations

import re
from pathlib import Path

from runpy_ref.stages import DEFAULT_STAGES, STAGE_NAMES

DOCS = Path(__file__).resolve().parent.parent
PAGES = [
    p for p in DOCS.rglob("*.md")
    if "_build" not in p.parts and "tests" not in p.parts and p != DOCS / "README.md"
]
INCLUDE = re.compile(r"```\{literalinclude\} /\.\./runpy_ref/(\w+)\.py\n:pyobject: (\w+)")
GOLDEN = re.compile(r"^:golden: (\S+)$", re.MULTILINE)


def _included() -> set[tuple[str, str]]:
    found = set()
    for page in PAGES:
        found |= set(INCLUDE.findall(page.read_text(encoding="utf-8")))
    return found


def test_every_stage_implementation_is_included_from_source() -> None:
    included = _included()
    for name in STAGE_NAMES:
        function = getattr(DEFAULT_STAGES, name)
        assert ("stages", function.__name__) in included, f"no page includes stages.{function.__name__}"


def test_entry_points_are_included_from_source() -> None:
    included = _included()
    for name in ("run_module", "run_path", "_run_module_as_main", "_get_main_module_details"):
        assert ("pipeline", name) in included, name


def test_goldens_and_pages_match_one_to_one() -> None:
    named: list[str] = []
    for page in PAGES:
        named += GOLDEN.findall(page.read_text(encoding="utf-8"))
    assert len(named) == len(set(named)), "a golden name is used twice"
    files = {p.stem for p in (DOCS / "_golden").glob("*.txt")}
    assert set(named) == files
