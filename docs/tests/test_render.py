"""The built pages render in a real browser, with every asset present and no console errors.

The test serves the built HTML on localhost, loads pages in headless
chromium, and fails on

* a ``<link>``, ``<script>`` or ``<img>`` whose file is not in the build,
* any reference to an external asset (the docs must work offline),
* any request the server answered with an error status,
* any console message (errors and uncaught exceptions show up there),
* a page whose rendered DOM lacks the parts it exists for (the trace table).

It also saves a screenshot of each page under ``docs/_build/screenshots``
for a human to look at.

The test is skipped, with the reason printed, when chromium is missing or the
docs have not been built; set ``RUNPY_REF_DOCS_REQUIRE_RENDER=1`` (CI does) to
make those situations failures instead.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

DOCS = Path(__file__).resolve().parent.parent
BUILD = Path(os.environ.get("RUNPY_REF_DOCS_HTML", DOCS / "_build" / "html"))
SCREENSHOTS = DOCS / "_build" / "screenshots"
REQUIRE = os.environ.get("RUNPY_REF_DOCS_REQUIRE_RENDER") == "1"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--enable-logging=stderr", "--v=0", "--hide-scrollbars",
]
PAGES = {
    "index.html": ['class="runpy-trace', "What exactly does", 'class="stage-diagram"'],
    "explanation/stages/find_spec.html": [
        'class="runpy-trace', '<span class="k">def</span>', "stage-find_spec",
    ],
    "explanation/history.html": ['class="behaviour-timeline-graphic"', "<svg", 'class="tl-runs"', 'class="tl-title"',
                                 'class="tl-sources"'],
    "explanation/pipeline.html": ['class="pipeline-figure"', 'class="pf-loop"', 'class="pf-finally"',
                                  '<tr class="trace-output', 'class="pf-words"'],
    "explanation/history_traces.html": ['class="runpy-history-box', "history-row-changed", "whatsnew/2.7.html"],
}


def _unavailable(reason: str) -> None:
    print(f"test_render: {reason}")
    if REQUIRE:
        pytest.fail(reason)
    pytest.skip(reason)


def _chromium() -> str:
    for name in (os.environ.get("RUNPY_REF_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)  # type: ignore[return-value]
    _unavailable("chromium is not installed (Debian: apt-get install -y chromium)")
    raise AssertionError("unreachable")


# -- serving ----------------------------------------------------------------------------


@dataclass
class Served:
    base: str
    errors: list[tuple[str, int]] = field(default_factory=list)


@contextmanager
def serve(root: Path) -> Iterator[Served]:
    served = Served(base="")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def send_response(self, code: int, message: str | None = None) -> None:
            if code >= 400:
                served.errors.append((self.path, code))
            super().send_response(code, message)

    handler = functools.partial(Handler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    served.base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()


# -- checking ------------------------------------------------------------------------------


class _Assets(HTMLParser):
    """Collects the URLs a page loads: stylesheets, icons, scripts, images."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and values.get("href") and values.get("rel") != "canonical":
            self.urls.append(values["href"])  # type: ignore[arg-type]
        elif tag in ("script", "img") and values.get("src"):
            self.urls.append(values["src"])  # type: ignore[arg-type]


def asset_problems(root: Path, page: str) -> list[str]:
    """Every referenced asset must be a local file of the build; nothing external."""
    parser = _Assets()
    parser.feed((root / page).read_text(encoding="utf-8"))
    problems = []
    page_url = "http://local/" + page
    for url in parser.urls:
        absolute = urljoin(page_url, url)
        parts = urlsplit(absolute)
        if parts.scheme == "data":
            continue
        if parts.netloc != "local":
            problems.append(f"{page}: external asset {url}")
            continue
        if not (root / parts.path.lstrip("/")).is_file():
            problems.append(f"{page}: missing asset {url}")
    return problems


@dataclass
class Rendered:
    dom: str
    console: list[str]
    screenshot: Path | None


def render(chromium: str, url: str, screenshot: Path | None = None) -> Rendered:
    """Load ``url`` in headless chromium: the DOM after scripts ran, console lines, a screenshot."""
    with tempfile.TemporaryDirectory() as profile:
        common = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1280,1800"]
        dump = subprocess.run([*common, "--dump-dom", url], capture_output=True, text=True, timeout=120)
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run([*common, f"--screenshot={screenshot}", url], capture_output=True, text=True,
                           timeout=120)
    console = [line for line in dump.stderr.splitlines() if ":CONSOLE" in line]
    return Rendered(dump.stdout, console, screenshot if screenshot and screenshot.exists() else None)


# -- the tests -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> str:
    return _chromium()


@pytest.fixture(scope="module")
def site() -> Path:
    if not (BUILD / "index.html").is_file():
        _unavailable(f"no built docs at {BUILD}; build first: "
                     "python -m sphinx -W -n --keep-going -b html docs docs/_build/html")
    return BUILD


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_renders_cleanly(chromium: str, site: Path, page: str) -> None:
    assert asset_problems(site, page) == []
    shot = SCREENSHOTS / (page.replace("/", "_").replace(".html", ".png"))
    with serve(site) as served:
        result = render(chromium, served.base + page, shot)
    assert served.errors == [], f"the server answered with errors: {served.errors}"
    assert result.console == [], "console messages:\n" + "\n".join(result.console)
    for needle in PAGES[page]:
        assert needle in result.dom, f"{page}: rendered DOM lacks {needle!r}"
    assert result.screenshot is not None and result.screenshot.stat().st_size > 10_000
    print(f"test_render: screenshot of {page} in {result.screenshot}")


def test_checker_catches_broken_pages(chromium: str, tmp_path: Path) -> None:
    """The checks above are only worth something if they fail on a broken page."""
    (tmp_path / "ok.css").write_text("body { color: black; }")
    (tmp_path / "broken.html").write_text(
        '<html><head><link rel="stylesheet" href="ok.css"><link rel="stylesheet" href="gone.css">'
        '<script src="https://cdn.example.com/x.js"></script></head>'
        '<body><img src="missing.png"><script>console.error("boom"); notDefined();</script></body></html>'
    )
    problems = asset_problems(tmp_path, "broken.html")
    assert problems == ["broken.html: missing asset gone.css",
                        "broken.html: external asset https://cdn.example.com/x.js",
                        "broken.html: missing asset missing.png"]
    with serve(tmp_path) as served:
        result = render(chromium, served.base + "broken.html")
    assert any("boom" in line for line in result.console)
    assert any("notDefined" in line for line in result.console)
    assert ("/gone.css", 404) in served.errors


# -- no trace line is cut off at 1280 px --------------------------------------------------------

TRACE_LINE = r"^\s*\d+ +(?:  )*(?:run|find_spec|pick_main|build_globals|alter_sys|exec|restore)\s"
OVERFLOWS = """(traceLine) => {
  const re = new RegExp(traceLine, 'm');
  const out = [];
  for (const pre of document.querySelectorAll('pre')) {
    if (re.test(pre.innerText) && pre.scrollWidth > pre.clientWidth + 1) {
      out.push(`a block of trace lines is ${pre.scrollWidth - pre.clientWidth}px wider than its box: `
               + pre.innerText.split('\\n').find(line => re.test(line)));
    }
  }
  for (const box of document.querySelectorAll('.runpy-trace-box')) {
    const right = box.getBoundingClientRect().right;
    for (const el of box.querySelectorAll('*')) {
      const scrolls = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible';
      if (el.getBoundingClientRect().right > right + 1 || scrolls) {
        out.push(`${el.tagName}.${el.className} sticks out of its trace box: ${el.innerText.slice(0, 80)}`);
        break;
      }
    }
  }
  return out;
}"""


def _trace_pages(root: Path) -> list[str]:
    pages = []
    for path in sorted(root.rglob("*.html")):
        if {"_static", "_modules", "_sources"} & set(path.relative_to(root).parts):
            continue
        text = path.read_text(encoding="utf-8")
        if "runpy-trace-box" in text or "highlight-console" in text or "highlight-pycon" in text:
            pages.append(str(path.relative_to(root)))
    return pages


def test_no_trace_line_is_cut_off_at_1280px(chromium: str, site: Path) -> None:
    """Every trace line fits its box, or wraps inside it; none runs under a (hidden) scrollbar."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[docs]')")
    pages = _trace_pages(site)
    assert len(pages) > 10, pages
    problems: list[str] = []
    with serve(site) as served, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for name in pages:
            page.goto(served.base + name)
            problems += [f"{name}: {problem}" for problem in page.evaluate(OVERFLOWS, TRACE_LINE)]
        browser.close()
    assert problems == []


def test_the_overflow_check_sees_a_cut_line(chromium: str, tmp_path: Path) -> None:
    """The check above fails on a page whose trace line runs out of its box."""
    from playwright.sync_api import sync_playwright

    line = "  3 find_spec     " + "x" * 300
    (tmp_path / "cut.html").write_text(
        f'<html><body><pre style="width:400px;overflow:auto">{line}</pre>'
        f'<div class="runpy-trace-box" style="width:400px"><table style="width:900px"><tr><td>wide</td></tr>'
        f"</table></div></body></html>")
    with serve(tmp_path) as served, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(served.base + "cut.html")
        problems = page.evaluate(OVERFLOWS, TRACE_LINE)
        browser.close()
    assert len(problems) == 2 and "3 find_spec" in problems[0] and "TABLE" in problems[1]
