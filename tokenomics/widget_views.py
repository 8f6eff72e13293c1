"""What a displayed widget shows, as plain JSON: for pages that have no kernel behind them.

A lesson is stored without widget state (it would make the files large and change on every
run), so a stored chart or dashboard output is only a reference to a widget that lived in a
kernel. ``scripts/execute_notebooks.py`` therefore stores, with every widget output, its *view*:
the tree of what it showed when the cell ran. The website (``make book``) draws the pages from
these views and runs nothing. A view is made from widget states as ipywidgets sends them to a
frontend (``{model id: state}``, the state of a ``Box`` naming its children as
``"IPY_MODEL_<id>"``), so the same code serves a kernel's messages and widgets in this process.

A view is a dict with the widget's kind (its model name without ``Model``) under ``"widget"``:

- a box (``VBox``, ``HBox``, ``Box``, ``GridBox``): ``"children"``, a list of views;
- a chart (``altair.JupyterChart``, kind ``"JupyterChart"``): its Vega-Lite ``"spec"`` and
  ``"embed_options"``;
- anything else: the few state fields a static page can show (:data:`SHOWN_FIELDS`), e.g.
  ``"value"`` of an ``HTML`` readout, or ``"description"``, ``"value"``, ``"min"``, ``"max"``
  of a slider; a picker's option labels are ``"options"``, its chosen one ``"index"``.

Examples
--------
>>> import ipywidgets as widgets
>>> view = view_of(widgets.VBox([widgets.IntSlider(value=3, min=1, max=9, description="batch")]))
>>> view["widget"], [(c["widget"], c["description"], c["value"], c["max"]) for c in view["children"]]
('VBox', [('IntSlider', 'batch', 3, 9)])
"""

from __future__ import annotations

import copy

VIEW_KEY = "tokenomics"
"""The key of an output's metadata (or an unrun cell's) that holds the views: ``{"views": [...]}``."""

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
"""The mime type of a widget output (a reference to a widget in the kernel)."""

SHOWN_FIELDS = (
    "description",
    "tooltip",
    "value",
    "min",
    "max",
    "step",
    "readout_format",
    "index",
)
"""The state fields a view keeps of a widget that is neither a box nor a chart."""

BOXES = ("Box", "VBox", "HBox", "GridBox")
CHART = "JupyterChart"
MODEL_REFERENCE = "IPY_MODEL_"


def _kind(state: dict) -> str:
    name = str(state.get("_model_name", ""))
    if name == "AnyModel" and "spec" in state and "embed_options" in state:
        return CHART  # altair's JupyterChart is an anywidget
    return name.removesuffix("Model")


def view_from_states(states: dict[str, dict], model_id: str) -> dict:
    """The view of the widget ``model_id``, from the states of it and every widget inside it.

    Parameters
    ----------
    states : dict
        ``{model id: state}``, each state as ipywidgets sends it (``get_state()``).
    model_id : str
        The widget shown (the ``model_id`` of its widget-view output).

    Returns
    -------
    dict
        A JSON-ready view (a copy: changing it changes no state).

    Raises
    ------
    KeyError
        When the state of ``model_id``, or of a widget inside it, is missing.
    ValueError
        When a chart has no spec.

    Examples
    --------
    >>> states = {"a": {"_model_name": "VBoxModel", "children": ["IPY_MODEL_b"]},
    ...           "b": {"_model_name": "HTMLModel", "value": "<b>42</b> $/Mtok", "layout": "IPY_MODEL_c"}}
    >>> view_from_states(states, "a")
    {'widget': 'VBox', 'children': [{'widget': 'HTML', 'value': '<b>42</b> $/Mtok'}]}
    """
    if model_id not in states:
        raise KeyError(f"model_id {model_id!r}: no widget state with that id (the widget was never sent)")
    state = states[model_id]
    kind = _kind(state)
    if kind in BOXES:
        children = [str(child).removeprefix(MODEL_REFERENCE) for child in state.get("children", [])]
        return {"widget": kind, "children": [view_from_states(states, child) for child in children]}
    if kind == CHART:
        if not state.get("spec"):
            raise ValueError(f"model_id {model_id!r}: a JupyterChart without a spec (no chart was set)")
        return {
            "widget": kind,
            "spec": copy.deepcopy(state["spec"]),
            "embed_options": copy.deepcopy(state.get("embed_options") or {}),
        }
    view = {"widget": kind}
    view.update({field: copy.deepcopy(state[field]) for field in SHOWN_FIELDS if field in state})
    if "_options_labels" in state:
        view["options"] = list(state["_options_labels"])
    return view


def _states(widget, found: dict[str, dict]) -> dict[str, dict]:
    found[widget.model_id] = widget.get_state()
    for child in getattr(widget, "children", ()):
        _states(child, found)
    return found


def view_of(widget) -> dict:
    """The view of a widget object in this process (the same view a kernel's messages give).

    Parameters
    ----------
    widget : ipywidgets.Widget
        A chart, a dashboard or any widget.

    Returns
    -------
    dict
        Its view (see the module's description).
    """
    return view_from_states(_states(widget, {}), widget.model_id)
