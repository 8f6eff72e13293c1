"""Redrawing a dashboard's chart by swapping its data (tokenomics.dashboards.redraw), without a browser.

A chart of the same structure must be swapped (only data, parameter values and words sent), any
other change rebuilt, and either way the widget's spec must be what a new widget built from the
same chart sends: the browser draws the same chart whichever way it got there.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import pytest
import vl_convert

from tokenomics.dashboards import jupyter_chart
from tokenomics.dashboards.batching import memory_dashboard, queue_dashboard
from tokenomics.dashboards.efficiency import race_dashboard
from tokenomics.dashboards.redraw import DataSwapChart, data_paths, records, same_structure
from tokenomics.dashboards.start import price_dashboard


def points(rows: pd.DataFrame, title="points") -> alt.Chart:
    return (
        alt.Chart(rows, title=alt.Title(title, subtitle="two lines"))
        .mark_point()
        .encode(x="x:Q", y="y:Q", color=alt.Color("series:N", scale=alt.Scale(domain=["a", "b"])))
        .properties(description=f"{len(rows)} points")
    )


def frame(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {"x": rng.uniform(0, 1, n), "y": rng.uniform(0, 1, n), "series": ["a", "b"] * (n // 2)}
    )


def fresh_spec(chart) -> dict:
    return DataSwapChart(chart).spec


def test_new_data_and_words_are_swapped_and_match_a_fresh_build():
    widget = jupyter_chart(points(frame(4)))
    assert widget.last_redraw == "rebuild"
    new = points(frame(6, seed=1), title="six points")
    widget.chart = new
    assert widget.last_redraw == "swap"
    assert widget.spec == fresh_spec(new)
    assert widget.spec["title"]["text"] == "six points" and widget.spec["description"] == "6 points"
    assert len(widget.spec["datasets"]["dataset-0"]) == 6


def test_a_change_of_structure_rebuilds():
    widget = jupyter_chart(points(frame(4)))
    other_series = points(frame(4)).encode(
        color=alt.Color("series:N", scale=alt.Scale(domain=["a", "b", "c"]))
    )
    widget.chart = other_series
    assert widget.last_redraw == "rebuild"
    assert widget.spec == fresh_spec(other_series)
    for change in (points(frame(4)).mark_line(), points(frame(4)).properties(width=300)):
        widget.chart = change
        assert widget.last_redraw == "rebuild"
        assert widget.spec == fresh_spec(change)
    no_subtitle = points(frame(4)).properties(title="points")
    assert not same_structure(points(frame(4)), no_subtitle)


def test_a_layer_with_its_own_data_is_swapped_in_place():
    def layered(n):
        line = alt.Chart(frame(n)).mark_line().encode(x="x:Q", y="y:Q")
        rule = alt.Chart(pd.DataFrame({"y": [0.5 + n / 100]})).mark_rule().encode(y="y:Q")
        return alt.layer(line, rule)

    old = layered(4)
    assert data_paths(old) == [("layer", 0, "data"), ("layer", 1, "data")]
    widget = jupyter_chart(old)
    widget.chart = layered(8)
    assert widget.last_redraw == "swap"
    assert widget.spec == fresh_spec(layered(8))
    assert widget.spec["datasets"]["dataset-1"] == [{"y": 0.58}]


def test_a_parameter_value_is_swapped():
    def chart(limit):
        top = alt.param(name="top", value=limit)
        return alt.Chart(frame(4)).mark_point().encode(x="x:Q", y="y:Q").add_params(top)

    widget = jupyter_chart(chart(0.5))
    widget.chart = chart(0.8)
    assert widget.last_redraw == "swap"
    assert widget.spec["params"] == [{"name": "top", "value": 0.8}]
    assert widget.spec == fresh_spec(chart(0.8))


def test_a_chart_with_a_selection_is_refused():
    brush = alt.selection_interval(name="brush")
    with pytest.raises(ValueError, match="selection parameter 'brush'"):
        DataSwapChart(points(frame(4)).add_params(brush))


def test_records_match_altairs_own_conversion():
    rows = pd.DataFrame(
        {
            "x": [1.5, np.nan, np.inf],
            "n": np.array([1, 2, 3], dtype=np.int64),
            "ok": [True, False, True],
            "label": ["a", None, "c"],
            "kind": pd.Categorical(["p", "q", None]),
            "when": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]),
        }
    )
    assert records(rows) == alt.utils.data.to_values(rows)["values"]
    assert records(rows.drop(columns="when")) == alt.utils.data.to_values(rows.drop(columns="when"))["values"]


@pytest.mark.parametrize("build", [queue_dashboard, race_dashboard, price_dashboard, memory_dashboard])
def test_dashboard_moves_swap_and_draw_what_a_fresh_build_draws(build):
    board = build()
    widget = board.chart_widget
    rng = np.random.default_rng(7)
    swaps = 0
    for control in list(board.sliders.values()) * 3:
        if hasattr(control, "options"):
            control.value = control.options[rng.integers(len(control.options))]
        else:
            step = control.step
            control.value = control.min + step * rng.integers(
                0, round((control.max - control.min) / step) + 1
            )
        swaps += widget.last_redraw == "swap"
        assert widget.spec == fresh_spec(widget.chart)
    assert swaps > 0, "no move of a slider swapped the data"


def test_a_swapped_spec_renders_like_altairs_own():
    board = queue_dashboard()
    board.sliders["utilization"].value = 0.93
    assert board.chart_widget.last_redraw == "swap"
    own = vl_convert.vegalite_to_svg(board.chart_widget.chart.to_dict())
    swapped = vl_convert.vegalite_to_svg(board.chart_widget.spec)
    assert swapped == own
