"""Tools as data: adapter files, template placeholders, stdin, stop rules, per-tool deviations."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

import pytest

from conformance.harness import tools
from conformance.harness.impls import Implementation
from conformance.harness.runner import Deviation, load_deviations, run_cell

from .helpers import host, make_case

SNAP = ["import _rec", "_rec.snap(globals())"]
CLI_MOD = {"id": "t-tool-m", "fixture": {"m.py": SNAP},
           "call": {"cli": "module", "module": "m", "argv": ["a", "-b"]},
           "expect": [{"returncode": 0, "records": {"main": {"argv": ["{fixture}/m.py", "a", "-b"]}}}]}


def test_every_shipped_adapter_loads_and_is_named_after_its_file():
    adapters = tools.load_adapters()
    assert len(adapters) >= 15
    for name, adapter in adapters.items():
        assert adapter.source.stem == name
        assert adapter.kind == "module" or (adapter.module and adapter.path), name


def test_bad_adapters_are_refused(tmp_path):
    bad = tmp_path / "bad.json"
    for data, message in (({"schema": "x", "name": "a", "title": "t"}, "schema"),
                          ({"schema": tools.ADAPTER_SCHEMA, "name": "a", "title": "t"}, "needs 'module'"),
                          ({"schema": tools.ADAPTER_SCHEMA, "name": "a", "title": "t", "module": "x",
                            "colour": 1}, "unknown keys"),
                          ({"schema": tools.ADAPTER_SCHEMA, "name": "a", "title": "t", "module": "x",
                            "requires": ">>3"}, "bad version clause")):
        bad.write_text(json.dumps(data))
        with pytest.raises(tools.AdapterError, match=message):
            tools.load_adapter(bad)
    with pytest.raises(tools.AdapterError, match="unknown tool"):
        tools.resolve_names(["no-such-tool"], tools.load_adapters())


def test_stdlib_tool_column_and_its_command():
    impl = tools.implementation(tools.load_adapters()["cProfile"], host())
    assert impl.label == f"cpython-{host().version_text}/cProfile" and impl.kind == "template"
    call = {"cli": "module", "module": "pkg", "argv": ["a"], "options": ["-P"]}
    assert impl.cli_command(call, "/f", "/s") == [
        host().exe, "-P", "-m", "cProfile", "-o", "/s/profile.out", "-m", "pkg", "a"]


def test_template_without_options_placeholder_and_forms_a_tool_lacks_are_skipped(tmp_path):
    interp = host()
    bare = Implementation(interp, module_template="{python} -m {module} {args}", tool="bare")
    call = {"cli": "module", "module": "m", "options": ["-P"]}
    assert bare.cli_command(call, "/f") is None
    old = Implementation(interp, module_template="{python} -m {module} {args}", tool="old",
                         module_requires=">=9.0")
    assert "old has no module form" in old.form_unavailable("module")
    result = run_cell(make_case(CLI_MOD), old, tmp_path / "a", [])
    assert result.status == "SKIP" and "needs" in result.reason


def test_requires_applies_to_templates(tmp_path):
    impl = Implementation(host(), module_template="{python} -m {module} {args}", requires={"impl": "pypy-x"})
    assert run_cell(make_case(CLI_MOD), impl, tmp_path / "a", []).status == "N/A"


def _fake_debugger(tmp_path: Path) -> Path:
    """A 'debugger' that reads a command, runs the module, then announces a restart for ever."""
    script = tmp_path / "fakedbg.py"
    script.write_text(
        "import runpy, sys\n"
        "sys.argv[:] = sys.argv[2:]\n"
        "sys.path[0] = ''\n"
        "while True:\n"
        "    print('(Dbg) got', repr(sys.stdin.readline()), flush=True)\n"
        "    runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)\n"
        "    print('The program finished and will be restarted', flush=True)\n"
    )
    return script


def test_a_restarting_debugger_is_stopped_by_its_adapter_rule(tmp_path):
    script = _fake_debugger(tmp_path)
    impl = Implementation(host(), module_template=f"{{python}} {script} -m {{module}} {{args}}",
                          tool="fakedbg", stdin="continue\n",
                          stop={"regex": "The program finished and will be restarted", "returncode": 0})
    case = make_case(dict(CLI_MOD, expect=[{"returncode": 0, "stdout": {"$contains": "'continue\\n'"}}]))
    start = time.monotonic()
    result = run_cell(case, impl, tmp_path / "a", [], timeout=20)
    assert result.status == "PASS", result.mismatches
    assert time.monotonic() - start < 10
    assert result.observed["stopped_by_adapter"]["returncode"] == 0


def test_per_tool_deviations_and_unexpected_passes(tmp_path):
    devs = tmp_path / "devs.json"
    devs.write_text(json.dumps({"deviations": [{"case": "t-tool-*", "reason": "known argv bug"}]}))
    mine = load_deviations(devs, tool="mytool")
    assert mine == [Deviation("t-tool-*", None, "known argv bug", "mytool")]
    failing = dict(CLI_MOD, id="t-tool-fail", expect=[{"returncode": 7}])
    tool = Implementation(host(), module_template="{python} -m {module} {args}", tool="mytool")
    other = Implementation(host(), module_template="{python} -m {module} {args}", tool="other")
    assert run_cell(make_case(failing), tool, tmp_path / "a", mine).status == "XFAIL"
    assert run_cell(make_case(failing), other, tmp_path / "b", mine).status == "FAIL"
    assert run_cell(make_case(CLI_MOD), tool, tmp_path / "c", mine).status == "XPASS"


def test_an_existing_venv_is_reused_and_a_missing_one_is_not_created_unless_allowed(tmp_path):
    adapter = tools.Adapter(name="fake", title="fake", source=tmp_path / "fake.json", install=["pip"],
                            module="{python} -m {module} {args}", path="{python} {path} {args}")
    with pytest.raises(RuntimeError, match="not installed"):
        tools.install(adapter, host(), root=tmp_path, allow=False)
    venv = tools.venv_dir(adapter, host(), tmp_path)
    (venv / "bin").mkdir(parents=True)
    os.symlink(sys.executable, venv / "bin" / "python")
    (venv / "runpy-conformance.json").write_text(json.dumps({"install": ["pip"]}))
    installed = tools.install(adapter, host(), root=tmp_path, allow=False)
    assert installed.interp.exe == str(venv / "bin" / "python") and installed.version  # pip's version


def test_tool_flag_builds_columns_and_reports_what_is_left_out(tmp_path):
    from conformance.harness import cli

    args = cli.parser().parse_args(["run", "--tool", "trace", "--tool", "pdb", "--with-reference",
                                    "--python", sys.executable, "--no-install", "--venvs", str(tmp_path)])
    impls = cli.build_implementations(args)
    assert [i.tool for i in impls] == [None, "trace", "pdb"]
    args = cli.parser().parse_args(["run", "--tool", "coverage", "--python", sys.executable, "--no-install",
                                    "--venvs", str(tmp_path)])
    assert cli.build_implementations(args) == []
    assert args.unavailable[0]["tool"] == "coverage" and "not installed" in args.unavailable[0]["reason"]


def test_matrix_command_and_publish_write_results_docs_page_and_readme_table(tmp_path):
    from conformance.harness import cli

    results = tmp_path / "matrix.json"
    status = cli.main(["matrix", "--python", sys.executable, "--tool", "cProfile",
                       "--case", "cli-module-basic", "--results", str(results), "--no-install"])
    assert status == 0
    data = json.loads(results.read_text())
    labels = [i["label"] for i in data["implementations"]]
    assert labels == [f"cpython-{host().version_text}/runpy", f"cpython-{host().version_text}/cProfile"]
    assert data["generated"] and data["timings"]["processes"]["launches"] == 2
    readme = tmp_path / "README.md"
    readme.write_text("before\n<!-- tools-matrix: start -->\nold\n<!-- tools-matrix: end -->\nafter\n")
    page = tmp_path / "page.md"
    assert cli.main(["publish", "--results", str(results), "--docs", str(page), "--readme", str(readme)]) == 0
    text = page.read_text()
    # cProfile gets CLI-08 (argv[0]) and CLI-03 (__main__) wrong, CLI-10 (sys.path[0]) right
    row = next(line for line in text.splitlines() if line.startswith("| {behaviour}`CLI-08`"))
    assert row.endswith("| ✓ | {ref}`F <tm-cprofile-cli-module-basic>` |")
    assert next(line for line in text.splitlines() if "`CLI-10`" in line).endswith("| ✓ | ✓ |")
    assert "(tm-cprofile-cli-module-basic)=" in text and "`/records/main/argv[0]` (semantic; CLI-08)" in text
    table = readme.read_text()
    assert table.startswith("before\n<!-- tools-matrix: start") and table.endswith("end -->\nafter\n")
    assert "| cProfile | 2 / 2 |" in table and "old" not in table


def test_a_stop_rule_without_a_status_records_none(tmp_path):
    script = tmp_path / "loops.py"
    script.write_text("import sys\nwhile True:\n    print('Post mortem debugger finished', flush=True)\n")
    rules = [{"regex": "will be restarted", "returncode": 0},
             {"regex": "Post mortem debugger finished", "returncode": None}]
    impl = Implementation(host(), module_template=f"{{python}} {script} {{module}}", tool="loops", stop=rules)
    case = make_case(dict(CLI_MOD, expect=[{"returncode": 1}]))
    result = run_cell(case, impl, tmp_path / "a", [], timeout=20)
    assert result.status == "FAIL" and result.observed["returncode"] is None
    assert result.observed["stopped_by_adapter"] == rules[1]
    assert result.attributed["mismatches"][0]["kind"] == "semantic"


def test_a_stop_rule_can_take_the_status_from_the_message(tmp_path):
    script = tmp_path / "exits.py"
    script.write_text("while True:\n"
                      "    print('The program exited via sys.exit(). Exit status: 3', flush=True)\n")
    rules = tools.load_adapters()["pdb"].stop
    impl = Implementation(host(), module_template=f"{{python}} {script} {{module}}", tool="exits", stop=rules)
    result = run_cell(make_case(dict(CLI_MOD, expect=[{"returncode": 3}])), impl, tmp_path / "a", [])
    assert result.status == "PASS" and result.observed["stopped_by_adapter"]["returncode"] == "$1"



def test_the_exit_status_message_wins_over_the_restart_message_in_the_same_read(tmp_path):
    """pdb 3.13 prints the sys.exit() status and the restart message together: the status must win."""
    script = tmp_path / "exits.py"
    script.write_text("import sys\n"
                      "sys.stdout.write('The program exited via sys.exit(). Exit status: 3\\n'\n"
                      "                 'The program finished and will be restarted\\n')\n"
                      "sys.stdout.flush()\n"
                      "while True:\n"
                      "    pass\n")
    for name in ("pdb", "ipdb"):
        rules = tools.load_adapters()[name].stop
        impl = Implementation(host(), module_template=f"{{python}} {script} {{module}}", tool=name, stop=rules)
        result = run_cell(make_case(dict(CLI_MOD, expect=[{"returncode": 3}])), impl, tmp_path / name, [])
        assert result.status == "PASS", (name, result.observed.get("returncode"))

def test_published_table_and_page_match_the_committed_results():
    """README's table is what `python -m conformance publish` makes of the committed results file."""
    from conformance.harness import publish

    results_file = Path(__file__).resolve().parents[1] / "tools" / "results" / "matrix.json"
    results = json.loads(results_file.read_text(encoding="utf-8"))
    readme = publish.README.read_text(encoding="utf-8")
    table = publish.render_readme_table(results, "docs/reference/tools_matrix.md")
    assert table in readme, "README's tools table is stale: run `python -m conformance publish`"
    page = publish.DOCS_PAGE.read_text(encoding="utf-8")
    targets = set(re.findall(r"^\((tm-[a-z0-9-]+)\)=$", page, re.M))
    links = set(re.findall(r"<(tm-[a-z0-9-]+)>`", page))
    assert links and links <= targets  # every failing cell links to its mismatches
    tools_run = {i.get("tool") for i in results["implementations"]} - {None}
    assert len(tools_run) >= 12 and sum(v.startswith("CPython") for v in
                                        {publish._interpreter(i) for i in results["implementations"]}) >= 3
