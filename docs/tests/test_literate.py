"""Literate coverage: every stage is shown from its real source, and goldens match pages.

The byterun chapter of "500 Lines or Less" kept its prose and code in step
with a line-diff script; here inclusion is structural (``:pyobject:``), and
this test checks the other direction: that no stage of the pipeline is left
out of the pages, each shown from the file that defines it, and that no page
includes a file or an object that is not there any more (Sphinx only warns
about a missing ``:pyobject:`` when it builds that page).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from runpy_ref.stages import DEFAULT_STAGES, STAGE_NAMES

DOCS = Path(__file__).resolve().parent.parent
ROOT = DOCS.parent
PAGES = [
    p for p in DOCS.rglob("*.md")
    if "_build" not in p.parts and "tests" not in p.parts and p != DOCS / "README.md"
]
INCLUDE = re.compile(r"```\{literalinclude\} /\.\./(runpy_ref/[\w/]+\.py)\n:pyobject: ([\w.]+)")
GOLDEN = re.compile(r"^:golden: (\S+)$", re.MULTILINE)


def _included() -> set[tuple[str, str]]:
    """``(path from the repository root, object)`` for every ``:pyobject:`` include of runpy_ref source."""
    found = set()
    for page in PAGES:
        found |= set(INCLUDE.findall(page.read_text(encoding="utf-8")))
    return found


def _defined(path: Path) -> set[str]:
    """Top-level functions and classes of a file, and their methods as ``Class.method``."""
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            if isinstance(node, ast.ClassDef):
                names |= {f"{node.name}.{item.name}" for item in node.body
                          if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return names


def _source_path(module: str) -> str:
    return module.replace(".", "/") + ".py"


def test_the_pattern_finds_the_includes() -> None:
    assert len(_included()) > 20  # a changed include syntax must not make the tests below pass vacuously


@pytest.mark.parametrize("name", STAGE_NAMES)
def test_every_stage_implementation_is_included_from_its_own_file(name: str) -> None:
    function = getattr(DEFAULT_STAGES, name)
    where = (_source_path(function.__module__), function.__name__)
    assert where in _included(), f"no page includes {where[1]} from {where[0]}"


def test_every_stage_file_is_shown_on_a_page() -> None:
    shown = {path for path, _ in _included()}
    stage_files = {f"runpy_ref/stages/{p.name}" for p in (ROOT / "runpy_ref" / "stages").glob("*.py")}
    assert stage_files - {"runpy_ref/stages/__init__.py"} <= shown


def test_entry_points_and_the_redirect_loop_are_included_from_source() -> None:
    included = _included()
    for name in ("run_module", "run_path", "_run_module_as_main", "_get_module_details",
                 "_get_main_module_details"):
        assert ("runpy_ref/pipeline.py", name) in included, name
    assert ("runpy_ref/interpreter.py", "run_main_program") in included


def test_every_include_names_an_existing_file_and_object() -> None:
    problems = []
    for path, obj in sorted(_included()):
        source = ROOT / path
        if not source.is_file():
            problems.append(f"{path}: no such file")
        elif obj not in _defined(source):
            problems.append(f"{path}: no {obj}")
    assert problems == []


def test_no_page_includes_a_file_by_a_stale_name() -> None:
    """Plain ``literalinclude``s (schema files ...) must point at files that exist, too."""
    plain = re.compile(r"```\{literalinclude\} /\.\./(\S+)")
    missing = [
        f"{page.relative_to(DOCS)}: {target}"
        for page in PAGES
        for target in plain.findall(page.read_text(encoding="utf-8"))
        if not (ROOT / target).is_file()
    ]
    assert missing == []


def test_goldens_and_pages_match_one_to_one() -> None:
    named: list[str] = []
    for page in PAGES:
        named += GOLDEN.findall(page.read_text(encoding="utf-8"))
    assert len(named) == len(set(named)), "a golden name is used twice"
    files = {p.stem for p in (DOCS / "_golden").glob("*.txt")}
    assert set(named) == files


@pytest.mark.parametrize("golden", sorted((DOCS / "_golden").glob("*.txt")), ids=lambda p: p.stem)
def test_golden_traces_read_as_the_text_sink_writes_them(golden: Path) -> None:
    """Wrapped at 100 columns, and closed by the footer line with the right count."""
    lines = golden.read_text(encoding="utf-8").splitlines()
    end = next(i for i, line in enumerate(lines) if line.startswith("-> "))
    trace = [line for line in lines[2:end] if not line.startswith("    | ")]  # "    | ": the program's output
    assert all(len(line) <= 100 for line in trace), [line for line in trace if len(line) > 100]
    numbered = [line for line in trace[:-1] if re.match(r"^ {0,2}\d+ ", line)]
    assert trace[-1] == f"runpy_ref trace complete ({len(numbered)} events)"
