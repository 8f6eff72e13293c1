"""The GPU batching dashboards driven without a browser: move every control, check the chart's data
against the models, and try 200 random settings on each."""

import math

import altair as alt
import numpy as np
import pytest
from chart_specs import main_dataset

from tokenomics import queueing
from tokenomics.batching import Deployment, frontier, max_batch_size, prefill_s
from tokenomics.catalog import accelerator, accelerator_names, model, model_names
from tokenomics.charts.batching import service_time_s
from tokenomics.dashboards.batching import (
    GPU_COUNTS,
    frontier_dashboard,
    memory_dashboard,
    queue_dashboard,
)


def chart_rows(board) -> list[dict]:
    """The chart's rows as the browser receives them."""
    return main_dataset(board.chart_widget.spec)


def model_points(board) -> list[dict]:
    return [row for row in chart_rows(board) if row["kind"] == "model"]


def max_batches(board) -> dict[str, int]:
    return {row["accelerator"]: row["max_batch"] for row in chart_rows(board) if row["part"] == "weights"}


def current(board, measure: str) -> float:
    rows = [r for r in chart_rows(board) if r["is_current"] and r["measure"] == measure]
    return rows[0]["ttft_s"]


@pytest.fixture
def front():
    return frontier_dashboard()


@pytest.fixture
def memory():
    return memory_dashboard()


@pytest.fixture
def queue():
    return queue_dashboard()


# ---------------------------------------------------------------- frontier


def expected_frontier(board, **changes):
    settings = {
        "model": board.pickers["model"].value,
        "accelerator": board.pickers["accelerator"].value,
        "n_gpus": board.pickers["n_gpus"].value,
        "weight_precision": board.pickers["weight_precision"].value,
        "usd_per_gpu_hour": board.sliders["usd_per_gpu_hour"].value,
    }
    deployment = Deployment(
        settings["model"],
        settings["accelerator"],
        n_gpus=settings["n_gpus"],
        weight_precision=settings["weight_precision"],
        usd_per_gpu_hour=settings["usd_per_gpu_hour"],
    )
    return frontier(deployment, board.sliders["context_tokens"].value)


def test_the_frontier_starts_on_deepseeks_h800s(front):
    assert front.pickers["accelerator"].value == "H800"
    assert front.sliders["usd_per_gpu_hour"].value == 2.0 and front.price_quality == "reported"
    step = expected_frontier(front)
    assert [r["tokens_per_s_per_gpu"] for r in model_points(front)] == pytest.approx(
        step.tokens_per_s_per_gpu
    )
    assert "catalog's reference price (reported)" in front.readout.value
    assert any(r["kind"] == "published" for r in chart_rows(front))
    assert isinstance(front.chart_widget, alt.JupyterChart) and type(front.chart_widget)._is_offline


@pytest.mark.parametrize(
    "control, value",
    [
        ("model", "Qwen3-235B-A22B"),
        ("accelerator", "B200"),
        ("n_gpus", 64),
        ("weight_precision", "bf16"),
        ("context_tokens", 16_384),
        ("usd_per_gpu_hour", 3.5),
    ],
)
def test_every_frontier_control_moves_the_chart_as_the_model_says(front, control, value):
    front.pickers["n_gpus"].value = 32  # room for BF16 weights too
    before = model_points(front)
    {**front.pickers, **front.sliders}[control].value = value
    after = model_points(front)
    assert after != before
    step = expected_frontier(front)
    assert [r["tokens_per_s_per_user"] for r in after] == pytest.approx(step.tokens_per_s_per_user)
    assert [r["usd_per_mtok"] for r in after] == pytest.approx(step.usd_per_mtok)
    assert front.error == ""


def test_a_chip_without_a_price_keeps_the_students_price_labelled_illustrative(front):
    front.sliders["usd_per_gpu_hour"].value = 1.25
    front.pickers["accelerator"].value = "H20"
    assert front.sliders["usd_per_gpu_hour"].value == 1.25
    assert front.price_quality == "illustrative"
    assert {r["quality"] for r in model_points(front)} == {"illustrative"}
    assert "no price for H20" in front.readout.value
    front.pickers["accelerator"].value = "B200"
    assert front.sliders["usd_per_gpu_hour"].value == 2.34 and front.price_quality == "reported"


def test_a_deployment_that_cannot_run_explains_why_and_keeps_the_chart(front):
    before = chart_rows(front)
    front.set_values(accelerator="H100-SXM", n_gpus=1, weight_precision="bf16")
    assert "Cannot run" in front.readout.value and "not one sequence fits" in front.error
    assert chart_rows(front) == before
    front.pickers["weight_precision"].value = "fp4"  # stored in FP4, computed in BF16: still too big
    assert "not one sequence fits" in front.error
    front.set_values(n_gpus=16, weight_precision="fp8")
    assert front.error == "" and chart_rows(front) != before


def test_picking_a_short_window_model_shrinks_the_context(front):
    front.sliders["context_tokens"].value = 65_536
    front.pickers["model"].value = "LLaMA-7B"
    assert front.sliders["context_tokens"].max == model("LLaMA-7B").max_context_tokens
    assert front.sliders["context_tokens"].value == 2048
    assert front.error == ""


# ---------------------------------------------------------------- memory


@pytest.mark.parametrize(
    "control, value",
    [
        ("model", "Llama-3.1-70B"),
        ("n_gpus", 16),
        ("weight_precision", "bf16"),
        ("kv_precision", "fp8"),
        ("context_tokens", 32_768),
    ],
)
def test_every_memory_control_moves_the_chart_as_the_model_says(memory, control, value):
    before = max_batches(memory)
    {**memory.pickers, **memory.sliders}[control].value = value
    after = max_batches(memory)
    assert after != before
    p = memory.pickers
    for chip, batch in after.items():
        deployment = Deployment(
            p["model"].value,
            chip,
            n_gpus=p["n_gpus"].value,
            weight_precision=p["weight_precision"].value,
            kv_precision=p["kv_precision"].value,
        )
        assert batch == max_batch_size(deployment, memory.sliders["context_tokens"].value)


def test_memory_readout_names_the_chips_left_out(memory):
    # FP8 weights on an A100 (no FP8 tensor cores) run weight-only: stored in FP8, computed in BF16.
    assert "A100-40GB" in max_batches(memory)
    memory.pickers["weight_precision"].value = "bf16"
    assert set(max_batches(memory)) == set(accelerator_names())
    assert "Left out" not in memory.readout.value


# ---------------------------------------------------------------- queue


@pytest.mark.parametrize(
    "control, value",
    [("servers", 16), ("utilization", 0.97), ("prompt_tokens", 8_192), ("output_tokens", 4_096)],
)
def test_every_queue_control_moves_the_chart_as_the_model_says(queue, control, value):
    before = current(queue, "mean TTFT")
    queue.sliders[control].value = value
    s = {name: slider.value for name, slider in queue.sliders.items()}
    service = service_time_s(queue.deployment, s["servers"], s["prompt_tokens"], s["output_tokens"])
    rate = s["utilization"] * s["servers"] / service
    prefill = prefill_s(queue.deployment, s["prompt_tokens"])
    expected = queueing.mean_ttft_s(s["servers"], rate, service, prefill)
    assert current(queue, "mean TTFT") == pytest.approx(expected)
    assert current(queue, "mean TTFT") != pytest.approx(before)
    p95 = queueing.wait_quantile_s(s["servers"], rate, service, 0.95) + prefill
    assert current(queue, "95th percentile TTFT") == pytest.approx(p95)


def test_the_queue_knee_seconds_of_waiting_near_full(queue):
    queue.set_values(servers=64, utilization=0.5)
    calm = current(queue, "mean TTFT")
    queue.sliders["utilization"].value = 0.99
    assert current(queue, "mean TTFT") > 1.0 > calm
    assert "requests/s" in queue.readout.value and "illustrative" in queue.readout.value


# ---------------------------------------------------------------- random settings


def random_value(control, rng):
    if hasattr(control, "options") and control.options:
        options = [option[1] if isinstance(option, tuple) else option for option in control.options]
        return options[int(rng.integers(len(options)))]
    steps = int(round((control.max - control.min) / control.step))
    return type(control.value)(round(control.min + control.step * int(rng.integers(steps + 1)), 6))


def check(rows, readout: str) -> None:
    assert len(rows) > 0
    numbers = rows.select_dtypes("number").to_numpy(dtype=float).ravel()
    assert numbers.size and np.isfinite(numbers).all()
    assert "nan" not in readout.lower() and "inf " not in readout.lower()


@pytest.mark.parametrize("make", [frontier_dashboard, memory_dashboard, queue_dashboard])
def test_200_random_settings_never_break_the_chart(make):
    """Every setting moves all controls at once; every 20th is redrawn through the widget (a redraw
    takes about 25 ms, the rows alone a few)."""
    board = make()
    rng = np.random.default_rng(2025)
    controls = {**board.pickers, **board.sliders}
    for i in range(200):
        values = {name: random_value(control, rng) for name, control in controls.items()}
        if "model" in values:  # pick the model first: its window bounds the context slider
            values = {"model": values.pop("model"), **values}
        board.set_values(redraw=i % 20 == 0, **values)
        if i % 20:
            try:
                rows = board.compute_rows()
            except ValueError as error:  # a deployment that cannot run (frontier only)
                assert make is frontier_dashboard and str(error)
                continue
            check(rows, board.readout.value)
        else:
            spec_rows = chart_rows(board)
            assert spec_rows, "never an empty chart"
            numbers = [v for row in spec_rows for v in row.values() if isinstance(v, float)]
            assert all(math.isfinite(v) for v in numbers)
            check(board.rows, board.readout.value)


def test_the_dashboards_offer_the_whole_catalogs_grouped_by_maker():
    board = frontier_dashboard()
    models = [value for _, value in board.pickers["model"].options]
    chips = [value for _, value in board.pickers["accelerator"].options]
    assert sorted(models) == sorted(model_names()) and sorted(chips) == sorted(accelerator_names())
    assert tuple(board.pickers["n_gpus"].options) == GPU_COUNTS
    assert [value for _, value in memory_dashboard().pickers["model"].options] == models
    for picker, maker in (
        ("model", lambda n: model(n).developer),
        ("accelerator", lambda n: accelerator(n).vendor),
    ):
        labels = [label for label, _ in board.pickers[picker].options]
        makers = [label.split(" · ")[0] for label in labels]
        assert makers == sorted(makers, key=str.lower)  # each maker's entries stand together
        assert all(label == f"{maker(value)} · {value}" for label, value in board.pickers[picker].options)
    # the defaults the lessons' stored outputs show are unchanged
    assert (board.pickers["model"].value, board.pickers["accelerator"].value) == ("DeepSeek-R1", "H800")
    assert board.pickers["model"].label == "DeepSeek · DeepSeek-R1"
