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
    "runpy_docs_history",
    "runpy_docs_catalogue",
    "runpy_docs_reference",
    "runpy_docs_figures",
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


# -- names autodoc cannot qualify, and names reached through a package ------------------
# runpy_ref imports some annotation-only names inside ``if TYPE_CHECKING:`` (to keep
# ``python -m runpy_ref`` start-up lean), so autodoc sees a bare ``ModuleType`` or
# ``Profile``.  Qualify the few stdlib names that can appear that way, then let
# intersphinx resolve them; a bare name of runpy_ref's own resolves to the one documented
# object of that name.  And every object is documented once, where it is defined, so a
# name reached through a package face (``runpy_ref.tracing``, ``runpy_ref.stages.use_stages``)
# links to that definition.
STDLIB_NAMES = {
    "ModuleType": "types.ModuleType",
    "CodeType": "types.CodeType",
    "TracebackType": "types.TracebackType",
    "ModuleSpec": "importlib.machinery.ModuleSpec",
    "Any": "typing.Any",
    "IO": "typing.IO",
    "NoReturn": "typing.NoReturn",
    "Protocol": "typing.Protocol",
    "ContextVar": "contextvars.ContextVar",
    "Token": "contextvars.Token",
    "Callable": "collections.abc.Callable",
    "Iterator": "collections.abc.Iterator",
    "Sequence": "collections.abc.Sequence",
}


def _defined_at(dotted: str) -> str | None:
    """Where the runpy_ref object named ``dotted`` is defined, if that is another name.

    ``runpy_ref.stages.use_stages`` -> ``runpy_ref.stages.table.use_stages``.
    """
    import importlib
    import types

    parts = dotted.split(".")
    if parts[0] != "runpy_ref":
        return None
    for cut in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for name in parts[cut:]:
                obj = getattr(obj, name)
        except AttributeError:
            return None
        break
    else:
        return None
    if isinstance(obj, types.ModuleType):
        home = obj.__name__
    else:
        module, qualname = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
        if not isinstance(module, str) or not isinstance(qualname, str):
            return None
        home = f"{module}.{qualname}"
    return home if home != dotted and home.startswith("runpy_ref") else None


def _only_documented(env: Any, name: str) -> str | None:
    """The one documented runpy_ref object whose last name is ``name``, if there is exactly one."""
    objects = env.get_domain("py").objects
    found = [key for key in objects if key.startswith("runpy_ref.") and key.endswith("." + name)
             and not objects[key].aliased]
    return found[0] if len(found) == 1 else None


def _resolve_missing(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    from sphinx.ext import intersphinx

    target = node.get("reftarget")
    if node.get("refdomain") != "py" or not target:
        return None
    if target in STDLIB_NAMES:
        node["reftarget"] = STDLIB_NAMES[target]
        return intersphinx.resolve_reference_detect_inventory(env, node, contnode)
    if "." in target.lstrip("."):
        context = node.get("py:module")
        candidates = [target] + ([f"{context}.{target}"] if context and not target.startswith("runpy_ref.") else [])
        home = next((found for found in map(_defined_at, candidates) if found), None)
    else:
        home = _defined_at(f"{node.get('py:module')}.{target}") if node.get("py:module") else None
        home = home or _only_documented(env, target)
    if home is None:
        return None
    return env.get_domain("py").resolve_xref(env, node["refdoc"], app.builder, node["reftype"], home, node,
                                             contnode)


# -- the signature of a value class is its fields ----------------------------------------
# Records, changes, profiles and options share one constructor, ``Value(*args, **kwargs)``
# (runpy_ref/values.py), which says nothing; their real signature is their fields, in order,
# with the class attribute as default.  Show that instead.


def _shown_default(value: Any) -> str:
    name = getattr(value, "__name__", None)
    return name if callable(value) and isinstance(name, str) else repr(value)


def value_signature(cls: type) -> str | None:
    """``(value, lasting=False, ids=('RM-17',))`` for a runpy_ref value class; None for any other class."""
    from runpy_ref.values import Value

    if not (isinstance(cls, type) and issubclass(cls, Value) and cls.FIELDS):
        return None
    shown = [name if not hasattr(cls, name) else f"{name}={_shown_default(getattr(cls, name))}"
             for name in cls.FIELDS]
    return "(" + ", ".join(shown) + ")"


def _value_class_signature(app: Any, what: str, name: str, obj: Any, options: Any, signature: Any,
                           return_annotation: Any) -> Any:
    if what != "class":
        return None
    shown = value_signature(obj)
    return None if shown is None else (shown, return_annotation)


def setup(app: Any) -> None:
    app.connect("missing-reference", _resolve_missing)
    app.connect("autodoc-process-signature", _value_class_signature)
