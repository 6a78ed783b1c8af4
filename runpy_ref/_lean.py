"""Start-up economies, fenced here so that no file a student reads needs one.

``python -m runpy_ref MOD`` has a budget: at most 1.25 times the CPU
instructions of ``python -m MOD`` (``benchmarks/instructions.py``).  Plain
``python -m`` on CPython 3.13 starts in about 51 M instructions and imports
almost nothing beyond the import system; every module runpy_ref imports on
top of that is paid by every run.  The figures below were counted with
callgrind on CPython 3.13.0, ``python -S -c "import runpy; import X"``
against ``python -S -c "import runpy"`` (49.3 M).  Three economies buy most of the room, and
all live in this one module:

* ``TYPE_CHECKING``.  The readable way to name types in annotations is
  ``from typing import TYPE_CHECKING`` and ``if TYPE_CHECKING: from typing
  import Any``.  Importing :mod:`typing` costs 25 M instructions on 3.13, twice the whole
  budget.  The constant below has the same
  meaning to type checkers (PEP 484 lets a module define its own
  ``TYPE_CHECKING = False``) and costs nothing.  (Counted as above:
  ``typing`` 25.3 M, 51 % of the start-up.)  Every module of runpy_ref
  writes ``from __future__ import annotations``, so its annotations are never
  evaluated at run time and the names they use need not exist then.

* :func:`lazy_attributes`.  A package face (``runpy_ref``,
  ``runpy_ref.trace``) may offer names that only some runs need: the tracer,
  the sinks, and the CPython private helpers only other tools call.  Loading
  them on first use (PEP 562's module ``__getattr__``) keeps an untraced run
  from importing ``trace.tracer``, ``trace.events``, ``trace.plain_data``,
  ``sinks`` and ``private``: 4.0 M instructions on 3.13, 8 % of the start-up
  (3.3 M of it the tracer and the sinks).
"""

TYPE_CHECKING = False
"""``typing.TYPE_CHECKING`` without importing :mod:`typing` (see above)."""


def lazy_attributes(package: str, table: dict[str, str]):  # type: ignore[no-untyped-def]
    """Return ``(__getattr__, __dir__)`` for a package whose names in ``table`` load on first use.

    ``table`` maps an attribute name to the submodule (relative to
    ``package``) that defines it.
    """
    def __getattr__(name: str) -> object:
        if name in table:
            from importlib import import_module

            value = getattr(import_module(f"{package}.{table[name]}"), name)
            import sys

            setattr(sys.modules[package], name, value)  # the next lookup finds it directly
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        import sys

        return sorted({*vars(sys.modules[package]), *table})

    return __getattr__, __dir__


def json_text_encoder():  # type: ignore[no-untyped-def]
    """Return a function that writes plain data as JSON text, without importing :mod:`json`.

    ``import json`` imports :mod:`re` for its decoder: 32.2 M instructions on
    3.13 (counted as in the module docstring), more than the whole start-up
    budget of ``python -m runpy_ref --trace --trace-format json`` (1.35 times
    ``python -m``'s 51 M).  The C encoder behind :mod:`json` is ``_json.make_encoder``; built
    once with json's default separators and ``ensure_ascii=False``, it
    writes exactly the text ``json.dumps(value, ensure_ascii=False)``
    writes, which the tests check.  Where ``_json`` is missing (PyPy), this
    is :mod:`json` itself.
    """
    try:
        from _json import encode_basestring, make_encoder
    except ImportError:
        import json

        return json.JSONEncoder(ensure_ascii=False).encode
    # (markers, default, encoder, indent, key separator, item separator, sort_keys, skipkeys, allow_nan):
    # no circularity or nan checks, because plain() has removed cycles, live objects and nan already.
    encoder = make_encoder(None, None, encode_basestring, None, ": ", ", ", False, False, True)
    return lambda value: "".join(encoder(value, 0))
