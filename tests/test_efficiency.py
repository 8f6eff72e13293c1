"""The token-efficiency models (time to answer, break-even wordiness, cost per answer, intelligence
per token) and the lesson's charts."""

import math

import numpy as np
import pytest
from chart_specs import find, main_dataset
from hypothesis import given
from hypothesis import strategies as st

from tokenomics import data, kpi
from tokenomics.charts import efficiency as charts
from tokenomics.data import QUALITY_LABELS
from tokenomics.efficiency import (
    break_even_verbosity,
    cost_per_answer_usd,
    index_points_per_mtok,
    price_table,
    time_to_answer_s,
)

seconds = st.floats(0, 60)
speeds = st.floats(1, 500)
tokens = st.integers(1, 100_000)


def test_time_to_answer_is_ttft_plus_the_remaining_tokens_at_the_output_speed():
    assert time_to_answer_s(2.0, 1_001, 50.0) == pytest.approx(2.0 + 1_000 / 50.0)
    assert time_to_answer_s(0.0, 1, 45.0) == 0.0
    assert isinstance(time_to_answer_s(1.0, 10, 10.0), float)


def test_time_to_answer_is_the_kpi_end_to_end_latency():
    assert time_to_answer_s(1.5, 800, 40.0) == kpi.end_to_end_latency_s(1.5, 1 / 40.0, 800)


def test_the_articles_race_claude_at_45_beats_deepseek_at_25_writing_3x():
    speeds_table = data.load("speed_and_verbosity").set_index("quantity")
    claude = speeds_table.loc["output_tokens_per_s_after_drop", "value"]
    deepseek = speeds_table.loc["output_tokens_per_s", "value"]
    wordiness = speeds_table.loc["wordiness_vs_claude", "value"]
    claude_s = time_to_answer_s(0.0, 1_000, claude)
    deepseek_s = time_to_answer_s(0.0, int(wordiness * 1_000), deepseek)
    assert deepseek_s / claude_s == pytest.approx(wordiness * claude / deepseek, rel=0.01)


def test_time_to_answer_broadcasts():
    result = time_to_answer_s([0.0, 1.0], [[11], [21]], 10.0)
    assert result.shape == (2, 2)
    np.testing.assert_allclose(result, [[1.0, 2.0], [2.0, 3.0]])


def test_break_even_with_equal_first_tokens_and_a_long_answer_is_the_speed_ratio():
    assert break_even_verbosity(100_000, 1.0, 45.0, 1.0, 25.0) == pytest.approx(25 / 45, rel=1e-3)
    assert break_even_verbosity(1_000, 0.0, 45.0, 0.0, 135.0) == pytest.approx(3.0, rel=1e-2)


def test_break_even_is_zero_when_the_wordy_first_token_comes_after_the_concise_answer():
    assert break_even_verbosity(100, 0.0, 100.0, 5.0, 1_000.0) == 0.0


@given(n=tokens, ttft_c=seconds, v_c=speeds, ttft_w=seconds, v_w=speeds)
def test_at_the_break_even_both_models_finish_together(n, ttft_c, v_c, ttft_w, v_w):
    ratio = break_even_verbosity(n, ttft_c, v_c, ttft_w, v_w)
    assert ratio >= 0 and math.isfinite(ratio)
    concise_s = time_to_answer_s(ttft_c, n, v_c)
    wordy_tokens = ratio * n
    if wordy_tokens >= 1:
        assert ttft_w + (wordy_tokens - 1) / v_w == pytest.approx(concise_s, rel=1e-9, abs=1e-9)
        shorter = max(1, math.floor(wordy_tokens))
        assert time_to_answer_s(ttft_w, shorter, v_w) <= concise_s * (1 + 1e-12) + 1e-12
        assert time_to_answer_s(ttft_w, math.ceil(wordy_tokens) + 1, v_w) > concise_s


@given(n=tokens, ttft=seconds, v=speeds, faster=st.floats(1.01, 10))
def test_a_faster_wordy_model_may_be_wordier(n, ttft, v, faster):
    slow = break_even_verbosity(n, ttft, v, ttft, v)
    fast = break_even_verbosity(n, ttft, v, ttft, v * faster)
    assert fast >= slow == pytest.approx(1.0)
    if n > 1:
        assert fast > slow


@given(ttft=seconds, n=tokens, v=speeds)
def test_time_to_answer_grows_with_length_and_falls_with_speed(ttft, n, v):
    base = time_to_answer_s(ttft, n, v)
    assert base >= ttft
    assert time_to_answer_s(ttft, n + 1, v) > base
    assert time_to_answer_s(ttft, n, 2 * v) <= base


def test_cost_per_answer_adds_input_and_output_at_their_prices():
    assert cost_per_answer_usd(2_000, 1_000, 3.0, 15.0) == pytest.approx(0.006 + 0.015)
    assert cost_per_answer_usd(0, 0, 3.0, 15.0) == 0.0
    np.testing.assert_allclose(cost_per_answer_usd(1e6, [1e6, 2e6], 1.0, 2.0), [3.0, 5.0])


@given(n_in=st.floats(0, 1e6), n_out=st.floats(0, 1e6), p_in=st.floats(0, 100), p_out=st.floats(0, 100))
def test_cost_per_answer_is_linear_in_tokens(n_in, n_out, p_in, p_out):
    one = cost_per_answer_usd(n_in, n_out, p_in, p_out)
    assert one >= 0
    assert cost_per_answer_usd(2 * n_in, 2 * n_out, p_in, p_out) == pytest.approx(2 * one, abs=1e-12)


def test_a_cheaper_token_can_cost_more_per_answer():
    prices = price_table().set_index("label")
    claude = prices.loc["Claude Sonnet 4"]
    gemini = prices.loc["Gemini 2.5 Pro (prompts up to 200K tokens)"]
    assert gemini["blended_usd_per_mtok"] < claude["blended_usd_per_mtok"]
    claude_usd = cost_per_answer_usd(
        2_000, 1_000, claude["input_usd_per_mtok"], claude["output_usd_per_mtok"]
    )
    gemini_usd = cost_per_answer_usd(
        2_000, 3_000, gemini["input_usd_per_mtok"], gemini["output_usd_per_mtok"]
    )
    assert gemini_usd > claude_usd


def test_index_points_per_mtok():
    assert index_points_per_mtok(50.0, 25e6) == 2.0
    np.testing.assert_allclose(index_points_per_mtok(60.0, [26e6, 110e6]), [60 / 26, 60 / 110])


def test_price_table_holds_every_listing_with_unique_labels():
    prices = price_table()
    assert len(prices) == len(data.load("reference_prices")) + len(data.load("r1_providers"))
    assert prices["label"].is_unique
    assert set(prices["quality"]) <= set(QUALITY_LABELS)
    row = prices.set_index("label").loc["DeepSeek R1 on Microsoft Azure AI Foundry"]
    assert row["blended_usd_per_mtok"] == pytest.approx(kpi.blended_price_usd_per_mtok(1.35, 5.40))


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: time_to_answer_s(-1, 10, 10), "ttft_s"),
        (lambda: time_to_answer_s(1, 0, 10), "output_tokens"),
        (lambda: time_to_answer_s(1, 2.5, 10), "output_tokens"),
        (lambda: time_to_answer_s(1, 10, 0), "tokens_per_s"),
        (lambda: time_to_answer_s(1, 10, float("nan")), "tokens_per_s"),
        (lambda: time_to_answer_s(1, 10, "fast"), "tokens_per_s"),
        (lambda: break_even_verbosity(0, 1, 10, 1, 10), "concise_output_tokens"),
        (lambda: break_even_verbosity(10, -1, 10, 1, 10), "concise_ttft_s"),
        (lambda: break_even_verbosity(10, 1, -5, 1, 10), "concise_tokens_per_s"),
        (lambda: break_even_verbosity(10, 1, 10, -2, 10), "wordy_ttft_s"),
        (lambda: break_even_verbosity(10, 1, 10, 1, 0), "wordy_tokens_per_s"),
        (lambda: cost_per_answer_usd(-1, 10, 1, 1), "input_tokens"),
        (lambda: cost_per_answer_usd(1, -10, 1, 1), "output_tokens"),
        (lambda: cost_per_answer_usd(1, 10, -1, 1), "input_usd_per_mtok"),
        (lambda: cost_per_answer_usd(1, 10, 1, None), "output_usd_per_mtok"),
        (lambda: index_points_per_mtok(-1, 10), "index_points"),
        (lambda: index_points_per_mtok(1, 0), "output_tokens"),
    ],
)
def test_bad_inputs_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=f"^{name} "):
        call()


# Charts


CLAUDE = charts.Racer("Claude 4 Sonnet", 2.0, 45.0)
DEEPSEEK = charts.Racer("DeepSeek", 2.0, 25.0)


def test_race_data_matches_the_model():
    rows = charts.race_data(CLAUDE, DEEPSEEK, 1_000, 3.0)
    finish = rows[rows["part"] == "finish"]
    np.testing.assert_allclose(
        finish["time_s"], [time_to_answer_s(2.0, 1_000, 45.0), time_to_answer_s(2.0, 3_000, 25.0)]
    )
    phases = rows[rows["part"] == "phase"]
    assert phases["phase"].tolist() == list(charts.PHASES) * 2
    np.testing.assert_allclose(phases["end_s"].iloc[[0, 2]], [2.0, 2.0])
    even = rows.loc[rows["part"] == "break_even", "ratio"].item()
    assert even == pytest.approx(break_even_verbosity(1_000, 2.0, 45.0, 2.0, 25.0))
    curve = rows[rows["part"] == "curve"]
    np.testing.assert_allclose(curve["time_s"], time_to_answer_s(2.0, curve["output_tokens"], 25.0))
    assert set(rows["quality"]) == {"illustrative"}  # answer length and first-token times are teaching values


def test_race_quality_is_the_least_certain_input():
    reported = charts.Racer("A", 2.0, 45.0, ttft_quality="reported")
    rows = charts.race_data(reported, reported, 1_000, 3.0, tokens_quality="reported")
    assert set(rows["quality"]) == {"reported"}
    assert charts.least_certain("reported", "derived") == "derived"
    with pytest.raises(ValueError, match="qualities"):
        charts.least_certain("guessed")


def test_race_chart_spec_has_titles_units_description_tooltips_and_quality():
    spec = charts.race_chart(charts.race_data(CLAUDE, DEEPSEEK, 1_000, 3.0)).to_dict()
    assert spec["title"]["text"] == "Time to answer (s)"
    titles = [
        enc[axis]["title"]
        for enc in find(spec, "encoding")
        for axis in ("x", "y")
        if "title" in enc.get(axis, {})
    ]
    assert "time since the request was sent, s" in titles and "time to answer, s" in titles
    assert "break-even" in spec["description"] and "122.0 s" in spec["description"]
    tips = {t["field"] for tips in find(spec, "tooltip") if isinstance(tips, list) for t in tips}
    assert {"ttft_s", "tokens_per_s", "output_tokens", "time_s", "quality"} <= tips
    shapes = [enc["shape"] for enc in find(spec, "encoding") if "shape" in enc]
    dashes = [enc["strokeDash"] for enc in find(spec, "encoding") if "strokeDash" in enc]
    # every time rests on illustrative first-token times: one quality, said in the subtitle, no legend
    assert shapes and dashes and shapes[0]["scale"]["domain"] == ["illustrative"]
    assert shapes[0]["legend"] is None and "every time shown is illustrative" in spec["title"]["subtitle"]
    assert len(main_dataset(spec)) == len(charts.race_data(CLAUDE, DEEPSEEK, 1_000, 3.0))


def test_refresh_race_chart_swaps_only_data_and_description():
    chart = charts.race_chart(charts.race_data(CLAUDE, DEEPSEEK, 1_000, 3.0))
    new = charts.refresh_race_chart(chart, charts.race_data(CLAUDE, DEEPSEEK, 1_000, 1.0))
    assert new.description != chart.description
    assert new.to_dict()["vconcat"] == chart.to_dict()["vconcat"]
    assert chart.data.loc[chart.data["part"] == "now", "ratio"].item() == 3.0


def test_race_rejects_bad_wordiness_and_bad_rows():
    with pytest.raises(ValueError, match="wordiness"):
        charts.race_data(CLAUDE, DEEPSEEK, 1_000, 0.0)
    with pytest.raises(ValueError, match="race_data"):
        charts.race_chart(charts.race_data(CLAUDE, DEEPSEEK, 1_000, 1.0).drop(columns="quality"))


def test_cost_data_and_chart():
    labels = ["Claude Sonnet 4", "DeepSeek R1-0528 on DeepSeek"]
    rows = charts.cost_data(price_table(), labels, 2_000, [1_000, 3_000])
    cost = rows[rows["measure"] == "cost per answer"]
    np.testing.assert_allclose(
        cost["value"], 100 * cost_per_answer_usd(2_000, np.array([1_000, 3_000]), [3.0, 0.55], [15.0, 2.19])
    )
    assert cost["quality"].tolist() == ["illustrative", "illustrative"]
    assert rows.loc[rows["measure"] == "price per token", "quality"].tolist() == ["reported", "reported"]
    spec = charts.cost_chart(rows).to_dict()
    assert spec["title"]["text"] == "Price per token vs cost per answer"
    titles = [enc["x"]["title"] for enc in find(spec, "encoding") if "title" in enc.get("x", {})]
    assert any("$ per million tokens" in t for t in titles) and any("US cents" in t for t in titles)
    assert "Cheapest per token: DeepSeek" in spec["description"]
    tips = {t["field"] for tips in find(spec, "tooltip") if isinstance(tips, list) for t in tips}
    assert {"input_usd_per_mtok", "output_usd_per_mtok", "output_tokens", "cost_usd", "quality"} <= tips
    assert [enc["shape"] for enc in find(spec, "encoding") if "shape" in enc]
    colours = [enc["color"]["scale"]["range"] for enc in find(spec, "encoding") if "color" in enc]
    assert all(set(c) <= set(charts.OKABE_ITO) for c in colours)


def test_the_same_listing_twice_gets_two_names():
    rows = charts.cost_data(price_table(), ["Grok 4", "Grok 4"], 0, [100, 300])
    assert rows["name"].nunique() == 2
    with pytest.raises(ValueError, match="labels"):
        charts.cost_data(price_table(), ["Grok 4"], 0, [100, 300])


def test_speed_and_token_count_charts_show_only_sourced_rows():
    speed = charts.speed_chart()
    assert sorted(speed.data["value"]) == [20.0, 22.0, 25.0, 45.0, 75.0]
    assert dict(zip(speed.data["value"], speed.data["quality"], strict=True))[75.0] == "derived"
    assert "tokens/s" in speed.to_dict()["description"]
    counts = charts.token_count_chart()
    spec = counts.to_dict()
    assert [r["subject"] for r in main_dataset(spec)] == ["Grok 4", "o3", "Claude Opus 4"]
    assert "not published" in " ".join(spec["title"]["subtitle"])
    assert next(iter(find(spec, "shape")))["legend"] is None  # all reported: said once in the subtitle
    assert "millions" in spec["title"]["text"]


def test_charts_render_offline():
    vl_convert = pytest.importorskip("vl_convert")
    svg = vl_convert.vegalite_to_svg(
        charts.race_chart(charts.race_data(CLAUDE, DEEPSEEK, 1_000, 3.0)).to_json()
    )
    assert "break-even" in svg and "illustrative" in svg
