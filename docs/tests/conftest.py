"""Shared set-up for the docs' own tests: make ``docs/_ext`` importable."""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent
ROOT = DOCS.parent
for path in (str(DOCS / "_ext"), str(ROOT)):
    if path not in sys.path:
        sys.path.insert(0, path)
