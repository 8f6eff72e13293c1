"""A page per dataset, generated from ``datasets/datapackage.json`` at every build.

Each page gives the dataset's title, description, licence, sources and caveats, every field with
its type, unit and description, and every row of the CSV file as stored, its source (a link) and
its quality among the columns. New datasets and rows appear on the next build.

Examples
--------
>>> cell("https://example.org/a", "source", lambda path: path)
'<a href="https://example.org/a">https://example.org/a</a>'
>>> cell("reported", "quality", lambda path: path)
'<span class="kit-quality kit-quality-reported">reported</span>'
"""

from __future__ import annotations

import csv
import html
import json
from collections.abc import Callable
from pathlib import Path

QUALITY_LABELS = ("reported", "chart-read", "derived", "illustrative")


def load_package(datasets_dir: Path) -> dict:
    """The data package's descriptor (``datapackage.json``)."""
    return json.loads((datasets_dir / "datapackage.json").read_text(encoding="utf-8"))


def read_rows(datasets_dir: Path, resource: dict) -> tuple[list[str], list[list[str]]]:
    """The CSV file's header and rows, as the text stored in the file."""
    with open(
        datasets_dir / resource["path"], newline="", encoding=resource.get("encoding", "utf-8")
    ) as file:
        table = list(csv.reader(file))
    if not table:
        raise ValueError(f"{resource['path']} is empty: a dataset needs at least its header row")
    return table[0], table[1:]


def cell(value: str, column: str, href: Callable[[str], str]) -> str:
    """One table cell's HTML: a URL or repository path as a link, a quality as a label."""
    text = html.escape(value)
    if value.startswith(("http://", "https://")):
        return f'<a href="{html.escape(value, quote=True)}">{text}</a>'
    if column.endswith("source") and "/" in value and " " not in value:
        return f'<a href="{html.escape(href(value), quote=True)}">{text}</a>'
    if column.endswith("quality") and value in QUALITY_LABELS:
        return f'<span class="kit-quality kit-quality-{value}">{text}</span>'
    return text


def _table(header: list[str], rows: list[list[str]], classes: str) -> str:
    head = "".join(f"<th>{html.escape(name)}</th>" for name in header)
    body = "".join("<tr>" + "".join(f"<td>{value}</td>" for value in row) + "</tr>" for row in rows)
    return (
        f'<div class="kit-table-wrap"><table class="table {classes}">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _markdown_text(text: str) -> str:
    """Descriptor text as Markdown paragraph text (``$`` would otherwise start maths)."""
    return text.replace("$", "\\$")


def dataset_page(
    resource: dict,
    datasets_dir: Path,
    package: dict,
    href: Callable[[str], str],
    link: Callable[[str], str],
) -> str:
    """The Markdown page of one dataset (raw HTML tables inside).

    A repository path named as a source (``datasets/events.csv``) becomes a link from this page:
    ``href(path)`` in the HTML tables, ``link(path)`` in Markdown.
    """
    header, rows = read_rows(datasets_dir, resource)
    fields = resource["schema"]["fields"]
    declared = [field["name"] for field in fields]
    if header != declared:
        raise ValueError(
            f"{resource['path']}: its header {header} differs from the fields "
            f"datapackage.json declares {declared}"
        )
    for number, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise ValueError(f"{resource['path']}, line {number}: {len(row)} values for {len(header)} fields")
    licences = resource.get("licenses") or package.get("licenses") or []
    path = resource["path"]
    lines = [
        f"# {resource.get('title', resource['name'])}",
        "",
        f"Dataset `{resource['name']}`: {{download}}`{path} <{path}>`, {len(rows)} rows.",
        "",
        _markdown_text(resource.get("description", "")),
        "",
    ]
    if licences:
        names = ", ".join(f"[{item.get('title', item['name'])}]({item['path']})" for item in licences)
        lines += [f"Licence: {names}.", ""]
    lines += ["## Sources", ""]
    lines += [
        f"- [{_markdown_text(source['title'])}]({link(source['path'])})"
        for source in resource.get("sources", [])
    ]
    if resource.get("caveats"):
        lines += ["", "## Caveats", "", _markdown_text(resource["caveats"])]
    field_rows = [
        [
            f"<code>{html.escape(field['name'])}</code>",
            html.escape(field.get("type", "")),
            html.escape(field.get("unit", "")),
            html.escape(field.get("description", "")),
        ]
        for field in fields
    ]
    row_cells = [
        [cell(value, column, href) for value, column in zip(row, header, strict=True)] for row in rows
    ]
    lines += [
        "",
        "## Fields",
        "",
        _table(["field", "type", "unit", "description"], field_rows, "kit-fields"),
        "",
        "## Rows",
        "",
        "Every row as stored in the file; `source` names where its figures come from and `quality` "
        "how firm they are (reported, chart-read, derived or illustrative).",
        "",
        _table(header, row_cells, "kit-rows"),
        "",
    ]
    return "\n".join(lines)
