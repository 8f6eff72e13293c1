"""Time each dashboard's callback: a slider move to an updated model, readout and chart.

Median and 95th percentile over seeded random moves of every slider, without a browser (the
browser's own drawing time comes on top). Run from the repository root:
``python benchmarks/bench_dashboards.py``.
"""

from __future__ import annotations

import time

import numpy as np

from tokenomics.dashboards.calibration import calibration_dashboard

MOVES_PER_SLIDER = 20
SEED = 2025

DASHBOARDS = {"calibration": calibration_dashboard}


def time_moves_ms(board) -> list[float]:
    """Move every slider ``MOVES_PER_SLIDER`` times to random values; return each move's time."""
    rng = np.random.default_rng(SEED)
    times_ms = []
    for slider in list(board.sliders.values()) * MOVES_PER_SLIDER:
        value = float(np.round(rng.uniform(slider.min, slider.max), 2))
        start_s = time.perf_counter()
        slider.value = value
        times_ms.append((time.perf_counter() - start_s) * 1e3)
    return times_ms


def run() -> list[dict]:
    """One result per dashboard: median and 95th percentile of a callback, in ms."""
    results = []
    for name, build in DASHBOARDS.items():
        times_ms = time_moves_ms(build())
        results.append(
            {
                "name": f"{name} dashboard callback",
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
