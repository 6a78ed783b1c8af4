"""Expectations: resolve them for one target, fill placeholders, compare.

An expectation is a *partial observation*: a nested JSON value that must be
found inside the probe's observation.  Matching rules (INTERPRETING.md has the
full table):

* a dict matches if every key it names matches (observed may have more keys -
  this is how "extra dunders are allowed" and "a loader is compared by its
  type" work: ``{"__type__": "SourceFileLoader"}`` only names the type);
* scalars must be equal; lists must have the same length and match item by item;
* operator dicts (one key starting with ``$``) express tolerances:
  ``$absent``, ``$present``, ``$type``, ``$eq``, ``$contains``, ``$startswith``,
  ``$endswith``, ``$regex``, ``$includes``, ``$excludes``, ``$any``, ``$not``,
  ``$ignore``.

Placeholders (``{fixture}``, ``{exe}``, ``{cache_tag}``) are replaced by
literal text known for the cell; nothing is computed with importlib/runpy.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from .rules import Target, matches

PLACEHOLDERS = ("fixture", "exe", "cache_tag", "module")
_MISSING = object()


@dataclass
class Mismatch:
    """One difference between expectation and observation."""

    path: str
    expected: Any
    observed: Any

    def as_dict(self) -> dict[str, Any]:
        observed = "<absent>" if self.observed is _MISSING else self.observed
        return {"path": self.path, "expected": self.expected, "observed": observed}


def substitute(value: Any, values: dict[str, str], *, regex: bool = False) -> Any:
    """Replace ``{name}`` placeholders in every string inside ``value``.

    Only the known placeholder names are replaced, so other braces (for
    instance regex quantifiers) are left alone.  Inside ``$regex`` operands the
    substituted text is escaped.
    """
    if isinstance(value, str):
        for name, text in values.items():
            value = value.replace("{" + name + "}", re.escape(text) if regex else text)
        return value
    if isinstance(value, list):
        return [substitute(v, values, regex=regex) for v in value]
    if isinstance(value, dict):
        return {
            k: substitute(v, values, regex=regex or k == "$regex") for k, v in value.items()
        }
    return value


def deep_merge(base: Any, override: Any) -> Any:
    """Merge ``override`` into ``base``: dicts merge key by key, anything else replaces.

    Operator dicts (``{"$...": ...}``) always replace rather than merge.
    """
    if (
        isinstance(base, dict)
        and isinstance(override, dict)
        and not _is_operator(base)
        and not _is_operator(override)
    ):
        out = dict(base)
        for key, value in override.items():
            out[key] = deep_merge(base[key], value) if key in base else copy.deepcopy(value)
        return out
    return copy.deepcopy(override)


_META_KEYS = {"when", "note", "doc_says"}


def resolve(items: list[dict[str, Any]], target: Target) -> tuple[dict[str, Any] | None, list[str]]:
    """Merge, in order, every ``expect`` item whose ``when`` rule holds.

    Returns the merged partial observation (``None`` if no item applies) and
    the ``doc_says`` notes of the applied items, kept for the report.
    """
    merged: dict[str, Any] | None = None
    notes: list[str] = []
    for item in items:
        if not matches(item.get("when", "*"), target):
            continue
        body = {k: v for k, v in item.items() if k not in _META_KEYS}
        merged = body if merged is None else deep_merge(merged, body)
        if "doc_says" in item:
            notes.append(item["doc_says"])
    return merged, notes


def _is_operator(value: Any) -> bool:
    return isinstance(value, dict) and len(value) > 0 and all(k.startswith("$") for k in value)


def _observed_type(observed: Any) -> str:
    if isinstance(observed, dict):
        return str(observed.get("__type__", "dict"))
    return {str: "str", bool: "bool", int: "int", float: "float", list: "list"}.get(
        type(observed), "NoneType" if observed is None else type(observed).__name__
    )


def _operator(op: str, arg: Any, observed: Any, path: str) -> list[Mismatch]:
    bad = [Mismatch(path, {op: arg}, observed)]
    if op == "$ignore":
        return []
    if op == "$absent":
        return [] if (observed is _MISSING) == bool(arg) else bad
    if op == "$present":
        return [] if (observed is not _MISSING) == bool(arg) else bad
    if observed is _MISSING:
        return bad
    if op == "$type":
        return [] if _observed_type(observed) == arg else bad
    if op == "$eq":
        return [] if observed == arg else bad
    if op in ("$contains", "$startswith", "$endswith", "$regex"):
        if not isinstance(observed, str):
            return bad
        ok = {
            "$contains": lambda: arg in observed,
            "$startswith": lambda: observed.startswith(arg),
            "$endswith": lambda: observed.endswith(arg),
            "$regex": lambda: re.search(arg, observed, re.MULTILINE) is not None,
        }[op]()
        return [] if ok else bad
    if op == "$includes":
        return [] if isinstance(observed, list) and all(a in observed for a in arg) else bad
    if op == "$excludes":
        return [] if isinstance(observed, list) and not any(a in observed for a in arg) else bad
    if op == "$any":
        return [] if any(not compare(a, observed, path) for a in arg) else bad
    if op == "$not":
        return [] if compare(arg, observed, path) else bad
    raise ValueError(f"unknown operator {op} at {path}")


def compare(expected: Any, observed: Any, path: str = "") -> list[Mismatch]:
    """All mismatches of ``observed`` against the partial expectation ``expected``."""
    if _is_operator(expected):
        out: list[Mismatch] = []
        for op, arg in expected.items():
            out.extend(_operator(op, arg, observed, path))
        return out
    if isinstance(expected, dict):
        if not isinstance(observed, dict):
            return [Mismatch(path, expected, observed)]
        out = []
        for key, want in expected.items():
            out.extend(compare(want, observed.get(key, _MISSING), f"{path}/{key}"))
        return out
    if isinstance(expected, list):
        # Lists match element by element, so list items may use operators or partial dicts.
        if not isinstance(observed, list) or len(observed) != len(expected):
            return [Mismatch(path, expected, observed)]
        out = []
        for index, (want, have) in enumerate(zip(expected, observed)):
            out.extend(compare(want, have, f"{path}[{index}]"))
        return out
    if observed is _MISSING or observed != expected:
        return [Mismatch(path, expected, observed)]
    if isinstance(expected, bool) != isinstance(observed, bool):
        # True == 1 in Python, but they are different observations.
        return [Mismatch(path, expected, observed)]
    return []


def operators_used(expected: Any) -> set[str]:
    """The ``$`` operators in an expectation (for case validation)."""
    found: set[str] = set()
    if isinstance(expected, dict):
        for key, value in expected.items():
            if key.startswith("$"):
                found.add(key)
            found |= operators_used(value)
    elif isinstance(expected, list):
        for value in expected:
            found |= operators_used(value)
    return found


KNOWN_OPERATORS = {
    "$ignore", "$absent", "$present", "$type", "$eq", "$contains", "$startswith",
    "$endswith", "$regex", "$includes", "$excludes", "$any", "$not",
}
