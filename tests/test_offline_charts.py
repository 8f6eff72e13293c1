"""The offline chart bundle is built once and then read from its cache file
(``tokenomics.dashboards.offline``)."""

from __future__ import annotations

import altair as alt
import pytest
from altair.jupyter.jupyter_chart import load_js_src

from tokenomics.dashboards import offline


@pytest.fixture
def online_charts(monkeypatch, tmp_path):
    """JupyterChart as a fresh process has it (online, altair's own module), with its cache in tmp_path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(alt.JupyterChart, "_is_offline", False)
    monkeypatch.setattr(alt.JupyterChart, "_esm", load_js_src())
    return tmp_path


def test_a_miss_has_altair_build_the_bundle_and_stores_it(online_charts):
    offline.enable_offline_charts()
    built = alt.JupyterChart._esm
    assert alt.JupyterChart._is_offline and built != load_js_src()
    assert offline.bundle_path().is_relative_to(online_charts)
    assert offline.bundle_path().read_text(encoding="utf-8") == built


def test_a_hit_reads_the_cache_file(online_charts):
    path = offline.bundle_path()
    path.parent.mkdir(parents=True)
    path.write_text("// a cached bundle\n", encoding="utf-8")
    offline.enable_offline_charts()
    assert alt.JupyterChart._is_offline and alt.JupyterChart._esm == "// a cached bundle\n"


def test_the_key_follows_the_versions(online_charts, monkeypatch):
    before = offline.bundle_path()
    monkeypatch.setattr(alt, "__version__", alt.__version__ + ".other")
    assert offline.bundle_path() != before


def test_a_cache_that_cannot_be_written_still_gives_offline_charts(online_charts, monkeypatch):
    blocker = online_charts / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    offline.enable_offline_charts()
    assert alt.JupyterChart._is_offline and alt.JupyterChart._esm != load_js_src()
    assert not offline.bundle_path().exists()
