"""Does the model match reality? The batching model against published serving measurements.

Every row of the ``serving_measurements`` dataset is a measured point with its configuration
(hardware, GPU count, model, precision, batch, sequence lengths). :func:`predict` runs the
batching model on each row's own configuration and reports the relative error,
predicted / measured - 1. :func:`fit` chooses the efficiency factors (MFU, MBU, per-step
overhead) on some points; the others are held out to test them.

How each metric is predicted:

- ``prefill_ms``, ``first_token_ms``: :func:`tokenomics.batching.prefill_s` (the first token
  comes out of prefill).
- ``decode_ms_per_token``: one decode step at the row's KV length.
- ``total_latency_ms``: prefill, then one decode step per further output token, the context
  growing by one token each step.
- ``output_tokens_per_s_per_gpu``: a whole batch run the same way; output tokens / time / GPUs.
- ``output_tokens_per_s_per_node``: decode at the row's KV length, batch per GPU x GPUs,
  tokens per second per GPU x 8.
- ``input_tokens_per_s_per_node``: prefill throughput when enough prompts are batched to
  reach the compute roof (:data:`PREFILL_SATURATING_BATCH` prompts), x 8 GPUs.

Rows that cannot be predicted (no batch size published, a load-dependent latency, a cost
whose configuration is unknown) are returned with the reason.

Examples
--------
>>> table = predict(efficiency=ROOFLINE).set_index("id")
>>> row = table.loc["fastertransformer_gpt13b_tp1_decode"]
>>> float(row["value"]), round(float(row["predicted"]), 1)
(22.0, 16.8)
>>> round(median_abs_error(predict(), ids=SMALL_MODEL_POINTS), 3)
0.03
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from tokenomics import data, kpi
from tokenomics.batching import Deployment, decode, prefill_s
from tokenomics.validation import between, positive, scalar

GPUS_PER_NODE = 8
DEEPSEEK_BATCH_PER_GPU = 128
"""Sequences per decode GPU in DeepSeek's service, as SGLang's comparison table lists it."""
PREFILL_SATURATING_BATCH = 4096
"""Prompts per prefill batch when a measurement reports throughput but no batch: enough to
put the step on the compute roof, which is what a throughput benchmark measures."""

SMALL_MODEL_POINTS = (
    "fastertransformer_gpt13b_tp1_prefill",
    "fastertransformer_gpt13b_tp1_decode",
    "fastertransformer_gpt13b_tp2_prefill",
    "fastertransformer_gpt13b_tp2_decode",
    "tensorrt_llm_llama7b_b256_128_128_throughput",
    "tensorrt_llm_llama7b_b32_128_2048_throughput",
    "tensorrt_llm_llama7b_b16_2048_2048_throughput",
    "tensorrt_llm_llama7b_first_token_128",
    "tensorrt_llm_llama7b_first_token_2048",
)
"""The nine small dense-model points of the calibration notes (FasterTransformer 13B on
A100-40GB; TensorRT-LLM LLaMA-7B on one A100), on which llm-analysis is 28-31% off."""

FIT_POINTS = SMALL_MODEL_POINTS
"""Points the default efficiencies are fitted on: the nine small-model points. Every other
predictable point (totals, another sequence shape, and the large expert-parallel DeepSeek-R1
deployments on 72-128 GPUs) is held out to test them."""

BEST_KERNEL_MBU = 0.9
"""Upper end of the MBU grid: the best published decode kernel, FlashMLA, reaches 3,000 GB/s on
an H800's 3,350 GB/s (DeepSeek's open-source week, day 1), about 0.9 of peak."""


@dataclass(frozen=True)
class Efficiency:
    """The batching model's efficiency factors (see :class:`tokenomics.batching.Deployment`).

    Examples
    --------
    >>> Efficiency(mfu=0.7, mbu=0.9, step_overhead_s=0.003).mbu
    0.9
    """

    mfu: float
    mbu: float
    step_overhead_s: float
    network_gb_s: float = 50.0

    def __post_init__(self):
        # Frozen dataclass: store each factor as a checked float, with object.__setattr__.
        for name in ("mfu", "mbu"):
            object.__setattr__(
                self, name, float(between(name, scalar(name, getattr(self, name)), 0, 1, include_low=False))
            )
        overhead = positive(
            "step_overhead_s", scalar("step_overhead_s", self.step_overhead_s), allow_zero=True
        )
        object.__setattr__(self, "step_overhead_s", float(overhead))
        network = positive("network_gb_s", scalar("network_gb_s", self.network_gb_s), allow_inf=True)
        object.__setattr__(self, "network_gb_s", float(network))


ROOFLINE = Efficiency(mfu=1.0, mbu=1.0, step_overhead_s=0.0)
"""Pure roofline: every chip at its peak FLOPs and bandwidth, no overhead (the network still
runs at its link speed; ``network_gb_s=float("inf")`` removes network time as well)."""

MFU_GRID = tuple(np.round(np.arange(0.3, 1.001, 0.05), 2))
MBU_GRID = tuple(np.round(np.arange(0.5, BEST_KERNEL_MBU + 0.001, 0.05), 2))
OVERHEAD_GRID_S = tuple(np.round(np.arange(0.0, 0.0101, 0.0005), 4))
"""The grids :func:`fit` searches: MFU 0.3-1.0, MBU 0.5-0.9 in steps of 0.05, overhead 0-10 ms
in steps of 0.5 ms."""

_DEPLOYMENT_DEFAULTS = Deployment.__dataclass_fields__
DEFAULT = Efficiency(
    mfu=_DEPLOYMENT_DEFAULTS["mfu"].default,
    mbu=_DEPLOYMENT_DEFAULTS["mbu"].default,
    step_overhead_s=_DEPLOYMENT_DEFAULTS["step_overhead_s"].default,
    network_gb_s=_DEPLOYMENT_DEFAULTS["network_gb_s"].default,
)
"""The efficiencies :class:`~tokenomics.batching.Deployment` uses unless told otherwise:
those :func:`fit` finds on :data:`FIT_POINTS`."""


MEASUREMENT_FIELDS = ("id", "metric", "value", "model", "hardware", "n_gpus", "weight_precision")
"""Fields a measurement row must have for the model to read it (see ``serving_measurements``)."""


def _check_row(row) -> dict:
    """Check that ``row`` is a measurement as a dict with the fields the model reads."""
    if not isinstance(row, Mapping):
        raise ValueError(
            f"row must be a dict, one row of serving_measurements (got {type(row).__name__} {row!r:.60})"
        )
    missing = [name for name in MEASUREMENT_FIELDS if name not in row]
    if missing:
        raise ValueError(f"row lacks the field(s) {missing} of serving_measurements")
    return row


def _check_efficiency(efficiency) -> Efficiency:
    if not isinstance(efficiency, Efficiency):
        raise ValueError(
            f"efficiency must be an Efficiency, e.g. Efficiency(mfu=0.7, mbu=0.9, step_overhead_s=0.004) "
            f"(got {type(efficiency).__name__} {efficiency!r:.60})"
        )
    return efficiency


def _check_table(name: str, table) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise ValueError(
            f"{name} must be a DataFrame shaped like serving_measurements "
            f"(got {type(table).__name__} {table!r:.60})"
        )
    missing = [field for field in MEASUREMENT_FIELDS if field not in table.columns]
    if missing:
        raise ValueError(f"{name} lacks the column(s) {missing} of serving_measurements")
    return table


def _check_ids(ids) -> list[str]:
    if isinstance(ids, str) or not isinstance(ids, Iterable) or not all(isinstance(i, str) for i in ids):
        raise ValueError(f"ids must be a list of measurement ids (strings) (got {ids!r:.60})")
    return list(ids)


def _deployment(row: dict, efficiency: Efficiency) -> Deployment:
    return Deployment(
        row["model"],
        row["hardware"],
        n_gpus=int(row["n_gpus"]),
        weight_precision=row["weight_precision"],
        kv_precision=row["kv_precision"] or "bf16",
        mfu=efficiency.mfu,
        mbu=efficiency.mbu,
        step_overhead_s=efficiency.step_overhead_s,
        network_gb_s=efficiency.network_gb_s,
    )


def _run_s(deployment: Deployment, batch: int, input_tokens: int, output_tokens: int) -> float:
    """Seconds to prefill a batch and decode ``output_tokens`` tokens for each sequence."""
    contexts = input_tokens + np.arange(1, output_tokens)
    decode_s = decode(deployment, batch, contexts).step_s.sum() if output_tokens > 1 else 0.0
    return prefill_s(deployment, input_tokens, batch) + decode_s


def unpredictable_reason(row: dict) -> str:
    """Why a measurement cannot be predicted from its published configuration ("" if it can)."""
    row = _check_row(row)
    if pd.isna(row["n_gpus"]):
        return "GPU count not published"
    metric = row["metric"]
    if metric == "first_token_ms" and pd.isna(row["batch_size"]):
        return "a latency under load: it depends on the arrival rate, which is not published"
    if metric == "output_usd_per_mtok":
        return "cost at a target speed: GPU count and sequence lengths not published"
    if metric in ("prefill_ms", "first_token_ms", "input_tokens_per_s_per_node") and pd.isna(
        row["input_tokens"]
    ):
        return "prompt length not published"
    needs_batch = metric in ("decode_ms_per_token", "output_tokens_per_s_per_node", "tokens_per_s_per_user")
    if needs_batch and pd.isna(row["batch_size"]):
        return "batch size not published"
    return ""


def predict_row(row: dict, efficiency: Efficiency = DEFAULT) -> float:
    """The model's prediction for one measurement row, in the row's own unit.

    Raises
    ------
    ValueError
        If the row cannot be predicted (see :func:`unpredictable_reason`) or has an unknown metric.
    """
    reason = unpredictable_reason(row)
    if reason:
        raise ValueError(f"measurement {row['id']!r} cannot be predicted: {reason}")
    return _predict(row, _deployment(row, _check_efficiency(efficiency)))


def _predict(row: dict, deployment: Deployment) -> float:
    metric = row["metric"]
    batch = 1 if pd.isna(row["batch_size"]) else int(row["batch_size"])
    input_tokens = 0 if pd.isna(row["input_tokens"]) else int(row["input_tokens"])
    if metric in ("prefill_ms", "first_token_ms"):
        return 1e3 * prefill_s(deployment, input_tokens, batch)
    if metric == "decode_ms_per_token":
        context = int(row["kv_length_tokens"]) if not pd.isna(row["kv_length_tokens"]) else input_tokens
        return 1e3 * decode(deployment, batch, context).step_s
    if metric == "total_latency_ms":
        return 1e3 * _run_s(deployment, batch, input_tokens, int(row["output_tokens"]))
    if metric == "output_tokens_per_s_per_gpu":
        output_tokens = int(row["output_tokens"])
        seconds = _run_s(deployment, batch, input_tokens, output_tokens)
        return batch * output_tokens / seconds / deployment.n_gpus
    if metric == "output_tokens_per_s_per_node":
        step = decode(deployment, batch * deployment.n_gpus, int(row["kv_length_tokens"]))
        return step.tokens_per_s_per_gpu * GPUS_PER_NODE
    if metric == "input_tokens_per_s_per_node":
        prompts = PREFILL_SATURATING_BATCH if pd.isna(row["batch_size"]) else batch
        seconds = prefill_s(deployment, input_tokens, prompts)
        return prompts * input_tokens / seconds / deployment.n_gpus * GPUS_PER_NODE
    raise ValueError(f"measurement {row['id']!r}: no prediction for metric {metric!r}")


def predict(measurements: pd.DataFrame | None = None, efficiency: Efficiency = DEFAULT) -> pd.DataFrame:
    """Predict every measurement and compare.

    Parameters
    ----------
    measurements : DataFrame, optional
        Rows shaped like the ``serving_measurements`` dataset (default: that dataset). Add a
        row of your own to check the model against your measurement.
    efficiency : Efficiency
        The efficiency factors to predict with.

    Returns
    -------
    DataFrame
        The measurement columns plus ``predicted`` (NaN where not predictable), ``error``
        (predicted / measured - 1), ``reason`` (why a row is not predicted) and ``split``
        ("fit", "held out" or "not predicted").
    """
    _check_efficiency(efficiency)
    table = data.load("serving_measurements") if measurements is None else measurements
    table = _check_table("measurements", table).copy()
    predicted, reasons = [], []
    for row in table.to_dict("records"):
        reason = unpredictable_reason(row)
        reasons.append(reason)
        predicted.append(np.nan if reason else predict_row(row, efficiency))
    table["predicted"] = predicted
    table["error"] = table["predicted"] / table["value"] - 1
    table["reason"] = reasons
    table["split"] = np.where(
        table["reason"] != "", "not predicted", np.where(table["id"].isin(FIT_POINTS), "fit", "held out")
    )
    return table


def median_abs_error(table: pd.DataFrame, ids=None, split: str | None = None) -> float:
    """Median of |predicted / measured - 1| over the rows named by ``ids`` or in ``split``.

    Examples
    --------
    >>> round(median_abs_error(predict(efficiency=ROOFLINE), ids=SMALL_MODEL_POINTS), 2)
    0.33
    """
    rows = table
    if not isinstance(rows, pd.DataFrame) or not {"id", "split", "error"} <= set(rows.columns):
        raise ValueError(
            f"table must be the DataFrame predict() returns (got {type(table).__name__} {table!r:.60})"
        )
    if ids is not None:
        rows = rows[rows["id"].isin(_check_ids(ids))]
    if split is not None:
        rows = rows[rows["split"] == split]
    errors = rows["error"].dropna().abs()
    if errors.empty:
        raise ValueError("no predicted rows selected: check ids and split")
    return float(errors.median())


def fit(
    measurements: pd.DataFrame | None = None,
    ids=FIT_POINTS,
    mfu_grid=MFU_GRID,
    mbu_grid=MBU_GRID,
    overhead_grid_s=OVERHEAD_GRID_S,
) -> Efficiency:
    """The efficiency factors that best predict the rows named by ``ids``.

    A plain grid search: every combination of the three grids is tried and the one with the
    smallest mean |log(predicted / measured)| wins (the log treats a prediction twice too high
    and one half too low alike; ties go to the first in grid order, so the result is
    reproducible). MBU stops at :data:`BEST_KERNEL_MBU`: no kernel has been shown to do better.
    The network bandwidth is not fitted. Takes a few seconds (about 3,500 combinations).
    """
    table = _check_table(
        "measurements", data.load("serving_measurements") if measurements is None else measurements
    )
    ids = _check_ids(ids)
    grids = {
        "mfu_grid": between("mfu_grid", mfu_grid, 0, 1, include_low=False),
        "mbu_grid": between("mbu_grid", mbu_grid, 0, 1, include_low=False),
        "overhead_grid_s": positive("overhead_grid_s", overhead_grid_s, allow_zero=True),
    }
    for name, grid in grids.items():
        if grid.ndim != 1:
            raise ValueError(f"{name} must be a 1-D list of values (got shape {grid.shape})")
    rows = table[table["id"].isin(ids)].to_dict("records")
    if not rows:
        raise ValueError(f"ids must name rows of the measurements (got {list(ids)!r})")
    measured = np.array([row["value"] for row in rows])
    deployments = [_deployment(row, ROOFLINE) for row in rows]
    best, best_error = None, np.inf
    for mfu, mbu, overhead in itertools.product(*grids.values()):
        efficiency = Efficiency(float(mfu), float(mbu), float(overhead))
        changes = {
            "mfu": efficiency.mfu,
            "mbu": efficiency.mbu,
            "step_overhead_s": efficiency.step_overhead_s,
        }
        # replace() keeps each row's chip, model and network; only the efficiencies change.
        predicted = np.array(
            [
                _predict(row, replace(deployment, **changes))
                for row, deployment in zip(rows, deployments, strict=True)
            ]
        )
        error = float(np.mean(np.abs(np.log(predicted / measured))))
        if error < best_error - 1e-12:
            best, best_error = efficiency, error
    return best


def reproduce_deepseek_day(efficiency: Efficiency = DEFAULT) -> pd.DataFrame:
    """DeepSeek's published day (27-28 February 2025) recomputed from its own figures.

    Cost, theoretical revenue and the cost profit margin are arithmetic on the published
    figures and must match exactly. Decode throughput per node and tokens per second per user
    come from the batching model with DeepSeek's decode unit: 18 nodes of 8 H800 (EP144), FP8
    weights, BF16 KV cache, the published average KV length of 4,989 tokens, and 128 sequences
    per GPU (the batch listed for DeepSeek's blog in SGLang's comparison table; not stated by
    DeepSeek itself).

    Returns
    -------
    DataFrame
        One row per quantity: ``quantity``, ``published``, ``reproduced``, ``unit``, ``how``.

    Examples
    --------
    >>> day = reproduce_deepseek_day().set_index("quantity")
    >>> int(day.loc["daily_cost_usd", "reproduced"]), round(day.loc["cost_profit_margin_pct", "reproduced"])
    (87072, 545)
    """
    _check_efficiency(efficiency)
    figures = data.load("deepseek_day").set_index("quantity")["value"]
    cost_usd = figures["average_nodes"] * figures["gpus_per_node"] * figures["usd_per_gpu_hour"] * 24
    missed_tokens = figures["input_tokens"] - figures["cached_input_tokens"]
    revenue_usd = (
        kpi.revenue_usd(figures["price_cached_input_usd_per_mtok"], figures["cached_input_tokens"])
        + kpi.revenue_usd(figures["price_input_usd_per_mtok"], missed_tokens)
        + kpi.revenue_usd(figures["price_output_usd_per_mtok"], figures["output_tokens"])
    )
    margin_pct = 100 * kpi.cost_profit_margin(figures["theoretical_revenue_usd"], figures["daily_cost_usd"])

    decode_gpus = int(figures["decode_expert_parallel_gpus"])
    row = {"model": "DeepSeek-R1", "hardware": "H800", "n_gpus": decode_gpus}
    deployment = _deployment({**row, "weight_precision": "fp8", "kv_precision": "bf16"}, efficiency)
    step = decode(deployment, DEEPSEEK_BATCH_PER_GPU * decode_gpus, int(figures["avg_kv_length_tokens"]))
    speed_low, speed_high = (
        figures["output_tokens_per_s_per_user_low"],
        figures["output_tokens_per_s_per_user_high"],
    )
    rows = [
        (
            "daily_cost_usd",
            figures["daily_cost_usd"],
            cost_usd,
            "USD per day",
            "average nodes x 8 GPUs x $2 per GPU-hour x 24 h",
        ),
        (
            "theoretical_revenue_usd",
            figures["theoretical_revenue_usd"],
            revenue_usd,
            "USD per day",
            "cache-hit input x $0.14 + cache-miss input x $0.55 + output x $2.19 per million tokens"
            " (token totals are published rounded to 1B, hence the small difference)",
        ),
        (
            "cost_profit_margin_pct",
            figures["cost_profit_margin_pct"],
            margin_pct,
            "percent",
            "published revenue / published cost - 1",
        ),
        (
            "decode_output_tokens_per_s_per_node",
            figures["decode_output_tokens_per_s_per_node"],
            step.tokens_per_s_per_gpu * GPUS_PER_NODE,
            "output tokens/s per node",
            "batching model, EP144 at 128 sequences per GPU, KV length 4,989",
        ),
        (
            "output_tokens_per_s_per_user",
            (speed_low + speed_high) / 2,
            step.tokens_per_s_per_user,
            "output tokens/s per user",
            "batching model, same configuration (published: 20-22)",
        ),
    ]
    return pd.DataFrame(rows, columns=["quantity", "published", "reproduced", "unit", "how"])
