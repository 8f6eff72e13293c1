"""Does the model match reality? Errors computed from the data and the model, against documented bounds."""

import numpy as np
import pandas as pd
import pytest

from tokenomics import calibration, data
from tokenomics.calibration import (
    DEFAULT,
    FIT_POINTS,
    ROOFLINE,
    SMALL_MODEL_POINTS,
    Efficiency,
    fit,
    median_abs_error,
    predict,
    reproduce_deepseek_day,
)


@pytest.fixture(scope="module")
def default_table():
    return predict()


@pytest.fixture(scope="module")
def roofline_table():
    return predict(efficiency=ROOFLINE)


def test_the_nine_small_model_points_exist_and_are_predicted(default_table):
    rows = default_table[default_table["id"].isin(SMALL_MODEL_POINTS)]
    assert len(rows) == 9
    assert rows["predicted"].notna().all() and (rows["predicted"] > 0).all()


def test_defaults_are_within_15_percent_on_the_nine_small_model_points(default_table):
    # The bound the kit documents; llm-analysis is 28-31% off on the same nine points.
    assert median_abs_error(default_table, ids=SMALL_MODEL_POINTS) < 0.15


def test_defaults_are_within_25_percent_on_held_out_points(default_table):
    held_out = default_table[default_table["split"] == "held out"]
    assert len(held_out) >= 6
    assert set(held_out["system"]) >= {"SGLang EP", "DeepSeek service", "TensorRT-LLM"}
    assert median_abs_error(default_table, split="held out") < 0.25


def test_pure_roofline_is_shown_to_be_worse(default_table, roofline_table):
    for selection in ({"ids": SMALL_MODEL_POINTS}, {"split": "held out"}):
        assert median_abs_error(roofline_table, **selection) > median_abs_error(default_table, **selection)
    assert median_abs_error(roofline_table, ids=SMALL_MODEL_POINTS) > 0.25
    # A roofline is optimistic: it predicts faster (shorter times, higher throughput) than measured.
    small = roofline_table[roofline_table["id"].isin(SMALL_MODEL_POINTS)]
    is_time = small["metric"].str.endswith("_ms") | small["metric"].str.startswith("decode_ms")
    assert (small.loc[is_time, "error"] < 0).all()
    assert (small.loc[~is_time, "error"] > 0).all()


def test_the_network_term_is_what_brings_expert_parallel_points_close(default_table):
    no_network = predict(
        efficiency=Efficiency(DEFAULT.mfu, DEFAULT.mbu, DEFAULT.step_overhead_s, float("inf"))
    )
    ids = ["deepseek_profile_decode_throughput", "sglang_decode_throughput_2k"]
    without = median_abs_error(no_network, ids=ids)
    with_network = median_abs_error(default_table, ids=ids)
    assert without > 1.0 > 0.3 > with_network


def test_the_defaults_are_the_fitted_values():
    assert FIT_POINTS == SMALL_MODEL_POINTS
    assert fit() == DEFAULT


def test_split_labels(default_table):
    assert set(default_table.loc[default_table["id"].isin(FIT_POINTS), "split"]) == {"fit"}
    not_predicted = default_table[default_table["split"] == "not predicted"]
    assert not_predicted["predicted"].isna().all()
    assert (not_predicted["reason"] != "").all()
    predicted = default_table[default_table["split"] != "not predicted"]
    assert np.isfinite(predicted["error"]).all()


def test_a_students_own_measurement_can_be_added():
    measurements = data.load("serving_measurements")
    mine = measurements[measurements["id"] == "tensorrt_llm_llama7b_first_token_2048"].copy()
    mine["id"], mine["hardware"], mine["value"] = "my_h100_first_token", "H100-SXM", 60.0
    table = predict(pd.concat([measurements, mine], ignore_index=True)).set_index("id")
    a100 = table.loc["tensorrt_llm_llama7b_first_token_2048", "predicted"]
    h100 = table.loc["my_h100_first_token", "predicted"]
    assert h100 < a100  # more FLOPs, shorter prefill
    assert table.loc["my_h100_first_token", "error"] == pytest.approx(h100 / 60.0 - 1)


def test_unpredictable_rows_and_bad_requests_raise_clear_errors():
    row = data.load("serving_measurements").set_index("id").loc["sglang_first_token_low_2k"].to_dict()
    row["id"] = "sglang_first_token_low_2k"
    with pytest.raises(ValueError, match="cannot be predicted"):
        calibration.predict_row(row)
    with pytest.raises(ValueError, match="ids must name rows"):
        fit(ids=["no_such_point"])
    with pytest.raises(ValueError, match="no predicted rows"):
        median_abs_error(predict(), ids=["no_such_point"])
    with pytest.raises(ValueError, match="mbu"):
        Efficiency(mfu=0.7, mbu=1.2, step_overhead_s=0.0)


def test_deepseek_day_is_reproduced_from_its_own_figures():
    day = reproduce_deepseek_day().set_index("quantity")
    assert day.loc["daily_cost_usd", "reproduced"] == pytest.approx(day.loc["daily_cost_usd", "published"])
    revenue = day.loc["theoretical_revenue_usd"]
    assert revenue["reproduced"] == pytest.approx(revenue["published"], rel=1e-3)
    assert (
        round(day.loc["cost_profit_margin_pct", "reproduced"])
        == day.loc["cost_profit_margin_pct", "published"]
    )
    # Per-user speed: within 15% of the published 20-22 tokens/s.
    speed = day.loc["output_tokens_per_s_per_user"]
    assert speed["reproduced"] == pytest.approx(speed["published"], rel=0.15)
    # Per-node throughput: the model runs every step at a full batch, while the published figure is a
    # 24-hour average that includes hours of lighter load; the documented gap is at most +50%.
    node = day.loc["decode_output_tokens_per_s_per_node"]
    assert 1.0 < node["reproduced"] / node["published"] < 1.5
