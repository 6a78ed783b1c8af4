"""Deterministic traces must not depend on where the checkout is (the lessons show them verbatim)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import runpy_ref
from runpy_ref.trace import plain

PACKAGE_DIR = os.path.dirname(os.path.abspath(runpy_ref.__file__))


def test_runpy_ref_files_outside_the_root_are_written_as_a_placeholder(tmp_path: Path) -> None:
    text = f"<module 'runpy_ref.__main__' from '{PACKAGE_DIR}{os.sep}__main__.py'>"
    expected = "<module 'runpy_ref.__main__' from '<runpy_ref>/__main__.py'>"
    assert plain(text, relative_to=str(tmp_path)) == expected


def test_runpy_ref_files_under_the_root_stay_root_relative() -> None:
    root = os.path.dirname(PACKAGE_DIR)
    assert plain(os.path.join(PACKAGE_DIR, "cli.py"), relative_to=root) == "<root>/runpy_ref/cli.py"


def test_cli_trace_names_no_checkout_path(tmp_path: Path) -> None:
    (tmp_path / "hello.py").write_text("print('hi')\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.path.dirname(PACKAGE_DIR))
    proc = subprocess.run([sys.executable, "-m", "runpy_ref", "--trace", "--deterministic", "hello"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert "<runpy_ref>/__main__.py" in proc.stderr
    assert os.path.dirname(PACKAGE_DIR) not in proc.stderr
