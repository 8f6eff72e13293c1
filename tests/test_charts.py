"""Chart builders: the residual chart shows the right rows and numbers, with titles, units,
tooltips, a description and the data-quality encoding."""

import altair as alt
import numpy as np
import pandas as pd
import pytest
from chart_specs import find, main_dataset

from tokenomics import calibration, charts
from tokenomics.charts import calibration as calibration_charts
from tokenomics.data import QUALITY_LABELS


@pytest.fixture(scope="module")
def table():
    return calibration.predict()


@pytest.fixture(scope="module")
def chart(table):
    return calibration_charts.residual_chart(table)


def test_residual_data_leaves_out_rows_that_cannot_be_predicted(table):
    rows = calibration_charts.residual_data(table)
    predicted = table[table["split"] != "not predicted"]
    assert len(rows) == len(predicted) > 0
    assert rows["id"].tolist() == predicted["id"].tolist()
    assert not set(table.loc[table["split"] == "not predicted", "id"]) & set(rows["id"])


def test_error_in_percent_is_100_times_the_table_error(table):
    rows = calibration_charts.residual_data(table).set_index("id")
    expected = 100 * table.set_index("id").loc[rows.index, "error"]
    np.testing.assert_allclose(rows["error_pct"], expected, rtol=1e-12)
    np.testing.assert_allclose(rows["measured"], table.set_index("id").loc[rows.index, "value"])


def test_the_spec_carries_one_row_per_predicted_measurement(table, chart):
    spec = chart.to_dict()
    records = main_dataset(spec)
    predicted = table[table["split"] != "not predicted"]
    assert [r["id"] for r in records] == predicted["id"].tolist()
    np.testing.assert_allclose([r["error_pct"] for r in records], 100 * predicted["error"].to_numpy())
    assert len({r["label"] for r in records}) == len(records), "labels must be unique"


def test_the_spec_has_a_title_axis_titles_with_units_a_description_and_tooltips(chart):
    spec = chart.to_dict()
    assert spec["title"]["text"] == "Model error per measurement (%)"
    assert spec["title"]["subtitle"]
    x_titles = [enc["x"]["title"] for enc in find(spec, "encoding") if "title" in enc.get("x", {})]
    assert x_titles and all("%" in title for title in x_titles)
    assert "percent" in spec["description"] and "measurements" in spec["description"]
    tooltips = [t["field"] for tips in find(spec, "tooltip") if isinstance(tips, list) for t in tips]
    assert {"id", "metric", "measured", "predicted", "unit", "error_pct"} <= set(tooltips)
    assert spec["config"]["font"] == charts.FONT


def test_each_serving_mode_has_its_own_panel(table, chart):
    spec = chart.to_dict()
    assert spec["facet"]["row"]["field"] == "mode"
    assert set(spec["facet"]["row"]["sort"]) == set(table.loc[table["split"] != "not predicted", "mode"])


def test_colours_come_from_the_colour_blind_safe_palette(chart):
    spec = chart.to_dict()
    colours = [enc["color"]["scale"]["range"] for enc in find(spec, "encoding") if "color" in enc]
    assert colours and all(set(c) <= set(charts.OKABE_ITO) for c in colours)
    assert len(set(colours[0])) == len(colours[0])


@pytest.mark.parametrize("mark, channel", [("point", "shape"), ("line", "strokeDash")])
def test_quality_encoding_covers_all_four_labels_with_distinct_styles(mark, channel):
    encoding = charts.quality_encoding(mark)[channel].to_dict()
    assert encoding["scale"]["domain"] == list(QUALITY_LABELS)
    styles = [str(style) for style in encoding["scale"]["range"]]
    assert len(styles) == len(set(styles)) == 4
    assert encoding["legend"]["title"] == "data quality"


def test_the_residual_chart_shows_quality_with_all_four_words_in_its_legend(chart):
    spec = chart.to_dict()
    shapes = [enc["shape"] for enc in find(spec, "encoding") if "shape" in enc]
    assert len(shapes) == 1 and shapes[0]["scale"]["domain"] == list(QUALITY_LABELS)


def test_quality_encoding_rejects_an_unknown_mark():
    with pytest.raises(ValueError, match="mark"):
        charts.quality_encoding("bar")


def test_a_row_of_every_quality_renders_offline():
    vl_convert = pytest.importorskip("vl_convert")
    table = calibration.predict()
    predicted = table.index[table["split"] != "not predicted"]
    table.loc[predicted, "quality"] = [QUALITY_LABELS[i % 4] for i in range(len(predicted))]
    svg = vl_convert.vegalite_to_svg(calibration_charts.residual_chart(table).to_json())
    for word in (*QUALITY_LABELS, "Model error per measurement", "Static batch", "Closed loop"):
        assert word in svg


def test_a_students_own_row_gets_a_point_and_a_unique_label():
    measurements = calibration.data.load("serving_measurements")
    template = measurements.set_index("id").loc["fastertransformer_gpt13b_tp1_decode"]
    mine = template.to_frame().T.reset_index(names="id").assign(id="my_decode", value=25.0)
    table = calibration.predict(pd.concat([measurements, mine], ignore_index=True))
    rows = calibration_charts.residual_data(table)
    assert "my_decode" in set(rows["id"])
    assert rows["label"].is_unique


def test_refresh_replaces_only_the_numbers_when_the_rows_are_the_same(table, chart):
    roofline = calibration.predict(efficiency=calibration.ROOFLINE)
    refreshed = calibration_charts.refresh_residual_chart(chart, roofline)
    np.testing.assert_allclose(
        refreshed.data["error_pct"], calibration_charts.residual_data(roofline)["error_pct"]
    )
    assert refreshed.description != chart.description
    assert chart.data["error_pct"].tolist() == calibration_charts.residual_data(table)["error_pct"].tolist()
    assert refreshed.to_dict()["facet"] == chart.to_dict()["facet"]


def test_refresh_rebuilds_when_the_rows_change(table, chart):
    fewer = table[table["system"] != "SGLang EP"]
    refreshed = calibration_charts.refresh_residual_chart(chart, fewer)
    assert "SGLang EP" not in set(refreshed.data["system"])
    assert isinstance(refreshed, alt.FacetChart)


def test_bad_tables_are_errors_that_say_what_is_wrong(table):
    with pytest.raises(ValueError, match="no predicted rows"):
        calibration_charts.residual_chart(table[table["split"] == "not predicted"])
    with pytest.raises(ValueError, match="missing columns"):
        calibration_charts.residual_chart(table.drop(columns=["error"]))


def test_style_requires_a_description():
    with pytest.raises(ValueError, match="description"):
        charts.style(alt.Chart(pd.DataFrame({"x": [1]})).mark_point(), "")
