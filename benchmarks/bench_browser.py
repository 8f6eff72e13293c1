"""Time slider input to redrawn chart in a real browser, per dashboard, in JupyterLab and in Voila.

Each lesson is opened (and run) in each frontend; the first slider of each dashboard is moved
with the keyboard, PageUp and PageDown in turn (the app-share dashboard has no slider: its first
checkbox is clicked). The time runs in the page, from the key press to the animation frame that
paints the redrawn chart: the kernel's callback, the widget messages both ways and vega's drawing.
Median and 95th percentile per dashboard. Each dashboard is also set against a baseline timed
the same way in the same run and frontend: a one-layer chart with as many rows (and values per
row) as the dashboard's charts send, whose data a slider swaps from Python through the same
widget (:class:`tokenomics.dashboards.redraw.DataSwapChart`); the ratio is the dashboard's median
over its baseline's. Needs chromium and playwright, like the browser tests (it says what is
missing and measures nothing without them). Run from the repository root:
``python benchmarks/bench_browser.py [moves per dashboard]``.
"""

from __future__ import annotations

import json
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


def _sizes() -> dict[str, tuple[int, int]]:
    """Dashboard function name -> rows and values per row its charts send (at its start)."""
    import bench_dashboards

    return {
        build.__name__: bench_dashboards.chart_size(build()) for build in bench_dashboards.DASHBOARDS.values()
    }


BASELINE_SOURCE = """import altair as alt
import ipywidgets as widgets
import numpy as np
import pandas as pd

from tokenomics.dashboards import jupyter_chart


def baseline_dashboard(n_rows, n_columns):
    # A slider and a one-layer chart whose rows it replaces with new random numbers.
    columns = [f"v{i}" for i in range(n_columns)]

    def rows(seed):
        values = np.random.default_rng(seed).uniform(1, 100, (n_rows, n_columns))
        return pd.DataFrame(values, columns=columns)

    chart = jupyter_chart(alt.Chart(rows(0)).mark_point().encode(x="v0:Q", y="v1:Q"))
    control = widgets.IntSlider(value=0, min=0, max=100, description=f"{n_rows} x {n_columns}")

    def swap(change):
        new = chart.chart.copy(deep=False)
        new.data = rows(change["new"])
        chart.chart = new

    control.observe(swap, names="value")
    return widgets.VBox([control, chart])
"""


BASELINES_PER_NOTEBOOK = 4
"""Baseline charts per notebook: a page with many more leaves some charts undrawn in Voila."""


def write_baselines(folder: Path, sizes) -> list[kit_browser.Lesson]:
    """Notebooks of baseline dashboards, one per size, as lessons the timing can open."""
    return [
        _write_baseline_notebook(folder, f"zz_baselines_{start // BASELINES_PER_NOTEBOOK}.ipynb", part)
        for start in range(0, len(sizes), BASELINES_PER_NOTEBOOK)
        for part in [sizes[start : start + BASELINES_PER_NOTEBOOK]]
    ]


def _write_baseline_notebook(folder: Path, name: str, sizes) -> kit_browser.Lesson:
    """A notebook with one baseline dashboard per size, as a lesson the timing can open."""
    cells = [BASELINE_SOURCE] + [f"baseline_dashboard({rows}, {columns})" for rows, columns in sizes]
    notebook = {
        "cells": [
            {"cell_type": "code", "metadata": {}, "source": text, "outputs": [], "execution_count": None}
            for text in cells
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (folder / name).write_text(json.dumps(notebook))
    indexes = tuple(range(1, len(cells)))
    return kit_browser.Lesson(
        name,
        len(cells),
        indexes,
        {i: f"baseline {rows} x {columns}" for i, (rows, columns) in zip(indexes, sizes, strict=True)},
    )


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
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    labels, sizes = _labels(), _sizes()
    results = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        root = Path(tmp)
        notebooks = kit_browser.copy_lessons(root)
        baselines = write_baselines(notebooks, sorted(set(sizes.values())))
        labels.update({name: name for lesson in baselines for name in lesson.dashboards.values()})
        logs = root / "logs"
        servers = [
            kit_browser.start_jupyterlab(root, root / "jupyterlab-home", logs),
            kit_browser.start_voila(notebooks, root / "voila-home", logs),
        ]
        browser = kit_browser.launch_chromium(playwright)
        try:
            for frontend in (kit_browser.JupyterLab(servers[0]), kit_browser.Voila(servers[1])):
                for lesson in [*baselines, *kit_browser.lessons()]:
                    print(f"timing {lesson.name} in {frontend.name}", file=sys.stderr, flush=True)
                    context = browser.new_context(viewport={"width": 1400, "height": 1000})
                    try:
                        results += _time_lesson(context.new_page(), frontend, lesson, moves, labels)
                    except (PlaywrightTimeout, RuntimeError) as error:  # say which, time the others
                        print(f"{lesson.name} in {frontend.name}: no redraw ({error})", file=sys.stderr)
                    finally:
                        context.close()
        finally:
            browser.close()
            for server in servers:
                kit_browser.stop_server(server)
    return _with_baselines(results, sizes, labels)


def _with_baselines(results: list[dict], sizes: dict, labels: dict) -> list[dict]:
    """Each dashboard's result with the median of its baseline (same size, same frontend) and the ratio."""
    baseline = {
        (r["frontend"], r["name"]): r["median_ms"] for r in results if r["name"].startswith("baseline ")
    }
    found = []
    for result in results:
        if result["name"].startswith("baseline "):
            found.append(result)
            continue
        function = next((f for f, label in labels.items() if label == result["name"]), None)
        if function in sizes:
            rows, columns = sizes[function]
            median = baseline.get((result["frontend"], f"baseline {rows} x {columns}"))
            if median:
                result = {**result, "baseline_median_ms": median, "ratio": result["median_ms"] / median}
        found.append(result)
    return found


def report(result: dict) -> str:
    """One line: ``frontend, name: median X ms, 95th percentile Y ms over N moves; baseline, ratio``."""
    against = (
        f"; baseline {result['baseline_median_ms']:.0f} ms, ratio {result['ratio']:.2f}"
        if "ratio" in result
        else ""
    )
    return (
        f"{result['frontend']}, {result['name']} dashboard: median {result['median_ms']:.0f} ms, "
        f"95th percentile {result['p95_ms']:.0f} ms over {result['moves']} moves{against}"
    )


def table(results: list[dict]) -> str:
    """A Markdown table: one row per dashboard, median and 95th percentile in each frontend."""
    by_name: dict[str, dict[str, dict]] = {}
    for result in results:
        by_name.setdefault(result["name"], {})[result["frontend"]] = result
    lines = [
        "| dashboard | JupyterLab median | baseline | ratio | Voila median | baseline | ratio |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, frontends in by_name.items():
        cells = []
        for frontend in ("jupyterlab", "voila"):
            found = frontends.get(frontend)
            if found and "ratio" in found:
                cells += [
                    f"{found['median_ms']:.0f} ms",
                    f"{found['baseline_median_ms']:.0f} ms",
                    f"{found['ratio']:.2f}",
                ]
            else:
                cells += [f"{found['median_ms']:.0f} ms", "", ""] if found else ["", "", ""]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    found = run(int(sys.argv[1]) if len(sys.argv) > 1 else MOVES)
    for result in found:
        print(report(result))
    if found:
        print()
        print(table(found))
