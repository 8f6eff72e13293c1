"""The accelerator and model catalogs: lookups, errors and the architecture formulas."""

import numpy as np
import pytest

from tokenomics import catalog
from tokenomics.catalog import accelerator, accelerator_names, model, model_names

REQUIRED_ACCELERATORS = [
    "A100-40GB",
    "A100-80GB",
    "H100-SXM",
    "H800",
    "H20",
    "H200",
    "B200",
    "MI300X",
    "MI325X",
    "TPU-v5e",
    "TPU-v6e",
    "Trainium2",
]
REQUIRED_MODELS = [
    "DeepSeek-R1",
    "Llama-3.1-70B",
    "Llama-3.1-405B",
    "LLaMA-7B",
    "Llama-2-7B",
    "GPT-13B",
    "Qwen3-235B-A22B",
    "gpt-oss-120b",
]


def test_catalogs_hold_every_required_entry():
    assert set(REQUIRED_ACCELERATORS) <= set(accelerator_names())
    assert set(REQUIRED_MODELS) <= set(model_names())


@pytest.mark.parametrize("name", REQUIRED_ACCELERATORS)
def test_accelerator_figures_are_physical(name):
    chip = accelerator(name)
    assert chip.hbm_gb > 0 and chip.hbm_tb_s > 0 and chip.bf16_tflops > 0
    assert chip.source and chip.quality in ("reported", "chart-read", "derived", "illustrative")
    if chip.fp8_tflops is not None:  # FP8 tensor cores run at twice the BF16 rate on every listed chip
        assert chip.fp8_tflops == pytest.approx(2 * chip.bf16_tflops, rel=0.05)
    if chip.usd_per_hour is not None:
        assert chip.usd_per_hour_source and chip.usd_per_hour_quality


@pytest.mark.parametrize(
    ("name", "precision", "expected_bytes"),
    [
        ("DeepSeek-R1", "bf16", 70_272),  # MLA: (512 + 64) x 61 layers x 2 bytes
        ("DeepSeek-R1", "fp8", 35_136),
        ("Llama-3.1-405B", "bf16", 516_096),  # GQA: 2 x 8 heads x 128 x 126 layers x 2 bytes
        ("Llama-3.1-70B", "bf16", 327_680),  # 2 x 8 x 128 x 80 x 2
        ("LLaMA-7B", "bf16", 524_288),  # full multi-head attention: 2 x 32 x 128 x 32 x 2
        ("Qwen3-235B-A22B", "bf16", 192_512),  # 2 x 4 x 128 x 94 x 2
    ],
)
def test_kv_bytes_per_token_from_architecture(name, precision, expected_bytes):
    assert model(name).kv_bytes_per_token(precision) == expected_bytes


def test_sliding_window_layers_stop_growing_past_the_window():
    spec = model("gpt-oss-120b")
    per_layer_token = spec.kv_elements_per_token_per_layer * 2  # bf16
    short, long = spec.kv_bytes_per_sequence([100, 10_000], "bf16")
    assert short == per_layer_token * 36 * 100  # within the window every layer holds every token
    assert long == per_layer_token * (18 * 10_000 + 18 * 128)


def test_routed_experts_make_one_token_touch_exactly_the_active_parameters():
    for name in ("DeepSeek-R1", "Qwen3-235B-A22B", "gpt-oss-120b"):
        spec = model(name)
        always_on = spec.total_params_b * 1e9 - spec.routed_expert_params
        one_token = always_on + spec.routed_expert_params * spec.n_active_experts / spec.n_routed_experts
        assert one_token == pytest.approx(spec.active_params_b * 1e9)
    assert model("Llama-3.1-70B").routed_expert_params == 0


def test_mla_decode_attention_is_heavier_than_its_small_cache_suggests():
    # Absorbed MLA does 2 x 128 heads x (2 x 512 + 64) FLOPs per cached token and layer,
    # while it reads only (512 + 64) x 2 bytes: about 242 FLOPs per byte, far above GQA's ~1.
    spec = model("DeepSeek-R1")
    flops = spec.decode_attention_flops_per_token(1000)
    kv_bytes = spec.kv_bytes_per_sequence(1000, "bf16")
    assert flops / kv_bytes == pytest.approx(2 * 128 * 1088 / (576 * 2))
    gqa = model("Llama-3.1-70B")
    assert gqa.decode_attention_flops_per_token(1000) / gqa.kv_bytes_per_sequence(1000) == pytest.approx(8.0)


def test_prefill_attention_grows_quadratically():
    spec = model("LLaMA-7B")
    small, large = spec.prefill_attention_flops([1000, 2000])
    assert large == pytest.approx(4 * small)


def test_lookups_ignore_case_and_accept_aliases():
    assert accelerator("h800").name == "H800"
    assert model("DEEPSEEK-V3").name == "DeepSeek-R1"
    assert model("DeepSeek-R1-0528") == model("DeepSeek-R1")


@pytest.mark.parametrize(
    ("lookup", "typo", "suggestion"),
    [
        (accelerator, "H10", "H100-SXM"),
        (accelerator, "MI300", "MI300X"),
        (model, "deepsek-r1", "DeepSeek-R1"),
        (model, "llama-70b", "Llama-3.1-70B"),
    ],
)
def test_unknown_names_raise_key_error_with_close_matches(lookup, typo, suggestion):
    with pytest.raises(KeyError) as error:
        lookup(typo)
    message = str(error.value)
    assert typo in message and "close matches" in message and suggestion in message


def test_missing_tensor_cores_are_a_clear_error():
    with pytest.raises(ValueError, match=r"'fp8' is not available on A100-40GB"):
        accelerator("A100-40GB").peak_tflops("fp8")
    with pytest.raises(ValueError, match="precision must be one of"):
        accelerator("H100-SXM").peak_tflops("int4")
    assert accelerator("B200").peak_tflops("fp4") == 9000


def test_catalog_entries_are_frozen():
    with pytest.raises(AttributeError):
        model("DeepSeek-R1").n_layers = 1


def test_bad_context_is_rejected():
    with pytest.raises(ValueError, match="context_tokens"):
        model("DeepSeek-R1").kv_bytes_per_sequence(-5)
    with pytest.raises(ValueError, match="kv_precision"):
        model("DeepSeek-R1").kv_bytes_per_token("fp16")
    assert np.isfinite(model("DeepSeek-R1").kv_bytes_per_sequence(0))


def test_bytes_per_element_names_the_parameter():
    with pytest.raises(ValueError, match="weight_precision must be one of 'bf16', 'fp8', 'fp4'"):
        catalog.bytes_per_element("int8", "weight_precision")
