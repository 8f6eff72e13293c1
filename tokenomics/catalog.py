"""Catalogs of accelerators and models, built from ``datasets/accelerators.csv`` and ``models.csv``.

:func:`accelerator` returns a frozen :class:`Accelerator`, :func:`model` a frozen
:class:`~tokenomics.model_spec.ModelSpec`. Most models point to a Hugging Face ``config.json``
shipped in ``datasets/model_configs/``: their architecture (layers, heads, head sizes, MLA ranks,
experts, sliding windows) is read from that file by
:func:`~tokenomics.hf_config.model_from_config`, never typed in, and their parameter totals are
the published ones from the table. A model of your own: ``model_from_config(your_config)``.

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

from dataclasses import dataclass, replace
from functools import cache, wraps
from pathlib import Path

import pandas as pd

from tokenomics import data
from tokenomics.hf_config import model_from_config
from tokenomics.model_spec import BYTES_PER_ELEMENT, ModelSpec, bytes_per_element
from tokenomics.validation import unknown_name

__all__ = [
    "BYTES_PER_ELEMENT",
    "MODEL_CONFIGS_DIR",
    "Accelerator",
    "ModelSpec",
    "accelerator",
    "accelerator_names",
    "bytes_per_element",
    "config_path",
    "model",
    "model_from_config",
    "model_names",
]

MODEL_CONFIGS_DIR = data.DATASETS_DIR / "model_configs"
"""Where the shipped Hugging Face ``config.json`` files live (one ``<model name>.json`` each)."""


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
    """One accelerator (GPU, TPU, Trainium or Ascend chip) as a serving model sees it.

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
        states it (the bidirectional total for NVLink).
    scale_up_link : str
        The scale-up interconnect (NVLink 5, Infinity Fabric, HCCS, ICI, PCIe...).
    scale_up_domain_chips : int or None
        Chips in one scale-up domain (8 in an HGX node, 72 in an NVL72 rack, 384 in a CloudMatrix).
    scale_up_gb_s, scale_out_gb_s : float or None
        Scale-up and scale-out bandwidth per chip, one direction, GB/s; None where no source gives it.
    usd_per_hour : float or None
        A reference rental price per chip-hour, USD; None where no source gives one.
    usd_per_hour_date : str
        When that price was stated (empty where the source is undated).
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
    scale_up_link: str
    scale_up_domain_chips: int | None
    scale_up_gb_s: float | None
    scale_out_gb_s: float | None
    usd_per_hour: float | None
    usd_per_hour_date: str
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
        for key in (
            "bf16_tflops",
            "fp8_tflops",
            "fp4_tflops",
            "interconnect_gb_s",
            "scale_up_gb_s",
            "scale_out_gb_s",
            "usd_per_hour",
        )
    }
    return Accelerator(
        name=row["name"],
        vendor=row["vendor"],
        hbm_gb=float(row["hbm_gb"]),
        hbm_tb_s=float(row["hbm_tb_s"]),
        scale_up_link=row["scale_up_link"],
        scale_up_domain_chips=_optional_int(row["scale_up_domain_chips"]),
        usd_per_hour_date=row["usd_per_hour_date"],
        usd_per_hour_source=row["usd_per_hour_source"],
        usd_per_hour_quality=row["usd_per_hour_quality"],
        source=row["source"],
        quality=row["quality"],
        notes=row["notes"],
        **fields,
    )


def _model_row(name: str) -> dict:
    """The models-table row for a name or alias (case-insensitive)."""
    rows = _rows("models")
    by_lower = {}
    for key, row in rows.items():
        for alias in [key, *filter(None, row["also_known_as"].split(";"))]:
            by_lower[alias.strip().lower()] = key
    if str(name).lower() not in by_lower:
        raise unknown_name("model", name, rows)
    return rows[by_lower[str(name).lower()]]


def config_path(name: str) -> Path:
    """The shipped ``config.json`` of a catalog model (by name or alias).

    Raises
    ------
    KeyError
        For an unknown name (the message lists close matches).
    ValueError
        For a catalog model typed from a paper, which has no config file.

    Examples
    --------
    >>> config_path("deepseek-v3").name
    'DeepSeek-R1.json'
    """
    row = _model_row(name)
    if not row["config_file"]:
        with_configs = [key for key, other in _rows("models").items() if other["config_file"]]
        raise ValueError(
            f"model {row['name']!r} has no shipped config.json (its architecture is typed from "
            f"{row['source']}); models with one: {', '.join(with_configs)}"
        )
    return MODEL_CONFIGS_DIR / row["config_file"]


def _typed_architecture(row: dict) -> dict:
    """The architecture fields of a row typed into the table (no config file)."""
    return {
        "attention": row["attention"],
        "n_layers": int(row["n_layers"]),
        "hidden_size": int(row["hidden_size"]),
        "n_heads": int(row["n_heads"]),
        "n_kv_heads": _optional_int(row["n_kv_heads"]),
        "head_dim": int(row["head_dim"]),
        "qk_rope_head_dim": _optional_int(row["qk_rope_head_dim"]),
        "kv_lora_rank": _optional_int(row["kv_lora_rank"]),
        "v_head_dim": _optional_int(row["v_head_dim"]),
        "n_routed_experts": int(row["n_routed_experts"]),
        "n_active_experts": int(row["n_active_experts"]),
        "n_shared_experts": int(row["n_shared_experts"]),
        "n_dense_layers": int(row["n_dense_layers"]),
        "sliding_window_tokens": int(row["sliding_window_tokens"]),
        "n_sliding_layers": int(row["n_sliding_layers"]),
        "max_context_tokens": int(row["max_context_tokens"]),
    }


@_text_name
@cache
def model(name: str) -> ModelSpec:
    """Look up a model by name or alias (case-insensitive).

    The architecture comes from the model's shipped ``config.json`` (or, for the few rows
    typed from a paper, from the table); the parameter totals are the published ones, and the
    routed experts' size follows from them (:attr:`ModelSpec.routed_expert_params`).

    Raises
    ------
    KeyError
        For an unknown name; the message lists close matches.

    Examples
    --------
    >>> model("deepseek-v3").name
    'DeepSeek-R1'
    >>> model("Qwen3-30B-A3B").n_routed_experts
    128
    """
    row = _model_row(name)
    published = {
        "name": row["name"],
        "developer": row["developer"],
        "total_params_b": float(row["total_params_b"]),
        "active_params_b": float(row["active_params_b"]),
        "source": row["source"],
        "quality": row["quality"],
        "notes": row["notes"],
    }
    if row["config_file"]:
        derived = model_from_config(MODEL_CONFIGS_DIR / row["config_file"], name=row["name"])
        return replace(derived, routed_expert_params_b=None, **published)
    return ModelSpec(**published, **_typed_architecture(row))
