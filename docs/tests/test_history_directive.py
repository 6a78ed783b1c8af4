"""The runpy-history directive: one scenario under many emulated versions, differences highlighted.

The unit tests run real scenarios (fresh interpreters, deterministic
traces) and check the comparison where the catalogue says behaviour changed:
2.6 refuses a package and 2.7 runs its ``__main__`` (RM-06), ``sys.argv[0]``
while ``-m`` locates the module is ``'-c'`` before 3.2 and ``'-m'`` after
(CLI-09).  The integration tests build a one-page project, as the
runpy-trace tests do, to check the golden-file contract and the rendering.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("sphinx")

import runpy_docs_history as rh
import runpy_docs_trace as rt

EXT = Path(rh.__file__).resolve().parent
PKG = {"pkg/__init__.py": "", "pkg/__main__.py": "print('main runs')\n"}


def _changed(cli: str, older: str, newer: str, files: dict[str, str] = PKG) -> list:
    _, _, before = rh.run_scenario(files, older, cli=cli)
    _, _, after = rh.run_scenario(files, newer, cli=cli)
    changed, _gone = rh.changed_events(before, after)
    return [after[i] for i in sorted(changed)]


def test_package_main_is_highlighted_from_2_6_to_2_7() -> None:
    changed = _changed("pkg", "2.6", "2.7")
    picks = [e for e in changed if e.stage == "pick_main"]
    assert picks and "RM-06" in picks[0].behaviours
    assert "RM-06" in rh.deciding_ids(picks[0])  # the 2.7 rule that decided it
    assert any(e.event == "exec_finished" for e in changed)  # 2.6 never ran the code


def test_argv0_while_locating_is_highlighted_from_2_7_to_3_2() -> None:
    changed = _changed("pkg", "2.7", "3.2")
    argv = [e for e in changed if "CLI-09" in rh.deciding_ids(e)]
    assert argv, [rh.event_key(e) for e in changed]
    assert "['-m']" in rh.event_key(argv[0])


def test_the_same_behaviour_is_not_highlighted() -> None:
    """3.11 and 3.13 run ``python -m pkg`` alike; only the ``--as-of`` argument differs, and it is masked."""
    assert _changed("pkg", "3.11", "3.13") == []


def test_first_version_has_nothing_to_compare_with() -> None:
    _, report, events = rh.run_scenario(PKG, "2.5", cli="pkg")
    assert rh.changed_events(None, events) == (set(), 0)
    assert report["header"]["profile"].startswith("2.5")


def test_api_scenarios_run_under_the_version() -> None:
    files = {"shop/__init__.py": "", "shop/cart.py": "x = 1\n"}
    command, report, events = rh.run_scenario(files, "2.6", call='run_module("shop.cart", alter_sys=True)')
    assert command == "with runpy_ref.as_of('2.6'): run_module(\"shop.cart\", alter_sys=True)"
    assert report["header"]["profile"].startswith("2.6")
    assert any(e.data.get("as_of") for e in events)  # the events name the 2.6 rules


def test_event_key_masks_the_version_argument() -> None:
    _, _, old = rh.run_scenario(PKG, "3.11", cli="pkg")
    _, _, new = rh.run_scenario(PKG, "3.13", cli="pkg")
    assert "'3.11'" not in rh.event_key(old[1]) and rh.event_key(old[1]) == rh.event_key(new[1])


def test_committed_goldens_hold_every_version_in_order() -> None:
    goldens = sorted((rt.GOLDEN_DIR).glob("history-*.txt"))
    assert len(goldens) == 4
    for path in goldens:
        profiles = re.findall(r"^# cpython \S+, profile (\S+)$", path.read_text(), flags=re.M)
        assert [p.rsplit(".", 1)[0] if p.count(".") > 1 else p for p in profiles] == list(rh.VERSIONS), path


# -- through Sphinx ------------------------------------------------------------------

PAGE = """\
Test
====

.. runpy-history::
   :golden: hist
   :cli: pkg
   :versions: 2.6 2.7

   # file: pkg/__init__.py
   # file: pkg/__main__.py
   print({text!r})
"""


def _project(tmp_path: Path, text: str = "main runs") -> Path:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "conf.py").write_text(textwrap.dedent(f"""\
        import sys
        sys.path[:0] = [{str(EXT)!r}, {str(rt.ROOT)!r}]
        extensions = ["runpy_docs_history"]
        runpy_trace_golden_dir = {str(tmp_path / "golden")!r}
        """))
    (src / "index.rst").write_text(PAGE.format(text=text))
    return src


def _build(src: Path, update: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != rt.UPDATE_ENV}
    if update:
        env[rt.UPDATE_ENV] = "1"
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-E", "-q", "-b", "html", str(src), str(src.parent / "out")],
        capture_output=True, text=True, env=env, timeout=300,
    )


def test_golden_contract_and_rendering(tmp_path: Path) -> None:
    src = _project(tmp_path)
    missing = _build(src)
    assert missing.returncode != 0 and "no golden file" in missing.stderr
    assert _build(src, update=True).returncode == 0
    golden = (tmp_path / "golden" / "hist.txt").read_text()
    assert "--as-of 2.6 pkg" in golden and "--as-of 2.7 pkg" in golden
    assert "cannot be directly executed" in golden and "main runs" in golden
    proc = _build(src)
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "out" / "index.html").read_text()
    assert len(re.findall(r'<tr class="history-row[^"]*"', html)) == 2
    assert "history-row-changed" in html and "history-changed" in html
    assert "https://docs.python.org/3/whatsnew/2.7.html" in html
    assert "whatsnew/2.6.html" not in html  # the first row has nothing to compare with
    changed = _build(_project(tmp_path, "changed"))
    assert changed.returncode != 0 and "differs from its golden file" in changed.stderr
