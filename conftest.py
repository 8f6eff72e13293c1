"""Settings for the whole suite: the two tiers, and how tests are shared between workers.

Tiers: ``make test`` runs everything; ``make check`` leaves out the tests marked ``slow``: those
that execute notebooks (lessons by nbval, exercise notebooks by the grader), drive a browser,
start a server or build an environment. Every nbval cell and every test under ``tests/browser``
is marked here; other slow tests carry the mark themselves.

Workers: ``make test`` first runs every test but the browser tests on several workers
(pytest-xdist, ``--dist loadfile``: a worker takes whole files, so a notebook's cells run in
order in one kernel and a module's fixtures are built once), then the browser tests (marked
``browser`` here) in one process with the machine to themselves. Run side by side on two cores,
chromium sometimes takes more than the 2 s anywidget allows a chart's model to start ("[anywidget]
Failed to initialize model"), and the chart stays blank: a failure of the machine's load, not of
the lesson. (pytest-xdist's ``loadgroup`` would keep finer groups, but with pytest 9 its group
marks no longer reach the scheduler.)

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
