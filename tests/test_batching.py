"""The GPU batching model: physical bounds, monotonic trade-offs, memory limits, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenomics import kpi
from tokenomics.batching import (
    Deployment,
    all_reduce_s,
    attention_s,
    critical_batch,
    decode,
    dense_gemm_s,
    expert_exchange_s,
    expert_gemm_s,
    experts_touched_fraction,
    frontier,
    max_batch_size,
    overhead_s,
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
    big = Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=8, per_sequence_overhead_s=0)
    assert decode(big, 2048, 16).bound == "compute"


def test_bound_counts_overhead_and_names_the_largest_part():
    # Batch 1 of DeepSeek-R1 tensor-parallel on 8 H800s: the fixed host time outweighs every other part.
    deployment = Deployment(
        "DeepSeek-R1",
        "H800",
        n_gpus=8,
        weight_precision="fp8",
        step_overhead_s=0.004,
        tp=8,
        collective_latency_s=5e-6,
    )
    step = decode(deployment, 1, 128)
    parts = {name: getattr(step, name) for name in step.COMPONENTS}
    assert step.largest_component == max(parts, key=parts.get).removesuffix("_s")
    assert step.bound == "overhead" and step.largest_component == "overhead"
    total = sum(parts.values()) - step.overlap_s
    assert step.step_s == pytest.approx(total)


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


def test_fp8_weights_on_a_chip_without_fp8_run_weight_only_and_fp8_attention_is_rejected():
    weight_only = Deployment("LLaMA-7B", "A100-80GB", n_gpus=1, weight_precision="fp8")
    assert weight_only.matmul_precision == "bf16"
    assert weight_only.weight_gb_per_gpu == pytest.approx(6.7)
    with pytest.raises(ValueError, match="'fp8' is not available on A100-80GB"):
        Deployment("LLaMA-7B", "A100-80GB", n_gpus=1, fp8_attention=True)


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


# --- Each component against its formula, from first principles --------------------------------

ROOF = {
    "mfu": 1.0,
    "mbu": 1.0,
    "step_overhead_s": 0.0,
    "per_sequence_overhead_s": 0.0,
    "collective_latency_s": 0.0,
    "expert_imbalance": 1.0,
    "low_precision_mfu_ratio": 1.0,
}


def test_dense_gemm_reads_the_weights_once_and_turns_compute_bound_at_the_critical_batch():
    d = Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=4, **ROOF)
    one = dense_gemm_s(d, 1)
    assert one == pytest.approx(70e9 * 2 / 4 / 3.35e12)  # 35 GB per chip at 3.35 TB/s
    b_star = critical_batch(d)["dense"]
    assert b_star == pytest.approx(989 / 3.35 * 2 / 2)  # (FLOP/s / bandwidth) x bytes per weight / 2
    assert dense_gemm_s(d, 0.5 * b_star) == pytest.approx(one)  # memory-bound: flat
    assert dense_gemm_s(d, 2 * b_star) == pytest.approx(2 * one, rel=1e-6)  # compute-bound: linear
    fp8 = Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=4, weight_precision="fp8", **ROOF)
    assert critical_batch(fp8)["dense"] == pytest.approx(b_star, rel=0.01)  # FLOPs and bytes both x2


def test_expert_gemm_sees_tokens_times_k_over_e_and_is_memory_bound_below_its_own_critical_batch():
    d = Deployment("DeepSeek-R1", "H800", n_gpus=144, weight_precision="fp8", **ROOF)
    spec = d.model
    b_star = critical_batch(d)
    assert b_star["experts"] == pytest.approx(b_star["dense"] / 144 * 256 / 8)  # ~9,400 tokens per step
    per_chip_bytes = spec.routed_expert_params / 144  # FP8: one byte per weight
    big = 4 * b_star["experts"]
    flops = 2 * spec.routed_expert_params * 8 / 256 * big / 144
    assert expert_gemm_s(d, big) == pytest.approx(flops / 1979e12)  # compute-bound
    assert expert_gemm_s(d, 100) == pytest.approx(
        per_chip_bytes * experts_touched_fraction(spec, 100) / 3.35e12
    )
    uneven = Deployment(
        "DeepSeek-R1", "H800", n_gpus=144, weight_precision="fp8", **{**ROOF, "expert_imbalance": 1.5}
    )
    assert expert_gemm_s(uneven, big) == pytest.approx(1.5 * expert_gemm_s(d, big))
    assert expert_gemm_s(Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=4), 64) == 0


def test_attention_reads_each_chips_share_of_the_kv_cache_with_replication():
    gqa = Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=8, **ROOF)  # 8 KV heads over 8 chips
    kv = gqa.model.kv_bytes_per_sequence(4096, "bf16")
    assert attention_s(gqa, 64, 4096) == pytest.approx(64 * kv / 8 / 3.35e12)
    # Qwen3-235B has 4 KV heads: on 8 chips each head is held twice.
    qwen = Deployment("Qwen3-235B-A22B", "H200", n_gpus=8, weight_precision="fp8", **ROOF)
    assert qwen.model.n_kv_heads == 4 and qwen.kv_replication == 2
    # An MLA latent is whole on every tensor-parallel chip, split only by data parallelism.
    tp8 = Deployment("DeepSeek-R1", "H200", n_gpus=8, weight_precision="fp8", tp=8, ep=1, **ROOF)
    dp8 = Deployment("DeepSeek-R1", "H200", n_gpus=8, weight_precision="fp8", tp=1, ep=8, **ROOF)
    assert tp8.kv_replication == 8 and dp8.kv_replication == 1
    assert max_batch_size(dp8, 4096) > 4 * max_batch_size(tp8, 4096)
    # BF16 attention by default; FP8 attention doubles the compute roof.
    assert gqa.attention_precision == "bf16"
    fp8 = Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=8, fp8_attention=True, **ROOF)
    huge = attention_s(gqa, 64, 1)  # one token of context: the arithmetic is negligible anyway
    assert attention_s(fp8, 64, 1) <= huge


def test_all_reduce_is_two_rings_per_layer_plus_latency():
    d = Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=4, collective_latency_s=10e-6)
    message = 1000 * 8192 * 2  # tokens x hidden x BF16
    ring = 2 * 3 / 4 * message / 450e9  # 2 (n - 1) / n x bytes / NVLink bandwidth per direction
    assert all_reduce_s(d, 1000) == pytest.approx(2 * 80 * (10e-6 + ring))
    assert all_reduce_s(Deployment("LLaMA-7B", "A100-80GB", n_gpus=1), 1000) == 0


def test_expert_exchange_decode_sends_every_copy_and_prefill_once_per_node():
    d = Deployment("DeepSeek-R1", "H800", n_gpus=144, weight_precision="fp8", collective_latency_s=0)
    tokens = 144 * 128
    copy_bytes = 7168 * (1 + 2)  # FP8 dispatch + BF16 combine
    remote = 128 * 8 * (144 - 8) / 144 * copy_bytes / 50e9  # over InfiniBand
    local = 128 * 8 * 7 / 144 * copy_bytes / 200e9  # over NVLink, at the same time
    assert expert_exchange_s(d, tokens) == pytest.approx(58 * max(remote, local))
    # Prefill: once per remote node, at most 4 nodes of the 18 (expected distinct nodes of 8 experts > 4).
    prefill_remote = 128 * 4 * 17 / 18 * copy_bytes / 50e9
    assert expert_exchange_s(d, tokens, mode="prefill") == pytest.approx(58 * prefill_remote)
    latency = Deployment(
        "DeepSeek-R1", "H800", n_gpus=144, weight_precision="fp8", collective_latency_s=100e-6
    )
    assert expert_exchange_s(latency, 1) == pytest.approx(58 * 2 * 100e-6, rel=0.01)  # the floor
    dense = Deployment("Llama-3.1-405B", "H100-SXM", n_gpus=16, weight_precision="fp8")
    assert expert_exchange_s(dense, 1000) == 0


def test_overlap_hides_expert_traffic_behind_compute():
    kwargs = {"n_gpus": 144, "weight_precision": "fp8"}
    none = decode(Deployment("DeepSeek-R1", "H800", overlap_fraction=0.0, **kwargs), 144 * 64, 4096)
    full = decode(Deployment("DeepSeek-R1", "H800", overlap_fraction=1.0, **kwargs), 144 * 64, 4096)
    compute = none.dense_gemm_s + none.expert_gemm_s + none.attention_s
    assert full.overlap_s == pytest.approx(min(none.expert_exchange_s, compute))
    assert full.step_s == pytest.approx(none.step_s - full.overlap_s)
    assert Deployment("DeepSeek-R1", "H800", engine="deepseek", **kwargs).overlap_fraction == 1.0


def test_overhead_is_fixed_plus_per_sequence_per_scheduler():
    d = Deployment("LLaMA-7B", "A100-80GB", n_gpus=1, step_overhead_s=0.004, per_sequence_overhead_s=1e-5)
    assert overhead_s(d, 100) == pytest.approx(0.004 + 100 * 1e-5)
    dp = Deployment(
        "DeepSeek-R1",
        "H800",
        n_gpus=16,
        weight_precision="fp8",
        step_overhead_s=0.004,
        per_sequence_overhead_s=1e-5,
    )
    assert dp.dp == 16 and overhead_s(dp, 160) == pytest.approx(0.004 + 10 * 1e-5)


def test_default_layouts_and_memory_per_engine():
    assert Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=8).tp == 8
    r1 = Deployment("DeepSeek-R1", "H200", n_gpus=16, weight_precision="fp8")
    assert (r1.tp, r1.ep, r1.dp_attention) == (1, 16, True)
    # Replicated attention does not fit beside 1/8 of the experts on 8 H20s: tensor parallel instead.
    h20 = Deployment("DeepSeek-R1", "H20", n_gpus=8, weight_precision="fp8")
    assert (h20.tp, h20.ep) == (8, 1)
    assert Deployment("LLaMA-7B", "A100-80GB", n_gpus=1, engine="tensorrt_llm").memory_usable_fraction == 0.95
    assert Deployment("LLaMA-7B", "A100-80GB", n_gpus=1, engine="vllm").memory_usable_fraction == 0.9
    with pytest.raises(ValueError, match="tp must divide"):
        Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=8, tp=3)
    with pytest.raises(ValueError, match="engine"):
        Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=8, engine="fastest")
    with pytest.raises(ValueError, match="dp_attention"):
        Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=8, tp=8, dp_attention=True)


def test_speculative_decoding_yields_accepted_tokens_per_step():
    d = Deployment("DeepSeek-R1", "H200", n_gpus=8, weight_precision="fp8")
    plain = decode(d, 64, 2048)
    mtp = decode(d, 64, 2048, draft_tokens=1, accepted_tokens_per_step=1.8)
    assert mtp.step_s > plain.step_s  # the step verifies two tokens per sequence
    assert mtp.tokens_per_s_per_user == pytest.approx(1.8 / mtp.step_s)
    with pytest.raises(ValueError, match="accepted_tokens_per_step"):
        decode(d, 64, 2048, draft_tokens=1, accepted_tokens_per_step=2.5)


def test_bad_network_settings_name_the_parameter():
    with pytest.raises(ValueError, match="network_gb_s"):
        Deployment("DeepSeek-R1", "H800", n_gpus=16, network_gb_s=0)
    with pytest.raises(ValueError, match="gpus_per_node"):
        Deployment("DeepSeek-R1", "H800", n_gpus=16, gpus_per_node=0)
