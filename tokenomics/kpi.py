"""The key performance indicators of serving a model, one formula each.

A price in dollars per million tokens ($/Mtok) is only half of a deal. The same
model can be sold cheaply by a provider that makes you wait several seconds for
the first word, streams the answer slowly, or caps the prompt length, and dearly
by one that does none of these. Three KPIs describe what you actually buy:

* **Time to first token (TTFT)**: the seconds between sending a request and
  seeing the first output token. It is the time spent waiting in the queue plus
  the time to process the prompt (prefill).
* **Tokens per second per user (interactivity)**: how fast the answer streams
  once it has started, the inverse of the time per output token (TPOT).
* **Context window**: how many tokens of prompt and history the model accepts.

Comparing two providers on $/Mtok without these three is comparing a taxi with a
bus on the price per kilometre alone. This module also holds the money side:
blended price, revenue, hardware cost per million tokens and the two ways of
quoting a margin.

Times are in seconds, prices in US dollars per million tokens, token counts in
tokens. Every function broadcasts over numpy arrays and returns a Python float
for scalar inputs.
"""

from __future__ import annotations

import numpy as np

from tokenomics.validation import finite_result, positive, scalar_or_array, whole

TOKENS_PER_MTOK = 1e6
SECONDS_PER_HOUR = 3600.0


@finite_result
def ttft_s(prefill_s, queue_wait_s=0.0):
    """Time to first token: waiting in the queue, then processing the prompt.

    Parameters
    ----------
    prefill_s : float or array_like
        Time to process the prompt and produce the first token, in seconds (>= 0).
    queue_wait_s : float or array_like, optional
        Time the request waits for a free slot before prefill starts, in seconds
        (>= 0). Defaults to 0 (an idle server).

    Returns
    -------
    float or numpy.ndarray
        Time to first token, in seconds.

    Examples
    --------
    >>> ttft_s(0.25, queue_wait_s=1.5)
    1.75
    """
    prefill = positive("prefill_s", prefill_s, allow_zero=True)
    queue_wait = positive("queue_wait_s", queue_wait_s, allow_zero=True)
    return scalar_or_array(queue_wait + prefill)


@finite_result
def interactivity_tokens_per_s(tpot_s):
    """Tokens per second seen by one user while the answer streams: 1 / TPOT.

    Parameters
    ----------
    tpot_s : float or array_like
        Time per output token, in seconds (> 0).

    Returns
    -------
    float or numpy.ndarray
        Interactivity, in tokens per second per user.

    Examples
    --------
    >>> interactivity_tokens_per_s(0.02)
    50.0
    """
    tpot = positive("tpot_s", tpot_s)
    return scalar_or_array(1.0 / tpot)


@finite_result
def tpot_s(latency_s, ttft_s, output_tokens):
    """Time per output token, as defined by the vLLM benchmark.

    The first token arrives after ``ttft_s``; the remaining ``output_tokens - 1``
    tokens share the rest of the end-to-end latency:
    TPOT = (latency - TTFT) / (output_tokens - 1).

    Parameters
    ----------
    latency_s : float or array_like
        End-to-end latency of the request, in seconds (>= 0 and >= ``ttft_s``).
    ttft_s : float or array_like
        Time to first token, in seconds (>= 0).
    output_tokens : int or array_like
        Number of tokens generated, a whole number >= 2.

    Returns
    -------
    float or numpy.ndarray
        Time per output token, in seconds.

    Examples
    --------
    >>> tpot_s(latency_s=10.5, ttft_s=0.5, output_tokens=501)
    0.02
    """
    latency = positive("latency_s", latency_s, allow_zero=True)
    ttft = positive("ttft_s", ttft_s, allow_zero=True)
    tokens = whole("output_tokens", output_tokens, minimum=2)
    latency, ttft = np.broadcast_arrays(latency, ttft)
    too_short = latency < ttft
    if too_short.any():
        raise ValueError(
            "latency_s must be >= ttft_s "
            f"(got latency_s={latency[too_short].flat[0]:g}, ttft_s={ttft[too_short].flat[0]:g})"
        )
    return scalar_or_array((latency - ttft) / (tokens - 1))


@finite_result
def end_to_end_latency_s(ttft_s, tpot_s, output_tokens):
    """End-to-end latency of a request: TTFT + TPOT x (output_tokens - 1).

    This is the inverse of :func:`tpot_s`.

    Parameters
    ----------
    ttft_s : float or array_like
        Time to first token, in seconds (>= 0).
    tpot_s : float or array_like
        Time per output token, in seconds (>= 0).
    output_tokens : int or array_like
        Number of tokens generated, a whole number >= 1.

    Returns
    -------
    float or numpy.ndarray
        End-to-end latency, in seconds.

    Examples
    --------
    >>> end_to_end_latency_s(ttft_s=0.5, tpot_s=0.02, output_tokens=501)
    10.5
    """
    ttft = positive("ttft_s", ttft_s, allow_zero=True)
    tpot = positive("tpot_s", tpot_s, allow_zero=True)
    tokens = whole("output_tokens", output_tokens, minimum=1)
    return scalar_or_array(ttft + tpot * (tokens - 1))


@finite_result
def blended_price_usd_per_mtok(input_usd_per_mtok, output_usd_per_mtok, input_to_output_ratio=3.0):
    """One price per million tokens, weighting input and output tokens by their mix.

    blended = (ratio x input price + output price) / (ratio + 1). The default
    3:1 input:output mix is the convention of the SemiAnalysis price charts,
    built on OpenRouter traffic data.

    Parameters
    ----------
    input_usd_per_mtok : float or array_like
        Price of input (prompt) tokens, in US dollars per million tokens (>= 0).
    output_usd_per_mtok : float or array_like
        Price of output (generated) tokens, in US dollars per million tokens (>= 0).
    input_to_output_ratio : float or array_like, optional
        Input tokens per output token (>= 0). Defaults to 3.

    Returns
    -------
    float or numpy.ndarray
        Blended price, in US dollars per million tokens.

    Examples
    --------
    DeepSeek's own API against the same model on Azure:

    >>> round(blended_price_usd_per_mtok(0.55, 2.19), 4)
    0.96
    >>> round(blended_price_usd_per_mtok(1.35, 5.40), 4)
    2.3625
    """
    input_price = positive("input_usd_per_mtok", input_usd_per_mtok, allow_zero=True)
    output_price = positive("output_usd_per_mtok", output_usd_per_mtok, allow_zero=True)
    ratio = positive("input_to_output_ratio", input_to_output_ratio, allow_zero=True)
    return scalar_or_array((ratio * input_price + output_price) / (ratio + 1.0))


@finite_result
def revenue_usd(price_usd_per_mtok, tokens):
    """Revenue = price x quantity, with the quantity counted in tokens.

    Parameters
    ----------
    price_usd_per_mtok : float or array_like
        Price, in US dollars per million tokens (>= 0).
    tokens : float or array_like
        Number of tokens sold (>= 0).

    Returns
    -------
    float or numpy.ndarray
        Revenue, in US dollars.

    Examples
    --------
    >>> revenue_usd(2.19, 3_000_000)
    6.57
    """
    price = positive("price_usd_per_mtok", price_usd_per_mtok, allow_zero=True)
    quantity = positive("tokens", tokens, allow_zero=True)
    return scalar_or_array(price * (quantity / TOKENS_PER_MTOK))


@finite_result
def cost_usd_per_mtok(usd_per_gpu_hour, tokens_per_s_per_gpu):
    """Hardware cost of producing one million tokens.

    cost = usd_per_gpu_hour / (tokens_per_s_per_gpu x 3600) x 1e6.

    Parameters
    ----------
    usd_per_gpu_hour : float or array_like
        Rental (or amortised ownership) price of one GPU, in US dollars per hour (>= 0).
    tokens_per_s_per_gpu : float or array_like
        Throughput of one GPU, in tokens per second (> 0).

    Returns
    -------
    float or numpy.ndarray
        Cost, in US dollars per million tokens.

    Examples
    --------
    DeepSeek's $2 per H800-hour at 14,800 output tokens/s per 8-GPU node
    (1,850 tokens/s per GPU):

    >>> round(cost_usd_per_mtok(2.0, 14_800 / 8), 3)
    0.3
    """
    usd_per_hour = positive("usd_per_gpu_hour", usd_per_gpu_hour, allow_zero=True)
    tokens_per_s = positive("tokens_per_s_per_gpu", tokens_per_s_per_gpu)
    tokens_per_hour = tokens_per_s * SECONDS_PER_HOUR
    return scalar_or_array(usd_per_hour / tokens_per_hour * TOKENS_PER_MTOK)


@finite_result
def cost_profit_margin(revenue_usd, cost_usd):
    """Profit as a share of cost: revenue / cost - 1 (DeepSeek's definition).

    This is the "cost profit margin" DeepSeek quoted for its inference service.
    It divides the profit by the cost, so it is unbounded above: a business that
    sells at six times its cost reports 500%. The :func:`conventional_margin`
    divides the same profit by the revenue instead and can never exceed 100%.

    Parameters
    ----------
    revenue_usd : float or array_like
        Revenue, in US dollars (>= 0).
    cost_usd : float or array_like
        Cost, in US dollars (> 0).

    Returns
    -------
    float or numpy.ndarray
        Margin as a fraction (5.45 means 545%).

    Examples
    --------
    DeepSeek's theoretical day (revenue $562,027, cost $87,072):

    >>> round(cost_profit_margin(562_027, 87_072), 3)
    5.455
    """
    revenue = positive("revenue_usd", revenue_usd, allow_zero=True)
    cost = positive("cost_usd", cost_usd)
    return scalar_or_array(revenue / cost - 1.0)


@finite_result
def conventional_margin(revenue_usd, cost_usd):
    """Profit as a share of revenue: (revenue - cost) / revenue.

    This is the margin of an income statement. It answers "how many cents of
    each dollar of revenue are left after paying the cost" and is at most 1,
    whereas :func:`cost_profit_margin` answers "how many dollars of profit per
    dollar of cost" and has no upper limit. For DeepSeek's day the same numbers
    give 84.5% here and 545% there.

    Parameters
    ----------
    revenue_usd : float or array_like
        Revenue, in US dollars (> 0).
    cost_usd : float or array_like
        Cost, in US dollars (>= 0).

    Returns
    -------
    float or numpy.ndarray
        Margin as a fraction (0.845 means 84.5%).

    Examples
    --------
    >>> round(conventional_margin(562_027, 87_072), 3)
    0.845
    """
    revenue = positive("revenue_usd", revenue_usd)
    cost = positive("cost_usd", cost_usd, allow_zero=True)
    return scalar_or_array((revenue - cost) / revenue)
