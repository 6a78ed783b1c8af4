"""Read the behaviour catalogue, ``conformance/catalogue/behaviours.json``.

Every version statement of an entry is read into the version model
(``versions.py``): ``doc`` (the versions whose documentation states the
behaviour) and ``implemented`` (the versions that behave so) are
:class:`~conformance.harness.versions.Span` objects, a version set plus the
versions for which it is not known, each with its reason.  The harness, the
docs' grids and timeline read versions only through these objects; the
catalogue's README describes the other fields.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .versions import FEATURE_VERSIONS, Span, VersionSet, parse

CATALOGUE_JSON = Path(__file__).resolve().parent.parent / "catalogue" / "behaviours.json"
DEFAULT_VERSIONS = list(FEATURE_VERSIONS)
DEFAULT_EXECUTABLE = ["2.7", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13"]
_NOWHERE = Span(VersionSet.nothing())


@dataclass
class Entry:
    """One behaviour of the catalogue."""

    id: str
    section: str
    title: str
    documented: bool
    doc: Span = _NOWHERE
    implemented: Span = _NOWHERE
    data: dict[str, Any] = field(default_factory=dict, repr=False)

    def disagreement_versions(self) -> VersionSet:
        """The versions whose documentation and behaviour disagree (``disagreements[].versions``)."""
        out = VersionSet.nothing()
        for item in self.data.get("disagreements", []):
            out = out | parse(item["versions"])
        return out


@dataclass
class Catalogue:
    entries: list[Entry]
    versions: list[str]
    executable_here: list[str]
    source: str
    observed_releases: dict[str, str] = field(default_factory=dict)

    def ids(self) -> list[str]:
        return [e.id for e in self.entries]

    def by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}

    def release_of(self, version: str) -> str:
        """The point release that was run for an executable feature version (else the version)."""
        return self.observed_releases.get(version, version)


def entry_from_json(e: dict[str, Any]) -> Entry:
    """One catalogue entry, its version ranges read into the model."""
    return Entry(e["id"], e.get("section", e["id"].split("-")[0]), e.get("title", ""),
                 bool(e.get("documented")), Span.from_json(e["doc"]), Span.from_json(e["implemented"]), e)


def _from_json(path: Path) -> Catalogue:
    data = json.loads(path.read_text(encoding="utf-8"))
    entries = [entry_from_json(e) for e in data["entries"]]
    return Catalogue(entries, data.get("versions", DEFAULT_VERSIONS),
                     data.get("executable_here", DEFAULT_EXECUTABLE), str(path),
                     data.get("observed_releases", {}))


def load(path: Path | None = None) -> Catalogue:
    """The catalogue (a missing file is an error: the suite cannot run without it)."""
    return _from_json(path or CATALOGUE_JSON)
