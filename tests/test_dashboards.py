"""Dashboards driven without a browser: move a control, check the chart's data and the readout."""

import dataclasses
import math

import altair as alt
import numpy as np
import pandas as pd
import pytest

from tokenomics import calibration
from tokenomics.calibration import DEFAULT, ROOFLINE, SMALL_MODEL_POINTS, median_abs_error, predict
from tokenomics.dashboards.calibration import calibration_dashboard


@pytest.fixture
def board():
    return calibration_dashboard()


def chart_rows(board) -> dict[str, dict]:
    """The residual chart's rows as the browser receives them, by measurement id."""
    spec = board.chart_widget.spec
    return {row["id"]: row for row in spec["datasets"][spec["data"]["name"]]}


def test_the_dashboard_starts_at_the_kit_defaults(board):
    assert board.efficiency == DEFAULT
    assert board.sliders["mfu"].value == DEFAULT.mfu
    assert board.sliders["step_overhead_ms"].value == pytest.approx(1e3 * DEFAULT.step_overhead_s)
    table = predict()
    for name, selection in board.groups:
        assert board.medians[name] == pytest.approx(median_abs_error(table, **selection))
    assert f"{100 * median_abs_error(table, ids=SMALL_MODEL_POINTS):.1f}%" in board.readout.value
    assert isinstance(board.chart_widget, alt.JupyterChart)
    assert type(board.chart_widget)._is_offline, "charts must not need a CDN"
    bundle = board.chart_widget._esm
    assert "esm.sh" not in bundle and len(bundle) > 100_000, (
        "vega-embed must be bundled, not loaded from a CDN"
    )


def test_raising_mbu_speeds_up_memory_bound_decode(board):
    point = "fastertransformer_gpt13b_tp1_decode"
    board.sliders["mbu"].value = 0.6
    before = chart_rows(board)[point]
    board.sliders["mbu"].value = 1.0
    after = chart_rows(board)[point]
    assert after["predicted"] < before["predicted"]
    assert after["error_pct"] > before["error_pct"]  # a shorter time is a faster model: the error rises


def test_raising_mfu_speeds_up_compute_bound_prefill(board):
    point = "fastertransformer_gpt13b_tp1_prefill"
    board.sliders["mfu"].value = 0.4
    before = chart_rows(board)[point]
    board.sliders["mfu"].value = 0.9
    after = chart_rows(board)[point]
    assert after["predicted"] < before["predicted"]


def test_raising_the_overhead_delays_the_first_token(board):
    point = "tensorrt_llm_llama7b_first_token_128"
    board.sliders["step_overhead_ms"].value = 0.0
    before = chart_rows(board)[point]
    board.sliders["step_overhead_ms"].value = 8.0
    after = chart_rows(board)[point]
    assert after["predicted"] == pytest.approx(before["predicted"] + 8.0)


def test_the_chart_matches_the_model_for_the_sliders_settings(board):
    board.sliders["mfu"].value = 0.55
    board.sliders["mbu"].value = 0.75
    board.sliders["step_overhead_ms"].value = 2.5
    expected = predict(
        efficiency=dataclasses.replace(DEFAULT, mfu=0.55, mbu=0.75, step_overhead_s=0.0025)
    ).set_index("id")
    for point, row in chart_rows(board).items():
        assert row["predicted"] == pytest.approx(expected.loc[point, "predicted"])
        assert row["error_pct"] == pytest.approx(100 * expected.loc[point, "error"])


def test_the_roofline_button_sets_1_1_0_and_the_readout_follows(board):
    board.roofline_button.click()
    assert [s.value for s in board.sliders.values()] == [1.0, 1.0, 0.0]
    assert board.efficiency == ROOFLINE
    expected = median_abs_error(predict(efficiency=ROOFLINE), ids=SMALL_MODEL_POINTS)
    assert board.medians["nine small-model points"] == pytest.approx(expected)
    assert f"{100 * expected:.1f}%" in board.readout.value
    board.defaults_button.click()
    assert board.efficiency == DEFAULT


def test_a_button_redraws_the_chart_once(board):
    redraws = []
    board.chart_widget.observe(redraws.append, names="chart")
    board.roofline_button.click()
    assert len(redraws) == 1


def test_40_random_settings_never_break_the_chart(board):
    """Each setting moves one slider; the predictions, medians and readout are recomputed on every
    setting, the chart redrawn through the widget on every 10th."""
    rng = np.random.default_rng(2025)
    names = list(board.sliders)
    for i in range(40):
        name = names[rng.integers(len(names))]
        slider = board.sliders[name]
        redraw = i % 10 == 0
        board.set_values(redraw=redraw, **{name: float(np.round(rng.uniform(slider.min, slider.max), 2))})
        predicted = board.table[board.table["split"] != "not predicted"]
        assert len(predicted) > 0
        assert np.isfinite(predicted["error"]).all() and (predicted["predicted"] > 0).all()
        if redraw:
            rows = chart_rows(board)
            assert len(rows) == len(predicted)
            for row in rows.values():
                assert math.isfinite(row["error_pct"]) and row["predicted"] > 0
        assert all(math.isfinite(v) for v in board.medians.values())
        assert "nan" not in board.readout.value.lower()


def test_a_students_own_measurement_is_shown():
    measurements = calibration.data.load("serving_measurements")
    mine = measurements[measurements["id"] == "tensorrt_llm_llama7b_first_token_128"].copy()
    mine["id"], mine["value"] = "my_first_token", 20.0
    board = calibration_dashboard(pd.concat([measurements, mine], ignore_index=True))
    assert "my_first_token" in chart_rows(board)
    board.sliders["step_overhead_ms"].value = 9.0
    assert chart_rows(board)["my_first_token"]["error_pct"] > -50
