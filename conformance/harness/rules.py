"""Rules over (version, implementation): when a case or an expectation applies.

Cases say *when* something holds with a small declarative rule instead of
code, so that a reader (or another harness) can evaluate it without running
ours.  The grammar, also given in INTERPRETING.md:

* ``"*"`` - always.
* a version set (the model of ``versions.py``): ``"3.4+"``, ``"2.7, 3.2+"``,
  ``"3.1-3.5.1"``, ``"3.9.13-3.9, 3.10.5+"``; or the comparison form
  ``">=3.6,<3.9"`` (every clause must hold; ``"==3.8"`` matches every 3.8.x,
  ``">=3.8.3"`` compares micro versions too).  A target that names only a
  feature version, ``(3, 5)``, is that version's last point release.
* a dict; every key present must hold:
  ``version`` (version set), ``impl`` (``"cpython"``/``"pypy"`` or a list),
  ``kind`` (``"stdlib"``, ``"module"``, ``"template"`` or a list),
  ``module`` (module name under test or a list),
  ``any`` (list of rules, one must hold), ``all`` (list, all must hold),
  ``not`` (rule that must not hold).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Union

from . import versions

Rule = Union[str, dict, None]


@dataclass(frozen=True)
class Target:
    """What a rule is evaluated against: one interpreter + implementation kind."""

    version: tuple[int, ...]
    impl: str = "cpython"
    kind: str = "stdlib"
    module: str = "runpy"


class RuleError(ValueError):
    """A rule that does not follow the grammar above."""


def parse_version(text: str) -> tuple[int, ...]:
    """``"3.8"`` -> ``(3, 8)``; ``"3.8.18"`` -> ``(3, 8, 18)``."""
    return tuple(int(p) for p in text.split("."))


def version_matches(spec: str, version: tuple[int, ...]) -> bool:
    """Does the version set ``spec`` (``"2.7, 3.2+"`` or ``">=3.4,<3.12"``) hold for ``version``?"""
    try:
        return versions.parse(spec).contains(version)
    except versions.VersionError as exc:
        raise RuleError(str(exc)) from None


def _one_of(want: Any, have: str) -> bool:
    return have in want if isinstance(want, list) else have == want


_KEYS = {"version", "impl", "kind", "module", "any", "all", "not"}


def matches(rule: Rule, target: Target) -> bool:
    """True when ``rule`` holds for ``target``; ``None`` means always."""
    if rule is None:
        return True
    if isinstance(rule, str):
        return version_matches(rule, target.version)
    if not isinstance(rule, dict):
        raise RuleError(f"rule must be a string or an object, not {rule!r}")
    unknown = set(rule) - _KEYS
    if unknown:
        raise RuleError(f"unknown rule keys {sorted(unknown)}")
    if "version" in rule and not version_matches(rule["version"], target.version):
        return False
    if "impl" in rule and not _one_of(rule["impl"], target.impl):
        return False
    if "kind" in rule and not _one_of(rule["kind"], target.kind):
        return False
    if "module" in rule and not _one_of(rule["module"], target.module):
        return False
    if "any" in rule and not any(matches(r, target) for r in rule["any"]):
        return False
    if "all" in rule and not all(matches(r, target) for r in rule["all"]):
        return False
    if "not" in rule and matches(rule["not"], target):
        return False
    return True


def validate(rule: Rule) -> None:
    """Raise RuleError if ``rule`` is malformed (evaluated against a dummy target)."""
    matches(rule, Target(version=(3, 0)))
    if isinstance(rule, dict):
        for sub in rule.get("any", []) + rule.get("all", []):
            validate(sub)
        if "not" in rule:
            validate(rule["not"])
