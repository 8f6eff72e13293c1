"""The compute-for-AGI lesson's charts: DeepSeek's published day and a fleet split through the day.

Hours on the x axis are counted from noon of the published day (0 = 12:00 UTC+8, 12 =
midnight) and labelled with the local time.

Examples
--------
>>> chart = day_chart(day_data(selected_hour=16))
>>> chart.to_dict()["title"]["text"]
"DeepSeek's published day: nodes serving users and hourly income"
"""

from __future__ import annotations

from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd

from tokenomics import data
from tokenomics.charts import GREY, OKABE_ITO, quality_encoding, shallow_copy, style
from tokenomics.strategy import FleetSplit

HOUR_AXIS = alt.Axis(
    values=list(range(0, 25, 3)),
    labelExpr="format((12 + datum.value) % 24, '02d') + ':00'",
    title="local time (UTC+8), 27-28 February 2025",
)
"""x axis of both charts: hours after noon, labelled with the local time."""

DAY_SERIES = {
    "nodes": "nodes serving users",
    "peak": "peak fleet, 278 nodes",
    "research": "nodes freed for research",
    "income": "theoretical income",
    "selected": "selected hour",
}
DAY_COLOURS = {
    DAY_SERIES["nodes"]: OKABE_ITO[0],
    DAY_SERIES["peak"]: GREY,
    DAY_SERIES["research"]: OKABE_ITO[1],
    DAY_SERIES["income"]: OKABE_ITO[2],
    DAY_SERIES["selected"]: OKABE_ITO[4],
}

FLEET_SERIES = {
    "serving": "serving users",
    "research": "research",
    "others": "demand left to other hosts",
    "needed": "nodes needed for all demand",
    "actual": "DeepSeek's actual nodes",
    "fleet": "fleet",
}
FLEET_COLOURS = {
    FLEET_SERIES["serving"]: OKABE_ITO[0],
    FLEET_SERIES["research"]: OKABE_ITO[1],
    FLEET_SERIES["others"]: OKABE_ITO[5],
    FLEET_SERIES["needed"]: OKABE_ITO[7],
    FLEET_SERIES["actual"]: OKABE_ITO[3],
    FLEET_SERIES["fleet"]: GREY,
}


def clock_labels(hours_after_noon) -> list[str]:
    """Local clock times ("12:00", "01:15", ...) for hours counted from noon."""
    minutes = np.round((12 + np.asarray(hours_after_noon, dtype=float)) % 24 * 60).astype(int)
    return [f"{m // 60:02d}:{m % 60:02d}" for m in minutes]


def day_data(selected_hour: int = 16) -> pd.DataFrame:
    """The rows :func:`day_chart` draws, from ``deepseek_day_nodes`` and ``deepseek_day_income``.

    Parameters
    ----------
    selected_hour : int
        Hour after noon to highlight, 0 to 23 (16 = 04:00).

    Returns
    -------
    DataFrame
        One row per mark: ``panel`` ("nodes" or "income"), ``series``, ``start_h``, ``end_h``,
        ``value`` (nodes or thousand USD), ``peak`` (the peak fleet, on node rows),
        ``time`` (local clock), ``quality`` and ``selected`` (the row covers the selected hour).

    Examples
    --------
    >>> rows = day_data(16)
    >>> rows.loc[rows["selected"] & (rows["series"] == "nodes serving users"), "value"].tolist()
    [68.0]
    """
    hour = int(selected_hour)
    if not 0 <= hour <= 23:
        raise ValueError(f"selected_hour must be in [0, 23] (got {selected_hour!r})")
    rows = _day_rows().copy()
    start, end = rows["start_h"].to_numpy(), rows["end_h"].to_numpy()
    on_nodes = (rows["series"] == DAY_SERIES["nodes"]).to_numpy()
    on_income = (rows["panel"] == "income").to_numpy()
    rows["selected"] = (on_nodes & (start <= hour + 0.5) & (hour + 0.5 < end)) | (on_income & (start == hour))
    rows.loc[on_income & (start == hour), "series"] = DAY_SERIES["selected"]
    return rows


@lru_cache(maxsize=1)
def _day_rows() -> pd.DataFrame:
    """The rows of :func:`day_data` before an hour is selected (loaded once)."""
    curve = data.load("deepseek_day_nodes")
    income = data.load("deepseek_day_income")
    start = curve["start_hours_after_noon"].to_numpy(float)
    end = curve["end_hours_after_noon"].to_numpy(float)
    nodes = curve["nodes"].to_numpy(float)
    peak = float(nodes.max())
    node_rows = pd.DataFrame(
        {
            "panel": "nodes",
            "series": DAY_SERIES["nodes"],
            "start_h": start,
            "end_h": end,
            "value": nodes,
            "peak": peak,
            "time": clock_labels(start),
            "quality": curve["quality"].to_numpy(),
        }
    )
    peak_row = pd.DataFrame(
        {
            "panel": "nodes",
            "series": DAY_SERIES["peak"],
            "start_h": [0.0],
            "end_h": [24.0],
            "value": [peak],
            "peak": [peak],
            "time": ["12:00"],
            "quality": ["reported"],
        }
    )
    hours = income["hours_after_noon"].to_numpy(float)
    income_rows = pd.DataFrame(
        {
            "panel": "income",
            "series": DAY_SERIES["income"],
            "start_h": hours,
            "end_h": hours + 1,
            "value": income["income_thousand_usd"].to_numpy(float),
            "peak": np.nan,
            "time": clock_labels(hours),
            "quality": income["quality"].to_numpy(),
        }
    )
    return pd.concat([node_rows, peak_row, income_rows], ignore_index=True)


def _day_description(rows: pd.DataFrame) -> str:
    nodes = rows[rows["series"] == DAY_SERIES["nodes"]]
    income = rows[rows["panel"] == "income"]
    chosen = income[income["selected"]].iloc[0]
    at = nodes[nodes["selected"]].iloc[0]
    peak = float(at["peak"])
    return (
        f"Two panels sharing a time axis from 12:00 on 27 February to 12:00 on 28 February 2025 "
        f"(UTC+8). Top: H800 nodes serving users, a step curve read off DeepSeek's chart, from "
        f"{nodes['value'].max():.0f} by day down to {nodes['value'].min():.0f} at night; the "
        f"shaded gap up to the {peak:.0f}-node peak is freed for research. Bottom: theoretical "
        f"income per hour in thousand USD, chart-read, from {income['value'].min():.1f} to "
        f"{income['value'].max():.1f}. Selected hour {chosen['time']}: {at['value']:.0f} nodes "
        f"serving, {peak - at['value']:.0f} freed, income {chosen['value']:.1f} thousand USD."
    )


def day_chart(rows: pd.DataFrame, title: str | None = None) -> alt.VConcatChart:
    """DeepSeek's published day: nodes serving users (top) and theoretical income per hour (bottom).

    Top: the step curve of H800 nodes serving users (dotted: chart-read), the peak fleet of 278
    nodes (solid: reported) and the gap between them shaded as nodes freed for research.
    Bottom: the hourly income bars with a hollow ring on each bar (chart-read). The selected
    hour is marked in both panels.

    Parameters
    ----------
    rows : DataFrame
        As returned by :func:`day_data`.
    title : str, optional
        The chart title.

    Returns
    -------
    altair.VConcatChart
        Its data (``chart.data``) is ``rows``.

    Examples
    --------
    >>> chart = day_chart(day_data(3))
    >>> len(chart.vconcat)
    2
    """
    title = title or "DeepSeek's published day: nodes serving users and hourly income"
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(domain=list(DAY_COLOURS), range=list(DAY_COLOURS.values())),
        legend=alt.Legend(title=None, orient="right"),
    )
    x = alt.X("start_h:Q", scale=alt.Scale(domain=[0, 24], nice=False), axis=HOUR_AXIS)
    tooltip = [
        alt.Tooltip("time:N", title="from (local time)"),
        alt.Tooltip("series:N", title="series"),
        alt.Tooltip("value:Q", title="value", format=",.1f"),
        alt.Tooltip("quality:N", title="data quality"),
    ]
    nodes_y = alt.Y("value:Q", title="H800 nodes (8 GPUs each)", scale=alt.Scale(domain=[0, 300]))
    on_nodes = alt.datum.panel == "nodes"
    freed = (
        alt.Chart()
        .transform_filter((alt.datum.series == DAY_SERIES["nodes"]) & (alt.datum.value < alt.datum.peak))
        .transform_calculate(series=f"'{DAY_SERIES['research']}'", freed="datum.peak - datum.value")
        .mark_rect(opacity=0.45)
        .encode(
            x=x,
            x2="end_h:Q",
            y=nodes_y,
            y2="peak:Q",
            color=colour,
            tooltip=[tooltip[0], alt.Tooltip("freed:Q", title="nodes freed for research", format=".0f")],
        )
    )
    levels = (
        alt.Chart()
        .transform_filter(on_nodes)
        .mark_rule(strokeWidth=3)
        .encode(x=x, x2="end_h:Q", y=nodes_y, color=colour, tooltip=tooltip, **quality_encoding("line"))
    )
    marker = alt.Chart().transform_filter(alt.datum.selected).mark_rule(color=OKABE_ITO[4], strokeWidth=2)
    top = alt.layer(
        freed,
        levels,
        marker.transform_filter(alt.datum.panel == "income").encode(x=alt.X("start_h:Q", axis=HOUR_AXIS)),
    ).properties(
        width=560, height=210, title="H800 nodes serving users; the gap up to the peak goes to research"
    )
    income_y = alt.Y("value:Q", title="theoretical income, thousand USD per hour")
    bars = (
        alt.Chart()
        .transform_filter(alt.datum.panel == "income")
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(x=x, x2="end_h:Q", y=income_y, color=colour, tooltip=tooltip)
    )
    rings = (
        alt.Chart()
        .transform_filter(alt.datum.panel == "income")
        .transform_calculate(mid_h="datum.start_h + 0.5")
        .mark_point(filled=True, size=45, color="#333333", strokeWidth=0)
        .encode(x=alt.X("mid_h:Q", axis=HOUR_AXIS), y=income_y, tooltip=tooltip, **quality_encoding("point"))
    )
    bottom = alt.layer(bars, rings).properties(
        width=560, height=170, title="Theoretical income per hour (the shape of demand)"
    )
    chart = (
        alt.vconcat(top, bottom, data=rows, spacing=18)
        .resolve_scale(color="shared", shape="independent", strokeDash="independent")
        .properties(
            title=alt.Title(
                title,
                subtitle="Read off DeepSeek's two charts (chart-read); the peak as published (reported)",
            )
        )
    )
    return style(chart, _day_description(rows))


def refresh_day_chart(chart: alt.VConcatChart, rows: pd.DataFrame) -> alt.VConcatChart:
    """``chart`` with the rows of another selected hour: only data and description change.

    Examples
    --------
    >>> chart = day_chart(day_data(0))
    >>> new = refresh_day_chart(chart, day_data(5))
    >>> new.data.loc[new.data["selected"], "time"].tolist()
    ['12:00', '17:00']
    """
    new = shallow_copy(chart)
    new.data = rows
    new.description = _day_description(rows)
    return new


def fleet_data(
    split: FleetSplit,
    tokens_per_s_per_node: float,
    actual_nodes_by_hour=None,
    fleet_quality: str = "reported",
) -> pd.DataFrame:
    """The rows :func:`fleet_chart` draws: a fleet split hour by hour, in nodes.

    Parameters
    ----------
    split : FleetSplit
        As returned by :func:`tokenomics.strategy.split_fleet` for 24 hours from noon.
    tokens_per_s_per_node : float
        The throughput the split used, to express unserved demand in nodes.
    actual_nodes_by_hour : array_like, optional
        DeepSeek's actual mean nodes each hour (chart-read), drawn for comparison.
    fleet_quality : str
        Quality of the fleet size: "reported" for DeepSeek's 278 nodes, "illustrative" for a
        size a student chose.

    Returns
    -------
    DataFrame
        Columns ``series``, ``start_h``, ``end_h``, ``y0``, ``y1`` (stacked bars), ``nodes``,
        ``tokens_per_s``, ``time``, ``kind`` ("bar" or "line") and ``quality``.

    Examples
    --------
    >>> from tokenomics.strategy import split_fleet
    >>> rows = fleet_data(split_fleet(100, np.full(24, 1e6), 8571.0), 8571.0)
    >>> sorted(rows["series"].unique())
    ['demand left to other hosts', 'fleet', 'nodes needed for all demand', 'research', 'serving users']
    """
    hours = np.arange(len(split.serving_nodes), dtype=float)
    unserved_nodes = split.unserved_tokens_per_s / tokens_per_s_per_node
    needed = split.demand_tokens_per_s / tokens_per_s_per_node
    fleet = np.full_like(hours, split.fleet_nodes)

    def rows(series, y0, y1, nodes, tokens, kind, quality):
        return pd.DataFrame(
            {
                "series": FLEET_SERIES[series],
                "start_h": hours,
                "end_h": hours + 1,
                "y0": y0,
                "y1": y1,
                "nodes": nodes,
                "tokens_per_s": tokens,
                "time": clock_labels(hours),
                "kind": kind,
                "quality": quality,
            }
        )

    serving, research = split.serving_nodes, split.research_nodes
    parts = [
        rows("serving", 0.0, serving, serving, split.served_tokens_per_s, "bar", "derived"),
        rows("research", serving, serving + research, research, 0.0, "bar", "derived"),
        rows(
            "others",
            fleet,
            fleet + unserved_nodes,
            unserved_nodes,
            split.unserved_tokens_per_s,
            "bar",
            "derived",
        ),
        rows("needed", needed, needed, needed, split.demand_tokens_per_s, "line", "chart-read"),
        rows("fleet", fleet, fleet, fleet, 0.0, "line", fleet_quality),
    ]
    if actual_nodes_by_hour is not None:
        actual = np.asarray(actual_nodes_by_hour, dtype=float)
        parts.append(rows("actual", actual, actual, actual, 0.0, "line", "chart-read"))
    return pd.concat(parts, ignore_index=True)


def _fleet_description(rows: pd.DataFrame) -> str:
    def total(series):
        return float(rows.loc[rows["series"] == FLEET_SERIES[series], "nodes"].sum())

    fleet = float(rows.loc[rows["series"] == FLEET_SERIES["fleet"], "nodes"].iloc[0])
    return (
        f"Stacked bars, one per hour from 12:00 to 12:00 (UTC+8), of a fleet of {fleet:.0f} nodes "
        f"split between serving users ({total('serving'):,.0f} node-hours in the day) and research "
        f"({total('research'):,.0f} node-hours); above the fleet, demand left to other hosts "
        f"({total('others'):,.0f} node-hours' worth). Lines: the nodes needed to serve all demand "
        f"(demand taken proportional to DeepSeek's chart-read hourly income) and, where shown, "
        f"DeepSeek's actual node curve."
    )


def fleet_chart(rows: pd.DataFrame, title: str = "Splitting a fleet between users and research (nodes)"):
    """A fleet split hour by hour: stacked bars of serving and research nodes, demand left to others.

    Bars: nodes serving users and nodes left for research, stacked up to the fleet; above the
    fleet, the demand left to other hosts, in the nodes it would need. Lines (styled by data
    quality): the nodes needed for all demand (chart-read: the demand shape is DeepSeek's
    chart-read income), DeepSeek's actual nodes (chart-read) and the fleet (reported for
    DeepSeek's 278 nodes, illustrative for a student's choice).

    Parameters
    ----------
    rows : DataFrame
        As returned by :func:`fleet_data`.
    title : str
        The chart title.

    Returns
    -------
    altair.LayerChart
        Its data (``chart.data``) is ``rows``.

    Examples
    --------
    >>> from tokenomics.strategy import split_fleet
    >>> chart = fleet_chart(fleet_data(split_fleet(278, np.full(24, 2e6), 8571.0), 8571.0))
    >>> chart.to_dict()["title"]["text"]
    'Splitting a fleet between users and research (nodes)'
    """
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(domain=list(FLEET_COLOURS), range=list(FLEET_COLOURS.values())),
        legend=alt.Legend(title=None),
    )
    x = alt.X("start_h:Q", scale=alt.Scale(domain=[0, 24], nice=False), axis=HOUR_AXIS)
    y = alt.Y("y0:Q", title="H800 nodes (8 GPUs each)")
    tooltip = [
        alt.Tooltip("time:N", title="hour from (local time)"),
        alt.Tooltip("series:N", title="series"),
        alt.Tooltip("nodes:Q", title="nodes", format=",.1f"),
        alt.Tooltip("tokens_per_s:Q", title="output tokens/s", format=",.0f"),
        alt.Tooltip("quality:N", title="data quality"),
    ]
    bars = (
        alt.Chart()
        .transform_filter(alt.datum.kind == "bar")
        .mark_rect(stroke="white", strokeWidth=0.5, opacity=0.85)
        .encode(x=x, x2="end_h:Q", y=y, y2="y1:Q", color=colour, tooltip=tooltip)
    )
    lines = (
        alt.Chart()
        .transform_filter(alt.datum.kind == "line")
        .mark_rule(strokeWidth=2.5)
        .encode(x=x, x2="end_h:Q", y=y, color=colour, tooltip=tooltip, **quality_encoding("line"))
    )
    chart = alt.layer(bars, lines, data=rows).properties(
        width=560,
        height=280,
        title=alt.Title(
            title,
            subtitle="Demand shape: DeepSeek's hourly income (chart-read); bars: the kit's split (derived)",
        ),
    )
    return style(chart, _fleet_description(rows))


def refresh_fleet_chart(chart, rows: pd.DataFrame):
    """``chart`` with new rows of the same shape: only data and description change (fast redraws).

    Examples
    --------
    >>> from tokenomics.strategy import split_fleet
    >>> chart = fleet_chart(fleet_data(split_fleet(278, np.full(24, 2e6), 8571.0), 8571.0))
    >>> new = refresh_fleet_chart(chart, fleet_data(split_fleet(200, np.full(24, 2e6), 8571.0), 8571.0))
    >>> new.data is chart.data, new.title == chart.title
    (False, True)
    """
    new = shallow_copy(chart)
    new.data = rows
    new.description = _fleet_description(rows)
    return new
