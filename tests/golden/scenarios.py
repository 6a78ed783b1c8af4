"""Golden trace scenarios: small, fixed programs and the deterministic traces they give.

This module is self-contained (stdlib + runpy_ref only) so that the docs can
load it by path and show the very traces the tests pin down::

    spec = importlib.util.spec_from_file_location("scenarios", ".../tests/golden/scenarios.py")

Two kinds of scenario:

* ``api``: a call to ``run_module``/``run_path`` on a fixture tree built by
  :func:`build` in a directory that is the trace root.  The caller's ``sys``
  is fixed for the duration (``sys.argv == ['prog']``, the root first on
  ``sys.path``, a fresh ``__main__`` module), so before/after values do not
  depend on the test runner, and everything is put back afterwards.
* ``cli``: ``python -m runpy_ref`` in a subprocess, with the checkout (the
  directory holding ``runpy_ref``) as the trace root and the trace written to
  a file given by a relative path, so that nothing machine-specific shows.

:func:`normalise` replaces the only values that legitimately differ between
interpreters (the interpreter/profile version in the header, and the
``cpython-3XY`` cache tag in ``__cached__`` paths) by placeholders; with that,
one golden file serves CPython 3.9 to 3.13.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import types
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import runpy_ref
from runpy_ref.sinks import JsonLinesSink, TextSink

GOLDEN_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = Path(runpy_ref.__file__).resolve().parent.parent
FORMATS = ("text", "json")
SUFFIX = {"text": ".txt", "json": ".jsonl"}

FILES: dict[str, str] = {
    "hello.py": '''
        """A plain module: run_module runs it without importing it."""
        message = "hello from " + __name__
    ''',
    "pkg/__init__.py": '''
        """A package: run_module("pkg") runs pkg.__main__."""
    ''',
    "pkg/__main__.py": '''
        from .util import shout
        result = shout(__name__)
    ''',
    "pkg/util.py": '''
        def shout(text):
            return text.upper()
    ''',
    "nomain/__init__.py": '''
        """A package without __main__: it cannot be run."""
    ''',
    "boom.py": '''
        raise ValueError("boom")
    ''',
    "quitter.py": '''
        import sys
        sys.exit(3)
    ''',
    "script.py": '''
        import sys
        argv0 = sys.argv[0]
    ''',
    "app/__main__.py": '''
        import sys
        path0 = sys.path[0]
    ''',
}
ZIP_MAIN = "import sys\npath0 = sys.path[0]\n"


def build(root: Path) -> Path:
    """Write the fixture tree (and ``app.zip``) under ``root``; return ``root``."""
    for rel, source in FILES.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")
    with zipfile.ZipFile(root / "app.zip", "w") as archive:
        archive.writestr(zipfile.ZipInfo("__main__.py", date_time=(2024, 1, 1, 0, 0, 0)), ZIP_MAIN)
    return root


@dataclass(frozen=True)
class Scenario:
    """One golden scenario.

    ``call`` receives the fixture root (api) ; ``argv`` are the words after
    ``python -m runpy_ref`` and before the target's own (cli).  ``raises`` and
    ``status`` say how the run must end, so a golden can never silently pin
    down a crash.
    """

    name: str
    title: str
    kind: str
    call: Callable[[Path], Any] | None = None
    argv: tuple[str, ...] = ()
    raises: type[BaseException] | None = None
    status: int = 0
    stdout: str = ""
    tags: tuple[str, ...] = field(default=())


def _api(
    name: str, title: str, call: Callable[[Path], Any], raises: type[BaseException] | None = None
) -> Scenario:
    return Scenario(name, title, "api", call=call, raises=raises)


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario(
            "cli_demo_package",
            "python -m runpy_ref --trace runpy_ref.demo Ada",
            "cli",
            argv=("runpy_ref.demo", "Ada"),
            stdout="Hello, Ada!\n__name__='__main__' __package__='runpy_ref.demo' "
            "__spec__.name='runpy_ref.demo.__main__'\n",
        ),
        Scenario(
            "cli_missing_module",
            "python -m runpy_ref --trace runpy_ref_no_such_module",
            "cli",
            argv=("runpy_ref_no_such_module",),
            status=1,
        ),
        _api("run_module_module", "run_module('hello')", lambda root: runpy_ref.run_module("hello")),
        _api("run_module_package", "run_module('pkg')", lambda root: runpy_ref.run_module("pkg")),
        _api(
            "run_module_alter_sys",
            "run_module('hello', alter_sys=True)",
            lambda root: runpy_ref.run_module("hello", alter_sys=True),
        ),
        _api(
            "run_path_file", "run_path('script.py')", lambda root: runpy_ref.run_path(str(root / "script.py"))
        ),
        _api("run_path_directory", "run_path('app')", lambda root: runpy_ref.run_path(str(root / "app"))),
        _api("run_path_zip", "run_path('app.zip')", lambda root: runpy_ref.run_path(str(root / "app.zip"))),
        _api(
            "error_missing_module",
            "run_module('missing')",
            lambda root: runpy_ref.run_module("missing"),
            raises=ImportError,
        ),
        _api(
            "error_package_without_main",
            "run_module('nomain')",
            lambda root: runpy_ref.run_module("nomain"),
            raises=ImportError,
        ),
        _api(
            "error_raising_module",
            "run_module('boom', alter_sys=True)",
            lambda root: runpy_ref.run_module("boom", alter_sys=True),
            raises=ValueError,
        ),
        _api(
            "error_system_exit",
            "run_module('quitter', alter_sys=True)",
            lambda root: runpy_ref.run_module("quitter", alter_sys=True),
            raises=SystemExit,
        ),
    )
}


def _sink(fmt: str, stream: io.StringIO) -> Any:
    return (JsonLinesSink if fmt == "json" else TextSink)(stream)


def run_api(scenario: Scenario, root: Path, fmt: str) -> str:
    """Run an api scenario with a fixed caller ``sys``; return the trace text."""
    assert scenario.call is not None
    saved_argv, saved_path, saved_modules = list(sys.argv), list(sys.path), dict(sys.modules)
    stream = io.StringIO()
    try:
        sys.argv[:] = ["prog"]
        sys.path.insert(0, str(root))
        sys.modules["__main__"] = types.ModuleType("__main__")
        with runpy_ref.tracing(_sink(fmt, stream), deterministic=True, root=str(root)):
            try:
                scenario.call(root)
            except BaseException as exc:
                if scenario.raises is None or not isinstance(exc, scenario.raises):
                    raise
            else:
                if scenario.raises is not None:
                    raise AssertionError(f"{scenario.name}: expected {scenario.raises.__name__}")
    finally:
        sys.argv[:] = saved_argv
        sys.path[:] = saved_path
        for name in set(sys.modules) - set(saved_modules):
            del sys.modules[name]
        sys.modules.update(saved_modules)
    return stream.getvalue()


def cli_command(scenario: Scenario, fmt: str) -> list[str]:
    """The command line of a cli scenario (run in a scratch directory)."""
    return [
        sys.executable, "-m", "runpy_ref",
        "--trace-format", fmt, "--trace-file", "trace.out",
        "--deterministic", "--root", str(PROJECT_ROOT),
        *scenario.argv,
    ]


def run_cli(scenario: Scenario, fmt: str) -> str:
    """Run a cli scenario in a subprocess; check its status and output; return the trace."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    with tempfile.TemporaryDirectory() as scratch:
        done = subprocess.run(
            cli_command(scenario, fmt), cwd=scratch, env=env, capture_output=True, text=True, check=False
        )
        if done.returncode != scenario.status or done.stdout != scenario.stdout:
            raise AssertionError(
                f"{scenario.name}: status {done.returncode} (want {scenario.status})\n"
                f"stdout: {done.stdout!r}\nstderr: {done.stderr}"
            )
        return Path(scratch, "trace.out").read_text(encoding="utf-8")


def run(name: str, root: Path, fmt: str) -> str:
    """The deterministic trace of scenario ``name`` in format ``fmt`` (api fixtures under ``root``)."""
    scenario = SCENARIOS[name]
    return run_api(scenario, root, fmt) if scenario.kind == "api" else run_cli(scenario, fmt)


_TEXT_HEADER = re.compile(r"^runpy_ref trace \((\w+) \d+\.\d+, profile \d+\.\d+\)$", re.M)
_JSON_VERSION = re.compile(r'("version": |"profile": )"\d+\.\d+"')


def normalise(text: str) -> str:
    """Blank the interpreter-specific values, so one golden serves every version."""
    text = _TEXT_HEADER.sub(r"runpy_ref trace (\1 <X.Y>, profile <X.Y>)", text)
    text = _JSON_VERSION.sub(r'\1"<X.Y>"', text)
    tag = sys.implementation.cache_tag
    return text.replace(f".{tag}.", ".<cache_tag>.") if tag else text


def golden_path(name: str, fmt: str) -> Path:
    return GOLDEN_DIR / f"{name}{SUFFIX[fmt]}"
