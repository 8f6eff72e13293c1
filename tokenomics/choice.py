"""Choosing a provider: who qualifies, who is cheapest, and how users split between hosts.

The same open model (DeepSeek-R1) is sold by many hosts at different prices, speeds and
context windows. A user with a budget and a latency tolerance sees only some of them; a
crowd of users with different tastes splits between them. This module holds the arithmetic:

* :func:`qualifies`: a host qualifies when its price is within the budget, its latency
  within the tolerance and its context window at least the minimum;
* :func:`cheapest_qualifying`: the position of the cheapest host that qualifies;
* :func:`crossover_ratio`: the input:output mix at which two hosts' blended prices are equal,
  so their ranking swaps;
* :func:`utility` and :func:`logit_shares`: a simple choice model in which every host gets a
  score from its price, latency, speed and context, and users split in proportion to
  exp(score).

Prices are in US dollars per million tokens, latencies in seconds, speeds in tokens per
second per user, context windows in tokens. Every function broadcasts over numpy arrays and
returns a Python float (or bool) for scalar inputs.
"""

from __future__ import annotations

import numpy as np

from tokenomics.validation import as_array, finite_result, positive, scalar_or_array


@finite_result
def qualifies(
    price_usd_per_mtok,
    latency_s,
    context_tokens,
    budget_usd_per_mtok,
    max_latency_s,
    min_context_tokens=0,
):
    """Whether a host meets a user's three requirements at once.

    qualifies = (price <= budget) and (latency <= max latency) and (context >= min context).

    Parameters
    ----------
    price_usd_per_mtok : float or array_like
        The host's price, US dollars per million tokens (>= 0), usually blended.
    latency_s : float or array_like
        The host's latency (time to the first token), seconds (>= 0).
    context_tokens : float or array_like
        The host's context window, tokens (> 0).
    budget_usd_per_mtok : float or array_like
        The most the user will pay, US dollars per million tokens (>= 0).
    max_latency_s : float or array_like
        The longest the user will wait, seconds (>= 0; ``inf`` for no limit).
    min_context_tokens : float or array_like, optional
        The smallest context window the user's work needs, tokens (>= 0). Defaults to 0.

    Returns
    -------
    bool or numpy.ndarray of bool

    Examples
    --------
    DeepSeek's own API (64K context, $0.96 blended) for a user who needs 128K:

    >>> qualifies(0.96, 2.0, 64_000, budget_usd_per_mtok=3, max_latency_s=10, min_context_tokens=128_000)
    False
    >>> qualifies([0.96, 2.36], [30, 5], [64_000, 128_000], 3, 10).tolist()
    [False, True]
    """
    price = positive("price_usd_per_mtok", price_usd_per_mtok, allow_zero=True)
    latency = positive("latency_s", latency_s, allow_zero=True)
    context = positive("context_tokens", context_tokens)
    budget = positive("budget_usd_per_mtok", budget_usd_per_mtok, allow_zero=True)
    max_latency = positive("max_latency_s", max_latency_s, allow_zero=True, allow_inf=True)
    min_context = positive("min_context_tokens", min_context_tokens, allow_zero=True)
    return scalar_or_array((price <= budget) & (latency <= max_latency) & (context >= min_context))


@finite_result
def cheapest_qualifying(
    price_usd_per_mtok,
    latency_s,
    context_tokens,
    budget_usd_per_mtok,
    max_latency_s,
    min_context_tokens=0,
):
    """The position of the cheapest host that qualifies (:func:`qualifies`), or None.

    Parameters
    ----------
    price_usd_per_mtok, latency_s, context_tokens : array_like
        One value per host, as in :func:`qualifies` (scalars are broadcast).
    budget_usd_per_mtok, max_latency_s, min_context_tokens : float
        The user's requirements, as in :func:`qualifies`.

    Returns
    -------
    int or None
        The index of the cheapest qualifying host (the first one on a tie); None when no host
        qualifies.

    Examples
    --------
    >>> cheapest_qualifying([0.96, 2.36, 4.0], [30, 5, 3], [64_000, 128_000, 128_000], 5, 10)
    1
    >>> cheapest_qualifying([0.96, 2.36], [30, 5], [64_000, 128_000], 1, 10) is None
    True
    """
    ok = np.atleast_1d(
        qualifies(
            price_usd_per_mtok,
            latency_s,
            context_tokens,
            budget_usd_per_mtok,
            max_latency_s,
            min_context_tokens,
        )
    )
    if not ok.any():
        return None
    price = np.broadcast_to(np.asarray(price_usd_per_mtok, dtype=float), ok.shape)
    return int(np.argmin(np.where(ok, price, np.inf)))


@finite_result(allow_inf=True)
def crossover_ratio(input_a_usd_per_mtok, output_a_usd_per_mtok, input_b_usd_per_mtok, output_b_usd_per_mtok):
    """The input:output ratio at which hosts A and B cost the same blended price.

    Blended prices (r x input + output) / (r + 1) are equal when
    r = (output B - output A) / (input A - input B). Below that ratio the host with the cheaper
    output wins, above it the host with the cheaper input. When no ratio r >= 0 makes them
    equal (one host is cheaper at every mix, or both input prices are equal) the answer is
    ``inf``.

    Parameters
    ----------
    input_a_usd_per_mtok, output_a_usd_per_mtok : float or array_like
        Host A's input and output prices, US dollars per million tokens (>= 0).
    input_b_usd_per_mtok, output_b_usd_per_mtok : float or array_like
        Host B's prices, the same way.

    Returns
    -------
    float or numpy.ndarray
        Input tokens per output token (>= 0), or ``inf``.

    Examples
    --------
    Lambda ($0.20 in, $0.60 out) against Hyperbolic ($0.25 in, $0.25 out):

    >>> round(crossover_ratio(0.20, 0.60, 0.25, 0.25), 6)
    7.0
    >>> crossover_ratio(0.55, 2.19, 1.35, 5.40)   # DeepSeek is cheaper than Azure at every mix
    inf
    """
    in_a = positive("input_a_usd_per_mtok", input_a_usd_per_mtok, allow_zero=True)
    out_a = positive("output_a_usd_per_mtok", output_a_usd_per_mtok, allow_zero=True)
    in_b = positive("input_b_usd_per_mtok", input_b_usd_per_mtok, allow_zero=True)
    out_b = positive("output_b_usd_per_mtok", output_b_usd_per_mtok, allow_zero=True)
    in_a, out_a, in_b, out_b = np.broadcast_arrays(in_a, out_a, in_b, out_b)
    input_gap = in_a - in_b
    output_gap = out_b - out_a
    safe_gap = np.where(input_gap == 0, 1.0, input_gap)
    ratio = output_gap / safe_gap
    never = (input_gap == 0) | (ratio < 0)
    return scalar_or_array(np.where(never, np.inf, np.maximum(ratio, 0.0)))


@finite_result
def utility(
    price_usd_per_mtok,
    latency_s,
    tokens_per_s,
    context_tokens,
    *,
    price_weight=1.0,
    latency_weight_per_s=0.1,
    speed_weight=1.0,
    context_weight=1.0,
):
    """A host's score in the eyes of a user: cheap, quick, fast and roomy score high.

    U = - w_price x ln(price) - w_latency x latency + w_speed x ln(speed) + w_context x ln(context).

    Logarithms make price, speed and context count in ratios: halving the price adds
    w_price x ln 2 to the score whether it falls from $4 to $2 or from $1 to $0.50. Latency
    counts in seconds. The default weights are illustrative teaching values, not estimates.

    Parameters
    ----------
    price_usd_per_mtok : float or array_like
        US dollars per million tokens (> 0).
    latency_s : float or array_like
        Seconds to the first token (>= 0).
    tokens_per_s : float or array_like
        Output tokens per second per user (> 0).
    context_tokens : float or array_like
        Context window, tokens (> 0).
    price_weight, speed_weight, context_weight : float or array_like, optional
        Weights of the logarithms (>= 0). Default 1 (illustrative).
    latency_weight_per_s : float or array_like, optional
        Score lost per second of latency (>= 0). Default 0.1 (illustrative).

    Returns
    -------
    float or numpy.ndarray
        The score (no unit; only differences between hosts matter).

    Examples
    --------
    >>> round(utility(2.0, 0.0, 1.0, 1.0) - utility(1.0, 0.0, 1.0, 1.0), 4)   # twice the price
    -0.6931
    >>> round(utility(1.0, 25.0, 1.0, 1.0), 4)   # 25 s of waiting at 0.1 per second
    -2.5
    """
    price = positive("price_usd_per_mtok", price_usd_per_mtok)
    latency = positive("latency_s", latency_s, allow_zero=True)
    speed = positive("tokens_per_s", tokens_per_s)
    context = positive("context_tokens", context_tokens)
    w_price = positive("price_weight", price_weight, allow_zero=True)
    w_latency = positive("latency_weight_per_s", latency_weight_per_s, allow_zero=True)
    w_speed = positive("speed_weight", speed_weight, allow_zero=True)
    w_context = positive("context_weight", context_weight, allow_zero=True)
    score = (
        -w_price * np.log(price) - w_latency * latency + w_speed * np.log(speed) + w_context * np.log(context)
    )
    return scalar_or_array(score)


@finite_result
def logit_shares(utilities):
    """The share of users who pick each host: exp(U_i) / sum over hosts of exp(U_j).

    A host with a score one unit higher than another gets e (about 2.7) times its users; every
    host keeps some users, because tastes differ. The shares run over the last axis.

    Parameters
    ----------
    utilities : array_like
        One score per host (finite), for example from :func:`utility`; the last axis runs over
        hosts.

    Returns
    -------
    numpy.ndarray
        Shares from 0 to 1 that sum to 1 over the last axis.

    Examples
    --------
    >>> logit_shares([0.0, 0.0]).tolist()
    [0.5, 0.5]
    >>> logit_shares([1.0, 0.0]).round(3).tolist()
    [0.731, 0.269]
    """
    scores = as_array("utilities", utilities)
    if not np.isfinite(scores).all():
        raise ValueError(f"utilities must be finite (got {utilities!r})")
    scores = np.atleast_1d(scores)
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return weights / weights.sum(axis=-1, keepdims=True)
