"""The fit of the serving model's global factors, and its leave-one-source-out check.

The fit takes about 15 s and leave-one-source-out about 30 s more on two cores, so they are
computed once for the module (and the module is a file of its own, which a test worker takes
whole while the others run the rest of the calibration tests).
"""

import pandas as pd
import pytest
from test_calibration import NAMED_CAUSE_SHARE

from tokenomics import calibration, data
from tokenomics.calibration import CAUSES, DEFAULT, FIT_RANGES, fit

pytestmark = pytest.mark.slow

# The figures this version of the model reaches (benchmarks/bench_fidelity.py prints them); the
# tests keep them from getting worse. They miss the project's targets (15% overall, 20% on MoE).
LOSO_MEDIAN_OVERALL = 0.26  # reached: 25.2%
LOSO_MEDIAN_MOE = 0.32  # reached: 31.6%
LOSO_MEDIAN_DENSE = 0.22  # reached: 21.0%


@pytest.fixture(scope="module")
def fitted():
    return fit()


@pytest.fixture(scope="module")
def loso(fitted):
    return calibration.leave_one_source_out(fitted=fitted)


def test_the_fit_is_identified_and_the_defaults_are_its_values(fitted):
    for name, (low, high) in FIT_RANGES.items():
        value = getattr(fitted, name)
        margin = 0.02 * (high - low)
        assert low + margin < value < high - margin, f"{name} = {value} is on the edge of [{low}, {high}]"
        assert getattr(DEFAULT, name) == pytest.approx(value, rel=0.1, abs=0.02 * (high - low)), name


def test_leave_one_source_out_medians_stay_where_they_are(loso):
    summary = calibration.fidelity_summary(loso)
    assert summary["overall"] <= LOSO_MEDIAN_OVERALL
    assert summary["moe"] <= LOSO_MEDIAN_MOE
    assert summary["dense"] <= LOSO_MEDIAN_DENSE
    assert 0.9 < summary["geomean"] < 1.1  # reached: 1.009
    far = loso[loso["error"].abs() > 0.5]
    named = far["id"].map(calibration.cause).isin(CAUSES.values())
    assert named.mean() >= NAMED_CAUSE_SHARE, far.loc[~named, "id"].tolist()


def test_the_stored_leave_one_source_out_table_is_what_the_kit_computes(loso):
    stored = data.load("serving_model_loso").set_index("group")
    computed = calibration.loso_rows(loso).set_index("group")
    pd.testing.assert_series_equal(
        stored["loso_median_abs_error_pct"],
        computed["loso_median_abs_error_pct"],
        atol=0.2,
        check_dtype=False,
    )


def test_a_warm_started_refit_finds_the_optimum_of_a_cold_one(fitted):
    # Leave-one-source-out starts each refit at the fit on everything; on all the data that start
    # must lead back to the same optimum as the three cold starts.
    warm = fit(start=fitted)
    for name, (low, high) in FIT_RANGES.items():
        assert getattr(warm, name) == pytest.approx(getattr(fitted, name), abs=0.01 * (high - low)), name
