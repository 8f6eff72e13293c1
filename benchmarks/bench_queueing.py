"""Time the vectorised queueing model.

Three cases: Erlang C over 10,000 random queues (1 to 2,000 servers, utilization 0.5-0.99);
Erlang C for one queue of a million servers at 99% utilization; and the largest arrival rate
that keeps a million servers' mean wait under a nanosecond (a bisection over the closed form).

Run from the repository root: ``python benchmarks/bench_queueing.py``.
"""

from __future__ import annotations

import numpy as np
from timing import measure, report

from tokenomics.queueing import erlang_c, max_arrival_rate_per_s

POINTS = 10_000
MAX_SERVERS = 2_000
SEED = 2025
MILLION_SERVERS = 1_000_000


def run() -> list[dict]:
    """Time ``erlang_c`` on random queues, then both functions on one queue of a million servers."""
    rng = np.random.default_rng(SEED)
    servers = rng.integers(1, MAX_SERVERS + 1, size=POINTS)
    load_erlangs = rng.uniform(0.5, 0.99, size=POINTS) * servers
    return [
        measure("erlang_c", POINTS, lambda: erlang_c(servers, load_erlangs)),
        measure(
            "erlang_c, 10^6 servers at 99% utilization",
            1,
            lambda: erlang_c(MILLION_SERVERS, 0.99 * MILLION_SERVERS),
        ),
        measure(
            "max_arrival_rate_per_s, 10^6 servers, 1 ns mean wait",
            1,
            lambda: max_arrival_rate_per_s(MILLION_SERVERS, 1.0, 1e-9),
        ),
    ]


if __name__ == "__main__":
    for result in run():
        print(report(result))
