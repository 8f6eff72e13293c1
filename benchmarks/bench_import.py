"""Time ``import tokenomics`` in a fresh interpreter (what a lesson's first cell pays).

Run from the repository root: ``python benchmarks/bench_import.py``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

REPEATS = 5
PROGRAM = "import time; t = time.perf_counter(); import tokenomics; print(time.perf_counter() - t)"


def run() -> dict:
    """Import the package ``REPEATS`` times, each in a new Python process."""
    times_s = [
        float(
            subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, check=True).stdout
        )
        for _ in range(REPEATS)
    ]
    return {
        "name": "import tokenomics",
        "points": 1,
        "repeats": REPEATS,
        "best_ms": min(times_s) * 1e3,
        "median_ms": statistics.median(times_s) * 1e3,
    }


if __name__ == "__main__":
    from timing import report

    print(report(run()))
