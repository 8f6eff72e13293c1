"""The website's builder (``scripts/book``) piece by piece, without Sphinx or a browser.

The site as a whole is built and opened in chromium by ``tests/browser/test_site.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import altair as alt
import ipywidgets as widgets
import nbformat
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))

from book import badges, datasets, stored  # noqa: E402
from book.build import landing_page, readme_sections  # noqa: E402
from book.config import Site, load_site  # noqa: E402
from book.inputs import build_if_stale, is_fresh  # noqa: E402
from book.links import Layout, without_remote_images  # noqa: E402
from book.notebooks import site_notebook  # noqa: E402
from book.stored import MissingView, exercise_views, lesson_views  # noqa: E402
from book.widgets import chart_html, describe_control, has_controls, render  # noqa: E402

from tokenomics.widget_views import VIEW_KEY, WIDGET_VIEW, view_of  # noqa: E402

SITE = Site("owner/kit", "main", "https://mybinder.org", "https://hub.example.edu")


# --- where the kit is published ----------------------------------------------------------------


def test_the_readme_badges_are_the_ones_docs_site_toml_gives():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert badges.with_badges(readme, load_site()) == readme, "run make badges after editing docs/site.toml"


def test_badges_follow_the_repository_and_say_when_it_is_a_placeholder():
    block = badges.badge_block(SITE)
    assert (
        "https://mybinder.org/v2/gh/owner/kit/main?urlpath=voila/render/notebooks/03_gpu_batching.ipynb"
        in block
    )
    assert "placeholder" not in block
    placeholder = Site("OWNER/REPO", "main", "https://mybinder.org", "https://jupyterhub.example")
    assert "placeholder" in badges.badge_block(placeholder)
    assert placeholder.placeholders == ["repository", "jupyterhub"]
    assert SITE.placeholders == []


def test_the_badge_markers_must_be_there():
    with pytest.raises(ValueError, match="badge markers"):
        badges.with_badges("# a README without markers\n", SITE)


def test_launch_addresses():
    assert SITE.binder_url("exercises/03_gpu_batching.ipynb") == (
        "https://mybinder.org/v2/gh/owner/kit/main?urlpath=lab/tree/exercises/03_gpu_batching.ipynb"
    )
    # nbgitpuller clones into a folder named after the repository, and wants its values encoded.
    assert SITE.jupyterhub_url("notebooks/03_gpu_batching.ipynb", "voila") == (
        "https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fowner%2Fkit"
        "&branch=main&urlpath=voila%2Frender%2Fkit%2Fnotebooks%2F03_gpu_batching.ipynb"
    )
    assert (
        SITE.file_url("exercises/solutions/") == "https://github.com/owner/kit/tree/main/exercises/solutions"
    )
    assert SITE.file_url("tokenomics/kpi.py") == "https://github.com/owner/kit/blob/main/tokenomics/kpi.py"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("repository", "not a repository", "owner/name"),
        ("binderhub", "http://mybinder.org", "https://"),
        ("jupyterhub", "hub.example.edu", "https://"),
        ("branch", "", "branch"),
    ],
)
def test_bad_settings_are_refused(field, value, message):
    settings = {
        "repository": "o/r",
        "branch": "main",
        "binderhub": "https://b.org",
        "jupyterhub": "https://h.org",
    }
    with pytest.raises(ValueError, match=message):
        Site(**{**settings, field: value})
    with pytest.raises(ValueError, match="interface"):
        SITE.binder_url("notebooks/x.ipynb", interface="classic")


def test_site_toml_must_set_exactly_its_four_values(tmp_path):
    toml = tmp_path / "site.toml"
    toml.write_text('repository = "o/r"\nbranch = "main"\nbinderhub = "https://b.org"\n')
    with pytest.raises(KeyError, match="jupyterhub"):
        load_site(toml)


# --- links -------------------------------------------------------------------------------------


@pytest.fixture
def layout():
    return Layout(
        SITE,
        pages={
            "README.md": "index.md",
            "notebooks/03_gpu_batching.ipynb": "notebooks/03_gpu_batching.ipynb",
            "docs/instructors/README.md": "docs/instructors/README.md",
            "datasets/events.csv": "datasets/events.md",
        },
        folders={"exercises": "exercises/index.md"},
        assets={"docs/images/03_gpu_batching.png"},
    )


def test_links_lead_to_pages_folders_assets_or_the_repository(layout):
    page = "docs/instructors/README.md"
    assert (
        layout.link("../../notebooks/03_gpu_batching.ipynb", page) == "../../notebooks/03_gpu_batching.ipynb"
    )
    assert layout.link("README.md#running-the-kit-in-class", page) == "README.md#running-the-kit-in-class"
    assert layout.link("../../exercises/", page) == "../../exercises/index.md"
    assert layout.link("../../exercises/solutions/03_gpu_batching.ipynb", page) == (
        "https://github.com/owner/kit/blob/main/exercises/solutions/03_gpu_batching.ipynb"
    )
    assert layout.link("docs/images/03_gpu_batching.png", "README.md") == "docs/images/03_gpu_batching.png"
    assert layout.link("https://example.org/a", page) == "https://example.org/a"
    assert layout.link("#here", page) == "#here"


def test_hrefs_point_at_html_pages(layout):
    assert layout.href("events.csv", "datasets/events.csv") == "events.html"
    assert layout.href("../notebooks/03_gpu_batching.ipynb#summary", "datasets/events.csv") == (
        "../notebooks/03_gpu_batching.html#summary"
    )


def test_rewrite_changes_only_link_targets(layout):
    text = "See [the guide](docs/instructors/README.md) and [code](tokenomics/kpi.py), not (this)."
    assert layout.rewrite(text, "README.md") == (
        "See [the guide](docs/instructors/README.md) and "
        "[code](https://github.com/owner/kit/blob/main/tokenomics/kpi.py), not (this)."
    )


def test_remote_images_become_links():
    assert (
        without_remote_images("![a chart](https://example.org/c.png)")
        == "[a chart](https://example.org/c.png)"
    )
    assert without_remote_images("![local](docs/images/a.png)") == "![local](docs/images/a.png)"


# --- widgets as static HTML, from their stored views ---------------------------------------------


def _chart(x_values):
    return (
        alt.Chart(pd.DataFrame({"x": x_values, "label": ["a</script>b"] * len(x_values)}))
        .mark_point()
        .encode(x="x:Q", tooltip="label:N")
    )


def _spec_payloads(html: str) -> list[dict]:
    """The payload after each chart placeholder of ``html`` (KeyError if a placeholder has none)."""
    parts = html.split('<div class="kit-chart"')[1:]
    payloads = []
    for part in parts:
        after = part.split("</div>", 1)[1]
        if not after.startswith('<script type="application/json" class="kit-chart-spec">'):
            raise KeyError("a chart placeholder without its spec")
        payloads.append(json.loads(after.split(">", 1)[1].split("</script>", 1)[0]))
    return payloads


def test_a_chart_becomes_a_placeholder_and_its_spec():
    html = chart_html(view_of(alt.JupyterChart(_chart([1, 2]))))
    assert html.startswith('<div class="kit-chart"')
    payload = html.split('class="kit-chart-spec">', 1)[1].removesuffix("</script>")
    assert "</script>b" not in payload, "a '</' in the data would end the script element early"
    spec = json.loads(payload)["spec"]
    assert spec["mark"]["type"] == "point"
    assert [row["x"] for row in next(iter(spec["datasets"].values()))] == [1, 2]
    with pytest.raises(ValueError, match="spec"):
        chart_html({"widget": "JupyterChart", "spec": None, "embed_options": {}})


def test_controls_are_described_by_what_they_set_their_value_and_range():
    assert describe_control(view_of(widgets.IntSlider(value=64, min=1, max=1024, description="batch"))) == (
        "batch",
        "64",
        "1 to 1,024",
    )
    picker = widgets.SelectionSlider(options=[2**n for n in range(12)], value=256, description="batch")
    assert describe_control(view_of(picker)) == ("batch", "256", "12 settings from 1 to 2048")
    checkbox = widgets.Checkbox(value=False, description="show curve")
    assert describe_control(view_of(checkbox))[1] == "not ticked"
    assert describe_control(view_of(widgets.Button(description="reset", tooltip="back to the defaults"))) == (
        "reset",
        "a button",
        "back to the defaults",
    )
    menu = widgets.Dropdown(options=[("FP8", "fp8"), ("BF16", "bf16")], value="bf16", description="weights")
    assert describe_control(view_of(menu)) == ("weights", "BF16", "one of: FP8, BF16")


def test_a_dashboard_keeps_its_readout_and_chart_and_describes_its_controls():
    board = view_of(
        widgets.VBox(
            [
                widgets.FloatSlider(
                    value=0.7, min=0.3, max=1.0, step=0.01, description="MFU", readout_format=".2f"
                ),
                widgets.HBox([widgets.HTML("<b>42.48</b> $/Mtok"), alt.JupyterChart(_chart([1, 2, 3]))]),
            ]
        )
    )
    html = render(board)
    assert has_controls(board) and not has_controls(view_of(alt.JupyterChart(_chart([1]))))
    assert "<b>42.48</b> $/Mtok" in html
    assert "0.30 to 1.00 in steps of 0.01" in html
    assert [len(p["spec"]["datasets"][next(iter(p["spec"]["datasets"]))]) for p in _spec_payloads(html)] == [
        3
    ]


def test_a_view_is_plain_json_and_says_nothing_that_changes_between_runs():
    view = view_of(widgets.VBox([widgets.IntSlider(value=3), alt.JupyterChart(_chart([1]))]))
    text = json.dumps(view, sort_keys=True)
    assert json.loads(text) == view
    assert "IPY_MODEL_" not in text and "model_id" not in text and "layout" not in text


def test_a_widget_the_site_cannot_show_is_an_error():
    with pytest.raises(TypeError, match="Output"):
        render(view_of(widgets.VBox([widgets.Output()])))


# --- the site is drawn from the stored views, and runs nothing ---------------------------------

RAISES = "raise RuntimeError('the website ran a lesson cell')"


def _notebook_with_a_widget(path: Path, view: dict | None, code: str = RAISES) -> Path:
    """A lesson whose every code cell raises, with one stored widget output (and its view)."""
    metadata = {VIEW_KEY: {"views": [view]}} if view is not None else {}
    output = nbformat.v4.new_output(
        "execute_result",
        data={WIDGET_VIEW: {"model_id": "0", "version_major": 2, "version_minor": 0}, "text/plain": "VBox()"},
        metadata=metadata,
        execution_count=2,
    )
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# A lesson\n\nIts introduction."),
            nbformat.v4.new_code_cell(code),
            nbformat.v4.new_code_cell(code, outputs=[output]),
        ]
    )
    nbformat.write(notebook, path)
    return path


def _board():
    return view_of(
        widgets.VBox([widgets.IntSlider(value=3, description="batch"), alt.JupyterChart(_chart([1]))])
    )


def test_the_site_copy_of_a_notebook_has_launch_buttons_and_the_stored_dashboard(tmp_path):
    path = _notebook_with_a_widget(tmp_path / "lesson.ipynb", _board())
    notebook = nbformat.read(path, as_version=4)
    layout = Layout(SITE, pages={"notebooks/lesson.ipynb": "notebooks/lesson.ipynb"}, folders={})
    shown = lesson_views(notebook, "notebooks/lesson.ipynb")
    copy = site_notebook(notebook, "notebooks/lesson.ipynb", layout, shown, voila=True)
    assert copy.cells[0].source == "# A lesson"
    assert 'class="kit-launch"' in copy.cells[1].source
    assert "urlpath=voila/render/notebooks/lesson.ipynb" in copy.cells[1].source
    assert copy.cells[2].source.strip() == "Its introduction."
    output = copy.cells[4].outputs[0]
    assert list(output["data"]) == ["text/html"] and 'class="kit-dashboard"' in output["data"]["text/html"]
    assert output["metadata"] == {}
    assert _spec_payloads(output["data"]["text/html"])[0]["spec"] == _board()["children"][1]["spec"]
    assert WIDGET_VIEW in notebook.cells[2].outputs[0]["data"], "input unchanged"


def test_a_widget_output_without_its_view_fails_naming_the_notebook_and_cell(tmp_path):
    notebook = nbformat.read(_notebook_with_a_widget(tmp_path / "stale.ipynb", None), as_version=4)
    with pytest.raises(MissingView, match=r"notebooks/stale.ipynb, cell 2: .*make notebooks"):
        lesson_views(notebook, "notebooks/stale.ipynb")


def test_the_site_reads_views_where_the_kit_stores_them():
    assert (stored.VIEW_KEY, stored.WIDGET_VIEW) == (VIEW_KEY, WIDGET_VIEW)


def test_an_exercise_dashboard_comes_from_the_view_stored_in_its_cell():
    cell = nbformat.v4.new_code_cell("price_dashboard(batch_size=1)", id="q4-show")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("____", id="q4-answer"), cell])
    with pytest.raises(MissingView, match=r"exercises/x.ipynb, cell 1 \(q4-show\).*make exercises"):
        exercise_views(notebook, "exercises/x.ipynb")
    cell.metadata[VIEW_KEY] = {"views": [_board()]}
    assert exercise_views(notebook, "exercises/x.ipynb") == {1: [_board()]}


def _stored_notebooks():
    return sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "exercises").glob("*.ipynb"))


@pytest.mark.parametrize("path", _stored_notebooks(), ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_every_chart_place_of_a_stored_notebook_has_its_spec(path):
    """The site's copy of every lesson and exercise, as stored: each widget output (or exercise
    dashboard) is drawn, each chart placeholder is followed by a spec with data and a mark."""
    notebook = nbformat.read(path, as_version=4)
    repo_path = f"{path.parent.name}/{path.name}"
    layout = Layout(SITE, pages={repo_path: repo_path}, folders={})
    lesson = path.parent.name == "notebooks"
    shown = lesson_views(notebook, repo_path) if lesson else exercise_views(notebook, repo_path)
    if lesson:
        expected = sum(
            WIDGET_VIEW in out.get("data", {}) for cell in notebook.cells for out in cell.get("outputs", [])
        )
    else:
        expected = sum(
            cell.get("id", "").endswith("-show") and "_dashboard(" in cell.source for cell in notebook.cells
        )
    assert sum(len(views) for views in shown.values()) == expected
    copy = site_notebook(notebook, repo_path, layout, shown, voila=lesson)
    html = "".join(
        out.get("data", {}).get("text/html", "") for cell in copy.cells for out in cell.get("outputs", [])
    )
    assert html.count('class="kit-chart"') == len(_spec_payloads(html)) > 0
    for payload in _spec_payloads(html):
        spec = payload["spec"]
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v")
        assert any(key in spec for key in ("mark", "layer", "vconcat", "hconcat", "concat", "facet"))
        assert spec.get("datasets") or spec.get("data")
    assert WIDGET_VIEW not in json.dumps(copy.cells)


@pytest.mark.slow  # lays out every page of the site: 5-25 s
def test_the_build_runs_no_lesson_code_and_imports_neither_the_kit_nor_a_kernel(tmp_path):
    """Lay out the whole site's sources (everything but Sphinx) in a fresh interpreter: neither the
    kit (which every lesson imports first) nor a kernel or a notebook runner may have been
    imported. (altair, imported for its Vega-Lite version, imports ipywidgets itself.)"""
    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT / 'scripts')!r})\n"
        "from book.build import prepare_sources\n"
        f"counts = prepare_sources(__import__('pathlib').Path({str(tmp_path / 'src')!r}))\n"
        "banned = ('tokenomics', 'ipykernel', 'nbclient')\n"
        "imported = sorted({m.split('.')[0] for m in sys.modules} & set(banned))\n"
        "print(__import__('json').dumps({'imported': imported, 'lessons': counts['lessons']}))\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    result = json.loads(ran.stdout.splitlines()[-1])
    assert result["imported"] == [], f"the build imported {result['imported']}"
    assert result["lessons"] == len(list((ROOT / "notebooks").glob("*.ipynb")))
    page = (tmp_path / "src" / "notebooks" / "03_gpu_batching.ipynb").read_text(encoding="utf-8")
    assert "kit-chart-spec" in page and "kit-chart" in page


# --- pages from the README and the data package ------------------------------------------------


def test_the_landing_page_leaves_out_the_developers_sections():
    readme = "# Kit\n\nintro\n\n```bash\n## not a heading\n```\n\n## Lessons\n\nmap\n\n## Speed\n\nfigures\n"
    assert [heading for heading, _ in readme_sections(readme)] == ["", "Lessons", "Speed"]
    page = landing_page(readme)
    assert "## not a heading" in page and "map" in page and "figures" not in page


@pytest.fixture
def package_dir(tmp_path):
    (tmp_path / "prices.csv").write_text(
        "host,usd_per_mtok,source,quality,note\n"
        "A,2.19,https://example.org/a,reported,listed price\n"
        "B,0.55,datasets/other.csv,derived,$ from other\n"
    )
    resource = {
        "name": "prices",
        "path": "prices.csv",
        "title": "Prices",
        "description": "Prices in $ per million tokens.",
        "sources": [{"title": "A's price list", "path": "https://example.org/a"}],
        "schema": {
            "fields": [
                {"name": "host", "type": "string", "description": "Who serves it."},
                {"name": "usd_per_mtok", "type": "number", "unit": "USD per million tokens"},
                {"name": "source", "type": "string"},
                {"name": "quality", "type": "string"},
                {"name": "note", "type": "string"},
            ]
        },
    }
    return tmp_path, resource


def test_a_dataset_page_shows_every_field_with_its_unit_and_every_row_with_its_source(package_dir):
    folder, resource = package_dir
    page = datasets.dataset_page(resource, folder, {"licenses": []}, lambda p: f"site/{p}", lambda p: p)
    assert page.startswith("# Prices")
    assert "USD per million tokens" in page
    assert page.count("<tr>") == 1 + 5 + 1 + 2  # field table (header + 5) and row table (header + 2)
    assert '<a href="https://example.org/a">' in page
    assert '<a href="site/datasets/other.csv">datasets/other.csv</a>' in page
    assert '<span class="kit-quality kit-quality-derived">derived</span>' in page
    assert "Prices in \\$ per million tokens." in page, "a dollar in the text must not start maths"


def test_a_dataset_whose_header_differs_from_its_schema_is_an_error(package_dir):
    folder, resource = package_dir
    resource["schema"]["fields"].pop()
    with pytest.raises(ValueError, match="differs from the fields"):
        datasets.dataset_page(resource, folder, {}, str, str)


@pytest.mark.slow
def test_the_site_builds_without_a_warning():
    """``make book``'s build, if the site is older than its inputs (Sphinx runs with -W: a warning
    fails it). Here rather than in the browser tests, so that ``make test`` builds the site while
    other tests run; ``tests/browser/test_site.py`` then finds it fresh."""
    site = ROOT / "build" / "book"
    built = build_if_stale()
    assert built.returncode == 0, f"make book failed:\n{built.stdout[-3000:]}\n{built.stderr[-6000:]}"
    assert is_fresh(site) and (site / "index.html").is_file()
