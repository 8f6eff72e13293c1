"""The market lesson's dashboards driven without a browser: move a control, check the chart's data."""

import math

import altair as alt
import numpy as np
import pytest
from chart_specs import main_dataset

from tokenomics import data, market
from tokenomics.charts.market import BOTH
from tokenomics.dashboards.market import (
    app_share_dashboard,
    reported_third_party_growth,
    start_values,
    who_serves_dashboard,
)


def records(widget) -> list[dict]:
    """The chart's own rows as the browser receives them."""
    return main_dataset(widget.spec)


# ---- app share and web traffic ------------------------------------------------------------------


@pytest.fixture
def app_board():
    return app_share_dashboard()


def test_the_app_share_dashboard_starts_with_both_readings_and_every_rival(app_board):
    values = sorted(r["value"] for r in records(app_board.chart_widget) if r["quality"] == "chart-read")
    assert values == sorted(data.load("app_market_share")["share_pct"])
    assert any(r["quality"] == "illustrative" for r in records(app_board.chart_widget))
    sites = {r["site"] for r in records(app_board.traffic_widget)}
    assert sites == set(data.load("web_traffic_change")["site"])
    assert sorted(app_board.declines_pct) == pytest.approx(
        sorted(market.percent_change(p, m) for p in (7.5, 8.0) for m in (5.0, 4.5))
    )
    assert isinstance(app_board.chart_widget, alt.JupyterChart) and type(app_board.chart_widget)._is_offline


def test_choosing_a_reading_keeps_only_that_readings_value(app_board):
    app_board.controls["peak_reading"].value = "B"
    peaks = [r["value"] for r in records(app_board.chart_widget) if r["quality"] == "chart-read"]
    assert 8.0 in peaks and 7.5 not in peaks
    app_board.controls["may_reading"].value = "A"
    assert app_board.declines_pct == [pytest.approx(market.percent_change(8.0, 5.0))]
    assert "-37.5%" in app_board.readout.value


def test_hiding_the_curve_removes_the_illustrative_rows(app_board):
    app_board.controls["show_curve"].value = False
    assert {r["quality"] for r in records(app_board.chart_widget)} == {"chart-read"}


def test_toggling_a_rival_removes_its_bars_and_leaves_the_app_chart_alone(app_board):
    before = app_board.chart_widget.spec
    app_board.controls["Grok"].value = False
    assert "Grok" not in {r["site"] for r in records(app_board.traffic_widget)}
    assert "Grok" not in app_board.readout.value
    assert app_board.chart_widget.spec == before
    app_board.controls["Gemini"].value = False
    assert [r["site"] for r in records(app_board.traffic_widget)] == ["DeepSeek", "ChatGPT", "Claude"]


def test_200_random_app_share_settings_never_break_the_charts(app_board):
    rng = np.random.default_rng(2025)
    controls = list(app_board.controls.values())
    for _ in range(200):
        control = controls[rng.integers(len(controls))]
        if hasattr(control, "options"):
            control.value = control.options[rng.integers(len(control.options))][1]
        else:
            control.value = bool(rng.integers(2))
        rows = records(app_board.chart_widget)
        assert len(rows) >= 2 and all(math.isfinite(r["value"]) for r in rows)
        assert len(records(app_board.traffic_widget)) >= 1
        assert app_board.declines_pct and all(math.isfinite(d) for d in app_board.declines_pct)
        assert "nan" not in app_board.readout.value.lower()


# ---- who serves DeepSeek's model ------------------------------------------------------------------


@pytest.fixture
def who_board():
    return who_serves_dashboard()


def volumes(board) -> dict[tuple[str, str], float]:
    return {(r["period"], r["party"]): r["volume_index"] for r in records(board.chart_widget)}


def test_the_sliders_start_at_the_datasets_values(who_board):
    start = start_values()
    assert who_board.sliders["share_before_pct"].value == 42.0
    assert who_board.sliders["share_after_pct"].value == 16.0
    assert who_board.sliders["third_party_growth"].value == pytest.approx(20 / 10.5, abs=0.005)
    assert start["third_party_growth"] == pytest.approx(20 / 10.5)
    assert who_board.quality == "illustrative"
    assert who_board.first_party_growth == pytest.approx(
        market.first_party_growth(0.42, 0.16, who_board.third_party_growth)
    )
    assert "illustrative" in who_board.chart_widget.spec["title"]["subtitle"]


@pytest.mark.parametrize(
    "slider, value",
    [("share_before_pct", 60.0), ("share_after_pct", 30.0), ("third_party_growth", 7.5)],
)
def test_every_slider_changes_the_chart_as_the_model_says(who_board, slider, value):
    before = volumes(who_board)
    who_board.sliders[slider].value = value
    after = volumes(who_board)
    assert after != before
    s0, s1, g = who_board.share_before, who_board.share_after, who_board.third_party_growth
    assert after[("before (March)", "DeepSeek (first party)")] == pytest.approx(market.share_odds(s0))
    assert after[("before (March)", "other hosts (third party)")] == pytest.approx(1.0)
    assert after[("after (May)", "DeepSeek (first party)")] == pytest.approx(market.share_odds(s1) * g)
    assert after[("after (May)", "other hosts (third party)")] == pytest.approx(g)
    ratio = (
        after[("after (May)", "DeepSeek (first party)")] / after[("before (March)", "DeepSeek (first party)")]
    )
    assert ratio == pytest.approx(market.first_party_growth(s0, s1, g))
    assert f"x{who_board.first_party_growth:.2f}" in who_board.readout.value


def test_the_reported_button_sets_20x_and_the_result_is_derived(who_board):
    who_board.reported_button.click()
    assert reported_third_party_growth() == 20.0
    # the slider stores min + k x step, so it may read back 20 as 19.999999999999996
    assert who_board.third_party_growth == pytest.approx(20.0, abs=1e-9)
    assert who_board.on_reported_growth()
    assert who_board.quality == "derived"
    assert who_board.first_party_growth == pytest.approx(5.2608, abs=1e-4)
    readout = who_board.readout.value
    assert "<b>x5.26</b>" in readout and "<b>derived</b>" in readout and "illustrative" not in readout
    assert "upper bound" in readout
    assert {r["quality"] for r in records(who_board.chart_widget)} == {"derived"}
    who_board.illustrative_button.click()
    assert who_board.quality == "illustrative"
    assert who_board.first_party_growth == pytest.approx(0.501, abs=1e-3)
    assert "upper bound" not in who_board.readout.value


def test_20x_as_the_browser_sends_it_back_is_still_the_reported_value(who_board):
    # A slider stores min + k x step: JupyterLab sent 20 back as 19.999999999999996.
    who_board.sliders["third_party_growth"].value = 19.999999999999996
    assert who_board.quality == "derived"
    assert "<b>x5.26</b>" in who_board.readout.value and "upper bound" in who_board.readout.value


def test_a_growth_one_step_off_20x_is_illustrative(who_board):
    who_board.sliders["third_party_growth"].value = 19.99
    assert not who_board.on_reported_growth()
    assert who_board.quality == "illustrative" and "upper bound" not in who_board.readout.value


def test_the_break_even_growth_keeps_deepseeks_bar_level(who_board):
    who_board.sliders["third_party_growth"].value = round(who_board.break_even_growth, 2)
    v = volumes(who_board)
    first_before = v[("before (March)", "DeepSeek (first party)")]
    assert v[("after (May)", "DeepSeek (first party)")] == pytest.approx(first_before, rel=0.01)
    assert "3.80x" in who_board.readout.value


def test_a_share_of_zero_after_is_handled(who_board):
    who_board.sliders["share_after_pct"].value = 0.0
    assert who_board.first_party_growth == 0.0
    assert "never" in who_board.readout.value
    assert all(math.isfinite(r["volume_index"]) for r in records(who_board.chart_widget))


def test_200_random_who_serves_settings_never_break_the_chart(who_board):
    rng = np.random.default_rng(7)
    sliders = list(who_board.sliders.values())
    for _ in range(200):
        slider = sliders[rng.integers(len(sliders))]
        slider.value = float(np.round(rng.uniform(slider.min, slider.max), 2))
        rows = records(who_board.chart_widget)
        assert len(rows) == 4
        assert all(math.isfinite(r["volume_index"]) and r["volume_index"] >= 0 for r in rows)
        assert all(math.isfinite(r["share_pct"]) for r in rows)
        assert math.isfinite(who_board.first_party_growth)
        assert "nan" not in who_board.readout.value.lower()


def test_the_dashboards_have_plain_reprs(app_board, who_board):
    assert "run the notebook" in repr(app_board) and BOTH in repr(app_board)
    assert "run the notebook" in repr(who_board)
