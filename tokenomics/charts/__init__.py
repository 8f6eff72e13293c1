"""Altair chart builders with one look: a colour-blind-safe palette, titles and axis titles with
units, tooltips, a text description, and data quality shown on the mark itself.

Every builder returns an altair chart (never a widget), so the same chart can be shown in a
notebook, driven by a dashboard (:mod:`tokenomics.dashboards`) or saved as PNG/SVG with
``vl-convert-python``. Every builder applies :func:`style`, which sets :func:`theme`'s
configuration on the chart.

Data quality, the same on every chart (see :data:`tokenomics.data.QUALITY_LABELS` and
:func:`quality_encoding`):

- ``reported`` (the number is written in the source): a filled circle; a solid line;
- ``chart-read`` (read off a chart, approximate): a hollow ring; a dotted line;
- ``derived`` (arithmetic on cited figures): a filled triangle; a line of long dashes;
- ``illustrative`` (a teaching value, never a fact): a dashed ring; a dashed line.

The legend titled "data quality" names the four words, so a student never mistakes an estimate
for a fact.

One module per lesson holds that lesson's chart builders (:mod:`tokenomics.charts.calibration`);
this module holds what they share.

Examples
--------
>>> import altair as alt, pandas as pd
>>> chart = style(alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q"), "One point.")
>>> chart.to_dict()["description"]
'One point.'
"""

from __future__ import annotations

import altair as alt
import numpy as np

from tokenomics.data import QUALITY_LABELS

OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#D55E00",  # vermillion
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)
"""The Okabe-Ito palette (Okabe and Ito, "Color Universal Design", 2002): eight colours that
people with the common forms of colour blindness can tell apart. Yellow comes late because it
is hard to see on white."""

GREY = "#6b6b6b"
"""Reference lines and bands (zero error, the +/-25% band)."""

FONT = "Helvetica, Arial, sans-serif"


def _num(x: float) -> str:
    text = f"{x:.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _ring_path(inner: float = 0.55, dashes: int = 0) -> str:
    """An SVG path (Vega symbol units, radius 1) for a hollow ring, whole or cut into ``dashes`` arcs.

    The inner circle is drawn against the outer one, so the non-zero fill rule leaves it empty:
    a filled "ring" looks like a hollow circle, in the chart and in its legend alike.
    """
    r = _num(inner)
    if not dashes:
        return f"M1,0A1,1,0,1,1,-1,0A1,1,0,1,1,1,0ZM{r},0A{r},{r},0,1,0,-{r},0A{r},{r},0,1,0,{r},0Z"
    parts = []
    for k in range(dashes):
        a0, a1 = 2 * np.pi * k / dashes, 2 * np.pi * (k + 0.6) / dashes
        parts.append(
            f"M{_num(np.cos(a0))},{_num(np.sin(a0))}A1,1,0,0,1,{_num(np.cos(a1))},{_num(np.sin(a1))}"
            f"L{_num(inner * np.cos(a1))},{_num(inner * np.sin(a1))}"
            f"A{r},{r},0,0,0,{_num(inner * np.cos(a0))},{_num(inner * np.sin(a0))}Z"
        )
    return "".join(parts)


QUALITY_SHAPES = {
    "reported": "circle",
    "chart-read": _ring_path(),
    "derived": "triangle-up",
    "illustrative": _ring_path(0.6, dashes=8),
}
"""Point shape by data quality: filled circle, hollow ring, filled triangle, dashed ring."""

QUALITY_STROKE_DASH = {"reported": [1, 0], "chart-read": [2, 2], "derived": [7, 3], "illustrative": [4, 4]}
"""Line style by data quality: solid, dotted, long dashes, dashes."""


def theme() -> dict:
    """The kit's chart configuration: fonts, font sizes, title and axis styles, the palette.

    Returns
    -------
    dict
        Keyword arguments for :meth:`altair.Chart.configure` (a Vega-Lite ``config``).

    Examples
    --------
    >>> theme()["range"]["category"][0]
    '#0072B2'
    """
    return {
        "font": FONT,
        "background": "white",
        "view": {"stroke": None},
        "title": {"fontSize": 16, "anchor": "start", "subtitleFontSize": 12, "subtitleColor": "#444444"},
        "axis": {
            "labelFontSize": 12,
            "titleFontSize": 13,
            "titleFontWeight": "normal",
            "gridColor": "#e6e6e6",
        },
        "legend": {"labelFontSize": 12, "titleFontSize": 12, "symbolSize": 90},
        "range": {"category": list(OKABE_ITO)},
    }


def style(chart, description: str):
    """Apply :func:`theme` and a text description to ``chart``; return the styled chart.

    The description is Vega-Lite's ``description``: screen readers announce it and it says in
    words what the chart shows. A styled chart carries its configuration, so it cannot be
    layered again; layer first, then style.

    Examples
    --------
    >>> import pandas as pd
    >>> chart = style(alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x"), "One point.")
    >>> chart.to_dict()["description"]
    'One point.'
    """
    if not description:
        raise ValueError("description must say in words what the chart shows (got an empty string)")
    return chart.properties(description=description).configure(**theme())


def quality_encoding(mark: str = "point", field: str = "quality") -> dict:
    """An encoding channel that shows data quality, with one legend titled "data quality".

    For points (``mark="point"``): reported values are filled circles, chart-read values hollow
    rings, derived values filled triangles and illustrative values dashed rings
    (:data:`QUALITY_SHAPES`). For lines (``mark="line"``): solid, dotted, long dashes, dashes
    (:data:`QUALITY_STROKE_DASH`). The legend always lists all four words, so students learn
    the vocabulary even when a chart holds only one kind.

    Parameters
    ----------
    mark : {"point", "line"}
        The kind of mark the encoding goes on.
    field : str
        The column holding the quality word.

    Returns
    -------
    dict
        One channel (``shape`` or ``strokeDash``), to pass as ``.encode(**quality_encoding())``.

    Examples
    --------
    >>> list(quality_encoding())
    ['shape']
    >>> quality_encoding("line")["strokeDash"].to_dict()["legend"]["title"]
    'data quality'
    """
    domain = list(QUALITY_LABELS)
    legend = alt.Legend(title="data quality", symbolFillColor="#555555", symbolStrokeColor="#555555")
    if mark == "point":
        scale = alt.Scale(domain=domain, range=[QUALITY_SHAPES[q] for q in domain])
        return {"shape": alt.Shape(f"{field}:N", scale=scale, legend=legend)}
    if mark == "line":
        scale = alt.Scale(domain=domain, range=[QUALITY_STROKE_DASH[q] for q in domain])
        return {"strokeDash": alt.StrokeDash(f"{field}:N", scale=scale, legend=legend)}
    raise ValueError(f"mark must be 'point' or 'line' (got {mark!r})")
