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

The legend titled "data quality" names the qualities the chart draws, and only those
(:func:`style` trims it, see :func:`drawn_qualities`); a chart whose marks all share one quality
has no quality legend and says the quality once in its subtitle (:data:`ONE_QUALITY_NOTE`).

Text on charts is never cut short (:func:`theme` lifts Vega-Lite's label limits), and numbers
are written for people: :func:`format_usd` ("$0.96"), :func:`format_tokens` ("64,000") and
:func:`format_tokens_short` ("64K"), with the matching d3 formats :data:`USD_FORMAT` and
:data:`TOKENS_FORMAT` for tooltips and axes.

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
import pandas as pd

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

USD_FORMAT = "$,.2f"
"""d3 format of a price in dollars for tooltips and axes: 0.96 shows as "$0.96"."""

TOKENS_FORMAT = ",.0f"
"""d3 format of a token count for tooltips and axes: 64000 shows as "64,000"."""

ONE_QUALITY_NOTE = {
    "reported": "all values reported: written in their sources (filled circles, solid lines)",
    "chart-read": "all values chart-read: read off a chart, approximate (hollow rings, dotted lines)",
    "derived": "all values derived: computed by the kit from cited figures (triangles, long dashes)",
    "illustrative": "all values illustrative: teaching values, not data (dashed rings, dashed lines)",
}
"""What a subtitle says when every mark of a chart shares one quality (then no quality legend)."""

MODEL_COMPUTATION = "model computation"
"""How a subtitle starts when a chart draws the kit's own model computation: such a chart gets no
:data:`ONE_QUALITY_NOTE`, which would call the computed values "written in their sources"."""


def format_usd(usd: float, digits: int = 2, max_digits: int | None = None) -> str:
    """A dollar amount for people: ``format_usd(0.96)`` is "$0.96".

    Parameters
    ----------
    usd : float
        The amount, in US dollars.
    digits : int
        Decimals shown (default 2, cents). A small amount gets more, up to 6, so that it keeps
        two significant digits ($0.035, not $0.04).
    max_digits : int, optional
        For quoted prices: show up to this many decimals, dropping trailing zeros down to
        ``digits`` (0.135 is "$0.135", 0.55 is "$0.55").

    Examples
    --------
    >>> format_usd(0.96), format_usd(2.5), format_usd(0.035), format_usd(562027, 0)
    ('$0.96', '$2.50', '$0.035', '$562,027')
    >>> format_usd(0.135, max_digits=3), format_usd(0.55, max_digits=3)
    ('$0.135', '$0.55')
    """
    value = float(usd)
    if not np.isfinite(value):
        raise ValueError(f"usd must be a finite number of dollars (got {usd!r})")
    shown = digits
    while value and abs(value) < 10 ** (1 - shown) and shown < 6:
        shown += 1
    if max_digits is not None:
        while shown < max_digits and abs(round(value, shown) - value) > 1e-12:
            shown += 1
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.{shown}f}"


def format_tokens(tokens: float) -> str:
    """A token count for people, in full with thousands separators: 64000.0 is "64,000".

    Examples
    --------
    >>> format_tokens(64000.0), format_tokens(163840)
    ('64,000', '163,840')
    """
    value = float(tokens)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"tokens must be a finite count >= 0 (got {tokens!r})")
    return f"{value:,.0f}"


def format_tokens_short(tokens: float) -> str:
    """A token count for people, short: 64000 is "64K", 163840 is "164K", 1.5e6 is "1.5M".

    Examples
    --------
    >>> [format_tokens_short(n) for n in (64000, 163840, 512, 1.5e6)]
    ['64K', '164K', '512', '1.5M']
    """
    value = float(tokens)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"tokens must be a finite count >= 0 (got {tokens!r})")
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if value >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.0f}"


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
            "labelLimit": 0,
            "labelFontSize": 12,
            "titleFontSize": 13,
            "titleFontWeight": "normal",
            "gridColor": "#e6e6e6",
        },
        "legend": {
            "labelFontSize": 12,
            "titleFontSize": 12,
            "symbolSize": 90,
            "labelLimit": 0,
            "titleLimit": 0,
        },
        "range": {"category": list(OKABE_ITO)},
    }


def style(chart, description: str):
    """Apply :func:`theme` and a text description to ``chart``; return the styled chart.

    The description is Vega-Lite's ``description``: screen readers announce it and it says in
    words what the chart shows. A styled chart carries its configuration, so it cannot be
    layered again; layer first, then style.

    Every "data quality" legend made by :func:`quality_encoding` is trimmed to the qualities the
    chart's data hold (:func:`drawn_qualities`). When they hold one quality only, the legend is
    left out and the subtitle says it once (:data:`ONE_QUALITY_NOTE`), unless it already names
    that quality.

    Examples
    --------
    >>> import pandas as pd
    >>> chart = style(alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x"), "One point.")
    >>> chart.to_dict()["description"]
    'One point.'
    """
    if not description:
        raise ValueError("description must say in words what the chart shows (got an empty string)")
    chart = chart.properties(description=description)
    _match_quality_legends(chart)
    return chart.configure(**theme())


def shallow_copy(chart):
    """A copy of an altair object that shares every part with it: a fast copy for dashboards.

    Setting a property on the copy (``copy.data = rows``) leaves ``chart`` unchanged; changing a
    part in place would change both. altair's own ``chart.copy(deep=False)`` builds the chart
    again, and a layered or concatenated chart then copies all its layers deeply (the slow part
    of a redraw).

    Examples
    --------
    >>> chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_point()
    >>> copy = shallow_copy(chart)
    >>> copy.data = pd.DataFrame({"x": [2]})
    >>> chart.data["x"].tolist(), copy.mark is chart.mark
    ([1], True)
    """
    copy = object.__new__(type(chart))
    object.__setattr__(copy, "_args", chart._args)
    object.__setattr__(copy, "_kwds", dict(chart._kwds))
    return copy


def swap_data(chart, rows: pd.DataFrame, description: str):
    """A copy of a styled ``chart`` with new ``rows`` and ``description``: a fast dashboard update.

    Only the data and the words change; the quality legend and the subtitle's note on a lone
    quality are matched again to the new rows (:func:`style`), so a dashboard that turns a
    derived result illustrative shows it in the legend. ``chart`` itself is left unchanged.

    Examples
    --------
    >>> rows = pd.DataFrame({"x": [1, 2], "quality": "derived"})
    >>> chart = style(alt.Chart(rows, title="t").mark_point().encode(x="x:Q", **quality_encoding()), "two")
    >>> new = swap_data(chart, rows.assign(quality=["derived", "illustrative"]), "two, one illustrative")
    >>> new.to_dict()["encoding"]["shape"]["legend"]["values"], "subtitle" in new.to_dict()["title"]
    (['derived', 'illustrative'], False)
    """
    same_qualities = isinstance(chart.data, pd.DataFrame) and _qualities(chart.data) == _qualities(rows)
    # A deep copy (slower) only when the legends must change.
    new = shallow_copy(chart) if same_qualities else chart.copy(deep=True)
    new.data = rows
    new.description = description
    if not same_qualities:
        _match_quality_legends(new)
    return new


def _qualities(rows: pd.DataFrame) -> dict:
    return {column: frozenset(rows[column].dropna()) for column in rows.columns if "quality" in column}


def _match_quality_legends(chart) -> None:
    """Trim the quality legends to the qualities drawn, and say a lone quality in the subtitle."""
    _drop_quality_note(chart)
    lone = _trim_quality_legends(chart, None)
    if len(lone) == 1:
        _say_quality_in_subtitle(chart, lone.pop())


QUALITY_CHANNELS = ("shape", "strokeDash")
"""The encoding channels :func:`quality_encoding` makes (points and lines)."""


def drawn_qualities(chart, field: str = "quality") -> list[str]:
    """The data qualities a chart's data hold, in the order of :data:`tokenomics.data.QUALITY_LABELS`.

    Reads the ``field`` column of every data frame in the chart (its own data and its layers').
    A layer's filters are not applied, so the answer may hold a quality that a filtered layer
    does not draw, never miss one that it does.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"x": [1, 2], "quality": ["derived", "chart-read"]})
    >>> drawn_qualities(alt.Chart(rows).mark_point().encode(x="x:Q", **quality_encoding()))
    ['chart-read', 'derived']
    """
    found: set[str] = set()
    for data in _frames(chart, None):
        if field in data.columns:
            found.update(str(q) for q in data[field].dropna())
    return [q for q in QUALITY_LABELS if q in found]


def _get(obj, key):
    """A property of an altair object (``obj.legend`` on a channel is a setter method, not the value)."""
    return obj._get(key) if isinstance(obj, alt.SchemaBase) else alt.Undefined


def _parts(chart) -> list:
    parts = []
    for key in ("layer", "hconcat", "vconcat", "concat"):
        value = _get(chart, key)
        if value is not alt.Undefined:
            parts.extend(value)
    spec = _get(chart, "spec")
    if spec is not alt.Undefined:
        parts.append(spec)
    return parts


def _frames(chart, inherited):
    own = _get(chart, "data")
    data = own if isinstance(own, pd.DataFrame) else inherited
    if isinstance(data, pd.DataFrame):
        yield data
    for part in _parts(chart):
        yield from _frames(part, data)


def _trim_quality_legends(chart, inherited) -> set[str]:
    """Set each quality legend's ``values`` to the qualities drawn; hide it when there is one.

    Returns the qualities of the legends it hid, so :func:`style` can put them in the subtitle.
    The scale keeps all four qualities, so a dashboard that swaps the data keeps each mark's shape.
    """
    own = _get(chart, "data")
    data = own if isinstance(own, pd.DataFrame) else inherited
    hidden: set[str] = set()
    encoding = _get(chart, "encoding")
    if encoding is not alt.Undefined and isinstance(data, pd.DataFrame):
        for name in QUALITY_CHANNELS:
            channel = _get(encoding, name)
            if not _is_quality_channel(channel):
                continue
            shorthand = _get(channel, "shorthand")
            field = str(shorthand).split(":")[0] if shorthand is not alt.Undefined else "quality"
            drawn = drawn_qualities(alt.Chart(data), field)
            if len(drawn) == 1:
                channel["legend"] = None
                hidden.add(drawn[0])
            else:
                channel["legend"] = _quality_legend(drawn or list(QUALITY_LABELS))
    for part in _parts(chart):
        hidden |= _trim_quality_legends(part, data)
    return hidden


def _quality_legend(values: list[str] | None = None) -> alt.Legend:
    legend = alt.Legend(title="data quality", symbolFillColor="#555555", symbolStrokeColor="#555555")
    if values is not None:
        legend["values"] = list(values)
    return legend


def _is_quality_channel(channel) -> bool:
    """A channel made by :func:`quality_encoding`: its scale maps the four quality words."""
    scale = _get(channel, "scale")
    if not isinstance(scale, alt.SchemaBase) or list(_get(scale, "domain") or []) != list(QUALITY_LABELS):
        return False
    legend = _get(channel, "legend")
    return legend is None or (isinstance(legend, alt.SchemaBase) and _get(legend, "title") == "data quality")


def _drop_quality_note(chart) -> None:
    """Remove a note :func:`_say_quality_in_subtitle` added, so the rows' qualities can be matched again."""
    title = _get(chart, "title")
    subtitle = _get(title, "subtitle") if isinstance(title, alt.SchemaBase) else alt.Undefined
    if subtitle is alt.Undefined or not subtitle:
        return
    lines = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    kept = [line for line in lines if line not in ONE_QUALITY_NOTE.values()]
    if len(kept) != len(lines):
        title["subtitle"] = kept[0] if len(kept) == 1 else (kept or alt.Undefined)


def _say_quality_in_subtitle(chart, quality: str) -> None:
    title = _get(chart, "title")
    if title is alt.Undefined:
        return
    if isinstance(title, str):
        chart["title"] = alt.Title(title, subtitle=ONE_QUALITY_NOTE[quality])
        return
    subtitle = _get(title, "subtitle")
    if subtitle is alt.Undefined or not subtitle:
        title["subtitle"] = ONE_QUALITY_NOTE[quality]
        return
    lines = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    # A subtitle that says the values are the kit's own model computation already says what they
    # are; "written in their sources" would be wrong for them.
    if not any(quality in line or line.startswith(MODEL_COMPUTATION) for line in lines):
        title["subtitle"] = [*lines, ONE_QUALITY_NOTE[quality]]


def quality_encoding(mark: str = "point", field: str = "quality") -> dict:
    """An encoding channel that shows data quality, with one legend titled "data quality".

    For points (``mark="point"``): reported values are filled circles, chart-read values hollow
    rings, derived values filled triangles and illustrative values dashed rings
    (:data:`QUALITY_SHAPES`). For lines (``mark="line"``): solid, dotted, long dashes, dashes
    (:data:`QUALITY_STROKE_DASH`). The scale holds all four words, so each quality keeps its
    look whatever the data; :func:`style` then trims the legend to the qualities drawn.

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
    legend = _quality_legend()
    if mark == "point":
        scale = alt.Scale(domain=domain, range=[QUALITY_SHAPES[q] for q in domain])
        return {"shape": alt.Shape(f"{field}:N", scale=scale, legend=legend)}
    if mark == "line":
        scale = alt.Scale(domain=domain, range=[QUALITY_STROKE_DASH[q] for q in domain])
        return {"strokeDash": alt.StrokeDash(f"{field}:N", scale=scale, legend=legend)}
    raise ValueError(f"mark must be 'point' or 'line' (got {mark!r})")
