"""The intersphinx inventory is local, unchanged, and documented."""

from __future__ import annotations

import hashlib
import re
import runpy
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent
INVENTORY = DOCS / "_inventories" / "python-3.11-objects.inv"
PROVENANCE = DOCS / "_inventories" / "PROVENANCE.md"


def test_checksum_matches_provenance() -> None:
    recorded = re.search(r"SHA-256: `([0-9a-f]{64})`", PROVENANCE.read_text(encoding="utf-8"))
    assert recorded is not None
    assert hashlib.sha256(INVENTORY.read_bytes()).hexdigest() == recorded.group(1)


def test_inventory_is_a_sphinx_inventory_for_python() -> None:
    head = INVENTORY.read_bytes()[:200].decode("ascii", "replace")
    assert head.startswith("# Sphinx inventory version 2")
    assert "# Project: Python" in head and "# Version: 3.11" in head


def test_conf_points_intersphinx_at_the_local_file() -> None:
    conf = runpy.run_path(str(DOCS / "conf.py"))
    for name, (_url, location) in conf["intersphinx_mapping"].items():
        assert location is not None and Path(location).is_file(), name
