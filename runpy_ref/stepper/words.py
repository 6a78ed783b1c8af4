"""Each event in words: what happened, and why."""

from __future__ import annotations

from .._lean import TYPE_CHECKING
from .state import exec_outcome, short

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

__all__ = ["describe"]


def describe(event: Mapping[str, Any]) -> tuple[str, str]:
    """``(what happened, why)`` for one event record; any event name, known or not."""
    d = event.get("data") or {}
    name = event.get("event")
    if name == "run_started":
        extra = "".join(f", {k}={short(d[k])}" for k in ("run_name", "alter_sys") if d.get(k) is not None)
        return f"{d.get('api')}({short(d.get('target'))}{extra})", "a new run begins"
    if name == "run_finished":
        if d.get("outcome") == "returned":
            return f"{d.get('api')} returned", "end of this run"
        return f"{d.get('api')} ended: {d.get('outcome')} {d.get('exception') or ''}".strip(), "end of this run"
    if name == "stage_failed":
        return (f"{d.get('error_type')}: {d.get('message')}",
                f"{event.get('stage')} stops here; the error propagates")
    if name == "parent_imported":
        return (f"imported parent package {short(d.get('package'))}",
                "parents are imported first, so their own errors show as themselves")
    if name == "already_imported":
        return (f"{short(d.get('module'))} is already in sys.modules",
                "RuntimeWarning: the run gets a second, separate copy")
    if name == "spec_found":
        spec = d.get("spec") or {}
        kind = "package" if spec.get("is_package") else "module"
        return (f"found {kind} {short(d.get('name'))} at {spec.get('origin')} ({spec.get('loader')})",
                "the import system located it; nothing has run yet")
    if name == "package_redirect":
        return (f"{short(d.get('package'))} is a package, so {short(d.get('main'))} runs instead",
                "a package's __main__ submodule is its entry point: find_spec and pick_main again")
    if name == "path_classified":
        entry = d.get("kind") == "sys.path entry"
        return (f"{short(d.get('path'))} is a {d.get('kind')}",
                "an importer accepts it, so its __main__ will be imported" if entry
                else "no importer accepts it, so it is read as a file")
    if name == "code_loaded":
        return f"code for {short(d.get('name'))} from {d.get('source')}", "this code object is what will run"
    if name == "globals_built":
        specials = d.get("specials") or {}
        shown = ", ".join(f"{k}={short(specials[k], 40)}" for k in ("__name__", "__package__", "__spec__")
                          if k in specials)
        return f"globals: {shown}", "the special globals override init_globals"
    if name == "sys_changed":
        how = d.get("action")
        what = f"{d.get('target')}: {short(d.get('before'))} -> {short(d.get('after'))}"
        if how and how != "set":
            what += f" ({how})"
        return what, "kept for the life of the process" if d.get("lasting") else "undone in restore"
    if name == "sys_restored":
        how = d.get("action")
        what = f"{d.get('target')}: {short(d.get('before'))} -> {short(d.get('after'))}"
        if how and how != "set":
            what += f" ({how})"
        return what, "the caller gets back what it had, even after an exception"
    if name == "exec_started":
        return f"executing {short(d.get('name'))} in a {d.get('namespace')}", "the module's own code runs now"
    if name == "exec_finished":
        return f"{short(d.get('name'))}: {exec_outcome(d)}", (
            "the code returned normally" if d.get("outcome") == "returned" else "the exception propagates unchanged")
    fields = ", ".join(f"{k}={short(v, 60)}" for k, v in d.items())
    return f"{name}: {fields}" if fields else str(name), "(an event this page does not know: shown as recorded)"
