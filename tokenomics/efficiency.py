"""Token efficiency: when a slower model answers first, and a cheaper token costs more.

A user waits for an *answer*, not for a token, and pays for every token of it. So two models
must be compared on the whole answer:

* **time to answer**: the first token arrives after the time to first token (TTFT); the other
  N - 1 tokens stream at the model's output speed v (tokens/s), so
  T = TTFT + (N - 1) / v (:func:`time_to_answer_s`, the end-to-end latency of
  :func:`tokenomics.kpi.end_to_end_latency_s` with TPOT = 1 / v);
* **break-even verbosity**: how many times more tokens a second model may write and still finish
  together with the first (:func:`break_even_verbosity`);
* **cost per answer**: input tokens x input price + output tokens x output price
  (:func:`cost_per_answer_usd`), so a model that is cheap per token but wordy can cost more per
  answer than a dear, concise one;
* **intelligence per token**: benchmark points per million output tokens
  (:func:`index_points_per_mtok`).

Times are in seconds, speeds in output tokens per second per user, prices in US dollars per
million tokens. Every function broadcasts over numpy arrays and returns a Python float for
scalar inputs.

Examples
--------
A concise model at 45 tokens/s against one three times as wordy at 25 tokens/s, the same
illustrative 2 s to the first token and an illustrative 1,000-token answer:

>>> round(time_to_answer_s(2.0, 1_000, 45.0), 1), round(time_to_answer_s(2.0, 3_000, 25.0), 1)
(24.2, 122.0)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tokenomics import data
from tokenomics.kpi import TOKENS_PER_MTOK, blended_price_usd_per_mtok, end_to_end_latency_s, revenue_usd
from tokenomics.validation import finite_result, positive, scalar_or_array, whole


@finite_result
def time_to_answer_s(ttft_s, output_tokens, tokens_per_s):
    """Seconds from sending a request to reading the last token of the answer.

    T = TTFT + (N - 1) / v: the first of the N output tokens arrives at TTFT, the other N - 1
    stream at v tokens per second. This is :func:`tokenomics.kpi.end_to_end_latency_s` with a
    time per output token of 1 / v.

    Parameters
    ----------
    ttft_s : float or array_like
        Time to first token, in seconds (>= 0).
    output_tokens : int or array_like
        Length of the answer, in output tokens, a whole number >= 1 (reasoning tokens count:
        the user waits for them too).
    tokens_per_s : float or array_like
        Output speed once the answer streams, in tokens per second per user (> 0).

    Returns
    -------
    float or numpy.ndarray
        Time to answer, in seconds.

    Examples
    --------
    >>> time_to_answer_s(ttft_s=1.0, output_tokens=451, tokens_per_s=45.0)
    11.0
    """
    speed = positive("tokens_per_s", tokens_per_s)
    tpot_s = 1.0 / speed  # time per output token
    return end_to_end_latency_s(ttft_s=ttft_s, tpot_s=tpot_s, output_tokens=output_tokens)


@finite_result
def break_even_verbosity(
    concise_output_tokens, concise_ttft_s, concise_tokens_per_s, wordy_ttft_s, wordy_tokens_per_s
):
    """How many times more output tokens a second model may use and still finish together.

    The concise model finishes at T = TTFT_c + (N - 1) / v_c. The wordy model, writing r x N
    tokens, finishes at the same moment when TTFT_w + (r N - 1) / v_w = T, that is

    r = (1 + v_w (T - TTFT_w)) / N.

    Below r the wordy model answers first; above it, the concise one. A break-even ratio under
    1 means the wordy model must write *fewer* tokens to tie. When the wordy model's first token
    comes only after the concise model has finished (TTFT_w > T), no answer length lets it
    tie and the result is 0.

    Parameters
    ----------
    concise_output_tokens : int or array_like
        Length of the concise model's answer, N, in output tokens (a whole number >= 1).
    concise_ttft_s, wordy_ttft_s : float or array_like
        Each model's time to first token, in seconds (>= 0).
    concise_tokens_per_s, wordy_tokens_per_s : float or array_like
        Each model's output speed, in tokens per second per user (> 0).

    Returns
    -------
    float or numpy.ndarray
        The break-even ratio r (wordy tokens / concise tokens), >= 0.

    Examples
    --------
    Claude 4 Sonnet's 45 tokens/s against DeepSeek's 25, with equal first-token times: DeepSeek
    would have to write little more than half as many tokens to finish together.

    >>> round(break_even_verbosity(1_000, 2.0, 45.0, 2.0, 25.0), 3)
    0.556
    """
    tokens = whole("concise_output_tokens", concise_output_tokens, minimum=1)
    concise_s = time_to_answer_s(
        positive("concise_ttft_s", concise_ttft_s, allow_zero=True),
        tokens,
        positive("concise_tokens_per_s", concise_tokens_per_s),
    )
    wordy_ttft = positive("wordy_ttft_s", wordy_ttft_s, allow_zero=True)
    wordy_speed = positive("wordy_tokens_per_s", wordy_tokens_per_s)
    ahead_s = np.asarray(concise_s) - wordy_ttft  # time the wordy model has to stream after its first token
    ratio = np.where(ahead_s >= 0, (1.0 + wordy_speed * np.maximum(ahead_s, 0.0)) / tokens, 0.0)
    return scalar_or_array(ratio)


@finite_result
def cost_per_answer_usd(input_tokens, output_tokens, input_usd_per_mtok, output_usd_per_mtok):
    """What one answer costs: its input tokens at the input price plus its output tokens at the output price.

    cost = input tokens x input price / 10^6 + output tokens x output price / 10^6, each term the
    provider's revenue P x Q (:func:`tokenomics.kpi.revenue_usd`).

    Parameters
    ----------
    input_tokens : float or array_like
        Prompt length, in tokens (>= 0).
    output_tokens : float or array_like
        Answer length, in output tokens, reasoning included (>= 0).
    input_usd_per_mtok, output_usd_per_mtok : float or array_like
        Prices, in US dollars per million input and output tokens (>= 0).

    Returns
    -------
    float or numpy.ndarray
        Cost of one answer, in US dollars.

    Examples
    --------
    A 2,000-token prompt and a 1,000-token answer at Claude Sonnet 4's $3 / $15:

    >>> round(cost_per_answer_usd(2_000, 1_000, 3.0, 15.0), 6)
    0.021
    """
    input_cost = revenue_usd(
        positive("input_usd_per_mtok", input_usd_per_mtok, allow_zero=True),
        positive("input_tokens", input_tokens, allow_zero=True),
    )
    output_cost = revenue_usd(
        positive("output_usd_per_mtok", output_usd_per_mtok, allow_zero=True),
        positive("output_tokens", output_tokens, allow_zero=True),
    )
    return scalar_or_array(np.asarray(input_cost) + np.asarray(output_cost))


@finite_result
def index_points_per_mtok(index_points, output_tokens):
    """Intelligence per token: benchmark points earned per million output tokens spent.

    points per Mtok = index points / (output tokens / 10^6). Two models with the same score
    differ in intelligence per token by the inverse ratio of their token counts.

    Parameters
    ----------
    index_points : float or array_like
        The model's score on a benchmark such as an intelligence index (>= 0).
    output_tokens : float or array_like
        Output tokens the model used to run that benchmark (> 0).

    Returns
    -------
    float or numpy.ndarray
        Index points per million output tokens.

    Examples
    --------
    An illustrative score of 50 points earned with 25 million output tokens:

    >>> index_points_per_mtok(50.0, 25e6)
    2.0
    """
    points = positive("index_points", index_points, allow_zero=True)
    tokens = positive("output_tokens", output_tokens)
    return scalar_or_array(points / (tokens / TOKENS_PER_MTOK))


def _price_label(row: dict) -> str:
    """A short name for one price row: the model (and tier), or the R1 version and its host."""
    if "provider" in row:
        if row.get("kind") == "router":
            return f"DeepSeek {row['model_version']} via {row['provider']} (router)"
        tier = {"standard": "", "off-peak": ", at night (off-peak)"}.get(row["tier"], f", {row['tier']}")
        return f"DeepSeek {row['model_version']} on {row['provider']}{tier}"
    return row["model"] if row["tier"] == "standard" else f"{row['model']} ({row['tier']})"


def price_table() -> pd.DataFrame:
    """Every listed price per token the kit holds: datasets ``reference_prices`` and ``r1_providers``.

    Returns
    -------
    DataFrame
        One row per listing, with ``label`` (unique), ``input_usd_per_mtok``,
        ``output_usd_per_mtok``, ``blended_usd_per_mtok`` (3 input tokens to 1 output token,
        :func:`tokenomics.kpi.blended_price_usd_per_mtok`), ``dataset``, ``note``, ``source``
        and ``quality``.

    Examples
    --------
    >>> prices = price_table().set_index("label")
    >>> prices.loc["Claude Sonnet 4", ["input_usd_per_mtok", "output_usd_per_mtok"]].tolist()
    [3.0, 15.0]
    >>> prices.loc["DeepSeek R1-0528 on DeepSeek", "blended_usd_per_mtok"].round(2)
    np.float64(0.96)
    """
    frames = []
    for name in ("reference_prices", "r1_providers"):
        table = data.load(name)
        frames.append(
            pd.DataFrame(
                {
                    "label": [_price_label(row) for row in table.to_dict("records")],
                    "input_usd_per_mtok": table["input_usd_per_mtok"].astype(float),
                    "output_usd_per_mtok": table["output_usd_per_mtok"].astype(float),
                    "dataset": name,
                    "note": table["note"],
                    "source": table["source"],
                    "quality": table["quality"],
                }
            )
        )
    prices = pd.concat(frames, ignore_index=True)
    prices.insert(
        3,
        "blended_usd_per_mtok",
        blended_price_usd_per_mtok(prices["input_usd_per_mtok"], prices["output_usd_per_mtok"]),
    )
    return prices
