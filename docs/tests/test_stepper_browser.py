"""The stepper in a real browser: stepping shows the state the trace says, offline, without errors.

Headless Debian chromium, driven by Playwright (the Python package; no
browser download: it launches ``/usr/bin/chromium``).  For a page made
from a real trace (``run_path`` of a directory, which changes ``sys.path``,
``sys.modules['__main__']`` and ``sys.argv`` and puts every one back), the
tests click Previous and Next, press the arrow keys, open a ``#step-N``
link, and read the panels after each step; every console message, page
error and request is recorded, and any of them other than the page itself
fails the test.  They also load the page with scripts off (the table of
every step) and at a phone's width, and the documentation pages that
embed steppers, served from the built site.

Skipped, with the reason printed, when Playwright or chromium is missing;
``RUNPY_REF_DOCS_REQUIRE_RENDER=1`` (CI) makes that a failure.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import runpy_ref
from runpy_ref.sinks import JsonLinesSink
from runpy_ref.stepper import read_jsonl, render_html

DOCS = Path(__file__).resolve().parent.parent
BUILD = Path(os.environ.get("RUNPY_REF_DOCS_HTML", DOCS / "_build" / "html"))
SCREENSHOTS = DOCS / "_build" / "screenshots"
REQUIRE = os.environ.get("RUNPY_REF_DOCS_REQUIRE_RENDER") == "1"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _unavailable(reason: str) -> None:
    print(f"test_stepper_browser: {reason}")
    if REQUIRE:
        pytest.fail(reason)
    pytest.skip(reason)


def _chromium() -> str:
    for name in (os.environ.get("RUNPY_REF_CHROMIUM"), "/usr/bin/chromium", "chromium", "chromium-browser"):
        if name and shutil.which(name):
            return str(shutil.which(name))
    _unavailable("chromium is not installed (Debian: apt-get install -y chromium)")
    raise AssertionError("unreachable")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[docs]')")
    executable = _chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Watched:
    """A page with everything it reports: console messages, page errors, requests."""

    def __init__(self, browser: Any, **context: Any) -> None:
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        self.page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))
        self.page.on("request", lambda request: self.requests.append(request.url))

    def panel(self, name: str) -> str:
        return self.page.locator(f".rs-view [data-panel={name}]").inner_text()

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def trace(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A real trace: run_path of a directory, with the caller's sys.argv ['caller.py', 'arg1']."""
    root = tmp_path_factory.mktemp("stepper-fixture")
    (root / "app").mkdir()
    (root / "app" / "__main__.py").write_text("import sys\nprint('app runs as', __name__)\n", encoding="utf-8")
    out = io.StringIO()
    saved_argv, saved_path, saved_cwd = list(sys.argv), list(sys.path), os.getcwd()
    try:
        os.chdir(root)
        sys.path.insert(0, str(root))  # as for a program run from the fixture directory
        sys.argv[:] = ["caller.py", "arg1"]
        with runpy_ref.tracing(JsonLinesSink(out), deterministic=True, root=str(root)):
            runpy_ref.run_path("app", run_name="demo")
    finally:
        sys.argv[:], sys.path[:] = saved_argv, saved_path
        os.chdir(saved_cwd)
    header, events, _ = read_jsonl(out.getvalue())
    return header, events


@pytest.fixture(scope="module")
def page_file(trace: tuple[dict[str, Any], list[dict[str, Any]]], tmp_path_factory: pytest.TempPathFactory
              ) -> Path:
    path = tmp_path_factory.mktemp("stepper-page") / "run.html"
    path.write_text(render_html(*trace), encoding="utf-8")
    return path


def _step_of(events: list[dict[str, Any]], target: str, changed: bool = True) -> int:
    """The step of the first change (or restore) of ``target``."""
    kind = "sys_changed" if changed else "sys_restored"
    return next(e["seq"] for e in events if e["event"] == kind and e["data"].get("target") == target)


def test_stepping_shows_the_state_the_trace_says(browser: Any, page_file: Path,
                                                 trace: tuple[dict[str, Any], list[dict[str, Any]]]) -> None:
    _, events = trace
    total = len(events)
    inserted = _step_of(events, "sys.path[0]")
    main_out = _step_of(events, "sys.modules['__main__']")
    argv_set = _step_of(events, "sys.argv[0]")
    path_back = _step_of(events, "sys.path[0]", changed=False)
    watched = Watched(browser)
    page = watched.page
    page.goto(page_file.as_uri())
    previous = page.get_by_role("button", name="Previous")
    following = page.get_by_role("button", name="Next")
    assert page.locator(".rs-position").inner_text() == f"Step 1 of {total}"
    assert previous.is_disabled() and not following.is_disabled()
    assert "as the caller had it" in watched.panel("path")
    assert page.locator(".rs-view .rs-stage.rs-lit").count() == 0, "step 1 is the run, no stage lit"
    for _ in range(inserted - 1):
        following.click()
    assert page.locator(".rs-position").inner_text() == f"Step {inserted} of {total}"
    assert watched.panel("path").split("\n")[1:3] == ["'app'", "<root>"], watched.panel("path")
    assert page.locator(".rs-view .rs-stage.rs-lit").get_attribute("data-stage") == "alter_sys"
    assert page.url.endswith(f"#step-{inserted}")
    for _ in range(main_out - inserted):
        page.keyboard.press("ArrowRight")
    assert "<absent>" in watched.panel("main")
    for _ in range(argv_set - main_out):
        following.click()
    assert "['app', …]" in watched.panel("argv")
    assert "__name__\t'demo'" in watched.panel("globals"), watched.panel("globals")
    page.keyboard.press("ArrowLeft")
    assert page.locator(".rs-position").inner_text() == f"Step {argv_set - 1} of {total}"
    for _ in range(path_back - argv_set + 1):
        page.keyboard.press("ArrowRight")
    assert page.locator(".rs-view .rs-stage.rs-lit").get_attribute("data-stage") == "restore"
    assert watched.panel("path").split("\n")[1] == "<root>"
    while not following.is_disabled():
        following.click()
    assert page.locator(".rs-position").inner_text() == f"Step {total} of {total}"
    assert "returned" in watched.panel("globals")
    assert watched.console == [], watched.console
    assert watched.requests == [page_file.as_uri()], "no request leaves the page"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "stepper-last-step.png"), full_page=True)
    watched.close()


def test_a_step_can_be_linked(browser: Any, page_file: Path) -> None:
    watched = Watched(browser)
    watched.page.goto(page_file.as_uri() + "#step-4")
    assert watched.page.locator(".rs-position").inner_text().startswith("Step 4 of ")
    assert watched.page.locator(".rs-view .rs-count").inner_text().startswith("step 4 of ")
    watched.page.evaluate("window.location.hash = '#step-2'")
    watched.page.wait_for_function("document.querySelector('.rs-position').textContent.startsWith('Step 2 ')")
    assert watched.console == []
    watched.close()


def test_without_scripts_every_step_is_in_the_table(browser: Any, page_file: Path,
                                                     trace: tuple[dict[str, Any], list[dict[str, Any]]]) -> None:
    watched = Watched(browser, java_script_enabled=False)
    watched.page.goto(page_file.as_uri() + "#step-3")
    assert not watched.page.locator(".rs-interactive").is_visible()
    rows = watched.page.locator(".rs-table tbody tr")
    assert rows.count() == len(trace[1])
    assert watched.page.locator("#step-3").is_visible()
    assert "'app'" in watched.page.locator("#step-3").inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    watched.page.screenshot(path=str(SCREENSHOTS / "stepper-no-script.png"))
    watched.close()


def test_on_a_phone_nothing_needs_sideways_scrolling(browser: Any, page_file: Path) -> None:
    watched = Watched(browser, viewport={"width": 360, "height": 740}, color_scheme="dark", has_touch=True)
    watched.page.goto(page_file.as_uri() + "#step-5")
    width = watched.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width}px wide on a 360px screen"
    watched.page.get_by_role("button", name="Next").tap()
    assert watched.page.locator(".rs-position").inner_text().startswith("Step 6 of ")
    background = watched.page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(22, 22, 27)", "dark mode follows the reader's setting"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    watched.page.screenshot(path=str(SCREENSHOTS / "stepper-phone-dark.png"), full_page=True)
    assert watched.console == []
    watched.close()


DOC_PAGES = ("tutorials/05-alter-sys.html", "explanation/stages/alter_sys.html")


@pytest.mark.parametrize("page", DOC_PAGES)
def test_the_docs_steppers_work(browser: Any, page: str) -> None:
    if not (BUILD / page).is_file():
        _unavailable(f"no built page {BUILD / page}; build the docs first")
    watched = Watched(browser)
    watched.page.goto((BUILD / page).as_uri())
    steppers = watched.page.locator("[data-runpy-stepper]")
    assert steppers.count() >= 1
    first = steppers.first
    first.scroll_into_view_if_needed()
    position = first.locator(".rs-position")
    assert position.inner_text().startswith("Step 1 of ")
    first.get_by_role("button", name="Next").click()
    assert position.inner_text().startswith("Step 2 of ")
    assert watched.console == [], watched.console
    outside = [url for url in watched.requests if not url.startswith(BUILD.as_uri())]
    assert outside == [], f"requests outside the built site: {outside}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    first.screenshot(path=str(SCREENSHOTS / f"stepper-{page.replace('/', '_')}.png"))
    watched.close()
