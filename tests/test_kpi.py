"""Tests of the KPI formulas against hand-computed values and their validation."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tokenomics import kpi

pytestmark = pytest.mark.filterwarnings("error")


def test_ttft_is_queue_wait_plus_prefill():
    assert kpi.ttft_s(0.25, queue_wait_s=1.5) == pytest.approx(1.75)
    assert kpi.ttft_s(0.25) == pytest.approx(0.25)


def test_interactivity_is_inverse_of_tpot():
    assert kpi.interactivity_tokens_per_s(0.02) == pytest.approx(50.0)


def test_tpot_follows_vllm_definition():
    # 10 s after the first token, spread over the 500 tokens that follow it.
    assert kpi.tpot_s(latency_s=10.5, ttft_s=0.5, output_tokens=501) == pytest.approx(0.02)


def test_end_to_end_latency():
    assert kpi.end_to_end_latency_s(ttft_s=0.5, tpot_s=0.02, output_tokens=501) == pytest.approx(10.5)
    assert kpi.end_to_end_latency_s(ttft_s=0.5, tpot_s=0.02, output_tokens=1) == pytest.approx(0.5)


@given(
    ttft=st.floats(0.0, 100.0),
    tpot=st.floats(0.0, 10.0),
    output_tokens=st.integers(2, 100_000),
)
def test_tpot_and_latency_round_trip(ttft, tpot, output_tokens):
    latency = kpi.end_to_end_latency_s(ttft, tpot, output_tokens)
    assert kpi.tpot_s(latency, ttft, output_tokens) == pytest.approx(tpot, rel=1e-9, abs=1e-12)


def test_blended_price_deepseek_and_azure():
    deepseek = kpi.blended_price_usd_per_mtok(0.55, 2.19)
    azure = kpi.blended_price_usd_per_mtok(1.35, 5.40)
    assert deepseek == pytest.approx(0.96)
    assert azure == pytest.approx(2.3625)
    assert azure / deepseek == pytest.approx(2.46, abs=0.005)


def test_blended_price_ratio_extremes():
    assert kpi.blended_price_usd_per_mtok(1.0, 4.0, input_to_output_ratio=0.0) == pytest.approx(4.0)
    assert kpi.blended_price_usd_per_mtok(1.0, 4.0, input_to_output_ratio=1.0) == pytest.approx(2.5)


def test_revenue_counts_tokens_in_millions():
    assert kpi.revenue_usd(2.19, 3_000_000) == pytest.approx(6.57)
    assert kpi.revenue_usd(2.19, 0) == 0.0


def test_cost_per_mtok_deepseek_h800():
    tokens_per_s_per_gpu = 14_800 / 8
    assert tokens_per_s_per_gpu == 1_850
    assert kpi.cost_usd_per_mtok(2.0, tokens_per_s_per_gpu) == pytest.approx(0.30, abs=0.001)


def test_margins_deepseek_day():
    assert kpi.cost_profit_margin(562_027, 87_072) == pytest.approx(5.455, abs=0.0005)
    assert kpi.conventional_margin(562_027, 87_072) == pytest.approx(0.845, abs=0.0005)


def test_scalar_inputs_give_python_floats():
    assert type(kpi.blended_price_usd_per_mtok(0.55, 2.19)) is float
    assert type(kpi.tpot_s(10.5, 0.5, 501)) is float


def test_functions_broadcast_over_arrays():
    input_prices = np.array([0.55, 1.35])
    output_prices = np.array([2.19, 5.40])
    np.testing.assert_allclose(kpi.blended_price_usd_per_mtok(input_prices, output_prices), [0.96, 2.3625])

    ratios = np.array([[0.0], [1.0], [3.0]])
    assert kpi.blended_price_usd_per_mtok(input_prices, output_prices, ratios).shape == (3, 2)

    latencies = kpi.end_to_end_latency_s(np.array([0.1, 0.5]), np.array([[0.01], [0.02]]), 101)
    np.testing.assert_allclose(latencies, [[1.1, 1.5], [2.1, 2.5]])
    np.testing.assert_allclose(kpi.tpot_s(latencies, np.array([0.1, 0.5]), 101), [[0.01, 0.01], [0.02, 0.02]])

    np.testing.assert_allclose(kpi.cost_usd_per_mtok([2.0, 4.0], 1_850), [0.3003, 0.6006], atol=1e-4)
    np.testing.assert_allclose(kpi.cost_profit_margin([200.0, 300.0], 100.0), [1.0, 2.0])
    np.testing.assert_allclose(kpi.conventional_margin([200.0, 400.0], 100.0), [0.5, 0.75])
    np.testing.assert_allclose(kpi.revenue_usd([1.0, 2.0], 1e6), [1.0, 2.0])
    np.testing.assert_allclose(kpi.ttft_s([0.1, 0.2], [1.0, 2.0]), [1.1, 2.2])
    np.testing.assert_allclose(kpi.interactivity_tokens_per_s([0.01, 0.02]), [100.0, 50.0])


@pytest.mark.parametrize(
    ("call", "parameter"),
    [
        (lambda: kpi.ttft_s(-0.1), "prefill_s"),
        (lambda: kpi.ttft_s(0.1, queue_wait_s=-1.0), "queue_wait_s"),
        (lambda: kpi.ttft_s(float("nan")), "prefill_s"),
        (lambda: kpi.interactivity_tokens_per_s(0.0), "tpot_s"),
        (lambda: kpi.interactivity_tokens_per_s(-0.02), "tpot_s"),
        (lambda: kpi.tpot_s(-1.0, 0.5, 10), "latency_s"),
        (lambda: kpi.tpot_s(1.0, -0.5, 10), "ttft_s"),
        (lambda: kpi.tpot_s(1.0, 2.0, 10), "latency_s"),
        (lambda: kpi.tpot_s(1.0, 0.5, 1), "output_tokens"),
        (lambda: kpi.tpot_s(1.0, 0.5, 10.5), "output_tokens"),
        (lambda: kpi.end_to_end_latency_s(-0.5, 0.02, 10), "ttft_s"),
        (lambda: kpi.end_to_end_latency_s(0.5, -0.02, 10), "tpot_s"),
        (lambda: kpi.end_to_end_latency_s(0.5, 0.02, 0), "output_tokens"),
        (lambda: kpi.blended_price_usd_per_mtok(-0.55, 2.19), "input_usd_per_mtok"),
        (lambda: kpi.blended_price_usd_per_mtok(0.55, -2.19), "output_usd_per_mtok"),
        (lambda: kpi.blended_price_usd_per_mtok(0.55, 2.19, -3.0), "input_to_output_ratio"),
        (lambda: kpi.blended_price_usd_per_mtok("cheap", 2.19), "input_usd_per_mtok"),
        (lambda: kpi.revenue_usd(-1.0, 1e6), "price_usd_per_mtok"),
        (lambda: kpi.revenue_usd(1.0, -1e6), "tokens"),
        (lambda: kpi.cost_usd_per_mtok(-2.0, 1_850), "usd_per_gpu_hour"),
        (lambda: kpi.cost_usd_per_mtok(2.0, 0.0), "tokens_per_s_per_gpu"),
        (lambda: kpi.cost_usd_per_mtok(2.0, float("inf")), "tokens_per_s_per_gpu"),
        (lambda: kpi.cost_profit_margin(-1.0, 87_072), "revenue_usd"),
        (lambda: kpi.cost_profit_margin(562_027, 0.0), "cost_usd"),
        (lambda: kpi.conventional_margin(0.0, 87_072), "revenue_usd"),
        (lambda: kpi.conventional_margin(562_027, -1.0), "cost_usd"),
    ],
)
def test_bad_input_names_the_parameter(call, parameter):
    with pytest.raises(ValueError, match=parameter):
        call()


def test_bad_element_in_array_is_reported():
    with pytest.raises(ValueError, match=r"tpot_s must be > 0 \(got -1\)"):
        kpi.interactivity_tokens_per_s([0.02, -1.0])
