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
            if _is_fixture_module(name, sys.modules[name]):
                del sys.modules[name]
        sys.modules.update(modules)
        sys.modules["__main__"] = main
        importlib.invalidate_caches()


_LIBRARY_PREFIXES = tuple({sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix})


def _is_fixture_module(name: str, module: object) -> bool:
    """True for modules a test's code imported from its own files.

    runpy_ref's own submodules and the standard library, imported lazily for
    the first time during a test, stay: dropping them would give the next
    importer a second copy with different classes (a monkeypatch applied to
    one would miss the other).
    """
    if name == "runpy_ref" or name.startswith("runpy_ref."):
        return False
    origin = getattr(getattr(module, "__spec__", None), "origin", None)
    if origin in ("built-in", "frozen"):
        return False
    return not (isinstance(origin, str) and origin.startswith(_LIBRARY_PREFIXES))


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
