"""Time slider input to redrawn chart in a real browser, per dashboard, in JupyterLab and in Voila.

Each lesson is opened (and run) in each frontend; the first slider of each dashboard is moved
with the keyboard, PageUp and PageDown in turn (the app-share dashboard has no slider: its first
checkbox is clicked). The time runs in the page, from the key press to the animation frame that
paints the redrawn chart: the kernel's callback, the widget messages both ways and vega's drawing.
Median and 95th percentile per dashboard. Needs chromium and playwright, like the browser tests
(it says what is missing and measures nothing without them). Run from the repository root:
``python benchmarks/bench_browser.py [moves per dashboard]``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "browser"))

import kit_browser  # noqa: E402  (shared with the browser tests)

MOVES = 15
"""Timed moves per dashboard and frontend (one more warms up)."""


def _labels() -> dict[str, str]:
    """Dashboard function name -> the name the other dashboard benchmark prints."""
    import bench_dashboards

    return {build.__name__: name for name, build in bench_dashboards.DASHBOARDS.items()}


def _time_lesson(page, frontend, lesson, moves: int, labels: dict[str, str]) -> list[dict]:
    frontend.open(page, lesson)
    try:
        undrawn = kit_browser.wait_for_charts(page, frontend, lesson)
        if undrawn:
            raise RuntimeError(f"{lesson.name} in {frontend.name}: charts not drawn in cells {undrawn}")
        results = []
        for index, name in lesson.dashboards.items():
            times_ms = kit_browser.time_moves_ms(page, frontend.cell(page, index), moves)
            results.append(
                {
                    "frontend": frontend.name,
                    "name": labels.get(name, f"{name} ({lesson.stem})"),
                    "moves": len(times_ms),
                    "median_ms": float(np.median(times_ms)),
                    "p95_ms": float(np.percentile(times_ms, 95)),
                }
            )
        return results
    finally:
        frontend.close(page)


def run(moves: int = MOVES) -> list[dict]:
    """One result per dashboard and frontend; none (and a message) without chromium or playwright."""
    reason = kit_browser.missing_browser()
    if reason:
        print(f"browser benchmark skipped: {reason}")
        return []
    from playwright.sync_api import sync_playwright

    labels = _labels()
    results = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        root = Path(tmp)
        notebooks = kit_browser.copy_lessons(root)
        logs = root / "logs"
        servers = [
            kit_browser.start_jupyterlab(root, root / "jupyterlab-home", logs),
            kit_browser.start_voila(notebooks, root / "voila-home", logs),
        ]
        browser = kit_browser.launch_chromium(playwright)
        try:
            for frontend in (kit_browser.JupyterLab(servers[0]), kit_browser.Voila(servers[1])):
                for lesson in kit_browser.lessons():
                    context = browser.new_context(viewport={"width": 1400, "height": 1000})
                    try:
                        results += _time_lesson(context.new_page(), frontend, lesson, moves, labels)
                    finally:
                        context.close()
        finally:
            browser.close()
            for server in servers:
                kit_browser.stop_server(server)
    return results


def report(result: dict) -> str:
    """One line: ``frontend, name: median X ms, 95th percentile Y ms over N moves``."""
    return (
        f"{result['frontend']}, {result['name']} dashboard: median {result['median_ms']:.0f} ms, "
        f"95th percentile {result['p95_ms']:.0f} ms over {result['moves']} moves"
    )


def table(results: list[dict]) -> str:
    """A Markdown table: one row per dashboard, median and 95th percentile in each frontend."""
    by_name: dict[str, dict[str, dict]] = {}
    for result in results:
        by_name.setdefault(result["name"], {})[result["frontend"]] = result
    lines = [
        "| dashboard | JupyterLab median | JupyterLab 95th pct. | Voila median | Voila 95th pct. |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, frontends in by_name.items():
        cells = []
        for frontend in ("jupyterlab", "voila"):
            found = frontends.get(frontend)
            cells += [f"{found['median_ms']:.0f} ms", f"{found['p95_ms']:.0f} ms"] if found else ["", ""]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    found = run(int(sys.argv[1]) if len(sys.argv) > 1 else MOVES)
    for result in found:
        print(report(result))
    if found:
        print()
        print(table(found))
