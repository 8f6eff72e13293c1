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
  exp(score);
* :func:`fit_latency_weight`: the latency weight (and a constant for the first-party host)
  that makes the logit reproduce an observed first-party share month by month.

Prices are in US dollars per million tokens, latencies in seconds, speeds in tokens per
second per user, context windows in tokens. Every function broadcasts over numpy arrays and
returns a Python float (or bool) for scalar inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class LatencyWeightFit:
    """The result of :func:`fit_latency_weight`.

    Attributes
    ----------
    latency_weight_per_s : float
        The fitted score lost per second of latency.
    own_constant : float
        The fitted extra score of the first-party host (0 when not fitted).
    price_weight, context_weight : float
        The weights held fixed during the fit.
    observed_share, predicted_share : numpy.ndarray
        The first-party host's share in each month, observed and predicted (0 to 1).
    residual_pct_points : numpy.ndarray
        Predicted minus observed share, percentage points, one per month.
    exactly_identified : bool
        True when there are as many months as fitted parameters: the fit then passes through
        every observation, so its zero residual tests nothing.
    """

    latency_weight_per_s: float
    own_constant: float
    price_weight: float
    context_weight: float
    observed_share: np.ndarray
    predicted_share: np.ndarray
    residual_pct_points: np.ndarray
    exactly_identified: bool


def _logit(share: np.ndarray) -> np.ndarray:
    return np.log(share / (1.0 - share))


def _months_by_hosts(name: str, values, shape: tuple[int, int]) -> np.ndarray:
    array = as_array(name, values)
    try:
        return np.broadcast_to(array, shape).astype(float)
    except ValueError:
        raise ValueError(
            f"{name} must have one value per host, or one row per month of them (shape {shape}: "
            f"months from observed_own_share, hosts from price_usd_per_mtok); got shape {array.shape}"
        ) from None


def fit_latency_weight(
    price_usd_per_mtok,
    latency_s,
    context_tokens,
    own_host: int,
    observed_own_share,
    *,
    price_weight=1.0,
    context_weight=1.0,
    own_constant=True,
    max_latency_weight_per_s=2.0,
):
    """Fit the latency weight of the logit so it reproduces a first-party host's share month by month.

    Each month, host j scores U_j = - w_price ln(price_j) - w_latency latency_j
    + w_context ln(context_j), plus a constant a for the first-party host (``own_constant``);
    its share is exp(U_own) / sum_j exp(U_j) (:func:`utility`, :func:`logit_shares`; speed is left
    out). The price and context weights are held fixed; w_latency (and a) minimise the squared
    error of the first-party share's log-odds, ln(s / (1 - s)), over the months. A constant
    soaks up everything that does not change between months (brand, being the default, the
    weights held fixed), so only what *changes* identifies w_latency: if the first-party host's
    latency is all that changes, w_latency = - change in log-odds / change in latency.

    Parameters
    ----------
    price_usd_per_mtok, latency_s, context_tokens : array_like
        One value per host (the same every month) or an array of shape (months, hosts):
        blended $ per million tokens (> 0), seconds (>= 0), tokens (> 0).
    own_host : int
        The position of the first-party host among the hosts.
    observed_own_share : array_like
        The first-party host's observed share in each month, strictly between 0 and 1.
    price_weight, context_weight : float, optional
        The fixed weights (>= 0). Default 1 (illustrative: the shares cannot identify them).
    own_constant : bool, optional
        Fit a constant for the first-party host (default True).
    max_latency_weight_per_s : float, optional
        The largest latency weight searched (> 0), per second.

    Returns
    -------
    LatencyWeightFit

    Raises
    ------
    ValueError
        When the months cannot identify the weight: fewer months than fitted parameters, or no
        latency that changes between months while a constant is fitted.

    Examples
    --------
    Two hosts; the first-party host's wait grows by 25 s while its share falls from 42% to 16%:

    >>> fit = fit_latency_weight([1.0, 1.0], [[2.0, 2.0], [27.0, 2.0]], [64e3, 64e3], 0, [0.42, 0.16])
    >>> round(fit.latency_weight_per_s, 4), fit.exactly_identified
    (0.0534, True)
    """
    observed = as_array("observed_own_share", observed_own_share)
    observed = np.atleast_1d(observed).astype(float)
    if observed.ndim != 1 or not ((observed > 0) & (observed < 1)).all():
        raise ValueError(
            f"observed_own_share must be one share per month, each strictly between 0 and 1 "
            f"(got {observed_own_share!r})"
        )
    months = observed.size
    hosts = np.atleast_1d(as_array("price_usd_per_mtok", price_usd_per_mtok)).shape[-1]
    shape = (months, hosts)
    price = _months_by_hosts("price_usd_per_mtok", positive("price_usd_per_mtok", price_usd_per_mtok), shape)
    latency = _months_by_hosts("latency_s", positive("latency_s", latency_s, allow_zero=True), shape)
    context = _months_by_hosts("context_tokens", positive("context_tokens", context_tokens), shape)
    if isinstance(own_host, bool) or not (isinstance(own_host, (int, np.integer)) and 0 <= own_host < hosts):
        raise ValueError(f"own_host must be the position of a host, 0 to {hosts - 1} (got {own_host!r})")
    if hosts < 2:
        raise ValueError("the choice needs at least two hosts (got 1)")
    w_price = float(positive("price_weight", price_weight, allow_zero=True))
    w_context = float(positive("context_weight", context_weight, allow_zero=True))
    w_max = float(positive("max_latency_weight_per_s", max_latency_weight_per_s))
    parameters = 2 if own_constant else 1
    if months < parameters:
        raise ValueError(
            f"{months} month(s) cannot identify {parameters} parameters (the latency weight"
            f"{' and a constant' if own_constant else ''}): give at least {parameters} months"
        )
    if own_constant and np.allclose(latency, latency[0]):
        raise ValueError(
            "latency_s is the same in every month: with a constant for the first-party host, "
            "the months cannot identify the latency weight (nothing about waiting changed)"
        )
    base = -w_price * np.log(price) + w_context * np.log(context)
    target = _logit(observed)
    others = np.arange(hosts) != own_host

    def model_logit(weights: np.ndarray) -> np.ndarray:
        """ln(share_own / share_rest) by weight (rows) and month (columns)."""
        scores = base - weights[:, None, None] * latency
        rest = scores[:, :, others]
        top = rest.max(axis=2)
        log_rest = top + np.log(np.exp(rest - top[..., None]).sum(axis=2))
        return scores[:, :, own_host] - log_rest

    def constants_and_errors(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        gap = target - model_logit(weights)
        constants = gap.mean(axis=1) if own_constant else np.zeros(len(weights))
        return constants, ((gap - constants[:, None]) ** 2).sum(axis=1)

    def constant_and_error(weight: float) -> tuple[float, float]:
        constants, errors = constants_and_errors(np.array([weight]))
        return float(constants[0]), float(errors[0])

    grid = np.linspace(0.0, w_max, 2001)
    _, errors = constants_and_errors(grid)
    best = int(np.argmin(errors))
    low, high = grid[max(best - 1, 0)], grid[min(best + 1, grid.size - 1)]
    golden = (np.sqrt(5.0) - 1.0) / 2.0
    for _ in range(60):  # golden-section search inside the grid's best bracket
        a, b = high - golden * (high - low), low + golden * (high - low)
        if constant_and_error(a)[1] <= constant_and_error(b)[1]:
            high = b
        else:
            low = a
    weight = (low + high) / 2.0
    constant, _ = constant_and_error(weight)
    scores = base - weight * latency
    scores[:, own_host] += constant
    predicted = logit_shares(scores)[:, own_host]
    return LatencyWeightFit(
        latency_weight_per_s=float(weight),
        own_constant=constant,
        price_weight=w_price,
        context_weight=w_context,
        observed_share=observed,
        predicted_share=predicted,
        residual_pct_points=100.0 * (predicted - observed),
        exactly_identified=months == parameters,
    )
