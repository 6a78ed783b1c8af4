"""``check N [FILE]``: grade one exercise, first failure first.

Four steps, each a list of checks:

1. **load** - the file imports and defines the exercise's functions, and
   they do not call the reference's answer (``change.apply()`` and
   ``change.undo()`` for alter_sys and restore, see :data:`SHORTCUTS`).
2. **scenarios** - every scenario of :mod:`.scenarios` runs twice, with the
   reference and with the student's code plugged in; the observations
   (result, exception, warnings, output, ``sys`` afterwards) must agree.
3. **trace** - the deterministic traces of those runs must agree: the
   stage tells the same story as the reference, event by event.  For the
   final exercise, whose module has CPython's shape rather than the
   pipeline's, each stage's own events must agree, in order, and the
   pipeline's bookkeeping (run started/finished, a stage failed) is left
   out; a module that emits nothing (a copy of CPython's runpy.py) fails
   here, since the exercise is to write the six stages.
4. **conformance** - the suite's cases for the exercise's behaviours run
   against a shim in a fresh interpreter (see :mod:`.suite`).

A function still raising the starter's ``NotImplementedError`` is listed
with the line to edit, and the scenarios that need it are skipped; an
untouched starter gets that one message.  The suite runs only once steps 1
to 3 pass: its cases would fail for the same reasons, more slowly.
"""

from __future__ import annotations

import contextlib
import dis
import importlib.util
import re
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from types import ModuleType
from typing import Any

import runpy_ref

from ..sinks import render_text
from ..stages import use_stages
from ..trace import Event, tracing
from . import suite
from .catalog import Exercise
from .feedback import EXPLANATIONS, Failure, Report, behaviours_for, first_difference, show
from .scenarios import SCENARIOS, Scenario, materialise, observe

__all__ = ["check", "load_student"]


SCENARIO_SECONDS = 20
"""A student's scenario still running after this long is stopped (an endless loop, usually)."""


UNREPORTED_FAILURE = (
    "the reference records this error where it is raised: raise failure(error, message, stage={stage!r}, "
    "ids={ids!r}) rather than raise error(message); an exception you let through unchanged is recorded "
    "with report_failure(exc, stage={stage!r}, ids=...) before the bare raise"
)
"""Said when the reference's trace has a ``stage_failed`` event where the student's has none."""


class ScenarioTimeout(BaseException):
    """Raised into the student's code when a scenario runs too long.

    A BaseException, so that it goes through ``except Exception`` in the
    student's code; it then shows up as the scenario's ending.
    """


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (POSIX main thread only; elsewhere no limit)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise ScenarioTimeout(f"the scenario was still running after {seconds:g} s: an endless loop?")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _NotStarted(Exception):
    def __init__(self, message: str, where: str) -> None:
        super().__init__(message)
        self.where = where


def load_student(path: Path, item: Exercise) -> tuple[ModuleType | None, Failure | None]:
    """Import the student's file under a private name; a Failure says why it could not be used."""
    if not path.exists():
        return None, Failure(
            "load", f"there is no file {path}",
            detail=[f"create your working copy with: python -m runpy_ref.exercises start {item.number}"],
        )
    name = f"_runpy_ref_exercise_{item.number}_student"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        sys.modules.pop(name, None)
        return None, Failure("load", f"{path.name} does not compile: {exc.msg} (line {exc.lineno})",
                             detail=[(exc.text or "").rstrip()])
    except (Exception, SystemExit) as exc:  # a stray sys.exit() at import is the student's bug too
        sys.modules.pop(name, None)
        where = _student_frames(exc, path)
        return None, Failure("load", f"importing {path.name} raised {type(exc).__name__}: {exc}",
                             detail=where)
    missing = [fn for fn in item.functions if not callable(getattr(module, fn, None))]
    if missing:
        sys.modules.pop(name, None)
        wanted = ", ".join(item.functions)
        return None, Failure("load", f"{path.name} defines no function {', '.join(missing)}",
                             detail=[f"exercise {item.number} asks for: {wanted} (keep the starter's names)"])
    for function in item.functions:
        shortcut = _shortcut(getattr(module, function), item)
        if shortcut is not None:
            sys.modules.pop(name, None)
            return None, Failure(
                "load", f"{function} calls change.{shortcut}(): that method is the reference's answer to "
                f"exercise {item.number}", detail=[
                    f"make (or undo) the change yourself, one branch per kind of change; {function}'s "
                    "docstring says what each kind needs",
                ])
    return module, None


SHORTCUTS: dict[str, tuple[str, ...]] = {"alter_sys": ("apply", "undo"), "restore": ("apply", "undo")}
"""Stage -> methods of the reference changes that do the exercise's work, so the student may not call them."""


def _shortcut(function: Any, item: Exercise) -> str | None:
    """The first forbidden method ``function`` calls (an attribute it reads), if any."""
    forbidden = SHORTCUTS.get(item.stage, ())
    code = getattr(function, "__code__", None)
    pending = [code] if code is not None else []
    while pending:
        code = pending.pop()
        pending.extend(const for const in code.co_consts if hasattr(const, "co_code"))
        for instruction in dis.get_instructions(code):
            if instruction.opname in ("LOAD_ATTR", "LOAD_METHOD") and instruction.argval in forbidden:
                return str(instruction.argval)
    return None


def _student_frames(exc: BaseException, path: Path) -> list[str]:
    """Where in the student's file an exception passed, innermost last."""
    resolved = str(path.resolve())
    lines = []
    for frame in traceback.extract_tb(exc.__traceback__):
        if str(Path(frame.filename).resolve()) == resolved:
            lines.append(f"at {path.name}:{frame.lineno} in {frame.name}: {(frame.line or '').strip()}")
    return lines[-3:]


def _unwritten(text: str, item: Exercise, path: Path) -> tuple[str, str] | None:
    """``(message, where)`` when ``text`` shows a starter's "not written yet" stub, else None.

    ``text`` is the exception's message, or a traceback the command line
    printed (it catches the exception itself, as the interpreter would).
    """
    match = re.search(rf"exercise {item.number}: [\w.]+ is not written yet", text)
    if match is None:
        return None
    message = match.group(0)
    stub = f'raise NotImplementedError("{message}")'
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    where = next((f"at {path.name}:{n}: {line.strip()}" for n, line in enumerate(lines, 1) if stub in line),
                 f"in {path.name}")
    return message, where


class _StageAPI:
    """The public API with the student's stages plugged in for each call."""

    def __init__(self, overrides: dict[str, Any]) -> None:
        self.overrides = overrides

    def __getattr__(self, name: str) -> Any:
        if name == "cli_main":
            from ..cli import main as target
        else:
            target = getattr(runpy_ref, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            with use_stages(**self.overrides):
                return target(*args, **kwargs)

        return call


def _order(item: Exercise) -> list[Scenario]:
    """The exercise's own scenarios first (those citing its behaviours), then the rest."""
    mine = set(item.behaviours)
    chosen = [s for s in SCENARIOS if not (s.stage_only and item.whole_module)]
    return sorted(chosen, key=lambda s: not (mine & set(s.behaviours)))


def _where(obs: dict[str, Any], path: Path) -> list[str]:
    """The student's lines an exception passed through (innermost last)."""
    resolved = str(path.resolve())
    return [f"raised at {path.name}:{line} in {name}: {text}" for filename, line, name, text
            in obs.get("~frames", []) if str(Path(filename).resolve()) == resolved][-2:]


_PRINTED = re.compile(r"'(\w+)': (\[[^\]]*\]|'[^']*'|[^,}]+)")


def _printed_difference(want: Any, have: Any) -> str:
    """``globals.seen.KEY`` for the first entry of a printed ``seen`` dict that differs, else ``""``."""
    if not (isinstance(want, str) and isinstance(have, str)):
        return ""
    mine = dict(_PRINTED.findall(have))
    for key, value in _PRINTED.findall(want):
        if mine.get(key) != value:
            return f"globals.seen.{key}"
    return ""


def _reraised_by_name(ref_obs: dict[str, Any], obs: dict[str, Any], path: Path) -> str:
    """``"05_exec.py:31"`` when the student's code re-raised by name and the reference did not."""
    resolved = str(path.resolve())
    if ref_obs.get("~reraised"):
        return ""
    mine = [f"{path.name}:{line}" for filename, line, _ in obs.get("~reraised", [])
            if str(Path(filename).resolve()) == resolved]
    return mine[0] if mine else ""


def _describe(obs: dict[str, Any]) -> str:
    if obs.get("outcome") == "raised":
        return f"raised {obs.get('error')}"
    if obs.get("outcome") == "exit":
        return f"SystemExit({show(obs.get('exit_code'))})"
    return "returned normally"


def _event_key(event: Event) -> dict[str, Any]:
    data = event.as_dict()
    for key in ("seq", "time_ms"):
        data.pop(key, None)
    return data


STAGES = ("find_spec", "pick_main", "build_globals", "alter_sys", "exec", "restore")
_BOOKKEEPING = ("run_started", "run_finished", "stage_failed")
"""Events the pipeline writes about itself; a module of CPython's shape has no pipeline to write them."""


def _story_events(events: list[Event], item: Exercise) -> list[Event]:
    """The events an exercise is graded on, in the order they are compared."""
    if not item.whole_module:
        return list(events)
    told = [e for e in events if e.as_dict().get("stage") in STAGES
            and e.as_dict().get("event") not in _BOOKKEEPING]
    return sorted(told, key=lambda e: STAGES.index(e.as_dict()["stage"]))  # stable: order within a stage kept


def _story_key(event: Event, item: Exercise) -> dict[str, Any]:
    key = _event_key(event)
    if item.whole_module:  # which catalogue IDs to cite is the pipeline's business, not the module's
        for name in ("behaviours", "run", "parent", "depth"):
            key.pop(name, None)
    return key


def _story(events: list[Event], item: Exercise) -> list[dict[str, Any]]:
    return [_story_key(e, item) for e in _story_events(events, item)]


def _compare_traces(scenario: Scenario, ref: list[Event], got: list[Event], item: Exercise
                    ) -> Failure | None:
    if item.whole_module:
        return _compare_stories(scenario, ref, got, item)
    for index in range(max(len(ref), len(got))):
        want = ref[index] if index < len(ref) else None
        have = got[index] if index < len(got) else None
        if want is not None and have is not None and _event_key(want) == _event_key(have):
            continue
        diff = first_difference(_event_key(want), _event_key(have)) if want and have else None
        detail = [f"first difference: {diff[0]}: expected {show(diff[1])}, actual {show(diff[2])}"
                  ] if diff else []
        if want is not None and want.event == "stage_failed" and (
                have is None or have.event != "stage_failed" or have.behaviours != want.behaviours):
            detail.append(UNREPORTED_FAILURE.format(stage=want.stage, ids=tuple(want.behaviours)))
        return Failure(
            "trace", f"{scenario.title}: event {index + 1} of the trace differs",
            behaviours=tuple((want or have).behaviours) or scenario.behaviours,  # type: ignore[union-attr]
            expected=render_text(want).strip() if want else "(no more events)",
            actual=render_text(have).strip() if have else "(no more events)",
            detail=detail + ([scenario.lesson] if scenario.lesson else []),
            scenario=scenario.id,
        )
    return None


def _compare_stories(scenario: Scenario, ref: list[Event], got: list[Event], item: Exercise
                     ) -> Failure | None:
    """Stage by stage, the events of the student's module against the reference's."""
    want_all, have_all = _story_events(ref, item), _story_events(got, item)
    if want_all and not have_all:
        return Failure(
            "trace", f"{scenario.title}: your runpy tells no story",
            expected=f"{len(want_all)} events from the six stages, first: {render_text(want_all[0]).strip()}",
            actual="no event at all", scenario=scenario.id,
            detail=["exercise 7 is to write the six stages, each telling what it decided with emit(...), "
                    "as in exercises 1-6; code that only does the work (a copy of CPython's runpy.py) "
                    "is not an answer. The starter's docstrings say which record each function emits."],
        )
    for stage in STAGES:
        want = [e for e in want_all if e.as_dict()["stage"] == stage]
        have = [e for e in have_all if e.as_dict()["stage"] == stage]
        for index in range(max(len(want), len(have))):
            w = want[index] if index < len(want) else None
            h = have[index] if index < len(have) else None
            if w is not None and h is not None and _story_key(w, item) == _story_key(h, item):
                continue
            diff = first_difference(_story_key(w, item), _story_key(h, item)) if w and h else None
            return Failure(
                "trace", f"{scenario.title}: {stage} event {index + 1} differs",
                behaviours=tuple((w or h).behaviours) or scenario.behaviours,  # type: ignore[union-attr]
                expected=render_text(w).strip() if w else f"(no more {stage} events)",
                actual=render_text(h).strip() if h else f"(no more {stage} events)",
                detail=([f"first difference: {diff[0]}: expected {show(diff[1])}, actual {show(diff[2])}"]
                        if diff else []) + ([scenario.lesson] if scenario.lesson else []),
                scenario=scenario.id,
            )
    return None


def _run_scenarios(item: Exercise, student: ModuleType, path: Path, root: Path, report: Report) -> None:
    traced = True
    reference: Any = _StageAPI({})
    if item.whole_module:
        api: Any = student
    else:
        api = _StageAPI({key: getattr(student, name) for name, key in item.functions.items()})

    def factory() -> Any:
        return tracing(deterministic=True, root=str(root))

    trace_failures: list[Failure] = []
    not_started: dict[str, tuple[str, list[str]]] = {}
    for scenario in _order(item):
        ref_obs, ref_events = observe(scenario, reference, root, factory if traced else None)
        try:
            with _time_limit(SCENARIO_SECONDS):
                obs, events = observe(scenario, api, root, factory if traced else None)
        except NotImplementedError as exc:
            obs, events = {"outcome": "raised", "error": f"NotImplementedError: {exc}"}, None
        except RecursionError:  # pragma: no cover - defensive: observing must never crash the grader
            obs, events = {"outcome": "raised", "error": "RecursionError escaped the sandbox"}, None
        unwritten = _unwritten(obs.get("~stderr", "") + str(obs.get("error", "")), item, path)
        if unwritten is not None:
            not_started.setdefault(unwritten[0], (unwritten[1], []))[1].append(scenario.id)
            continue
        diff = first_difference(ref_obs, obs)
        if diff is not None:
            where, want, have = diff
            if where == "outcome" or ref_obs.get("outcome") != obs.get("outcome") or where == "error":
                expected, actual, detail = _describe(ref_obs), _describe(obs), []
            else:
                expected, actual = show(want), show(have)
                detail = [f"(both {_describe(obs)}; the difference is in {where})"]
                if where == "stdout":  # the fixtures print what they saw of sys: name the part that differs
                    where = _printed_difference(want, have) or where
                if where in EXPLANATIONS:
                    detail.append(EXPLANATIONS[where])
            if scenario.lesson:
                detail.append(scenario.lesson)
            report.failures.append(Failure(
                "scenario", scenario.title, behaviours_for(where, scenario.behaviours, item.behaviours),
                expected=expected, actual=actual, detail=detail + _where(obs, path), scenario=scenario.id,
            ))
            continue
        reraised = _reraised_by_name(ref_obs, obs, path)
        if reraised:
            report.failures.append(Failure(
                "scenario", f"{scenario.title}: the exception was re-raised by name",
                ("ERR-12", "G-16"), expected="the same exception, re-raised with a bare `raise`",
                actual=f"`raise exc` at {reraised}", scenario=scenario.id,
                detail=["`raise exc` adds your line to the exception's traceback a second time; a bare "
                        "`raise` lets it go on unchanged, as if runpy were not there (lesson 6)"],
            ))
            continue
        report.passed.append(f"scenario {scenario.id}")
        if traced and ref_events is not None:
            failure = _compare_traces(scenario, ref_events, events or [], item)
            if failure:
                trace_failures.append(failure)
            else:
                report.passed.append(f"trace {scenario.id}")
    report.failures.extend(trace_failures)
    if not_started and not report.failures and not any(p.startswith("scenario ") for p in report.passed):
        message, (where, _) = next(iter(not_started.items()))
        raise _NotStarted(message, where)  # an untouched starter: one message, not one per scenario
    for message, (where, scenarios) in not_started.items():
        report.failures.append(Failure(
            "not-started", f"{message} - the starter's NotImplementedError is still there "
            f"({len(scenarios)} scenario(s) need it, e.g. {scenarios[0]})",
            detail=[where, "replace the TODO block there with your code (the docstring says what to do)"],
        ))


def _run_suite(item: Exercise, path: Path, report: Report) -> None:
    if not suite.available():
        report.failures.append(Failure(
            "harness", "the conformance suite is not in this checkout",
            detail=["run from a git checkout of runpy_ref, or use --no-conformance"]))
        return
    wanted = set(item.behaviours)
    with tempfile.TemporaryDirectory(prefix="runpy-ref-check-") as tmp:
        directory = Path(tmp)
        suite.write_shim(directory, suite.STUDENT, item, path)
        suite.write_shim(directory, suite.REFERENCE, item, None)
        try:
            selected = [c["id"] for c in suite.cases() if wanted & set(c.get("behaviours", []))]
            mine = suite.run([suite.STUDENT], directory, selected)
            bad = [r["case"] for r in mine if r.get("status") in suite.BAD]
            reference = {r["case"]: r for r in suite.run([suite.REFERENCE], directory, bad)} if bad else {}
        except suite.SuiteError as exc:
            report.failures.append(Failure("harness", str(exc)))
            return
    if not selected:
        report.notes.append("the conformance suite has no case for this exercise's behaviours yet")
    for record in mine:
        case, status = record["case"], record.get("status")
        if status not in suite.BAD:
            if status == "PASS":
                report.passed.append(f"conformance {case}")
            continue
        ref = reference.get(case, {})
        if ref.get("status") != "PASS":
            report.notes.append(
                f"conformance case {case} not counted: the reference gives {ref.get('status')} there too")
            continue
        report.failures.append(_suite_failure(record))


def _suite_failure(record: dict[str, Any]) -> Failure:
    mismatches = record.get("mismatches") or []
    detail = [f"{m['path']}: expected {show(m['expected'])}, actual {show(m['observed'])}"
              for m in mismatches[:3]]
    if record.get("reason"):
        detail.insert(0, f"harness says: {record['reason']}")
    observed = record.get("observed")
    if record.get("status") == "CRASH" and isinstance(observed, dict):
        exc = observed.get("exception") or {}
        if exc:
            detail.insert(1, f"{exc.get('type')}: {exc.get('message')}")
        elif observed.get("stderr"):
            detail.insert(1, "stderr: " + " | ".join(str(observed["stderr"]).strip().splitlines()[-3:]))
    first = mismatches[0] if mismatches else {}
    return Failure(
        "conformance", f"case {record['case']} ({record.get('status')}): {record.get('title', '')}",
        behaviours=tuple(record.get("behaviours", [])),
        expected=show(first.get("expected")) if first else "",
        actual=show(first.get("observed")) if first else "",
        detail=[*detail, f"the case is in conformance/cases/{record.get('group')}/ (id {record['case']}); "
                         "conformance/INTERPRETING.md explains its fields"],
    )


def check(item: Exercise, path: Path, *, conformance: bool = True) -> Report:
    """Grade ``path`` as a solution of ``item``; never raises for problems of the student's code."""
    report = Report(item.number, item.title, str(path), behaviours=item.behaviours, graded=conformance,
                    hint=f"stuck? python -m runpy_ref.exercises hint {item.number} "
                         "(it picks the hint for your first failure)")
    student, failure = load_student(path, item)
    if failure is not None:
        report.failures.append(failure)
        return report
    assert student is not None
    report.passed.append("load")
    try:
        with ExitStack() as stack:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="runpy-ref-fixture-")))
            root = root.resolve()
            materialise(root)
            _run_scenarios(item, student, path, root, report)
    except _NotStarted as exc:
        report.failures.insert(0, Failure(
            "not-started", f"{exc} - the starter's NotImplementedError is still there",
            detail=[exc.where, "replace the TODO block there with your code (the docstring says what to do)"],
        ))
        return report
    finally:
        sys.modules.pop(student.__name__, None)
    if conformance and report.failures:
        report.notes.append("the conformance cases run once the checks above pass")
    elif conformance:
        _run_suite(item, path, report)
    return report


def replay(item: Exercise, path: Path, scenario_id: str) -> tuple[str, int]:
    """Run one scenario alone, reference and student; ``(text to print, exit status)``.

    For the failure the report names: what each side's run ended with, the
    first difference, the student's own output and traceback, and both
    traces in full, one after the other, so that the first differing event
    can be read in its context.
    """
    chosen = next((s for s in _order(item) if s.id == scenario_id), None)
    if chosen is None:
        known = ", ".join(s.id for s in _order(item))
        return f"exercise {item.number} has no scenario {scenario_id!r}; its scenarios: {known}\n", 2
    student, failure = load_student(path, item)
    if failure is not None:
        return failure.render() + "\n", 1
    assert student is not None
    lines = [f"exercise {item.number}, scenario {chosen.id}: {chosen.title}",
             f"behaviours: {', '.join(chosen.behaviours)}"]
    reference: Any = _StageAPI({})
    api: Any = student if item.whole_module else _StageAPI(
        {key: getattr(student, name) for name, key in item.functions.items()})
    status = 0
    try:
        with tempfile.TemporaryDirectory(prefix="runpy-ref-fixture-") as tmp:
            root = Path(tmp).resolve()
            materialise(root)

            def factory() -> Any:
                return tracing(deterministic=True, root=str(root))

            ref_obs, ref_events = observe(chosen, reference, root, factory)
            try:
                with _time_limit(SCENARIO_SECONDS):
                    obs, events = observe(chosen, api, root, factory)
            except NotImplementedError as exc:
                obs, events = {"outcome": "raised", "error": f"NotImplementedError: {exc}"}, None
    finally:
        sys.modules.pop(student.__name__, None)
    diff = first_difference(ref_obs, obs)
    lines += ["", f"reference: {_describe(ref_obs)}", f"yours:     {_describe(obs)}"]
    if diff is not None:
        status = 1
        lines.append(f"first difference: {diff[0]}: expected {show(diff[1])}, actual {show(diff[2])}")
    if obs.get("stdout"):
        lines += ["", "what the program printed (your run):", *("  " + s for s in obs["stdout"].splitlines())]
    if obs.get("~stderr"):
        lines += ["", "standard error (your run):", *("  " + s for s in obs["~stderr"].splitlines())]
    lines += [f"  {where}" for where in _where(obs, path)]
    for label, trace in (("reference", ref_events), ("yours", events)):
        lines += ["", f"trace, {label}:"]
        lines += [render_text(event).rstrip() for event in trace or []] or ["  (no events)"]
    if ref_events is not None and _story(ref_events, item) != _story(events or [], item):
        status = 1
    lines.append("")
    lines.append("the scenario agrees with the reference" if status == 0 else "the scenario differs")
    return "\n".join(lines) + "\n", status
