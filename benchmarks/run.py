"""Run every benchmark and print one line each (``make bench``).

Figures depend on the machine; the README records them with the machine they came from.
"""

from __future__ import annotations

import platform

import bench_batching
import bench_dashboards
import bench_import
import bench_queueing
from timing import report

import tokenomics


def main() -> None:
    print(f"tokenomics {tokenomics.__version__} on Python {platform.python_version()}, {platform.machine()}")
    for bench in (bench_batching, bench_queueing, bench_import):
        print(report(bench.run()))
    for result in bench_dashboards.run():
        print(bench_dashboards.report(result))


if __name__ == "__main__":
    main()
