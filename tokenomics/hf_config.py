"""Any model from its Hugging Face ``config.json``: architecture, parameters and KV cache.

:func:`model_from_config` reads a ``config.json`` (a mapping, or the path of the file; never
fetched) and returns the :class:`~tokenomics.model_spec.ModelSpec` the rest of the kit uses.
From the architecture's own fields it derives:

- the attention kind and the numbers the KV cache holds per token and layer: multi-head and
  grouped-query attention (``2 x num_key_value_heads x head_dim``), multi-query attention (one
  KV head) and DeepSeek's multi-head latent attention (``kv_lora_rank + qk_rope_head_dim``);
- layers that attend to a sliding window only (gpt-oss's ``layer_types``, Mistral's
  ``sliding_window``, Qwen's ``use_sliding_window`` with ``max_window_layers``);
- the mixture-of-experts layout: routed experts, experts per token, shared experts, and which
  layers are dense (``first_k_dense_replace``, ``moe_layer_freq``, ``decoder_sparse_step``,
  ``mlp_only_layers``, Llama 4's ``interleave_moe_layer_step``);
- total and active parameters, counted weight matrix by weight matrix.

Parameter convention (one, everywhere in the kit)
-------------------------------------------------
*Total* counts every weight of the language model: the input embedding table, every layer
(attention, feed-forward or experts, routers, norms, the biases the config declares) and the
output head (once only when ``tie_word_embeddings`` shares it with the embedding table).
DeepSeek-style multi-token-prediction modules (``num_nextn_predict_layers``) and a multimodal
model's vision encoder are not counted: the published totals of DeepSeek-V3 (671B) and Kimi-K2
leave them out, and the kit serves text. *Active* is what one token multiplies with: total
minus the routed experts a token does not use, and minus the input embedding table (a lookup,
not a matrix product); the output head counts. So ``2 x active`` is the weight FLOPs of one
token. Per-head query/key norms (a few hundred numbers per layer) are left out.

Assumptions, said once
----------------------
- Llama 4's chunked local attention (``attention_chunk_size``) is ignored: every layer is
  counted as keeping the whole context, an upper bound on its KV cache at long contexts.
- Mixtral's config sets ``sliding_window`` to null: every layer attends to the whole context.
- GLM-4.5's partial rotary embedding (``partial_rotary_factor``) changes no cache size: keys
  are cached at their full ``head_dim``.
- GPT-J and Falcon compute attention and the MLP in parallel from one input; the parameter
  count is the same as for sequential blocks.

Examples
--------
>>> spec = model_from_config({
...     "architectures": ["LlamaForCausalLM"], "hidden_size": 4096, "num_hidden_layers": 32,
...     "num_attention_heads": 32, "num_key_value_heads": 8, "intermediate_size": 14336,
...     "vocab_size": 128256, "max_position_embeddings": 131072}, name="my-8b")
>>> spec.kv_bytes_per_token("bf16")
131072.0
>>> round(spec.total_params_b, 2)
8.03
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tokenomics.model_spec import ModelSpec

FAMILIES = {
    "LlamaForCausalLM": "llama",
    "MistralForCausalLM": "llama",
    "Qwen2ForCausalLM": "qwen2",
    "Qwen3ForCausalLM": "llama",
    "MixtralForCausalLM": "mixtral",
    "Qwen3MoeForCausalLM": "qwen3_moe",
    "Llama4ForConditionalGeneration": "llama4",
    "Llama4ForCausalLM": "llama4",
    "DeepseekV2ForCausalLM": "deepseek",
    "DeepseekV3ForCausalLM": "deepseek",
    "Glm4MoeForCausalLM": "glm4_moe",
    "GptOssForCausalLM": "gpt_oss",
    "FalconForCausalLM": "falcon",
    "GPTJForCausalLM": "gptj",
}
"""Hugging Face ``architectures`` values the reader supports, and the family each belongs to
(Kimi-K2 declares ``DeepseekV3ForCausalLM``; Llama 1-3.x, Mistral and Qwen3 dense share the
Llama block)."""

SUPPORTED_ARCHITECTURES = tuple(FAMILIES)
"""The ``architectures`` values :func:`model_from_config` accepts."""

FALCON_DEFAULT_CONTEXT_TOKENS = 2048
"""Falcon configs often omit ``max_position_embeddings``; Hugging Face's FalconConfig then uses 2,048."""


class _Config:
    """The fields of one config, with errors that name the architecture and the field."""

    def __init__(self, fields: Mapping, architecture: str, origin: str):
        self.fields = fields
        self.architecture = architecture
        self.origin = origin

    def has(self, key: str) -> bool:
        return self.fields.get(key) is not None

    def get(self, key: str, default=None):
        value = self.fields.get(key)
        return default if value is None else value

    def require(self, *keys: str):
        """The first of ``keys`` the config sets (several names for one field, e.g. GPT-J's ``n_embd``)."""
        for key in keys:
            if self.has(key):
                return self.fields[key]
        names = " or ".join(repr(key) for key in keys)
        raise ValueError(f"{self.origin}: the {self.architecture} config lacks the field {names}")

    def positive_int(self, *keys: str) -> int:
        value = self.require(*keys)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(
                f"{self.origin}: {keys[0]} of the {self.architecture} config must be a positive "
                f"integer, got {value!r}"
            )
        return value

    def optional_int(self, key: str, default: int) -> int:
        return self.positive_int(key) if self.has(key) else default


def _read(config) -> tuple[Mapping, str]:
    """The config as a mapping, and a name for it in error messages (the file's path, or 'config')."""
    if isinstance(config, Mapping):
        return config, "config"
    if not isinstance(config, (str, Path)):
        raise ValueError(
            f"config must be a mapping or the path of a config.json file, got {type(config).__name__}"
        )
    path = Path(config)
    if not path.is_file():
        raise FileNotFoundError(f"no config file at {path}")
    try:
        fields = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(
            f"{path}: not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    if not isinstance(fields, Mapping):
        raise ValueError(f"{path}: a config.json holds one JSON object, got {type(fields).__name__}")
    return fields, str(path)


def _architecture(fields: Mapping, origin: str) -> str:
    supported = ", ".join(SUPPORTED_ARCHITECTURES)
    architectures = fields.get("architectures")
    if not architectures or not isinstance(architectures, list):
        raise ValueError(
            f"{origin}: the config has no 'architectures' list, so the model's architecture is "
            f"unknown; supported architectures: {supported}"
        )
    architecture = architectures[0]
    if architecture not in FAMILIES:
        raise ValueError(
            f"{origin}: architecture {architecture!r} is not supported; supported architectures: {supported}"
        )
    return architecture


def _attention_heads(cfg: _Config, hidden: int) -> tuple[int, int, int]:
    """Query heads, KV heads and head size of a GQA/MHA/MQA layer, checked against each other."""
    n_heads = cfg.positive_int("num_attention_heads", "n_head")
    if cfg.has("head_dim"):
        head_dim = cfg.positive_int("head_dim")
    else:
        if hidden % n_heads:
            raise ValueError(
                f"{cfg.origin}: num_attention_heads ({n_heads}) does not divide hidden_size "
                f"({hidden}) and the {cfg.architecture} config gives no head_dim"
            )
        head_dim = hidden // n_heads
    n_kv_heads = cfg.optional_int("num_key_value_heads", n_heads)
    if n_heads % n_kv_heads:
        raise ValueError(
            f"{cfg.origin}: num_key_value_heads ({n_kv_heads}) does not divide "
            f"num_attention_heads ({n_heads})"
        )
    return n_heads, n_kv_heads, head_dim


def _gated_mlp(hidden: int, inner: int) -> int:
    """Weights of a SwiGLU feed-forward block: gate, up and down projections."""
    return 3 * hidden * inner


def _gqa_attention(hidden: int, n_heads: int, n_kv_heads: int, head_dim: int, bias: str) -> int:
    """Weights of one GQA/MHA/MQA attention block; ``bias`` is "none", "qkv" or "all"."""
    q_out, kv_out = n_heads * head_dim, n_kv_heads * head_dim
    weights = hidden * (q_out + 2 * kv_out) + q_out * hidden
    if bias in ("qkv", "all"):
        weights += q_out + 2 * kv_out
    if bias == "all":
        weights += hidden
    return weights


def _sliding(cfg: _Config, n_layers: int) -> tuple[int, int]:
    """(window tokens, layers that use it) from the config's sliding-window fields."""
    layer_types = cfg.get("layer_types")
    if layer_types:
        if len(layer_types) != n_layers:
            raise ValueError(
                f"{cfg.origin}: layer_types lists {len(layer_types)} layers but num_hidden_layers "
                f"is {n_layers}"
            )
        n_sliding = sum(kind == "sliding_attention" for kind in layer_types)
        return (cfg.positive_int("sliding_window"), n_sliding) if n_sliding else (0, 0)
    if "use_sliding_window" in cfg.fields:  # Qwen: the window applies only when switched on
        if not cfg.get("use_sliding_window", False) or not cfg.has("sliding_window"):
            return 0, 0
        full_layers = cfg.optional_int("max_window_layers", n_layers)
        return cfg.positive_int("sliding_window"), max(n_layers - full_layers, 0)
    if cfg.has("sliding_window"):
        return cfg.positive_int("sliding_window"), n_layers
    return 0, 0


def _count_layers(n_layers: int, is_moe_layer) -> int:
    return sum(bool(is_moe_layer(index)) for index in range(n_layers))


def model_from_config(config, name: str | None = None) -> ModelSpec:
    """A :class:`~tokenomics.model_spec.ModelSpec` from a Hugging Face ``config.json``, read offline.

    Parameters
    ----------
    config : mapping or path
        The parsed config, or the path of a ``config.json`` file (read from disk, never fetched).
        Multimodal configs (Llama 4) are read through their ``text_config``.
    name : str, optional
        The model's name; defaults to the config's ``_name_or_path``, else the file's stem.

    Returns
    -------
    ModelSpec
        With ``total_params_b`` and ``active_params_b`` derived from the architecture under the
        module's convention (total includes the embedding table and the output head; active
        counts the output head but not the input embedding lookup), quality "derived".

    Raises
    ------
    ValueError
        An unknown architecture (the message lists the supported ones), a missing field (named),
        fields that contradict each other (heads that do not divide the hidden size, KV heads
        that do not divide the heads), or a file that is not valid JSON (the message names the
        file, the line and the column).
    FileNotFoundError
        ``config`` is a path with no file.

    Examples
    --------
    >>> from tokenomics.catalog import config_path
    >>> v3 = model_from_config(config_path("DeepSeek-V3"))
    >>> v3.attention, v3.kv_bytes_per_token("bf16")
    ('mla', 70272.0)
    >>> model_from_config({"architectures": ["BertModel"]})
    Traceback (most recent call last):
    ...
    ValueError: config: architecture 'BertModel' is not supported; supported architectures: ...
    """
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise ValueError(f"name must be the model's name, a non-empty string, or None (got {name!r:.60})")
    fields, origin = _read(config)
    architecture = _architecture(fields, origin)
    family = FAMILIES[architecture]
    if family == "llama4" and isinstance(fields.get("text_config"), Mapping):
        text_fields = fields["text_config"]
    else:
        text_fields = fields
    cfg = _Config(text_fields, architecture, origin)
    reader = _READERS[family]
    shape = reader(cfg)
    if name is None:
        name = fields.get("_name_or_path") or (Path(origin).stem if origin != "config" else architecture)
    return ModelSpec(
        name=name,
        developer="",
        source=origin,
        quality="derived",
        notes=f"Derived from a {architecture} config.json.",
        **shape,
    )


def _finish(
    cfg: _Config,
    *,
    attention: str,
    n_layers: int,
    hidden: int,
    n_heads: int,
    n_kv_heads: int | None,
    head_dim: int,
    layer_params: float,
    routed_params: float,
    n_routed: int = 0,
    n_active: int = 0,
    n_shared: int = 0,
    n_moe_layers: int = 0,
    context_key: str = "max_position_embeddings",
    default_context: int | None = None,
    tied_default: bool = False,
    lm_head_bias: bool = False,
    mla: tuple[int, int, int] | None = None,
) -> dict:
    """The ModelSpec fields shared by every family: embeddings, head, totals, window, context."""
    vocab = cfg.positive_int("vocab_size")
    embedding = vocab * hidden
    tied = bool(cfg.get("tie_word_embeddings", tied_default))
    output_head = 0 if tied else vocab * hidden + (vocab if lm_head_bias else 0)
    total = embedding + layer_params + hidden + output_head  # + the final norm
    unused_routed = routed_params * (1 - n_active / n_routed) if n_routed else 0.0
    active = total - unused_routed - embedding + (vocab * hidden if tied else 0)
    if default_context is not None and not cfg.has(context_key):
        context = default_context
    else:
        context = cfg.positive_int(context_key)
    window, n_sliding = _sliding(cfg, n_layers)
    qk_rope, kv_lora, v_head = mla if mla else (None, None, None)
    return {
        "attention": attention,
        "n_layers": n_layers,
        "hidden_size": hidden,
        "n_heads": n_heads,
        "n_kv_heads": n_kv_heads,
        "head_dim": head_dim,
        "qk_rope_head_dim": qk_rope,
        "kv_lora_rank": kv_lora,
        "v_head_dim": v_head,
        "n_routed_experts": n_routed,
        "n_active_experts": n_active,
        "n_shared_experts": n_shared,
        "n_dense_layers": n_layers - n_moe_layers,
        "sliding_window_tokens": window,
        "n_sliding_layers": n_sliding,
        "total_params_b": total / 1e9,
        "active_params_b": active / 1e9,
        "max_context_tokens": context,
        "routed_expert_params_b": routed_params / 1e9 if n_routed else None,
    }


def _llama(cfg: _Config) -> dict:
    """Llama 1-3.x, Mistral, Qwen2/2.5 and Qwen3 dense: GQA attention and a SwiGLU MLP."""
    hidden = cfg.positive_int("hidden_size")
    n_layers = cfg.positive_int("num_hidden_layers")
    n_heads, n_kv_heads, head_dim = _attention_heads(cfg, hidden)
    if FAMILIES[cfg.architecture] == "qwen2":
        bias = "qkv"  # Qwen2's q, k and v projections always carry a bias
    else:
        bias = "all" if cfg.get("attention_bias", False) else "none"
    per_layer = (
        _gqa_attention(hidden, n_heads, n_kv_heads, head_dim, bias)
        + _gated_mlp(hidden, cfg.positive_int("intermediate_size"))
        + 2 * hidden
    )
    return _finish(
        cfg,
        attention="gqa",
        n_layers=n_layers,
        hidden=hidden,
        n_heads=n_heads,
        n_kv_heads=n_kv_heads,
        head_dim=head_dim,
        layer_params=n_layers * per_layer,
        routed_params=0.0,
    )


def _mixtral(cfg: _Config) -> dict:
    """Mixtral: every layer's MLP is a set of routed SwiGLU experts."""
    hidden = cfg.positive_int("hidden_size")
    n_layers = cfg.positive_int("num_hidden_layers")
    n_heads, n_kv_heads, head_dim = _attention_heads(cfg, hidden)
    n_experts = cfg.positive_int("num_local_experts")
    experts = n_experts * _gated_mlp(hidden, cfg.positive_int("intermediate_size"))
    per_layer = _gqa_attention(hidden, n_heads, n_kv_heads, head_dim, "none") + experts + hidden * n_experts
    return _finish(
        cfg,
        attention="gqa",
        n_layers=n_layers,
        hidden=hidden,
        n_heads=n_heads,
        n_kv_heads=n_kv_heads,
        head_dim=head_dim,
        layer_params=n_layers * (per_layer + 2 * hidden),
        routed_params=n_layers * experts,
        n_routed=n_experts,
        n_active=cfg.positive_int("num_experts_per_tok"),
        n_moe_layers=n_layers,
    )


def _qwen3_moe(cfg: _Config) -> dict:
    """Qwen3 MoE: routed experts on every ``decoder_sparse_step``-th layer not in ``mlp_only_layers``."""
    hidden = cfg.positive_int("hidden_size")
    n_layers = cfg.positive_int("num_hidden_layers")
    n_heads, n_kv_heads, head_dim = _attention_heads(cfg, hidden)
    n_experts = cfg.positive_int("num_experts")
    step = cfg.optional_int("decoder_sparse_step", 1)
    dense_only = set(cfg.get("mlp_only_layers", []))
    n_moe = _count_layers(n_layers, lambda i: i not in dense_only and (i + 1) % step == 0)
    experts = n_experts * _gated_mlp(hidden, cfg.positive_int("moe_intermediate_size"))
    shared_inner = cfg.get("shared_expert_intermediate_size", 0)
    moe_layer = experts + hidden * n_experts + _gated_mlp(hidden, shared_inner)
    dense_layer = _gated_mlp(hidden, cfg.positive_int("intermediate_size"))
    attention = _gqa_attention(hidden, n_heads, n_kv_heads, head_dim, "none")
    layer_params = n_layers * (attention + 2 * hidden) + n_moe * moe_layer + (n_layers - n_moe) * dense_layer
    return _finish(
        cfg,
        attention="gqa",
        n_layers=n_layers,
        hidden=hidden,
        n_heads=n_heads,
        n_kv_heads=n_kv_heads,
        head_dim=head_dim,
        layer_params=layer_params,
        routed_params=n_moe * experts,
        n_routed=n_experts,
        n_active=cfg.positive_int("num_experts_per_tok"),
        n_shared=1 if shared_inner else 0,
        n_moe_layers=n_moe,
    )


def _llama4(cfg: _Config) -> dict:
    """Llama 4: MoE layers every ``interleave_moe_layer_step`` layers, each with one shared expert."""
    hidden = cfg.positive_int("hidden_size")
    n_layers = cfg.positive_int("num_hidden_layers")
    n_heads, n_kv_heads, head_dim = _attention_heads(cfg, hidden)
    n_experts = cfg.positive_int("num_local_experts")
    step = cfg.optional_int("interleave_moe_layer_step", 1)
    moe_layers = cfg.get("moe_layers") or list(range(step - 1, n_layers, step))
    n_moe = len(moe_layers)
    expert_inner = cfg.positive_int("intermediate_size")
    experts = n_experts * _gated_mlp(hidden, expert_inner)
    moe_layer = experts + _gated_mlp(hidden, expert_inner) + hidden * n_experts  # + shared expert, router
    dense_layer = _gated_mlp(hidden, cfg.positive_int("intermediate_size_mlp"))
    bias = "all" if cfg.get("attention_bias", False) else "none"
    attention = _gqa_attention(hidden, n_heads, n_kv_heads, head_dim, bias)
    layer_params = n_layers * (attention + 2 * hidden) + n_moe * moe_layer + (n_layers - n_moe) * dense_layer
    return _finish(
        cfg,
        attention="gqa",
        n_layers=n_layers,
        hidden=hidden,
        n_heads=n_heads,
        n_kv_heads=n_kv_heads,
        head_dim=head_dim,
        layer_params=layer_params,
        routed_params=n_moe * experts,
        n_routed=n_experts,
        n_active=cfg.positive_int("num_experts_per_tok"),
        n_shared=1,
        n_moe_layers=n_moe,
    )


def _deepseek_moe_layout(cfg: _Config, n_layers: int) -> int:
    """MoE layers of a DeepSeek-style config: from first_k_dense_replace on, every moe_layer_freq-th."""
    first_dense = cfg.get("first_k_dense_replace", 0)
    frequency = cfg.optional_int("moe_layer_freq", 1)
    return _count_layers(n_layers, lambda i: i >= first_dense and i % frequency == 0)


@dataclass(frozen=True)
class _Experts:
    """The feed-forward blocks of a DeepSeek-style mixture of experts (DeepSeek-V2/V3, Kimi-K2, GLM-4.5)."""

    n_routed: int
    n_shared: int
    n_moe_layers: int
    routed_per_layer: int
    feed_forward_params: int
    n_active: int

    def spec_fields(self) -> dict:
        """The expert fields of the model's spec (what :func:`_finish` takes)."""
        return {
            "routed_params": self.n_moe_layers * self.routed_per_layer,
            "n_routed": self.n_routed,
            "n_active": self.n_active,
            "n_shared": self.n_shared,
            "n_moe_layers": self.n_moe_layers,
        }


def _deepseek_style_experts(cfg: _Config, hidden: int, n_layers: int) -> _Experts:
    """Routed experts, shared experts and a router on the MoE layers; a dense gated MLP on the rest.

    Per MoE layer: E routed + S shared gated MLPs of ``moe_intermediate_size`` and a router of
    hidden x E; per dense layer: one gated MLP of ``intermediate_size``.
    """
    n_routed = cfg.positive_int("n_routed_experts")
    n_shared = cfg.get("n_shared_experts", 0)
    expert = _gated_mlp(hidden, cfg.positive_int("moe_intermediate_size"))
    n_moe = _deepseek_moe_layout(cfg, n_layers)
    moe_layer = (n_routed + n_shared) * expert + hidden * n_routed
    dense_layer = _gated_mlp(hidden, cfg.positive_int("intermediate_size"))
    return _Experts(
        n_routed=n_routed,
        n_shared=n_shared,
        n_moe_layers=n_moe,
        routed_per_layer=n_routed * expert,
        feed_forward_params=n_moe * moe_layer + (n_layers - n_moe) * dense_layer,
        n_active=cfg.positive_int("num_experts_per_tok"),
    )


def _deepseek(cfg: _Config) -> dict:
    """DeepSeek-V2/V3 and Kimi-K2: MLA attention (with or without ``q_lora_rank``) and DeepSeekMoE."""
    hidden = cfg.positive_int("hidden_size")
    n_layers = cfg.positive_int("num_hidden_layers")
    n_heads = cfg.positive_int("num_attention_heads")
    kv_lora = cfg.positive_int("kv_lora_rank")
    rope = cfg.positive_int("qk_rope_head_dim")
    nope = cfg.positive_int("qk_nope_head_dim")
    v_head = cfg.positive_int("v_head_dim")
    q_lora = cfg.get("q_lora_rank")
    if q_lora:
        query = hidden * q_lora + q_lora + q_lora * n_heads * (nope + rope)  # down, norm, up
    else:
        query = hidden * n_heads * (nope + rope)
    key_value = hidden * (kv_lora + rope) + kv_lora + kv_lora * n_heads * (nope + v_head)
    attention = query + key_value + n_heads * v_head * hidden
    ffn = _deepseek_style_experts(cfg, hidden, n_layers)
    layer_params = n_layers * (attention + 2 * hidden) + ffn.feed_forward_params
    return _finish(
        cfg,
        attention="mla",
        n_layers=n_layers,
        hidden=hidden,
        n_heads=n_heads,
        n_kv_heads=None,
        head_dim=nope,
        layer_params=layer_params,
        **ffn.spec_fields(),
        mla=(rope, kv_lora, v_head),
    )


def _glm4_moe(cfg: _Config) -> dict:
    """GLM-4.5 MoE: GQA attention with an explicit head_dim and DeepSeek-style expert layout."""
    hidden = cfg.positive_int("hidden_size")
    n_layers = cfg.positive_int("num_hidden_layers")
    n_heads, n_kv_heads, head_dim = _attention_heads(cfg, hidden)
    bias = "qkv" if cfg.get("attention_bias", False) else "none"
    attention = _gqa_attention(hidden, n_heads, n_kv_heads, head_dim, bias)
    ffn = _deepseek_style_experts(cfg, hidden, n_layers)
    layer_params = n_layers * (attention + 2 * hidden) + ffn.feed_forward_params
    return _finish(
        cfg,
        attention="gqa",
        n_layers=n_layers,
        hidden=hidden,
        n_heads=n_heads,
        n_kv_heads=n_kv_heads,
        head_dim=head_dim,
        layer_params=layer_params,
        **ffn.spec_fields(),
    )


def _gpt_oss(cfg: _Config) -> dict:
    """gpt-oss: biased GQA attention with sinks, alternating sliding and full layers, biased experts."""
    hidden = cfg.positive_int("hidden_size")
    n_layers = cfg.positive_int("num_hidden_layers")
    n_heads, n_kv_heads, head_dim = _attention_heads(cfg, hidden)
    bias = "all" if cfg.get("attention_bias", False) else "none"
    attention = _gqa_attention(hidden, n_heads, n_kv_heads, head_dim, bias) + n_heads  # + sinks
    n_experts = cfg.positive_int("num_local_experts")
    inner = cfg.positive_int("intermediate_size")
    one_expert = hidden * 2 * inner + 2 * inner + inner * hidden + hidden  # gate_up and down, with biases
    experts = n_experts * one_expert
    router = hidden * n_experts + n_experts
    layer_params = n_layers * (attention + experts + router + 2 * hidden)
    return _finish(
        cfg,
        attention="gqa",
        n_layers=n_layers,
        hidden=hidden,
        n_heads=n_heads,
        n_kv_heads=n_kv_heads,
        head_dim=head_dim,
        layer_params=layer_params,
        routed_params=n_layers * experts,
        n_routed=n_experts,
        n_active=cfg.positive_int("num_experts_per_tok", "experts_per_token"),
        n_moe_layers=n_layers,
    )


def _falcon(cfg: _Config) -> dict:
    """Falcon: parallel attention and a 4x GELU MLP; multi-query (7B) or grouped KV heads (40B, 180B)."""
    hidden = cfg.positive_int("hidden_size", "n_embed")
    n_layers = cfg.positive_int("num_hidden_layers", "n_layer")
    n_heads = cfg.positive_int("num_attention_heads", "n_head")
    if hidden % n_heads:
        raise ValueError(
            f"{cfg.origin}: num_attention_heads ({n_heads}) does not divide hidden_size ({hidden})"
        )
    head_dim = hidden // n_heads
    if cfg.get("new_decoder_architecture", False):
        n_kv_heads = cfg.positive_int("num_kv_heads", "n_head_kv")
        n_norms = 2  # ln_attn and ln_mlp
    elif cfg.get("multi_query", True):
        n_kv_heads = 1
        n_norms = 1
    else:
        n_kv_heads = n_heads
        n_norms = 1
    if n_heads % n_kv_heads:
        raise ValueError(
            f"{cfg.origin}: num_kv_heads ({n_kv_heads}) does not divide num_attention_heads ({n_heads})"
        )
    bias = bool(cfg.get("bias", False))
    qkv_out = (n_heads + 2 * n_kv_heads) * head_dim
    attention = hidden * qkv_out + hidden * hidden + (qkv_out + hidden if bias else 0)
    inner = cfg.get("ffn_hidden_size", 4 * hidden)
    mlp = 2 * hidden * inner + (inner + hidden if bias else 0)
    per_layer = attention + mlp + n_norms * 2 * hidden  # LayerNorms carry a weight and a bias
    return _finish(
        cfg,
        attention="gqa",
        n_layers=n_layers,
        hidden=hidden,
        n_heads=n_heads,
        n_kv_heads=n_kv_heads,
        head_dim=head_dim,
        layer_params=n_layers * per_layer + hidden,  # + the final LayerNorm's bias
        routed_params=0.0,
        default_context=FALCON_DEFAULT_CONTEXT_TOKENS,
        tied_default=True,
    )


def _gptj(cfg: _Config) -> dict:
    """GPT-J: full multi-head attention and a 4x GELU MLP in parallel, one LayerNorm per layer."""
    hidden = cfg.positive_int("n_embd")
    n_layers = cfg.positive_int("n_layer")
    n_heads = cfg.positive_int("n_head")
    if hidden % n_heads:
        raise ValueError(f"{cfg.origin}: n_head ({n_heads}) does not divide n_embd ({hidden})")
    head_dim = hidden // n_heads
    inner = cfg.get("n_inner") or 4 * hidden
    attention = 4 * hidden * hidden  # q, k, v and out projections, no biases
    mlp = 2 * hidden * inner + inner + hidden  # fc_in and fc_out with biases
    per_layer = attention + mlp + 2 * hidden
    return _finish(
        cfg,
        attention="gqa",
        n_layers=n_layers,
        hidden=hidden,
        n_heads=n_heads,
        n_kv_heads=n_heads,
        head_dim=head_dim,
        layer_params=n_layers * per_layer + hidden,  # + the final LayerNorm's bias
        routed_params=0.0,
        context_key="n_positions",
        lm_head_bias=True,
    )


_READERS = {
    "llama": _llama,
    "qwen2": _llama,
    "mixtral": _mixtral,
    "qwen3_moe": _qwen3_moe,
    "llama4": _llama4,
    "deepseek": _deepseek,
    "glm4_moe": _glm4_moe,
    "gpt_oss": _gpt_oss,
    "falcon": _falcon,
    "gptj": _gptj,
}
