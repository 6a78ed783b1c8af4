"""Shared fixtures for the runpy_ref unit, trace, golden and CLI tests.

Every test that runs code through runpy_ref touches ``sys``; the
``clean_sys`` fixture snapshots ``sys.argv``, ``sys.path`` and
``sys.modules`` and puts them back afterwards, so that one test's fixture
modules can never leak into another.  ``tree`` builds small packages from a
``{relative path: source}`` mapping under a temporary directory that is put
on ``sys.path``.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The checkout: the directory that holds the ``runpy_ref`` package."""


@pytest.fixture
def clean_sys():
    """Snapshot sys.argv, sys.path and sys.modules; restore them after the test."""
    argv, path = list(sys.argv), list(sys.path)
    modules = dict(sys.modules)
    main = sys.modules["__main__"]
    try:
        yield
    finally:
        sys.argv[:] = argv
        sys.path[:] = path
        for name in set(sys.modules) - set(modules):
            del sys.modules[name]
        sys.modules.update(modules)
        sys.modules["__main__"] = main
        importlib.invalidate_caches()


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create ``files`` under ``root`` (text is dedented); return ``root``."""
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(textwrap.dedent(content), encoding="utf-8")
    importlib.invalidate_caches()
    return root


@pytest.fixture
def tree(tmp_path: Path, clean_sys: None) -> Callable[[dict[str, str | bytes]], Path]:
    """Build a file tree in a fresh directory placed first on ``sys.path``."""
    root = tmp_path / "root"
    root.mkdir()
    sys.path.insert(0, str(root))

    def build(files: dict[str, str | bytes]) -> Path:
        return write_tree(root, files)

    return build
