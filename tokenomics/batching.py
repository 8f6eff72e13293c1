"""The GPU batching model: why batching many users makes tokens cheap but slow.

A decode step produces one token for every sequence in the batch. On every chip of the
replica it is a sum of named parts, each a function below with its formula:

1. :func:`dense_gemm_s`: the weight matrix multiplications that every token uses (attention
   projections, dense feed-forward layers, shared experts, the output head);
2. :func:`expert_gemm_s`: the routed experts of a mixture-of-experts model, each its own small
   matrix multiplication over the tokens routed to it (tokens x k / E on average);
3. :func:`attention_s`: reading every sequence's KV cache and the attention arithmetic over it;
4. :func:`all_reduce_s`: tensor parallelism's two all-reduces per layer;
5. :func:`expert_exchange_s`: expert parallelism's dispatch and combine, as DeepEP does them;
6. :func:`overhead_s`: a fixed cost per step plus a cost per sequence (launches, scheduling,
   sampling).

Each compute part takes the longer of its memory time (bytes / bandwidth) and its compute time
(FLOPs / peak): a per-operator roofline, so each operator turns compute-bound at its own critical
batch (:func:`critical_batch`). Communication is alpha-beta (a latency per collective plus bytes
/ bandwidth over the right link); the share of it hidden behind computation is an explicit
``overlap_fraction``. ``DecodeStep.bound`` names the largest part, overhead included.

Reading the weights costs the same for 1 or 100 sequences, so a bigger batch spreads that cost
over more tokens: tokens per second per GPU rise and the price per token falls. But every
sequence waits for the whole step, and the KV reads grow with the batch, so tokens per second
*per user* fall. Memory caps the batch: the weights plus every sequence's KV cache must fit in
the HBM the engine leaves for them.

The parallel layout is part of the deployment: ``tp`` chips share each attention block and dense
layer by tensor parallelism (the rest of the replica runs attention data-parallel), and routed
experts are spread over ``ep`` chips by expert parallelism (or sliced by tensor parallelism when
``ep`` is 1). Defaults: a dense model, and a mixture-of-experts model with grouped-query
attention, run tensor-parallel over the whole replica; a mixture-of-experts model with latent
attention (DeepSeek's) runs expert-parallel with data-parallel attention, as SGLang and
DeepSeek serve it.

The efficiency factors (``mfu``, ``mbu``, the two overheads, the collective latency and the
expert load imbalance) default to the values :func:`tokenomics.calibration.fit` finds on the
public measurements of ``serving_measurements``; :mod:`tokenomics.calibration` shows the
residuals. A pure roofline sets the efficiencies to 1 and the overheads to 0.

What the model leaves out: prefix caching, pipeline parallelism, disaggregated prefill and decode
inside one replica, the memory activations take (folded into the usable fraction), kernel
differences between engines beyond the usable memory and the overlap.

Examples
--------
>>> deployment = Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8")
>>> step = decode(deployment, batch_size=[1, 256], context_tokens=4096)
>>> step.bound.tolist()
['memory', 'memory']
>>> critical_batch(Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=4))["dense"].round()
np.float64(404.0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tokenomics import kpi
from tokenomics.catalog import Accelerator, ModelSpec, accelerator, bytes_per_element, model
from tokenomics.validation import (
    ExtremeInputError,
    between,
    count,
    finite_result,
    one_of,
    positive,
    scalar,
    scalar_or_array,
    whole,
)

GB = 1e9
BF16_BYTES = 2.0
TB_S = 1e12
TFLOPS = 1e12
MAX_FRONTIER_POINTS = 10_000
"""Most batch sizes :func:`frontier` evaluates: far more than a chart can show."""

DEFAULT_SCALE_OUT_GB_S = 50.0
"""Scale-out bandwidth per chip when the catalog has none: 400 Gb/s InfiniBand, one direction,
the figure DeepSeek reports per H800 (DeepSeek-V3 technical report, section 3.2.2,
https://arxiv.org/abs/2412.19437)."""
DEFAULT_SCALE_UP_DOMAIN = 8
"""Chips per scale-up domain when the catalog has none: one 8-GPU node."""

ENGINES = ("generic", "vllm", "sglang", "tensorrt_llm", "lmdeploy", "deepseek", "jetstream", "other")
"""Serving engines the model knows; they differ only in the defaults below."""

ENGINE_MEMORY_USABLE = {
    "vllm": 0.9,
    "sglang": 0.9,
    "tensorrt_llm": 0.95,
    "lmdeploy": 0.95,
}
"""Share of HBM each engine gives weights and KV cache by default: vLLM's
``gpu_memory_utilization`` 0.9; SGLang's ``mem_fraction_static`` (0.88-0.9 on 80 GB+ chips);
TensorRT-LLM's ``free_gpu_memory_fraction`` and LMDeploy's ``cache_max_entry_count`` are
fractions (0.9 and 0.8) of the memory left *after* the weights, which is 0.95 or more of HBM
for the weights and KV together on the deployments measured. Others: 0.9."""

ENGINE_OVERLAP = {"deepseek": 1.0}
"""Share of expert-parallel communication hidden behind computation, by engine. DeepSeek
documents two micro-batches in prefill and a pipelined decode step that hide dispatch and
combine (open-infra-index, day 6 overview); the other engines' defaults overlap nothing (their
two-batch overlap is an option). All-reduces are not overlapped."""

MAX_ROUTED_NODES = {"DeepSeek-R1": 4}
"""Most nodes one token's experts may sit on (DeepSeek-V3's node-limited routing: 4)."""


@dataclass(frozen=True)
class Deployment:
    """One model replica served on ``n_gpus`` accelerators.

    Parameters
    ----------
    model : ModelSpec or str
        The model (or its catalog name).
    accelerator : Accelerator or str
        The chip (or its catalog name).
    n_gpus : int
        Chips holding one replica.
    weight_precision, kv_precision : {"bf16", "fp8", "fp4"}
        How weights and the KV cache are stored; the weight matrix multiplications run at the
        weight precision where the chip has tensor cores for it, else at BF16
        (:attr:`matmul_precision`).
    mfu : float in (0, 1]
        Fraction of peak FLOPs the matrix multiplications reach (model FLOPs utilization).
    mbu : float in (0, 1]
        Fraction of peak memory bandwidth reached (memory bandwidth utilization).
    step_overhead_s : float >= 0
        Fixed time added to every decode step and every prefill, seconds (launches, scheduling).
    memory_usable_fraction : float in (0, 1], optional
        Share of HBM available for weights and KV cache; default the engine's
        (:data:`ENGINE_MEMORY_USABLE`, else 0.9).
    network_gb_s : float > 0, optional
        Scale-out bandwidth per chip (to chips in other nodes), one direction, GB/s; default the
        catalog's, else :data:`DEFAULT_SCALE_OUT_GB_S`. ``float("inf")`` removes that time.
    gpus_per_node : int, optional
        Chips in one scale-up domain (NVLink); default the catalog's, else 8.
    usd_per_gpu_hour : float, optional
        Rental price per chip-hour; defaults to the catalog's reference price.
    tp : int, optional
        Tensor-parallel degree of attention and dense layers; divides ``n_gpus``; the
        ``n_gpus / tp`` groups run attention data-parallel. Default: ``n_gpus``, or 1 for a
        mixture-of-experts model with latent attention when its shared weights, whole on every
        chip, plus the chip's share of the experts fill at most 80% of the usable HBM.
    ep : int, optional
        Expert-parallel degree; divides ``n_gpus``; 1 slices every expert by tensor parallelism.
        Default: ``n_gpus`` with data-parallel attention, else 1.
    dp_attention : bool, optional
        Data-parallel attention; True implies ``tp`` 1 unless given. Default: ``tp < n_gpus``.
    engine : str
        One of :data:`ENGINES`; sets the usable memory and the overlap defaults.
    fp8_attention : bool
        Run attention at FP8 (else BF16, what engines do by default).
    per_sequence_overhead_s : float >= 0
        Host time per sequence per step (sampling, scheduling), seconds.
    collective_latency_s : float >= 0
        Latency of one collective (an all-reduce, a dispatch or a combine), seconds.
    expert_imbalance : float >= 1
        Tokens of the busiest expert over the mean (routing is never perfectly even).
    low_precision_mfu_ratio : float in (0, 1]
        MFU of FP8 matrix multiplications relative to BF16 ones (squared for FP4): the faster
        tensor-core modes reach a smaller share of their peak (scaling, quantization, the same
        memory system feeding twice the arithmetic).
    overlap_fraction : float in [0, 1], optional
        Share of expert-parallel communication hidden behind computation; default the engine's
        (:data:`ENGINE_OVERLAP`, else 0).

    Examples
    --------
    >>> Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=4).weight_gb_per_gpu
    35.0
    >>> d = Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8")
    >>> d.tp, d.ep, d.dp_attention
    (1, 16, True)
    """

    model: ModelSpec
    accelerator: Accelerator
    n_gpus: int = 8
    weight_precision: str = "bf16"
    kv_precision: str = "bf16"
    mfu: float = 0.78
    mbu: float = 0.57
    step_overhead_s: float = 0.0
    memory_usable_fraction: float | None = None
    network_gb_s: float | None = None
    gpus_per_node: int | None = None
    usd_per_gpu_hour: float | None = None
    tp: int | None = None
    ep: int | None = None
    dp_attention: bool | None = None
    engine: str = "generic"
    fp8_attention: bool = False
    per_sequence_overhead_s: float = 6.4e-5
    collective_latency_s: float = 3.8e-5
    expert_imbalance: float = 1.0
    low_precision_mfu_ratio: float = 0.44
    overlap_fraction: float | None = None

    def __post_init__(self):
        # Frozen dataclass: normalise the inputs once, here, with object.__setattr__.
        if isinstance(self.model, str):
            object.__setattr__(self, "model", model(self.model))
        if isinstance(self.accelerator, str):
            object.__setattr__(self, "accelerator", accelerator(self.accelerator))
        if not isinstance(self.model, ModelSpec):
            raise ValueError(f"model must be a ModelSpec or a model name (got {self.model!r:.60})")
        if not isinstance(self.accelerator, Accelerator):
            raise ValueError(f"accelerator must be an Accelerator or a name (got {self.accelerator!r:.60})")
        n_gpus = count("n_gpus", self.n_gpus)
        object.__setattr__(self, "n_gpus", n_gpus)
        for name in ("weight_precision", "kv_precision"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"{name} must be one of 'bf16', 'fp8', 'fp4' (got {getattr(self, name)!r})")
        bytes_per_element(self.weight_precision, "weight_precision")
        bytes_per_element(self.kv_precision, "kv_precision")
        if not isinstance(self.engine, str):
            raise ValueError(f"engine must be one of {ENGINES} (got {self.engine!r:.60})")
        one_of("engine", self.engine, ENGINES)
        for name in ("fp8_attention",):
            if not isinstance(getattr(self, name), bool | np.bool_):
                raise ValueError(f"{name} must be True or False (got {getattr(self, name)!r:.60})")
        self.accelerator.peak_tflops(self.attention_precision)
        for name in ("mfu", "mbu"):
            value = scalar(name, getattr(self, name))
            object.__setattr__(self, name, float(between(name, value, 0, 1, include_low=False)))
        usable = self.memory_usable_fraction
        if usable is None:
            usable = ENGINE_MEMORY_USABLE.get(self.engine, 0.9)
        usable = scalar("memory_usable_fraction", usable)
        object.__setattr__(
            self,
            "memory_usable_fraction",
            float(between("memory_usable_fraction", usable, 0, 1, include_low=False)),
        )
        overlap = self.overlap_fraction
        if overlap is None:
            overlap = ENGINE_OVERLAP.get(self.engine, 0.0)
        object.__setattr__(
            self,
            "overlap_fraction",
            float(between("overlap_fraction", scalar("overlap_fraction", overlap), 0, 1)),
        )
        for name in ("step_overhead_s", "per_sequence_overhead_s", "collective_latency_s"):
            value = scalar(name, getattr(self, name))
            object.__setattr__(self, name, float(positive(name, value, allow_zero=True)))
        ratio = scalar("low_precision_mfu_ratio", self.low_precision_mfu_ratio)
        object.__setattr__(
            self,
            "low_precision_mfu_ratio",
            float(between("low_precision_mfu_ratio", ratio, 0, 1, include_low=False)),
        )
        imbalance = scalar("expert_imbalance", self.expert_imbalance)
        object.__setattr__(self, "expert_imbalance", float(between("expert_imbalance", imbalance, 1, 16)))
        network = self.network_gb_s
        if network is None:
            network = self.accelerator.scale_out_gb_s or DEFAULT_SCALE_OUT_GB_S
        network = scalar("network_gb_s", network)
        object.__setattr__(self, "network_gb_s", float(positive("network_gb_s", network, allow_inf=True)))
        domain = self.gpus_per_node
        if domain is None:
            domain = self.accelerator.scale_up_domain_chips or DEFAULT_SCALE_UP_DOMAIN
        object.__setattr__(self, "gpus_per_node", count("gpus_per_node", domain))
        self._set_layout(n_gpus)
        if self.usd_per_gpu_hour is not None:
            price = scalar("usd_per_gpu_hour", self.usd_per_gpu_hour)
            object.__setattr__(self, "usd_per_gpu_hour", float(positive("usd_per_gpu_hour", price)))

    def _set_layout(self, n_gpus: int) -> None:
        """Fill in tp, ep and dp_attention from the model's default layout and check them."""
        spec = self.model
        latent_moe = spec.is_moe and spec.attention == "mla"
        if self.dp_attention is not None and not isinstance(self.dp_attention, bool | np.bool_):
            raise ValueError(f"dp_attention must be True, False or None (got {self.dp_attention!r:.60})")
        tp = self.tp
        if tp is None:
            data_parallel = self.dp_attention if self.dp_attention is not None else latent_moe
            if self.dp_attention is None and latent_moe and self.ep in (None, n_gpus):
                data_parallel = self._replicated_attention_fits(n_gpus)
            tp = 1 if data_parallel else n_gpus
        tp = count("tp", tp, maximum=n_gpus)
        if n_gpus % tp:
            raise ValueError(f"tp must divide n_gpus={n_gpus} (got {tp})")
        if self.dp_attention is True and tp == n_gpus and n_gpus > 1:
            raise ValueError(f"dp_attention=True needs tp < n_gpus={n_gpus} (got tp={tp})")
        if self.dp_attention is False and tp < n_gpus:
            raise ValueError(f"dp_attention=False needs tp == n_gpus={n_gpus} (got tp={tp})")
        ep = self.ep
        if ep is None:
            ep = n_gpus if latent_moe and tp < n_gpus else 1
        ep = count("ep", ep, maximum=n_gpus)
        if n_gpus % ep:
            raise ValueError(f"ep must divide n_gpus={n_gpus} (got {ep})")
        object.__setattr__(self, "tp", tp)
        object.__setattr__(self, "ep", ep)
        object.__setattr__(self, "dp_attention", tp < n_gpus)

    def _replicated_attention_fits(self, n_gpus: int) -> bool:
        """Whether the shared weights whole on every chip, plus 1/n_gpus of the experts, fit in 80% of HBM."""
        spec = self.model
        shared = spec.total_params_b * 1e9 - spec.routed_expert_params
        per_gpu = (shared + spec.routed_expert_params / n_gpus) * bytes_per_element(self.weight_precision)
        return per_gpu <= 0.8 * self.memory_usable_fraction * self.accelerator.hbm_gb * GB

    def _with_efficiencies(self, **changes) -> Deployment:
        """A copy with some efficiency factors changed, values already checked (by
        :class:`tokenomics.calibration.Efficiency`); the layout stays. For the fit's inner loop."""
        allowed = {
            "mfu",
            "mbu",
            "step_overhead_s",
            "per_sequence_overhead_s",
            "collective_latency_s",
            "expert_imbalance",
            "low_precision_mfu_ratio",
            "network_gb_s",
        }
        copy = object.__new__(Deployment)
        copy.__dict__.update(self.__dict__)
        for name, value in changes.items():
            if name not in allowed:
                raise ValueError(f"_with_efficiencies changes only {sorted(allowed)} (got {name!r})")
            object.__setattr__(copy, name, float(value))
        return copy

    @property
    def matmul_precision(self) -> str:
        """Precision the weight GEMMs run at: the weights', or BF16 when the chip has no tensor
        cores for it (weight-only quantization: weights stored small, dequantized to BF16)."""
        if getattr(self.accelerator, f"{self.weight_precision}_tflops") is not None:
            return self.weight_precision
        return "bf16"

    @property
    def attention_precision(self) -> str:
        """Precision attention's arithmetic runs at: "fp8" with ``fp8_attention``, else "bf16"."""
        return "fp8" if self.fp8_attention else "bf16"

    @property
    def dp(self) -> int:
        """Data-parallel attention groups: n_gpus / tp."""
        return self.n_gpus // self.tp

    @property
    def expert_shards(self) -> int:
        """Chips one copy of the routed experts is spread over: ep, or tp when ep is 1."""
        return max(self.ep, self.tp)

    @property
    def price_usd_per_gpu_hour(self) -> float | None:
        """The price used for $/Mtok: the one given, else the catalog's reference price."""
        if self.usd_per_gpu_hour is not None:
            return float(self.usd_per_gpu_hour)
        return self.accelerator.usd_per_hour

    @property
    def weight_bytes(self) -> float:
        """Bytes of all weights of one replica (one copy of each)."""
        return self.model.total_params_b * 1e9 * bytes_per_element(self.weight_precision)

    @property
    def weight_bytes_per_gpu(self) -> float:
        """Bytes of weights each chip holds: shared weights / tp + routed experts / expert shards."""
        spec = self.model
        per_weight = bytes_per_element(self.weight_precision)
        shared = spec.total_params_b * 1e9 - spec.routed_expert_params
        return (shared / self.tp + spec.routed_expert_params / self.expert_shards) * per_weight

    @property
    def weight_gb_per_gpu(self) -> float:
        """GB of weights each chip holds."""
        return self.weight_bytes_per_gpu / GB

    @property
    def kv_replication(self) -> float:
        """Copies of each sequence's KV cache inside its tensor-parallel group.

        GQA shards KV heads over the tp chips; with fewer KV heads than chips each head is
        replicated tp / kv_heads times. MLA's latent has no heads: every tp chip holds it whole.
        """
        if self.model.attention == "mla":
            return float(self.tp)
        return self.tp / min(self.tp, self.model.n_kv_heads)

    @property
    def kv_budget_bytes_per_gpu(self) -> float:
        """Bytes of HBM per chip left for KV cache after the weights (0 if they do not fit)."""
        usable = self.accelerator.hbm_gb * GB * self.memory_usable_fraction
        return max(usable - self.weight_bytes_per_gpu, 0.0)

    @property
    def kv_budget_bytes(self) -> float:
        """Bytes left for KV cache across the replica after the weights (0 if they do not fit)."""
        return self.kv_budget_bytes_per_gpu * self.n_gpus

    def _bandwidth_bytes_s(self) -> float:
        """Memory bandwidth of one chip reached, bytes/s."""
        return self.accelerator.hbm_tb_s * TB_S * self.mbu

    def _flops_s(self, precision: str) -> float:
        """Matrix throughput of one chip reached at ``precision``, FLOP/s: peak x MFU, times
        ``low_precision_mfu_ratio`` for FP8 and its square for FP4."""
        steps = {"bf16": 0, "fp8": 1, "fp4": 2}[precision]
        return (
            self.accelerator.peak_tflops(precision) * TFLOPS * self.mfu * self.low_precision_mfu_ratio**steps
        )


@dataclass(frozen=True)
class DecodeStep:
    """What one decode step costs, for every (batch size, context) point asked for.

    All attributes are numpy arrays broadcast from the inputs (floats for scalar inputs). The
    component times are those of one chip (all chips of the replica work in parallel); their
    sum minus the hidden communication is ``step_s``.

    Attributes
    ----------
    batch_size, context_tokens : array
        The inputs, broadcast.
    step_s : array
        Time of one step, seconds.
    tokens_per_s_per_user : array
        Interactivity: output tokens per step per sequence / step_s.
    tokens_per_s_per_gpu : array
        Output tokens per second per chip.
    dense_gemm_s, expert_gemm_s, attention_s : array
        The three compute parts (see :func:`dense_gemm_s`, :func:`expert_gemm_s`,
        :func:`attention_s`), seconds.
    all_reduce_s, expert_exchange_s : array
        Tensor-parallel all-reduces and expert-parallel dispatch plus combine, seconds.
    overlap_s : array
        Communication hidden behind computation (subtracted), seconds.
    overhead_s : array
        Fixed plus per-sequence host time, seconds.
    memory_s, compute_s : array
        The compute parts' memory and compute roofs, summed over the three parts.
    network_s : array
        All communication: all_reduce_s + expert_exchange_s.
    memory_used_gb_per_gpu : array
        Weights plus the batch's KV cache per chip, GB.
    fits : array of bool
        Whether weights plus KV cache fit in the usable HBM.
    usd_per_gpu_hour : float or None
        The price used for :attr:`usd_per_mtok`.
    """

    batch_size: np.ndarray
    context_tokens: np.ndarray
    step_s: np.ndarray
    tokens_per_s_per_user: np.ndarray
    tokens_per_s_per_gpu: np.ndarray
    dense_gemm_s: np.ndarray
    expert_gemm_s: np.ndarray
    attention_s: np.ndarray
    all_reduce_s: np.ndarray
    expert_exchange_s: np.ndarray
    overlap_s: np.ndarray
    overhead_s: np.ndarray
    memory_s: np.ndarray
    compute_s: np.ndarray
    network_s: np.ndarray
    memory_used_gb_per_gpu: np.ndarray
    fits: np.ndarray
    usd_per_gpu_hour: float | None
    dense_memory_bound: np.ndarray
    expert_memory_bound: np.ndarray
    attention_memory_bound: np.ndarray

    COMPONENTS = (
        "dense_gemm_s",
        "expert_gemm_s",
        "attention_s",
        "all_reduce_s",
        "expert_exchange_s",
        "overhead_s",
    )
    """The parts of a step, in the order charts stack them."""

    @property
    def largest_component(self):
        """Name of the largest part of the step, one of :attr:`COMPONENTS` without ``_s``."""
        parts = np.stack(np.broadcast_arrays(*[np.asarray(getattr(self, c)) for c in self.COMPONENTS]))
        names = np.array([c.removesuffix("_s") for c in self.COMPONENTS])
        return scalar_or_array(names[np.argmax(parts, axis=0)])

    @property
    def bound(self):
        """What takes most of the step: "memory", "compute", "network" or "overhead".

        The compute parts are grouped by the roof each sits on; communication after overlap is
        "network"; the fixed and per-sequence host time is "overhead". The largest group wins.
        """
        groups = {"memory": 0.0, "compute": 0.0}
        for part, memory_bound in (
            (self.dense_gemm_s, self.dense_memory_bound),
            (self.expert_gemm_s, self.expert_memory_bound),
            (self.attention_s, self.attention_memory_bound),
        ):
            groups["memory"] = groups["memory"] + np.where(memory_bound, part, 0.0)
            groups["compute"] = groups["compute"] + np.where(memory_bound, 0.0, part)
        groups["network"] = np.asarray(self.network_s) - np.asarray(self.overlap_s)
        groups["overhead"] = np.asarray(self.overhead_s)
        times = np.stack(np.broadcast_arrays(*[np.asarray(v, dtype=float) for v in groups.values()]))
        return scalar_or_array(np.array(list(groups))[np.argmax(times, axis=0)])

    @property
    def usd_per_mtok(self):
        """Hardware cost of a million output tokens, USD (see :func:`tokenomics.kpi.cost_usd_per_mtok`).

        Raises
        ------
        ValueError
            If the catalog has no price for the chip and none was given.
        """
        if self.usd_per_gpu_hour is None:
            raise ValueError(
                "usd_per_gpu_hour is unknown: the catalog has no reference price for this "
                "accelerator; pass usd_per_gpu_hour=... to Deployment"
            )
        return kpi.cost_usd_per_mtok(self.usd_per_gpu_hour, self.tokens_per_s_per_gpu)


def check_deployment(deployment) -> Deployment:
    """Check that ``deployment`` is a :class:`Deployment`; a model name alone is not enough.

    Examples
    --------
    >>> check_deployment("DeepSeek-R1")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: deployment must be a Deployment, not str 'DeepSeek-R1'; build one with Deployment(...
    """
    if isinstance(deployment, Deployment):
        return deployment
    example = repr(deployment) if isinstance(deployment, str) else "'DeepSeek-R1'"
    raise ValueError(
        f"deployment must be a Deployment, not {type(deployment).__name__} {deployment!r:.60}; "
        "build one with "
        f"Deployment(model, accelerator, n_gpus=...), e.g. Deployment({example}, 'H800', n_gpus=16)"
    )


@finite_result
def experts_touched_fraction(model_spec: ModelSpec, tokens_in_step) -> np.ndarray:
    """Expected fraction of a layer's routed experts that at least one token in the step uses.

    With E experts, k chosen per token and routing assumed uniform and independent, one token
    misses a given expert with probability 1 - k/E, so B tokens all miss it with (1 - k/E)^B:
    touched = 1 - (1 - k/E)^B. For DeepSeek-R1 (E = 256, k = 8): 27% at B = 10, 87% at
    B = 64. A dense model always touches all of its weights (returns 1). ``model_spec`` may be
    a :class:`ModelSpec` or a model name.

    Examples
    --------
    >>> experts_touched_fraction(model("DeepSeek-R1"), [1, 10, 64]).round(3).tolist()
    [0.031, 0.272, 0.869]
    """
    if isinstance(model_spec, str):
        model_spec = model(model_spec)
    if not isinstance(model_spec, ModelSpec):
        raise ValueError(f"model_spec must be a ModelSpec or a model name (got {model_spec!r:.60})")
    return _touched(model_spec, positive("tokens_in_step", tokens_in_step))


def _touched(spec: ModelSpec, tokens):
    if not spec.is_moe:
        return np.ones_like(tokens)
    return 1 - (1 - spec.n_active_experts / spec.n_routed_experts) ** tokens


@finite_result
def weight_bytes_read(deployment: Deployment, tokens_in_step) -> np.ndarray:
    """Bytes of weights one copy of the model reads when a step processes ``tokens_in_step`` tokens.

    Always-on weights (attention, dense layers, shared experts, embeddings) are read once;
    routed experts only in the expected fraction that the step's tokens touch.

    Examples
    --------
    >>> d = Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8")
    >>> (weight_bytes_read(d, [1, 1000]) / 1e9).round(1).tolist()
    [37.0, 671.0]
    """
    deployment = check_deployment(deployment)
    spec = deployment.model
    routed = spec.routed_expert_params
    always_on = spec.total_params_b * 1e9 - routed
    touched = experts_touched_fraction(spec, tokens_in_step)
    return (always_on + routed * touched) * bytes_per_element(deployment.weight_precision)


def _roofline(bytes_per_gpu, flops_per_gpu, deployment: Deployment, precision: str):
    """(time, memory-bound?) of one operator: max(bytes / bandwidth, FLOPs / peak)."""
    memory_s = bytes_per_gpu / deployment._bandwidth_bytes_s()
    compute_s = flops_per_gpu / deployment._flops_s(precision)
    return memory_s, compute_s


@finite_result
def dense_gemm_s(deployment: Deployment, tokens_in_step) -> np.ndarray:
    """Seconds per chip for the weight matrix multiplications every token uses.

    The always-on weights (everything but the routed experts) are sliced over the tp chips of
    an attention group; each group processes its share, tokens / dp, of the step's tokens:

    dense_gemm_s = max(shared bytes / tp / (bandwidth x MBU),
                       2 x shared active params x tokens / dp / tp / (peak x MFU)).

    The step turns compute-bound at tokens / dp = B*, the critical batch of
    :func:`critical_batch` (about 230 on an H100 at MFU 0.7, MBU 0.9).

    Examples
    --------
    >>> d = Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=4, mfu=1, mbu=1)
    >>> round(float(dense_gemm_s(d, 1)) * 1e3, 2)  # 35 GB per chip / 3.35 TB/s
    10.45
    """
    memory_s, compute_s = _dense_roofs(
        check_deployment(deployment), positive("tokens_in_step", tokens_in_step)
    )
    return np.maximum(memory_s, compute_s)


def _shared_params(spec: ModelSpec) -> tuple[float, float]:
    """(all, active) parameters outside the routed experts."""
    routed = spec.routed_expert_params
    routed_active = routed * spec.n_active_experts / spec.n_routed_experts if spec.is_moe else 0.0
    return spec.total_params_b * 1e9 - routed, spec.active_params_b * 1e9 - routed_active


def _dense_roofs(deployment: Deployment, tokens):
    shared, shared_active = _shared_params(deployment.model)
    per_weight = bytes_per_element(deployment.weight_precision)
    flops = 2 * shared_active * tokens / deployment.n_gpus
    return _roofline(shared / deployment.tp * per_weight, flops, deployment, deployment.matmul_precision)


@finite_result
def expert_gemm_s(deployment: Deployment, tokens_in_step) -> np.ndarray:
    """Seconds per chip for the routed experts' matrix multiplications (0 for a dense model).

    Each expert is its own small matrix multiplication over the tokens routed to it,
    tokens x k / E per copy of the experts on average. It reads its weights once if any token
    chose it and is memory-bound below its own critical batch; the busiest chip carries
    ``expert_imbalance`` times the mean tokens:

    expert_gemm_s = max(touched x routed bytes / shards / (bandwidth x MBU),
                        imbalance x 2 x routed params x k / E x tokens / n_gpus / (peak x MFU)),

    with touched = :func:`experts_touched_fraction` of the tokens one copy of the experts sees.
    A replica needs about B* x E / k tokens per step before its experts are compute-bound.

    Examples
    --------
    >>> d = Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8", mbu=1)
    >>> round(float(expert_gemm_s(d, 1)) * 1e3, 3)  # 8 of 256 experts' 654.5 GB / 16 chips
    0.382
    """
    deployment = check_deployment(deployment)
    memory_s, compute_s = _expert_roofs(deployment, positive("tokens_in_step", tokens_in_step))
    return np.maximum(memory_s, compute_s)


def _expert_roofs(deployment: Deployment, tokens):
    spec = deployment.model
    if not spec.is_moe:
        zero = np.zeros_like(tokens, dtype=float)
        return zero, zero
    copies = deployment.n_gpus / deployment.expert_shards
    touched = _touched(spec, tokens / copies)
    routed = spec.routed_expert_params
    per_weight = bytes_per_element(deployment.weight_precision)
    bytes_per_gpu = touched * routed / deployment.expert_shards * per_weight
    active_share = spec.n_active_experts / spec.n_routed_experts
    flops = deployment.expert_imbalance * 2 * routed * active_share * tokens / deployment.n_gpus
    return _roofline(bytes_per_gpu, flops, deployment, deployment.matmul_precision)


@finite_result
def attention_s(deployment: Deployment, sequences, context_tokens) -> np.ndarray:
    """Seconds per chip to decode one token of ``sequences`` sequences at ``context_tokens``.

    Each attention group (tp chips) holds sequences / dp of them; the chips split the heads, so
    each reads its share of the KV cache (times :attr:`Deployment.kv_replication`: whole for an
    MLA latent, replicated when KV heads < tp) and does its share of the arithmetic, at BF16
    unless ``fp8_attention``:

    attention_s = max(sequences / dp x KV bytes per sequence x replication / tp / (bandwidth x MBU),
                      sequences / dp x attention FLOPs per token / tp / (peak x MFU)).

    Examples
    --------
    >>> d = Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=4, mfu=1, mbu=1)
    >>> round(float(attention_s(d, 64, 4096)) * 1e3, 2)  # 64 x 1.34 GB / 4 chips / 3.35 TB/s
    6.41
    """
    deployment = check_deployment(deployment)
    memory_s, compute_s = _attention_roofs(
        deployment, positive("sequences", sequences), positive("context_tokens", context_tokens)
    )
    return np.maximum(memory_s, compute_s)


def _attention_roofs(deployment: Deployment, sequences, context, extra_flops=0.0):
    spec = deployment.model
    per_group = sequences / deployment.dp
    kv_bytes = per_group * spec.kv_bytes_per_sequence(context, deployment.kv_precision)
    kv_bytes = kv_bytes * deployment.kv_replication / deployment.tp
    flops = (per_group * spec.decode_attention_flops_per_token(context) + extra_flops) / deployment.tp
    return _roofline(kv_bytes, flops, deployment, deployment.attention_precision)


@finite_result
def all_reduce_s(deployment: Deployment, tokens_in_step) -> np.ndarray:
    """Seconds of tensor-parallel all-reduce per step (0 when tp is 1).

    Two all-reduces per layer (after attention and after the feed-forward block), each of the
    group's tokens x hidden BF16 activations, by ring: 2 (tp - 1) / tp x bytes / link bandwidth,
    plus ``collective_latency_s``. The link is the scale-up one (NVLink) when the group fits in
    one domain, else the scale-out one:

    all_reduce_s = 2 x layers x (latency + 2 (tp-1)/tp x tokens / dp x hidden x 2 / bandwidth).

    Examples
    --------
    >>> d = Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=4, collective_latency_s=0)
    >>> round(float(all_reduce_s(d, 1000)) * 1e3, 3)  # 160 x 1.5 x 16.4 MB / 450 GB/s
    8.738
    """
    return _all_reduce(check_deployment(deployment), positive("tokens_in_step", tokens_in_step))


def _all_reduce(deployment: Deployment, tokens):
    tp = deployment.tp
    if tp == 1:
        return np.zeros_like(tokens, dtype=float)
    message_bytes = tokens / deployment.dp * deployment.model.hidden_size * BF16_BYTES
    ring_bytes = 2 * (tp - 1) / tp * message_bytes
    per_collective_s = deployment.collective_latency_s + ring_bytes / (_tp_link_gb_s(deployment) * GB)
    return 2 * deployment.model.n_layers * per_collective_s


def _tp_link_gb_s(deployment: Deployment) -> float:
    chip = deployment.accelerator
    scale_up = chip.scale_up_gb_s or (chip.interconnect_gb_s or 2 * deployment.network_gb_s) / 2
    return scale_up if deployment.tp <= deployment.gpus_per_node else min(scale_up, deployment.network_gb_s)


@finite_result
def expert_exchange_s(deployment: Deployment, tokens_in_step, mode: str = "decode") -> np.ndarray:
    """Seconds per step of expert-parallel dispatch and combine (0 without expert parallelism).

    In every MoE layer each token goes to the chips of its k experts (dispatch, FP8 when the
    weights are FP8 or less, else BF16) and comes back (combine, BF16). As DeepEP does it:

    - ``mode="decode"`` (low-latency kernels): every copy is sent; a share (ep - domain) / ep
      of them leaves the node over the scale-out link, (domain - 1) / ep stays inside over
      NVLink, the two links running at once; each of the two collectives also costs
      ``collective_latency_s`` (DeepEP's per-layer floor).
    - ``mode="prefill"`` (normal kernels): a token crosses the network once per remote node its
      experts sit on (at most 4 for DeepSeek-V3) and is forwarded inside the node over NVLink.

    expert_exchange_s = MoE layers x (2 x latency + max(remote bytes / scale-out, local bytes / scale-up)),
    with the bytes those of one chip's tokens / n_gpus.

    Examples
    --------
    >>> d = Deployment("DeepSeek-R1", "H800", n_gpus=144, weight_precision="fp8", collective_latency_s=0)
    >>> round(float(expert_exchange_s(d, 144 * 128)) * 1e3, 1)
    24.1
    """
    deployment = check_deployment(deployment)
    one_of("mode", mode, ("decode", "prefill"))
    return _expert_exchange(deployment, positive("tokens_in_step", tokens_in_step), mode)


def _expert_exchange(deployment: Deployment, tokens, mode: str):
    spec, ep = deployment.model, deployment.ep
    if not spec.is_moe or ep == 1:
        return np.zeros_like(tokens, dtype=float)
    domain = min(deployment.gpus_per_node, ep)
    dispatch_bytes = 1.0 if bytes_per_element(deployment.weight_precision) <= 1 else BF16_BYTES
    vector_bytes = spec.hidden_size * (dispatch_bytes + BF16_BYTES)
    per_gpu_tokens = tokens / deployment.n_gpus
    k = spec.n_active_experts
    local_copies = k * (domain - 1) / ep
    if mode == "decode":
        remote_copies = k * (ep - domain) / ep
    else:
        nodes = ep / domain
        distinct_nodes = nodes * (1 - (1 - 1 / nodes) ** k)
        distinct_nodes = min(distinct_nodes, MAX_ROUTED_NODES.get(spec.name, distinct_nodes))
        remote_copies = distinct_nodes * (nodes - 1) / nodes
    chip = deployment.accelerator
    scale_up = chip.scale_up_gb_s or (chip.interconnect_gb_s or 2 * deployment.network_gb_s) / 2
    remote_s = per_gpu_tokens * remote_copies * vector_bytes / (deployment.network_gb_s * GB)
    local_s = per_gpu_tokens * local_copies * vector_bytes / (scale_up * GB)
    return spec.n_moe_layers * (2 * deployment.collective_latency_s + np.maximum(remote_s, local_s))


@finite_result
def overhead_s(deployment: Deployment, sequences) -> np.ndarray:
    """Host time of one step: step_overhead_s + per_sequence_overhead_s x sequences / dp.

    Each data-parallel group has its own scheduler, so the per-sequence part counts the
    sequences of one group.

    Examples
    --------
    >>> d = Deployment("LLaMA-7B", "A100-80GB", n_gpus=1, step_overhead_s=0.004, per_sequence_overhead_s=1e-5)
    >>> round(float(overhead_s(d, 100)) * 1e3, 3)
    5.0
    """
    deployment = check_deployment(deployment)
    sequences = positive("sequences", sequences)
    return deployment.step_overhead_s + deployment.per_sequence_overhead_s * sequences / deployment.dp


@finite_result
def critical_batch(deployment: Deployment) -> dict:
    """Tokens per step at which each weight operator turns compute-bound, by operator.

    Standard definition for the weight GEMMs: B* = (peak FLOP/s x MFU) / (bandwidth x MBU)
    x bytes per weight / 2, per attention group (so x dp for the replica). FP8 weights on FP8
    tensor cores change peak FLOP/s and bytes alike, so B* would be unchanged if FP8 reached the
    same share of its peak; the fitted ``low_precision_mfu_ratio`` says it reaches less. A
    mixture-of-experts replica's experts see tokens x k / E each, so they need about B* x E / k
    tokens per step per copy of the experts. It does not depend on context.

    Returns
    -------
    dict
        ``{"dense": tokens per step, "experts": tokens per step or None for a dense model}``.

    Examples
    --------
    >>> ep144 = Deployment(
    ...     "DeepSeek-R1", "H800", n_gpus=144, weight_precision="fp8", mfu=1, mbu=1,
    ...     low_precision_mfu_ratio=1,
    ... )
    >>> b = critical_batch(ep144)
    >>> round(b["dense"] / 144), round(b["experts"])
    (295, 9452)
    """
    deployment = check_deployment(deployment)
    per_weight = bytes_per_element(deployment.weight_precision)
    ratio = deployment._flops_s(deployment.matmul_precision) / deployment._bandwidth_bytes_s()
    per_group = ratio * per_weight / 2
    spec = deployment.model
    experts = None
    if spec.is_moe:
        copies = deployment.n_gpus / deployment.expert_shards
        experts = per_group * spec.n_routed_experts / spec.n_active_experts * copies
    return {"dense": np.float64(per_group * deployment.dp), "experts": experts}


def _check_context(deployment: Deployment, context_tokens, name: str) -> np.ndarray:
    context = whole(name, context_tokens, minimum=1)
    limit = deployment.model.max_context_tokens
    if (context > limit).any():
        raise ValueError(
            f"{name} must be <= {limit:,}, the context window of {deployment.model.name} "
            f"(got {context[context > limit].flat[0]:,.0f})"
        )
    return context


def _kv_bytes_per_gpu(deployment: Deployment, sequences, context):
    """KV-cache bytes on one chip for ``sequences`` sequences of the replica at ``context``."""
    per_sequence = deployment.model.kv_bytes_per_sequence(context, deployment.kv_precision)
    return sequences / deployment.dp * per_sequence * deployment.kv_replication / deployment.tp


def _step(deployment: Deployment, sequences, tokens, context, prefill_flops, mode: str, output_per_sequence):
    """Assemble one step from its parts (no input checks: callers check).

    Parts that depend only on the tokens in the step (weights, communication, overhead) are
    computed at the batch's shape and broadcast once at the end: a sweep over (batch, context)
    pays for the full grid only where the context enters (attention, memory, the totals).
    """
    dense_memory, dense_compute = _dense_roofs(deployment, tokens)
    expert_memory, expert_compute = _expert_roofs(deployment, tokens)
    attention_memory, attention_compute = _attention_roofs(deployment, sequences, context, prefill_flops)
    dense = np.maximum(dense_memory, dense_compute)
    experts = np.maximum(expert_memory, expert_compute)
    attention = np.maximum(attention_memory, attention_compute)
    reduce_s = _all_reduce(deployment, tokens)
    exchange_s = _expert_exchange(deployment, tokens, mode)
    host_s = deployment.step_overhead_s + deployment.per_sequence_overhead_s * sequences / deployment.dp
    weights_s = dense + experts
    if deployment.overlap_fraction > 0 and np.any(exchange_s > 0):
        hidden = deployment.overlap_fraction * np.minimum(exchange_s, weights_s + attention)
    else:
        hidden = np.zeros_like(exchange_s)
    step_s = attention + ((weights_s + reduce_s + exchange_s + host_s) - hidden)
    shape = np.shape(step_s)
    memory_used = deployment.weight_bytes_per_gpu + _kv_bytes_per_gpu(deployment, sequences, context)
    usable = deployment.accelerator.hbm_gb * GB * deployment.memory_usable_fraction
    per_gpu = output_per_sequence / deployment.n_gpus * sequences

    def full(values):
        return scalar_or_array(np.broadcast_to(values, shape))

    return DecodeStep(
        batch_size=full(sequences),
        context_tokens=full(context),
        step_s=scalar_or_array(step_s),
        tokens_per_s_per_user=scalar_or_array(output_per_sequence / step_s),
        tokens_per_s_per_gpu=scalar_or_array(per_gpu / step_s),
        dense_gemm_s=full(dense),
        expert_gemm_s=full(experts),
        attention_s=full(attention),
        all_reduce_s=full(reduce_s),
        expert_exchange_s=full(exchange_s),
        overlap_s=full(hidden),
        overhead_s=full(host_s),
        memory_s=scalar_or_array(attention_memory + (dense_memory + expert_memory)),
        compute_s=scalar_or_array(attention_compute + (dense_compute + expert_compute)),
        network_s=full(reduce_s + exchange_s),
        memory_used_gb_per_gpu=scalar_or_array(memory_used / GB),
        fits=scalar_or_array(memory_used <= usable),
        usd_per_gpu_hour=deployment.price_usd_per_gpu_hour,
        dense_memory_bound=full(dense_memory >= dense_compute),
        expert_memory_bound=full(expert_memory >= expert_compute),
        attention_memory_bound=scalar_or_array(attention_memory >= attention_compute),
    )


@finite_result
def decode(
    deployment: Deployment,
    batch_size,
    context_tokens,
    prefill_tokens_per_step=0,
    prompt_tokens=1,
    draft_tokens: int = 0,
    accepted_tokens_per_step: float = 1.0,
) -> DecodeStep:
    """Cost of one decode step for a batch of sequences that each hold ``context_tokens``.

    step_s = dense_gemm_s + expert_gemm_s + attention_s + all_reduce_s + expert_exchange_s
             - overlap x min(expert_exchange_s, compute) + overhead_s,
    each part a function of this module (times of one chip; all chips work in parallel).

    Parameters
    ----------
    deployment : Deployment
    batch_size : int or array
        Sequences decoded together by the replica (all its chips), >= 1.
    context_tokens : int or array
        Tokens in each sequence's KV cache (prompt plus output so far), 1 to the model's window.
    prefill_tokens_per_step : float or array
        Prompt tokens the same step also carries (chunked prefill in continuous batching):
        they add to the weight GEMMs and the communication, and their causal attention over
        prompts of ``prompt_tokens`` adds arithmetic. Default 0: a pure decode step.
    prompt_tokens : int or array
        Prompt length of the sequences being prefilled (only with ``prefill_tokens_per_step``).
    draft_tokens : int >= 0
        Speculative decoding or multi-token prediction: tokens proposed per sequence per step,
        all verified in the step (the step processes 1 + draft_tokens tokens per sequence).
    accepted_tokens_per_step : float in [1, 1 + draft_tokens]
        Output tokens per sequence per step on average (1 without speculation).

    Returns
    -------
    DecodeStep
        Arrays broadcast over ``batch_size`` and ``context_tokens``.

    Examples
    --------
    >>> d = Deployment("LLaMA-7B", "A100-80GB", n_gpus=1)
    >>> step = decode(d, batch_size=1, context_tokens=256)
    >>> step.bound, step.largest_component
    ('memory', 'dense_gemm')
    """
    deployment = check_deployment(deployment)
    batch = whole("batch_size", batch_size)
    context = _check_context(deployment, context_tokens, "context_tokens")
    prefill_tokens = positive("prefill_tokens_per_step", prefill_tokens_per_step, allow_zero=True)
    prompt = positive("prompt_tokens", prompt_tokens)
    draft = count("draft_tokens", draft_tokens, minimum=0, maximum=16)
    accepted = float(
        between(
            "accepted_tokens_per_step",
            scalar("accepted_tokens_per_step", accepted_tokens_per_step),
            1,
            1 + draft,
        )
    )
    return _decode_core(deployment, batch, context, prefill_tokens, prompt, draft, accepted)


def _decode_core(
    deployment, batch, context, prefill_tokens=0.0, prompt=1.0, draft=0, accepted=1.0
) -> DecodeStep:
    """:func:`decode` on inputs already checked (arrays of floats): for callers that evaluate it
    thousands of times, such as :func:`tokenomics.calibration.fit`."""
    batch, context = np.asarray(batch, dtype=float), np.asarray(context, dtype=float)
    tokens = batch * (1 + draft) + prefill_tokens
    spec = deployment.model
    prefill_flops = spec.prefill_attention_flops(prompt) * prefill_tokens / prompt / deployment.dp
    if draft:
        prefill_flops = prefill_flops + draft * (
            batch / deployment.dp
        ) * spec.decode_attention_flops_per_token(context)
    return _step(deployment, batch, tokens, context, prefill_flops, "decode", accepted)


@finite_result
def max_batch_size(deployment: Deployment, context_tokens):
    """Largest batch whose KV cache fits beside the weights, at ``context_tokens`` per sequence.

    max batch = floor(dp x (usable HBM per chip - weight bytes per chip) / KV bytes per
    sequence per chip), with the KV per chip replicated as :attr:`Deployment.kv_replication`
    says; 0 when the weights alone do not fit.

    Examples
    --------
    >>> d = Deployment("DeepSeek-R1", "H20", n_gpus=8, weight_precision="fp8")
    >>> max_batch_size(d, [4096, 32768]).tolist()
    [8, 1]
    """
    deployment = check_deployment(deployment)
    context = _check_context(deployment, context_tokens, "context_tokens")
    return scalar_or_array(_max_batch_core(deployment, context))


def _max_batch_core(deployment: Deployment, context) -> np.ndarray:
    """:func:`max_batch_size` on a context already checked."""
    one_per_group = _kv_bytes_per_gpu(deployment, deployment.dp, context)
    return np.floor(deployment.dp * deployment.kv_budget_bytes_per_gpu / one_per_group * (1 + 1e-12)).astype(
        np.int64
    )


@finite_result
def prefill_s(deployment: Deployment, prompt_tokens, batch_size=1):
    """Time to prefill ``batch_size`` prompts of ``prompt_tokens`` tokens together, seconds.

    The same parts as a decode step over all prompt tokens at once: weight GEMMs (usually
    compute-bound), causal attention, all-reduces, expert exchange with DeepEP's normal
    kernels (``mode="prefill"``) and the host overhead.

    Examples
    --------
    >>> d = Deployment("LLaMA-7B", "A100-80GB", n_gpus=1, mfu=0.7, mbu=0.9, step_overhead_s=0.004)
    >>> round(prefill_s(d, 2048) * 1000, 1)
    134.8
    """
    deployment = check_deployment(deployment)
    prompt = _check_context(deployment, prompt_tokens, "prompt_tokens")
    batch = whole("batch_size", batch_size)
    prompt, batch = np.broadcast_arrays(prompt, batch)
    tokens = prompt * batch
    if not np.isfinite(tokens).all():
        raise ExtremeInputError(
            f"prompt_tokens x batch_size is too large to compute with (got {tokens.max():g})"
        )
    return scalar_or_array(_prefill_core(deployment, prompt, batch))


def _prefill_core(deployment: Deployment, prompt, batch) -> np.ndarray:
    """:func:`prefill_s` on inputs already checked."""
    tokens = prompt * batch
    spec = deployment.model
    dense = np.maximum(*_dense_roofs(deployment, tokens))
    experts = np.maximum(*_expert_roofs(deployment, tokens))
    per_group = batch / deployment.dp
    kv_write = per_group * spec.kv_bytes_per_sequence(prompt, deployment.kv_precision)
    kv_write = kv_write * deployment.kv_replication / deployment.tp
    attention = np.maximum(
        *_roofline(
            kv_write,
            per_group * spec.prefill_attention_flops(prompt) / deployment.tp,
            deployment,
            deployment.attention_precision,
        )
    )
    compute_total = dense + experts + attention
    exchange = _expert_exchange(deployment, tokens, "prefill")
    hidden = deployment.overlap_fraction * np.minimum(exchange, compute_total)
    host = deployment.step_overhead_s + deployment.per_sequence_overhead_s * per_group
    return compute_total + _all_reduce(deployment, tokens) + exchange - hidden + host


@finite_result
def frontier(deployment: Deployment, context_tokens: int, n_points: int = 40) -> DecodeStep:
    """The throughput-vs-interactivity frontier: decode at batch sizes from 1 to the memory limit.

    Every batch that fits is a point on the frontier: a bigger batch gives more tokens per
    second per GPU (cheaper tokens) and fewer tokens per second per user (slower answers).
    Batch sizes are spaced geometrically so that small batches are not crowded out.

    Parameters
    ----------
    deployment : Deployment
    context_tokens : int
        Tokens in each sequence's KV cache.
    n_points : int
        Largest number of batch sizes to evaluate, 2 to 10,000 (fewer when the memory limit
        is small).

    Raises
    ------
    ValueError
        If not even one sequence fits beside the weights.

    Examples
    --------
    >>> d = Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8")
    >>> f = frontier(d, context_tokens=4096, n_points=5)
    >>> f.batch_size.tolist()
    [1.0, 5.0, 28.0, 152.0, 808.0]
    """
    deployment = check_deployment(deployment)
    n_points = count("n_points", n_points, minimum=2, maximum=MAX_FRONTIER_POINTS)
    context_tokens = count("context_tokens", context_tokens)
    largest = int(max_batch_size(deployment, context_tokens))
    if largest < 1:
        raise ValueError(
            f"context_tokens={context_tokens:,}: not one sequence fits beside the weights of "
            f"{deployment.model.name} on {deployment.n_gpus} x {deployment.accelerator.name} "
            f"({deployment.weight_gb_per_gpu:.1f} GB of weights per chip); add chips, lower the "
            "precision or shorten the context"
        )
    batch_sizes = np.unique(np.round(np.geomspace(1, largest, n_points)))
    return decode(deployment, batch_sizes, context_tokens)
