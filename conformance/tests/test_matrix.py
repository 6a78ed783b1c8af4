"""Validation: the whole suite against every interpreter here, and runpy_ref.

Every real CPython (2.7, 3.6-3.13) and PyPy found on this machine runs every
case with its own stdlib runpy; runpy_ref runs wherever it supports the
interpreter (CPython 3.9-3.13).  Every cell must be PASS, N/A, SKIP or a
listed XFAIL: a FAIL against a real interpreter means the *expectation* is
wrong.  ``CONFORMANCE_INTERPRETERS=host`` limits the run to the interpreter
running pytest (the host's stdlib runpy and runpy_ref).
``CONFORMANCE_REPORT_DIR=DIR`` also writes report.txt, results.json,
matrix.html and replay/ (failing cells) into DIR, so CI gets the reports
without running the matrix twice.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from conformance.harness import catalogue, report
from conformance.harness.cases import load_cases
from conformance.harness.impls import KNOWN_REQUIREMENTS, Implementation
from conformance.harness.runner import BAD_STATUSES, documented_cells, run_matrix

from .helpers import PROJECT_ROOT, host, interpreters

INTERPRETERS = interpreters()


def runpy_ref_importable() -> tuple[bool, str]:
    """Can the host import runpy_ref from this checkout?  (Checked in a child.)"""
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    proc = subprocess.run([sys.executable, "-c", "import runpy_ref"], env=env, capture_output=True, text=True)
    lines = proc.stderr.strip().splitlines()
    return proc.returncode == 0, lines[-1] if lines else ""


def implementations() -> list[Implementation]:
    impls = [Implementation(i) for i in INTERPRETERS]
    if runpy_ref_importable()[0]:
        impls += [Implementation(i, module="runpy_ref", path=str(PROJECT_ROOT),
                                 requires=KNOWN_REQUIREMENTS["runpy_ref"]) for i in INTERPRETERS]
    return impls


@pytest.fixture(scope="session")
def matrix():
    """Run the whole matrix once; with CONFORMANCE_REPORT_DIR set, also write the reports there."""
    impls = implementations()
    out = os.environ.get("CONFORMANCE_REPORT_DIR")
    start = time.monotonic()
    cases = load_cases()
    results = run_matrix(cases, impls, keep_dir=Path(out) / "replay" if out else None)
    wall = time.monotonic() - start
    executing = sum(1 for i in impls if i.supported())
    print(f"\nconformance matrix: {len(results)} cells, {executing} implementations, {wall:.1f}s wall")
    if out:
        cat = catalogue.load()
        everything = results + documented_cells(cases, impls, cat.versions, cat.executable_here)
        for fmt, name in (("text", "report.txt"), ("json", "results.json"), ("html", "matrix.html")):
            (Path(out) / name).write_text(report.render(fmt, everything, cat, impls, wall), encoding="utf-8")
    return {"results": results, "wall": wall}


def _bad(results, label):
    return [f"{r.status} {r.case.id}: {r.reason} {r.mismatches[:3]}" for r in results
            if r.impl_label == label and r.status in BAD_STATUSES]


@pytest.mark.parametrize("label", [Implementation(i).label for i in INTERPRETERS])
def test_stdlib_runpy_of_every_interpreter(matrix, label):
    results = [r for r in matrix["results"] if r.impl_label == label]
    assert results, label
    print(label, dict(Counter(r.status for r in results)))
    assert _bad(matrix["results"], label) == []


def test_host_stdlib_runpy(matrix):
    label = Implementation(host()).label
    assert _bad(matrix["results"], label) == []
    assert any(r.status == "PASS" for r in matrix["results"] if r.impl_label == label)


def test_host_runpy_ref(matrix):
    ok, why = runpy_ref_importable()
    if not ok:
        message = f"runpy_ref is not importable from {PROJECT_ROOT}: {why}"
        print(message, file=sys.stderr)
        pytest.skip(message)
    impl = Implementation(host(), module="runpy_ref", path=str(PROJECT_ROOT),
                          requires=KNOWN_REQUIREMENTS["runpy_ref"])
    if not impl.supported():
        pytest.skip(f"runpy_ref does not support the host interpreter {impl.interp.version_text}")
    results = [r for r in matrix["results"] if r.impl_label == impl.label]
    print(impl.label, dict(Counter(r.status for r in results)))
    assert _bad(matrix["results"], impl.label) == []
    assert sum(r.status == "PASS" for r in results) > len(results) // 2


def test_runpy_ref_on_every_supported_interpreter(matrix):
    labels = {r.impl_label for r in matrix["results"] if r.impl.get("module") == "runpy_ref"}
    for label in sorted(labels):
        assert _bad(matrix["results"], label) == [], label


def test_speed_budget(matrix):
    """Issue budget: <= 60 s for >= 10 implementations on 2 cores (machine load permitting).

    Enforced only with CONFORMANCE_STRICT_TIMING=1, because other work on a
    shared machine can slow the children down; the figure is always printed.
    """
    print(f"matrix wall time: {matrix['wall']:.1f}s")
    if os.environ.get("CONFORMANCE_STRICT_TIMING") == "1":
        assert matrix["wall"] <= 60
