"""Build the site: lay out its sources, run Sphinx (myst-nb, nothing executed), swap it into place.

:func:`build` always builds; :func:`ensure_built` builds only when the site's inputs changed
since the last build (a hash of them is kept in the site), under a file lock, so test workers
starting together build it once. A build happens in a temporary folder under ``build/`` and
replaces ``build/book`` only when it succeeded.
"""

from __future__ import annotations

import contextlib
import fcntl
import posixpath
import shutil
import tempfile
import time
from pathlib import Path

import nbformat

from book import assets, datasets
from book.config import Site, load_site
from book.inputs import OUT_DIR, STAMP, inputs_hash, is_fresh
from book.links import Layout
from book.notebooks import site_notebook
from book.stored import exercise_views, lesson_views
from book.widgets import has_controls

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the backport named in the test extra
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
SITE_DIR = ROOT / "docs" / "site"
LANDING_LEFT_OUT = ("Speed", "Tests in a real browser", "Other commands")
"""README sections left off the landing page (they are for developers of the kit)."""

EXTRA_PAGES = {"CHANGELOG.md": "changelog.md", "CONTRIBUTING.md": "contributing.md"}
"""Files of the repository's root shown as pages, where they exist."""


def kit_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


# --- pages -------------------------------------------------------------------------------------


def _title(notebook_or_text) -> str:
    """The first ``# `` heading of a notebook's Markdown or of a text."""
    if isinstance(notebook_or_text, str):
        sources = [notebook_or_text]
    else:
        sources = [cell.source for cell in notebook_or_text.cells if cell.cell_type == "markdown"]
    for source in sources:
        for line in source.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    raise ValueError("a page needs a title: a first-level heading (# Title)")


def readme_sections(text: str) -> list[tuple[str, str]]:
    """The README cut at its ``## `` headings: [(heading, text)], the part before the first as ("", ...)."""
    sections, heading, lines, fenced = [], "", [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            sections.append((heading, "".join(lines)))
            heading, lines = line[3:].strip(), []
        lines.append(line)
    sections.append((heading, "".join(lines)))
    return sections


def landing_page(readme: str) -> str:
    """The landing page: the README with its lesson map, less its sections for developers."""
    return "".join(text for heading, text in readme_sections(readme) if heading not in LANDING_LEFT_OUT)


def toctree(entries: list[str], caption: str = "") -> str:
    """A hidden MyST toctree of page names (paths without their suffix)."""
    options = ":hidden:\n" + (f":caption: {caption}\n" if caption else "")
    names = "\n".join(str(Path(entry).with_suffix("")) for entry in entries)
    return f"\n\n```{{toctree}}\n{options}\n{names}\n```\n"


def exercises_page(exercises: list[Path], lessons: list[Path], layout: Layout) -> str:
    """The list of exercise notebooks, each with its lesson."""
    lesson_names = {path.name for path in lessons}
    lines = [
        "# Exercises",
        "",
        "One exercise notebook per lesson, with instant feedback: `q1.check()` says correct, not "
        "yet or not attempted; `q1.hint()` gives graded hints and `q1.solution()` the worked "
        "answer. Open a notebook with its launch buttons, or download it and run it in your own "
        "Jupyter with the kit installed.",
        "",
        "| exercises | for the lesson |",
        "| --- | --- |",
    ]
    for path in exercises:
        notebook = nbformat.read(path, as_version=4)
        lesson = f"notebooks/{path.name}"
        if path.name in lesson_names:
            lesson_title = _title(nbformat.read(ROOT / lesson, as_version=4))
            lesson_cell = f"[{lesson_title}]({layout.link(lesson, 'exercises/index.md')})"
        else:
            lesson_cell = ""
        lines.append(f"| [{_title(notebook)}]({path.name}) | {lesson_cell} |")
    lines.append(toctree([path.name for path in exercises]))
    return "\n".join(lines)


def _layout(site: Site, lessons, exercises, guide, glossary, resources) -> Layout:
    pages = {"README.md": "index.md", "docs/site/about.md": "about.md"}
    pages.update({f"notebooks/{path.name}": f"notebooks/{path.name}" for path in lessons})
    pages.update({f"exercises/{path.name}": f"exercises/{path.name}" for path in exercises})
    pages.update({str(path.relative_to(ROOT)): str(path.relative_to(ROOT)) for path in guide + glossary})
    pages["datasets/README.md"] = "datasets/README.md"
    pages.update({f"datasets/{res['path']}": f"datasets/{res['name']}.md" for res in resources})
    pages.update({name: page for name, page in EXTRA_PAGES.items() if (ROOT / name).is_file()})
    folders = {
        "": "index.md",
        "notebooks": "index.md",
        "exercises": "exercises/index.md",
        "docs/instructors": "docs/instructors/README.md",
        "datasets": "datasets/README.md",
    }
    images = {str(path.relative_to(ROOT)) for path in (ROOT / "docs" / "images").glob("*") if path.is_file()}
    return Layout(site, pages, folders, images)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _write_notebook(path: Path, notebook: nbformat.NotebookNode) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)


def _markdown_page(repo_path: str, layout: Layout, extra: str = "") -> str:
    text = (ROOT / repo_path).read_text(encoding="utf-8")
    return layout.rewrite(text, repo_path) + extra


def prepare_sources(src: Path, site: Site | None = None) -> dict[str, int]:
    """Write the site's Sphinx sources into ``src``; return how many pages of each kind."""
    site = site or load_site()
    lessons = sorted((ROOT / "notebooks").glob("*.ipynb"))
    exercises = sorted((ROOT / "exercises").glob("*.ipynb"))
    guide_dir = ROOT / "docs" / "instructors"
    guide = [guide_dir / "README.md", *sorted(p for p in guide_dir.glob("*.md") if p.name != "README.md")]
    glossary = sorted((ROOT / "docs").glob("glossary.md"))
    package = datasets.load_package(ROOT / "datasets")
    resources = package["resources"]
    layout = _layout(site, lessons, exercises, guide, glossary, resources)

    for path in lessons:
        notebook = nbformat.read(path, as_version=4)
        repo_path = f"notebooks/{path.name}"
        shown = lesson_views(notebook, repo_path)
        voila = any(has_controls(view) for views in shown.values() for view in views)  # Voila is worth it
        _write_notebook(src / repo_path, site_notebook(notebook, repo_path, layout, shown, voila))
    for path in exercises:
        notebook = nbformat.read(path, as_version=4)
        repo_path = f"exercises/{path.name}"
        shown = exercise_views(notebook, repo_path)
        _write_notebook(src / repo_path, site_notebook(notebook, repo_path, layout, shown, voila=False))
    _write(src / "exercises" / "index.md", exercises_page(exercises, lessons, layout))

    guide_pages = [str(path.relative_to(guide_dir)) for path in guide[1:]]
    _write(
        src / "docs/instructors/README.md",
        _markdown_page("docs/instructors/README.md", layout, toctree(guide_pages)),
    )
    for path in guide[1:] + glossary:
        repo_path = str(path.relative_to(ROOT))
        _write(src / repo_path, _markdown_page(repo_path, layout))

    dataset_pages = []
    for resource in resources:
        page = f"datasets/{resource['name']}.md"
        here = f"datasets/{resource['path']}"

        # A row's source path is relative to the repository's root, not to the CSV file.
        def href(path, here=here):
            return layout.href(posixpath.relpath(path, "datasets"), here)

        def link(path, here=here):
            return layout.link(posixpath.relpath(path, "datasets"), here)

        _write(src / page, datasets.dataset_page(resource, ROOT / "datasets", package, href, link))
        shutil.copy2(ROOT / "datasets" / resource["path"], src / "datasets" / resource["path"])
        dataset_pages.append(f"{resource['name']}.md")
    _write(src / "datasets/README.md", _markdown_page("datasets/README.md", layout, toctree(dataset_pages)))

    extra_pages = {name: page for name, page in EXTRA_PAGES.items() if (ROOT / name).is_file()}
    for name, page in extra_pages.items():
        _write(src / page, _markdown_page(name, layout))
    _write(src / "about.md", _markdown_page("docs/site/about.md", layout))

    if (ROOT / "docs" / "images").is_dir():
        shutil.copytree(ROOT / "docs" / "images", src / "docs" / "images")
    landing = layout.rewrite(landing_page((ROOT / "README.md").read_text(encoding="utf-8")), "README.md")
    practice = [
        "exercises/index.md",
        "docs/instructors/README.md",
        *[str(p.relative_to(ROOT)) for p in glossary],
    ]
    landing += toctree([f"notebooks/{path.name}" for path in lessons], "Lessons")
    landing += toctree(practice, "Practice and teaching")
    landing += toctree(["datasets/README.md"], "Data")
    landing += toctree(["about.md", *extra_pages.values()], "About")
    _write(src / "index.md", landing)

    # The notebooks as stored, for the download buttons (copied to the same paths on the site).
    for folder, paths in (("notebooks", lessons), ("exercises", exercises)):
        (src / "_extra" / folder).mkdir(parents=True, exist_ok=True)
        for path in paths:
            shutil.copy2(path, src / "_extra" / folder / path.name)

    shutil.copy2(SITE_DIR / "conf.py", src / "conf.py")
    shutil.copytree(SITE_DIR / "_static", src / "_static", dirs_exist_ok=True)
    assets.write_vega(src / "_static")
    assets.copy_mathjax(src / "_static")
    return {
        "lessons": len(lessons),
        "exercises": len(exercises),
        "guide": len(guide),
        "glossary": len(glossary),
        "datasets": len(resources),
    }


# --- Sphinx and the swap -----------------------------------------------------------------------


def run_sphinx(src: Path, out: Path, doctrees: Path, quiet: bool = True) -> None:
    """Build HTML from ``src`` into ``out``; any Sphinx warning fails the build (``-W``)."""
    from sphinx.cmd.build import build_main

    version = kit_version()
    args = ["-b", "html", "-W", "--keep-going", "-d", str(doctrees), "-D", f"release={version}"]
    args += ["-D", f"version={version}", *(["-q"] if quiet else []), str(src), str(out)]
    status = build_main(args)
    if status != 0:
        raise RuntimeError(f"Sphinx failed (exit status {status}); its warnings are printed above")


def build(out: Path = OUT_DIR, quiet: bool = True) -> dict:
    """Build the whole site into ``out`` (replacing what is there); return what was built."""
    started = time.perf_counter()
    fingerprint = inputs_hash()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".book-build-") as work:
        work = Path(work)
        counts = prepare_sources(work / "src")
        run_sphinx(work / "src", work / "html", work / "doctrees", quiet=quiet)
        (work / "html" / STAMP).write_text(fingerprint + "\n")
        if out.exists():
            out.rename(work / "previous")
        (work / "html").rename(out)
    pages = sum(1 for _ in out.rglob("*.html"))
    return {**counts, "html_pages": pages, "seconds": round(time.perf_counter() - started, 1)}


@contextlib.contextmanager
def _locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_built(out: Path = OUT_DIR) -> Path:
    """The site in ``out``, built first if it is missing or older than its inputs.

    Safe when several processes call it at once: one builds, the others wait for it.
    """
    out = Path(out)
    with _locked(out.parent / f"{out.name}.lock"):
        if not is_fresh(out):
            build(out)
    return out
