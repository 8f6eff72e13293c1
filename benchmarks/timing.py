"""Shared timing helpers for the benchmark scripts: best and median of repeated runs."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def measure(name: str, points: int, call: Callable[[], object], repeats: int = 5) -> dict:
    """Time ``call`` ``repeats`` times; return the best and median wall-clock times in ms."""
    call()  # warm-up: first-call costs (imports, caches) are not what we measure
    times_s = []
    for _ in range(repeats):
        start_s = time.perf_counter()
        call()
        times_s.append(time.perf_counter() - start_s)
    return {
        "name": name,
        "points": points,
        "repeats": repeats,
        "best_ms": min(times_s) * 1e3,
        "median_ms": statistics.median(times_s) * 1e3,
    }


def report(result: dict) -> str:
    """One line: ``name: N points in X ms (median of R: Y ms)`` (no point count for a single call)."""
    size = f"{result['points']:,} points in " if result["points"] > 1 else ""
    return (
        f"{result['name']}: {size}{result['best_ms']:.1f} ms best "
        f"(median of {result['repeats']}: {result['median_ms']:.1f} ms)"
    )
