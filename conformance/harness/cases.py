"""Case files: loading, validation and fixture materialisation.

A case is one JSON file under ``conformance/cases/<group>/``.  The format is
specified in INTERPRETING.md; this module only reads it, checks it, and writes
the fixture tree to disk (the one thing the driver does on a case's behalf,
besides launching the probe).
"""

from __future__ import annotations

import base64
import fnmatch
import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import rules, versions
from .expect import KNOWN_OPERATORS, operators_used, resolve

CASES_DIR = Path(__file__).resolve().parent.parent / "cases"
RECORDER = Path(__file__).resolve().parent / "recorder.py"
CASE_KEYS = {
    "id", "title", "behaviours", "cite", "applies", "kind", "reason", "fixture",
    "compile", "call", "setup", "observe", "expect", "unknown", "notes",
}
CALL_APIS = {"run_module", "run_path", "inspect"}
CLI_FORMS = {"module", "path", "raw"}


class CaseError(ValueError):
    """A case file that does not follow the format."""


@dataclass
class Case:
    """One parsed case file."""

    id: str
    title: str
    behaviours: list[str]
    group: str
    source: Path
    data: dict[str, Any] = field(repr=False)

    @property
    def call(self) -> dict[str, Any]:
        return self.data.get("call", {})

    @property
    def is_cli(self) -> bool:
        return "cli" in self.call

    @property
    def doc_only(self) -> bool:
        return self.data.get("kind") == "doc-only"

    @property
    def applies(self) -> rules.Rule:
        return self.data.get("applies", "*")

    @property
    def expect(self) -> list[dict[str, Any]]:
        return self.data.get("expect", [])

    @property
    def unknown(self) -> list[dict[str, Any]]:
        """``[{"when": rule, "because": text}]``: targets for which what happens is not known."""
        return self.data.get("unknown", [])

    def unknown_for(self, target: rules.Target) -> str | None:
        """Why the outcome for ``target`` is not known, or None when it is (or does not apply).

        "Unknown" is not "does not apply": the case applies to the version, and
        the version does *something*, but no interpreter, source or document
        available here says what.  Such a cell is reported as UNKNOWN, never
        as N/A, PASS or FAIL.
        """
        reasons = [item["because"] for item in self.unknown if rules.matches(item["when"], target)]
        return "; ".join(reasons) if reasons else None


def _check(cond: bool, source: Path, message: str) -> None:
    if not cond:
        raise CaseError(f"{source}: {message}")


def validate(data: dict[str, Any], source: Path) -> None:
    """Reject malformed cases early, with the file name in the message."""
    unknown = set(data) - CASE_KEYS
    _check(not unknown, source, f"unknown keys {sorted(unknown)}")
    for key in ("id", "title", "behaviours", "cite"):
        _check(key in data, source, f"missing {key!r}")
    _check(isinstance(data["behaviours"], list) and bool(data["behaviours"]), source,
           "behaviours must be a non-empty list")
    unknown = data.get("unknown", [])
    _check(isinstance(unknown, list), source, "unknown must be a list")
    for item in unknown:
        _check(isinstance(item, dict) and set(item) == {"when", "because"}, source,
               'each unknown item is {"when": rule, "because": text}')
        _check(isinstance(item["because"], str) and bool(item["because"].strip()), source,
               "an unknown item must say why (because)")
    try:
        rules.validate(data.get("applies", "*"))
        for item in data.get("expect", []) + unknown:
            rules.validate(item.get("when", "*"))
    except rules.RuleError as exc:
        raise CaseError(f"{source}: {exc}") from None
    if data.get("kind") == "doc-only":
        _check("reason" in data, source, "doc-only cases need a reason")
        return
    call = data.get("call")
    _check(isinstance(call, dict), source, "missing call")
    if "api" in call:
        _check(call["api"] in CALL_APIS, source, f"unknown api {call['api']!r}")
    else:
        _check(call.get("cli") in CLI_FORMS, source, f"call needs api or cli in {sorted(CLI_FORMS)}")
    _check(bool(data.get("expect")), source, "missing expect")
    bad_ops = operators_used(data["expect"]) - KNOWN_OPERATORS
    _check(not bad_ops, source, f"unknown operators {sorted(bad_ops)}")


def _version_texts(rule: rules.Rule) -> list[str]:
    """Every version-set string inside a rule (the rule itself, ``version`` keys, any/all/not)."""
    if isinstance(rule, str):
        return [rule]
    if not isinstance(rule, dict):
        return []
    out = [rule["version"]] if "version" in rule else []
    for sub in rule.get("any", []) + rule.get("all", []) + ([rule["not"]] if "not" in rule else []):
        out.extend(_version_texts(sub))
    return out


def sample_points(case: Case, feature: str) -> list[tuple[int, int, int]]:
    """The point releases of ``feature`` to check: its first and last, and both sides of every
    point-release boundary that the case's rules name (``"3.5.2+"`` -> 3.5.1 and 3.5.2)."""
    major, minor = (int(p) for p in feature.split("."))
    micros = {0, versions.LAST}
    items = [case.applies] + [i.get("when", "*") for i in case.expect] + [i["when"] for i in case.unknown]
    for rule in items:
        for text in _version_texts(rule):
            for lo, hi in versions.parse(text).within(feature).intervals:
                for micro in (lo[2] - 1, lo[2], hi[2], hi[2] + 1):
                    if 0 <= micro <= versions.LAST:
                        micros.add(micro)
    return [(major, minor, micro) for micro in sorted(micros)]


def version_states(case: Case, universe: tuple[str, ...] = versions.FEATURE_VERSIONS,
                   **target: str) -> list[tuple[tuple[int, int, int], str, str]]:
    """What the case says for every version: ``[(point release, state, detail)]``.

    ``state`` is ``"expect"`` (an expectation resolves), ``"unknown"`` (the
    case says why it is not known), ``"n/a"`` (the case does not apply, or is
    doc-only), ``"missing"`` (none of these: an incomplete case) or
    ``"conflict"`` (declared unknown, yet an item with its own ``when`` also
    claims an expectation).  Targets are CPython's own runpy unless
    ``target`` says otherwise (``impl``, ``kind``, ``module``).
    """
    out = []
    for feature in universe:
        for point in sample_points(case, feature):
            tgt = rules.Target(version=point, **target)
            if case.doc_only:
                out.append((point, "n/a", "doc-only"))
                continue
            if not rules.matches(case.applies, tgt):
                out.append((point, "n/a", "applies"))
                continue
            why = case.unknown_for(tgt)
            explicit = [n for n, item in enumerate(case.expect)
                        if item.get("when", "*") != "*" and rules.matches(item["when"], tgt)]
            if why is not None:
                state = "conflict" if explicit else "unknown"
                out.append((point, state, why if not explicit else f"expect items {explicit} also match"))
                continue
            expected, _notes = resolve(case.expect, tgt)
            out.append((point, "missing" if expected is None else "expect", ""))
    return out


def load_case(path: Path) -> Case:
    """Parse and validate one case file."""
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    validate(data, path)
    return Case(
        id=data["id"],
        title=data["title"],
        behaviours=list(data["behaviours"]),
        group=path.parent.name,
        source=path,
        data=data,
    )


def load_cases(root: Path = CASES_DIR, pattern: str | None = None) -> list[Case]:
    """All cases under ``root`` (sorted by id), optionally filtered by a glob on id or group/file."""
    cases = [load_case(p) for p in sorted(root.glob("*/*.json"))]
    seen: dict[str, Path] = {}
    for case in cases:
        if case.id in seen:
            raise CaseError(f"duplicate case id {case.id!r}: {seen[case.id]} and {case.source}")
        seen[case.id] = case.source
    if pattern:
        cases = [
            c for c in cases
            if fnmatch.fnmatch(c.id, pattern)
            or fnmatch.fnmatch(f"{c.group}/{c.source.stem}", pattern)
            or any(fnmatch.fnmatch(b, pattern) for b in c.behaviours)
        ]
    return sorted(cases, key=lambda c: c.id)


def file_bytes(spec: Any) -> bytes:
    """Content of one fixture file: text, list of lines, or ``{"base64": ...}``."""
    if isinstance(spec, str):
        return spec.encode("utf-8")
    if isinstance(spec, list):
        return ("\n".join(spec) + "\n").encode("utf-8")
    if isinstance(spec, dict) and "base64" in spec:
        return base64.b64decode(spec["base64"])
    if isinstance(spec, dict) and "latin-1" in spec:
        text = spec["latin-1"]
        return ("\n".join(text) + "\n" if isinstance(text, list) else text).encode("latin-1")
    raise CaseError(f"unsupported fixture file form: {spec!r}")


def _needs_recorder(directory: Path) -> bool:
    # Plain directories that hold code get a copy of _rec.py, so that scripts
    # run as ``python dir/x.py`` can import it from sys.path[0].  Packages do not:
    # their code imports the copy at the fixture root.
    return not (directory / "__init__.py").exists() and any(directory.glob("*.py"))


def materialise(fixture: dict[str, Any], root: Path) -> None:
    """Write a declared fixture tree under ``root`` (plus ``_rec.py`` copies).

    ``{"zip": {name: file}}`` entries become zip archives built here with
    ``zipfile`` (they always contain ``_rec.py`` at their root);
    ``{"symlink": "relative/target"}`` entries become symbolic links.
    """
    recorder = RECORDER.read_bytes()
    root.mkdir(parents=True, exist_ok=True)
    (root / "_rec.py").write_bytes(recorder)
    for rel, spec in fixture.items():
        target = root / rel
        if rel.endswith("/"):
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(spec, dict) and "symlink" in spec:
            os.symlink(spec["symlink"], target)
        elif isinstance(spec, dict) and "zip" in spec:
            with zipfile.ZipFile(target, "w") as archive:
                archive.writestr("_rec.py", recorder)
                for inner, inner_spec in sorted(spec["zip"].items()):
                    archive.writestr(inner, file_bytes(inner_spec))
        else:
            target.write_bytes(file_bytes(spec))
    for directory, _dirs, _files in os.walk(root):
        path = Path(directory)
        if path != root and _needs_recorder(path) and not (path / "_rec.py").exists():
            (path / "_rec.py").write_bytes(recorder)
