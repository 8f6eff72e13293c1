"""Time each dashboard's callback: a control move to an updated model, readout and chart.

Median and 95th percentile over seeded random moves of every control, without a browser (the
browser's own drawing time comes on top). Each dashboard is also set against a baseline measured
in the same run: a one-layer chart with as many rows (and values per row) as the dashboard's
charts send, whose data is swapped from Python through the same widget
(:class:`tokenomics.dashboards.redraw.DataSwapChart`); the ratio is the dashboard's median over
the baseline's. Run from the repository root: ``python benchmarks/bench_dashboards.py``.
"""

from __future__ import annotations

import time

import altair as alt
import numpy as np
import pandas as pd

from tokenomics.dashboards import jupyter_chart
from tokenomics.dashboards.batching import frontier_dashboard, memory_dashboard, queue_dashboard
from tokenomics.dashboards.calibration import calibration_dashboard
from tokenomics.dashboards.efficiency import cost_dashboard, race_dashboard
from tokenomics.dashboards.market import app_share_dashboard, who_serves_dashboard
from tokenomics.dashboards.providers import qualify_dashboard, ranking_dashboard
from tokenomics.dashboards.redraw import DataSwapChart
from tokenomics.dashboards.start import price_dashboard, tokenizer_dashboard
from tokenomics.dashboards.strategy import deepseek_day_dashboard, fleet_split_dashboard

MOVES_PER_CONTROL = 20
SEED = 2025

DASHBOARDS = {
    "tokenizer (lesson 0)": tokenizer_dashboard,
    "price is an output (lesson 0)": price_dashboard,
    "app share (lesson 1)": app_share_dashboard,
    "who serves (lesson 1)": who_serves_dashboard,
    "who qualifies (lesson 2)": qualify_dashboard,
    "blend and ranking (lesson 2)": ranking_dashboard,
    "frontier (lesson 3)": frontier_dashboard,
    "memory (lesson 3)": memory_dashboard,
    "queue (lesson 3)": queue_dashboard,
    "calibration (lesson 3b)": calibration_dashboard,
    "race (lesson 4)": race_dashboard,
    "cost per answer (lesson 4)": cost_dashboard,
    "DeepSeek's day (lesson 5)": deepseek_day_dashboard,
    "fleet split (lesson 5)": fleet_split_dashboard,
}


def controls(board) -> list:
    """Every control a dashboard exposes (its ``sliders``, ``controls`` and ``pickers``)."""
    found = []
    for name in ("sliders", "controls", "pickers"):
        found += list(getattr(board, name, {}).values())
    return found


def random_value(control, rng):
    """A random new value for a slider, a dropdown or a checkbox."""
    if hasattr(control, "options"):  # options are values or (label, value) pairs
        option = control.options[rng.integers(len(control.options))]
        return option[1] if isinstance(option, tuple) else option
    if isinstance(control.value, bool):
        return not control.value
    value = rng.uniform(control.min, control.max)
    return int(round(value)) if isinstance(control.value, int) else float(value)


def time_moves_ms(board) -> list[float]:
    """Move every control ``MOVES_PER_CONTROL`` times to random values; return each move's time."""
    rng = np.random.default_rng(SEED)
    times_ms = []
    for control in controls(board) * MOVES_PER_CONTROL:
        value = random_value(control, rng)
        start_s = time.perf_counter()
        control.value = value
        times_ms.append((time.perf_counter() - start_s) * 1e3)
    return times_ms


def chart_size(board) -> tuple[int, int]:
    """Rows, and values per row, of the datasets the dashboard's charts send (all charts together)."""
    charts = [value for value in vars(board).values() if isinstance(value, DataSwapChart)]
    datasets = [rows for chart in charts for rows in chart.spec["datasets"].values()]
    n_rows = sum(len(rows) for rows in datasets)
    n_values = sum(len(row) for rows in datasets for row in rows)
    return n_rows, max(2, round(n_values / max(n_rows, 1)))


def baseline_chart(n_rows: int, n_columns: int, rng) -> alt.Chart:
    """A one-layer point chart of ``n_rows`` random rows with ``n_columns`` numbers each."""
    rows = pd.DataFrame(rng.uniform(1, 100, (n_rows, n_columns)), columns=[f"v{i}" for i in range(n_columns)])
    return alt.Chart(rows).mark_point().encode(x="v0:Q", y="v1:Q")


def time_baseline_ms(n_rows: int, n_columns: int, moves: int) -> list[float]:
    """Swap a baseline chart's data ``moves`` times (new random rows each time); each swap's time."""
    rng = np.random.default_rng(SEED)
    widget = jupyter_chart(baseline_chart(n_rows, n_columns, rng))
    times_ms = []
    for _ in range(moves):
        start_s = time.perf_counter()
        rows = pd.DataFrame(rng.uniform(1, 100, (n_rows, n_columns)), columns=widget.chart.data.columns)
        chart = widget.chart.copy(deep=False)
        chart.data = rows
        widget.chart = chart
        times_ms.append((time.perf_counter() - start_s) * 1e3)
    if widget.last_redraw != "swap":
        raise RuntimeError("the baseline chart was rebuilt, not swapped")
    return times_ms


def run() -> list[dict]:
    """One result per dashboard: median and 95th percentile of a callback, in ms, and its baseline."""
    results = []
    for name, build in DASHBOARDS.items():
        board = build()
        n_rows, n_columns = chart_size(board)
        times_ms = time_moves_ms(board)
        baseline_ms = time_baseline_ms(n_rows, n_columns, len(times_ms))
        median_ms = float(np.median(times_ms))
        results.append(
            {
                "name": f"{name} dashboard",
                "moves": len(times_ms),
                "median_ms": median_ms,
                "p95_ms": float(np.percentile(times_ms, 95)),
                "rows": n_rows,
                "columns": n_columns,
                "baseline_median_ms": float(np.median(baseline_ms)),
                "ratio": median_ms / float(np.median(baseline_ms)),
            }
        )
    return results


def report(result: dict) -> str:
    """One line: median, 95th percentile, the baseline's median and the ratio to it."""
    return (
        f"{result['name']}: median {result['median_ms']:.1f} ms, "
        f"95th percentile {result['p95_ms']:.1f} ms over {result['moves']} moves; baseline "
        f"({result['rows']} rows x {result['columns']} values) {result['baseline_median_ms']:.1f} ms, "
        f"ratio {result['ratio']:.2f}"
    )


def table(results: list[dict]) -> str:
    """A Markdown table: one row per dashboard, its median, 95th percentile, baseline and ratio."""
    lines = [
        "| dashboard | median | 95th pct. | baseline median | ratio |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r['name'].removesuffix(' dashboard')} | {r['median_ms']:.1f} ms | {r['p95_ms']:.1f} ms "
            f"| {r['baseline_median_ms']:.1f} ms | {r['ratio']:.2f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    found = run()
    for result in found:
        print(report(result))
    print()
    print(table(found))
