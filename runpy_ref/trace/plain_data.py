"""Safe conversion to plain data: what lets a trace outlive the run it describes.

An event holds strings, numbers, booleans, ``None``, lists and dicts, never
a live module, spec or code object, so a trace can be serialised, compared
and kept without keeping the run alive.  The conversion is

* **safe**: an object whose ``__repr__``, ``__str__`` or ``__getattr__``
  raises is described by a marker, so a hostile value in ``init_globals``
  cannot break a traced run;
* **bounded**: long text is cut with a marker giving the original length,
  long lists after :data:`LIST_LIMIT` items, nesting after
  :data:`DEPTH_LIMIT` levels (a list may contain itself);
* **exact**: the result is built from the exact types :mod:`json` writes
  (subclasses of ``str``/``int``/``float`` are copied down to them) and
  stays strict JSON (``nan`` and ``inf`` become strings);
* **deterministic on request**: with ``relative_to``, paths under that root
  read ``<root>/...``, the interpreter ``<python>``, runpy_ref's own files
  ``<runpy_ref>/...``, and memory addresses are blanked.
"""

from __future__ import annotations

import os
import sys
from types import CodeType

from .._lean import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

__all__ = ["DEPTH_LIMIT", "LIST_LIMIT", "REPR_LIMIT", "plain", "safe_repr", "safe_str"]

REPR_LIMIT = 160
"""Longer text is cut."""
LIST_LIMIT = 24
"""Longer lists and dicts are cut."""
DEPTH_LIMIT = 8
"""Containers nested deeper are described, not walked."""
INT_BITS = 1024
"""Larger ints are described, not written: ``str()`` of a huge int raises on 3.11+."""


def plain(value: Any, *, relative_to: str | None = None, limit: int = REPR_LIMIT) -> Any:
    """Convert ``value`` to JSON-ready data, describing live objects (see the module docstring)."""
    return _convert(value, relative_to or None, limit, 0)


def safe_repr(value: object, limit: int = REPR_LIMIT) -> str:
    """``repr(value)`` that never raises and never runs long."""
    return _bounded(_repr_text(value), limit)


def safe_str(exc: BaseException) -> str:
    """``str(exc)``, or a marker when its ``__str__`` raises: a user's exception must not be replaced."""
    try:
        return str(exc)
    except Exception as error:
        return f"<{type(exc).__name__} message; str() raised {type(error).__name__}>"


def _convert(value: Any, root: str | None, limit: int, depth: int) -> Any:
    if value is None or value is True or value is False:
        return value
    if isinstance(value, str):
        text = str.__str__(value)
        return _bounded(_relative(text, root) if root else text, limit)
    if isinstance(value, int):
        number = int.__int__(value)
        return number if number.bit_length() <= INT_BITS else f"<int of {number.bit_length()} bits>"
    if isinstance(value, float):
        number = float.__float__(value)
        return number if number - number == 0.0 else repr(number)  # nan and inf fail this test
    if isinstance(value, (list, tuple, dict)):
        if depth >= DEPTH_LIMIT:
            return f"<{type(value).__name__} nested deeper than {DEPTH_LIMIT}>"
        convert = _convert_dict if isinstance(value, dict) else _convert_list
        return convert(value, root, limit, depth + 1)
    try:
        return _describe(value, root, limit)
    except Exception:  # a hostile __getattr__ (hasattr lets non-AttributeErrors through)
        return _convert(_repr_text(value), root, limit, depth)


def _convert_list(items: Any, root: str | None, limit: int, depth: int) -> list[Any]:
    out = [_convert(item, root, limit, depth) for item in items[:LIST_LIMIT]]
    if len(items) > LIST_LIMIT:
        out.append(f"...<{len(items)} items>")
    return out


def _convert_dict(mapping: dict[Any, Any], root: str | None, limit: int, depth: int) -> dict[str, Any]:
    out = {}
    for key, item in list(mapping.items())[:LIST_LIMIT]:
        text = key if isinstance(key, str) else _repr_text(key)
        out[_convert(text, root, limit, depth)] = _convert(item, root, limit, depth)
    if len(mapping) > LIST_LIMIT:
        out["..."] = f"...<{len(mapping)} items>"
    return out


def _describe(value: Any, root: str | None, limit: int) -> Any:
    """A live object as a short description: specs, code objects, loaders; else its repr."""
    if isinstance(value, CodeType):
        return f"<code {value.co_name} from {_convert(value.co_filename, root, limit, 0)}>"
    if hasattr(value, "submodule_search_locations") and hasattr(value, "origin"):  # a module spec
        return describe_spec(value, root, limit)
    if type(value).__name__.endswith(("Loader", "Importer", "importer")):
        return f"<{type(value).__qualname__}>"
    return _convert(_repr_text(value), root, limit, 0)  # modules, paths, bytes, anything else


def describe_spec(spec: Any, root: str | None = None, limit: int = REPR_LIMIT) -> dict[str, Any]:
    """A module spec as the small dict the trace shows: name, origin, loader type, parent, package?, cache."""
    loader = spec.loader
    return {
        "name": _convert(spec.name, root, limit, 0),
        "origin": _convert(spec.origin, root, limit, 0),
        "loader": None if loader is None else type(loader).__qualname__,
        "parent": _convert(spec.parent, root, limit, 0),
        "is_package": spec.submodule_search_locations is not None,
        "cached": _convert(getattr(spec, "cached", None), root, limit, 0),
    }


def _repr_text(value: object) -> str:
    """``repr(value)``, or a marker naming the exception ``__repr__`` raised."""
    try:
        return repr(value)
    except Exception as exc:
        return f"<{type(value).__qualname__} object; repr raised {type(exc).__name__}>"


def _bounded(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[:limit]}...<{len(text)} chars>"


_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
"""runpy_ref's own directory, written ``<runpy_ref>`` in deterministic traces."""


def _relative(text: str, root: str) -> str:
    """Write paths under ``root`` as ``<root>/...``, the interpreter as ``<python>``; blank addresses.

    A match must start a path (not follow a name character or another path
    component), so that ``root="/"`` rewrites ``/usr/lib`` once, not at
    every slash; the bare root inside a message (``... in '/the/root'``)
    becomes ``<root>``.  The interpreter's path appears in ``python -m``'s
    one-line errors, and runpy_ref's own files in ``sys.argv`` under
    ``python -m runpy_ref``: both differ from machine to machine as much as
    the root does.
    """
    import re  # deterministic mode only: an ordinary run need not import re

    if text == root:
        return "<root>"
    if sys.executable and sys.executable in text:
        text = text.replace(sys.executable, "<python>")
    starts_path = r"(?<![\w.~/>-])"
    if root in text:
        prefix = root.rstrip(os.sep) + os.sep
        text = re.sub(starts_path + re.escape(prefix), "<root>/", text)
        text = re.sub(starts_path + re.escape(root) + r"(?=['\"\s,;:)\]>]|$)", "<root>", text)
    if _PACKAGE_DIR in text:
        text = re.sub(starts_path + re.escape(_PACKAGE_DIR + os.sep), "<runpy_ref>/", text)
    return re.sub(r" at 0x[0-9a-fA-F]+", " at 0x...", text)
