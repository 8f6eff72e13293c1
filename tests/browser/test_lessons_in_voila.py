"""Every lesson in Voila, as ``make demo`` serves it, offline: all cells run, every chart draws,
each dashboard redraws with other data when a control moves, and no request leaves the machine
(``lesson_run.py``); and the list of lessons links every lesson."""

from __future__ import annotations

import pytest
from kit_browser import lessons
from lesson_run import check_lesson

FRONTEND = "voila"
LESSONS = lessons()


def test_voila_lesson_list_links_every_lesson_offline(voila, page_and_log):
    # What `make demo` opens: the list of lessons, served with the kit's Voila template. First in
    # the module, on a server that has run no lesson yet (once, after seven lessons on a busy
    # machine, the list came back empty).
    page, log = page_and_log
    page.goto(voila.server.url(""))
    for lesson in LESSONS:
        link = page.get_by_text(lesson.name, exact=True)
        link.wait_for(state="visible")
    assert log.off_machine() == []


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.stem for lesson in LESSONS])
def test_lesson_runs_offline_and_its_dashboards_respond(frontend, lesson, page_and_log):
    check_lesson(frontend, lesson, *page_and_log)
