"""The charts' offline bundle is built once and then read from its cache file
(``tokenomics.dashboards.offline``).

vl-convert's bundler is replaced by a recording stand-in here (a real bundle takes 1-3 s of CPU);
the kit's other chart tests use the real one, through the same cache.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import vl_convert

from tokenomics.dashboards import offline, redraw
from tokenomics.dashboards.redraw import DataSwapChart

SOURCE = (Path(redraw.__file__).parent / "redraw.js").read_text(encoding="utf-8")
"""The chart widget's own JavaScript, which imports vega-embed."""


@pytest.fixture
def bundled(monkeypatch, tmp_path) -> list[str]:
    """The sources bundled so far, with the cache in tmp_path and a stand-in bundler."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    calls: list[str] = []

    def bundle(source, vl_version=None):
        calls.append(source)
        return f"// bundled for Vega-Lite {vl_version}\n{source}"

    monkeypatch.setattr(vl_convert, "javascript_bundle", bundle)
    return calls


def test_a_miss_bundles_and_stores_then_a_hit_reads_the_file(bundled, tmp_path):
    first = offline.offline_bundle(SOURCE)
    assert bundled == [SOURCE] and first.startswith("// bundled for Vega-Lite ")
    assert offline.bundle_path(SOURCE).is_relative_to(tmp_path)
    assert offline.bundle_path(SOURCE).read_text(encoding="utf-8") == first
    assert offline.offline_bundle(SOURCE) == first and bundled == [SOURCE], "bundled again"


def test_an_empty_or_unreadable_cache_file_is_built_again(bundled):
    path = offline.bundle_path(SOURCE)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"")
    assert offline.offline_bundle(SOURCE).endswith(SOURCE) and len(bundled) == 1
    path.write_bytes(b"\xff\xfe not utf-8")
    assert offline.offline_bundle(SOURCE).endswith(SOURCE) and len(bundled) == 2


def test_the_key_follows_the_source_and_the_versions(bundled, monkeypatch):
    before = offline.bundle_path(SOURCE)
    assert offline.bundle_path(SOURCE + "\n") != before
    monkeypatch.setattr(vl_convert, "__version__", vl_convert.__version__ + ".other")
    assert offline.bundle_path(SOURCE) != before


def test_a_cache_that_cannot_be_written_still_gives_the_bundle(bundled, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert offline.offline_bundle(SOURCE).endswith(SOURCE) and bundled == [SOURCE]
    assert not offline.bundle_path(SOURCE).exists()


def test_the_chart_widget_draws_from_the_cached_bundle(bundled, monkeypatch):
    monkeypatch.setattr(DataSwapChart, "_is_offline", False)
    monkeypatch.setattr(DataSwapChart, "_esm", "")
    DataSwapChart.enable_offline()
    assert DataSwapChart._is_offline and bundled == [SOURCE]
    assert DataSwapChart._esm == offline.bundle_path(SOURCE).read_text(encoding="utf-8")
