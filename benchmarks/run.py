"""Run every benchmark and print one line each (``make bench``).

Figures depend on the machine; the README records them with the machine they came from. The
browser benchmark (a few minutes) needs chromium; without it, it says so and measures nothing.
"""

from __future__ import annotations

import platform

import bench_batching
import bench_browser
import bench_dashboards
import bench_import
import bench_queueing
from timing import report

import tokenomics


def main() -> None:
    print(f"tokenomics {tokenomics.__version__} on Python {platform.python_version()}, {platform.machine()}")
    for bench in (bench_batching, bench_import):
        print(report(bench.run()))
    for result in bench_queueing.run():
        print(report(result))
    for result in bench_dashboards.run():
        print(bench_dashboards.report(result))
    for result in bench_browser.run():
        print(bench_browser.report(result))


if __name__ == "__main__":
    main()
