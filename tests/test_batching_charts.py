"""The GPU batching lesson's chart builders: the right rows (as the models compute them), titles with
units, a description, tooltips, data quality on the marks, and clear errors for bad input."""

import numpy as np
import pytest
from chart_specs import find, main_dataset
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenomics import queueing
from tokenomics.batching import Deployment, decode, frontier, max_batch_size, prefill_s
from tokenomics.catalog import accelerator_names
from tokenomics.charts.batching import (
    BOUNDS,
    MEMORY_PARTS,
    critical_batch,
    frontier_chart,
    frontier_data,
    memory_chart,
    memory_data,
    price_quality,
    published_day_rows,
    queue_chart,
    queue_data,
    refresh_frontier_chart,
    refresh_memory_chart,
    refresh_queue_chart,
    roofline_chart,
    roofline_data,
    service_time_s,
)

R1 = Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8")
LLAMA = Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=4)


def test_frontier_rows_are_the_models_frontier():
    rows = frontier_data(LLAMA, 2048)
    step = frontier(LLAMA, 2048)
    model = rows[rows["kind"] == "model"]
    np.testing.assert_allclose(model["tokens_per_s_per_gpu"], step.tokens_per_s_per_gpu)
    np.testing.assert_allclose(model["tokens_per_s_per_user"], step.tokens_per_s_per_user)
    np.testing.assert_allclose(model["usd_per_mtok"], step.usd_per_mtok)
    assert model["batch_size"].max() == max_batch_size(LLAMA, 2048)
    assert model["is_max_batch"].sum() == 1 and model.iloc[-1]["is_max_batch"]
    assert set(rows["kind"]) == {"model"}, "the published day belongs to DeepSeek-R1 only"
    assert set(model["quality"]) == {"reported"}


def test_deepseek_frontier_carries_its_published_day():
    rows = frontier_data(R1, 4096)
    published = rows[rows["kind"] == "published"]
    assert published["tokens_per_s_per_user"].tolist() == [20.0, 22.0]
    assert published["tokens_per_s_per_gpu"].tolist() == [14_800 / 8] * 2
    assert set(published["quality"]) == {"derived"}
    assert published_day_rows()["bound"].unique().tolist() == [BOUNDS[-1]]


def test_a_price_of_your_own_is_illustrative():
    assert price_quality(R1) == "reported"
    assert price_quality(Deployment("DeepSeek-R1", "H800", weight_precision="fp8", usd_per_gpu_hour=2.5)) == (
        "illustrative"
    )
    h20 = Deployment("DeepSeek-R1", "H20", n_gpus=8, weight_precision="fp8", usd_per_gpu_hour=1.0)
    rows = frontier_data(h20, 4096)
    assert set(rows[rows["kind"] == "model"]["quality"]) == {"illustrative"}


def test_frontier_chart_has_units_description_tooltips_and_quality():
    spec = frontier_chart(frontier_data(R1, 4096)).to_dict()
    assert spec["title"]["text"] == "Tokens/s per GPU vs tokens/s per user"
    titles = list(find(spec, "title"))
    assert "tokens/s per user (interactivity)" in titles
    assert "output tokens/s per GPU (throughput)" in titles
    assert "Batch 1" in spec["description"] and "per million" in spec["description"]
    tooltip_titles = [t["title"] for tips in find(spec, "tooltip") for t in tips]
    assert any("$ per M output tokens" in t for t in tooltip_titles)
    assert "data quality" in tooltip_titles
    assert [s["legend"]["title"] for s in find(spec, "shape")] == ["data quality"]
    records = main_dataset(spec)
    assert len(records) == len(frontier_data(R1, 4096))


def test_refreshing_the_frontier_swaps_only_the_data():
    old = frontier_chart(frontier_data(R1, 4096))
    new = refresh_frontier_chart(old, frontier_data(R1, 32_768), "new title")
    assert new.data["batch_size"].max() < old.data["batch_size"].max()
    assert new.to_dict()["title"]["text"] == "new title"
    assert old.to_dict()["title"]["text"] == "Tokens/s per GPU vs tokens/s per user"
    assert new.to_dict()["layer"] == old.to_dict()["layer"]


def test_roofline_rows_and_the_critical_batch():
    rows = roofline_data(LLAMA, 1024, [1, 64, 512])
    step = decode(LLAMA, [1, 64, 512], 1024)
    memory = rows[rows["roof"] == "memory roof"]["time_ms"].to_numpy()
    np.testing.assert_allclose(memory, 1e3 * step.memory_s)
    # With the roofs alone (no host time, no collective latency) the summed roofs cross.
    roofs_only = Deployment(
        "Llama-3.1-70B", "H100-SXM", n_gpus=4, mfu=1, mbu=1, per_sequence_overhead_s=0, collective_latency_s=0
    )
    batch = critical_batch(roofs_only, 1024)
    at = decode(roofs_only, [batch - 1, batch], 1024)
    assert (at.compute_s >= at.memory_s).tolist() == [False, True]
    assert critical_batch(R1, 4096, largest=64) is None
    spec = roofline_chart(rows).to_dict()
    assert spec["encoding"]["y"]["title"] == "time of one decode step, ms"
    # one quality (a model computation on reported specifications): no quality legend, and the
    # subtitle says what the values are
    assert spec["encoding"]["strokeDash"]["legend"] is None
    assert spec["title"]["subtitle"] == "model computation from the catalog's chip and model specifications"
    assert spec["description"].startswith("Line chart")


def test_memory_rows_match_max_batch_size_on_every_chip():
    rows = memory_data("Llama-3.1-70B", 8192, n_gpus=4)
    assert rows["accelerator"].unique().tolist() == accelerator_names()
    for chip, group in rows.groupby("accelerator"):
        assert group["part"].tolist() == list(MEMORY_PARTS)
        expected = max_batch_size(Deployment("Llama-3.1-70B", chip, n_gpus=4), 8192)
        assert group["max_batch"].iloc[0] == expected
        assert group["gb_per_gpu"].min() >= 0
    fp8 = memory_data("Llama-3.1-70B", 8192, n_gpus=4, weight_precision="fp8")
    # No FP8 tensor cores on an A100: the weights are stored in FP8 and computed in BF16.
    assert "A100-40GB" in set(fp8["accelerator"])


def test_memory_chart_has_two_panels_with_units_and_quality():
    rows = memory_data("DeepSeek-R1", 4096, n_gpus=8, weight_precision="fp8")
    spec = memory_chart(rows).to_dict()
    assert spec["title"]["text"] == "Largest batch that fits in memory (sequences per replica)"
    titles = list(find(spec, "title"))
    assert "memory per GPU, GB" in titles and "largest batch, sequences per replica" in titles
    assert "data quality" in [s["legend"]["title"] for s in find(spec, "shape") if isinstance(s, dict)]
    assert "chips" in spec["description"]
    new = refresh_memory_chart(
        memory_chart(rows), memory_data("DeepSeek-R1", 65_536, n_gpus=8, weight_precision="fp8")
    )
    assert new.data["max_batch"].max() < rows["max_batch"].max()
    rebuilt = refresh_memory_chart(
        memory_chart(rows), memory_data("LLaMA-7B", 1024, accelerators=["H100-SXM"])
    )
    assert rebuilt.data["accelerator"].unique().tolist() == ["H100-SXM"]


def test_queue_rows_are_erlang_c_plus_prefill():
    rows = queue_data(R1, 64, 2048, 1024, 0.9)
    service = service_time_s(R1, 64, 2048, 1024)
    step = decode(R1, 64, 2048 + 512)
    assert service == pytest.approx(prefill_s(R1, 2048) + 1024 / step.tokens_per_s_per_user)
    now = rows[rows["is_current"]].set_index("measure")
    rate = 0.9 * 64 / service
    assert now.loc["mean TTFT", "ttft_s"] == pytest.approx(
        queueing.mean_ttft_s(64, rate, service, prefill_s(R1, 2048))
    )
    p95 = queueing.wait_quantile_s(64, rate, service, 0.95) + prefill_s(R1, 2048)
    assert now.loc["95th percentile TTFT", "ttft_s"] == pytest.approx(p95)
    assert set(rows["quality"]) == {"illustrative"}
    spec = queue_chart(rows).to_dict()
    assert spec["layer"][0]["encoding"]["x"]["title"] == "utilization of the batch slots, %"
    # every value illustrative: no quality legend, the subtitle says it once
    assert spec["layer"][0]["encoding"]["strokeDash"]["legend"] is None
    assert "illustrative" in str(spec["title"]["subtitle"])
    assert "illustrative" in spec["title"]["subtitle"].lower() and "Illustrative" in spec["description"]
    new = refresh_queue_chart(queue_chart(rows), queue_data(R1, 64, 2048, 1024, 0.97))
    assert new.data[new.data["is_current"]]["ttft_s"].min() > now["ttft_s"].min()


@pytest.mark.parametrize(
    "call, parameter",
    [
        (
            lambda: frontier_data(Deployment("DeepSeek-R1", "H20", n_gpus=8, weight_precision="fp8"), 4096),
            "usd_per_gpu_hour",
        ),
        (lambda: frontier_data(Deployment("DeepSeek-R1", "H100-SXM", n_gpus=1), 4096), "context_tokens"),
        (lambda: frontier_data(R1, 10**6), "context_tokens"),
        (lambda: frontier_data(R1, 4096, n_points=1), "n_points"),
        (lambda: roofline_data(R1, 4096, [0, 4]), "batch_size"),
        (lambda: critical_batch(R1, 4096, largest=0), "largest"),
        (lambda: memory_data("DeepSeek-R1", 4096, kv_precision="int3"), "kv_precision"),
        (lambda: memory_data("DeepSeek-R1", -5), "context_tokens"),
        (
            lambda: memory_data("DeepSeek-R1", 4096, weight_precision="int3", accelerators=["H100-SXM"]),
            "weight_precision",
        ),
        (lambda: queue_data(R1, 64, 2048, 1024, 1.0), "utilization"),
        (lambda: queue_data(R1, 0, 2048, 1024, 0.5), "servers"),
        (lambda: queue_data(R1, 64, 2048, 0, 0.5), "output_tokens"),
        (lambda: service_time_s(R1, 100_000, 2048, 1024), "servers"),
        (lambda: service_time_s(R1, 8, 2.5, 1024), "prompt_tokens"),
    ],
)
def test_bad_input_is_a_value_error_naming_the_parameter(call, parameter):
    with pytest.raises(ValueError, match=parameter):
        call()


@pytest.mark.parametrize("builder", [frontier_chart, memory_chart, queue_chart, roofline_chart])
def test_charts_refuse_rows_from_elsewhere(builder):
    with pytest.raises(ValueError, match="rows"):
        builder(published_day_rows().iloc[0:0].drop(columns=["kind"]))


@settings(max_examples=25, deadline=None)
@given(
    model_name=st.sampled_from(["DeepSeek-R1", "Llama-3.1-70B", "Qwen3-235B-A22B", "gpt-oss-120b"]),
    chip=st.sampled_from(["H100-SXM", "H200", "B200", "MI300X"]),
    context=st.integers(256, 40_960),
)
def test_frontier_trades_speed_per_user_for_throughput(model_name, chip, context):
    deployment = Deployment(model_name, chip, n_gpus=16, weight_precision="fp8")
    rows = frontier_data(deployment, context)
    model = rows[rows["kind"] == "model"]
    assert (np.diff(model["tokens_per_s_per_user"]) <= 1e-9).all()
    assert (np.diff(model["tokens_per_s_per_gpu"]) >= -1e-9).all()
    assert (np.diff(model["usd_per_mtok"]) <= 1e-12).all()
    assert np.isfinite(model.select_dtypes("number").to_numpy(dtype=float)).all()


@settings(max_examples=25, deadline=None)
@given(short=st.integers(256, 16_384), extra=st.integers(1, 16_384), n_gpus=st.sampled_from([1, 8, 16, 144]))
def test_a_longer_context_never_fits_more_sequences(short, extra, n_gpus):
    few = memory_data("Qwen3-235B-A22B", short + extra, n_gpus=n_gpus)
    many = memory_data("Qwen3-235B-A22B", short, n_gpus=n_gpus)
    assert (few["max_batch"].to_numpy() <= many["max_batch"].to_numpy()).all()
    assert (few["gb_per_gpu"] >= 0).all()


@settings(max_examples=25, deadline=None)
@given(servers=st.integers(1, 256), low=st.floats(0.05, 0.9), gap=st.floats(0.01, 0.09))
def test_waiting_only_grows_as_the_slots_fill(servers, low, gap):
    rows = queue_data(R1, servers, 2048, 1024, low)
    mean = rows[rows["measure"] == "mean TTFT"]
    assert (np.diff(mean["ttft_s"]) >= -1e-12).all()
    assert (rows["ttft_s"] >= rows["prefill_s"]).all()
    busier = queue_data(R1, servers, 2048, 1024, low + gap)
    now = lambda r: r[r["is_current"] & (r["measure"] == "mean TTFT")]["ttft_s"].item()  # noqa: E731
    assert now(busier) >= now(rows)
