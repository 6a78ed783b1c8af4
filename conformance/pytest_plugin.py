"""pytest plugin: the suite's CLI cases inside a tool's own test run, one pytest item per case.

For authors of tools that run programs the way ``python -m`` does::

    pytest -p conformance.pytest_plugin \\
        --runpy-conformance='{python} -m coverage run -m {module} {args}' \\
        --runpy-conformance-path='{python} -m coverage run {path} {args}'

The templates are those of ``python -m conformance run --cli-template`` (and
of the adapter files: ``{python}``, ``{options}``, ``{module}``, ``{path}``,
``{args}``, ``{scratch}``, ``{bin}``).  ``--runpy-conformance=NAME`` takes a
shipped adapter instead (``coverage``, ``pdb``, ...; installed into its venv
if need be).  Each CLI case becomes an item ``runpy-conformance::<case id>``:
it passes, fails with the mismatches (path, semantic or wording, the
behaviours it counts against, expected and observed), is skipped where the
case does not apply or the template cannot express it, and is an expected
failure where ``--runpy-conformance-deviations FILE`` lists it (a listed case
that passes fails, as in the suite).  ``-k`` selects cases as usual.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from conformance.harness import tools
from conformance.harness.cases import Case, load_cases
from conformance.harness.impls import Implementation, query
from conformance.harness.results import BAD_STATUSES, CellResult
from conformance.harness.runner import load_deviations, run_cell


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("runpy-conformance", "runpy conformance suite (CLI cases) against a tool")
    group.addoption("--runpy-conformance", metavar="TEMPLATE|TOOL", default=None,
                    help="command standing for 'python -m MOD args', e.g. "
                         "'{python} -m coverage run -m {module} {args}', or a shipped adapter's name")
    group.addoption("--runpy-conformance-path", metavar="TEMPLATE", default=None,
                    help="command standing for 'python FILE args' (default: none, those cases are skipped)")
    group.addoption("--runpy-conformance-python", metavar="EXE", default=None,
                    help="interpreter for {python} (default: the one running pytest)")
    group.addoption("--runpy-conformance-deviations", metavar="FILE", default=None,
                    help="known deviations of the tool (format of expectations/known_deviations.json)")
    group.addoption("--runpy-conformance-timeout", type=float, default=30.0, metavar="SECONDS")


class ConformanceFailure(Exception):
    """A case that did not pass; carries the cell result for the report."""

    def __init__(self, result: CellResult) -> None:
        super().__init__(result.status)
        self.result = result


def _implementation(config: pytest.Config) -> Implementation:
    spec = config.getoption("--runpy-conformance")
    exe = config.getoption("--runpy-conformance-python") or sys.executable
    interp = query(exe)
    if interp is None:
        raise pytest.UsageError(f"--runpy-conformance-python: cannot run {exe!r}")
    adapters = tools.load_adapters()
    if spec in adapters:
        try:
            return tools.implementation(adapters[spec], interp)
        except RuntimeError as exc:
            raise pytest.UsageError(f"--runpy-conformance={spec}: {exc}") from None
    return Implementation(interp, module_template=spec,
                          path_template=config.getoption("--runpy-conformance-path"), tool="template")


class ConformanceItem(pytest.Item):
    """One CLI case run against the tool."""

    def __init__(self, *, case: Case, impl: Implementation, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case, self.impl = case, impl
        self.add_marker(pytest.mark.runpy_conformance)

    def runtest(self) -> None:
        config = self.config
        deviations = load_deviations()
        extra = config.getoption("--runpy-conformance-deviations")
        if extra:
            deviations += load_deviations(Path(extra), self.impl.tool)
        workdir = Path(tempfile.mkdtemp(prefix="runpy-conformance-"))
        try:
            result = run_cell(self.case, self.impl, workdir / "cell", deviations,
                              timeout=config.getoption("--runpy-conformance-timeout"))
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        if result.status in BAD_STATUSES:
            raise ConformanceFailure(result)
        if result.status in ("N/A", "SKIP"):
            pytest.skip(f"{result.status}: {result.reason}")
        if result.status == "XFAIL":
            pytest.xfail(result.reason)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if not isinstance(excinfo.value, ConformanceFailure):
            return str(super().repr_failure(excinfo))
        r = excinfo.value.result
        lines = [f"{r.status} {self.case.id}: {self.case.title}", f"  command: {' '.join(r.command or [])}"]
        if r.reason:
            lines.append(f"  {r.reason}")
        mismatches = r.attributed["mismatches"] if r.attributed else r.mismatches
        for m in mismatches:
            about = f" [{m['kind']}; {', '.join(m['behaviours'])}]" if "kind" in m else ""
            lines.append(f"  {m['path']}{about}")
            lines.append(f"      expected: {json.dumps(m['expected'])[:300]}")
            lines.append(f"      observed: {json.dumps(m['observed'])[:300]}")
        statuses = ", ".join(f"{b} {s}" for b, s in r.behaviour_status().items())
        lines.append(f"  behaviours: {statuses}")
        return "\n".join(lines)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.case.source, None, f"runpy-conformance: {self.case.id}"


class ConformanceCollector(pytest.Collector):
    """The suite's CLI cases, as items."""

    def __init__(self, *, impl: Implementation, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.impl = impl

    def collect(self) -> list[pytest.Item]:
        return [ConformanceItem.from_parent(self, name=case.id, case=case, impl=self.impl)
                for case in load_cases() if case.is_cli]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "runpy_conformance: a CLI case of the runpy conformance suite")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config,
                                  items: list[pytest.Item]) -> None:
    """Add the cases before -k/-m deselect, so that they select cases too."""
    if not config.getoption("--runpy-conformance"):
        return
    collector = ConformanceCollector.from_parent(session, name="runpy-conformance",
                                                 nodeid="runpy-conformance", impl=_implementation(config))
    items.extend(collector.collect())
