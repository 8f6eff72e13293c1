"""The architecture of a model as far as serving cost depends on it, and the formulas on it.

:class:`ModelSpec` holds layers, heads, head sizes (GQA or MLA), mixture-of-experts routing,
sliding windows and parameter counts; its methods compute the KV cache and the attention FLOPs
from them, never typed in: this is the one place where those formulas live. Models come from the
catalog (:func:`tokenomics.catalog.model`) or from any Hugging Face ``config.json``
(:func:`tokenomics.hf_config.model_from_config`).

Examples
--------
>>> from tokenomics.catalog import model
>>> model("DeepSeek-R1").kv_bytes_per_token("bf16")
70272.0
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tokenomics.validation import finite_result, one_of, positive

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
        Parameters in billions: all of them, and those one token uses. Catalog models carry the
        totals their developers publish; :func:`tokenomics.hf_config.model_from_config` derives
        them (total includes the embedding table and the output head; active counts the output
        head but not the input embedding lookup).
    max_context_tokens : int
    source, quality, notes : str
    routed_expert_params_b : float or None
        Parameters of all routed experts together, billions, where the architecture was counted
        weight by weight (a config); None to derive them from the two totals.
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
    routed_expert_params_b: float | None = None

    @property
    def attention_kind(self) -> str:
        """ "MLA", "MQA" (one KV head), "MHA" (as many KV heads as heads) or "GQA".

        Examples
        --------
        >>> from tokenomics.catalog import model
        >>> model("LLaMA-7B").attention_kind, model("Llama-3.1-70B").attention_kind
        ('MHA', 'GQA')
        """
        if self.attention == "mla":
            return "MLA"
        if self.n_kv_heads == 1:
            return "MQA"
        return "MHA" if self.n_kv_heads == self.n_heads else "GQA"

    @property
    def is_moe(self) -> bool:
        """True for a mixture-of-experts model."""
        return self.n_routed_experts > 0

    @property
    def n_moe_layers(self) -> int:
        """Layers whose feed-forward block is a set of routed experts.

        Examples
        --------
        >>> from tokenomics.catalog import model
        >>> model("DeepSeek-R1").n_moe_layers
        58
        """
        return self.n_layers - self.n_dense_layers if self.is_moe else 0

    @property
    def routed_expert_params(self) -> float:
        """Parameters in all routed experts together (count, not billions).

        Counted from the config where the spec has ``routed_expert_params_b``; otherwise derived
        from the reported totals so that one token touches exactly ``active_params_b``:
        total - active = routed x (1 - k / E), hence routed = (total - active) / (1 - k / E).

        Examples
        --------
        >>> from tokenomics.catalog import model
        >>> round(model("DeepSeek-R1").routed_expert_params / 1e9, 1)
        654.5
        """
        if not self.is_moe:
            return 0.0
        if self.routed_expert_params_b is not None:
            return self.routed_expert_params_b * 1e9
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
        >>> from tokenomics.catalog import model
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
        >>> from tokenomics.catalog import model
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
        >>> from tokenomics.catalog import model
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
        >>> from tokenomics.catalog import model
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
        >>> from tokenomics.catalog import model
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
