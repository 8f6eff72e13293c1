"""The chart rules every chart of the kit keeps (DESIGN.md), checked on every dashboard's charts.

Every public ``*_dashboard`` function of :mod:`tokenomics.dashboards` is built with its defaults,
and every chart it shows is checked: no series, legend, label or title is named by a web domain
(sources go in tooltips and datasets), and a "data quality" legend lists exactly the qualities
the chart's data hold, never one that is not drawn (one quality alone has no legend).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import altair as alt
import pandas as pd
import pytest
from chart_specs import find

import tokenomics.dashboards
from tokenomics import charts, data
from tokenomics.charts import market as market_charts

DOMAIN = re.compile(
    r"\b(?:[a-z0-9-]+\.)+(?:com|org|net|io|ai|app|dev|cn|vip|info|co|uk|eu|news|xyz|me)\b", re.IGNORECASE
)
"""A web host name such as ``redcensor.com`` or ``bbapi.viigoo.eu.org``."""

LABEL_CHANNELS = (
    "color",
    "fill",
    "stroke",
    "shape",
    "strokeDash",
    "text",
    "x",
    "y",
    "detail",
    "row",
    "column",
)
"""Channels whose values a student reads on the chart (tooltips are left out: sources belong there)."""


def dashboard_builders() -> list:
    """Every public ``*_dashboard`` function of the dashboards package that needs no argument."""
    found = []
    for module_info in pkgutil.iter_modules(tokenomics.dashboards.__path__):
        module = importlib.import_module(f"tokenomics.dashboards.{module_info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            needs = [p for p in inspect.signature(function).parameters.values() if p.default is p.empty]
            if name.endswith("_dashboard") and function.__module__ == module.__name__ and not needs:
                found.append(pytest.param(function, id=f"{module_info.name}.{name}"))
    return found


def dashboard_charts(board) -> list[alt.TopLevelMixin]:
    """The altair charts a dashboard shows (each ``JupyterChart`` attribute)."""
    return [value.chart for value in vars(board).values() if isinstance(value, alt.JupyterChart)]


def lesson_charts() -> dict[str, alt.TopLevelMixin]:
    """Charts that lessons 0 and 1 draw outside a dashboard, at the lessons' settings."""
    events = market_charts.event_rows(data.load("events"))
    shares = data.load("first_party_token_share_illustrative").set_index("month")["share_pct"] / 100
    usage = data.load("third_party_usage_illustrative").set_index("month")["usage_index"].loc[shares.index]
    return {
        "token share timeline": market_charts.timeline_chart(
            market_charts.token_share_rows(
                data.load("first_party_token_share"), data.load("first_party_token_share_illustrative")
            ),
            events,
            title="t",
            y_title="share, %",
        ),
        "third-party usage timeline": market_charts.timeline_chart(
            market_charts.third_party_rows(
                data.load("third_party_growth"), data.load("third_party_usage_illustrative")
            ),
            events,
            title="t",
            y_title="multiple",
        ),
        "monthly volumes": market_charts.volume_chart(
            market_charts.volume_rows(
                ["March", "April", "May"], shares.to_numpy(), usage.to_numpy(), "illustrative"
            )
        ),
    }


def shown_texts(spec: dict) -> list[str]:
    """Every text a student reads on a chart: titles, subtitles, legend and axis titles, and the
    values of every field drawn on a channel other than the tooltip."""
    texts = []
    for title in find(spec, "title"):
        if isinstance(title, str):
            texts.append(title)
        elif isinstance(title, dict):
            for part in ("text", "subtitle"):
                value = title.get(part, "")
                texts.extend([value] if isinstance(value, str) else value)
    fields = {
        channel["field"]
        for encoding in find(spec, "encoding")
        for name, channel in encoding.items()
        if name in LABEL_CHANNELS and isinstance(channel, dict) and "field" in channel
    }
    for records in spec.get("datasets", {}).values():
        for record in records:
            texts.extend(str(record[f]) for f in fields if isinstance(record.get(f), str))
    for encoding in find(spec, "encoding"):
        for name in LABEL_CHANNELS:
            value = encoding.get(name, {})
            if isinstance(value, dict) and isinstance(value.get("value"), str):
                texts.append(value["value"])
    return texts


def quality_legends(spec: dict) -> list[tuple[str, dict]]:
    """(field, legend) of every shown "data quality" legend; a legend lists its ``values``, else its
    scale's domain, else all four qualities."""
    return [
        (channel["field"], _listed(channel))
        for encoding in find(spec, "encoding")
        for name in charts.QUALITY_CHANNELS
        if isinstance(channel := encoding.get(name), dict)
        and "field" in channel
        and channel.get("legend", {}) is not None
        and (channel.get("legend") or {}).get("title") == "data quality"
    ]


def _listed(channel: dict) -> dict:
    legend = dict(channel.get("legend") or {})
    domain = (channel.get("scale") or {}).get("domain")
    if "values" not in legend and isinstance(domain, list):
        legend["values"] = domain
    return legend


def qualities_in_data(spec: dict, field: str) -> set[str]:
    return {
        record[field]
        for records in spec.get("datasets", {}).values()
        for record in records
        if isinstance(record.get(field), str)
    }


def check_chart_rules(spec: dict) -> None:
    named_by_domain = sorted({t for t in shown_texts(spec) if DOMAIN.search(t)})
    assert named_by_domain == [], "chart text names a web site"
    for field, legend in quality_legends(spec):
        drawn = qualities_in_data(spec, field)
        listed = set(legend.get("values", data.QUALITY_LABELS))
        assert listed == drawn, f"the quality legend lists {sorted(listed)}, the chart draws {sorted(drawn)}"
        assert len(drawn) > 1, "one quality alone goes in the subtitle, not a legend"


@pytest.mark.parametrize("build", dashboard_builders())
def test_every_dashboard_chart_keeps_the_chart_rules(build):
    shown = dashboard_charts(build())
    assert shown, "the dashboard shows no chart"
    for chart in shown:
        check_chart_rules(chart.to_dict())


@pytest.mark.parametrize("name", list(lesson_charts()))
def test_every_lesson_chart_keeps_the_chart_rules(name):
    check_chart_rules(lesson_charts()[name].to_dict())


def test_the_dashboards_are_found():
    names = {p.id for p in dashboard_builders()}
    assert {"market.app_share_dashboard", "market.who_serves_dashboard", "start.price_dashboard"} <= names
    assert len(names) >= 10


def point_chart(rows: pd.DataFrame, title="t"):
    return charts.style(
        alt.Chart(rows, title=title)
        .mark_point()
        .encode(x="x:Q", color="series:N", **charts.quality_encoding()),
        "points",
    )


def test_the_checks_catch_a_series_named_by_a_site_and_a_legend_of_undrawn_qualities():
    by_site = pd.DataFrame({"x": [1, 2], "series": ["redcensor.com reading", "b"], "quality": "chart-read"})
    with pytest.raises(AssertionError, match="web site"):
        check_chart_rules(point_chart(by_site).to_dict())
    rows = pd.DataFrame({"x": [1, 2], "series": ["a", "b"], "quality": ["chart-read", "derived"]})
    spec = point_chart(rows).to_dict()
    check_chart_rules(spec)
    spec["encoding"]["shape"]["legend"].pop("values")  # as before the rule: all four words listed
    with pytest.raises(AssertionError, match="legend lists"):
        check_chart_rules(spec)


def test_style_lists_only_drawn_qualities_and_says_a_lone_quality_in_the_subtitle():
    two = point_chart(pd.DataFrame({"x": [1, 2], "series": "a", "quality": ["illustrative", "reported"]}))
    assert two.to_dict()["encoding"]["shape"]["legend"]["values"] == ["reported", "illustrative"]
    assert two.to_dict()["encoding"]["shape"]["scale"]["domain"] == list(data.QUALITY_LABELS)
    one = point_chart(pd.DataFrame({"x": [1, 2], "series": "a", "quality": "derived"})).to_dict()
    assert one["encoding"]["shape"]["legend"] is None
    assert one["title"]["subtitle"] == charts.ONE_QUALITY_NOTE["derived"]
    said = charts.style(
        alt.Chart(pd.DataFrame({"x": [1], "quality": "derived"}))
        .mark_point()
        .encode(x="x:Q", **charts.quality_encoding())
        .properties(title=alt.Title("t", subtitle="derived by the kit's model")),
        "one point",
    ).to_dict()
    assert said["title"]["subtitle"] == "derived by the kit's model"


def test_text_on_charts_is_never_cut_short():
    config = charts.theme()
    assert config["axis"]["labelLimit"] == 0 and config["legend"]["labelLimit"] == 0


def test_numbers_are_written_for_people():
    assert charts.format_usd(0.96) == "$0.96" and charts.format_usd(0.135, max_digits=3) == "$0.135"
    assert charts.format_usd(0.035) == "$0.035"
    assert charts.format_tokens(64000.0) == "64,000"
    assert charts.format_tokens_short(64000.0) == "64K" and charts.format_tokens_short(163_840) == "164K"
    with pytest.raises(ValueError, match="tokens"):
        charts.format_tokens(float("nan"))


def test_a_dashboard_that_turns_its_result_illustrative_shows_it_in_the_legend():
    from tokenomics.dashboards.start import price_dashboard

    board = price_dashboard()
    spec = board.chart_widget.chart.to_dict()
    check_chart_rules(spec)
    assert charts.ONE_QUALITY_NOTE["derived"] in spec["title"]["subtitle"]
    board.sliders["usd_per_gpu_hour"].value = 3.0  # away from DeepSeek's own $2: illustrative
    spec = board.chart_widget.chart.to_dict()
    check_chart_rules(spec)
    assert {values for _, legend in quality_legends(spec) for values in legend["values"]} == {
        "derived",
        "illustrative",
    }
    assert charts.ONE_QUALITY_NOTE["derived"] not in str(spec["title"].get("subtitle", ""))
    board.sliders["usd_per_gpu_hour"].value = board.sourced_usd_per_gpu_hour
    check_chart_rules(board.chart_widget.chart.to_dict())
