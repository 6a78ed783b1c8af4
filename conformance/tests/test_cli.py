"""The command line and the harness's own structure: pipes, lint without the doc texts, imports."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from .helpers import PROJECT_ROOT

HARNESS = PROJECT_ROOT / "conformance" / "harness"


def test_list_into_a_closed_pipe_is_quiet():
    proc = subprocess.run(f"{sys.executable} -m conformance list | head -n 1", shell=True, cwd=PROJECT_ROOT,
                          capture_output=True, text=True, check=True)
    assert proc.stdout.startswith("G-01")
    assert "Traceback" not in proc.stderr and "BrokenPipeError" not in proc.stderr


def test_lint_without_the_doc_texts_says_what_it_needs():
    env = dict(os.environ, RUNPY_REF_REFERENCE="/nonexistent/reference")
    proc = subprocess.run([sys.executable, "conformance/catalogue/verify.py", "--lint"], cwd=PROJECT_ROOT,
                          env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout
    assert "NOTE: anchor phrases not checked" in proc.stdout and "RUNPY_REF_REFERENCE" in proc.stdout
    assert "0 problem(s)" in proc.stdout


def _local_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
    return found


def test_harness_modules_import_each_other_without_cycles():
    graph = {p.stem: _local_imports(p) for p in HARNESS.glob("*.py")}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    cycles = [name for name in graph if reaches(name, name, {name})]
    assert cycles == []


def test_run_prints_timings_against_the_budget_and_records_them(tmp_path):
    out = tmp_path / "r.json"
    proc = subprocess.run([sys.executable, "-m", "conformance", "run", "--case", "run-module-basic-*",
                           "--no-documented-versions", "--format", "json", "--output", str(out)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "timing: " in proc.stderr and "budget for one implementation: 1.5s" in proc.stderr
    import json

    timings = json.loads(out.read_text())["timings"]
    assert timings["processes"]["forked_api_cells"] >= 1 and timings["processes"]["launches"] == 0
    assert timings["budget"]["for"] == "one implementation"
