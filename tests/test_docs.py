"""Every relative link in the README, the instructor's guide and the notebooks leads to a file of the kit."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from tokenomics.exercises.markdown import escape_prices

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    page
    for page in [
        ROOT / "README.md",
        *sorted((ROOT / "docs").rglob("*.md")),
        *sorted((ROOT / "notebooks").glob("*.ipynb")),
        *sorted((ROOT / "exercises").rglob("*.ipynb")),
    ]
    # Jupyter's .ipynb_checkpoints copies are not the kit's pages.
    if not any(part.startswith(".") for part in page.relative_to(ROOT).parts)
]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def markdown_of(page: Path) -> str:
    """The Markdown of a page, or of a notebook's Markdown cells."""
    if page.suffix == ".ipynb":
        cells = nbformat.read(page, as_version=4).cells
        return "\n".join(cell.source for cell in cells if cell.cell_type == "markdown")
    return page.read_text(encoding="utf-8")


def relative_links(page: Path) -> list[str]:
    """Targets of the page's Markdown links that are not web addresses or in-page anchors."""
    targets = [match.group(1) for match in LINK.finditer(markdown_of(page))]
    return [t.split("#", 1)[0] for t in targets if not re.match(r"[a-z]+:", t) and not t.startswith("#")]


def test_relative_links_are_found_and_the_check_can_fail(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("[a](notebooks/x.ipynb) [b](https://example.org) [c](#here) [d](../y.md#part)")
    assert relative_links(page) == ["notebooks/x.ipynb", "../y.md"]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file(page):
    missing = [target for target in relative_links(page) if not (page.parent / target).exists()]
    assert missing == []


NOTEBOOKS = [page for page in PAGES if page.suffix == ".ipynb"]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_price_in_a_notebook_is_set_as_maths(notebook):
    """Jupyter sets the text between two $ as maths: a price's $ must be written \\$."""
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type == "markdown":
            assert escape_prices(cell.source) == cell.source, cell.source[:200]


def test_the_instructors_guide_has_a_page_for_every_lesson():
    guide = ROOT / "docs" / "instructors"
    index = (guide / "README.md").read_text(encoding="utf-8")
    for lesson in sorted((ROOT / "notebooks").glob("*.ipynb")):
        page = guide / f"{lesson.stem}.md"
        assert page.exists(), f"no instructor's page for {lesson.name}"
        assert f"({page.name})" in index, f"the guide's index does not link {page.name}"
        assert "## A 50-minute plan" in page.read_text(encoding="utf-8")
