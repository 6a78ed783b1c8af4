"""Read the behaviour catalogue (owned by the catalogue author, read-only here).

Primary source: ``conformance/catalogue/behaviours.json``.  While that file
does not exist yet, the IDs and documented flags are read from the shared
markdown table ``/work/shared/reference/behaviours.md`` so that coverage can
still be computed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

CATALOGUE_JSON = Path(__file__).resolve().parent.parent / "catalogue" / "behaviours.json"
FALLBACK_MD = Path("/work/shared/reference/behaviours.md")
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


_ROW = re.compile(r"^\|\s*((?:G|RM|RP|CLI|ERR)-\d+)\s*\|\s*(.*?)\s*\|")


def _from_markdown(path: Path) -> Catalogue:
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _ROW.match(line)
        if not m:
            continue
        status = line.rstrip().rstrip("|").rsplit("|", 1)[-1].strip()
        documented = status.startswith("doc") or status.startswith("MISMATCH")
        title = m.group(2)[:100]
        entries.append(Entry(m.group(1), m.group(1).split("-")[0], title, documented))
    return Catalogue(entries, DEFAULT_VERSIONS, DEFAULT_EXECUTABLE, str(path))


def load(path: Path | None = None) -> Catalogue:
    """The catalogue: the JSON file if present, else the markdown fallback."""
    path = path or CATALOGUE_JSON
    if path.exists():
        return _from_json(path)
    return _from_markdown(FALLBACK_MD)
