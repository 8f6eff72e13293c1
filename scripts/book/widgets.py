"""Static HTML for what a notebook cell displayed, from its stored view: charts, readouts, controls.

A view (:mod:`tokenomics.widget_views`) is stored with each widget output by ``make notebooks``:
plain JSON, so nothing here needs a widget, a kernel or the lesson's code. A chart becomes an
empty ``div.kit-chart`` followed by its Vega-Lite spec in a ``<script type="application/json">``;
the site's ``kit-charts.js`` draws it with vega-embed, tooltips included. Readouts (``HTML`` and
``Label`` widgets) keep their text. Controls cannot work on a static page, so each is drawn as a
plain description of what it sets, its starting value and its range; the live dashboard is one
launch button away.

Examples
--------
>>> board = {"widget": "VBox", "children": [
...     {"widget": "IntSlider", "description": "batch", "value": 3, "min": 1, "max": 9, "step": 1}]}
>>> html = render(board)
>>> "batch" in html and "3" in html and "1 to 9" in html
True
>>> has_controls({"widget": "HTML", "value": "<b>readout</b>"})
False
"""

from __future__ import annotations

import html
import json

MAX_OPTIONS_LISTED = 8
"""A picker with more options than this is described by its first and last option."""

BOXES = ("Box", "VBox", "HBox", "GridBox")
READOUTS = ("HTML", "HTMLMath", "Label")
CHART = "JupyterChart"
TEXT_CONTROLS = ("Text", "Textarea")


def has_controls(view: dict) -> bool:
    """Whether the view, or any view inside it, is a control a student moves (a dashboard)."""
    if view["widget"] in BOXES:
        return any(has_controls(child) for child in view["children"])
    return _is_control(view)


def charts(view: dict) -> list[dict]:
    """Every chart view inside ``view``, in display order."""
    if view["widget"] == CHART:
        return [view]
    if view["widget"] in BOXES:
        return [chart for child in view["children"] for chart in charts(child)]
    return []


def chart_title(spec: dict) -> str:
    """The chart's title as text (for the chart's accessible name), or ``"chart"``."""
    title = spec.get("title", "")
    if isinstance(title, dict):
        title = title.get("text", "")
    if isinstance(title, list):
        title = " ".join(str(part) for part in title)
    return str(title) or "chart"


def chart_html(view: dict) -> str:
    """A placeholder ``kit-charts.js`` draws, and the spec (and vega-embed options) it draws.

    Raises
    ------
    ValueError
        For a chart view without a spec.
    """
    spec = view.get("spec")
    if not spec:
        raise ValueError("a chart view without a Vega-Lite spec cannot be drawn on the site")
    payload = {"spec": spec, "embed_options": dict(view.get("embed_options") or {})}
    # "</" would end the script element early: JSON allows "<\/" for it.
    text = json.dumps(payload, separators=(",", ":"), sort_keys=True).replace("</", "<\\/")
    label = html.escape(chart_title(spec), quote=True)
    return (
        f'<div class="kit-chart" role="img" aria-label="{label}"></div>'
        f'<script type="application/json" class="kit-chart-spec">{text}</script>'
    )


def render(view: dict) -> str:
    """Static HTML for a displayed widget's view (a chart, a readout, a control, or a box of them).

    Raises
    ------
    TypeError
        For a widget the site cannot show (an ``Output`` widget, whose content lives only in a
        kernel, or a kind this module does not know), naming its kind.
    """
    kind = view["widget"]
    if kind == CHART:
        return chart_html(view)
    if kind in BOXES:
        css = "kit-hbox" if kind == "HBox" else "kit-vbox"
        inner = "".join(render(child) for child in view["children"])
        return f'<div class="kit-box {css}">{inner}</div>'
    if kind in ("HTML", "HTMLMath"):
        return f'<div class="kit-readout">{view.get("value", "")}</div>'
    if kind == "Label":
        return f'<div class="kit-label">{html.escape(str(view.get("value", "")))}</div>'
    if _is_control(view):
        return control_html(view)
    raise TypeError(
        f"the website cannot show a {kind} widget statically; "
        "it can show charts, boxes, HTML and Label readouts, and controls"
    )


def _is_control(view: dict) -> bool:
    kind = view["widget"]
    if kind in BOXES or kind in READOUTS or kind == CHART:
        return False
    return kind == "Button" or "value" in view or "index" in view


def _format(value, fmt: str = "") -> str:
    """A number the way the slider's readout shows it (its d3 format, where Python reads it)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    try:
        return format(value, fmt.replace("~", "")) if fmt else f"{value:,}"
    except ValueError:
        return f"{value:,}"


def _chosen(view: dict) -> str:
    """The label of the chosen option(s) of a picker."""
    labels, index = view["options"], view.get("index")
    if index is None:
        return "none"
    if isinstance(index, list):
        return ", ".join(labels[i] for i in index) or "none"
    return labels[index]


def describe_control(view: dict) -> tuple[str, str, str]:
    """(what it sets, its starting value, what it can be set to), as plain text.

    >>> describe_control({"widget": "FloatSlider", "value": 0.7, "min": 0.3, "max": 1.0,
    ...                   "step": 0.01, "description": "MFU", "readout_format": ".2f"})
    ('MFU', '0.70', '0.30 to 1.00 in steps of 0.01')
    >>> describe_control({"widget": "Dropdown", "options": ["fp8", "bf16"], "index": 0,
    ...                   "description": "weights"})
    ('weights', 'fp8', 'one of: fp8, bf16')
    """
    kind = view["widget"]
    what = (view.get("description") or view.get("tooltip") or kind).strip()
    if kind == "Button":
        return what, "a button", view.get("tooltip") or "press to apply"
    if kind == "Checkbox":
        return what, "ticked" if view.get("value") else "not ticked", "tick or untick"
    if "options" in view:
        labels = [str(label) for label in view["options"]]
        chosen = _chosen(view)
        if len(labels) > MAX_OPTIONS_LISTED:
            return what, chosen, f"{len(labels)} settings from {labels[0]} to {labels[-1]}"
        return what, chosen, "one of: " + ", ".join(labels)
    value = view.get("value")
    if "min" in view and "max" in view:
        integer = kind.startswith("Int")
        fmt = "" if integer else view.get("readout_format", "")
        span = f"{_format(view['min'], fmt)} to {_format(view['max'], fmt)}"
        step = view.get("step")
        if step and not (integer and step == 1):
            span += f" in steps of {_format(step, fmt if fmt.endswith('f') else '')}"
        return what, _format(value, fmt), span
    if isinstance(value, str):
        return what, value, "any text"
    return what, str(value), ""


def control_html(view: dict) -> str:
    """A control drawn as what it sets, where it starts and its range (it does nothing here)."""
    what, value, span = (html.escape(part) for part in describe_control(view))
    if view["widget"] in TEXT_CONTROLS:
        return (
            f'<div class="kit-control kit-control-text"><span class="kit-control-name">{what}</span>'
            f'<pre class="kit-control-value">{value}</pre></div>'
        )
    return (
        f'<div class="kit-control"><span class="kit-control-name">{what}</span> '
        f'<span class="kit-control-value">{value}</span> '
        f'<span class="kit-control-range">({span})</span></div>'
    )
