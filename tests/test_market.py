"""The market lesson's models and charts: shares, growth, first-party volume, and what the charts draw."""

import math

import numpy as np
import pandas as pd
import pytest
from chart_specs import find
from hypothesis import given
from hypothesis import strategies as st

from tokenomics import charts, data, market
from tokenomics.charts import market as market_charts
from tokenomics.data import QUALITY_LABELS

pytestmark = pytest.mark.filterwarnings("error")

shares = st.floats(0.01, 0.99)
growths = st.floats(0.01, 1000.0)


# ---- models ------------------------------------------------------------------------------------


def test_percent_change_of_the_articles_readings():
    assert market.percent_change(8.0, 4.5) == pytest.approx(-43.75)
    assert market.percent_change(7.5, 5.0) == pytest.approx(-100 / 3)
    assert market.percent_change(10.5, 20.0) == pytest.approx(90.476, abs=1e-3)
    assert market.percent_change(3.0, 0.0) == -100.0


def test_growth_index_is_one_in_the_base_period():
    index = market.growth_index([10.5, 15.25, 20.0], base=10.5)
    np.testing.assert_allclose(index, [1.0, 15.25 / 10.5, 20 / 10.5])
    assert market.growth_index(20.0, 1.0) == 20.0


def test_split_volume_adds_up():
    first, third = market.split_volume(100.0, 0.16)
    assert first == pytest.approx(16.0) and third == pytest.approx(84.0)
    assert market.split_volume(5.0, 0.0) == (0.0, 5.0)
    assert market.split_volume(5.0, 1.0) == (5.0, 0.0)


def test_share_odds_at_the_articles_shares():
    assert market.share_odds(0.42) == pytest.approx(0.42 / 0.58)
    assert market.share_odds(0.16) == pytest.approx(0.16 / 0.84)
    assert market.share_odds(0.0) == 0.0


def test_first_party_growth_at_the_articles_numbers():
    # 42% -> 16% with 20x third-party growth: x5.26; with the illustrative 1.905x: about half.
    assert market.first_party_growth(0.42, 0.16, 20.0) == pytest.approx(5.2608, abs=1e-4)
    assert market.first_party_growth(0.42, 0.16, 20 / 10.5) == pytest.approx(0.501, abs=1e-3)
    assert market.first_party_growth(0.42, 0.0, 20.0) == 0.0


def test_break_even_growth_keeps_first_party_volume_flat():
    g = market.break_even_third_party_growth(0.42, 0.16)
    assert g == pytest.approx(3.8017, abs=1e-4)
    assert market.first_party_growth(0.42, 0.16, g) == pytest.approx(1.0)


def test_scalars_give_python_floats_and_arrays_broadcast():
    assert type(market.first_party_growth(0.42, 0.16, 20.0)) is float
    assert type(market.percent_change(1, 2)) is float
    out = market.first_party_growth(0.42, [0.42, 0.16], [[1.0], [2.0]])
    assert out.shape == (2, 2)
    np.testing.assert_allclose(out[:, 0], [1.0, 2.0])


@given(s0=shares, s1=shares, g=growths)
def test_first_party_growth_matches_the_volumes_it_stands_for(s0, s1, g):
    # Build the volumes explicitly: T0 = 1, T1 = g, F = s / (1 - s) x T; then the share comes back.
    f0 = market.share_odds(s0) * 1.0
    f1 = market.share_odds(s1) * g
    assert f1 / f0 == pytest.approx(market.first_party_growth(s0, s1, g), rel=1e-9)
    assert f1 / (f1 + g) == pytest.approx(s1, rel=1e-9)


@given(s0=shares, s1=shares, g=growths)
def test_first_party_volume_grows_exactly_when_others_beat_the_break_even(s0, s1, g):
    growth = market.first_party_growth(s0, s1, g)
    break_even = market.break_even_third_party_growth(s0, s1)
    assert math.isfinite(growth) and growth > 0
    assert growth == pytest.approx(g / break_even, rel=1e-9)
    if s1 < s0:
        assert break_even > 1  # a falling share needs others to grow for F to stand still


@given(total=st.floats(0, 1e12), s=st.floats(0, 1))
def test_split_volume_parts_are_non_negative_and_add_up(total, s):
    first, third = market.split_volume(total, s)
    assert first >= 0 and third >= 0
    assert first + third == pytest.approx(total, rel=1e-12, abs=1e-9)


@given(before=st.floats(1e-6, 1e6), after=st.floats(0, 1e6))
def test_percent_change_is_never_below_minus_100(before, after):
    change = market.percent_change(before, after)
    assert change >= -100
    assert (change > 0) == (after > before)


@pytest.mark.parametrize(
    "call, parameter, value",
    [
        (lambda: market.percent_change(0, 5), "before", "0"),
        (lambda: market.percent_change(-1, 5), "before", "-1"),
        (lambda: market.percent_change(1, -5), "after", "-5"),
        (lambda: market.percent_change("a", 5), "before", "'a'"),
        (lambda: market.growth_index([1, -2], 1), "values", "-2"),
        (lambda: market.growth_index([1, 2], 0), "base", "0"),
        (lambda: market.split_volume(-1, 0.5), "total", "-1"),
        (lambda: market.split_volume(1, 1.5), "first_party_share", "1.5"),
        (lambda: market.share_odds(1.0), "first_party_share", "1"),
        (lambda: market.share_odds(float("nan")), "first_party_share", "nan"),
        (lambda: market.first_party_growth(0.0, 0.16, 2), "first_party_share_before", "0"),
        (lambda: market.first_party_growth(1.0, 0.16, 2), "first_party_share_before", "1"),
        (lambda: market.first_party_growth(0.42, 1.0, 2), "first_party_share_after", "1"),
        (lambda: market.first_party_growth(0.42, -0.1, 2), "first_party_share_after", "-0.1"),
        (lambda: market.first_party_growth(0.42, 0.16, 0), "third_party_growth", "0"),
        (lambda: market.first_party_growth(0.42, 0.16, None), "third_party_growth", "None"),
        (lambda: market.break_even_third_party_growth(0.42, 0.0), "first_party_share_after", "0"),
        (lambda: market.break_even_third_party_growth(1.2, 0.16), "first_party_share_before", "1.2"),
    ],
)
def test_bad_inputs_are_errors_that_name_the_parameter_and_value(call, parameter, value):
    with pytest.raises(ValueError) as error:
        call()
    message = str(error.value)
    assert message.startswith(parameter) and value in message


# ---- charts ------------------------------------------------------------------------------------


def tooltip_fields(spec) -> set[str]:
    return {t["field"] for tips in find(spec, "tooltip") if isinstance(tips, list) for t in tips}


def quality_channels(spec) -> list[dict]:
    return [enc[c] for enc in find(spec, "encoding") for c in ("shape", "strokeDash") if c in enc]


@pytest.fixture(scope="module")
def app_rows():
    return market_charts.app_share_rows(
        data.load("app_market_share"), data.load("app_market_share_illustrative")
    )


def test_app_share_rows_keep_both_readings_and_the_illustrative_line(app_rows):
    readings = app_rows[app_rows["quality"] == "chart-read"]
    assert sorted(readings["value"]) == [4.5, 5.0, 7.5, 8.0]
    line = app_rows[app_rows["quality"] == "illustrative"]
    assert line["value"].tolist() == data.load("app_market_share_illustrative")["share_pct"].tolist()
    assert set(line["series"]) == {"illustrative straight line"}


def test_app_share_rows_keep_only_the_chosen_reading():
    readings = data.load("app_market_share")
    rows = market_charts.app_share_rows(readings, peak_reading="B", may_reading="A")
    assert rows["value"].tolist() == [8.0, 5.0]
    assert rows["series"].tolist() == ["reading B: over 8% peak", "reading A: about 7.5% peak"]
    assert rows["label"].tolist() == ["over 8%", "about 5%"]
    with pytest.raises(ValueError, match="peak_reading"):
        market_charts.app_share_rows(readings, peak_reading="nobody.example")


def test_reading_month_places_each_reading_at_the_first_month_it_names():
    assert market_charts.reading_month("Jan-Feb 2025").month == 1
    assert market_charts.reading_month("end of May 2025").month == 5
    with pytest.raises(ValueError, match="period"):
        market_charts.reading_month("spring")


def test_no_reading_is_drawn_before_r1s_release_or_outside_its_month(app_rows):
    release = pd.Timestamp(market_charts.R1_RELEASE)
    events = data.load("events")
    assert "DeepSeek-R1 released" in events.loc[events["date"] == release, "event"].iloc[0]
    peaks = app_rows[app_rows["value"] >= 7.5]
    assert (peaks["date"] > release).all() and (peaks["date"].dt.month == 1).all()
    for period in ["May 2025", "end of May 2025", "Mar 2025"]:
        drawn = market_charts.reading_date(period)
        assert drawn.month == market_charts.reading_month(period).month and drawn.day in (15, 16, 17)
    assert all("drawn mid-month" in p for p in app_rows.loc[app_rows["quality"] == "chart-read", "period"])


def test_the_over_8_reading_is_labelled_and_clear_of_the_top_edge(app_rows):
    spec = market_charts.timeline_chart(app_rows, title="t", y_title="share, %").to_dict()
    texts = [enc["text"]["field"] for enc in find(spec, "encoding") if "text" in enc]
    assert "label" in texts
    assert "over 8%" in set(app_rows["label"])
    top = max(
        enc["y"]["scale"]["domain"][1]
        for enc in find(spec, "encoding")
        if "domain" in enc.get("y", {}).get("scale", {})
    )
    assert top >= 1.2 * app_rows["value"].max()


def test_the_timeline_has_titles_with_units_tooltips_quality_and_events(app_rows):
    events = market_charts.event_rows(data.load("events"))
    chart = market_charts.timeline_chart(
        app_rows, events, title="Share (%)", y_title="share of AI-app usage, %"
    )
    spec = chart.to_dict()
    assert spec["title"]["text"] == "Share (%)"
    y_titles = [enc["y"]["title"] for enc in find(spec, "encoding") if "title" in enc.get("y", {})]
    assert y_titles and all("%" in t for t in y_titles)
    assert {"value", "quality", "source", "period"} <= tooltip_fields(spec)
    channels = quality_channels(spec)
    assert len(channels) == 2 and all(c["scale"]["domain"] == list(QUALITY_LABELS) for c in channels)
    assert "illustrative" in spec["description"] and "R1 released" in spec["description"]
    assert chart.data is app_rows
    colours = [
        enc["color"]["scale"]["range"] for enc in find(spec, "encoding") if "scale" in enc.get("color", {})
    ]
    assert colours and all(set(c) <= set(charts.OKABE_ITO) for c in colours)


def test_event_rows_mark_r1s_launch():
    events = market_charts.event_rows(data.load("events"))
    launch = events[events["label"] == "R1 released"]
    assert launch["date"].dt.strftime("%Y-%m-%d").tolist() == ["2025-01-20"]
    assert "0.55" in launch["event"].iloc[0]


def test_token_share_and_third_party_rows_come_from_the_datasets():
    rows = market_charts.token_share_rows(
        data.load("first_party_token_share"), data.load("first_party_token_share_illustrative")
    )
    assert rows.loc[rows["quality"] == "chart-read", "value"].tolist() == [42.0, 16.0]
    assert rows.loc[rows["quality"] == "illustrative", "value"].tolist() == [42.0, 29.0, 16.0]
    usage = market_charts.third_party_rows(
        data.load("third_party_growth"), data.load("third_party_usage_illustrative")
    )
    assert usage.loc[usage["quality"] == "reported", "value"].tolist() == [20.0]
    assert "nearly 20x" in usage.loc[usage["quality"] == "reported", "period"].iloc[0]


def test_timeline_rejects_bad_rows(app_rows):
    with pytest.raises(ValueError, match="empty"):
        market_charts.timeline_chart(app_rows.iloc[:0], title="t", y_title="y")
    with pytest.raises(ValueError, match="missing"):
        market_charts.timeline_chart(app_rows.drop(columns=["quality"]), title="t", y_title="y")


def test_web_traffic_chart_draws_every_reading_with_gemini_twice():
    traffic = data.load("web_traffic_change")
    chart = market_charts.web_traffic_chart(traffic)
    spec = chart.to_dict()
    records = spec["datasets"][spec["data"]["name"]]
    assert [r["change_pct"] for r in records] == traffic["change_pct"].tolist()
    assert sum(r["site"] == "Gemini" for r in records) == 2
    assert len({r["label"] for r in records}) == len(records)
    assert "%" in spec["title"]["text"] and "chart-read" in spec["title"]["subtitle"]
    assert {"change_pct", "quality", "source"} <= tooltip_fields(spec)
    assert quality_channels(spec)[0]["scale"]["domain"] == list(QUALITY_LABELS)
    assert "-29.0%" in spec["description"]
    with pytest.raises(ValueError, match="sites"):
        market_charts.web_traffic_chart(traffic, ["Altavista"])


def colour_scale(chart) -> dict:
    return next(enc["color"]["scale"] for enc in find(chart.to_dict(), "encoding") if "color" in enc)


def test_web_traffic_colours_stay_put_when_rivals_are_hidden():
    traffic = data.load("web_traffic_change")
    everyone = market_charts.web_traffic_chart(traffic)
    grok_only = market_charts.web_traffic_chart(traffic, ["Grok"])
    assert colour_scale(everyone) == colour_scale(grok_only)


def test_volume_rows_follow_the_model():
    rows = market_charts.volume_rows(["March", "May"], [0.42, 0.16], [10.5, 20.0], "illustrative")
    first = rows[rows["party"] == "DeepSeek (first party)"]["volume_index"].to_numpy()
    np.testing.assert_allclose(first, [market.share_odds(0.42) * 10.5, market.share_odds(0.16) * 20.0])
    np.testing.assert_allclose(rows.loc[rows["party"] == "DeepSeek (first party)", "share_pct"], [42, 16])
    assert set(rows["quality"]) == {"illustrative"}


def test_volume_chart_says_illustrative_and_has_units_tooltips_and_quality():
    rows = market_charts.volume_rows(["before", "after"], [0.42, 0.16], [1.0, 1.9], "illustrative")
    spec = market_charts.volume_chart(rows).to_dict()
    assert "illustrative" in spec["title"]["subtitle"]
    assert "index" in spec["title"]["text"]
    assert {"volume_index", "share_pct", "quality"} <= tooltip_fields(spec)
    assert quality_channels(spec)[0]["scale"]["domain"] == list(QUALITY_LABELS)
    assert "DeepSeek's share 42%" in spec["description"]


def test_refresh_volume_chart_swaps_only_the_numbers():
    rows = market_charts.volume_rows(["before", "after"], [0.42, 0.16], [1.0, 1.9], "illustrative")
    chart = market_charts.volume_chart(rows)
    more = market_charts.volume_rows(["before", "after"], [0.42, 0.16], [1.0, 20.0], "illustrative")
    new = market_charts.refresh_volume_chart(chart, more)
    assert new.data["volume_index"].iloc[-1] == 20.0 and chart.data["volume_index"].iloc[-1] == 1.9
    assert new.description != chart.description
    derived = market_charts.volume_rows(["before", "after"], [0.42, 0.16], [1.0, 20.0], "derived")
    rebuilt = market_charts.refresh_volume_chart(chart, derived)
    assert rebuilt.to_dict()["title"]["subtitle"] == charts.ONE_QUALITY_NOTE["derived"]


def test_every_market_chart_renders_offline_with_its_words(app_rows):
    vl_convert = pytest.importorskip("vl_convert")
    svg = vl_convert.vegalite_to_svg(
        market_charts.timeline_chart(app_rows, title="DeepSeek app share", y_title="share, %").to_json()
    )
    for word in ("DeepSeek app share", "illustrative straight line", "chart-read"):
        assert word in svg
