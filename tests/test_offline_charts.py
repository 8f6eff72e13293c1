"""The charts' offline bundle is built once and then read from its cache file
(``tokenomics.dashboards.offline``)."""

from __future__ import annotations

from pathlib import Path

import pytest
import vl_convert
from altair.utils._importers import vl_version_for_vl_convert

from tokenomics.dashboards import offline, redraw
from tokenomics.dashboards.redraw import DataSwapChart

SOURCE = (Path(redraw.__file__).parent / "redraw.js").read_text(encoding="utf-8")
"""The chart widget's own JavaScript, which imports vega-embed."""


@pytest.fixture
def cache(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path


def test_a_miss_builds_what_vl_convert_builds_and_stores_it(cache):
    bundle = offline.offline_bundle(SOURCE)
    assert bundle == vl_convert.javascript_bundle(SOURCE, vl_version=vl_version_for_vl_convert())
    assert offline.bundle_path(SOURCE).is_relative_to(cache)
    assert offline.bundle_path(SOURCE).read_text(encoding="utf-8") == bundle


def test_a_hit_reads_the_cache_file(cache):
    path = offline.bundle_path(SOURCE)
    path.parent.mkdir(parents=True)
    path.write_text("// a cached bundle\n", encoding="utf-8")
    assert offline.offline_bundle(SOURCE) == "// a cached bundle\n"


def test_the_key_follows_the_source_and_the_versions(cache, monkeypatch):
    before = offline.bundle_path(SOURCE)
    assert offline.bundle_path(SOURCE + "\n") != before
    monkeypatch.setattr(vl_convert, "__version__", vl_convert.__version__ + ".other")
    assert offline.bundle_path(SOURCE) != before


def test_a_cache_that_cannot_be_written_still_gives_the_bundle(cache, monkeypatch):
    blocker = cache / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert offline.offline_bundle(SOURCE) not in ("", SOURCE)
    assert not offline.bundle_path(SOURCE).exists()


def test_the_chart_widget_draws_from_the_bundle(cache, monkeypatch):
    monkeypatch.setattr(DataSwapChart, "_is_offline", False)
    monkeypatch.setattr(DataSwapChart, "_esm", "")
    DataSwapChart.enable_offline()
    assert DataSwapChart._is_offline
    assert DataSwapChart._esm == offline.bundle_path(SOURCE).read_text(encoding="utf-8")
