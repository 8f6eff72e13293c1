"""Time the vectorised Erlang C over 10,000 random queues (1 to 2,000 servers, utilization 0.5-0.99).

Run from the repository root: ``python benchmarks/bench_queueing.py``.
"""

from __future__ import annotations

import numpy as np
from timing import measure, report

from tokenomics.queueing import erlang_c

POINTS = 10_000
MAX_SERVERS = 2_000
SEED = 2025


def run() -> dict:
    """Time ``erlang_c`` on ``POINTS`` random (servers, offered load) pairs."""
    rng = np.random.default_rng(SEED)
    servers = rng.integers(1, MAX_SERVERS + 1, size=POINTS)
    load_erlangs = rng.uniform(0.5, 0.99, size=POINTS) * servers
    return measure("erlang_c", POINTS, lambda: erlang_c(servers, load_erlangs))


if __name__ == "__main__":
    print(report(run()))
