"""The package as a user gets it: built with ``python -m build``, installed from the wheel.

Every other test imports runpy_ref from the checkout, so a file left out of
the wheel (the trace schema, ``py.typed``, a new subpackage) would go
unnoticed.  This test builds the sdist and, from it, the wheel, exactly as
``python -m build`` does for a release, installs the wheel into a fresh
virtual environment, and runs the README's demo there, with the text trace
and with ``--trace-format json``, from a directory that holds no checkout.
The JSON trace is then validated against the schema file *installed* with
the package.

It needs ``build`` (in the ``test`` extra) and PyPI, from which the build
environment gets setuptools; it takes about 15 seconds.  ``.ci/run`` does the
same with a clean clone.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# What a release is built from: the packaging files and the package (tests,
# docs and the rest of the checkout are not part of the wheel).
SOURCES = ["pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md", "MANIFEST.in", "runpy_ref"]


def run(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run a command, failing the test with its whole output when it fails."""
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{argv} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


def test_wheel_installs_into_a_fresh_venv_and_runs_the_traced_demo(tmp_path: Path) -> None:
    # A copy, so that the build's egg-info never lands in the checkout (where it
    # would sit on sys.path and describe a distribution that is not installed).
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        path = PROJECT_ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, source / name)
    dist = tmp_path / "dist"
    run([sys.executable, "-m", "build", "--outdir", str(dist), str(source)], cwd=tmp_path)
    (wheel,) = dist.glob("runpy_ref-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "runpy_ref/py.typed" in names
    assert "runpy_ref/schema/trace-1.schema.json" in names and "runpy_ref/schema/trace-2.schema.json" in names
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names), names

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    # --no-deps --no-index: runpy_ref needs nothing but the standard library.
    run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], cwd=tmp_path)

    # Run as a user would: from an empty directory, nothing of the checkout on
    # the path, bytecode written as usual.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSAFEPATH", "PYTHONDONTWRITEBYTECODE")}
    find = "import pathlib, runpy_ref; print(pathlib.Path(runpy_ref.__file__).parent)"
    where = run([str(python), "-c", find], cwd=elsewhere, env=env)
    installed = Path(where.stdout.strip())
    assert installed.is_relative_to(venv) and "site-packages" in installed.parts, installed
    assert (installed / "py.typed").is_file()

    text = run([str(python), "-m", "runpy_ref", "--trace", "runpy_ref.demo", "Ada"], cwd=elsewhere, env=env)
    assert text.stdout.splitlines()[0] == "Hello, Ada!"
    assert "__spec__.name='runpy_ref.demo.__main__'" in text.stdout
    assert text.stderr.startswith("runpy_ref trace (")
    assert str(installed / "demo" / "__main__.py") in text.stderr  # the installed copy ran

    json_demo = ["-m", "runpy_ref", "--trace", "--trace-format", "json", "runpy_ref.demo", "Ada"]
    traced = run([str(python), *json_demo], cwd=elsewhere, env=env)
    assert traced.stdout == text.stdout  # the trace goes to stderr; the program's output is its own
    header, *events, footer = [json.loads(line) for line in traced.stderr.splitlines()]
    assert footer == {"complete": True, "events": len(events)}
    assert header["schema"] == "runpy_ref.trace"
    schema_file = installed / "schema" / f"trace-{header['schema_version']}.schema.json"
    assert schema_file.is_file(), f"the header names schema version {header['schema_version']}, not installed"
    validator = jsonschema.Draft202012Validator(json.loads(schema_file.read_text(encoding="utf-8")))
    for record in (header, *events, footer):
        validator.validate(record)
    assert {"find_spec", "pick_main", "build_globals", "alter_sys", "exec"} <= {e["stage"] for e in events}
    assert str(installed / "demo" / "__main__.py") in traced.stderr
