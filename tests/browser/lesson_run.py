"""One lesson in one frontend, checked: what the lesson tests of each frontend share.

Run every cell, then check that no cell failed, that every chart drew, that moving a control of
each dashboard redraws its chart with other data, and that no request left the machine.
"""

from __future__ import annotations

from kit_browser import (
    CHECKBOXES,
    SLIDER_HANDLES,
    moved_and_redrawn,
    wait_for_charts,
    widget_errors,
)


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
            problems.append(
                f"{name} (cell {index}): {move.control!r} did not move ({move.key}; at {move.before!r})"
            )
        elif not redrawn:
            problems.append(
                f"{name} (cell {index}): {move.control!r} moved to {move.shown} ({move.key}) "
                "but no chart redrew with other data"
            )
    return problems


def _report(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"{kind}:\n  " + "\n  ".join(found) for kind, found in problems.items() if found)


def check_lesson(frontend, lesson, page, log) -> None:
    """Open ``lesson`` in ``frontend`` on ``page``, run it, and fail naming every problem found."""
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
