"""In-process recorder, copied into every fixture tree as ``_rec.py``.

Why a separate module: the code under test must report what it sees *from
inside* (its own globals, ``sys.argv`` while it runs, ``sys.path[0]``...).
Fixture code does ``import _rec; _rec.snap(globals())``.  The same file is
used by the probe (API cases) and by code launched directly on the command
line (CLI cases), so there is exactly one definition of how a Python value is
turned into JSON ("described").

Constraints: this file must run unchanged on Python 2.7 and 3.6-3.13 and on
PyPy: no f-strings, no annotations, standard library only, and it must not
import importlib or runpy (expectations never come from them).

Records go to the module-level ``RECORDS`` dict; when the environment variable
``RUNPY_CONFORMANCE_RECORD`` names a file, each record is also appended to it
as one JSON line (this is how CLI children report back).
"""
import os
import sys

RECORDS = {}
KEPT = {}
_MAX_DEPTH = 4

try:
    _text_type = unicode
    _PY2 = True
except NameError:
    _text_type = str
    _PY2 = False


def _text(value):
    """Return ``value`` as text; Python 2 byte strings are decoded leniently."""
    if _PY2 and isinstance(value, str):
        return value.decode("utf-8", "replace")
    return value


def describe(value, depth=0):
    """Turn any Python value into JSON data.

    Plain data (None, bool, int, float, text, lists, tuples, dicts with
    string keys) stays as it is.  Everything else becomes a dict whose
    ``__type__`` names the type, plus a few identifying fields (module name,
    spec name/origin/parent, path text).  A loader is therefore compared by
    its type, never by identity.
    """
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if _PY2 and isinstance(value, long):  # noqa: F821
        return int(value)
    if isinstance(value, (str, _text_type)):
        return _text(value)
    if not _PY2 and isinstance(value, bytes):
        return {"__type__": "bytes", "value": value.decode("utf-8", "replace")}
    if depth >= _MAX_DEPTH:
        return {"__type__": type(value).__name__}
    if isinstance(value, (list, tuple)):
        return [describe(v, depth + 1) for v in value]
    if isinstance(value, dict):
        out = {}
        for key in value:
            if key == "__builtins__":
                out[_text(key)] = {"__type__": type(value[key]).__name__}
            else:
                out[_text(str(key))] = describe(value[key], depth + 1)
        return out
    tname = type(value).__name__
    if tname == "instance":  # Python 2 old-style class instance (e.g. pkgutil.ImpLoader)
        tname = value.__class__.__name__
    if tname == "module":
        return {"__type__": "module", "name": _text(getattr(value, "__name__", None))}
    if tname == "ModuleSpec":
        return {
            "__type__": "ModuleSpec",
            "name": _text(value.name),
            "origin": describe(value.origin, depth + 1),
            "parent": describe(value.parent, depth + 1),
            "has_location": bool(getattr(value, "has_location", False)),
            "loader": {"__type__": type(value.loader).__name__},
        }
    if isinstance(value, BaseException):
        return {"__type__": tname, "message": _text(str(value))}
    if hasattr(value, "__fspath__"):
        return {"__type__": tname, "value": _text(str(value))}
    if tname in ("function", "builtin_function_or_method"):
        return {"__type__": tname, "name": _text(getattr(value, "__name__", "?"))}
    return {"__type__": tname}


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def dumps(data):
    """Encode described data as JSON text (ASCII only).

    Hand-written rather than ``json.dumps`` because importing ``json`` (and
    with it ``re``) costs more than the rest of a probe run on recent
    Pythons, and every cell starts a fresh interpreter.
    """
    if data is None:
        return "null"
    if data is True:
        return "true"
    if data is False:
        return "false"
    if isinstance(data, (int, float)):
        return repr(data)
    if isinstance(data, (str, _text_type)):
        out = []
        for ch in _text(data):
            if ch in _ESCAPES:
                out.append(_ESCAPES[ch])
            elif ord(ch) < 32 or ord(ch) > 126:
                code = ord(ch)
                if code > 0xFFFF:  # outside the BMP: a UTF-16 surrogate pair
                    code -= 0x10000
                    out.append("\\u%04x\\u%04x" % (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)))
                else:
                    out.append("\\u%04x" % code)
            else:
                out.append(ch)
        return '"' + "".join(out) + '"'
    if isinstance(data, (list, tuple)):
        return "[" + ", ".join(dumps(v) for v in data) + "]"
    if isinstance(data, dict):
        return "{" + ", ".join(dumps(_text(k)) + ": " + dumps(v) for k, v in sorted(data.items())) + "}"
    return dumps(describe(data))


def _write(key, data):
    RECORDS[key] = data
    target = os.environ.get("RUNPY_CONFORMANCE_RECORD")
    if target:
        with open(target, "a") as handle:
            handle.write(dumps({"key": key, "value": data}) + "\n")


def put(key, value):
    """Record one described value under ``key``."""
    _write(key, describe(value))


def snap(g, label="main"):
    """Record what the running code sees: its special globals and ``sys`` state.

    ``g`` is the caller's ``globals()``.  Dunder names are recorded with their
    described values (absent names stay absent, so expectations can say
    "absent"), plus the list of all dunder names, so that "extra dunders are
    allowed" can be checked as a superset.  The namespace object itself is
    kept in ``KEPT`` for identity checks by the probe.
    """
    KEPT[label] = g
    data = {}
    names = []
    for key in list(g.keys()):
        if key.startswith("__") and key.endswith("__"):
            names.append(_text(key))
            if key != "__builtins__":
                data[_text(key)] = describe(g[key])
    data["dunders"] = sorted(names)
    data["argv"] = describe(list(sys.argv))
    data["path0"] = describe(sys.path[0]) if sys.path else None
    name = g.get("__name__")
    data["in_modules"] = name in sys.modules
    mod = sys.modules.get(name)
    data["module_is_self"] = bool(mod is not None and getattr(mod, "__dict__", None) is g)
    main = sys.modules.get("__main__")
    data["main_is_self"] = bool(main is not None and getattr(main, "__dict__", None) is g)
    _write(label, data)
