"""The GPU batching model: why batching many users makes tokens cheap but slow.

A decode step produces one token for every sequence in the batch. Each step must

1. read the model's weights from memory (for a mixture-of-experts model, only the experts that
   at least one sequence in the batch was routed to) and multiply them with the batch, and
2. read every sequence's KV cache and do the attention arithmetic over it.

Each part takes the longer of its memory time (bytes / bandwidth) and its compute time
(FLOPs / peak): a per-operator roofline. A mixture-of-experts model spread over more than one
node also sends every token to the nodes holding its experts and back (expert-parallel
"dispatch" and "combine"); that network time is added to the step.

Reading the weights costs the same for 1 or 100 sequences, so a bigger batch spreads that
cost over more tokens: tokens per second per GPU rise and the price per token falls. But
every sequence waits for the whole step, and the KV reads grow with the batch, so tokens per
second *per user* fall. Memory caps the batch: the weights plus every sequence's KV cache
must fit in HBM.

Efficiency factors are explicit: ``mfu`` (fraction of peak FLOPs the matrix multiplications
reach), ``mbu`` (fraction of peak memory bandwidth reached), ``step_overhead_s`` (a fixed
cost per step: kernel launches, scheduling) and ``memory_usable_fraction`` (HBM left for
weights and KV after activations and the runtime). The defaults, MFU 0.7, MBU 0.9 and 4 ms
per step, are the values :func:`tokenomics.calibration.fit` finds on nine published
measurements of small dense models; with them the model is within a few percent of those
points (``tokenomics.calibration`` shows the residuals). A pure roofline sets the
efficiencies to 1 and the overhead to 0.

What the model leaves out: communication inside a node (NVLink is several times faster than
the network) and tensor-parallel all-reduces, overlap of communication with computation,
load imbalance between experts, scheduling and batching policy, prefix caching, speculative
decoding and multi-token prediction.

Examples
--------
>>> deployment = Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8")
>>> step = decode(deployment, batch_size=[1, 256], context_tokens=4096)
>>> step.tokens_per_s_per_user.round(1).tolist()
[209.2, 47.4]
>>> step.tokens_per_s_per_gpu.round(1).tolist()
[13.1, 757.9]
>>> decode(Deployment("DeepSeek-R1", "H800", n_gpus=144, weight_precision="fp8"), 144 * 64, 4096).bound
'network'

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
        Chips holding one replica; weights and KV cache are spread evenly over them.
    weight_precision, kv_precision : {"bf16", "fp8", "fp4"}
        How weights and the KV cache are stored; the matrix multiplications run at the weight
        precision and attention at the KV precision, so the chip needs tensor cores for both.
    mfu : float in (0, 1]
        Fraction of peak FLOPs reached (model FLOPs utilization); default 0.7, fitted.
    mbu : float in (0, 1]
        Fraction of peak memory bandwidth reached (memory bandwidth utilization); default 0.9,
        fitted.
    step_overhead_s : float >= 0
        Fixed time added to every decode step and every prefill, seconds; default 0.004, fitted.
    memory_usable_fraction : float in (0, 1]
        Share of HBM available for weights and KV cache.
    network_gb_s : float > 0
        Bandwidth per chip to chips in other nodes, one direction, GB/s. The default, 50 GB/s,
        is the InfiniBand bandwidth per H800 DeepSeek reports (DeepSeek-V3 technical report,
        section 3.2.2, https://arxiv.org/abs/2412.19437); ``float("inf")`` removes network time.
    gpus_per_node : int
        Chips per node; expert-parallel traffic between chips of one node is not charged.
    usd_per_gpu_hour : float, optional
        Rental price per chip-hour; defaults to the catalog's reference price.

    Examples
    --------
    >>> Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=4).weight_gb_per_gpu
    35.0
    """

    model: ModelSpec
    accelerator: Accelerator
    n_gpus: int = 8
    weight_precision: str = "bf16"
    kv_precision: str = "bf16"
    mfu: float = 0.7
    mbu: float = 0.9
    step_overhead_s: float = 0.004
    memory_usable_fraction: float = 0.9
    network_gb_s: float = 50.0
    gpus_per_node: int = 8
    usd_per_gpu_hour: float | None = None

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
        object.__setattr__(self, "n_gpus", count("n_gpus", self.n_gpus))
        for name in ("weight_precision", "kv_precision"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"{name} must be one of 'bf16', 'fp8', 'fp4' (got {getattr(self, name)!r})")
        bytes_per_element(self.weight_precision, "weight_precision")
        bytes_per_element(self.kv_precision, "kv_precision")
        self.accelerator.peak_tflops(self.weight_precision)
        self.accelerator.peak_tflops(self.kv_precision)
        fractions = ("mfu", "mbu", "memory_usable_fraction")
        for name in fractions:
            value = scalar(name, getattr(self, name))
            object.__setattr__(self, name, float(between(name, value, 0, 1, include_low=False)))
        overhead = scalar("step_overhead_s", self.step_overhead_s)
        object.__setattr__(
            self, "step_overhead_s", float(positive("step_overhead_s", overhead, allow_zero=True))
        )
        network = scalar("network_gb_s", self.network_gb_s)
        object.__setattr__(self, "network_gb_s", float(positive("network_gb_s", network, allow_inf=True)))
        object.__setattr__(self, "gpus_per_node", count("gpus_per_node", self.gpus_per_node))
        if self.usd_per_gpu_hour is not None:
            price = scalar("usd_per_gpu_hour", self.usd_per_gpu_hour)
            object.__setattr__(self, "usd_per_gpu_hour", float(positive("usd_per_gpu_hour", price)))

    @property
    def price_usd_per_gpu_hour(self) -> float | None:
        """The price used for $/Mtok: the one given, else the catalog's reference price."""
        if self.usd_per_gpu_hour is not None:
            return float(self.usd_per_gpu_hour)
        return self.accelerator.usd_per_hour

    @property
    def weight_bytes(self) -> float:
        """Bytes of all weights of one replica."""
        return self.model.total_params_b * 1e9 * bytes_per_element(self.weight_precision)

    @property
    def weight_gb_per_gpu(self) -> float:
        """GB of weights each chip holds."""
        return self.weight_bytes / self.n_gpus / GB

    @property
    def kv_budget_bytes(self) -> float:
        """Bytes left for KV cache across the replica after the weights (0 if they do not fit)."""
        usable = self.n_gpus * self.accelerator.hbm_gb * GB * self.memory_usable_fraction
        return max(usable - self.weight_bytes, 0.0)

    def _bandwidth_bytes_s(self) -> float:
        return self.n_gpus * self.accelerator.hbm_tb_s * TB_S * self.mbu

    def _flops_s(self, precision: str) -> float:
        return self.n_gpus * self.accelerator.peak_tflops(precision) * TFLOPS * self.mfu


@dataclass(frozen=True)
class DecodeStep:
    """What one decode step costs, for every (batch size, context) point asked for.

    All attributes are numpy arrays broadcast from the inputs (floats for scalar inputs).

    Attributes
    ----------
    batch_size, context_tokens : array
        The inputs, broadcast.
    step_s : array
        Time of one decode step, seconds: every sequence gets one token per step.
    tokens_per_s_per_user : array
        Interactivity, 1 / step_s.
    tokens_per_s_per_gpu : array
        Output tokens per second per chip, batch_size / step_s / n_gpus.
    memory_s, compute_s : array
        Time the step would take on the memory roof and on the compute roof, summed over
        the two operator groups (weights and attention).
    network_s : array
        Time spent sending tokens to experts on other nodes and back (0 on a single node).
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
    memory_s: np.ndarray
    compute_s: np.ndarray
    network_s: np.ndarray
    memory_used_gb_per_gpu: np.ndarray
    fits: np.ndarray
    usd_per_gpu_hour: float | None

    @property
    def bound(self):
        """What takes most of the step: "memory", "compute" or "network"."""
        roofs = np.where(self.memory_s >= self.compute_s, "memory", "compute")
        slowest_roof_s = np.maximum(self.memory_s, self.compute_s)
        return scalar_or_array(np.where(self.network_s > slowest_roof_s, "network", roofs))

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
    tokens = positive("tokens_in_step", tokens_in_step)
    if not model_spec.is_moe:
        return np.ones_like(tokens)
    miss_one = 1 - model_spec.n_active_experts / model_spec.n_routed_experts
    return 1 - miss_one**tokens


@finite_result
def weight_bytes_read(deployment: Deployment, tokens_in_step) -> np.ndarray:
    """Bytes of weights a step reads when it processes ``tokens_in_step`` tokens.

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


@finite_result
def network_s(deployment: Deployment, tokens_in_step) -> np.ndarray:
    """Seconds a step spends sending tokens to experts on other nodes and back.

    Expert parallelism puts a MoE model's experts on different chips. In every MoE layer each
    token's hidden vector goes to the chips of its k experts ("dispatch", at the weight
    precision) and the results come back ("combine", in BF16). With the experts spread evenly,
    a share 1 - gpus_per_node / n_gpus of those copies leaves the node; each chip sends its
    tokens' copies over its own network link:

    network_s = tokens / n_gpus x MoE layers x k x hidden x (dispatch + combine bytes)
                x share leaving the node / network bandwidth.

    It counts every copy, an upper bound: DeepSeek's routing sends a token to at most 4 nodes,
    once per node. Zero for a dense model or a replica on one node.

    Examples
    --------
    >>> d = Deployment("DeepSeek-R1", "H800", n_gpus=144, weight_precision="fp8")
    >>> round(float(network_s(d, 144 * 64)) * 1000, 1)
    12.1
    """
    deployment = check_deployment(deployment)
    tokens = positive("tokens_in_step", tokens_in_step)
    spec = deployment.model
    leaving_node = max(0.0, 1 - deployment.gpus_per_node / deployment.n_gpus)
    if not spec.is_moe or leaving_node == 0:
        return np.zeros_like(tokens)
    copy_bytes = spec.hidden_size * (bytes_per_element(deployment.weight_precision) + BF16_BYTES)
    bytes_per_token = spec.n_moe_layers * spec.n_active_experts * copy_bytes * leaving_node
    return tokens / deployment.n_gpus * bytes_per_token / (deployment.network_gb_s * GB)


def _check_context(deployment: Deployment, context_tokens, name: str) -> np.ndarray:
    context = whole(name, context_tokens, minimum=1)
    limit = deployment.model.max_context_tokens
    if (context > limit).any():
        raise ValueError(
            f"{name} must be <= {limit:,}, the context window of {deployment.model.name} "
            f"(got {context[context > limit].flat[0]:,.0f})"
        )
    return context


@finite_result
def decode(deployment: Deployment, batch_size, context_tokens) -> DecodeStep:
    """Cost of one decode step for a batch of sequences that each hold ``context_tokens``.

    step_s = max(weight bytes / bandwidth, 2 x active params x batch / FLOPS)
           + max(batch x KV bytes per sequence / bandwidth, batch x attention FLOPs / FLOPS)
           + network_s (see :func:`network_s`) + step_overhead_s,
    with bandwidth and FLOPS those of all ``n_gpus`` chips times ``mbu`` and ``mfu``.

    Parameters
    ----------
    deployment : Deployment
    batch_size : int or array
        Sequences decoded together by the replica (all its chips), >= 1.
    context_tokens : int or array
        Tokens in each sequence's KV cache (prompt plus output so far), 1 to the model's window.

    Returns
    -------
    DecodeStep
        Arrays broadcast over ``batch_size`` and ``context_tokens``.

    Examples
    --------
    >>> d = Deployment("LLaMA-7B", "A100-80GB", n_gpus=1)
    >>> step = decode(d, batch_size=1, context_tokens=256)
    >>> round(step.step_s * 1000, 2), step.bound
    (11.38, 'memory')
    """
    deployment = check_deployment(deployment)
    batch = whole("batch_size", batch_size)
    context = _check_context(deployment, context_tokens, "context_tokens")
    batch, context = np.broadcast_arrays(batch, context)
    spec = deployment.model
    bandwidth = deployment._bandwidth_bytes_s()

    weight_memory_s = weight_bytes_read(deployment, batch) / bandwidth
    matmul_flops = 2 * spec.active_params_b * 1e9 * batch
    matmul_compute_s = matmul_flops / deployment._flops_s(deployment.weight_precision)
    kv_bytes = batch * spec.kv_bytes_per_sequence(context, deployment.kv_precision)
    attention_memory_s = kv_bytes / bandwidth
    attention_flops = batch * spec.decode_attention_flops_per_token(context)
    attention_compute_s = attention_flops / deployment._flops_s(deployment.kv_precision)

    step_network_s = network_s(deployment, batch)
    step_s = (
        np.maximum(weight_memory_s, matmul_compute_s)
        + np.maximum(attention_memory_s, attention_compute_s)
        + step_network_s
        + deployment.step_overhead_s
    )
    memory_used_bytes = deployment.weight_bytes + kv_bytes
    usable_bytes = deployment.n_gpus * deployment.accelerator.hbm_gb * GB * deployment.memory_usable_fraction
    return DecodeStep(
        batch_size=scalar_or_array(batch),
        context_tokens=scalar_or_array(context),
        step_s=scalar_or_array(step_s),
        tokens_per_s_per_user=scalar_or_array(1 / step_s),
        tokens_per_s_per_gpu=scalar_or_array(batch / step_s / deployment.n_gpus),
        memory_s=scalar_or_array(weight_memory_s + attention_memory_s),
        compute_s=scalar_or_array(matmul_compute_s + attention_compute_s),
        network_s=scalar_or_array(step_network_s),
        memory_used_gb_per_gpu=scalar_or_array(memory_used_bytes / deployment.n_gpus / GB),
        fits=scalar_or_array(memory_used_bytes <= usable_bytes),
        usd_per_gpu_hour=deployment.price_usd_per_gpu_hour,
    )


@finite_result
def max_batch_size(deployment: Deployment, context_tokens):
    """Largest batch whose KV cache fits beside the weights, at ``context_tokens`` per sequence.

    max batch = floor((usable HBM of all chips - weight bytes) / KV bytes per sequence);
    0 when the weights alone do not fit.

    Examples
    --------
    >>> d = Deployment("DeepSeek-R1", "H20", n_gpus=8, weight_precision="fp8")
    >>> max_batch_size(d, [4096, 32768])
    array([70,  8])
    """
    deployment = check_deployment(deployment)
    context = _check_context(deployment, context_tokens, "context_tokens")
    per_sequence = deployment.model.kv_bytes_per_sequence(context, deployment.kv_precision)
    batch = np.floor(deployment.kv_budget_bytes / per_sequence).astype(np.int64)
    return scalar_or_array(batch)


@finite_result
def prefill_s(deployment: Deployment, prompt_tokens, batch_size=1):
    """Time to prefill ``batch_size`` prompts of ``prompt_tokens`` tokens together, seconds.

    Prefill runs all prompt tokens through the model at once, so it is usually compute-bound:
    max(weight bytes read / bandwidth, 2 x active params x tokens / FLOPS)
    + max(KV bytes written / bandwidth, causal attention FLOPs / FLOPS) + network_s
    + step_overhead_s.

    Examples
    --------
    >>> d = Deployment("LLaMA-7B", "A100-80GB", n_gpus=1)
    >>> round(prefill_s(d, 2048) * 1000, 1)
    134.7
    """
    deployment = check_deployment(deployment)
    prompt = _check_context(deployment, prompt_tokens, "prompt_tokens")
    batch = whole("batch_size", batch_size)
    prompt, batch = np.broadcast_arrays(prompt, batch)
    spec = deployment.model
    bandwidth = deployment._bandwidth_bytes_s()
    tokens = prompt * batch
    if not np.isfinite(tokens).all():
        raise ExtremeInputError(
            f"prompt_tokens x batch_size is too large to compute with (got {tokens.max():g})"
        )

    weight_memory_s = weight_bytes_read(deployment, tokens) / bandwidth
    matmul_flops = 2 * spec.active_params_b * 1e9 * tokens
    matmul_compute_s = matmul_flops / deployment._flops_s(deployment.weight_precision)
    kv_write_s = batch * spec.kv_bytes_per_sequence(prompt, deployment.kv_precision) / bandwidth
    attention_compute_s = (
        batch * spec.prefill_attention_flops(prompt) / deployment._flops_s(deployment.kv_precision)
    )
    seconds = (
        np.maximum(weight_memory_s, matmul_compute_s)
        + np.maximum(kv_write_s, attention_compute_s)
        + network_s(deployment, tokens)
        + deployment.step_overhead_s
    )
    return scalar_or_array(seconds)


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
    [1.0, 6.0, 41.0, 261.0, 1671.0]
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
