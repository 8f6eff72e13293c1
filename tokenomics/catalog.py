"""Catalogs of accelerators and models, built from ``datasets/accelerators.csv`` and ``models.csv``.

:func:`accelerator` and :func:`model` return frozen dataclasses. A model's KV-cache size and its
attention FLOPs are computed here from the architecture (layers, heads, head sizes, MLA ranks),
never typed in: this is the one place where those formulas live.

Examples
--------
>>> model("DeepSeek-R1").kv_bytes_per_token("bf16")
70272.0
>>> model("Llama-3.1-405B").kv_bytes_per_token("bf16")
516096.0
>>> accelerator("H800").hbm_tb_s
3.35
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, wraps

import numpy as np
import pandas as pd

from tokenomics import data
from tokenomics.validation import finite_result, one_of, positive, unknown_name

BYTES_PER_ELEMENT = {"bf16": 2.0, "fp8": 1.0, "fp4": 0.5}
"""Bytes per stored number for each precision the kit knows."""


def bytes_per_element(precision: str, name: str = "precision") -> float:
    """Bytes per number at ``precision`` ("bf16", "fp8" or "fp4").

    Examples
    --------
    >>> bytes_per_element("fp8")
    1.0
    """
    if not isinstance(name, str):
        raise ValueError(f"name must be the parameter's name, a string (got {name!r:.60})")
    return BYTES_PER_ELEMENT[one_of(name, precision, BYTES_PER_ELEMENT)]


def _text_name(lookup):
    """Check that a catalog lookup gets a name as text before it reaches the cache (a list would not hash)."""

    @wraps(lookup)
    def checked(name):
        if not isinstance(name, str):
            raise ValueError(
                f"name must be a catalog name, a string (got {type(name).__name__} {name!r:.60})"
            )
        return lookup(name)

    return checked


def _optional(value) -> float | None:
    """A catalog cell as a float, or None where the cell is empty."""
    return None if pd.isna(value) else float(value)


def _optional_int(value) -> int | None:
    """A catalog cell as an int, or None where the cell is empty."""
    return None if pd.isna(value) else int(value)


@dataclass(frozen=True)
class Accelerator:
    """One accelerator (GPU, TPU or Trainium chip) as a serving model sees it.

    Attributes
    ----------
    name, vendor : str
    hbm_gb : float
        High-bandwidth memory per chip, GB (1e9 bytes).
    hbm_tb_s : float
        Memory bandwidth per chip, TB/s (1e12 bytes per second).
    bf16_tflops, fp8_tflops, fp4_tflops : float or None
        Dense (no sparsity) tensor throughput per chip, TFLOPS; None where the chip has no such
        tensor cores or no source gives the figure.
    interconnect_gb_s : float or None
        Chip-to-chip bandwidth (NVLink, Infinity Fabric, ICI, NeuronLink), GB/s, as the source
        states it.
    usd_per_hour : float or None
        A reference rental price per chip-hour, USD; None where no source gives one.
    source, quality, usd_per_hour_source, usd_per_hour_quality, notes : str
    """

    name: str
    vendor: str
    hbm_gb: float
    hbm_tb_s: float
    bf16_tflops: float | None
    fp8_tflops: float | None
    fp4_tflops: float | None
    interconnect_gb_s: float | None
    usd_per_hour: float | None
    usd_per_hour_source: str
    usd_per_hour_quality: str
    source: str
    quality: str
    notes: str

    def peak_tflops(self, precision: str) -> float:
        """Dense peak throughput at ``precision``, TFLOPS.

        Raises
        ------
        ValueError
            If the chip has no figure for that precision (e.g. FP8 on an A100).

        Examples
        --------
        >>> accelerator("H20").peak_tflops("fp8")
        296.0
        """
        bytes_per_element(precision)
        peak = getattr(self, f"{precision}_tflops")
        if peak is None:
            available = [p for p in BYTES_PER_ELEMENT if getattr(self, f"{p}_tflops") is not None]
            raise ValueError(
                f"precision {precision!r} is not available on {self.name} "
                f"(no {precision.upper()} tensor cores in the catalog); use one of {available}"
            )
        return peak


@dataclass(frozen=True)
class ModelSpec:
    """The architecture of one model, as far as serving cost depends on it.

    Attributes
    ----------
    name, developer : str
    attention : str
        "gqa" (grouped-query or full multi-head attention) or "mla" (DeepSeek's multi-head
        latent attention, which caches one compressed latent vector per token and layer).
    n_layers, hidden_size, n_heads : int
    n_kv_heads : int or None
        Key/value heads for GQA (equal to ``n_heads`` for full multi-head attention); None for MLA.
    head_dim : int
        Query/key size per head (for MLA: the non-rotary part, ``qk_nope_head_dim``).
    qk_rope_head_dim, kv_lora_rank, v_head_dim : int or None
        MLA only: rotary key size, compressed KV rank, value size per head.
    n_routed_experts, n_active_experts, n_shared_experts : int
        Mixture-of-experts routing: experts per layer, experts each token uses, always-on experts.
        0 routed experts means a dense model.
    n_dense_layers : int
        Layers with a dense feed-forward block (all of them for a dense model).
    sliding_window_tokens, n_sliding_layers : int
        Layers that attend only to the last ``sliding_window_tokens`` tokens (0 if none).
    total_params_b, active_params_b : float
        Parameters in billions: all of them, and those one token uses.
    max_context_tokens : int
    source, quality, notes : str
    """

    name: str
    developer: str
    attention: str
    n_layers: int
    hidden_size: int
    n_heads: int
    n_kv_heads: int | None
    head_dim: int
    qk_rope_head_dim: int | None
    kv_lora_rank: int | None
    v_head_dim: int | None
    n_routed_experts: int
    n_active_experts: int
    n_shared_experts: int
    n_dense_layers: int
    sliding_window_tokens: int
    n_sliding_layers: int
    total_params_b: float
    active_params_b: float
    max_context_tokens: int
    source: str
    quality: str
    notes: str

    @property
    def is_moe(self) -> bool:
        """True for a mixture-of-experts model."""
        return self.n_routed_experts > 0

    @property
    def n_moe_layers(self) -> int:
        """Layers whose feed-forward block is a set of routed experts.

        Examples
        --------
        >>> model("DeepSeek-R1").n_moe_layers
        58
        """
        return self.n_layers - self.n_dense_layers if self.is_moe else 0

    @property
    def routed_expert_params(self) -> float:
        """Parameters in all routed experts together (count, not billions).

        Derived from the reported totals so that one token touches exactly ``active_params_b``:
        total - active = routed x (1 - k / E), hence routed = (total - active) / (1 - k / E).

        Examples
        --------
        >>> round(model("DeepSeek-R1").routed_expert_params / 1e9, 1)
        654.5
        """
        if not self.is_moe:
            return 0.0
        unused_fraction = 1 - self.n_active_experts / self.n_routed_experts
        return (self.total_params_b - self.active_params_b) * 1e9 / unused_fraction

    @property
    def kv_elements_per_token_per_layer(self) -> int:
        """Numbers cached per token in one attention layer.

        GQA: a key and a value vector per KV head, 2 x n_kv_heads x head_dim.
        MLA: one compressed latent plus the rotary key, kv_lora_rank + qk_rope_head_dim.
        """
        if self.attention == "mla":
            return self.kv_lora_rank + self.qk_rope_head_dim
        return 2 * self.n_kv_heads * self.head_dim

    def kv_bytes_per_token(self, kv_precision: str = "bf16") -> float:
        """KV-cache bytes one token adds across all layers (sliding layers included).

        Examples
        --------
        >>> model("DeepSeek-R1").kv_bytes_per_token("fp8")
        35136.0
        """
        return (
            self.kv_elements_per_token_per_layer
            * self.n_layers
            * bytes_per_element(kv_precision, "kv_precision")
        )

    @finite_result
    def attended_tokens(self, context_tokens) -> np.ndarray:
        """Token positions attended per layer, summed over layers, for a sequence of ``context_tokens``.

        Full-attention layers see the whole context; sliding-window layers see at most the window.
        Broadcasts over arrays.

        Examples
        --------
        >>> model("gpt-oss-120b").attended_tokens(1000).item()
        20304.0
        """
        context = positive("context_tokens", context_tokens, allow_zero=True)
        full_layers = self.n_layers - self.n_sliding_layers
        window = np.minimum(context, self.sliding_window_tokens)
        return full_layers * context + self.n_sliding_layers * window

    @finite_result
    def kv_bytes_per_sequence(self, context_tokens, kv_precision: str = "bf16") -> np.ndarray:
        """KV-cache bytes held for one sequence of ``context_tokens`` tokens. Broadcasts.

        Examples
        --------
        >>> model("DeepSeek-R1").kv_bytes_per_sequence(4989, "bf16").item() / 1e6
        350.587008
        """
        per_element = bytes_per_element(kv_precision, "kv_precision")
        return self.kv_elements_per_token_per_layer * per_element * self.attended_tokens(context_tokens)

    @finite_result
    def decode_attention_flops_per_token(self, context_tokens) -> np.ndarray:
        """FLOPs of attention (scores and weighted values) to decode one token at this context.

        GQA: every query head takes a dot product with each cached key and sums the values,
        4 x n_heads x head_dim per attended token. MLA in its decode ("absorbed") form works on
        the compressed latent: 2 x n_heads x (2 x kv_lora_rank + qk_rope_head_dim) per attended
        token. Matrix multiplications with the weights are counted separately, as
        2 x active parameters.

        Examples
        --------
        >>> model("DeepSeek-R1").decode_attention_flops_per_token(4989).item() / 1e9
        84.764147712
        """
        if self.attention == "mla":
            per_attended_token = 2 * self.n_heads * (2 * self.kv_lora_rank + self.qk_rope_head_dim)
        else:
            per_attended_token = 4 * self.n_heads * self.head_dim
        return per_attended_token * self.attended_tokens(context_tokens)

    @finite_result
    def prefill_attention_flops(self, prompt_tokens) -> np.ndarray:
        """FLOPs of causal attention over a whole prompt of ``prompt_tokens`` tokens (all layers).

        Token i attends to i earlier positions, about prompt^2 / 2 pairs per layer; each pair costs
        2 x n_heads x (query-key size + value size) FLOPs. For MLA prefill uses the full heads:
        query-key size head_dim + qk_rope_head_dim, value size v_head_dim.

        Examples
        --------
        >>> model("LLaMA-7B").prefill_attention_flops(2048).item() / 1e12
        1.099511627776
        """
        prompt = positive("prompt_tokens", prompt_tokens, allow_zero=True)
        if self.attention == "mla":
            qk_plus_v = self.head_dim + self.qk_rope_head_dim + self.v_head_dim
        else:
            qk_plus_v = 2 * self.head_dim
        window = np.minimum(prompt, self.sliding_window_tokens)
        full_pairs = (self.n_layers - self.n_sliding_layers) * prompt**2 / 2
        sliding_pairs = self.n_sliding_layers * (prompt * window - window**2 / 2)
        return 2 * self.n_heads * qk_plus_v * (full_pairs + sliding_pairs)


def _rows(dataset: str):
    frame = data.load(dataset)
    return {row["name"]: row for row in frame.to_dict("records")}


def accelerator_names() -> list[str]:
    """Names of all accelerators in the catalog.

    Examples
    --------
    >>> "B200" in accelerator_names()
    True
    """
    return list(_rows("accelerators"))


def model_names() -> list[str]:
    """Names of all models in the catalog (aliases not included).

    Examples
    --------
    >>> "DeepSeek-R1" in model_names()
    True
    """
    return list(_rows("models"))


@_text_name
@cache
def accelerator(name: str) -> Accelerator:
    """Look up an accelerator by name (case-insensitive).

    Raises
    ------
    KeyError
        For an unknown name; the message lists close matches.

    Examples
    --------
    >>> accelerator("h20").hbm_gb
    96.0
    """
    rows = _rows("accelerators")
    by_lower = {key.lower(): key for key in rows}
    if str(name).lower() not in by_lower:
        raise unknown_name("accelerator", name, rows)
    row = rows[by_lower[str(name).lower()]]
    fields = {
        key: _optional(row[key])
        for key in ("bf16_tflops", "fp8_tflops", "fp4_tflops", "interconnect_gb_s", "usd_per_hour")
    }
    return Accelerator(
        name=row["name"],
        vendor=row["vendor"],
        hbm_gb=float(row["hbm_gb"]),
        hbm_tb_s=float(row["hbm_tb_s"]),
        usd_per_hour_source=row["usd_per_hour_source"],
        usd_per_hour_quality=row["usd_per_hour_quality"],
        source=row["source"],
        quality=row["quality"],
        notes=row["notes"],
        **fields,
    )


@_text_name
@cache
def model(name: str) -> ModelSpec:
    """Look up a model by name or alias (case-insensitive).

    Raises
    ------
    KeyError
        For an unknown name; the message lists close matches.

    Examples
    --------
    >>> model("deepseek-v3").name
    'DeepSeek-R1'
    """
    rows = _rows("models")
    by_lower = {}
    for key, row in rows.items():
        for alias in [key, *filter(None, row["also_known_as"].split(";"))]:
            by_lower[alias.strip().lower()] = key
    if str(name).lower() not in by_lower:
        raise unknown_name("model", name, rows)
    row = rows[by_lower[str(name).lower()]]
    return ModelSpec(
        name=row["name"],
        developer=row["developer"],
        attention=row["attention"],
        n_layers=int(row["n_layers"]),
        hidden_size=int(row["hidden_size"]),
        n_heads=int(row["n_heads"]),
        n_kv_heads=_optional_int(row["n_kv_heads"]),
        head_dim=int(row["head_dim"]),
        qk_rope_head_dim=_optional_int(row["qk_rope_head_dim"]),
        kv_lora_rank=_optional_int(row["kv_lora_rank"]),
        v_head_dim=_optional_int(row["v_head_dim"]),
        n_routed_experts=int(row["n_routed_experts"]),
        n_active_experts=int(row["n_active_experts"]),
        n_shared_experts=int(row["n_shared_experts"]),
        n_dense_layers=int(row["n_dense_layers"]),
        sliding_window_tokens=int(row["sliding_window_tokens"]),
        n_sliding_layers=int(row["n_sliding_layers"]),
        total_params_b=float(row["total_params_b"]),
        active_params_b=float(row["active_params_b"]),
        max_context_tokens=int(row["max_context_tokens"]),
        source=row["source"],
        quality=row["quality"],
        notes=row["notes"],
    )
