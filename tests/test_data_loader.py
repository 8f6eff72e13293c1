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


# --- Integrity: recorded stats, case-insensitive keys, bounds, encodings, physical lines ---------


def test_every_resource_records_its_hash_size_and_rows():
    package = json.loads((data.DATASETS_DIR / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        raw = (data.DATASETS_DIR / resource["path"]).read_bytes()
        assert resource["hash"].startswith("sha256:") and resource["bytes"] == len(raw), resource["name"]
        assert resource["rows"] == len(data.load(resource["name"])), resource["name"]


def test_a_file_cut_inside_a_quoted_note_is_refused(datasets_copy):
    path = datasets_copy / "accelerators.csv"
    text = path.read_text(encoding="utf-8")
    cut = text.index('"', text.index("\n", text.index("\n") + 1) + 1) + 5  # inside a note after line 2
    line = text.count("\n", 0, cut) + 1
    path.write_text(text[:cut], encoding="utf-8")
    with pytest.raises(DatasetError, match=rf"accelerators.*line {line}\b.*malformed.*cut short"):
        data.load("accelerators", datasets_dir=datasets_copy)


def test_a_file_cut_at_a_line_end_is_refused_as_truncated(datasets_copy):
    path = datasets_copy / "accelerators.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:5]), encoding="utf-8")
    recorded = len(data.load("accelerators"))
    expected = (
        rf"accelerators.*rows 4 \(recorded {recorded}\).*truncated or edited"
        r".*python -m tokenomics.refresh_stats"
    )
    with pytest.raises(DatasetError, match=expected):
        data.load("accelerators", datasets_dir=datasets_copy)


def test_an_edited_value_is_refused_until_the_stats_are_refreshed(datasets_copy):
    set_cell(datasets_copy / "accelerators.csv", line=2, field="hbm_gb", text="41")
    with pytest.raises(DatasetError, match=r"hash sha256:\w+ \(recorded sha256:\w+\).*truncated or edited"):
        data.load("accelerators", datasets_dir=datasets_copy)
    assert data.refresh_stats(datasets_copy) == ["accelerators"]
    assert data.load("accelerators", datasets_dir=datasets_copy).hbm_gb.iloc[0] == 41


def test_refresh_does_not_record_a_file_that_breaks_its_schema(datasets_copy):
    set_cell(datasets_copy / "accelerators.csv", line=2, field="hbm_gb", text="-1")
    before = (datasets_copy / "datapackage.json").read_text(encoding="utf-8")
    with pytest.raises(DatasetError, match=r"line 2, field 'hbm_gb'.*below the minimum"):
        data.refresh_stats(datasets_copy)
    assert (datasets_copy / "datapackage.json").read_text(encoding="utf-8") == before


def test_refreshing_intact_files_changes_nothing(datasets_copy):
    before = (datasets_copy / "datapackage.json").read_text(encoding="utf-8")
    assert data.refresh_stats(datasets_copy) == []
    assert (datasets_copy / "datapackage.json").read_text(encoding="utf-8") == before


def test_the_refresh_command_runs(datasets_copy, capsys):
    from tokenomics import refresh_stats

    set_cell(datasets_copy / "events.csv", line=2, field="event", text="An edited event")
    assert refresh_stats.main(["--datasets-dir", str(datasets_copy)]) == ["events"]
    assert "changed: events" in capsys.readouterr().out


def test_a_case_variant_duplicate_name_is_refused(datasets_copy):
    path = datasets_copy / "accelerators.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    h800 = next(line for line in lines if line.startswith("H800,"))
    path.write_text("".join(lines + ["h800" + h800[4:]]), encoding="utf-8")
    expected = (
        rf"field 'name': 'h800' repeats line {lines.index(h800) + 1} \(it must be unique, ignoring case\)"
    )
    with pytest.raises(DatasetError, match=expected):
        data.load("accelerators", datasets_dir=datasets_copy)


def test_a_bandwidth_in_gb_s_is_refused_by_the_plausibility_bound(datasets_copy):
    path = datasets_copy / "accelerators.csv"
    line = next(i for i, row in enumerate(read_rows(path), start=1) if row[0] == "H800")
    set_cell(path, line=line, field="hbm_tb_s", text="3350")
    with pytest.raises(DatasetError, match=rf"line {line}, field 'hbm_tb_s': 3350 is above the maximum 50"):
        data.load("accelerators", datasets_dir=datasets_copy)


def test_physical_fields_carry_plausibility_bounds():
    for name in ("accelerators", "models"):
        package = json.loads((data.DATASETS_DIR / "datapackage.json").read_text(encoding="utf-8"))
        resource = next(r for r in package["resources"] if r["name"] == name)
        for field in resource["schema"]["fields"]:
            if field["type"] in ("number", "integer"):
                assert {"minimum", "maximum"} <= set(field["constraints"]), f"{name}.{field['name']}"
                assert "Plausibility bounds" in field["description"], f"{name}.{field['name']}"


def test_a_byte_order_mark_and_blank_lines_are_tolerated(datasets_copy):
    path = datasets_copy / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("\ufeff" + lines[0] + "\n" + "".join(lines[1:]) + "\n\n", encoding="utf-8")
    data.refresh_stats(datasets_copy)
    pd.testing.assert_frame_equal(data.load("events", datasets_dir=datasets_copy), data.load("events"))


def test_a_non_utf8_byte_names_the_file_and_line(datasets_copy):
    path = datasets_copy / "events.csv"
    raw = path.read_bytes().split(b"\n")
    raw[3] = raw[3].replace(b"a", b"\xe9", 1)
    path.write_bytes(b"\n".join(raw))
    with pytest.raises(
        DatasetError, match=r"dataset 'events' \(events\.csv\), line 4: byte 0xe9 is not UTF-8"
    ):
        data.load("events", datasets_dir=datasets_copy)


def test_line_numbers_count_the_lines_of_a_multi_line_note(datasets_copy):
    path = datasets_copy / "events.csv"
    rows = read_rows(path)
    rows[1][rows[0].index("note")] = "a note\nrunning over\nthree lines"
    rows[3][rows[0].index("date")] = "not a date"
    write_rows(path, rows)
    # Record 4 starts on physical line 6: the header, record 2 on lines 2-4, record 3 on line 5.
    with pytest.raises(DatasetError, match=r"events.*line 6, field 'date'"):
        data.load("events", datasets_dir=datasets_copy)


def test_a_resource_without_a_schema_is_named(datasets_copy):
    path = datasets_copy / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    del next(r for r in package["resources"] if r["name"] == "events")["schema"]
    path.write_text(json.dumps(package), encoding="utf-8")
    with pytest.raises(DatasetError, match=r"dataset 'events' \(events\.csv\).*no schema"):
        data.load("events", datasets_dir=datasets_copy)
    with pytest.raises(DatasetError, match=r"dataset 'events'.*no schema"):
        data.info("events", datasets_dir=datasets_copy)
