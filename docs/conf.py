"""Sphinx configuration for the runpy_ref documentation.

Build (offline, warnings are errors, every cross-reference must resolve)::

    python -m sphinx -W -n --keep-going -b html docs docs/_build/html
    python -m sphinx -W -n --keep-going -b doctest docs docs/_build/doctest

The pages are literate: source is included from ``runpy_ref/`` by object
name, traces are produced at build time and checked against the golden files
in ``docs/_golden`` (``RUNPY_REF_UPDATE_GOLDEN=1`` rewrites them), and the
catalogue and conformance pages are generated from the project's data.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))
sys.path.insert(0, str(ROOT))

import runpy_ref  # noqa: E402 - after the path set-up above

project = "runpy_ref"
author = "the runpy_ref authors"
copyright = "the runpy_ref authors"
release = version = runpy_ref.__version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
    "runpy_docs_tutorials",
    "runpy_docs_trace",
    "runpy_docs_catalogue",
    "runpy_docs_reference",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "_golden", "_inventories", "tests", "Thumbs.db", ".DS_Store", "README.md"]
templates_path: list[str] = []

# -- MyST ---------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "attrs_inline", "attrs_block"]
myst_heading_anchors = 3

# -- strictness -----------------------------------------------------------------
nitpicky = True
nitpick_ignore: list[tuple[str, str]] = []
nitpick_ignore_regex = [
    # Private helpers (a name or module starting with "_") show up in the signatures of public
    # functions, e.g. the context-manager class tracing() returns; they are deliberately not
    # documented, so a link to them cannot resolve.  Public names must still resolve.
    ("py:class", r"(?:[\w.]+\.)?_[A-Za-z]\w*(?:\.\w+)*"),
]

# -- intersphinx: local inventory, no network ----------------------------------------
intersphinx_mapping = {
    "python": ("https://docs.python.org/3.11/", str(DOCS / "_inventories" / "python-3.11-objects.inv")),
}
intersphinx_timeout = 1

# -- autodoc ---------------------------------------------------------------------
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_typehints_format = "short"
autodoc_preserve_defaults = True
autodoc_default_options = {"members": True}
python_use_unqualified_type_names = True

# -- doctest -----------------------------------------------------------------------
doctest_global_setup = """
import runpy_ref
"""
doctest_test_doctest_blocks = ""  # docstrings show contracts, not doctests; pages hold the doctests

# -- HTML ----------------------------------------------------------------------------
html_theme = "furo"
html_title = f"runpy_ref {release}"
html_static_path = ["_static"]
html_css_files = ["runpy_ref.css"]
html_favicon = "_static/favicon.svg"
html_show_sourcelink = False
html_theme_options = {
    "source_repository": "",
    "navigation_with_keys": True,
}
pygments_style = "friendly"
pygments_dark_style = "monokai"


# -- annotations that name stdlib types only under TYPE_CHECKING ------------------------
# runpy_ref imports some annotation-only names inside ``if TYPE_CHECKING:`` (to keep
# ``python -m runpy_ref`` start-up lean), so autodoc sees a bare ``ModuleType``.  Qualify
# the few stdlib names that can appear that way, then let intersphinx resolve them.
STDLIB_NAMES = {
    "ModuleType": "types.ModuleType",
    "CodeType": "types.CodeType",
    "TracebackType": "types.TracebackType",
    "Any": "typing.Any",
    "IO": "typing.IO",
    "Callable": "collections.abc.Callable",
    "Iterator": "collections.abc.Iterator",
    "Sequence": "collections.abc.Sequence",
}


def _qualify_stdlib_names(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    from sphinx.ext import intersphinx

    target = node.get("reftarget")
    if node.get("refdomain") != "py" or target not in STDLIB_NAMES:
        return None
    node["reftarget"] = STDLIB_NAMES[target]
    return intersphinx.resolve_reference_detect_inventory(env, node, contnode)


def setup(app: Any) -> None:
    app.connect("missing-reference", _qualify_stdlib_names)
