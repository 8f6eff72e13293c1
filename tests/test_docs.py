"""Every relative link in the README, the instructor's guide and the notebooks leads to a file of the
kit, and every link into a Markdown page's section (``glossary.md#kv-cache``) to one of its headings."""

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


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    kept = "".join(c for c in heading.strip().lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


def heading_anchors(page: Path) -> set[str]:
    """The anchors of a Markdown page's headings (outside code blocks), repeats numbered as GitHub does."""
    anchors: set[str] = set()
    fenced = False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        match = None if fenced else re.match(r"#{1,6}\s+(.+?)\s*#*\s*$", line)
        if match:
            anchor, n = slug(match.group(1)), 1
            while anchor in anchors:
                anchor, n = f"{slug(match.group(1))}-{n}", n + 1
            anchors.add(anchor)
    return anchors


def section_links(page: Path) -> list[tuple[str, str]]:
    """(file, fragment) of the page's relative links into a section of a Markdown page."""
    targets = [match.group(1) for match in LINK.finditer(markdown_of(page))]
    pairs = [t.split("#", 1) for t in targets if "#" in t and not re.match(r"[a-z]+:", t)]
    return [(path, fragment) for path, fragment in pairs if path.endswith(".md")]


def test_slugs_follow_github_and_a_wrong_anchor_is_caught(tmp_path):
    assert slug("KV cache") == "kv-cache"
    assert slug("Time to first token (TTFT)") == "time-to-first-token-ttft"
    assert slug("FP8 and BF16") == "fp8-and-bf16"
    assert slug("FLOP/s") == "flops"
    target = tmp_path / "terms.md"
    target.write_text("# Terms\n\n### KV cache\ntext\n```\n# not a heading\n```\n### KV cache\n")
    assert heading_anchors(target) == {"terms", "kv-cache", "kv-cache-1"}
    page = tmp_path / "page.md"
    page.write_text("[a](terms.md#kv-cache) [b](terms.md#kv-caches) [c](https://x.org/a.md#b)")
    assert section_links(page) == [("terms.md", "kv-cache"), ("terms.md", "kv-caches")]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_into_a_section_finds_its_heading(page):
    wrong = [
        f"{path}#{fragment}"
        for path, fragment in section_links(page)
        if (page.parent / path).exists() and fragment not in heading_anchors(page.parent / path)
    ]
    assert wrong == []


GLOSSARY_TERMS = [
    "Token", "Tokenizer", "Prefill", "Decode step", "KV cache", "Time to first token (TTFT)",
    "Time per output token (TPOT)", "Interactivity", "Batch", "Batching", "Context window", "HBM",
    "Memory bandwidth", "FLOP/s", "Roofline", "FP8 and BF16", "GPU", "H800", "Mixture of experts (MoE)",
    "Multi-head latent attention (MLA)", "Grouped-query attention (GQA)", "Tensor parallelism",
    "Expert parallelism", "Utilization", "Queueing", "Blended price", "Price per million tokens",
    "Cost profit margin", "Open weights", "Third-party host", "Router", "Reasoning model", "Verbosity",
    "Export controls",
]  # fmt: skip
"""Headings the lessons link to; the glossary must keep them (a renamed heading breaks those links)."""


def test_the_glossary_has_a_section_for_every_term_the_lessons_link_to():
    text = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    headings = re.findall(r"^### (.+)$", text, flags=re.MULTILINE)
    assert [t for t in GLOSSARY_TERMS if t not in headings] == []
    assert len(headings) == len(set(headings)), "a term is explained twice"


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
