"""Every lesson in JupyterLab, offline: all cells run, every chart draws, each dashboard redraws
with other data when a control moves, and no request leaves the machine (``lesson_run.py``)."""

from __future__ import annotations

import pytest
from kit_browser import lessons
from lesson_run import check_lesson

FRONTEND = "jupyterlab"
LESSONS = lessons()


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.stem for lesson in LESSONS])
def test_lesson_runs_offline_and_its_dashboards_respond(frontend, lesson, page_and_log):
    check_lesson(frontend, lesson, *page_and_log)
