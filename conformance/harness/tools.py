"""Tools as data: adapters for programs that run a user's program the way ``python -m`` does.

Each adapter is one JSON file in ``conformance/tools/adapters/`` (format in
INTERPRETING.md section 10): how to install the tool into a throwaway venv
from PyPI, how to read its version, the commands standing for
``python -m MOD args`` and ``python FILE args``, what to feed it on stdin,
how to stop it when it restarts the program, and where it cannot run.  This
module turns an adapter and an interpreter into an ``Implementation`` (one
column of the matrix), installing the tool first when asked to.

Venvs live under ``$RUNPY_CONFORMANCE_VENVS`` (default
``~/.cache/runpy-conformance/venvs``), one per tool and interpreter, and are
reused while they hold what the adapter asks for.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import rules
from .impls import Implementation, Interpreter, query

ADAPTERS_DIR = Path(__file__).resolve().parent.parent / "tools" / "adapters"
PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
ADAPTER_SCHEMA = "runpy_ref.conformance-tool/1"
ADAPTER_KEYS = {
    "schema", "name", "title", "install", "kind", "module", "path", "module_requires", "path_requires",
    "requires", "stdin", "stop", "env", "check", "version_command", "module_name", "path_entry", "notes",
}
_VERSION_SNIPPET = ("import sys\ntry:\n from importlib.metadata import version\nexcept ImportError:\n"
                    " from importlib_metadata import version\nprint(version(sys.argv[1]))")


class AdapterError(ValueError):
    """An adapter file that does not follow the format."""


@dataclass
class Adapter:
    """One tool, as its adapter file describes it."""

    name: str
    title: str
    source: Path
    kind: str = "template"  # or "module": a runpy-like module, whose API cells run too
    install: list[str] = field(default_factory=list)
    module: str | None = None
    path: str | None = None
    module_requires: rules.Rule = None
    path_requires: rules.Rule = None
    requires: rules.Rule = None
    stdin: str | None = None
    stop: dict[str, Any] | list[dict[str, Any]] | None = None
    env: dict[str, str] = field(default_factory=dict)
    check: list[str] | None = None
    version_command: list[str] | None = None
    module_name: str | None = None
    path_entry: str | None = None
    notes: str = ""


def load_adapter(path: Path) -> Adapter:
    """Parse and check one adapter file."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    unknown = set(data) - ADAPTER_KEYS
    if unknown:
        raise AdapterError(f"{path}: unknown keys {sorted(unknown)}")
    if data.get("schema") != ADAPTER_SCHEMA:
        raise AdapterError(f"{path}: schema must be {ADAPTER_SCHEMA!r}")
    for key in ("name", "title"):
        if not data.get(key):
            raise AdapterError(f"{path}: missing {key!r}")
    kind = data.get("kind", "template")
    if kind == "template" and not (data.get("module") or data.get("path")):
        raise AdapterError(f"{path}: a template adapter needs 'module' and/or 'path'")
    if kind == "module" and not data.get("module_name"):
        raise AdapterError(f"{path}: a module adapter needs 'module_name'")
    if kind not in ("template", "module"):
        raise AdapterError(f"{path}: kind must be 'template' or 'module'")
    try:
        for key in ("requires", "module_requires", "path_requires"):
            rules.validate(data.get(key))
    except rules.RuleError as exc:
        raise AdapterError(f"{path}: {exc}") from None
    stops = data.get("stop") or []
    if any("regex" not in rule for rule in (stops if isinstance(stops, list) else [stops])):
        raise AdapterError(f"{path}: each 'stop' rule needs a 'regex'")
    fields = {k: v for k, v in data.items() if k not in ("schema",)}
    return Adapter(source=Path(path), **fields)


def load_adapters(directory: Path = ADAPTERS_DIR) -> dict[str, Adapter]:
    """Every adapter shipped with the suite, by name."""
    adapters = {}
    for path in sorted(directory.glob("*.json")):
        adapter = load_adapter(path)
        adapters[adapter.name] = adapter
    return adapters


def resolve_names(names: list[str], adapters: dict[str, Adapter]) -> list[Adapter]:
    """``--tool`` values: names (case-insensitive), ``all``, or paths to adapter files of one's own."""
    chosen: list[Adapter] = []
    lower = {name.lower(): a for name, a in adapters.items()}
    for name in names:
        if name == "all":
            chosen.extend(adapters.values())
        elif name.lower() in lower:
            chosen.append(lower[name.lower()])
        elif name.endswith(".json") and Path(name).exists():
            chosen.append(load_adapter(Path(name)))
        else:
            raise AdapterError(f"unknown tool {name!r}; known: {', '.join(adapters)} "
                               f"(or give the path of an adapter file)")
    return list({a.name: a for a in chosen}.values())


def venvs_root() -> Path:
    default = Path.home() / ".cache" / "runpy-conformance" / "venvs"
    return Path(os.environ.get("RUNPY_CONFORMANCE_VENVS", default))


def venv_dir(adapter: Adapter, interp: Interpreter, root: Path | None = None) -> Path:
    return (root or venvs_root()) / adapter.name / f"{interp.impl}-{interp.version_text}"


def _fill(word: str, python: str, bin_dir: str, scratch: str) -> str:
    return (word.replace("{python}", python).replace("{bin}", bin_dir).replace("{scratch}", scratch)
            .replace("{project}", str(PROJECT_ROOT)))


@dataclass
class Installed:
    """Where a tool runs: the interpreter to launch (a venv's, or the base one) and its bin directory."""

    interp: Interpreter
    bin_dir: str
    version: str | None


def _log(message: str) -> None:
    print(f"conformance: {message}", file=sys.stderr, flush=True)


def install(adapter: Adapter, interp: Interpreter, *, root: Path | None = None, allow: bool = True,
            timeout: float = 900.0) -> Installed:
    """The tool installed for ``interp``: its venv reused, or created when ``allow``; else RuntimeError."""
    if not adapter.install:
        return Installed(interp, str(Path(interp.exe).parent), None)
    venv = venv_dir(adapter, interp, root)
    marker = venv / "runpy-conformance.json"
    python = venv / "bin" / "python"
    wanted = {"install": adapter.install, "base": interp.executable}
    fresh = marker.exists() and json.loads(marker.read_text()).get("install") == adapter.install
    if not (fresh and python.exists()):
        if not allow:
            raise RuntimeError(f"{adapter.name} is not installed for {interp.exe} (in {venv})")
        _log(f"installing {' '.join(adapter.install)} for {interp.impl} {interp.version_text} into {venv}")
        venv.parent.mkdir(parents=True, exist_ok=True)
        steps = [[interp.exe, "-m", "venv", "--clear", str(venv)],
                 [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *adapter.install]]
        for step in steps:
            proc = subprocess.run(step, capture_output=True, text=True, timeout=timeout)
            if proc.returncode != 0:
                tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
                raise RuntimeError(f"`{' '.join(step)}` failed: {' / '.join(tail)}")
        marker.write_text(json.dumps(wanted, indent=1) + "\n")
    venv_interp = query(str(python))
    if venv_interp is None:
        raise RuntimeError(f"the venv interpreter {python} does not run")
    version = _distribution_version(adapter, str(python))
    return Installed(venv_interp, str(python.parent), version)


def _distribution_version(adapter: Adapter, python: str) -> str | None:
    name = adapter.install[0].split("[")[0]
    for sep in "=<>!~; ":
        name = name.split(sep)[0]
    proc = subprocess.run([python, "-c", _VERSION_SNIPPET, name], capture_output=True, text=True)
    return proc.stdout.strip() or None if proc.returncode == 0 else None


def _run_version_command(adapter: Adapter, installed: Installed, env: dict[str, str]) -> str | None:
    assert adapter.version_command is not None
    cmd = [_fill(w, installed.interp.exe, installed.bin_dir, "") for w in adapter.version_command]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **env}, timeout=60)
    return proc.stdout.strip() or None if proc.returncode == 0 else None


def check(adapter: Adapter, installed: Installed) -> str | None:
    """Run the adapter's check command (e.g. can py-spy trace here?); why it cannot run, or None."""
    if not adapter.check:
        return None
    with tempfile.TemporaryDirectory() as scratch:
        cmd = [_fill(w, installed.interp.exe, installed.bin_dir, scratch) for w in adapter.check]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"check failed: {exc}"
    if proc.returncode != 0:
        lines = (proc.stderr or proc.stdout).strip().splitlines()
        return f"check `{' '.join(adapter.check)}` failed: {lines[-1] if lines else proc.returncode}"
    return None


def implementation(adapter: Adapter, interp: Interpreter, *, root: Path | None = None,
                   allow_install: bool = True) -> Implementation:
    """One column: the tool on this interpreter (installed into its venv if need be).

    Raises RuntimeError when the tool cannot be installed or its check fails;
    where the adapter's ``requires`` excludes the interpreter, nothing is
    installed and the column's cells are N/A.
    """
    host = rules.Target(version=interp.version, impl=interp.impl,
                        kind="module" if adapter.kind == "module" else "template",
                        module=adapter.module_name or "runpy")
    if not rules.matches(adapter.requires, host):
        return Implementation(interp, module=adapter.module_name or "runpy", requires=adapter.requires,
                              module_template=adapter.module, path_template=adapter.path, tool=adapter.name)
    if adapter.kind == "module":
        path = _fill(adapter.path_entry or "", interp.exe, "", "") or None
        installed = Installed(interp, str(Path(interp.exe).parent), None)
        env = {"PYTHONPATH": path} if path else {}
        version = _run_version_command(adapter, installed, env) if adapter.version_command else None
        return Implementation(interp, module=adapter.module_name or adapter.name, path=path,
                              requires=adapter.requires, tool=adapter.name, tool_version=version)
    installed = install(adapter, interp, root=root, allow=allow_install)
    why = check(adapter, installed)
    if why:
        raise RuntimeError(why)
    version = installed.version
    if adapter.version_command:
        version = _run_version_command(adapter, installed, adapter.env)
    if version is None and not adapter.install:
        version = "stdlib"
    return Implementation(
        installed.interp, module="runpy", module_template=adapter.module, path_template=adapter.path,
        requires=adapter.requires, tool=adapter.name, tool_version=version, stdin=adapter.stdin,
        stop=adapter.stop, env=dict(adapter.env), bin_dir=installed.bin_dir,
        module_requires=adapter.module_requires, path_requires=adapter.path_requires,
    )
