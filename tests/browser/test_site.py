"""The kit's website (``make book``) in a real browser: every page loads, every chart draws, no
request leaves the machine, no link or image is broken.

The site is built once per test session if it is missing or older than its inputs (a hash kept
in ``build/book``; ``scripts/build_book.py --if-stale``, safe when several workers start
together), then served from ``build/book/`` on a free loopback port and opened page by page in
headless chromium with the browser tests' offline host rules.
"""

from __future__ import annotations

import functools
import http.server
import re
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from kit_browser import ROOT, free_port, is_on_machine, lessons, read_lesson, record

pytestmark = pytest.mark.slow

SITE = ROOT / "build" / "book"
CHART_TIMEOUT_MS = 30_000

# Every chart container done: drawn by vega-embed, or marked failed by kit-charts.js.
CHARTS_SETTLED_JS = """() => [...document.querySelectorAll('div.kit-chart')]
  .every((chart) => ['kit-chart-drawn', 'kit-chart-failed'].some((name) => chart.classList.contains(name)))"""

# Charts without a drawing (an svg or canvas inside the vega-embed container), with their labels.
UNDRAWN_CHARTS_JS = """() => [...document.querySelectorAll('div.kit-chart')]
  .filter((chart) => !(chart.classList.contains('vega-embed')
                       && chart.querySelector('svg.marks, canvas.marks')
                       && chart.querySelector('svg.marks .role-mark, canvas.marks')))
  .map((chart) => (chart.getAttribute('aria-label') || 'chart') + ': ' + chart.textContent.slice(0, 200))"""


SCRIPTS = ROOT / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))
from book.inputs import build_if_stale, is_fresh  # noqa: E402  (scripts/book: the site's builder)


@pytest.fixture(scope="session")
def site() -> Path:
    """``build/book``, built first if its inputs changed since it was built."""
    if is_fresh(SITE):
        return SITE
    built = build_if_stale()
    assert built.returncode == 0, f"make book failed:\n{built.stdout[-3000:]}\n{built.stderr[-6000:]}"
    return SITE


class _RecordingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site quietly, noting every request it could not answer (``errors``)."""

    errors: list[str]

    def log_message(self, *args):
        pass

    def log_error(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        self.errors.append(f"{code} {self.path}")
        super().send_error(code, message, explain)


@pytest.fixture(scope="module")
def served(site):
    """The site's base URL on a free loopback port, and the list of requests it answered with an error."""
    errors: list[str] = []
    handler = type("Handler", (_RecordingHandler,), {"errors": errors})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", free_port()), functools.partial(handler, directory=str(site))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", errors
    server.shutdown()
    server.server_close()


def site_pages(site: Path) -> list[str]:
    """Every HTML page of the site, as paths relative to its root."""
    return sorted(str(path.relative_to(site)) for path in site.rglob("*.html") if "_static" not in path.parts)


# --- links and images, read from the files -------------------------------------------------------


class _References(HTMLParser):
    """Every href and src of a page, and every id it defines (the targets of #fragments)."""

    def __init__(self):
        super().__init__()
        self.references: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        for name in ("href", "src"):
            if values.get(name) and not (tag == "a" and name == "src"):
                self.references.append(values[name])


@functools.cache
def _parsed(path: Path) -> _References:
    parser = _References()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_references(site: Path, page: str) -> list[str]:
    """Local links, images, scripts and stylesheets of ``page`` that lead nowhere (fragments too)."""
    base = f"http://site.local/{page}"
    broken = []
    for reference in _parsed(site / page).references:
        if reference.startswith(("mailto:", "javascript:", "data:")):
            continue
        url = urlparse(urljoin(base, reference))
        if url.hostname != "site.local":
            continue  # another site: never requested by the pages (checked in the browser)
        target = site / unquote(url.path).lstrip("/")
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            broken.append(f"{reference} (no file {target.relative_to(site)})")
        elif url.fragment and target.suffix == ".html" and unquote(url.fragment) not in _parsed(target).ids:
            broken.append(f"{reference} (no #{url.fragment} in {target.relative_to(site)})")
    return broken


def test_every_local_link_and_image_leads_somewhere(site):
    pages = site_pages(site)
    assert "index.html" in pages
    broken = {page: found for page in pages if (found := broken_references(site, page))}
    assert broken == {}


def test_the_link_check_can_fail(tmp_path):
    (tmp_path / "a.html").write_text(
        '<p id="here"><a href="b.html">b</a> <a href="#here">ok</a> <a href="#gone">x</a>'
        '<img src="pic.png"><a href="https://example.org/">away</a></p>'
    )
    assert broken_references(tmp_path, "a.html") == [
        "b.html (no file b.html)",
        "#gone (no #gone in a.html)",
        "pic.png (no file pic.png)",
    ]


# --- what the site holds -----------------------------------------------------------------------


def test_every_lesson_exercise_guide_page_and_dataset_has_a_page(site):
    import json

    pages = set(site_pages(site))
    expected = {f"notebooks/{lesson.stem}.html" for lesson in lessons()}
    expected |= {f"exercises/{path.stem}.html" for path in (ROOT / "exercises").glob("*.ipynb")}
    expected |= {f"docs/instructors/{path.stem}.html" for path in (ROOT / "docs/instructors").glob("*.md")}
    expected |= {f"docs/{path.stem}.html" for path in (ROOT / "docs").glob("glossary.md")}
    package = json.loads((ROOT / "datasets" / "datapackage.json").read_text())
    expected |= {f"datasets/{resource['name']}.html" for resource in package["resources"]}
    assert sorted(expected - pages) == []


def _count(pattern: str, page: Path) -> int:
    return len(re.findall(pattern, page.read_text(encoding="utf-8")))


@pytest.mark.parametrize("lesson", lessons(), ids=lambda lesson: lesson.stem)
def test_every_widget_output_of_a_lesson_is_a_chart_or_dashboard_on_its_page(site, lesson):
    page = site / "notebooks" / f"{lesson.stem}.html"
    shown = _count(r'class="kit-figure"', page) + _count(r'class="kit-dashboard"', page)
    assert shown == len(lesson.widget_cells)
    assert _count(r'class="kit-dashboard"', page) >= len(lesson.dashboards)
    assert "application/vnd.jupyter.widget-view+json" not in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("notebook", sorted((ROOT / "exercises").glob("*.ipynb")), ids=lambda path: path.stem)
def test_every_exercise_dashboard_is_shown_at_its_starting_setting(site, notebook):
    page = site / "exercises" / f"{notebook.stem}.html"
    assert _count(r'class="kit-dashboard"', page) == len(read_lesson(notebook).dashboards)


def test_launch_buttons_on_every_lesson_and_exercise_page(site):
    missing = {}
    for folder in ("notebooks", "exercises"):
        for notebook in sorted((ROOT / folder).glob("*.ipynb")):
            text = (site / folder / f"{notebook.stem}.html").read_text(encoding="utf-8")
            wanted = [
                f"urlpath=lab/tree/{folder}/{notebook.name}",
                "/hub/user-redirect/git-pull?repo=",
                f'href="{notebook.name}" download=',
            ]
            if folder == "notebooks" and read_lesson(notebook).dashboards:
                wanted.append(f"urlpath=voila/render/{folder}/{notebook.name}")
            absent = [part for part in wanted if part not in text]
            if absent:
                missing[f"{folder}/{notebook.name}"] = absent
    assert missing == {}


# --- in the browser ----------------------------------------------------------------------------


def test_every_page_loads_draws_its_charts_and_stays_on_the_machine(browser, served, site):
    base, server_errors = served
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(60_000)
    log = record(context)
    failed: list[str] = []

    def on_failed(request):
        # A request still in flight when the test moves to the next page is aborted: not a fault.
        if is_on_machine(request.url) and request.failure != "net::ERR_ABORTED":
            failed.append(f"failed {request.url}: {request.failure}")

    context.on("requestfailed", on_failed)
    page = context.new_page()
    problems: dict[str, list[str]] = {}
    charts_drawn = 0
    try:
        for path in site_pages(site):
            seen = (len(log.requests), len(log.console), len(failed), len(server_errors))
            response = page.goto(base + path, wait_until="load")
            page.wait_for_function(CHARTS_SETTLED_JS, timeout=CHART_TIMEOUT_MS)
            found = []
            if response is None or response.status != 200:
                found.append(f"status {response.status if response else 'none'}")
            found += [f"chart not drawn: {text}" for text in page.evaluate(UNDRAWN_CHARTS_JS)]
            found += [f"left the machine: {url}" for url in log.requests[seen[0] :] if not is_on_machine(url)]
            found += [line for line in log.console[seen[1] :] if line.startswith("[pageerror]")]
            found += failed[seen[2] :] + [f"server answered {error}" for error in server_errors[seen[3] :]]
            charts_drawn += page.evaluate(
                "() => document.querySelectorAll('div.kit-chart.kit-chart-drawn').length"
            )
            if found:
                problems[path] = found
    finally:
        context.close()
    assert problems == {}
    assert charts_drawn > 0, "the site drew no chart at all"


TOOLTIP_JS = """() => { const tip = document.querySelector('#vg-tooltip-element');
  return tip && tip.classList.contains('visible') ? tip.innerText : null; }"""


def test_charts_show_tooltips(browser, served):
    """Hovering a chart's point shows its tooltip: the charts are live, not pictures."""
    base, _ = served
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(base + "notebooks/03_gpu_batching.html", wait_until="load")
        page.wait_for_function(CHARTS_SETTLED_JS, timeout=CHART_TIMEOUT_MS)
        points = page.locator("div.kit-chart svg.marks g.mark-symbol.role-mark path")
        assert points.count() > 0
        shown = None
        for index in range(min(10, points.count())):
            points.nth(index).scroll_into_view_if_needed()
            points.nth(index).hover(force=True)
            page.wait_for_timeout(200)
            shown = page.evaluate(TOOLTIP_JS)
            if shown:
                break
        assert shown and shown.strip(), "no tooltip appeared over the first ten points"
    finally:
        page.close()
