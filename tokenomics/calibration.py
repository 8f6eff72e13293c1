"""Does the model match reality? The batching model against published serving measurements.

Every row of the ``serving_measurements`` dataset is a measured point with its configuration
(hardware, GPU count, model, precision, parallel layout, engine, batch or concurrency, sequence
lengths) and the way it was measured (``mode``). :func:`predict` runs the batching model on each
row's own configuration, the way it was measured, and reports the signed error

    error = model speed / measured speed - 1,

so a time (latency, time per token) is compared inverted: +20% means the model is 20% too fast,
whatever the metric. :func:`fit` chooses the few global efficiency factors on the measurements;
:func:`leave_one_source_out` refits without each independent source in turn and predicts it.

Serving modes (``mode`` column; rows without it take it from their phase and batch):

- ``static_batch``: a fixed batch of ``batch_size`` sequences: prefill, then one decode step
  per further output token, the context growing by one token each step.
- ``closed_loop``: ``concurrency`` requests in flight, continuous batching with chunked
  prefill (what InferenceX, vLLM's and SGLang's benchmark clients measure). In steady state
  every step carries one decode token of each running sequence plus their share of prefill,
  concurrency x input / output prompt tokens; the context averages input + output / 2.
  Sequences beyond the memory limit wait.
- ``offline_max``: the same steady state at the largest concurrency that fits in memory (capped
  by ``concurrency`` when the row gives one).
- ``server_latency_bound``: the largest concurrency whose time per output token and time to
  first token meet the row's ``tpot_limit_ms`` and ``ttft_limit_ms`` (MLPerf Server and
  Interactive); rows without limits cannot be predicted.
- ``service_average``: a live service's daily average, decode only (DeepSeek's day), at the
  concurrency Little's law gives: throughput / speed per user.

Speculative decoding and multi-token prediction enter as ``draft_tokens`` proposed and
``accepted_tokens_per_step`` accepted per sequence per step, where a row says so.

Examples
--------
>>> table = predict(efficiency=ROOFLINE).set_index("id")
>>> row = table.loc["fastertransformer_gpt13b_tp1_decode"]
>>> float(row["value"]), round(float(row["predicted"]), 1)
(22.0, 16.8)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import optimize

from tokenomics import data, kpi
from tokenomics.batching import (
    GB,
    Deployment,
    _decode_core,
    _max_batch_core,
    _prefill_core,
    decode,
    max_batch_size,
)
from tokenomics.catalog import model as catalog_model
from tokenomics.validation import between, positive, scalar

GPUS_PER_NODE = 8
PREFILL_SATURATING_BATCH = 4096
"""Prompts per prefill batch when a prefill throughput is reported with no batch: enough to put
the step on the compute roof, which is what a throughput benchmark measures."""
CHUNKED_PREFILL_TOKENS = 8192
"""Prompt tokens one step may carry under chunked prefill: vLLM's and SGLang's default budget
(``max_num_batched_tokens``, ``chunked_prefill_size``)."""
PROMPTS_PER_CONCURRENT_REQUEST = 10
"""Prompts a closed-loop benchmark sends per concurrent slot: InferenceX's harness sends
10 x concurrency prompts, all of the first wave at once. The first wave's time to first token is
that of a burst of prefills; the other nine tenths see the steady state."""
MAX_CONCURRENCY = 16_384
"""Largest concurrency searched for ``offline_max`` and ``server_latency_bound`` per replica."""

MODES = ("static_batch", "closed_loop", "offline_max", "server_latency_bound", "service_average")
TIME_METRICS = ("prefill_ms", "first_token_ms", "decode_ms_per_token", "total_latency_ms")
"""Metrics that are times: their error is measured / predicted - 1 (speeds compared)."""

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


@dataclass(frozen=True)
class Efficiency:
    """The batching model's global efficiency factors (see :class:`tokenomics.batching.Deployment`).

    Examples
    --------
    >>> Efficiency(mfu=0.7, mbu=0.9, step_overhead_s=0.003).mbu
    0.9
    """

    mfu: float
    mbu: float
    step_overhead_s: float
    network_gb_s: float | None = None
    per_sequence_overhead_s: float = 0.0
    collective_latency_s: float = 0.0
    expert_imbalance: float = 1.0
    low_precision_mfu_ratio: float = 1.0

    def __post_init__(self):
        # Frozen dataclass: store each factor as a checked float, with object.__setattr__.
        for name in ("mfu", "mbu"):
            object.__setattr__(
                self, name, float(between(name, scalar(name, getattr(self, name)), 0, 1, include_low=False))
            )
        for name in ("step_overhead_s", "per_sequence_overhead_s", "collective_latency_s"):
            value = positive(name, scalar(name, getattr(self, name)), allow_zero=True)
            object.__setattr__(self, name, float(value))
        ratio = scalar("low_precision_mfu_ratio", self.low_precision_mfu_ratio)
        ratio = between("low_precision_mfu_ratio", ratio, 0, 1, include_low=False)
        object.__setattr__(self, "low_precision_mfu_ratio", float(ratio))
        imbalance = between("expert_imbalance", scalar("expert_imbalance", self.expert_imbalance), 1, 16)
        object.__setattr__(self, "expert_imbalance", float(imbalance))
        if self.network_gb_s is not None:
            network = positive("network_gb_s", scalar("network_gb_s", self.network_gb_s), allow_inf=True)
            object.__setattr__(self, "network_gb_s", float(network))

    def deployment_fields(self) -> dict:
        """The keyword arguments of :class:`~tokenomics.batching.Deployment` these factors set."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        if values["network_gb_s"] is None:
            del values["network_gb_s"]
        return values


ROOFLINE = Efficiency(mfu=1.0, mbu=1.0, step_overhead_s=0.0)
"""Pure roofline: every chip at its peak FLOPs and bandwidth, no overhead, no collective
latency, perfectly even experts (links still run at their bandwidth;
``network_gb_s=float("inf")`` removes scale-out time as well)."""

FIT_RANGES = {
    "mfu": (0.2, 1.0),
    "mbu": (0.3, 1.0),
    "per_sequence_overhead_s": (0.0, 0.001),
    "collective_latency_s": (0.0, 0.001),
    "low_precision_mfu_ratio": (0.2, 1.0),
}
"""Search range of each fitted factor. A factor that ends on the edge of its range is not
identified (tests check that none does). Two factors are not fitted, for that reason: the
expert load imbalance, searched over 1-4, ends at 1.0 (even routing), and the fixed overhead per
step, searched over 0-30 ms, ends at 0 (the per-sequence overhead carries the host time on these
measurements); both stay at those values, assumptions the lesson states."""

_DEPLOYMENT_DEFAULTS = Deployment.__dataclass_fields__
DEFAULT = Efficiency(
    **{
        name: _DEPLOYMENT_DEFAULTS[name].default
        for name in (*FIT_RANGES, "step_overhead_s", "expert_imbalance")
    }
)
"""The efficiencies :class:`~tokenomics.batching.Deployment` uses unless told otherwise: those
:func:`fit` finds on every predictable row of ``serving_measurements`` (rounded)."""

MEASUREMENT_FIELDS = ("id", "metric", "value", "model", "hardware", "n_gpus", "weight_precision")
"""Fields a measurement row must have for the model to read it (see ``serving_measurements``)."""

OPTIONAL_FIELDS = {
    "kv_precision": None,
    "phase": None,
    "batch_size": None,
    "input_tokens": None,
    "output_tokens": None,
    "kv_length_tokens": None,
    "mode": None,
    "concurrency": None,
    "engine": "generic",
    "tp": None,
    "ep": None,
    "dp_attention": None,
    "fp8_attention": False,
    "tpot_limit_ms": None,
    "ttft_limit_ms": None,
    "draft_tokens": 0,
    "accepted_tokens_per_step": 1.0,
    "source_name": None,
}
"""Fields the model reads when present, with the default a missing or empty cell takes."""

CAUSES = {
    "ttft_queueing": (
        "time to first token under a closed-loop client: it is set by how prompts queue for "
        "prefill (the first wave arrives at once, later ones whenever a request ends), which a "
        "steady-state model only estimates"
    ),
    "start_up": (
        "a fixed start-up cost per request (tokenization, scheduling, the first kernel launches) "
        "that the model does not charge: the fitted fixed overhead per step is 0, so a short "
        "prompt's first token comes out too soon"
    ),
    "rocm": (
        "kernels on AMD's MI300-series chips (ROCm builds of vLLM and SGLang) reach less of the "
        "chip's peak than the one set of MFU and MBU fitted across vendors, most of them NVIDIA"
    ),
    "no_infiniband": (
        "tensor parallelism across two nodes without InfiniBand: the all-reduces ran over a much "
        "slower network than the 50 GB/s per GPU the model assumes"
    ),
    "hierarchical_all_reduce": (
        "a 16-GPU tensor-parallel ring across two nodes: the model charges the whole ring at the "
        "scale-out bandwidth, while NCCL reduces inside each node over NVLink first and sends far "
        "less over InfiniBand"
    ),
    "old_engines_varied_lengths": (
        "engines of 2023-24 on ShareGPT-like data: their host and kernel overheads are above the "
        "one set of factors fitted across 2023-2026 engines, and requests of varied length are "
        "predicted at the mean length"
    ),
    "deepseek_prefill": (
        "DeepSeek-R1 prefill: MLA's prefill attention and the expert all-to-all at large prefill "
        "batches reach less of the FP8/FP4 peak than the fitted factors; the model counts their "
        "arithmetic and bytes only"
    ),
    "blackwell_fp4": (
        "DeepSeek-R1 in FP4 on Blackwell (GB200/GB300/B200): its FP4 GEMMs, FP4 dispatch and BF16 "
        "attention reach less of the FP4 peak than the fitted low-precision ratio squared implies"
    ),
    "long_context": (
        "a very long context (tens of thousands of tokens): attention over long KV caches reaches "
        "less bandwidth than the fitted MBU, and the model charges it at the same efficiency as "
        "the weights"
    ),
    "prefill_interference": (
        "long prompts under continuous batching: whole prefill chunks stall the decode steps they "
        "join, while the model spreads the prefill evenly over every step"
    ),
    "host_time_per_sequence": (
        "the fitted host time per sequence (about "
        f"{1e6 * Deployment.__dataclass_fields__['per_sequence_overhead_s'].default:.0f} microseconds "
        "per step, from engines that schedule in Python) is more than this engine pays at this "
        "batch, so the model is too slow"
    ),
    "batch_did_not_fit": (
        "a static batch larger than the KV cache holds: the engine ran part of it while the rest "
        "waited, while the model runs the whole batch at once"
    ),
    "small_batch_launches": (
        "DeepSeek-R1 at a handful of sequences: a step of 61 layers of attention and expert "
        "kernels pays launch and synchronisation time per layer that the model, whose fitted "
        "fixed overhead per step is 0, does not charge"
    ),
    "deepseek_day": (
        "DeepSeek's day is an average over 24 hours of varied traffic; at the Little's-law "
        "concurrency the model's EP144 step is shorter than DeepSeek's average step (throughput "
        "and speed per user carry the same error)"
    ),
}
"""Named causes of the points the model misses by more than 50%; :func:`cause` picks the one
that applies to a row from its configuration (source, hardware, mode, metric, lengths)."""


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


def _field(row: Mapping, name: str):
    """The row's value of an optional field, or its default when missing or empty."""
    value = row.get(name, None)
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value == "":
        return OPTIONAL_FIELDS[name]
    return value


def _flag(value) -> bool | None:
    if value is None:
        return None
    if isinstance(value, str):
        return {"true": True, "false": False}[value.strip().lower()]
    return bool(value)


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


def _row_mode(row: Mapping) -> str:
    """How a row was measured: its ``mode``, or for rows of the older schema one read from them.

    Rows without a mode are static batches when they give a batch size, DeepSeek's service rows
    are service averages, and a prefill throughput with no batch is ``offline_max``.
    """
    mode = _field(row, "mode")
    if mode is not None:
        if mode not in MODES:
            raise ValueError(f"measurement {row['id']!r}: mode must be one of {MODES} (got {mode!r})")
        return mode
    if _field(row, "batch_size") is not None:
        return "static_batch"
    if row.get("system") == "DeepSeek service":
        return "service_average"
    return "offline_max"


def _deployment(row: Mapping, efficiency: Efficiency) -> Deployment:
    dp_attention = _flag(_field(row, "dp_attention"))
    tp = _field(row, "tp")
    tp = None if tp is None else int(tp)
    if dp_attention:
        tp = 1
    ep = _field(row, "ep")
    layout = (
        row["model"],
        row["hardware"],
        int(row["n_gpus"]),
        row["weight_precision"],
        _field(row, "kv_precision") or "bf16",
        tp,
        None if ep is None else int(ep),
        dp_attention,
        _field(row, "engine"),
        bool(_flag(_field(row, "fp8_attention"))),
    )
    if not all(isinstance(part, str) for part in layout[:2]):
        raise ValueError(f"measurement {row['id']!r}: model and hardware must be names (got {layout[:2]!r})")
    return _layout_deployment(layout)._with_efficiencies(**efficiency.deployment_fields())


@lru_cache(maxsize=1024)
def _layout_deployment(layout: tuple) -> Deployment:
    """One deployment per layout (the efficiencies are changed on a copy): predict stays fast."""
    model, hardware, n_gpus, weight, kv, tp, ep, dp_attention, engine, fp8_attention = layout
    return Deployment(
        model,
        hardware,
        n_gpus=n_gpus,
        weight_precision=weight,
        kv_precision=kv,
        tp=tp,
        ep=ep,
        dp_attention=dp_attention,
        engine=engine,
        fp8_attention=fp8_attention,
    )


def unpredictable_reason(row: dict) -> str:
    """Why a measurement cannot be predicted from its published configuration ("" if it can)."""
    row = _check_row(row)
    if pd.isna(row["n_gpus"]):
        return "GPU count not published"
    metric = row["metric"]
    if metric not in _METRICS:
        return f"no prediction for metric {metric!r}"
    mode = _row_mode(row)
    try:
        deployment = _deployment(row, DEFAULT)
    except ValueError as error:
        return f"configuration not modelled: {error}"
    if deployment.weight_bytes_per_gpu > deployment.accelerator.hbm_gb * GB:
        return "the weights do not fit in the chips' memory as the model lays them out"
    batch = _field(row, "batch_size")
    inputs, outputs = _field(row, "input_tokens"), _field(row, "output_tokens")
    if metric == "first_token_ms" and batch is None and mode == "static_batch":
        return "a latency under load: it depends on the arrival rate, which is not published"
    if mode == "static_batch":
        per_step = metric in ("decode_ms_per_token", "tokens_per_s_per_user", "output_tokens_per_s_per_node")
        if per_step and inputs is None and _field(row, "kv_length_tokens") is None:
            return "context length not published"
        if metric == "output_tokens_per_s_per_node" and _field(row, "kv_length_tokens") is None:
            return "KV length not published"
        if not per_step and inputs is None:
            return "prompt length not published"
        whole_run = metric not in ("prefill_ms", "first_token_ms") and not per_step
        if whole_run and outputs is None:
            return "output length not published"
        if batch is None:
            return "batch size not published"
        return ""
    if mode == "service_average":
        if _field(row, "concurrency") is None or _field(row, "kv_length_tokens") is None:
            return "concurrency or KV length not published"
        return ""
    if mode == "offline_max" and metric == "input_tokens_per_s_per_node":
        return "" if inputs is not None else "prompt length not published"
    if inputs is None or outputs is None:
        return "prompt or output length not published"
    if mode == "closed_loop" and _field(row, "concurrency") is None:
        return "concurrency not published"
    if mode == "server_latency_bound" and _field(row, "tpot_limit_ms") is None:
        return "latency limits not stated"
    return ""


@dataclass(frozen=True)
class Serving:
    """What the model predicts for one served configuration (all per replica, seconds)."""

    output_tokens_per_s_per_gpu: float
    tpot_s: float
    ttft_s: float
    concurrency: float


def _run_s(deployment: Deployment, batch: int, input_tokens: int, output_tokens: int) -> float:
    """Seconds to prefill a batch and decode ``output_tokens`` tokens for each sequence."""
    contexts = input_tokens + np.arange(1.0, output_tokens)
    decode_s = _decode_core(deployment, float(batch), contexts).step_s.sum() if output_tokens > 1 else 0.0
    return float(_prefill_core(deployment, float(input_tokens), float(batch))) + decode_s


def _steady_state(
    deployment: Deployment,
    concurrency,
    input_tokens: int,
    output_tokens: int,
    draft=0,
    accepted=1.0,
    prefill=True,
) -> Serving:
    """Continuous batching with chunked prefill at ``concurrency`` requests in flight.

    Running sequences are the concurrency, or the memory limit at the average context
    (input + output / 2) if smaller; the rest wait. Each step decodes one token of every running
    sequence and carries running x input / output prompt tokens; the time per output token is
    the step time (per accepted token); a new prompt is processed in ceil(input / 8,192) such
    steps, after waiting for the requests ahead of it. The mean time to first token averages
    that steady state with the first wave, whose prompts all arrive at once and are prefilled
    one after another (:data:`PROMPTS_PER_CONCURRENT_REQUEST`).

    Examples
    --------
    >>> d = Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=8)
    >>> s = _steady_state(d, 64, 1000, 1000)
    >>> round(s.tpot_s * 1e3) > 10
    True
    """
    context = int(round(input_tokens + output_tokens / 2))
    context = min(context, deployment.model.max_context_tokens)
    fits = max(int(_max_batch_core(deployment, float(context))), 1)
    running = np.minimum(np.asarray(concurrency, dtype=float), fits)
    step = _decode_core(
        deployment,
        np.maximum(np.round(running), 1),
        float(context),
        running * input_tokens / output_tokens if prefill else 0.0,
        float(max(input_tokens, 1)),
        draft,
        accepted,
    )
    step_s = np.asarray(step.step_s)
    tpot_s = step_s / accepted
    chunks = math.ceil(input_tokens / CHUNKED_PREFILL_TOKENS)
    request_s = output_tokens * tpot_s
    waiting = np.maximum(np.asarray(concurrency, dtype=float) - running, 0)
    steady_ttft_s = chunks * step_s + waiting / running * request_s
    ttft_s = steady_ttft_s
    if prefill and input_tokens > 0:
        # The client starts all requests at once: the first wave's prompts queue behind each other.
        burst_s = _prefill_core(deployment, float(input_tokens), np.maximum(np.round(running), 1))
        first_wave_s = burst_s * (running + 1) / (2 * running) + steady_ttft_s - chunks * step_s
        ttft_s = (
            first_wave_s + (PROMPTS_PER_CONCURRENT_REQUEST - 1) * steady_ttft_s
        ) / PROMPTS_PER_CONCURRENT_REQUEST
    per_gpu = running * accepted / step_s / deployment.n_gpus
    return Serving(per_gpu, tpot_s, ttft_s, running)


def _serving(row: Mapping, deployment: Deployment) -> Serving:
    """Predict the served state of a row in its mode."""
    mode = _row_mode(row)
    inputs = int(round(float(_field(row, "input_tokens") or 0)))
    outputs = max(int(round(float(_field(row, "output_tokens") or 1))), 1)
    draft = int(_field(row, "draft_tokens"))
    accepted = float(_field(row, "accepted_tokens_per_step"))
    # A decode-only measurement (prefill on other chips, disaggregated) carries no prefill share.
    prefill = _field(row, "phase") != "decode"
    if _field(row, "phase") == "prefill" and mode in ("offline_max", "closed_loop"):
        prompts = _field(row, "concurrency")
        prompts = PREFILL_SATURATING_BATCH if prompts is None else float(prompts)
        seconds = float(_prefill_core(deployment, float(inputs), float(prompts)))
        return Serving(prompts * inputs / seconds / deployment.n_gpus, np.nan, seconds, prompts)
    if mode == "closed_loop":
        return _steady_state(
            deployment, float(_field(row, "concurrency")), inputs, outputs, draft, accepted, prefill
        )
    if mode == "offline_max":
        if row["metric"] == "input_tokens_per_s_per_node":
            prompts = PREFILL_SATURATING_BATCH
            seconds = float(_prefill_core(deployment, float(inputs), float(prompts)))
            per_gpu = prompts * inputs / seconds / deployment.n_gpus
            return Serving(per_gpu, np.nan, seconds, prompts)
        cap = _field(row, "concurrency")
        cap = MAX_CONCURRENCY if cap in (None, "all") else float(cap)
        return _steady_state(deployment, cap, inputs, outputs, draft, accepted, prefill)
    if mode == "server_latency_bound":
        grid = np.unique(np.round(np.geomspace(1, MAX_CONCURRENCY, 200)))
        state = _steady_state(deployment, grid, inputs, outputs, draft, accepted, prefill)
        ok = state.tpot_s * 1e3 <= float(_field(row, "tpot_limit_ms"))
        ttft_limit = _field(row, "ttft_limit_ms")
        if ttft_limit is not None:
            ok &= state.ttft_s * 1e3 <= float(ttft_limit)
        index = int(np.flatnonzero(ok)[-1]) if ok.any() else 0
        return Serving(
            float(state.output_tokens_per_s_per_gpu[index]),
            float(state.tpot_s[index]),
            float(state.ttft_s[index]),
            float(state.concurrency[index]),
        )
    if mode == "service_average":
        concurrency = float(_field(row, "concurrency"))
        context = float(int(float(_field(row, "kv_length_tokens"))))
        step = _decode_core(deployment, float(max(round(concurrency), 1)), context, 0.0, 1.0, draft, accepted)
        return Serving(step.tokens_per_s_per_gpu, step.step_s / accepted, np.nan, concurrency)
    raise AssertionError(mode)


def _static(row: Mapping, deployment: Deployment) -> float:
    """Predict a static-batch row, in its own unit."""
    metric = row["metric"]
    batch = int(_field(row, "batch_size"))
    inputs = _field(row, "input_tokens")
    inputs = 0 if inputs is None else int(inputs)
    kv_length = _field(row, "kv_length_tokens")
    if metric in ("prefill_ms", "first_token_ms"):
        return 1e3 * float(_prefill_core(deployment, float(inputs), float(batch)))
    if metric in ("decode_ms_per_token", "tokens_per_s_per_user"):
        context = int(kv_length) if kv_length is not None else inputs
        step_s = _decode_core(deployment, float(batch), float(context)).step_s
        return 1e3 * step_s if metric == "decode_ms_per_token" else 1 / step_s
    if metric == "output_tokens_per_s_per_node":
        step = _decode_core(deployment, float(batch * deployment.n_gpus), float(kv_length))
        return step.tokens_per_s_per_gpu * GPUS_PER_NODE
    outputs = int(round(float(_field(row, "output_tokens"))))
    if metric == "total_latency_ms":
        return 1e3 * _run_s(deployment, batch, inputs, outputs)
    per_gpu = batch * outputs / _run_s(deployment, batch, inputs, outputs) / deployment.n_gpus
    return _from_per_gpu(metric, per_gpu, deployment, inputs, outputs)


def _from_per_gpu(metric: str, per_gpu: float, deployment: Deployment, inputs: int, outputs: float) -> float:
    if metric == "output_tokens_per_s_per_gpu":
        return per_gpu
    if metric == "output_tokens_per_s":
        return per_gpu * deployment.n_gpus
    if metric == "output_tokens_per_s_per_node":
        return per_gpu * GPUS_PER_NODE
    if metric == "total_tokens_per_s_per_gpu":
        return per_gpu * (inputs + outputs) / outputs
    if metric == "requests_per_s":
        return per_gpu * deployment.n_gpus / outputs
    raise ValueError(f"no prediction for metric {metric!r}")


_METRICS = (
    "output_tokens_per_s_per_gpu",
    "output_tokens_per_s",
    "output_tokens_per_s_per_node",
    "total_tokens_per_s_per_gpu",
    "requests_per_s",
    "input_tokens_per_s_per_node",
    "tokens_per_s_per_user",
    "decode_ms_per_token",
    "first_token_ms",
    "prefill_ms",
    "total_latency_ms",
)


def _predict(row: Mapping, deployment: Deployment) -> float:
    metric = row["metric"]
    if _row_mode(row) == "static_batch":
        return float(_static(row, deployment))
    state = _serving(row, deployment)
    inputs = float(_field(row, "input_tokens") or 0)
    outputs = float(_field(row, "output_tokens") or 1)
    if metric == "input_tokens_per_s_per_node":
        return float(state.output_tokens_per_s_per_gpu * GPUS_PER_NODE)
    if _field(row, "phase") == "prefill" and metric == "total_tokens_per_s_per_gpu":
        # A prefill-only instance: its throughput is prompt tokens (plus the one token each yields).
        return float(state.output_tokens_per_s_per_gpu * (inputs + 1) / inputs)
    if metric == "decode_ms_per_token":
        return float(1e3 * state.tpot_s)
    if metric == "tokens_per_s_per_user":
        return float(1 / state.tpot_s)
    if metric in ("first_token_ms", "prefill_ms"):
        return float(1e3 * state.ttft_s)
    if metric == "total_latency_ms":
        return float(1e3 * (state.ttft_s + (outputs - 1) * state.tpot_s))
    return float(_from_per_gpu(metric, float(state.output_tokens_per_s_per_gpu), deployment, inputs, outputs))


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


def _signed_error(metric, predicted, measured):
    """Model speed / measured speed - 1: times (``TIME_METRICS``) are compared inverted.

    Examples
    --------
    >>> round(float(_signed_error("decode_ms_per_token", 10.0, 12.0)), 3)
    0.2
    >>> round(float(_signed_error("requests_per_s", 12.0, 10.0)), 3)
    0.2
    """
    predicted, measured = np.asarray(predicted, dtype=float), np.asarray(measured, dtype=float)
    is_time = np.isin(np.asarray(metric), TIME_METRICS)
    return np.where(is_time, measured / predicted, predicted / measured) - 1


def predict(measurements: pd.DataFrame | None = None, efficiency: Efficiency = DEFAULT) -> pd.DataFrame:
    """Predict every measurement and compare.

    Parameters
    ----------
    measurements : DataFrame, optional
        Rows shaped like the ``serving_measurements`` dataset (default: that dataset). Columns
        of the newer schema (mode, concurrency, engine, tp, ep, dp_attention, ...) are optional:
        a missing one takes its default. Add a row of your own to check the model against it.
    efficiency : Efficiency
        The efficiency factors to predict with.

    Returns
    -------
    DataFrame
        The measurement columns plus ``mode``, ``predicted`` (NaN where not predictable),
        ``error`` (model speed / measured speed - 1), ``reason`` (why a row is not predicted)
        and ``split`` ("fit" or "not predicted").
    """
    _check_efficiency(efficiency)
    table = data.load("serving_measurements") if measurements is None else measurements
    table = _check_table("measurements", table).copy()
    predicted, reasons, modes = [], [], []
    for row in table.to_dict("records"):
        reason = unpredictable_reason(row)
        reasons.append(reason)
        modes.append(_row_mode(row))
        predicted.append(np.nan if reason else predict_row(row, efficiency))
    table["mode"] = modes
    table["predicted"] = predicted
    table["error"] = _signed_error(table["metric"], table["predicted"], table["value"])
    table["reason"] = reasons
    table["split"] = np.where(table["reason"] != "", "not predicted", "fit")
    return table


def median_abs_error(table: pd.DataFrame, ids=None, split: str | None = None) -> float:
    """Median of |error| over the rows named by ``ids`` or in ``split``.

    Examples
    --------
    >>> round(median_abs_error(predict(efficiency=ROOFLINE), ids=SMALL_MODEL_POINTS), 2)
    0.39
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


def _predictable(table: pd.DataFrame) -> list[dict]:
    return [row for row in table.to_dict("records") if not unpredictable_reason(row)]


def _check_ranges(ranges) -> dict:
    if not isinstance(ranges, Mapping):
        raise ValueError(
            f"ranges must be a dict like FIT_RANGES (got {type(ranges).__name__} {ranges!r:.60})"
        )
    checked = {}
    for name, bounds in ranges.items():
        if name not in FIT_RANGES:
            raise ValueError(f"ranges names unknown factor {name!r}; fitted factors are {list(FIT_RANGES)}")
        low, high = (float(v) for v in positive(f"ranges[{name!r}]", bounds, allow_zero=True))
        if not low < high:
            raise ValueError(f"ranges[{name!r}] must be (low, high) with low < high (got {bounds!r})")
        checked[name] = (low, high)
    if not checked:
        raise ValueError("ranges must name at least one factor to fit")
    return checked


def fit(
    measurements: pd.DataFrame | None = None, ids=None, ranges=None, start: Efficiency | None = None
) -> Efficiency:
    """The global efficiency factors that best predict the measurements.

    Robust least squares (scipy's ``least_squares``, soft-L1 loss with scale 0.2, so a point
    more than about 20% off counts about linearly) on log(model speed / measured speed) over the
    predictable rows (all, or those named by ``ids``), each independent source
    (``source_name``) weighted equally so that a source with many rows does not dominate,
    within :data:`FIT_RANGES`, from three starting points (the best wins), or from ``start``
    alone when it is given (a refit near a known optimum, as leave-one-source-out does). Takes
    seconds to tens of seconds.
    """
    table = _check_table(
        "measurements", data.load("serving_measurements") if measurements is None else measurements
    )
    ranges = _check_ranges(FIT_RANGES if ranges is None else ranges)
    rows = _predictable(table if ids is None else table[table["id"].isin(_check_ids(ids))])
    if not rows:
        raise ValueError("ids must name predictable rows of the measurements")
    deployments = [_deployment(row, DEFAULT) for row in rows]
    sources = pd.Series([_field(row, "source_name") or row["source"] for row in rows])
    weights = (1 / sources.map(sources.value_counts())).to_numpy()
    weights = weights / weights.sum()
    names = list(ranges)
    low = np.array([ranges[n][0] for n in names])
    span = np.array([ranges[n][1] - ranges[n][0] for n in names])

    def efficiency_at(x) -> Efficiency:
        values = low + span * np.clip(x, 0, 1)
        base = {f.name: getattr(DEFAULT, f.name) for f in fields(DEFAULT)}
        base.update(dict(zip(names, values.tolist(), strict=True)))
        return Efficiency(**base)

    metrics = [row["metric"] for row in rows]
    measured = np.array([row["value"] for row in rows])
    root_weights = np.sqrt(weights)

    def residuals(x) -> np.ndarray:
        efficiency = efficiency_at(x)
        changes = efficiency.deployment_fields()
        predicted = np.array(
            [_predict(r, d._with_efficiencies(**changes)) for r, d in zip(rows, deployments, strict=True)]
        )
        return root_weights * np.log1p(_signed_error(metrics, predicted, measured))

    # Several starts (the defaults and the middle and quarter points of every range): MFU and MBU
    # trade against each other, and one local search can stop in a poorer valley.
    if start is not None:
        starts = [np.clip((np.array([getattr(start, n) for n in names]) - low) / span, 0.02, 0.98)]
    else:
        starts = [np.clip((np.array([getattr(DEFAULT, n) for n in names]) - low) / span, 0.02, 0.98)]
        starts += [np.full(len(names), corner) for corner in (0.25, 0.5)]
    best = None
    for start in starts:
        result = optimize.least_squares(
            residuals,
            start,
            bounds=(0, 1),
            loss="soft_l1",
            f_scale=0.2,
            diff_step=1e-3,
            xtol=1e-4,
            ftol=1e-6,
            max_nfev=200,
        )
        if best is None or result.cost < best.cost:
            best = result
    return efficiency_at(best.x)


def leave_one_source_out(
    measurements: pd.DataFrame | None = None, fitted: Efficiency | None = None
) -> pd.DataFrame:
    """Refit without each independent source and predict that source's rows.

    Each refit starts from the fit on everything (``fitted``, computed when not given), the
    usual warm start of cross-validation: leaving one source out moves the optimum a little.

    Returns
    -------
    DataFrame
        The predictable rows with ``source_name``, ``error`` (from the fit that did not see the
        row's source) and ``fitted_error`` (from the fit on everything).
    """
    table = _check_table(
        "measurements", data.load("serving_measurements") if measurements is None else measurements
    ).copy()
    if "source_name" not in table.columns:
        table["source_name"] = table["source"]
    fitted = fit(table) if fitted is None else fitted
    full = predict(table, fitted)
    predicted = full[full["split"] == "fit"].copy()
    predicted["fitted_error"] = predicted["error"]
    for source in sorted(predicted["source_name"].unique()):
        others = table[table["source_name"] != source]
        held = table[table["source_name"] == source]
        errors = predict(held, fit(others, start=fitted))["error"].to_numpy()
        predicted.loc[predicted["source_name"] == source, "error"] = errors[
            held["id"].isin(predicted["id"]).to_numpy()
        ]
    return predicted


def model_is_moe(name: str) -> bool:
    """Whether the catalog model ``name`` is a mixture of experts.

    Examples
    --------
    >>> model_is_moe("DeepSeek-R1"), model_is_moe("Llama-3.1-70B")
    (True, False)
    """
    if not isinstance(name, str):
        raise ValueError(f"name must be a model name (got {name!r:.60})")
    return catalog_model(name).is_moe


def fidelity_summary(table: pd.DataFrame) -> dict:
    """Medians of |error| by source, overall, on MoE and on dense models, and the geometric mean.

    ``table`` is what :func:`leave_one_source_out` returns.
    """
    if not isinstance(table, pd.DataFrame) or not {"error", "fitted_error", "source_name", "model"} <= set(
        table.columns
    ):
        raise ValueError(f"table must be what leave_one_source_out() returns (got {type(table).__name__})")
    moe = table["model"].map(model_is_moe)
    by_source = table.groupby("source_name")["error"].agg(
        points="size", median_abs_error=lambda e: float(e.abs().median())
    )
    return {
        "by_source": by_source,
        "overall": float(table["error"].abs().median()),
        "moe": float(table.loc[moe, "error"].abs().median()),
        "dense": float(table.loc[~moe, "error"].abs().median()),
        "geomean": float(np.exp(np.log1p(table["error"]).mean())),
        "geomean_fitted": float(np.exp(np.log1p(table["fitted_error"]).mean())),
    }


LOSO_SOURCE = "benchmarks/bench_fidelity.py --write (the kit's leave-one-source-out run)"
LOSO_NOTE = "Computed by the kit from serving_measurements; errors are model speed / measured speed - 1."


def loso_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of the ``serving_model_loso`` dataset from :func:`leave_one_source_out`'s table.

    One row per source, then "all sources", "mixture of experts" and "dense": points, median
    |error| when the source was left out of the fit (for the groups: each point's error from the
    fit without its own source) and with the fit on everything, and the geometric mean of model
    speed / measured speed.
    """
    summary = fidelity_summary(table)
    moe = table["model"].map(model_is_moe)
    groups = [(name, table["source_name"] == name) for name in summary["by_source"].index]
    groups += [("all sources", table["id"].notna()), ("mixture of experts", moe), ("dense", ~moe)]
    rows = []
    for name, selected in groups:
        part = table[selected]
        rows.append(
            {
                "group": name,
                "points": len(part),
                "loso_median_abs_error_pct": round(100 * float(part["error"].abs().median()), 1),
                "fitted_median_abs_error_pct": round(100 * float(part["fitted_error"].abs().median()), 1),
                "loso_geomean_model_over_measured": round(float(np.exp(np.log1p(part["error"]).mean())), 3),
                "source": LOSO_SOURCE,
                "quality": "derived",
                "note": LOSO_NOTE,
            }
        )
    return pd.DataFrame(rows)


def cause(measurement_id: str) -> str:
    """The named cause of a point of ``serving_measurements`` the model misses by more than 50%.

    Picked from :data:`CAUSES` by the row's configuration; "not identified" where none applies
    (the benchmark lists those as such).

    Examples
    --------
    >>> cause("no-such-row")
    'no cause recorded: not a row of serving_measurements'
    """
    if not isinstance(measurement_id, str):
        raise ValueError(f"measurement_id must be a string (got {measurement_id!r:.60})")
    row = _rows_by_id().get(measurement_id)
    if row is None:
        return "no cause recorded: not a row of serving_measurements"
    key = _cause_key(row, _default_error(measurement_id))
    return CAUSES[key] if key else "not identified"


@lru_cache(maxsize=4096)
def _default_error(measurement_id: str) -> float:
    """The row's error with the default factors (NaN if it cannot be predicted)."""
    row = _rows_by_id()[measurement_id]
    if unpredictable_reason(row):
        return float("nan")
    return float(_signed_error(row["metric"], predict_row(row), row["value"]))


@lru_cache(maxsize=1)
def _rows_by_id() -> dict:
    return {row["id"]: row for row in data.load("serving_measurements").to_dict("records")}


def _cause_key(row: dict, error: float) -> str:
    """Which of :data:`CAUSES` applies to a row whose default error is ``error`` ("" if none)."""
    mode, metric, ident = _row_mode(row), row["metric"], row["id"]
    concurrency = _field(row, "concurrency") or _field(row, "batch_size") or 0
    inputs = _field(row, "input_tokens") or 0
    if row.get("source_name") == "DeepSeek open-infra-index":
        return "deepseek_day"
    if metric == "first_token_ms" and mode == "closed_loop":
        return "ttft_queueing"
    too_fast = error > 0
    if mode == "static_batch" and too_fast and _field(row, "batch_size") is not None:
        deployment = _deployment(row, DEFAULT)
        context = int(
            min(inputs + float(_field(row, "output_tokens") or 1), deployment.model.max_context_tokens)
        )
        if float(_field(row, "batch_size")) > int(max_batch_size(deployment, context)):
            return "batch_did_not_fit"
    if "noib" in ident and too_fast:
        return "no_infiniband"
    if "405b_16xh100" in ident and not too_fast:
        return "hierarchical_all_reduce"
    if metric == "first_token_ms" and mode == "static_batch" and too_fast:
        return "start_up"
    if str(row["hardware"]).startswith("MI") and too_fast:
        return "rocm"
    if row["model"] == "DeepSeek-R1" and row["weight_precision"] == "fp4" and too_fast:
        return "blackwell_fp4"
    if row["model"] == "DeepSeek-R1" and _field(row, "phase") == "prefill" and too_fast:
        return "deepseek_prefill"
    if (metric == "requests_per_s" and inputs < 600 or "sharegpt" in ident) and too_fast:
        return "old_engines_varied_lengths"
    if row["model"] == "DeepSeek-R1" and 0 < float(concurrency) <= 8 and too_fast:
        return "small_batch_launches"
    if inputs >= 30_000 and too_fast:
        return "long_context"
    if inputs >= 4000 and mode == "closed_loop" and too_fast:
        return "prefill_interference"
    if str(row.get("engine")) in ("lmdeploy", "tensorrt_llm") and error < 0:
        return "host_time_per_sequence"
    return ""


def deepseek_concurrency_per_gpu() -> float:
    """Sequences in flight per decode GPU in DeepSeek's day, by Little's law.

    concurrency = throughput / speed per user = 14,800 tokens/s per node / 21 tokens/s
    (the middle of the published 20-22) / 8 GPUs ~ 88 per GPU, ~705 per node.

    Examples
    --------
    >>> round(deepseek_concurrency_per_gpu(), 1)
    88.1
    """
    figures = data.load("deepseek_day").set_index("quantity")["value"]
    speed = (figures["output_tokens_per_s_per_user_low"] + figures["output_tokens_per_s_per_user_high"]) / 2
    return float(figures["decode_output_tokens_per_s_per_node"] / speed / figures["gpus_per_node"])


def reproduce_deepseek_day(efficiency: Efficiency = DEFAULT) -> pd.DataFrame:
    """DeepSeek's published day (27-28 February 2025) recomputed from its own figures.

    Cost, theoretical revenue and the cost profit margin are arithmetic on the published
    figures and must match exactly. Decode throughput per node and tokens per second per user
    come from the batching model with DeepSeek's decode unit: 18 nodes of 8 H800 (EP144,
    data-parallel attention), FP8 weights, BF16 KV cache, the published average KV length of
    4,989 tokens, and the concurrency Little's law gives (:func:`deepseek_concurrency_per_gpu`,
    about 88 per GPU). At a fixed concurrency throughput = concurrency x speed per user, so the
    two predictions carry one and the same error.

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
    row = {"model": "DeepSeek-R1", "hardware": "H800", "n_gpus": decode_gpus, "engine": "deepseek"}
    deployment = _deployment({**row, "weight_precision": "fp8", "kv_precision": "bf16"}, efficiency)
    per_gpu = deepseek_concurrency_per_gpu()
    step = decode(deployment, round(per_gpu * decode_gpus), int(figures["avg_kv_length_tokens"]))
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
            f"batching model, EP144 at {per_gpu:.0f} sequences per GPU (Little's law), KV length 4,989",
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
