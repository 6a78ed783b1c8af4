"""Implementations under test: interpreters, module names, CLI templates.

An implementation is either

* an interpreter + a module name (default ``runpy``, i.e. the interpreter's
  own stdlib) + an optional directory that must be on ``sys.path`` to import
  that module; or
* a CLI command template standing for ``python -m MOD`` / ``python FILE``
  (API cases are then N/A).

The driver learns an interpreter's identity by running a tiny snippet in it
(version, implementation name, ``sys.executable``, cache tag): literal facts
about the interpreter, used for placeholders and rules only.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from . import rules

_INFO_SNIPPET = (
    "import sys, json, platform;"
    "impl = getattr(sys, 'implementation', None);"
    "print(json.dumps({'impl': impl.name if impl else platform.python_implementation().lower(),"
    "'version': list(sys.version_info[:3]), 'executable': sys.executable,"
    "'cache_tag': getattr(impl, 'cache_tag', None)}))"
)
_NAME = re.compile(r"^(python|pypy)(\d+(\.\d+)?)?$")

# Constraints of known non-stdlib implementations: where they can run at all.
# Elsewhere their cells are N/A.  Extend with --requires for others.
KNOWN_REQUIREMENTS: dict[str, rules.Rule] = {
    "runpy_ref": {"impl": "cpython", "version": ">=3.9,<3.14"},
}


@dataclass(frozen=True)
class Interpreter:
    """Facts about one interpreter binary, as reported by itself."""

    exe: str
    impl: str
    version: tuple[int, ...]
    executable: str
    cache_tag: str | None

    @property
    def version_text(self) -> str:
        return ".".join(str(p) for p in self.version)


@dataclass
class Implementation:
    """One column of the matrix.

    A tool (``tools.py``: an adapter from ``conformance/tools/adapters/``)
    is a template implementation that also carries the tool's name and
    version, what to feed it on stdin, when to stop it, and where its
    templates cannot run (``module_requires``/``path_requires``).
    """

    interp: Interpreter
    module: str = "runpy"
    path: str | None = None
    module_template: str | None = None
    path_template: str | None = None
    requires: rules.Rule = None
    emulate: str | None = None
    label: str = field(default="")
    tool: str | None = None
    tool_version: str | None = None
    stdin: str | None = None
    stop: dict | list | None = None
    env: dict[str, str] = field(default_factory=dict)
    bin_dir: str | None = None
    module_requires: rules.Rule = None
    path_requires: rules.Rule = None

    def __post_init__(self) -> None:
        if not self.label:
            what = "cli-template" if self.kind == "template" else self.module
            if self.tool:
                shown = self.tool_version and self.tool_version != "stdlib"
                what = self.tool + (f"-{self.tool_version}" if shown else "")
            self.label = f"{self.interp.impl}-{self.interp.version_text}/{what}"
            if self.emulate:
                self.label += f"@{self.emulate}"

    @property
    def kind(self) -> str:
        if self.module_template or self.path_template:
            return "template"
        return "stdlib" if self.module == "runpy" else "module"

    @property
    def target(self) -> rules.Target:
        """What expectations are resolved for: the emulated version if any."""
        version = rules.parse_version(self.emulate) if self.emulate else self.interp.version
        return rules.Target(version=version, impl=self.interp.impl, kind=self.kind, module=self.module)

    def supported(self) -> bool:
        """False when the implementation cannot run on this interpreter at all."""
        host = rules.Target(version=self.interp.version, impl=self.interp.impl, kind=self.kind,
                            module=self.module)
        return rules.matches(self.requires, host)

    def child_env(self) -> dict[str, str]:
        """Environment additions for every child process of this implementation."""
        env = dict(self.env)
        if self.emulate:
            env["RUNPY_CONFORMANCE_EMULATE"] = self.emulate
        return env

    def as_dict(self) -> dict[str, object]:
        return {
            "label": self.label,
            "python": self.interp.exe,
            "impl": self.interp.impl,
            "version": self.interp.version_text,
            "module": self.module,
            "path": self.path,
            "kind": self.kind,
            "module_template": self.module_template,
            "path_template": self.path_template,
            "emulate": self.emulate,
            "tool": self.tool,
            "tool_version": self.tool_version,
        }

    def form_unavailable(self, form: str) -> str | None:
        """Why this tool cannot launch the ``module``/``path`` form on this interpreter, if it cannot."""
        need = self.module_requires if form == "module" else self.path_requires
        host = rules.Target(version=self.interp.version, impl=self.interp.impl, kind=self.kind,
                            module=self.module)
        if need is not None and not rules.matches(need, host):
            return f"{self.tool or 'the template'} has no {form} form on {self.interp.impl} " \
                   f"{self.interp.version_text} (needs {json.dumps(need)})"
        return None

    def cli_command(self, call: dict, fixture: str, scratch: str = "") -> list[str] | None:
        """The argv for a CLI case, or None if this implementation cannot express it.

        stdlib: ``python [opts] -m MOD args`` / ``python [opts] FILE args``;
        module M: ``python [opts] -m M MOD args`` / ``python [opts] -m M --path FILE args``;
        template: the template with ``{python}``, ``{module}``, ``{path}``, ``{args}``,
        ``{options}`` (the interpreter options; a template without it cannot
        express a case that has some), ``{scratch}`` (a directory for the
        tool's own output files, outside the fixture) and ``{bin}`` (the
        directory of the tool's installed commands).
        """
        exe = self.interp.exe
        opts = list(call.get("options", []))
        argv = [a.replace("{fixture}", fixture) for a in call.get("argv", [])]
        form = call["cli"]
        if form == "raw":
            return [exe, *call["args"]] if self.kind == "stdlib" else None
        target = call["module"] if form == "module" else call["path"]
        if self.kind == "stdlib":
            return [exe, *opts, *(["-m", target] if form == "module" else [target]), *argv]
        if self.kind == "module":
            head = ["-m", self.module] if form == "module" else ["-m", self.module, "--path"]
            return [exe, *opts, *head, target, *argv]
        template = self.module_template if form == "module" else self.path_template
        if template is None or self.form_unavailable(form) or (opts and "{options}" not in template):
            return None
        words = []
        for word in shlex.split(template):
            if word == "{args}":
                words.extend(argv)
            elif word == "{options}":
                words.extend(opts)
            else:
                for name, value in (("{python}", exe), ("{module}", target), ("{path}", target),
                                    ("{scratch}", scratch), ("{bin}", self.bin_dir or "")):
                    word = word.replace(name, value)
                words.append(word)
        return words


_info_cache: dict[str, Interpreter | None] = {}


def query(exe: str, timeout: float = 20.0) -> Interpreter | None:
    """Ask an interpreter who it is; None if it does not run."""
    if exe in _info_cache:
        return _info_cache[exe]
    try:
        out = subprocess.run(
            [exe, "-E", "-s", "-c", _INFO_SNIPPET],
            capture_output=True, text=True, timeout=timeout, check=True,
        ).stdout
        data = json.loads(out)
        info: Interpreter | None = Interpreter(
            exe=exe,
            impl=data["impl"],
            version=tuple(data["version"]),
            executable=data["executable"],
            cache_tag=data["cache_tag"],
        )
    except (OSError, subprocess.SubprocessError, ValueError, KeyError):
        info = None
    _info_cache[exe] = info
    return info


def _candidates() -> list[str]:
    dirs = [d for d in os.environ.get("PATH", "").split(os.pathsep) if d and "shims" not in d]
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    dirs += [str(p) for p in sorted((pyenv_root / "versions").glob("*/bin"))]
    found = []
    for d in dirs:
        try:
            names = sorted(os.listdir(d))
        except OSError:
            continue
        for name in names:
            path = os.path.join(d, name)
            if _NAME.match(name) and os.access(path, os.X_OK) and not os.path.isdir(path):
                found.append(path)
    return found


def discover() -> list[Interpreter]:
    """Every CPython and PyPy on PATH and in pyenv, one per distinct installation.

    Installations are told apart by (implementation, full version, real path
    of ``sys.executable``), so ``python3`` and ``python3.11`` in the same
    directory count once while pyenv's 3.11 and Debian's 3.11 count twice.
    """
    seen: dict[tuple, Interpreter] = {}
    for exe in _candidates():
        info = query(exe)
        if info is None or info.impl not in ("cpython", "pypy"):
            continue
        key = (info.impl, info.version, os.path.realpath(info.executable))
        if key not in seen or len(exe) > len(seen[key].exe):
            seen[key] = info  # prefer the most specific name (python3.11 over python3)
    return sorted(seen.values(), key=lambda i: (i.impl != "cpython", i.version, i.exe))
