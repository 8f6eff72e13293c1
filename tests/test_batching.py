"""The GPU batching model: physical bounds, monotonic trade-offs, memory limits, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenomics import kpi
from tokenomics.batching import (
    Deployment,
    decode,
    experts_touched_fraction,
    frontier,
    max_batch_size,
    prefill_s,
    weight_bytes_read,
)
from tokenomics.catalog import accelerator, model

# (model, accelerator, n_gpus, weight precision): configurations where the weights fit.
CONFIGS = [
    ("DeepSeek-R1", "H800", 16, "fp8"),
    ("DeepSeek-R1", "H20", 8, "fp8"),
    ("DeepSeek-R1", "B200", 8, "fp4"),
    ("Llama-3.1-70B", "H100-SXM", 4, "bf16"),
    ("Llama-3.1-405B", "MI300X", 8, "fp8"),
    ("LLaMA-7B", "A100-80GB", 1, "bf16"),
    ("Qwen3-235B-A22B", "H200", 4, "fp8"),
    ("gpt-oss-120b", "H100-SXM", 2, "fp8"),
    ("Llama-3.1-70B", "TPU-v6e", 8, "bf16"),
]

deployments = st.builds(
    lambda config, mfu, mbu, overhead: Deployment(
        config[0],
        config[1],
        n_gpus=config[2],
        weight_precision=config[3],
        mfu=mfu,
        mbu=mbu,
        step_overhead_s=overhead,
    ),
    st.sampled_from(CONFIGS),
    st.floats(0.05, 1.0),
    st.floats(0.05, 1.0),
    st.floats(0.0, 0.05),
)
batches = st.integers(1, 4096)
contexts = st.integers(1, 32_768)


@settings(max_examples=200, deadline=None)
@given(deployments, batches, contexts)
def test_step_is_never_faster_than_the_roofs(deployment, batch, context):
    context = min(context, deployment.model.max_context_tokens)
    step = decode(deployment, batch, context)
    chip = deployment.accelerator
    n = deployment.n_gpus
    weights_at_full_bandwidth_s = weight_bytes_read(deployment, batch) / (n * chip.hbm_tb_s * 1e12)
    matmul_flops = 2 * deployment.model.active_params_b * 1e9 * batch
    flops_at_peak_s = matmul_flops / (n * chip.peak_tflops(deployment.weight_precision) * 1e12)
    assert step.step_s >= weights_at_full_bandwidth_s
    assert step.step_s >= flops_at_peak_s
    assert step.tokens_per_s_per_user == pytest.approx(1 / step.step_s)


@settings(max_examples=150, deadline=None)
@given(deployments, contexts, st.integers(1, 2048), st.integers(1, 2048))
def test_bigger_batches_are_cheaper_per_token_and_slower_per_user(deployment, context, b1, b2):
    context = min(context, deployment.model.max_context_tokens)
    small, large = sorted((b1, b2))
    step = decode(deployment, [small, large], context)
    per_gpu, per_user = step.tokens_per_s_per_gpu, step.tokens_per_s_per_user
    assert per_gpu[1] >= per_gpu[0] * (1 - 1e-12)
    assert per_user[1] <= per_user[0] * (1 + 1e-12)


@settings(max_examples=150, deadline=None)
@given(deployments, st.integers(1, 32_768), st.integers(1, 32_768))
def test_max_batch_shrinks_as_context_grows(deployment, c1, c2):
    short, long = sorted((c1, c2))
    limit = min(deployment.model.max_context_tokens, 32_768)
    short, long = min(short, limit), min(long, limit)
    at_short, at_long = max_batch_size(deployment, [short, long])
    assert at_long <= at_short


@pytest.mark.parametrize("config", CONFIGS)
def test_max_batch_is_exactly_the_memory_limit(config):
    deployment = Deployment(config[0], config[1], n_gpus=config[2], weight_precision=config[3])
    largest = max_batch_size(deployment, 2048)
    assert largest >= 1
    fits = decode(deployment, [largest, largest + 1], 2048).fits
    assert fits.tolist() == [True, False]


def test_moe_experts_touched_matches_the_worked_figures():
    touched = experts_touched_fraction(model("DeepSeek-R1"), [10, 64, 200])
    assert touched[0] == pytest.approx(0.27, abs=0.005)
    assert touched[1] == pytest.approx(0.87, abs=0.005)
    assert touched[2] > 0.998
    assert experts_touched_fraction(model("Llama-3.1-70B"), 1) == 1.0


def test_moe_needs_big_batches_to_amortise_its_weights():
    # Weight bytes per token fall by far more for the MoE model than the KV traffic rises.
    deployment = Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8")
    per_token = weight_bytes_read(deployment, [1, 1024]) / np.array([1, 1024])
    assert per_token[0] / per_token[1] > 50


def test_decode_broadcasts_batch_against_context():
    deployment = Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=4)
    step = decode(deployment, np.array([[1], [8], [64]]), [512, 1024, 4096, 8192])
    assert step.step_s.shape == (3, 4)
    assert step.bound.shape == (3, 4)
    assert np.all(np.diff(step.step_s, axis=1) > 0)  # longer contexts read more KV


def test_small_batches_are_memory_bound_and_huge_dense_batches_compute_bound():
    deployment = Deployment("LLaMA-7B", "A100-80GB", n_gpus=1)
    assert decode(deployment, 1, 128).bound == "memory"
    assert decode(Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=8), 2048, 16).bound == "compute"


def test_cost_per_million_tokens_uses_the_kpi_formula():
    deployment = Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8")
    step = decode(deployment, 512, 4096)
    expected = kpi.cost_usd_per_mtok(2.0, step.tokens_per_s_per_gpu)
    assert step.usd_per_mtok == pytest.approx(expected)
    cheaper = Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8", usd_per_gpu_hour=1.0)
    assert decode(cheaper, 512, 4096).usd_per_mtok == pytest.approx(expected / 2)


def test_unknown_price_is_a_clear_error_only_when_a_price_is_needed():
    deployment = Deployment("DeepSeek-R1", "H20", n_gpus=8, weight_precision="fp8")
    step = decode(deployment, 8, 4096)
    assert step.tokens_per_s_per_gpu > 0
    with pytest.raises(ValueError, match="usd_per_gpu_hour"):
        _ = step.usd_per_mtok


def test_prefill_is_compute_bound_and_grows_with_the_prompt():
    deployment = Deployment("LLaMA-7B", "A100-80GB", n_gpus=1)
    short, long = prefill_s(deployment, [512, 2048])
    assert long > 3.5 * short
    flops = 2 * 6.7e9 * 2048 + model("LLaMA-7B").prefill_attention_flops(2048)
    assert long >= flops / (accelerator("A100-80GB").bf16_tflops * 1e12)
    assert prefill_s(deployment, 512, batch_size=4) > short


def test_frontier_trades_interactivity_for_throughput():
    deployment = Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8")
    points = frontier(deployment, context_tokens=4096, n_points=30)
    assert points.fits.all()
    assert np.all(np.diff(points.tokens_per_s_per_gpu) > 0)
    assert np.all(np.diff(points.tokens_per_s_per_user) < 0)
    assert np.all(np.diff(points.usd_per_mtok) < 0)
    assert points.batch_size[-1] == max_batch_size(deployment, 4096)


def test_frontier_explains_when_nothing_fits():
    deployment = Deployment("Llama-3.1-405B", "A100-40GB", n_gpus=1)
    assert max_batch_size(deployment, 1024) == 0
    with pytest.raises(ValueError, match="not one sequence fits"):
        frontier(deployment, 1024)


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({"n_gpus": 0}, "n_gpus"),
        ({"n_gpus": 2.5}, "n_gpus"),
        ({"weight_precision": "int3"}, "weight_precision"),
        ({"kv_precision": "fp16"}, "kv_precision"),
        ({"mfu": 0}, "mfu"),
        ({"mbu": 1.5}, "mbu"),
        ({"step_overhead_s": -0.001}, "step_overhead_s"),
        ({"memory_usable_fraction": 0}, "memory_usable_fraction"),
        ({"usd_per_gpu_hour": -2}, "usd_per_gpu_hour"),
        ({"usd_per_gpu_hour": float("nan")}, "usd_per_gpu_hour"),
    ],
)
def test_bad_deployments_name_the_parameter(kwargs, parameter):
    with pytest.raises(ValueError, match=parameter):
        Deployment("Llama-3.1-70B", "H100-SXM", **kwargs)


def test_fp8_on_a_chip_without_fp8_is_rejected():
    with pytest.raises(ValueError, match="'fp8' is not available on A100-80GB"):
        Deployment("LLaMA-7B", "A100-80GB", n_gpus=1, weight_precision="fp8")


def test_unknown_model_or_chip_names_raise_key_error():
    with pytest.raises(KeyError, match="H10"):
        Deployment("LLaMA-7B", "H10")
    with pytest.raises(ValueError, match="model must be"):
        Deployment(42, "H100-SXM")


@pytest.mark.parametrize(
    ("batch", "context", "message"),
    [
        (0, 1024, r"batch_size must be a whole number >= 1 \(got 0\)"),
        (-3, 1024, "batch_size"),
        (1.5, 1024, "batch_size"),
        (float("nan"), 1024, "batch_size must not contain NaN"),
        ("eight", 1024, "batch_size must be a number"),
        (8, 0, "context_tokens"),
        (8, 200_000, r"context_tokens must be <= 131,072, the context window of Llama-3.1-70B"),
    ],
)
def test_bad_decode_inputs_name_the_parameter_and_value(batch, context, message):
    deployment = Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=4)
    with pytest.raises(ValueError, match=message):
        decode(deployment, batch, context)


def test_bad_prefill_and_max_batch_inputs():
    deployment = Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=4)
    with pytest.raises(ValueError, match="prompt_tokens"):
        prefill_s(deployment, 500_000)
    with pytest.raises(ValueError, match="batch_size"):
        prefill_s(deployment, 512, batch_size=0)
    with pytest.raises(ValueError, match="context_tokens"):
        max_batch_size(deployment, -1)
    with pytest.raises(ValueError, match="n_points"):
        frontier(deployment, 1024, n_points=1)


def test_network_time_appears_only_for_moe_across_nodes():
    one_node = Deployment("DeepSeek-R1", "H800", n_gpus=8, weight_precision="fp8")
    assert decode(one_node, 64, 4096).network_s == 0
    dense = Deployment("Llama-3.1-405B", "H100-SXM", n_gpus=16, weight_precision="fp8")
    assert decode(dense, 64, 4096).network_s == 0
    ep144 = Deployment("DeepSeek-R1", "H800", n_gpus=144, weight_precision="fp8")
    step = decode(ep144, 144 * 64, 4096)
    # 64 tokens per GPU x 58 MoE layers x 8 experts x 7,168 x (1 + 2) bytes x (1 - 8/144) / 50 GB/s
    expected_s = 64 * 58 * 8 * 7168 * 3 * (1 - 8 / 144) / 50e9
    assert step.network_s == pytest.approx(expected_s)
    assert step.step_s > step.network_s
    faster = Deployment("DeepSeek-R1", "H800", n_gpus=144, weight_precision="fp8", network_gb_s=100)
    assert decode(faster, 144 * 64, 4096).network_s == pytest.approx(expected_s / 2)


def test_bad_network_settings_name_the_parameter():
    with pytest.raises(ValueError, match="network_gb_s"):
        Deployment("DeepSeek-R1", "H800", n_gpus=16, network_gb_s=0)
    with pytest.raises(ValueError, match="gpus_per_node"):
        Deployment("DeepSeek-R1", "H800", n_gpus=16, gpus_per_node=0)
