"""Compute for AGI: the fleet-split model against DeepSeek's published day, its properties, its
input checks, and the lesson's charts."""

import altair as alt
import numpy as np
import pytest
from chart_specs import find, main_dataset
from hypothesis import given
from hypothesis import strategies as st

from tokenomics import data, kpi, strategy
from tokenomics.calibration import reproduce_deepseek_day
from tokenomics.charts import strategy as strategy_charts

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def curve():
    nodes = data.load("deepseek_day_nodes")
    return (
        nodes["start_hours_after_noon"].to_numpy(float),
        nodes["end_hours_after_noon"].to_numpy(float),
        nodes["nodes"].to_numpy(float),
    )


@pytest.fixture(scope="module")
def figures():
    return strategy.deepseek_figures()


# --- DeepSeek's day reproduced -------------------------------------------------------------


def test_the_node_curve_gives_the_published_average_and_the_night_shift(curve, figures):
    assert strategy.node_hours(*curve) == pytest.approx(5442.0)
    assert strategy.mean_nodes(*curve) == pytest.approx(figures["average_nodes"])
    start, end, nodes = curve
    peak = figures["peak_nodes"]
    assert nodes.max() == peak
    assert peak - nodes.min() == 210
    hourly = strategy.hourly_mean_nodes(*curve)
    assert hourly.shape == (24,) and hourly.mean() == pytest.approx(226.75)
    research = strategy.research_node_hours(peak, hourly)
    assert research == pytest.approx((278 - 226.75) * 24) == pytest.approx(1230.0)
    assert strategy.serving_cost_usd(strategy.node_hours(*curve)) == pytest.approx(figures["daily_cost_usd"])


def test_the_published_throughputs_and_tokens_give_the_published_average_fleet(figures):
    rate = strategy.fleet_tokens_per_s_per_node(
        figures["decode_output_tokens_per_s_per_node"],
        figures["prefill_input_tokens_per_s_per_node"],
        figures["input_tokens"] / figures["output_tokens"],
    )
    average_demand = figures["output_tokens"] / 86_400
    assert strategy.serving_nodes_needed(average_demand, rate) == pytest.approx(226.75, rel=0.002)


def test_an_uncapped_fleet_at_deepseeks_speed_reproduces_cost_revenue_and_margin():
    plan = strategy.plan_day(wanted_nodes=10_000, tokens_per_s_per_user=21)
    day = reproduce_deepseek_day().set_index("quantity")["published"]
    assert plan.split.unserved_share == 0
    assert plan.revenue_usd == pytest.approx(day["theoretical_revenue_usd"])
    assert plan.serving_cost_usd == pytest.approx(day["daily_cost_usd"], rel=0.002)
    assert 100 * plan.cost_profit_margin == pytest.approx(day["cost_profit_margin_pct"], abs=1)
    assert plan.cost_profit_margin == pytest.approx(
        kpi.cost_profit_margin(plan.revenue_usd, plan.serving_cost_usd)
    )


def test_the_decode_rate_is_anchored_on_the_published_point_and_falls_with_speed():
    assert strategy.deepseek_decode_tokens_per_s_per_node(21) == pytest.approx(14_800)
    rates = strategy.deepseek_decode_tokens_per_s_per_node([20, 30, 45, 60, 70])
    assert np.all(np.diff(rates) < 0)
    low, high = strategy.speed_range_tokens_per_s()
    assert 10 < low < 20 < 70 < high


def test_demand_follows_the_income_bars(figures):
    income = data.load("deepseek_day_income")["income_thousand_usd"].to_numpy(float)
    demand = strategy.demand_tokens_per_s(figures["output_tokens"], income)
    assert demand.sum() * 3600 == pytest.approx(figures["output_tokens"])
    assert demand.argmax() == income.argmax() and demand.argmin() == income.argmin()


def test_a_smaller_share_and_a_cap_leave_demand_to_other_hosts():
    full = strategy.plan_day()
    half = strategy.plan_day(served_share=0.5)
    capped = strategy.plan_day(export_cap_nodes=150)
    assert half.split.unserved_share == pytest.approx(0.5)
    assert half.research_gpu_hours > full.research_gpu_hours
    assert capped.capped and capped.fleet_nodes == 150
    assert capped.split.unserved_share > full.split.unserved_share
    faster = strategy.plan_day(tokens_per_s_per_user=60)
    assert faster.research_gpu_hours < full.research_gpu_hours
    assert strategy.plan_day(served_share=0).cost_profit_margin is None


def test_split_fleet_by_hand():
    split = strategy.split_fleet(100, [500_000, 1_500_000, 0], 10_000, served_share=0.8)
    np.testing.assert_allclose(split.serving_nodes, [40, 100, 0])
    np.testing.assert_allclose(split.research_nodes, [60, 0, 100])
    np.testing.assert_allclose(split.unserved_tokens_per_s, [100_000, 500_000, 0])
    assert split.research_node_hours == 160
    assert split.unserved_share == pytest.approx(0.3)


def test_scalar_inputs_give_python_floats():
    assert isinstance(strategy.serving_nodes_needed(1e6, 8571.0), float)
    assert isinstance(strategy.available_nodes(300, 200), float)
    assert isinstance(strategy.nodes_at(16, [0, 12], [12, 24], [278, 68]), float)
    assert isinstance(strategy.decode_tokens_per_s_per_node(30), float)


# --- properties ------------------------------------------------------------------------------

hourly_demand = st.lists(st.floats(0, 5e6), min_size=1, max_size=48)


@given(
    fleet=st.floats(1, 2000),
    demand=hourly_demand,
    rate=st.floats(100, 50_000),
    share=st.floats(0, 1),
)
def test_a_split_never_uses_more_than_the_fleet_and_conserves_demand(fleet, demand, rate, share):
    split = strategy.split_fleet(fleet, demand, rate, share)
    assert np.all(split.serving_nodes >= 0) and np.all(split.research_nodes >= 0)
    np.testing.assert_allclose(split.serving_nodes + split.research_nodes, fleet, rtol=1e-9)
    np.testing.assert_allclose(
        split.served_tokens_per_s + split.unserved_tokens_per_s,
        split.demand_tokens_per_s,
        rtol=1e-9,
        atol=1e-6,
    )
    assert np.all(split.served_tokens_per_s <= share * np.asarray(demand) * (1 + 1e-12) + 1e-9)
    assert 0 <= split.unserved_share <= 1 + 1e-12


@given(fleet=st.floats(1, 1000), more=st.floats(0, 1000), demand=hourly_demand, rate=st.floats(100, 50_000))
def test_a_bigger_fleet_never_leaves_more_to_others(fleet, more, demand, rate):
    small = strategy.split_fleet(fleet, demand, rate)
    big = strategy.split_fleet(fleet + more, demand, rate)
    assert big.unserved_tokens <= small.unserved_tokens * (1 + 1e-9) + 1e-6


@given(
    steps=st.lists(st.tuples(st.floats(0.05, 5), st.floats(0, 500)), min_size=1, max_size=20),
)
def test_the_mean_of_a_step_curve_lies_between_its_lowest_and_highest_step(steps):
    lengths = np.array([s[0] for s in steps])
    nodes = np.array([s[1] for s in steps])
    end = np.cumsum(lengths)
    start = end - lengths
    mean = strategy.mean_nodes(start, end, nodes)
    assert nodes.min() - 1e-9 <= mean <= nodes.max() + 1e-9
    assert strategy.node_hours(start, end, nodes) == pytest.approx(mean * end[-1])


@given(where=st.floats(0, 1), faster=st.floats(0, 50))
def test_serving_users_faster_never_raises_throughput_per_node(where, faster):
    low, high = strategy.speed_range_tokens_per_s()
    speed = low + where * (high - low)
    slow = strategy.decode_tokens_per_s_per_node(speed)
    fast = strategy.decode_tokens_per_s_per_node(min(speed + faster, high))
    assert fast <= slow * (1 + 1e-12)


@given(decode=st.floats(100, 1e5), prefill=st.floats(100, 1e6), ratio=st.floats(0, 20))
def test_counting_prefill_nodes_never_raises_throughput_per_node(decode, prefill, ratio):
    assert strategy.fleet_tokens_per_s_per_node(decode, prefill, ratio) <= decode * (1 + 1e-12)


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: strategy.node_hours([0], [1], [-5]), "nodes"),
        (lambda: strategy.node_hours([0, 1], [1], [5, 5]), "start_h"),
        (lambda: strategy.node_hours([2], [1], [5]), "end_h"),
        (lambda: strategy.node_hours([-1], [1], [5]), "start_h"),
        (lambda: strategy.mean_nodes([0], [float("nan")], [5]), "end_h"),
        (lambda: strategy.hourly_mean_nodes([0], [3], [5], hours=4), "hours"),
        (lambda: strategy.hourly_mean_nodes([0], [3], [5], hours=0), "hours"),
        (lambda: strategy.nodes_at(30, [0], [24], [5]), "hour"),
        (lambda: strategy.research_node_hours(278, [300]), "serving_nodes_by_hour"),
        (lambda: strategy.research_node_hours(-1, [0]), "peak_nodes"),
        (lambda: strategy.research_node_hours([1, 2], [0]), "peak_nodes"),
        (lambda: strategy.research_node_hours(278, [0], hours_per_step=0), "hours_per_step"),
        (lambda: strategy.demand_tokens_per_s(-1, [1]), "daily_tokens"),
        (lambda: strategy.demand_tokens_per_s(1, [0, 0]), "weight_by_hour"),
        (lambda: strategy.demand_tokens_per_s(1, [1, -1]), "weight_by_hour"),
        (lambda: strategy.fleet_tokens_per_s_per_node(0, 1, 1), "decode_tokens_per_s_per_node"),
        (lambda: strategy.fleet_tokens_per_s_per_node(1, 0, 1), "prefill_tokens_per_s_per_node"),
        (lambda: strategy.fleet_tokens_per_s_per_node(1, 1, -1), "input_tokens_per_output_token"),
        (lambda: strategy.serving_nodes_needed(-1, 1), "demand_tokens_per_s"),
        (lambda: strategy.serving_nodes_needed(1, 0), "tokens_per_s_per_node"),
        (lambda: strategy.available_nodes(0), "wanted_nodes"),
        (lambda: strategy.available_nodes(10, export_cap_nodes=-3), "export_cap_nodes"),
        (lambda: strategy.serving_cost_usd(-1), "node_hours"),
        (lambda: strategy.serving_cost_usd(1, gpus_per_node=0), "gpus_per_node"),
        (lambda: strategy.serving_cost_usd(1, usd_per_gpu_hour=-2), "usd_per_gpu_hour"),
        (lambda: strategy.split_fleet(0, [1], 1), "fleet_nodes"),
        (lambda: strategy.split_fleet([1, 2], [1], 1), "fleet_nodes"),
        (lambda: strategy.split_fleet(10, [[1]], 1), "demand_by_hour"),
        (lambda: strategy.split_fleet(10, [-1], 1), "demand_by_hour"),
        (lambda: strategy.split_fleet(10, [1], 0), "tokens_per_s_per_node"),
        (lambda: strategy.split_fleet(10, [1], 1, served_share=1.5), "served_share"),
        (lambda: strategy.decode_tokens_per_s_per_node(5), "tokens_per_s_per_user"),
        (lambda: strategy.decode_tokens_per_s_per_node(500), "tokens_per_s_per_user"),
        (lambda: strategy.decode_tokens_per_s_per_node("fast"), "tokens_per_s_per_user"),
        (lambda: strategy.plan_day(wanted_nodes=-1), "wanted_nodes"),
        (lambda: strategy.plan_day(served_share=-0.1), "served_share"),
        (lambda: strategy.plan_day(tokens_per_s_per_user=None), "tokens_per_s_per_user"),
        (lambda: strategy_charts.day_data(24), "selected_hour"),
    ],
)
def test_bad_input_is_a_value_error_naming_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_a_value_error_names_the_value_and_the_range():
    with pytest.raises(ValueError, match=r"served_share must be in \[0, 1\] \(got 1\.5\)"):
        strategy.split_fleet(10, [1], 1, served_share=1.5)


# --- charts ----------------------------------------------------------------------------------


def records(chart) -> list[dict]:
    return main_dataset(chart.to_dict())


def test_the_day_chart_carries_the_published_curve_and_income(curve):
    chart = strategy_charts.day_chart(strategy_charts.day_data(16))
    rows = records(chart)
    nodes = [r for r in rows if r["series"] == "nodes serving users"]
    assert [r["value"] for r in nodes] == curve[2].tolist()
    income = [r for r in rows if r["panel"] == "income"]
    assert len(income) == 24 and sum(r["value"] for r in income) == pytest.approx(562.027, rel=0.001)
    selected = [r for r in rows if r["selected"]]
    assert {r["time"] for r in selected} == {"03:30", "04:00"}
    assert {r["quality"] for r in nodes + income} == {"chart-read"}


def test_the_charts_have_titles_units_descriptions_tooltips_and_quality():
    day = strategy_charts.day_chart(strategy_charts.day_data(0))
    plan = strategy.plan_day()
    fleet = strategy_charts.fleet_chart(
        strategy_charts.fleet_data(plan.split, plan.tokens_per_s_per_node, fleet_quality="illustrative")
    )
    for chart in (day, fleet):
        spec = chart.to_dict()
        assert spec["title"]["text"] and spec["title"]["subtitle"]
        y_titles = [enc["y"]["title"] for enc in find(spec, "encoding") if "title" in enc.get("y", {})]
        assert y_titles and all("nodes" in t or "USD" in t for t in y_titles)
        assert len(spec["description"]) > 100
        tooltips = [t["field"] for tips in find(spec, "tooltip") if isinstance(tips, list) for t in tips]
        assert "quality" in tooltips and "time" in tooltips
        dashes = [enc for enc in find(spec, "strokeDash") if isinstance(enc, dict)]
        assert dashes and all(d["legend"]["title"] == "data quality" for d in dashes)
    assert any("shape" in enc for enc in find(day.to_dict(), "encoding"))
    assert "illustrative" in {r["quality"] for r in records(fleet) if r["series"] == "fleet"}


def test_the_fleet_chart_rows_match_the_split():
    plan = strategy.plan_day(wanted_nodes=250, served_share=0.9)
    rows = strategy_charts.fleet_data(plan.split, plan.tokens_per_s_per_node, np.full(24, 226.75))
    by = {name: group for name, group in rows.groupby("series")}
    np.testing.assert_allclose(by["serving users"]["nodes"], plan.split.serving_nodes)
    np.testing.assert_allclose(by["research"]["y1"], 250.0)
    np.testing.assert_allclose(
        by["demand left to other hosts"]["nodes"],
        plan.split.unserved_tokens_per_s / plan.tokens_per_s_per_node,
    )
    assert set(by["DeepSeek's actual nodes"]["quality"]) == {"chart-read"}
    assert isinstance(strategy_charts.fleet_chart(rows), alt.LayerChart)
