"""Settings for the whole suite: the two tiers, and how tests are shared between workers.

Tiers: ``make test`` runs everything; ``make check`` leaves out the tests marked ``slow``: those
that execute notebooks (lessons by nbval, exercise notebooks by the grader), drive a browser,
start a server or build an environment. Every nbval cell and every test under ``tests/browser``
is marked here; other slow tests carry the mark themselves.

Workers: both targets run on every core (pytest-xdist, ``--dist loadgroup``). Tests are handed
out one at a time, except those that must share one process, which carry an ``xdist_group``
mark: every cell of a lesson notebook goes to the same worker, because nbval runs a notebook's
cells in order in one kernel. Browser tests need no group: each worker that runs one starts its
own JupyterLab or Voila server, on a free port, serving its own copy of the lessons.

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
            item.add_marker(pytest.mark.xdist_group(f"notebook:{item.parent.nodeid}"))
        elif BROWSER_TESTS in Path(item.path).parents:
            item.add_marker(pytest.mark.slow)
