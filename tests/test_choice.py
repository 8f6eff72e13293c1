"""The provider-choice model: who qualifies, the cheapest, blend crossovers, utility and logit shares."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tokenomics import choice, data
from tokenomics.kpi import blended_price_usd_per_mtok

prices = st.floats(0, 20, allow_nan=False)
positive_prices = st.floats(0.01, 20, allow_nan=False)
latencies = st.floats(0, 60, allow_nan=False)
contexts = st.floats(1_000, 300_000, allow_nan=False)


# ---- qualifies and cheapest_qualifying ----------------------------------------------------------


def test_a_host_qualifies_only_when_all_three_requirements_hold():
    args = dict(budget_usd_per_mtok=2.0, max_latency_s=10.0, min_context_tokens=100_000)
    assert choice.qualifies(1.0, 5.0, 128_000, **args) is True
    assert choice.qualifies(3.0, 5.0, 128_000, **args) is False  # over budget
    assert choice.qualifies(1.0, 27.0, 128_000, **args) is False  # too slow
    assert choice.qualifies(1.0, 5.0, 64_000, **args) is False  # context too small
    assert choice.qualifies(2.0, 10.0, 100_000, **args) is True  # limits are inclusive


def test_qualifies_broadcasts_and_accepts_no_latency_limit():
    ok = choice.qualifies([0.96, 2.36, 4.0], [27, 2, 2], [64_000, 128_000, 160_000], 3.0, math.inf)
    assert ok.tolist() == [True, True, False]


def test_cheapest_qualifying_picks_the_lowest_price_among_qualifiers():
    price, latency, context = [0.24, 0.96, 2.36, 0.30], [27, 27, 2, 2], [64_000, 64_000, 128_000, 131_072]
    assert choice.cheapest_qualifying(price, latency, context, 5.0, 10.0) == 3
    assert choice.cheapest_qualifying(price, latency, context, 5.0, 30.0) == 0
    assert choice.cheapest_qualifying(price, latency, context, 0.1, 30.0) is None
    assert choice.cheapest_qualifying(price, latency, context, 5.0, 30.0, 130_000) == 3


def test_deepseek_qualifies_for_nobody_who_needs_more_than_its_64k_context():
    providers = data.load("r1_providers")
    deepseek = providers[providers["provider"] == "DeepSeek"]
    blended = blended_price_usd_per_mtok(deepseek["input_usd_per_mtok"], deepseek["output_usd_per_mtok"])
    ok = choice.qualifies(blended, 0.0, deepseek["context_tokens"], 100.0, math.inf, 64_001)
    assert not ok.any()


@given(
    st.lists(st.tuples(prices, latencies, contexts), min_size=1, max_size=8),
    prices,
    prices,
    latencies,
    contexts,
)
def test_a_bigger_budget_never_removes_a_qualifying_host(hosts, budget, extra, max_latency, min_context):
    price, latency, context = (np.array(column) for column in zip(*hosts, strict=True))
    before = np.atleast_1d(choice.qualifies(price, latency, context, budget, max_latency, min_context))
    after = np.atleast_1d(choice.qualifies(price, latency, context, budget + extra, max_latency, min_context))
    assert (after | ~before).all()
    best = choice.cheapest_qualifying(price, latency, context, budget, max_latency, min_context)
    if best is None:
        assert not before.any()
    else:
        assert before[best] and price[best] == price[before].min()


# ---- crossover ratio --------------------------------------------------------------------------


def test_lambda_and_hyperbolic_swap_places_at_seven_input_tokens_per_output_token():
    ratio = choice.crossover_ratio(0.20, 0.60, 0.25, 0.25)
    assert ratio == pytest.approx(7.0)
    lam, hyp = blended_price_usd_per_mtok([0.20, 0.25], [0.60, 0.25], [[3.0], [10.0]]).T
    assert (hyp < lam)[0] and (lam < hyp)[1]


def test_no_crossover_is_infinite():
    assert choice.crossover_ratio(0.55, 2.19, 1.35, 5.40) == math.inf  # DeepSeek cheaper at every mix
    assert choice.crossover_ratio(1.0, 2.0, 1.0, 3.0) == math.inf  # equal input prices
    assert choice.crossover_ratio([0.20, 0.55], [0.60, 2.19], [0.25, 1.35], [0.25, 5.40]).tolist() == [
        pytest.approx(7.0),
        math.inf,
    ]


@given(positive_prices, positive_prices, positive_prices, positive_prices)
def test_blended_prices_are_equal_at_the_crossover(in_a, out_a, in_b, out_b):
    ratio = choice.crossover_ratio(in_a, out_a, in_b, out_b)
    if math.isfinite(ratio):
        a = blended_price_usd_per_mtok(in_a, out_a, ratio)
        b = blended_price_usd_per_mtok(in_b, out_b, ratio)
        assert a == pytest.approx(b, rel=1e-9, abs=1e-9)
        assert ratio >= 0


# ---- utility and logit shares -----------------------------------------------------------------


def test_utility_counts_price_speed_and_context_in_ratios_and_latency_in_seconds():
    base = choice.utility(1.0, 0.0, 25.0, 64_000)
    assert choice.utility(0.5, 0.0, 25.0, 64_000) - base == pytest.approx(math.log(2))
    assert choice.utility(1.0, 25.0, 25.0, 64_000) - base == pytest.approx(-2.5)
    assert choice.utility(1.0, 0.0, 50.0, 64_000) - base == pytest.approx(math.log(2))
    assert choice.utility(1.0, 0.0, 25.0, 128_000) - base == pytest.approx(math.log(2))
    assert choice.utility(1.0, 10.0, 25.0, 64_000, latency_weight_per_s=0) == pytest.approx(base)


def test_logit_shares_follow_the_score_gaps():
    shares = choice.logit_shares([1.0, 0.0, 0.0])
    assert shares.sum() == pytest.approx(1.0)
    assert shares[0] / shares[1] == pytest.approx(math.e)
    rows = choice.logit_shares([[0.0, 0.0], [2.0, 0.0]])
    assert rows.sum(axis=-1).tolist() == pytest.approx([1.0, 1.0])
    assert choice.logit_shares([1000.0, 0.0]).tolist() == pytest.approx([1.0, 0.0])  # no overflow


@given(st.lists(st.floats(-50, 50, allow_nan=False), min_size=1, max_size=10), st.floats(0.01, 10))
def test_raising_one_hosts_score_raises_its_share_and_shares_sum_to_one(scores, bump):
    before = choice.logit_shares(scores)
    assert before.sum() == pytest.approx(1.0) and (before >= 0).all() and (before <= 1).all()
    raised = list(scores)
    raised[0] += bump
    after = choice.logit_shares(raised)
    assert after[0] >= before[0]


@given(positive_prices, latencies, st.floats(1, 200), contexts, st.floats(0, 5))
def test_a_longer_wait_never_raises_the_score(price, latency, speed, context, extra_s):
    slow = choice.utility(price, latency + extra_s, speed, context)
    assert slow <= choice.utility(price, latency, speed, context) + 1e-12


# ---- bad input ----------------------------------------------------------------------------------

GOOD_QUALIFY = dict(
    price_usd_per_mtok=1.0,
    latency_s=2.0,
    context_tokens=64_000,
    budget_usd_per_mtok=2.0,
    max_latency_s=10.0,
    min_context_tokens=0,
)
GOOD_UTILITY = dict(price_usd_per_mtok=1.0, latency_s=2.0, tokens_per_s=25.0, context_tokens=64_000)


@pytest.mark.parametrize("function", [choice.qualifies, choice.cheapest_qualifying])
@pytest.mark.parametrize(
    "name, bad",
    [
        ("price_usd_per_mtok", -1.0),
        ("latency_s", -0.5),
        ("context_tokens", 0),
        ("budget_usd_per_mtok", -2.0),
        ("max_latency_s", -1.0),
        ("min_context_tokens", -1),
        ("price_usd_per_mtok", float("nan")),
        ("context_tokens", "64K"),
    ],
)
def test_qualify_functions_name_the_bad_parameter(function, name, bad):
    with pytest.raises(ValueError, match=name):
        function(**{**GOOD_QUALIFY, name: bad})


@pytest.mark.parametrize(
    "name, bad",
    [
        ("input_a_usd_per_mtok", -1.0),
        ("output_a_usd_per_mtok", None),
        ("input_b_usd_per_mtok", float("inf")),
        ("output_b_usd_per_mtok", -0.1),
    ],
)
def test_crossover_ratio_names_the_bad_parameter(name, bad):
    args = dict(input_a_usd_per_mtok=0.2, output_a_usd_per_mtok=0.6, input_b_usd_per_mtok=0.25)
    args["output_b_usd_per_mtok"] = 0.25
    with pytest.raises(ValueError, match=name):
        choice.crossover_ratio(**{**args, name: bad})


@pytest.mark.parametrize(
    "name, bad",
    [
        ("price_usd_per_mtok", 0.0),
        ("latency_s", -1.0),
        ("tokens_per_s", 0.0),
        ("context_tokens", -5),
        ("price_weight", -1.0),
        ("latency_weight_per_s", -0.1),
        ("speed_weight", float("nan")),
        ("context_weight", -2.0),
    ],
)
def test_utility_names_the_bad_parameter(name, bad):
    with pytest.raises(ValueError, match=name):
        choice.utility(**{**GOOD_UTILITY, name: bad})


@pytest.mark.parametrize("bad", [[], [1.0, float("inf")], [float("nan")], "high"])
def test_logit_shares_reject_bad_utilities(bad):
    with pytest.raises(ValueError, match="utilities"):
        choice.logit_shares(bad)


# ---- fit_latency_weight -----------------------------------------------------------------------


def test_the_fit_recovers_a_known_latency_weight_from_shares_it_generated():
    price = [0.96, 0.91, 4.25, 1.2]
    context = [64_000, 163_840, 160_000, 131_072]
    latency = np.array([[3.0, 0.4, 0.6, 1.1], [28.0, 0.4, 0.6, 1.1], [15.0, 0.5, 0.6, 1.0]])
    true_weight, true_constant = 0.07, 1.3
    scores = np.array(
        [choice.utility(price, row, 1.0, context, latency_weight_per_s=true_weight) for row in latency]
    )
    scores[:, 0] += true_constant
    shares = choice.logit_shares(scores)[:, 0]
    fit = choice.fit_latency_weight(price, latency, context, 0, shares)
    assert fit.latency_weight_per_s == pytest.approx(true_weight, rel=1e-4)
    assert fit.own_constant == pytest.approx(true_constant, rel=1e-4)
    assert np.abs(fit.residual_pct_points).max() < 1e-4
    assert not fit.exactly_identified  # three months, two parameters


def test_with_only_the_own_hosts_wait_changing_the_weight_is_the_fall_in_log_odds_per_second():
    fit = choice.fit_latency_weight(
        [0.96, 0.91], [[3.0, 0.4], [28.0, 0.4]], [64_000, 163_840], 0, [0.42, 0.16]
    )
    expected = (math.log(0.42 / 0.58) - math.log(0.16 / 0.84)) / 25.0
    assert fit.latency_weight_per_s == pytest.approx(expected, rel=1e-5)
    assert fit.exactly_identified
    assert fit.predicted_share == pytest.approx([0.42, 0.16], abs=1e-6)


def test_without_a_constant_the_fit_leaves_a_residual_it_reports():
    # Two equally priced hosts and nothing else: the first-party host cannot start at 42% without a constant.
    fit = choice.fit_latency_weight(
        [1.0, 1.0], [[2.0, 2.0], [27.0, 2.0]], [1.0, 1.0], 0, [0.42, 0.16], own_constant=False
    )
    assert fit.own_constant == 0.0
    assert abs(fit.residual_pct_points[0]) > 5


def test_the_fit_refuses_months_in_which_no_latency_changed():
    with pytest.raises(ValueError, match="same in every month.*cannot identify"):
        choice.fit_latency_weight([0.96, 0.91], [3.0, 0.4], [64_000, 163_840], 0, [0.42, 0.16])
    with pytest.raises(ValueError, match="1 month.*cannot identify 2 parameters"):
        choice.fit_latency_weight([0.96, 0.91], [[28.0, 0.4]], [64_000, 163_840], 0, [0.16])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(observed_own_share=[0.42, 1.2]), "observed_own_share.*strictly between 0 and 1"),
        (dict(own_host=5), "own_host must be the position of a host, 0 to 1"),
        (dict(latency_s=[[3.0, 0.4, 1.0], [28.0, 0.4, 1.0]]), "latency_s must have one value per host"),
        (dict(price_weight=-1.0), "price_weight"),
    ],
)
def test_the_fit_names_a_bad_input(kwargs, message):
    args = dict(
        price_usd_per_mtok=[0.96, 0.91],
        latency_s=[[3.0, 0.4], [28.0, 0.4]],
        context_tokens=[64_000, 163_840],
        own_host=0,
        observed_own_share=[0.42, 0.16],
    )
    with pytest.raises(ValueError, match=message):
        choice.fit_latency_weight(**(args | kwargs))
