"""The version model: exactly which CPython versions a statement holds for.

Everything in the suite that depends on a version (a catalogue entry's
"documented" and "implemented" versions, a case's ``applies`` and ``when``
rules, the docs' grids and timeline) is a :class:`VersionSet`, read from text
with :func:`parse`.  The grammar (also in ``conformance/catalogue/README.md``
and ``INTERPRETING.md``)::

    set      := "*" | "none" | part ("," part)*       union of the parts
    part     := V                                      that version: "2.7" = every 2.7.x,
                                                       "3.5.2" = that point release only
              | V "+"                                  V and every later version: "3.2+", "3.5.2+"
              | V "-" V                                inclusive range: "3.1-3.5.1", "3.9.13-3.9"
    V        := MAJOR "." MINOR [ "." MICRO ]

Versions are ordered by number, so ``2.7+`` includes 3.0 and 3.1.  A gap is
written out: run_path exists in ``"2.7, 3.2+"``, package execution in
``"2.7, 3.1+"``.  A feature version as a *lower* bound starts at its first
release (``3.2+`` includes 3.2.0), as an *upper* bound it ends after its last
(``3.1-3.4`` includes 3.4.10).

The older comparison form of the rules, ``">=3.6,<3.9"`` (every clause must
hold; a clause compares as many components as it names), is read into the
same model, so ``"3.6-3.8"`` and ``">=3.6,<3.9"`` are the same set.  The two
forms cannot be mixed in one string, because their commas mean different
things (union there, intersection here).

A *target* (the version of an interpreter, or a version being emulated) that
names only a feature version, ``(3, 5)`` or ``"3.5"``, stands for that
version's **last** point release: the interpreters this suite runs on are late
point releases (2.7.18, 3.6.15 ...), and "what 3.5 does" is read as what 3.5
ended up doing.  Where a change landed in a point release (bpo-14285 in 3.5.2),
the set says so and the earlier point releases are still addressable as
``(3, 5, 1)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import total_ordering
from typing import TYPE_CHECKING

# The feature versions the catalogue covers, oldest first.
FEATURE_VERSIONS: tuple[str, ...] = (
    "2.5", "2.6", "2.7", "3.0", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7",
    "3.8", "3.9", "3.10", "3.11", "3.12", "3.13",
)
# The micro number that stands for "after the last point release".  Keys are
# (major, minor, micro) integer triples; -1 and LAST + 1 are used for the
# exclusive bounds of the comparison form (below X.Y.0, above every X.Y.z).
LAST = 10_000
_NEG_INF = (-1, -1, -1)
_POS_INF = (10**6, 0, 0)

if TYPE_CHECKING:  # only an annotation: verify.py loads this module on Python 3.7 too
    Key = tuple[int, int, int]


class VersionError(ValueError):
    """Text that does not follow the grammar above."""


def _key_text(text: str) -> tuple[int, ...]:
    parts = text.strip().split(".")
    if not 2 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise VersionError(f"bad version {text!r}: expected MAJOR.MINOR or MAJOR.MINOR.MICRO")
    return tuple(int(p) for p in parts)


def low(version: str | tuple[int, ...]) -> Key:
    """The first release a version names: ``"3.2"`` -> 3.2.0, ``"3.5.2"`` -> 3.5.2."""
    parts = _key_text(version) if isinstance(version, str) else tuple(version)
    return (parts[0], parts[1], parts[2] if len(parts) > 2 else 0)


def high(version: str | tuple[int, ...]) -> Key:
    """The last release a version names: ``"3.4"`` -> every 3.4.x, ``"3.5.1"`` -> 3.5.1."""
    parts = _key_text(version) if isinstance(version, str) else tuple(version)
    return (parts[0], parts[1], parts[2] if len(parts) > 2 else LAST)


def target_key(version: str | Sequence[int]) -> Key:
    """Where a target version sits: a bare feature version means its last point release."""
    parts = _key_text(version) if isinstance(version, str) else tuple(int(p) for p in version)
    if len(parts) == 1:
        return (parts[0], LAST, LAST)
    return (parts[0], parts[1], parts[2] if len(parts) > 2 else LAST)


def feature_of(key: Sequence[int]) -> str:
    return f"{key[0]}.{key[1]}"


def _adjacent(hi: Key, lo: Key) -> bool:
    """Nothing lies between ``hi`` and ``lo``: the next key, or the next feature version in scope
    (3.0.0 follows the last 2.7.x: there is no 2.8)."""
    if lo == _succ(hi):
        return True
    if hi[2] < LAST or lo[2] > 0:
        return False
    here, there = feature_of(hi), feature_of(lo)
    return here in FEATURE_VERSIONS and there in FEATURE_VERSIONS and \
        FEATURE_VERSIONS.index(there) == FEATURE_VERSIONS.index(here) + 1


def _merge(intervals: Iterable[tuple[Key, Key]]) -> tuple[tuple[Key, Key], ...]:
    """Sorted, disjoint, non-empty closed intervals (neighbouring ones are joined)."""
    out: list[list[Key]] = []
    for lo, hi in sorted(i for i in intervals if i[0] <= i[1]):
        if out and (lo <= out[-1][1] or _adjacent(out[-1][1], lo)):
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return tuple((lo, hi) for lo, hi in out)


def _succ(key: Key) -> Key:
    return (key[0], key[1], key[2] + 1)


def _pred(key: Key) -> Key:
    return (key[0], key[1], key[2] - 1)


_PART = re.compile(r"^(\d+\.\d+(?:\.\d+)?)(?:(\+)|\s*-\s*(\d+\.\d+(?:\.\d+)?))?$")
_CLAUSE = re.compile(r"^(>=|<=|==|!=|>|<)\s*(\d+(?:\.\d+){0,2})$")


@total_ordering
@dataclass(frozen=True)
class VersionSet:
    """A set of CPython versions, point releases included, as closed intervals of keys."""

    intervals: tuple[tuple[Key, Key], ...]

    # -- construction -----------------------------------------------------------------

    @classmethod
    def of(cls, intervals: Iterable[tuple[Key, Key]]) -> VersionSet:
        return cls(_merge(intervals))

    @classmethod
    def everything(cls) -> VersionSet:
        return cls(((_NEG_INF, _POS_INF),))

    @classmethod
    def nothing(cls) -> VersionSet:
        return cls(())

    # -- set algebra -------------------------------------------------------------------

    def __or__(self, other: VersionSet) -> VersionSet:
        return VersionSet.of(self.intervals + other.intervals)

    def __and__(self, other: VersionSet) -> VersionSet:
        out = []
        for a_lo, a_hi in self.intervals:
            for b_lo, b_hi in other.intervals:
                out.append((max(a_lo, b_lo), min(a_hi, b_hi)))
        return VersionSet.of(out)

    def __invert__(self) -> VersionSet:
        out, start = [], _NEG_INF
        for lo, hi in self.intervals:
            if lo > start:
                out.append((start, _pred(lo)))
            start = _succ(hi)
        if start <= _POS_INF:
            out.append((start, _POS_INF))
        return VersionSet.of(out)

    def __sub__(self, other: VersionSet) -> VersionSet:
        return self & ~other

    def __bool__(self) -> bool:
        return bool(self.intervals)

    def __lt__(self, other: VersionSet) -> bool:  # only to give sets a stable order
        return self.intervals < other.intervals

    # -- questions ---------------------------------------------------------------------

    def contains(self, version: str | Sequence[int]) -> bool:
        """Does the set hold for this target version (a bare X.Y is its last point release)?"""
        key = target_key(version)
        return any(lo <= key <= hi for lo, hi in self.intervals)

    __contains__ = contains

    def within(self, feature: str) -> VersionSet:
        """The part of the set inside one feature version (every X.Y.z)."""
        return self & VersionSet(((low(feature), high(feature)),))

    def coverage(self, feature: str) -> str:
        """``"all"``, ``"none"`` or ``"part"`` of a feature version's point releases."""
        part = self.within(feature)
        if not part:
            return "none"
        return "all" if part.intervals == ((low(feature), high(feature)),) else "part"

    def features(self, universe: Sequence[str] = FEATURE_VERSIONS) -> list[str]:
        """The feature versions of which the set holds any point release."""
        return [v for v in universe if self.coverage(v) != "none"]

    def part_text(self, feature: str) -> str:
        """Which point releases of ``feature`` are in the set, in words ("from 3.5.2")."""
        first, last = low(feature), high(feature)
        words = []
        for lo, hi in self.within(feature).intervals:
            lo_text, hi_text = _point(lo), _point(hi)
            if lo == first and hi == last:
                words.append(f"every {feature}.x")
            elif lo == first:
                words.append(f"up to {hi_text}")
            elif hi == last:
                words.append(f"from {lo_text}")
            elif lo == hi:
                words.append(lo_text)
            else:
                words.append(f"{lo_text} to {hi_text}")
        return ", ".join(words) if words else f"no {feature}.x"

    # -- text --------------------------------------------------------------------------

    def text(self, universe: Sequence[str] = FEATURE_VERSIONS) -> str:
        """The canonical text: ``"2.7, 3.2+"``; ``"*"`` and ``"none"`` for the extremes.

        Versions before the first one in ``universe`` (2.5) are left out of the
        text, so ``parse(">=2.6").text()`` is ``"2.6+"`` and ``parse("!=2.5").text()``
        is ``"2.6+"`` too.
        """
        if not self.intervals:
            return "none"
        if self.intervals == ((_NEG_INF, _POS_INF),):
            return "*"
        parts = []
        start = low(universe[0])
        for lo, hi in self.intervals:
            if hi < start:
                continue  # wholly before the versions in scope (from the comparison form's "!=")
            lo_text = _lower_text(max(lo, start), universe)
            if hi == _POS_INF:
                parts.append(f"{lo_text}+")
                continue
            hi_text = _upper_text(hi, universe)
            if lo == hi:
                parts.append(_point(lo))
            elif lo_text == hi_text:
                parts.append(lo_text)  # every point release of one feature version
            elif lo[2] == 0 and hi[2] >= LAST and _adjacent((lo[0], lo[1], LAST), (hi[0], hi[1], 0)):
                parts.append(f"{lo_text}, {hi_text}")  # two neighbours read better as a list
            elif feature_of(lo) == feature_of(hi) and 0 <= hi[2] < LAST:
                parts.append(f"{_point(lo)}-{hi_text}")  # "3.5.0-3.5.1" rather than "3.5-3.5.1"
            else:
                parts.append(f"{lo_text}-{hi_text}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return self.text()


def _point(key: Key) -> str:
    return f"{key[0]}.{key[1]}.{key[2]}"


def _lower_text(key: Key, universe: Sequence[str]) -> str:
    """A lower bound as text; exclusive bounds of the comparison form snap to the next version."""
    if key == _NEG_INF or key[2] < 0:
        later = [v for v in universe if low(v) >= key]
        return later[0] if later else feature_of(key)
    if key[2] > LAST:
        later = [v for v in universe if low(v) > key]
        return later[0] if later else f"{key[0]}.{key[1] + 1}"
    return feature_of(key) if key[2] == 0 else _point(key)


def _upper_text(key: Key, universe: Sequence[str]) -> str:
    if key[2] < 0:
        earlier = [v for v in universe if high(v) < key]
        return earlier[-1] if earlier else f"{key[0]}.{key[1]}"
    if key[2] >= LAST:
        return feature_of(key)
    return _point(key)


def _parse_part(part: str) -> tuple[Key, Key]:
    m = _PART.match(part.strip())
    if not m:
        raise VersionError(f"bad version-set part {part!r}: expected V, V+ or V-V")
    first, plus, second = m.groups()
    if plus:
        return low(first), _POS_INF
    if second:
        lo, hi = low(first), high(second)
        if lo > hi:
            raise VersionError(f"empty range {part!r}: {first} comes after {second}")
        return lo, hi
    return low(first), high(first)


def _clause_set(op: str, version: str) -> VersionSet:
    """One comparison clause; it compares as many components as it names."""
    lo, hi = low(version), high(version)
    exact = VersionSet(((lo, hi),))
    return {
        "==": exact,
        "!=": ~exact,
        ">=": VersionSet(((lo, _POS_INF),)),
        ">": VersionSet(((_succ(hi), _POS_INF),)),
        "<=": VersionSet(((_NEG_INF, hi),)),
        "<": VersionSet(((_NEG_INF, _pred(lo)),)),
    }[op]


_CACHE: dict[str, VersionSet] = {}


def parse(text: str) -> VersionSet:
    """Read a version set (or a comparison spec such as ``">=3.6,<3.9"``) into the model."""
    if not isinstance(text, str):
        raise VersionError(f"a version set is text, not {text!r}")
    cached = _CACHE.get(text)
    if cached is not None:
        return cached
    stripped = text.strip()
    if stripped == "*":
        result = VersionSet.everything()
    elif stripped == "none":
        result = VersionSet.nothing()
    else:
        pieces = [p.strip() for p in stripped.split(",")]
        if not all(pieces):
            raise VersionError(f"empty part in {text!r}")
        comparisons = [bool(re.match(r"^[<>=!]", p)) for p in pieces]
        if all(comparisons):
            result = VersionSet.everything()
            for piece in pieces:
                m = _CLAUSE.match(piece)
                if not m:
                    raise VersionError(f"bad version clause {piece!r} in {text!r}")
                result = result & _clause_set(m.group(1), m.group(2))
        elif any(comparisons):
            raise VersionError(f"{text!r} mixes comparison clauses (joined by 'and') with "
                               "versions (joined by 'or'); write one form")
        else:
            result = VersionSet.of(_parse_part(p) for p in pieces)
    _CACHE[text] = result
    return result


def lineage_parent(feature: str) -> str | None:
    """The version a feature version grew from: 3.0 from 2.6, 2.7 from 2.6, 3.1 from 3.0."""
    if feature == "3.0":
        return "2.6"
    index = FEATURE_VERSIONS.index(feature)
    return FEATURE_VERSIONS[index - 1] if index else None


def lineage_next(feature: str) -> str | None:
    """The next feature version on the same line (2.x or 3.x): None after 2.7 and 3.13."""
    index = FEATURE_VERSIONS.index(feature)
    if index + 1 >= len(FEATURE_VERSIONS):
        return None
    nxt = FEATURE_VERSIONS[index + 1]
    return nxt if nxt.split(".")[0] == feature.split(".")[0] else None


@dataclass(frozen=True)
class Unknown:
    """Versions for which a statement is neither known to hold nor known not to, and why."""

    versions: VersionSet
    because: str


@dataclass(frozen=True)
class Span:
    """Where a statement holds, and where that is not known: the model of one catalogue range."""

    versions: VersionSet
    unknown: tuple[Unknown, ...] = ()

    @classmethod
    def from_json(cls, data: dict) -> Span:
        unknown = tuple(Unknown(parse(u["versions"]), u["because"]) for u in data.get("unknown", []))
        return cls(parse(data["versions"]), unknown)

    @property
    def unknown_versions(self) -> VersionSet:
        out = VersionSet.nothing()
        for item in self.unknown:
            out = out | item.versions
        return out

    def state(self, feature: str) -> str:
        """One feature version: ``"holds"``, ``"part"``, ``"unknown"``, ``"part-unknown"`` or ``"no"``.

        ``"part"`` holds for some point releases and not for the others;
        ``"part-unknown"`` holds for some and is unknown for the rest.
        """
        holds = self.versions.coverage(feature)
        unknown = self.unknown_versions.coverage(feature)
        if holds == "all":
            return "holds"
        if holds == "part":
            return "part-unknown" if unknown != "none" else "part"
        return "unknown" if unknown != "none" else "no"

    def why_unknown(self, feature: str) -> str:
        return "; ".join(u.because for u in self.unknown if u.versions.coverage(feature) != "none")
