"""Static HTML for what a notebook cell displays: charts to draw, readouts, described controls.

A chart (``altair.JupyterChart``) becomes an empty ``div.kit-chart`` followed by its Vega-Lite
spec in a ``<script type="application/json">``; the site's ``kit-charts.js`` draws it with
vega-embed, tooltips included. Readouts (``HTML`` and ``Label`` widgets) keep their text.
Controls cannot work on a static page, so each is drawn as a plain description of what it sets,
its starting value and its range; the live dashboard is one launch button away.

Examples
--------
>>> import ipywidgets as widgets
>>> html = render(widgets.VBox([widgets.IntSlider(value=3, min=1, max=9, description="batch")]))
>>> "batch" in html and "3" in html and "1 to 9" in html
True
>>> has_controls(widgets.HTML("<b>readout</b>"))
False
"""

from __future__ import annotations

import html
import json

import altair as alt
import ipywidgets as widgets

MAX_OPTIONS_LISTED = 8
"""A picker with more options than this is described by its first and last option."""


def has_controls(widget) -> bool:
    """Whether the widget, or any widget inside it, is a control a student moves (a dashboard)."""
    if isinstance(widget, widgets.Box):
        return any(has_controls(child) for child in widget.children)
    return _is_control(widget)


def charts(widget) -> list[alt.JupyterChart]:
    """Every chart in the widget, in display order."""
    if isinstance(widget, alt.JupyterChart):
        return [widget]
    if isinstance(widget, widgets.Box):
        return [chart for child in widget.children for chart in charts(child)]
    return []


def chart_spec(chart: alt.JupyterChart) -> dict:
    """The Vega-Lite spec the widget would send to the browser (``.spec``, else ``.chart``)."""
    spec = chart.spec if chart.spec else (chart.chart.to_dict() if chart.chart is not None else None)
    if not spec:
        raise ValueError("a JupyterChart without a chart cannot be drawn on the site")
    return spec


def chart_title(spec: dict) -> str:
    """The chart's title as text (for the chart's accessible name), or ``"chart"``."""
    title = spec.get("title", "")
    if isinstance(title, dict):
        title = title.get("text", "")
    if isinstance(title, list):
        title = " ".join(str(part) for part in title)
    return str(title) or "chart"


def chart_html(chart: alt.JupyterChart) -> str:
    """A placeholder ``kit-charts.js`` draws, and the spec (and vega-embed options) it draws."""
    spec = chart_spec(chart)
    payload = {"spec": spec, "embed_options": dict(chart.embed_options or {})}
    # "</" would end the script element early: JSON allows "<\/" for it.
    text = json.dumps(payload, separators=(",", ":"), sort_keys=True).replace("</", "<\\/")
    label = html.escape(chart_title(spec), quote=True)
    return (
        f'<div class="kit-chart" role="img" aria-label="{label}"></div>'
        f'<script type="application/json" class="kit-chart-spec">{text}</script>'
    )


def render(widget) -> str:
    """Static HTML for a displayed widget (a chart, a readout, a control, or a box of them).

    Raises
    ------
    TypeError
        For a widget the site cannot show (an ``Output`` widget, whose content lives only in a
        kernel, or a kind this module does not know), naming its type.
    """
    if isinstance(widget, alt.JupyterChart):
        return chart_html(widget)
    if isinstance(widget, widgets.Box):
        kind = "kit-hbox" if isinstance(widget, widgets.HBox) else "kit-vbox"
        inner = "".join(render(child) for child in widget.children)
        return f'<div class="kit-box {kind}">{inner}</div>'
    if isinstance(widget, (widgets.HTML, widgets.HTMLMath)):
        return f'<div class="kit-readout">{widget.value}</div>'
    if isinstance(widget, widgets.Label):
        return f'<div class="kit-label">{html.escape(widget.value)}</div>'
    if _is_control(widget):
        return control_html(widget)
    raise TypeError(
        f"the website cannot show a {type(widget).__name__} widget statically; "
        "it can show charts, boxes, HTML and Label readouts, and controls"
    )


def _is_control(widget) -> bool:
    return isinstance(widget, (widgets.ValueWidget, widgets.Button)) and not isinstance(
        widget, (widgets.HTML, widgets.HTMLMath, widgets.Label)
    )


def _format(value, fmt: str = "") -> str:
    """A number the way the slider's readout shows it (its d3 format, where Python reads it)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    try:
        return format(value, fmt.replace("~", "")) if fmt else f"{value:,}"
    except ValueError:
        return f"{value:,}"


def _option_labels(widget) -> list[str]:
    labels = getattr(widget, "_options_labels", None)
    return [str(label) for label in (labels if labels is not None else widget.options)]


def describe_control(widget) -> tuple[str, str, str]:
    """(what it sets, its starting value, what it can be set to), as plain text.

    >>> describe_control(widgets.FloatSlider(value=0.7, min=0.3, max=1.0, step=0.01,
    ...                                      description="MFU", readout_format=".2f"))
    ('MFU', '0.70', '0.30 to 1.00 in steps of 0.01')
    >>> describe_control(widgets.Dropdown(options=["fp8", "bf16"], value="fp8", description="weights"))
    ('weights', 'fp8', 'one of: fp8, bf16')
    """
    what = (widget.description or getattr(widget, "tooltip", "") or type(widget).__name__).strip()
    if isinstance(widget, widgets.Button):
        return what, "a button", getattr(widget, "tooltip", "") or "press to apply"
    if isinstance(widget, widgets.Checkbox):
        return what, "ticked" if widget.value else "not ticked", "tick or untick"
    if hasattr(widget, "options"):
        labels = _option_labels(widget)
        chosen = str(getattr(widget, "label", widget.value))
        if len(labels) > MAX_OPTIONS_LISTED:
            return what, chosen, f"{len(labels)} settings from {labels[0]} to {labels[-1]}"
        return what, chosen, "one of: " + ", ".join(labels)
    if hasattr(widget, "min") and hasattr(widget, "max"):
        fmt = getattr(widget, "readout_format", "")
        fmt = "" if isinstance(widget, widgets.IntSlider) else fmt
        span = f"{_format(widget.min, fmt)} to {_format(widget.max, fmt)}"
        step = getattr(widget, "step", None)
        if step and not (isinstance(widget, widgets.IntSlider) and step == 1):
            span += f" in steps of {_format(step, fmt if fmt.endswith('f') else '')}"
        return what, _format(widget.value, fmt), span
    if isinstance(widget.value, str):
        return what, widget.value, "any text"
    return what, str(widget.value), ""


def control_html(widget) -> str:
    """A control drawn as what it sets, where it starts and its range (it does nothing here)."""
    what, value, span = (html.escape(part) for part in describe_control(widget))
    if isinstance(widget, (widgets.Textarea, widgets.Text)):
        return (
            f'<div class="kit-control kit-control-text"><span class="kit-control-name">{what}</span>'
            f'<pre class="kit-control-value">{value}</pre></div>'
        )
    return (
        f'<div class="kit-control"><span class="kit-control-name">{what}</span> '
        f'<span class="kit-control-value">{value}</span> '
        f'<span class="kit-control-range">({span})</span></div>'
    )
