"""Fixtures for the browser tests: one chromium, one JupyterLab and one Voila server per test module.

Every test gets a fresh browser context whose requests and console messages are recorded. When
a test fails, a screenshot and the console log go to ``test-artifacts/browser/`` and the test
report names them (with the servers' logs).
"""

from __future__ import annotations

import re

import pytest
from kit_browser import (
    ARTIFACTS_DIR,
    JupyterLab,
    Voila,
    copy_lessons,
    launch_chromium,
    missing_browser,
    record,
    start_jupyterlab,
    start_voila,
    stop_server,
)

PAGE_TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def playwright():
    """Playwright itself, or a skip naming what is missing (the package or chromium)."""
    reason = missing_browser()
    if reason:
        pytest.skip(f"browser tests need chromium and playwright: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright):
    chromium = launch_chromium(playwright)
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def served_root(tmp_path_factory):
    """A folder holding a copy of ``notebooks/``: the servers serve (and may write to) the copy."""
    root = tmp_path_factory.mktemp("served")
    copy_lessons(root)
    return root


@pytest.fixture(scope="module")
def jupyterlab(playwright, served_root, tmp_path_factory):
    server = start_jupyterlab(served_root, tmp_path_factory.mktemp("jupyterlab-home"), ARTIFACTS_DIR)
    yield JupyterLab(server)
    stop_server(server)


@pytest.fixture(scope="module")
def voila(playwright, served_root, tmp_path_factory):
    server = start_voila(served_root / "notebooks", tmp_path_factory.mktemp("voila-home"), ARTIFACTS_DIR)
    yield Voila(server)
    stop_server(server)


@pytest.fixture
def frontend(request):
    """The frontend the test module names in ``FRONTEND`` ("jupyterlab" or "voila").

    One module per frontend, so that test workers can run the JupyterLab and the Voila lessons
    side by side (each worker takes whole modules)."""
    chosen = request.getfixturevalue(request.module.FRONTEND)
    request.node.server_log = chosen.server.log_path
    return chosen


@pytest.fixture
def page_and_log(browser, request):
    """A page in a fresh browser context, and the log of its requests and console messages."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    log = record(context)
    page = context.new_page()
    request.node.browser_page, request.node.browser_log = page, log
    yield page, log
    context.close()


def _artifact_stem(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1]).strip("_")


def save_failure_artifacts(item) -> list[str]:
    """Save the failed test's screenshot and console log; return lines naming them."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    stem = _artifact_stem(item.nodeid)
    lines = []
    page, log = getattr(item, "browser_page", None), getattr(item, "browser_log", None)
    if page is not None and not page.is_closed():
        screenshot = ARTIFACTS_DIR / f"{stem}.png"
        try:
            page.screenshot(path=str(screenshot), full_page=True, timeout=15_000)
            lines.append(f"screenshot: {screenshot}")
        except Exception as error:  # a crashed page: say so, keep the console log
            lines.append(f"screenshot failed: {error}")
    if log is not None:
        console = ARTIFACTS_DIR / f"{stem}.console.log"
        console.write_text(log.console_text() + "\n")
        requests = ARTIFACTS_DIR / f"{stem}.requests.log"
        requests.write_text("\n".join(log.requests) + "\n")
        lines += [f"console log: {console}", f"requests: {requests}"]
    if getattr(item, "server_log", None):
        lines.append(f"server log: {item.server_log}")
    return lines


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failed browser test, save its screenshot and console log and name them in the report."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and hasattr(item, "browser_page"):
        report.sections.append(("browser artifacts", "\n".join(save_failure_artifacts(item))))
