"""The core's layout is part of what it teaches: rooms of one job, read in one direction.

* no module of the core is over ~300 lines;
* no import circle, counting the imports inside functions and the package
  ``__init__`` that importing a submodule runs;
* nothing imports upward from the package face (``runpy_ref/__init__.py``);
* start-up economies live in ``_lean.py`` only: no other core file defines
  ``TYPE_CHECKING`` itself or imports ``_contextvars``, ``_json`` or ``typing``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "runpy_ref"
CORE = sorted(p for p in PACKAGE.rglob("*.py") if "exercises" not in p.parts and "demo" not in p.parts)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node, except those under ``if TYPE_CHECKING:`` (names for annotations, never imported)."""
    out, todo = [], [tree]
    while todo:
        node = todo.pop()
        out.append(node)
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))
    return out


def imports_of(path: Path) -> set[str]:
    """Every runpy_ref module ``path`` imports, anywhere in the file, with the packages that import runs."""
    here = module_name(path)
    package = here if is_package(path) else here.rpartition(".")[0]
    found: set[str] = set()
    for node in runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            target = (f"{base}.{node.module}" if node.module else base) if node.level else (node.module or "")
            if not target.startswith("runpy_ref"):
                continue
            found.add(target)
            for alias in node.names:  # "from . import x" may name a submodule
                if (PACKAGE.parent / (target + "." + alias.name).replace(".", "/")).with_suffix(".py").exists():
                    found.add(f"{target}.{alias.name}")
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("runpy_ref")}
    with_parents = set(found)
    ancestors = {here.rsplit(".", i)[0] for i in range(1, here.count(".") + 1)}
    for name in found:  # importing a.b.c runs a and a.b first (unless they are what is importing us)
        parts = name.split(".")
        with_parents |= {".".join(parts[:i]) for i in range(1, len(parts))} - ancestors
    return with_parents - {here}


GRAPH = {module_name(p): imports_of(p) for p in CORE}


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_over_300_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 300


def test_no_import_circle():
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        if state.get(name) == "done":
            return
        assert state.get(name) != "open", " -> ".join([*trail, name])
        state[name] = "open"
        for target in sorted(GRAPH.get(name, ())):
            if target != "runpy_ref":  # the face: imported by everything that names a submodule (checked below)
                visit(target, [*trail, name])
        state[name] = "done"

    for name in GRAPH:
        visit(name, [])


def test_nothing_imports_the_package_face():
    importers = sorted(name for name, targets in GRAPH.items()
                       if any(t == "runpy_ref" for t in _explicit(name)) and name != "runpy_ref.__main__")
    assert importers == []


def _explicit(name: str) -> set[str]:
    path = next(p for p in CORE if module_name(p) == name)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level and not node.module:
            depth = name.count(".") + (1 if is_package(path) else 0)
            names_a_submodule = all((PACKAGE / f"{alias.name}.py").exists() or (PACKAGE / alias.name).is_dir()
                                    for alias in node.names)
            if node.level >= depth and not names_a_submodule:
                found.add("runpy_ref")
        elif isinstance(node, ast.Import) and any(alias.name == "runpy_ref" for alias in node.names):
            found.add("runpy_ref")
    return found


@pytest.mark.parametrize("path", [p for p in CORE if p.name != "_lean.py"], ids=lambda p: str(p.relative_to(PACKAGE)))
def test_start_up_economies_stay_in_lean(path):
    text = path.read_text(encoding="utf-8")
    assert "TYPE_CHECKING = False" not in text
    for banned in ("import _contextvars", "from _contextvars", "from _json", "import _json"):
        assert banned not in text
    tree = ast.parse(text)
    runtime_typing = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))
                      and any(getattr(node, "module", None) == "typing" or alias.name == "typing"
                              for alias in node.names)]
    assert runtime_typing == []  # typing only under `if TYPE_CHECKING:`


def test_a_reader_meets_find_spec_after_the_pipeline_and_one_stage_file():
    pipeline = (PACKAGE / "pipeline.py").read_text(encoding="utf-8")
    stage = (PACKAGE / "stages" / "find_spec.py").read_text(encoding="utf-8")
    assert "def run_module(" in pipeline and pipeline.index("def run_module(") < 3000  # after the docstring only
    assert stage.index("def find_spec(") < 1200
