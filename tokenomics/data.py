"""Access to the kit's datasets: every figure a lesson shows comes from here or from a model.

The datasets live in ``datasets/`` as CSV files described by ``datasets/datapackage.json``
(a Frictionless Data Package: one *resource* per file, with its fields, types, units,
description, sources and caveats). Every row of every dataset carries a ``source`` (a URL or a
repository path) and a ``quality`` label:

- ``reported``: the number is written in the source's text;
- ``chart-read``: someone read it off a chart; approximate;
- ``derived``: arithmetic on cited figures;
- ``illustrative``: a teaching value consistent with the reported figures, never a fact.

:func:`load` checks every row against the schema as it reads, so a malformed file is an error
that names the dataset, the line and the field, never a silently wrong chart. It also compares each
file with the ``hash``, ``bytes`` and ``rows`` that ``datapackage.json`` records for it, so a file cut
short or edited by accident is refused; after an intended edit, ``python -m tokenomics.refresh_stats``
records the new stats. Unique keys are compared ignoring case, physical fields carry plausibility
bounds (``minimum``, ``maximum``), and line numbers are the lines an editor shows.

Examples
--------
>>> "accelerators" in names()
True
>>> load("accelerators").loc[lambda df: df.name == "H800", "hbm_tb_s"].item()
3.35
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import math
import os
from functools import lru_cache
from pathlib import Path

import pandas as pd

from tokenomics.validation import count, unknown_name

DATASETS_DIR = Path(__file__).resolve().parent.parent / "datasets"
"""Where the kit's own datasets live (the ``datasets/`` folder beside the package)."""

QUALITY_LABELS = ("reported", "chart-read", "derived", "illustrative")
"""The four quality words a row may carry, from most to least certain."""

FIELD_TYPES = ("string", "number", "integer", "date", "boolean")
"""The Frictionless field types the loader reads."""

REQUIRED_FIELDS = ("source", "quality")
"""Fields every dataset must have, filled on every row."""


STATS_KEYS = ("hash", "bytes", "rows")
"""What ``datapackage.json`` records of each file (Frictionless resource properties, also checked by
``frictionless validate``): its ``sha256:`` hash, its size in bytes and its number of data rows."""


class DatasetError(ValueError):
    """A dataset that does not match its description in ``datapackage.json``."""


def _package(datasets_dir: Path) -> dict:
    path = datasets_dir / "datapackage.json"
    if not path.is_file():
        raise FileNotFoundError(f"no datapackage.json in {datasets_dir}: the kit's datasets are missing")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DatasetError(f"{path.name}: not valid JSON ({error})") from None


def _resource(name: str, datasets_dir: Path) -> dict:
    resources = _package(datasets_dir)["resources"]
    for resource in resources:
        if resource["name"] == name:
            return resource
    raise unknown_name("dataset", name, [r["name"] for r in resources])


def _resolve_dir(datasets_dir: str | Path | None) -> Path:
    if datasets_dir is None:
        return DATASETS_DIR
    if not isinstance(datasets_dir, (str, os.PathLike)):
        raise ValueError(
            "datasets_dir must be a folder path or None "
            f"(got {type(datasets_dir).__name__} {datasets_dir!r:.60})"
        )
    return Path(datasets_dir)


def names(datasets_dir: str | Path | None = None) -> list[str]:
    """Names of all datasets, in the order of ``datapackage.json``.

    Parameters
    ----------
    datasets_dir : path, optional
        A folder with a ``datapackage.json``; defaults to the kit's ``datasets/``.

    Examples
    --------
    >>> names()[:2]
    ['accelerators', 'models']
    """
    return [resource["name"] for resource in _package(_resolve_dir(datasets_dir))["resources"]]


def info(name: str, datasets_dir: str | Path | None = None) -> dict:
    """What a dataset is: title, description, sources, caveats and its fields with units.

    Returns
    -------
    dict
        Keys ``title``, ``description``, ``sources`` (list of dicts with ``title`` and ``path``),
        ``caveats`` (str), ``path`` (file name) and ``fields`` (a DataFrame with columns name,
        type, unit, description).

    Examples
    --------
    >>> info("accelerators")["fields"].set_index("name").loc["hbm_tb_s", "unit"]
    'TB/s'
    """
    resource = _resource(name, _resolve_dir(datasets_dir))
    fields = pd.DataFrame(
        [
            {
                "name": field["name"],
                "type": field["type"],
                "unit": field.get("unit", ""),
                "description": field.get("description", ""),
            }
            for field in _schema(resource)["fields"]
        ]
    )
    return {
        "title": resource.get("title", name),
        "description": resource.get("description", ""),
        "sources": resource.get("sources", []),
        "caveats": resource.get("caveats", ""),
        "path": resource["path"],
        "fields": fields,
    }


def load(name: str, datasets_dir: str | Path | None = None) -> pd.DataFrame:
    """Load a dataset as a DataFrame, checking every row against its schema.

    Parameters
    ----------
    name : str
        A dataset name from :func:`names`.
    datasets_dir : path, optional
        A folder with a ``datapackage.json``; defaults to the kit's ``datasets/``.

    Returns
    -------
    pandas.DataFrame
        One column per schema field, in schema order: numbers as floats, integers as ints
        (nullable ``Int64`` where a value may be missing), dates as ``datetime64``, text as str.
        Missing numbers are NaN. A fresh copy on every call.

    Raises
    ------
    KeyError
        Unknown dataset name (the message lists close matches).
    FileNotFoundError
        The CSV file the dataset points to is missing.
    DatasetError
        A header or a row does not match the schema; the message names the dataset, the line
        and the field.

    Examples
    --------
    >>> accelerators = load("accelerators")
    >>> sorted(set(accelerators.quality) - set(QUALITY_LABELS))
    []
    """
    directory = _resolve_dir(datasets_dir).resolve()
    path = directory / _resource(name, directory)["path"]
    if not path.is_file():
        raise FileNotFoundError(f"dataset {name!r}: file {path.name} is missing from the datasets folder")
    versions = (path.stat().st_mtime_ns, (directory / "datapackage.json").stat().st_mtime_ns)
    return _load_checked(name, directory, versions).copy()


@lru_cache(maxsize=64)
def _load_checked(name: str, directory: Path, versions: tuple[int, int]) -> pd.DataFrame:
    """Read and check one dataset; cached per version of the file and of its description."""
    resource = _resource(name, directory)
    where = f"dataset {name!r} ({resource['path']})"
    fields = _schema(resource)["fields"]
    field_names = [field["name"] for field in fields]
    missing_required = [f for f in REQUIRED_FIELDS if f not in field_names]
    if missing_required:
        raise DatasetError(f"{where}: the schema lacks the required field(s) {missing_required}")

    raw = (directory / resource["path"]).read_bytes()
    header_line, header, records = _read_records(raw, where)
    if header != field_names:
        raise DatasetError(
            f"{where}, line {header_line}: header {header} does not match the schema's fields {field_names}"
            f" (missing {sorted(set(field_names) - set(header))},"
            f" extra {sorted(set(header) - set(field_names))})"
        )

    columns: dict[str, list] = {field["name"]: [] for field in fields}
    lines = [line for line, _ in records]
    for line, row in records:
        if len(row) != len(fields):
            raise DatasetError(f"{where}, line {line}: {len(row)} values, expected {len(fields)}")
        for field, text in zip(fields, row, strict=True):
            columns[field["name"]].append(_parse_value(field, text.strip(), f"{where}, line {line}"))
    _check_unique(resource, columns, lines, where)
    _check_stats(resource, raw, len(records), where)
    return pd.DataFrame({field["name"]: _column(field, columns[field["name"]]) for field in fields})


def _check_unique(resource: dict, columns: dict[str, list], lines: list[int], where: str) -> None:
    """Fields marked unique, and the primary key as a whole, must not repeat a value.

    Text is compared case-insensitively, since the catalogs look names up that way: "h800" would
    shadow "H800".
    """
    schema = resource["schema"]
    keys = [[f["name"]] for f in schema["fields"] if f.get("constraints", {}).get("unique")]
    if schema.get("primaryKey"):
        primary = schema["primaryKey"]
        keys.append([primary] if isinstance(primary, str) else list(primary))
    for key in keys:
        seen: dict[tuple, int] = {}
        for index, values in enumerate(zip(*(columns[name] for name in key), strict=True)):
            folded = tuple(v.casefold() if isinstance(v, str) else v for v in values)
            if folded in seen:
                shown = values if len(key) > 1 else values[0]
                raise DatasetError(
                    f"{where}, line {lines[index]}, field {'+'.join(key)!r}: {shown!r}"
                    f" repeats line {lines[seen[folded]]} (it must be unique, ignoring case)"
                )
            seen[folded] = index


def _parse_value(field: dict, text: str, where: str):
    """Turn one CSV cell into a Python value of the field's type, or raise a DatasetError."""
    name = field["name"]
    constraints = dict(field.get("constraints", {}))
    if name in REQUIRED_FIELDS:
        constraints["required"] = True
    if name == "quality":
        constraints.setdefault("enum", list(QUALITY_LABELS))
    where = f"{where}, field {name!r}"

    if text == "":
        if constraints.get("required"):
            raise DatasetError(f"{where}: missing value (this field is required on every row)")
        return None
    kind = field["type"]
    if kind not in FIELD_TYPES:
        raise DatasetError(
            f"{where}: unsupported type {kind!r} in datapackage.json (use one of {FIELD_TYPES})"
        )
    try:
        if kind == "number":
            value = float(text)
            if not math.isfinite(value) or "_" in text:
                raise ValueError
        elif kind == "integer":
            if "_" in text:
                raise ValueError
            value = int(text)
        elif kind == "date":
            value = datetime.date.fromisoformat(text)
        elif kind == "boolean":
            if text not in ("true", "false"):
                raise ValueError
            value = text == "true"
        else:
            value = text
    except ValueError:
        raise DatasetError(f"{where}: {text!r} is not a valid {kind}") from None

    if "enum" in constraints and value not in constraints["enum"]:
        allowed = ", ".join(str(v) for v in constraints["enum"])
        raise DatasetError(f"{where}: {text!r} is not one of {allowed}")
    if "minimum" in constraints and value < constraints["minimum"]:
        raise DatasetError(f"{where}: {text} is below the minimum {constraints['minimum']}")
    if "maximum" in constraints and value > constraints["maximum"]:
        raise DatasetError(f"{where}: {text} is above the maximum {constraints['maximum']}")
    return value


def _column(field: dict, values: list) -> pd.Series:
    """Build a typed column from parsed values (None marks a missing value)."""
    kind = field["type"]
    if kind == "number":
        return pd.Series([float("nan") if v is None else v for v in values], dtype="float64")
    if kind == "integer":
        return pd.Series(values, dtype="Int64" if None in values else "int64")
    if kind == "date":
        return pd.to_datetime(pd.Series(values, dtype="object"))
    if kind == "boolean":
        return pd.Series(values, dtype="boolean" if None in values else "bool")
    return pd.Series(["" if v is None else v for v in values], dtype="str")


def _schema(resource: dict) -> dict:
    """The resource's table schema; a resource without one is named in the error."""
    schema = resource.get("schema")
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        raise DatasetError(
            f"dataset {resource.get('name')!r} ({resource.get('path')}): datapackage.json gives it no schema "
            "with a list of fields; every resource needs one"
        )
    return schema


def _decode(raw: bytes, where: str) -> str:
    """The file's text: UTF-8, with a byte-order mark tolerated; a bad byte is named with its line."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise DatasetError(
            f"{where}, line {line}: byte {raw[error.start]:#04x} is not UTF-8 text; save the file as UTF-8"
        ) from None


def _read_records(raw: bytes, where: str) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    """Split a CSV file into its header and records, each with the physical line it starts on.

    Physical lines are the lines an editor shows: a quoted note that runs over several lines
    counts them all. Blank lines are skipped. A quote left open at the end of the file (a file
    cut short) is an error.

    Returns
    -------
    tuple
        The header's line, the header, and a list of (line, values) for the data records.
    """
    reader = csv.reader(io.StringIO(_decode(raw, where), newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    next_line = 1
    try:
        for row in reader:
            start_line, next_line = next_line, reader.line_num + 1
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            records.append((start_line, row))
    except csv.Error as error:
        raise DatasetError(
            f"{where}, line {next_line}: the CSV is malformed ({error}); "
            "a quote left open usually means the file was cut short"
        ) from None
    if not records:
        raise DatasetError(f"{where}: the file is empty (expected a header line)")
    (header_line, header), body = records[0], records[1:]
    return header_line, header, body


def file_stats(raw: bytes, rows: int) -> dict:
    """The stats ``datapackage.json`` records for a file: its SHA-256 hash, size in bytes and data rows.

    Examples
    --------
    >>> file_stats(b"name,value\\nH800,3.35\\n", rows=1)["bytes"]
    21
    """
    if not isinstance(raw, bytes):
        raise ValueError(f"raw must be the file's bytes (got {type(raw).__name__} {raw!r:.60})")
    rows = count("rows", rows, minimum=0)
    return {"hash": f"sha256:{hashlib.sha256(raw).hexdigest()}", "bytes": len(raw), "rows": rows}


def _check_stats(resource: dict, raw: bytes, rows: int, where: str) -> None:
    """Compare the file with the hash, size and row count recorded in datapackage.json."""
    recorded = {key: resource[key] for key in STATS_KEYS if key in resource}
    actual = file_stats(raw, rows)
    differ = [key for key in recorded if recorded[key] != actual[key]]
    if differ:
        found = ", ".join(f"{key} {actual[key]} (recorded {recorded[key]})" for key in differ)
        raise DatasetError(
            f"{where}: the file does not match the stats datapackage.json records for it: {found}. "
            "It was truncated or edited. If the edit was intended, record the new stats with "
            "`python -m tokenomics.refresh_stats`"
        )


def refresh_stats(datasets_dir: str | Path | None = None) -> list[str]:
    """Record each resource's hash, size and row count in ``datapackage.json`` after an intended edit.

    Then every dataset is loaded, so its rows are checked against the schema; if one does not
    load, the previous ``datapackage.json`` is put back and the error raised: stats are recorded
    only for files that load.

    Returns
    -------
    list of str
        The names of the datasets whose stats changed.
    """
    directory = _resolve_dir(datasets_dir).resolve()
    path = directory / "datapackage.json"
    previous_text = path.read_text(encoding="utf-8")
    package = _package(directory)
    changed = []
    for index, resource in enumerate(package["resources"]):
        where = f"dataset {resource['name']!r} ({resource['path']})"
        raw = (directory / resource["path"]).read_bytes()
        stats = file_stats(raw, len(_read_records(raw, where)[2]))
        if any(resource.get(key) != stats[key] for key in STATS_KEYS):
            changed.append(resource["name"])
        after = "encoding" if "encoding" in resource else "path"
        updated = {}
        for key, value in resource.items():
            if key not in STATS_KEYS:
                updated[key] = value
            if key == after:
                updated.update(stats)
        package["resources"][index] = updated
    path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    try:
        for resource in package["resources"]:
            load(resource["name"], directory)
    except DatasetError:
        path.write_text(previous_text, encoding="utf-8")
        raise
    return changed
