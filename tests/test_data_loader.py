"""Tests of the dataset loader against deliberately broken copies of the datasets.

Each test copies the kit's ``datasets/`` folder into a temporary folder, breaks one thing, and
checks that :func:`tokenomics.data.load` refuses it with a message that says what and where.
"""

import csv
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from tokenomics import data
from tokenomics.data import DatasetError

pytestmark = pytest.mark.filterwarnings("error")

ALLOWED_QUALITY = ", ".join(data.QUALITY_LABELS)


@pytest.fixture
def datasets_copy(tmp_path) -> Path:
    """A fresh copy of the kit's datasets folder that a test may break."""
    copy = tmp_path / "datasets"
    shutil.copytree(data.DATASETS_DIR, copy)
    return copy


def read_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def set_cell(path: Path, line: int, field: str, text: str) -> None:
    """Overwrite one cell; ``line`` counts the header as line 1, like an editor does."""
    rows = read_rows(path)
    rows[line - 1][rows[0].index(field)] = text
    write_rows(path, rows)


def test_the_intact_copy_loads_like_the_original(datasets_copy):
    copy = data.load("r1_providers", datasets_dir=datasets_copy)
    pd.testing.assert_frame_equal(copy, data.load("r1_providers"))
    assert data.names(datasets_copy) == data.names()


def test_unknown_dataset_name_lists_close_matches(datasets_copy):
    with pytest.raises(KeyError, match=r"unknown dataset 'r1_provider'.*close matches: 'r1_providers'"):
        data.load("r1_provider", datasets_dir=datasets_copy)
    with pytest.raises(KeyError, match=r"close matches: 'deepseek_day'"):
        data.info("deepseek_dya", datasets_dir=datasets_copy)


def test_missing_csv_file_names_the_dataset(datasets_copy):
    (datasets_copy / "r1_providers.csv").unlink()
    with pytest.raises(FileNotFoundError, match=r"dataset 'r1_providers'.*r1_providers\.csv"):
        data.load("r1_providers", datasets_dir=datasets_copy)


def test_missing_datapackage_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="datapackage.json"):
        data.names(tmp_path)


def test_a_non_number_in_a_number_field_names_dataset_line_and_field(datasets_copy):
    set_cell(datasets_copy / "deepseek_day.csv", line=3, field="value", text="eight")
    expected = r"dataset 'deepseek_day'.*line 3.*field 'value'.*'eight' is not a valid number"
    with pytest.raises(DatasetError, match=expected):
        data.load("deepseek_day", datasets_dir=datasets_copy)


def test_a_non_integer_in_an_integer_field_is_refused(datasets_copy):
    set_cell(datasets_copy / "deepseek_day_nodes.csv", line=2, field="nodes", text="278.5")
    with pytest.raises(DatasetError, match=r"deepseek_day_nodes.*line 2.*field 'nodes'.*not a valid integer"):
        data.load("deepseek_day_nodes", datasets_dir=datasets_copy)


def test_a_bad_date_is_refused(datasets_copy):
    set_cell(datasets_copy / "events.csv", line=2, field="date", text="26/12/2024")
    with pytest.raises(DatasetError, match=r"events.*line 2.*field 'date'.*not a valid date"):
        data.load("events", datasets_dir=datasets_copy)


def test_a_missing_source_is_refused(datasets_copy):
    set_cell(datasets_copy / "r1_providers.csv", line=4, field="source", text="")
    with pytest.raises(DatasetError, match=r"r1_providers.*line 4.*field 'source'.*missing value"):
        data.load("r1_providers", datasets_dir=datasets_copy)


def test_a_source_of_only_spaces_counts_as_missing(datasets_copy):
    set_cell(datasets_copy / "events.csv", line=2, field="source", text="   ")
    with pytest.raises(DatasetError, match=r"field 'source'.*missing value"):
        data.load("events", datasets_dir=datasets_copy)


def test_an_unknown_quality_word_is_refused_with_the_allowed_words(datasets_copy):
    set_cell(datasets_copy / "serving_measurements.csv", line=2, field="quality", text="guess")
    expected = rf"line 2.*field 'quality'.*'guess' is not one of {ALLOWED_QUALITY}"
    with pytest.raises(DatasetError, match=expected):
        data.load("serving_measurements", datasets_dir=datasets_copy)


def test_a_value_outside_an_enum_is_refused(datasets_copy):
    set_cell(datasets_copy / "serving_measurements.csv", line=2, field="phase", text="training")
    expected = r"field 'phase'.*'training' is not one of decode, prefill, end_to_end"
    with pytest.raises(DatasetError, match=expected):
        data.load("serving_measurements", datasets_dir=datasets_copy)


def test_a_value_below_its_minimum_is_refused(datasets_copy):
    set_cell(datasets_copy / "r1_providers.csv", line=2, field="input_usd_per_mtok", text="-0.55")
    with pytest.raises(DatasetError, match=r"field 'input_usd_per_mtok'.*below the minimum 0"):
        data.load("r1_providers", datasets_dir=datasets_copy)


def test_a_wrong_header_is_refused(datasets_copy):
    path = datasets_copy / "r1_providers.csv"
    rows = read_rows(path)
    rows[0][rows[0].index("input_usd_per_mtok")] = "input_price"
    write_rows(path, rows)
    expected = r"r1_providers.*header.*missing \['input_usd_per_mtok'\].*extra \['input_price'\]"
    with pytest.raises(DatasetError, match=expected):
        data.load("r1_providers", datasets_dir=datasets_copy)


def test_a_row_with_too_few_values_is_refused(datasets_copy):
    path = datasets_copy / "events.csv"
    rows = read_rows(path)
    rows[2] = rows[2][:-1]
    write_rows(path, rows)
    with pytest.raises(DatasetError, match=r"events.*line 3: 4 values, expected 5"):
        data.load("events", datasets_dir=datasets_copy)


def test_an_empty_file_is_refused(datasets_copy):
    (datasets_copy / "events.csv").write_text("", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"events.*empty"):
        data.load("events", datasets_dir=datasets_copy)


def test_a_schema_without_source_or_quality_is_refused(datasets_copy):
    path = datasets_copy / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == "events")
    resource["schema"]["fields"] = [f for f in resource["schema"]["fields"] if f["name"] != "quality"]
    path.write_text(json.dumps(package), encoding="utf-8")
    with pytest.raises(DatasetError, match=r"events.*lacks the required field.*quality"):
        data.load("events", datasets_dir=datasets_copy)


def test_a_broken_datapackage_is_a_dataset_error(datasets_copy):
    (datasets_copy / "datapackage.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DatasetError, match="not valid JSON"):
        data.names(datasets_copy)


def test_info_describes_a_dataset_with_units():
    info = data.info("r1_providers")
    assert set(info) >= {"title", "description", "sources", "caveats", "path", "fields"}
    assert info["title"] and info["description"] and info["caveats"]
    assert info["path"] == "r1_providers.csv"
    assert all(source["title"] and source["path"] for source in info["sources"])
    fields = info["fields"].set_index("name")
    assert list(info["fields"].columns) == ["name", "type", "unit", "description"]
    assert fields.loc["input_usd_per_mtok", "unit"] == "USD per million tokens"
    assert fields.loc["context_tokens", "unit"] == "tokens"
    assert fields.loc["provider", "unit"] == ""


def test_load_returns_typed_columns_and_a_fresh_copy():
    frame = data.load("r1_providers")
    assert frame["input_usd_per_mtok"].dtype == "float64"
    assert str(frame["context_tokens"].dtype) in ("int64", "Int64")
    assert pd.api.types.is_datetime64_any_dtype(frame["date"])
    assert frame["latency_s"].isna().all()
    frame.loc[0, "provider"] = "changed"
    assert data.load("r1_providers").loc[0, "provider"] != "changed"


def test_nan_in_a_required_number_is_refused(datasets_copy):
    set_cell(datasets_copy / "deepseek_day.csv", line=2, field="value", text="nan")
    with pytest.raises(DatasetError, match=r"line 2.*field 'value'"):
        data.load("deepseek_day", datasets_dir=datasets_copy)


def test_an_unsupported_field_type_is_named(datasets_copy):
    path = datasets_copy / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == "events")
    resource["schema"]["fields"][1]["type"] = "text"
    path.write_text(json.dumps(package), encoding="utf-8")
    with pytest.raises(DatasetError, match="unsupported type 'text'"):
        data.load("events", datasets_dir=datasets_copy)


def test_infinite_and_underscored_numbers_are_refused(datasets_copy):
    set_cell(datasets_copy / "deepseek_day.csv", line=3, field="value", text="inf")
    with pytest.raises(DatasetError, match=r"line 3.*field 'value': 'inf' is not a valid number"):
        data.load("deepseek_day", datasets_dir=datasets_copy)
    set_cell(datasets_copy / "deepseek_day.csv", line=3, field="value", text="1_000")
    with pytest.raises(DatasetError, match="'1_000' is not a valid number"):
        data.load("deepseek_day", datasets_dir=datasets_copy)


def test_a_repeated_primary_key_is_refused(datasets_copy):
    path = datasets_copy / "accelerators.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines + [lines[1]]), encoding="utf-8")
    with pytest.raises(DatasetError, match=r"field 'name': 'A100-40GB' repeats line 2"):
        data.load("accelerators", datasets_dir=datasets_copy)
