"""The state of a run after each event, worked out from the events alone.

What an event does not say stays unknown (``None``, an empty list): the
page shows it as "as the caller had it" rather than guessing.
"""

from __future__ import annotations

from .._lean import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

__all__ = ["STAGES", "exec_outcome", "short", "states", "sys_picture"]


def short(value: Any, limit: int = 120) -> str:
    text = value if isinstance(value, str) and value.startswith("<") else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


STAGES: tuple[tuple[str, str], ...] = (
    ("find_spec", "where is the module?"),
    ("pick_main", "which code runs?"),
    ("build_globals", "what does the code see?"),
    ("alter_sys", "point sys at the code"),
    ("exec", "run it"),
    ("restore", "give sys back"),
)
"""The six stages in the order the documentation numbers them, with the question each answers."""

def _module_key(target: str) -> str | None:
    """``"sys.modules['x']"`` -> ``"x"``."""
    if target.startswith("sys.modules[") and target.endswith("]"):
        inner = target[len("sys.modules["):-1]
        if len(inner) >= 2 and inner[0] == inner[-1] and inner[0] in "'\"":
            return inner[1:-1]
        return inner
    return None

def states(events: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The state of the run after each event, as plain data (one dict per event).

    Keys: ``argv`` (the whole list, or None when unknown), ``argv0`` (the
    first item when only that is known), ``path`` (the first entries of
    ``sys.path`` the trace has shown, first first), ``modules`` (entry ->
    what the trace last said is there; ``<absent>`` for none), ``globals``
    (the specials of the current run, once build_globals decided them),
    ``kept``/``overridden`` (init_globals keys), ``namespace``,
    ``outcome``, ``stage`` (the stage of the event), ``redirect`` (a package
    redirect happened in this run), ``runs`` (how many runs are open).
    """
    argv: list[Any] | None = None
    argv0: Any = None
    path: list[Any] = []
    modules: dict[str, Any] = {}
    per_run: dict[Any, dict[str, Any]] = {}
    open_runs: list[Any] = []
    out = []
    for event in events:
        data = event.get("data") or {}
        name = event.get("event")
        run = event.get("run")
        current = per_run.setdefault(run, {"globals": None, "kept": [], "overridden": [], "namespace": None,
                                           "outcome": None, "redirect": None, "error": None})
        if name == "run_started":
            open_runs.append(run)
            current.update(globals=None, kept=[], overridden=[], namespace=None, outcome=None, redirect=None,
                           error=None)
        elif name == "run_finished":
            if run in open_runs:
                open_runs.remove(run)
            current["outcome"] = _run_outcome(data)
        elif name in ("sys_changed", "sys_restored"):
            target = str(data.get("target", ""))
            after, before, action = data.get("after"), data.get("before"), data.get("action")
            if target == "sys.argv":
                argv = list(after) if isinstance(after, list) else None
                argv0 = None
            elif target == "sys.argv[0]":
                if argv:
                    argv[0] = after
                else:
                    argv0 = after
            elif target == "sys.path[0]":
                path = _path_after(path, name, action, before, after)
            else:
                key = _module_key(target)
                if key is not None:
                    modules[key] = after
        elif name == "globals_built":
            current["globals"] = dict(data.get("specials") or {})
            current["kept"] = list(data.get("kept") or [])
            current["overridden"] = list(data.get("overridden") or [])
        elif name == "package_redirect":
            current["redirect"] = (data.get("package"), data.get("main"))
        elif name == "exec_started":
            current["namespace"] = data.get("namespace")
        elif name == "exec_finished":
            current["outcome"] = exec_outcome(data)
        elif name == "stage_failed":
            current["error"] = f"{data.get('error_type', 'error')}: {data.get('message', '')}"
        out.append({
            "argv": list(argv) if argv is not None else None,
            "argv0": argv0,
            "path": list(path),
            "modules": dict(modules),
            "globals": dict(current["globals"]) if current["globals"] is not None else None,
            "kept": list(current["kept"]),
            "overridden": list(current["overridden"]),
            "namespace": current["namespace"],
            "outcome": current["outcome"],
            "error": current["error"],
            "redirect": current["redirect"],
            "stage": event.get("stage"),
            "event": name,
            "runs": len(open_runs),
        })
    return out

def _path_after(path: list[Any], name: str, action: Any, before: Any, after: Any) -> list[Any]:
    """The known first entries of ``sys.path`` after a change to ``sys.path[0]``.

    ``action`` says how (trace schema 2): ``inserted`` pushes the old first
    entry down, ``set`` overwrites it, ``removed`` takes the first equal
    entry out, ``already gone`` changes nothing.  An older trace without
    ``action`` is read as an overwrite, the most the event itself says.
    """
    path = list(path)
    if name == "sys_changed" and action == "inserted":
        if not path and before not in (None, "<absent>"):
            path = [before]
        return [after, *path]
    if name == "sys_restored" and action == "removed":
        if path and path[0] == before:
            path = path[1:]
        if after not in (None, "<absent>") and (not path or path[0] != after):
            path = [after, *path]
        return path
    if action == "already gone":
        return path if path else ([after] if after not in (None, "<absent>") else [])
    if after in (None, "<absent>"):
        return []
    return [after, *path[1:]]

def exec_outcome(data: Mapping[str, Any]) -> str:
    outcome = data.get("outcome")
    if outcome == "exit":
        return f"sys.exit({short(data.get('exit_code'))})"
    if outcome == "raised":
        return f"raised {data.get('exception')}"
    return "returned normally" if outcome == "returned" else str(outcome)

def _run_outcome(data: Mapping[str, Any]) -> str:
    outcome = data.get("outcome")
    if outcome == "returned":
        return "returned"
    return f"{outcome} {data.get('exception') or ''}".strip()

def sys_picture(events: Sequence[Mapping[str, Any]]) -> list[tuple[str, Any, Any, Any]]:
    """``(target, before the call, while the code runs, after the call)`` for each part of ``sys`` a run changes.

    Built from the events alone: *before* is what the first change of a
    target replaced, *while* what the last change before the code started
    left there (or *before*, if nothing had changed it yet), *after* what
    the last event about it left.  Changes the run made for good (``python
    -m``) show up as such: their *after* is not their *before*.
    """
    rows: dict[str, list[Any]] = {}
    running = False
    for event in events:
        name = event.get("event")
        if name == "exec_started":
            running = True
            for row in rows.values():
                row[2] = row[3]
            continue
        if name not in ("sys_changed", "sys_restored"):
            continue
        data = event.get("data") or {}
        target = str(data.get("target"))
        row = rows.setdefault(target, [target, data.get("before"), None, data.get("before")])
        row[3] = data.get("after")
        if not running:
            row[2] = row[3]
    for row in rows.values():
        if row[2] is None:
            row[2] = row[1]
    return [tuple(row) for row in rows.values()]  # type: ignore[misc]
