"""Shared helpers for the harness tests: interpreters and ad-hoc cases."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from conformance.harness import impls
from conformance.harness.cases import Case, validate

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def host() -> impls.Interpreter:
    info = impls.query(sys.executable)
    assert info is not None
    return info


def interpreters() -> list[impls.Interpreter]:
    """Every interpreter the validation runs on (CONFORMANCE_INTERPRETERS=host limits it)."""
    if os.environ.get("CONFORMANCE_INTERPRETERS") == "host":
        return [host()]
    found = impls.discover()
    me = host()
    if not any((i.impl, i.version) == (me.impl, me.version) for i in found):
        found.append(me)  # e.g. a venv interpreter whose base is not on PATH or in pyenv
    return found


def make_case(data: dict, group: str = "adhoc") -> Case:
    data = {"title": "ad-hoc", "cite": ["test"], "behaviours": ["G-01"], **data}
    source = Path(f"/adhoc/{group}/{data['id']}.json")
    validate(data, source)
    return Case(id=data["id"], title=data["title"], behaviours=data["behaviours"], group=group,
                source=source, data=json.loads(json.dumps(data)))
