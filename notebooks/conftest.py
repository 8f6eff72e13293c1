"""While nbval runs a lesson, check that the views stored with its widget outputs are current.

nbval compares each cell's fresh outputs with the stored ones but skips widget outputs (their
model ids are random) and output metadata. Each widget output carries its view in that
metadata (``scripts/execute_notebooks.py``; the website is drawn from it): a chart's Vega-Lite
spec, a dashboard's controls, readouts and charts. Here the widget states the kernel sends
while nbval runs the lesson are collected, and after each cell the view of every widget it
shows must equal the stored one. A lesson whose chart code changed without ``make notebooks``
fails at the cell that shows the chart, with no second run of the lesson.
"""

from __future__ import annotations

import pytest

from tokenomics.widget_views import VIEW_KEY, WIDGET_VIEW, view_from_states

_STATES = "_kit_widget_states"


def _widget_states(notebook_file) -> dict[str, dict]:
    """The states the notebook's kernel has sent so far (recorded as nbval reads its messages)."""
    if not hasattr(notebook_file, _STATES):
        states: dict[str, dict] = {}
        read = notebook_file.get_kernel_message

        def recording(*args, **kwargs):
            message = read(*args, **kwargs)
            if message["msg_type"] in ("comm_open", "comm_msg"):
                data = message["content"].get("data", {})
                if "state" in data:
                    states.setdefault(message["content"]["comm_id"], {}).update(data["state"])
            return message

        notebook_file.get_kernel_message = recording
        setattr(notebook_file, _STATES, states)
    return getattr(notebook_file, _STATES)


def first_difference(stored, fresh, path: str = "view") -> str:
    """Where two views first differ, as ``view.children[1].spec.title: 'a' != 'b'``; "" if equal.

    >>> first_difference({"spec": {"title": "a"}}, {"spec": {"title": "b"}})
    "view.spec.title: 'a' != 'b'"
    """
    if isinstance(stored, dict) and isinstance(fresh, dict):
        for key in sorted(set(stored) | set(fresh), key=str):
            if key not in stored or key not in fresh:
                return f"{path}.{key}: only in the {'fresh' if key in fresh else 'stored'} view"
            found = first_difference(stored[key], fresh[key], f"{path}.{key}")
            if found:
                return found
        return ""
    if isinstance(stored, list) and isinstance(fresh, list):
        if len(stored) != len(fresh):
            return f"{path}: {len(stored)} items stored, {len(fresh)} now"
        for index, (old, new) in enumerate(zip(stored, fresh, strict=True)):
            found = first_difference(old, new, f"{path}[{index}]")
            if found:
                return found
        return ""
    return "" if stored == fresh else f"{path}: {str(stored)[:80]!r} != {str(fresh)[:80]!r}"


def stale_views(stored_outputs, fresh_outputs, states: dict[str, dict]) -> list[str]:
    """What is wrong with the stored views of a cell's widget outputs, given its fresh outputs."""
    stored = [out for out in stored_outputs if WIDGET_VIEW in out.get("data", {})]
    fresh = [out for out in fresh_outputs if WIDGET_VIEW in out.get("data", {})]
    if len(stored) != len(fresh):
        return [f"{len(stored)} widget outputs stored, {len(fresh)} now"]
    problems = []
    for number, (old, new) in enumerate(zip(stored, fresh, strict=True)):
        views = (old.get("metadata", {}).get(VIEW_KEY) or {}).get("views")
        if not views:
            problems.append(f"widget output {number} has no stored view")
            continue
        found = first_difference(views, [view_from_states(states, new["data"][WIDGET_VIEW]["model_id"])])
        if found:
            problems.append(f"widget output {number} differs: {found}")
    return problems


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    if type(item).__name__ != "IPyNbCell":
        return (yield)
    states = _widget_states(item.parent)
    result = yield
    problems = stale_views(item.cell.get("outputs", []), item.test_outputs or [], states)
    if problems:
        # As nbval reports a cell whose outputs differ: the cell's number, the message, its source.
        item.raise_cell_error(
            "The stored view of what this cell shows is not what the lesson's code shows now "
            "(run `make notebooks`): " + "; ".join(problems)
        )
    return result
