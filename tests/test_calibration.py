"""Does the model match reality? Errors computed from the data and the model, against documented bounds."""

import numpy as np
import pandas as pd
import pytest

from tokenomics import calibration, data
from tokenomics.batching import Deployment
from tokenomics.calibration import (
    CAUSES,
    ROOFLINE,
    SMALL_MODEL_POINTS,
    Efficiency,
    fit,
    median_abs_error,
    predict,
    reproduce_deepseek_day,
)

NAMED_CAUSE_SHARE = 0.9  # of the points beyond +-50% that must have a named cause
OLD_COLUMNS = [
    "id", "system", "hardware", "n_gpus", "model", "weight_precision", "kv_precision", "phase",
    "batch_size", "input_tokens", "output_tokens", "kv_length_tokens", "at_tokens_per_s_per_user",
    "metric", "value", "unit", "source", "quality", "note",
]  # fmt: skip


@pytest.fixture(scope="module")
def default_table():
    return predict()


@pytest.fixture(scope="module")
def roofline_table():
    return predict(efficiency=ROOFLINE)


def test_the_dataset_is_broad_enough_to_fit_on(default_table):
    predicted = default_table[default_table["split"] == "fit"]
    assert len(predicted) >= 80
    assert predicted["source_name"].nunique() >= 6
    assert predicted["hardware"].nunique() >= 4
    moe = predicted["model"].map(lambda name: Deployment(name, "H200", n_gpus=8).model.is_moe)
    assert moe.sum() >= 20 and (~moe).sum() >= 20
    assert predicted["n_gpus"].min() == 1 and predicted["n_gpus"].max() >= 72
    assert set(predicted["mode"]) >= {"static_batch", "closed_loop", "offline_max", "service_average"}
    assert predicted["predicted"].gt(0).all() and np.isfinite(predicted["error"]).all()


def test_errors_are_signed_as_model_speed_over_measured_speed(default_table):
    # A time the model predicts too short is a model too fast: a positive error.
    row = default_table.set_index("id").loc["tensorrt_llm_llama7b_first_token_2048"]
    assert row["error"] == pytest.approx(row["value"] / row["predicted"] - 1)
    throughput = default_table.set_index("id").loc["tensorrt_llm_llama7b_b16_2048_2048_throughput"]
    assert throughput["error"] == pytest.approx(throughput["predicted"] / throughput["value"] - 1)


def test_a_pure_roofline_is_too_fast_and_worse_than_the_fitted_model(default_table, roofline_table):
    small = roofline_table[roofline_table["id"].isin(SMALL_MODEL_POINTS)]
    assert (small["error"] > 0).all()  # faster than every measurement, times and rates alike
    assert median_abs_error(roofline_table, split="fit") > 2 * median_abs_error(default_table, split="fit")


def test_rows_of_the_older_schema_are_still_predicted():
    measurements = data.load("serving_measurements")
    old = measurements.loc[measurements["id"].isin(SMALL_MODEL_POINTS), OLD_COLUMNS]
    table = predict(old)
    assert (table["split"] == "fit").all()
    assert set(table["mode"]) == {"static_batch"}
    assert median_abs_error(table, ids=SMALL_MODEL_POINTS) < 0.35


def test_closed_loop_trades_per_user_speed_for_throughput():
    measurements = data.load("serving_measurements")
    row = measurements[measurements["mode"] == "closed_loop"].iloc[[0]].copy()
    rows = []
    for concurrency in (4, 32, 256):
        for metric in ("output_tokens_per_s_per_gpu", "decode_ms_per_token"):
            one = row.copy()
            one["id"], one["concurrency"], one["metric"] = f"c{concurrency}_{metric}", concurrency, metric
            one["phase"] = "end_to_end"
            rows.append(one)
    table = predict(pd.concat(rows, ignore_index=True)).set_index("id")
    throughput = [table.loc[f"c{c}_output_tokens_per_s_per_gpu", "predicted"] for c in (4, 32, 256)]
    tpot = [table.loc[f"c{c}_decode_ms_per_token", "predicted"] for c in (4, 32, 256)]
    assert throughput == sorted(throughput) and tpot == sorted(tpot)


def test_a_latency_bound_row_is_predicted_within_its_limit():
    measurements = data.load("serving_measurements")
    bound = measurements[
        (measurements["mode"] == "server_latency_bound") & measurements["input_tokens"].notna()
    ]
    if bound.empty:
        pytest.skip("no latency-bound row with a published prompt length")
    row = bound[bound["metric"] == "decode_ms_per_token"].iloc[0].to_dict()
    assert calibration.predict_row(row) <= row["tpot_limit_ms"]


def test_points_beyond_50_percent_with_the_defaults_have_a_named_cause(default_table):
    far = default_table[(default_table["split"] == "fit") & (default_table["error"].abs() > 0.5)]
    named = far["id"].map(calibration.cause).isin(CAUSES.values())
    assert named.mean() >= NAMED_CAUSE_SHARE, far.loc[~named, "id"].tolist()


def test_a_students_own_measurement_can_be_added():
    measurements = data.load("serving_measurements")
    mine = measurements[measurements["id"] == "tensorrt_llm_llama7b_first_token_2048"].copy()
    mine["id"], mine["hardware"], mine["value"] = "my_h100_first_token", "H100-SXM", 60.0
    table = predict(pd.concat([measurements, mine], ignore_index=True)).set_index("id")
    a100 = table.loc["tensorrt_llm_llama7b_first_token_2048", "predicted"]
    h100 = table.loc["my_h100_first_token", "predicted"]
    assert h100 < a100  # more FLOPs, shorter prefill
    assert table.loc["my_h100_first_token", "error"] == pytest.approx(60.0 / h100 - 1)


def test_unpredictable_rows_and_bad_requests_raise_clear_errors():
    row = data.load("serving_measurements").set_index("id").loc["sglang_first_token_low_2k"].to_dict()
    row["id"] = "sglang_first_token_low_2k"
    with pytest.raises(ValueError, match="cannot be predicted"):
        calibration.predict_row(row)
    with pytest.raises(ValueError, match="ids must name"):
        fit(ids=["no_such_point"])
    with pytest.raises(ValueError, match="no predicted rows"):
        median_abs_error(predict(), ids=["no_such_point"])
    with pytest.raises(ValueError, match="mbu"):
        Efficiency(mfu=0.7, mbu=1.2, step_overhead_s=0.0)
    good = data.load("serving_measurements").iloc[0].to_dict()
    with pytest.raises(ValueError, match="mode"):
        calibration.predict_row({**good, "mode": "warp"})


def test_deepseek_day_is_reproduced_with_one_consistent_error():
    day = reproduce_deepseek_day().set_index("quantity")
    assert day.loc["daily_cost_usd", "reproduced"] == pytest.approx(day.loc["daily_cost_usd", "published"])
    revenue = day.loc["theoretical_revenue_usd"]
    assert revenue["reproduced"] == pytest.approx(revenue["published"], rel=1e-3)
    assert (
        round(day.loc["cost_profit_margin_pct", "reproduced"])
        == day.loc["cost_profit_margin_pct", "published"]
    )
    # Little's law: 14,800 tokens/s per node / 21 tokens/s per user / 8 GPUs ~ 88 sequences per GPU.
    assert calibration.deepseek_concurrency_per_gpu() == pytest.approx(14_800 / 21 / 8)
    node = day.loc["decode_output_tokens_per_s_per_node"]
    speed = day.loc["output_tokens_per_s_per_user"]
    node_error = node["reproduced"] / node["published"] - 1
    speed_error = speed["reproduced"] / speed["published"] - 1
    assert node_error == pytest.approx(speed_error, abs=0.01)  # one error, not two
    assert abs(node_error) < 0.7
