"""The kit in a real browser: every lesson in JupyterLab and in Voila, offline.

For each lesson and each frontend: run every cell, then check that no cell failed, that every
chart drew, that moving a control of each dashboard redraws its chart with other data, and that
no request left the machine. Skipped, with the reason, where chromium or playwright is missing.
"""

from __future__ import annotations

import pytest
from kit_browser import (
    CHECKBOXES,
    SLIDER_HANDLES,
    lessons,
    moved_and_redrawn,
    wait_for_charts,
    widget_errors,
)

LESSONS = lessons()


def _dashboard_problems(page, frontend, lesson) -> list[str]:
    """Move a control of each dashboard; name every dashboard that did not move or redraw."""
    problems = []
    for index, name in lesson.dashboards.items():
        cell = frontend.cell(page, index)
        if cell.locator(f"{SLIDER_HANDLES}, {CHECKBOXES}").count() == 0:
            problems.append(f"{name} (cell {index}) shows no slider or checkbox")
            continue
        move, redrawn = moved_and_redrawn(page, cell)
        if move.before == move.after:
            problems.append(f"{name} (cell {index}): {move.control!r} did not move ({move.key})")
        elif not redrawn:
            problems.append(
                f"{name} (cell {index}): {move.control!r} moved to {move.shown} ({move.key}) "
                "but no chart redrew with other data"
            )
    return problems


def _report(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"{kind}:\n  " + "\n  ".join(found) for kind, found in problems.items() if found)


def test_every_lesson_has_dashboards_that_show_widgets():
    # The browser tests find dashboards from the notebooks: check that reading here, without a browser.
    assert LESSONS, "no lessons in notebooks/"
    for lesson in LESSONS:
        assert lesson.dashboards, f"{lesson.name}: no cell ends with a call to a *_dashboard() function"
        assert set(lesson.dashboards) <= set(lesson.widget_cells), (
            f"{lesson.name}: a dashboard shows no widget"
        )


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.stem for lesson in LESSONS])
def test_lesson_runs_offline_and_its_dashboards_respond(frontend, lesson, page_and_log):
    page, log = page_and_log
    frontend.open(page, lesson)
    try:
        problems = {"errors": frontend.errors(page)}
        shown = frontend.cells(page).count()
        if shown != lesson.n_cells:
            problems["errors"].append(f"{shown} of {lesson.n_cells} cells shown")
        undrawn = wait_for_charts(page, frontend, lesson)
        problems["charts not drawn (cells)"] = [str(index) for index in undrawn]
        problems["widgets or charts that failed"] = widget_errors(page)
        problems["dashboards"] = _dashboard_problems(page, frontend, lesson)
        problems["requests off the machine"] = log.off_machine()
    finally:
        frontend.close(page)
    assert not any(problems.values()), f"{lesson.name} in {frontend.name}:\n{_report(problems)}"


def test_voila_lesson_list_links_every_lesson_offline(voila, page_and_log):
    # What `make demo` opens: the list of lessons, served with the kit's Voila template.
    page, log = page_and_log
    page.goto(voila.server.url(""))
    for lesson in LESSONS:
        link = page.get_by_text(lesson.name, exact=True)
        link.wait_for(state="visible")
    assert log.off_machine() == []
