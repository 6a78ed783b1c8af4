"""Read the behaviour catalogue, ``conformance/catalogue/behaviours.json``.

The harness needs only each entry's ID, section, title and whether it is
documented; the catalogue's README describes the other fields.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

CATALOGUE_JSON = Path(__file__).resolve().parent.parent / "catalogue" / "behaviours.json"
DEFAULT_VERSIONS = ["2.5", "2.6", "2.7", "3.0", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7",
                    "3.8", "3.9", "3.10", "3.11", "3.12", "3.13"]
DEFAULT_EXECUTABLE = ["2.7", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13"]


@dataclass
class Entry:
    """One behaviour of the catalogue."""

    id: str
    section: str
    title: str
    documented: bool


@dataclass
class Catalogue:
    entries: list[Entry]
    versions: list[str]
    executable_here: list[str]
    source: str

    def ids(self) -> list[str]:
        return [e.id for e in self.entries]

    def by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}


def _from_json(path: Path) -> Catalogue:
    data = json.loads(path.read_text(encoding="utf-8"))
    entries = [
        Entry(e["id"], e.get("section", e["id"].split("-")[0]), e.get("title", ""), bool(e.get("documented")))
        for e in data["entries"]
    ]
    return Catalogue(entries, data.get("versions", DEFAULT_VERSIONS),
                     data.get("executable_here", DEFAULT_EXECUTABLE), str(path))


def load(path: Path | None = None) -> Catalogue:
    """The catalogue (a missing file is an error: the suite cannot run without it)."""
    return _from_json(path or CATALOGUE_JSON)
