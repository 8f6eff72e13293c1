"""Time each dashboard's callback: a control move to an updated model, readout and chart.

Median and 95th percentile over seeded random moves of every control, without a browser (the
browser's own drawing time comes on top). Run from the repository root:
``python benchmarks/bench_dashboards.py``.
"""

from __future__ import annotations

import time

import numpy as np

from tokenomics.dashboards.batching import frontier_dashboard, memory_dashboard, queue_dashboard
from tokenomics.dashboards.calibration import calibration_dashboard
from tokenomics.dashboards.efficiency import cost_dashboard, race_dashboard
from tokenomics.dashboards.market import app_share_dashboard, who_serves_dashboard
from tokenomics.dashboards.providers import qualify_dashboard, ranking_dashboard
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


def run() -> list[dict]:
    """One result per dashboard: median and 95th percentile of a callback, in ms."""
    results = []
    for name, build in DASHBOARDS.items():
        times_ms = time_moves_ms(build())
        results.append(
            {
                "name": f"{name} dashboard",
                "moves": len(times_ms),
                "median_ms": float(np.median(times_ms)),
                "p95_ms": float(np.percentile(times_ms, 95)),
            }
        )
    return results


def report(result: dict) -> str:
    """One line: ``name: median X ms, 95th percentile Y ms over N moves``."""
    return (
        f"{result['name']}: median {result['median_ms']:.1f} ms, "
        f"95th percentile {result['p95_ms']:.1f} ms over {result['moves']} moves"
    )


if __name__ == "__main__":
    for result in run():
        print(report(result))
