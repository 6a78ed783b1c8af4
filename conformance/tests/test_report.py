"""Report rendering (text, JSON, HTML) and replay folders."""

from __future__ import annotations

import json
import subprocess

from conformance.harness import report
from conformance.harness.catalogue import Catalogue, Entry
from conformance.harness.impls import Implementation
from conformance.harness.runner import documented_cell, run_cell

from .helpers import host, make_case

CAT = Catalogue([Entry("G-01", "general", "runs code", True), Entry("RM-02", "run_module", "returns", True)],
                ["2.5", "3.12"], ["3.12"], "test")
CASE = {
    "id": "t-report", "behaviours": ["G-01", "RM-02"],
    "fixture": {"mod.py": ["import _rec", "_rec.snap(globals())"]},
    "setup": {"sys_path": ["{fixture}"]},
    "call": {"api": "run_module", "args": ["mod"]},
    "expect": [{"outcome": "returned", "records": {"main": {"__name__": "mod"}}}],
}
BAD = dict(CASE, id="t-report-bad",
           expect=[{"outcome": "returned", "records": {"main": {"__name__": "nope"}}}])
CLI_BAD = {"id": "t-report-cli", "fixture": {"m.py": "raise SystemExit(3)\n"},
           "call": {"cli": "module", "module": "m"}, "expect": [{"returncode": 0}]}


def results(tmp_path):
    impl = Implementation(host())
    out = [run_cell(make_case(c), impl, tmp_path / c["id"], []) for c in (CASE, BAD, CLI_BAD)]
    out.append(documented_cell(make_case(CASE), (2, 5)))
    return impl, out


def test_text_and_json(tmp_path):
    impl, res = results(tmp_path)
    text = report.render("text", res, CAT, [impl], 1.0)
    assert "PASS 1, FAIL 2" in text and "t-report-bad" in text and "/records/main/__name__" in text
    data = json.loads(report.render("json", res, CAT, [impl], 1.0))
    records = {(r["case"], r["version"]): r for r in data["records"]}
    bad = records[("t-report-bad", host().version_text)]
    assert bad["status"] == "FAIL" and bad["expected"] and bad["observed"]
    assert bad["behaviours"] == ["G-01", "RM-02"]
    for key in ("case", "behaviours", "implementation", "version", "status"):
        assert key in bad
    doc = records[("t-report", "2.5")]
    assert doc["status"] == "N/A" and doc["reason"] == "documented, not executable here"
    assert doc["executable_here"] is False


def test_html_is_self_contained_with_views(tmp_path):
    impl, res = results(tmp_path)
    page = report.render("html", res, CAT, [impl], 1.0)
    assert page.startswith("<!DOCTYPE html>")
    assert 'id="grouped"' in page and 'id="disagree"' in page and 'id="cases"' in page
    assert "http://" not in page and "https://" not in page
    assert ">doc<" in page  # the documented-only column
    assert "G-01" in page and "FAIL" in page
    assert 'id="semantic"' in page and 'id="failures"' in page
    anchor = report.failure_anchor("t-report-bad", impl.label)
    assert f'id="{anchor}"' in page and f'href="#{anchor}"' in page  # matrix cells link to the details
    details = page[page.index(f'id="{anchor}"'):]
    assert "<pre>nope</pre>" in details and "<pre>mod</pre>" in details  # expected and observed, on the page
    assert "@media print" in page


def test_text_report_semantic_option_leaves_out_wording_only_failures(tmp_path):
    impl, res = results(tmp_path)
    wording = make_case(dict(CLI_BAD, id="t-report-wording", expect=[{"returncode": 3, "stderr": "x"}]))
    res.append(run_cell(wording, impl, tmp_path / "w", []))
    assert "t-report-wording" in report.render_text(res, 1.0)
    text = report.render_text(res, 1.0, semantic=True)
    assert "t-report-wording" not in text and "t-report-bad" in text and "[semantic; " in text


def test_replay_folders_reproduce_without_the_harness(tmp_path):
    _impl, res = results(tmp_path / "run")
    written = report.write_replays(res, tmp_path / "replay")
    assert len(written) == 2
    api = next(p for p in written if "t-report-bad" in p.name)
    assert (api / "fixture" / "mod.py").exists() and (api / "probe.py").exists()
    expected = json.loads((api / "expected.json").read_text())
    assert expected["records"]["main"]["__name__"] == "nope"
    out = subprocess.run(["sh", str(api / "run.sh")], capture_output=True, text=True, check=True).stdout
    assert '"__name__": "mod"' in out
    cli = next(p for p in written if "t-report-cli" in p.name)
    out = subprocess.run(["sh", str(cli / "run.sh")], capture_output=True, text=True).stdout
    assert "exit status: 3" in out


def test_replay_reruns_do_not_accumulate_records(tmp_path):
    case = {"id": "t-report-cli-rec", "fixture": {"m.py": ["import _rec", "_rec.put('seen', 1)"]},
            "call": {"cli": "module", "module": "m"}, "expect": [{"returncode": 1}]}
    result = run_cell(make_case(case), Implementation(host()), tmp_path / "run", [])
    assert result.status == "FAIL"
    (folder,) = report.write_replays([result], tmp_path / "replay")
    for _ in range(2):
        subprocess.run(["sh", str(folder / "run.sh")], capture_output=True, check=True)
    assert len((folder / "records.jsonl").read_text().splitlines()) == 1


def test_text_matrix_marks_statuses_documented_versions_and_disagreements(tmp_path):
    _impl, res = results(tmp_path)
    text = report.render_text_matrix(res, CAT)
    rows = {line.split()[0]: line for line in text.splitlines() if line.strip().startswith(("G-01", "RM-02"))}
    # column 1: the host (worst of PASS, FAIL, FAIL -> F); column 2: 2.5 documented only.
    # One executable column cannot disagree with itself: no '*'.
    assert rows["G-01"].split()[1] == "Fd"
    assert "(documented, not executable here)" in text
