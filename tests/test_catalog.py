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
    "GB200",
    "GB300",
    "B300",
    "MI355X",
    "Ascend-910B",
    "Ascend-910C",
    "L40S",
    "RTX-PRO-6000",
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
    "Llama-2-13B",
    "Llama-2-70B",
    "Llama-3.1-8B",
    "Llama-3.3-70B",
    "Llama-4-Scout",
    "Llama-4-Maverick",
    "Mistral-7B",
    "Mixtral-8x7B",
    "Mixtral-8x22B",
    "Qwen2.5-7B",
    "Qwen2.5-72B",
    "Qwen3-8B",
    "Qwen3-32B",
    "Qwen3-30B-A3B",
    "Kimi-K2",
    "gpt-oss-20b",
    "GPT-J-6B",
]


def test_catalogs_hold_every_required_entry():
    assert set(REQUIRED_ACCELERATORS) <= set(accelerator_names())
    assert set(REQUIRED_MODELS) <= set(model_names())


def test_the_chip_catalog_has_at_least_eighteen_chips():
    assert len(accelerator_names()) >= 18


@pytest.mark.parametrize("name", accelerator_names())
def test_accelerator_figures_are_physical(name):
    chip = accelerator(name)
    assert chip.hbm_gb > 0 and chip.hbm_tb_s > 0 and chip.bf16_tflops > 0
    assert chip.source and chip.quality in ("reported", "chart-read", "derived", "illustrative")
    if chip.fp8_tflops is not None:  # FP8 tensor cores run at twice the BF16 rate on every listed chip
        assert chip.fp8_tflops == pytest.approx(2 * chip.bf16_tflops, rel=0.05)
    if chip.usd_per_hour is not None:
        assert chip.usd_per_hour_source and chip.usd_per_hour_quality
    if chip.fp4_tflops is not None:
        assert chip.fp4_tflops >= chip.fp8_tflops
    assert chip.scale_up_link.strip()
    for bandwidth in (chip.scale_up_gb_s, chip.scale_out_gb_s):
        assert bandwidth is None or 0 < bandwidth < chip.hbm_tb_s * 1000  # links are slower than HBM
    if chip.scale_out_gb_s is None or chip.scale_up_gb_s is None or chip.scale_up_domain_chips is None:
        assert (
            "No source" in chip.notes or "placeholder" in chip.notes or "no scale-out" in chip.notes.lower()
        )


@pytest.mark.parametrize(
    ("name", "domain", "scale_up_gb_s"),
    [("GB200", 72, 900), ("GB300", 72, 900), ("B300", 8, 900), ("H100-SXM", 8, 450), ("MI355X", 8, 576)],
)
def test_scale_up_domains_and_bandwidth_per_direction(name, domain, scale_up_gb_s):
    chip = accelerator(name)
    assert (chip.scale_up_domain_chips, chip.scale_up_gb_s) == (domain, scale_up_gb_s)
    if chip.interconnect_gb_s is not None:  # NVLink's stated figure is the bidirectional total
        assert chip.interconnect_gb_s == 2 * chip.scale_up_gb_s


def test_every_price_is_dated_or_says_its_catalog_is_undated():
    for name in accelerator_names():
        chip = accelerator(name)
        if chip.usd_per_hour is not None and not chip.usd_per_hour_date:
            assert "undated" in chip.notes, name


def test_blackwell_ultra_raises_only_fp4():
    b200, b300 = accelerator("B200"), accelerator("B300")
    assert (b300.bf16_tflops, b300.fp8_tflops) == (b200.bf16_tflops, b200.fp8_tflops)
    assert b300.fp4_tflops == 1.5 * b200.fp4_tflops
    assert accelerator("GB300").fp4_tflops == 1.5 * accelerator("GB200").fp4_tflops


def test_export_control_chips_have_no_fp8_where_no_source_gives_it():
    for name in ("Ascend-910B", "Ascend-910C"):
        with pytest.raises(ValueError, match="'fp8' is not available"):
            accelerator(name).peak_tflops("fp8")


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
