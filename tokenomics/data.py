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
that names the dataset, the line and the field, never a silently wrong chart.

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
import json
import math
import os
from functools import lru_cache
from pathlib import Path

import pandas as pd

from tokenomics.validation import unknown_name

DATASETS_DIR = Path(__file__).resolve().parent.parent / "datasets"
"""Where the kit's own datasets live (the ``datasets/`` folder beside the package)."""

QUALITY_LABELS = ("reported", "chart-read", "derived", "illustrative")
"""The four quality words a row may carry, from most to least certain."""

FIELD_TYPES = ("string", "number", "integer", "date", "boolean")
"""The Frictionless field types the loader reads."""

REQUIRED_FIELDS = ("source", "quality")
"""Fields every dataset must have, filled on every row."""


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
            for field in resource["schema"]["fields"]
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
    fields = resource["schema"]["fields"]
    field_names = [field["name"] for field in fields]
    where = f"dataset {name!r} ({resource['path']})"
    missing_required = [f for f in REQUIRED_FIELDS if f not in field_names]
    if missing_required:
        raise DatasetError(f"{where}: the schema lacks the required field(s) {missing_required}")

    with open(directory / resource["path"], encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        raise DatasetError(f"{where}: the file is empty (expected a header line)")
    header, body = rows[0], rows[1:]
    if header != field_names:
        raise DatasetError(
            f"{where}: header {header} does not match the schema's fields {field_names}"
            f" (missing {sorted(set(field_names) - set(header))},"
            f" extra {sorted(set(header) - set(field_names))})"
        )

    columns: dict[str, list] = {field["name"]: [] for field in fields}
    for row_number, row in enumerate(body, start=1):
        line = row_number + 1
        if len(row) != len(fields):
            raise DatasetError(f"{where}, line {line}: {len(row)} values, expected {len(fields)}")
        for field, text in zip(fields, row, strict=True):
            columns[field["name"]].append(_parse_value(field, text.strip(), f"{where}, line {line}"))
    _check_unique(resource, columns, where)
    return pd.DataFrame({field["name"]: _column(field, columns[field["name"]]) for field in fields})


def _check_unique(resource: dict, columns: dict[str, list], where: str) -> None:
    """Fields marked unique, and the primary key as a whole, must not repeat a value."""
    schema = resource["schema"]
    keys = [[f["name"]] for f in schema["fields"] if f.get("constraints", {}).get("unique")]
    if schema.get("primaryKey"):
        keys.append(list(schema["primaryKey"]))
    for key in keys:
        seen: dict[tuple, int] = {}
        for row_number, values in enumerate(zip(*(columns[name] for name in key), strict=True), start=1):
            if values in seen:
                shown = values if len(key) > 1 else values[0]
                raise DatasetError(
                    f"{where}, line {row_number + 1}, field {'+'.join(key)!r}: {shown!r}"
                    f" repeats line {seen[values] + 1} (it must be unique)"
                )
            seen[values] = row_number


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
