"""Settings for the whole suite: the two tiers, and how tests are shared between workers.

Tiers: ``make test`` runs everything; ``make check`` leaves out the tests marked ``slow``: those
that execute notebooks (lessons by nbval, exercise notebooks by the grader), drive a browser,
start a server or build an environment. Every nbval cell and every test under ``tests/browser``
is marked here; other slow tests carry the mark themselves.

Workers: ``make test`` runs every test on several workers (pytest-xdist, ``--dist loadfile``: a
worker takes whole files, so a notebook's cells run in order in one kernel and a module's
fixtures, such as a browser test's servers, are built once). Files with slow tests are handed out
first, browser tests first of all, so that no long file starts last and keeps one worker busy
after the others are done. (pytest-xdist's ``loadgroup`` would keep finer groups, but with pytest
9 its group marks no longer reach the scheduler.)

Hypothesis: no property test has a deadline. A deadline is a timing assertion, and with two
workers sharing two cores an ordinary example can pass 200 ms; speed is measured by
``benchmarks/``, never asserted. The number of examples stays as each test sets it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("kit", deadline=None)
settings.load_profile("kit")

BROWSER_TESTS = Path(__file__).parent / "tests" / "browser"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if type(item).__name__ == "IPyNbCell":
            item.add_marker(pytest.mark.slow)
        elif BROWSER_TESTS in Path(item.path).parents:
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.browser)
    items[:] = longest_files_first(items)


def _start_rank(item) -> int:
    """0 for a browser test, 1 for another slow test, 2 for the rest."""
    if item.get_closest_marker("browser"):
        return 0
    return 1 if item.get_closest_marker("slow") else 2


def longest_files_first(items: list) -> list:
    """The items file by file, files with browser tests first, then files with other slow tests,
    then the rest; each file's items and each group's files keep their order."""
    rank, first_seen = {}, {}
    for index, item in enumerate(items):
        rank[item.path] = min(rank.get(item.path, 2), _start_rank(item))
        first_seen.setdefault(item.path, index)
    return sorted(items, key=lambda item: (rank[item.path], first_seen[item.path]))
