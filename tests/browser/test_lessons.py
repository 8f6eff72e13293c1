"""The kit in a real browser: every lesson in JupyterLab and in Voila, offline.

Each frontend has its own module (``test_lessons_in_jupyterlab.py``, ``test_lessons_in_voila.py``),
so that two test workers can run them side by side; what they check is in ``lesson_run.py``. This
module checks, without a browser, that the lessons give those tests something to check.
"""

from __future__ import annotations

from kit_browser import lessons


def test_every_lesson_has_dashboards_that_show_widgets():
    # The browser tests find dashboards from the notebooks: check that reading here, without a browser.
    found = lessons()
    assert found, "no lessons in notebooks/"
    for lesson in found:
        assert lesson.dashboards, f"{lesson.name}: no cell ends with a call to a *_dashboard() function"
        assert set(lesson.dashboards) <= set(lesson.widget_cells), (
            f"{lesson.name}: a dashboard shows no widget"
        )
