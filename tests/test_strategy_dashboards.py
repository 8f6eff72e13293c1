"""The compute-for-AGI dashboards driven without a browser: move each control, check the chart."""

import math

import altair as alt
import numpy as np
import pytest

from tokenomics import strategy
from tokenomics.dashboards.strategy import deepseek_day_dashboard, fleet_split_dashboard


def chart_rows(board) -> list[dict]:
    """The chart's rows as the browser receives them."""
    spec = board.chart_widget.spec
    return spec["datasets"][spec["data"]["name"]]


def series(board, name: str) -> np.ndarray:
    return np.array([r["nodes"] for r in chart_rows(board) if r["series"] == name])


@pytest.fixture
def day():
    return deepseek_day_dashboard()


@pytest.fixture
def fleet():
    return fleet_split_dashboard()


# --- DeepSeek's day ---------------------------------------------------------------------------


def test_the_day_dashboard_starts_at_04_00_with_210_nodes_freed(day):
    assert isinstance(day.chart_widget, alt.JupyterChart)
    assert day.serving_nodes == 68 and day.freed_nodes == 210
    assert "210.0" in day.readout.value and "9,840" in day.readout.value
    assert day.day_research_node_hours == pytest.approx(1230)


def test_moving_the_hour_moves_the_highlight_and_the_readout(day):
    day.sliders["hour"].value = 2  # 14:00
    selected = {r["panel"]: r for r in chart_rows(day) if r["selected"]}
    assert selected["income"]["time"] == "14:00" and selected["nodes"]["value"] == 278
    assert day.freed_nodes == 0
    day.sliders["hour"].value = 13  # 01:00-02:00: 218 until 01:15, then 188
    assert day.serving_nodes == pytest.approx(0.25 * 218 + 0.75 * 188)
    selected = {r["panel"]: r for r in chart_rows(day) if r["selected"]}
    assert selected["income"]["time"] == "01:00" and selected["income"]["value"] == 18.0
    hourly = strategy.hourly_mean_nodes([0, 12, 13.25], [12, 13.25, 24], [278, 218, 188])
    assert day.research_node_hours_so_far == pytest.approx(strategy.research_node_hours(278, hourly[:14]))


def test_the_research_node_hours_so_far_reach_the_day_total_at_11_00(day):
    day.sliders["hour"].value = 23
    assert day.research_node_hours_so_far == pytest.approx(day.day_research_node_hours)


# --- the fleet split --------------------------------------------------------------------------


def test_the_fleet_dashboard_starts_at_deepseeks_fleet_and_speed(fleet):
    plan = strategy.plan_day()
    assert fleet.plan.fleet_nodes == 278 and not fleet.plan.capped
    assert fleet.plan.research_gpu_hours == pytest.approx(plan.research_gpu_hours)
    np.testing.assert_allclose(series(fleet, "serving users"), plan.split.serving_nodes)
    assert {r["quality"] for r in chart_rows(fleet) if r["series"] == "fleet"} == {"reported"}
    assert f"{plan.research_gpu_hours:,.0f}" in fleet.readout.value


def test_the_wanted_fleet_moves_the_fleet_line_and_research(fleet):
    before = fleet.plan.research_gpu_hours
    fleet.sliders["wanted_nodes"].value = 400
    assert series(fleet, "fleet").max() == 400
    assert fleet.plan.research_gpu_hours > before
    assert {r["quality"] for r in chart_rows(fleet) if r["series"] == "fleet"} == {"illustrative"}
    expected = strategy.plan_day(wanted_nodes=400)
    np.testing.assert_allclose(series(fleet, "research"), expected.split.research_nodes)


def test_the_export_cap_binds_only_when_checked(fleet):
    fleet.sliders["export_cap_nodes"].value = 150
    assert series(fleet, "fleet").max() == 278
    fleet.cap_checkbox.value = True
    assert fleet.plan.capped and series(fleet, "fleet").max() == 150
    assert "capped by export controls" in fleet.readout.value
    expected = strategy.plan_day(export_cap_nodes=150)
    np.testing.assert_allclose(
        series(fleet, "demand left to other hosts"),
        expected.split.unserved_tokens_per_s / expected.tokens_per_s_per_node,
    )


def test_serving_users_faster_needs_more_serving_nodes(fleet):
    before = series(fleet, "serving users").sum()
    fleet.sliders["tokens_per_s_per_user"].value = 60
    after = series(fleet, "serving users").sum()
    assert after > before
    expected = strategy.plan_day(tokens_per_s_per_user=60)
    np.testing.assert_allclose(series(fleet, "serving users"), expected.split.serving_nodes)
    np.testing.assert_allclose(
        series(fleet, "nodes needed for all demand"),
        expected.split.demand_tokens_per_s / expected.tokens_per_s_per_node,
    )


def test_serving_a_smaller_share_leaves_demand_to_other_hosts(fleet):
    fleet.sliders["served_share_pct"].value = 40
    expected = strategy.plan_day(served_share=0.4)
    assert fleet.plan.split.unserved_share == pytest.approx(0.6)
    np.testing.assert_allclose(series(fleet, "research"), expected.split.research_nodes)
    assert "60.0%" in fleet.readout.value
    fleet.sliders["served_share_pct"].value = 0
    assert "n/a" in fleet.readout.value
    assert series(fleet, "serving users").sum() == 0


def test_170_random_settings_never_break_the_fleet_chart(fleet):
    """Each setting moves one slider; the plan and readout are recomputed on every setting, the
    chart redrawn through the widget on every 10th (and whenever the cap is toggled)."""
    rng = np.random.default_rng(2025)
    controls = dict(fleet.sliders)
    for i in range(170):
        name = list(controls)[rng.integers(len(controls))]
        control = controls[name]
        steps = int(round((control.max - control.min) / control.step))
        value = type(control.value)(control.min + control.step * rng.integers(0, steps + 1))
        redraw = i % 10 == 0
        fleet.set_values(redraw=redraw, **{name: value})
        if rng.random() < 0.1:
            fleet.cap_checkbox.value = not fleet.cap_checkbox.value
            redraw = True
        rows = chart_rows(fleet) if redraw else fleet._rows().to_dict("records")
        assert len(rows) == 24 * 6
        assert all(math.isfinite(r["nodes"]) and r["nodes"] >= 0 for r in rows)
        assert "nan" not in fleet.readout.value.lower()


def test_60_random_hours_never_break_the_day_chart(day):
    rng = np.random.default_rng(2025)
    for _ in range(60):
        day.sliders["hour"].value = int(rng.integers(24))
        rows = chart_rows(day)
        assert len(rows) == 12 + 1 + 24
        assert all(math.isfinite(r["value"]) for r in rows)
        assert sum(r["selected"] for r in rows) == 2
        assert "nan" not in day.readout.value.lower()
