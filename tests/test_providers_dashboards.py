"""The latency-and-context lesson's charts and dashboards, driven without a browser."""

import math

import altair as alt
import ipywidgets as widgets
import numpy as np
import pytest
from chart_specs import find, main_dataset

from tokenomics import choice, data
from tokenomics.charts.providers import (
    deepseek_latency_gap_s,
    latency_chart,
    near_zero_latency_price_range,
    provider_rows,
    qualify_chart,
    ranking_chart,
)
from tokenomics.dashboards.providers import qualify_dashboard, ranking_dashboard
from tokenomics.kpi import blended_price_usd_per_mtok


def records(widget) -> list[dict]:
    """The chart's own rows as the browser receives them."""
    return main_dataset(widget.spec)


@pytest.fixture(scope="module")
def providers():
    return data.load("r1_providers")


# ---- charts ---------------------------------------------------------------------------------------


def test_rows_hold_every_listing_with_its_blended_price(providers):
    rows = provider_rows(providers, 3.0)
    assert len(rows) == len(providers) and rows["host"].is_unique
    expected = blended_price_usd_per_mtok(providers["input_usd_per_mtok"], providers["output_usd_per_mtok"])
    assert rows["blended_usd_per_mtok"].to_numpy() == pytest.approx(expected)
    assert set(rows["quality"]) == {"reported"} and set(rows["latency_quality"]) == {"illustrative"}
    assert set(rows["listing"]) == {"mid-2025", "mid-2025, unverified", "late 2025"}


def test_deepseeks_illustrative_latency_is_the_hosts_plus_the_reported_gap(providers):
    assert deepseek_latency_gap_s() == 25.0
    rows = provider_rows(providers, host_latency_s=1.5).set_index("host")
    assert rows.loc["DeepSeek", "latency_s"] - rows.loc["Azure", "latency_s"] == 25.0
    assert rows.loc["Azure", "latency_s"] == 1.5


def test_qualify_chart_titles_description_tooltips_and_quality(providers):
    spec = qualify_chart(provider_rows(providers)).to_dict()
    assert len(main_dataset(spec)) == len(providers)
    assert spec["title"]["text"] == "Who qualifies: R1 hosts, price vs context window (thousands of tokens)"
    assert "ILLUSTRATIVE" in spec["title"]["subtitle"]
    axis_titles = {t for t in find(spec, "title") if isinstance(t, str)}
    assert {
        "blended price, $ per million tokens (log scale)",
        "context window, thousands of tokens",
    } <= axis_titles
    assert "ILLUSTRATIVE latencies" in spec["description"] and "qualify" in spec["description"]
    tips = [t["field"] for tooltip in find(spec, "tooltip") for t in tooltip]
    assert {"host", "blended_usd_per_mtok", "context_tokens", "latency_s", "listing"} <= set(tips)
    assert [s["field"] for s in find(spec, "shape")] == ["quality"]


def test_latency_chart_marks_every_latency_illustrative(providers):
    spec = latency_chart(provider_rows(providers)).to_dict()
    assert "ILLUSTRATIVE" in spec["title"]["text"] and "ILLUSTRATIVE" in spec["description"]
    assert "latency to first token, s (ILLUSTRATIVE)" in [
        t for t in find(spec, "title") if isinstance(t, str)
    ]
    assert [s["field"] for s in find(spec, "shape")] == ["latency_quality"]
    assert {r["latency_quality"] for r in main_dataset(spec)} == {"illustrative"}
    low, high = near_zero_latency_price_range()
    assert f"${low:g}-{high:g}" in str(spec)
    labels = {r["label"] for r in main_dataset(spec)} - {""}
    assert {"DeepSeek", "DeepSeek\noff-peak"} <= labels


def test_ranking_chart_sorts_by_price_and_shows_quality(providers):
    spec = ranking_chart(provider_rows(providers, 10.0)).to_dict()
    assert spec["title"]["text"] == "R1 hosts ranked by blended price ($ per million tokens)"
    assert spec["title"]["subtitle"].startswith("blend: 10 input tokens per output token")
    assert "cheapest at the top" in spec["description"]
    assert {"field": "blended_usd_per_mtok", "op": "min", "order": "ascending"} in list(find(spec, "sort"))
    assert [s["field"] for s in find(spec, "shape")] == ["quality"]
    texts = {r["host"]: r["text"] for r in main_dataset(spec)}
    assert texts["Lambda"].endswith("(unverified)") and texts["Nebius"].endswith("(late 2025)")


def test_charts_refuse_empty_rows(providers):
    with pytest.raises(ValueError, match="rows"):
        qualify_chart(provider_rows(providers).iloc[:0])
    with pytest.raises(ValueError, match="providers"):
        provider_rows(providers.iloc[:0])
    with pytest.raises(ValueError, match="host_latency_s"):
        provider_rows(providers, host_latency_s=-1)
    with pytest.raises(ValueError, match="input_to_output_ratio"):
        provider_rows(providers, -1.0)


# ---- who qualifies --------------------------------------------------------------------------------


@pytest.fixture
def qualify():
    return qualify_dashboard()


def expected_qualifiers(board) -> set[str]:
    rows = board.rows
    ok = choice.qualifies(
        rows["blended_usd_per_mtok"],
        rows["latency_s"],
        rows["context_tokens"],
        board.controls["budget_usd_per_mtok"].value,
        board.controls["max_latency_s"].value,
        board.controls["min_context_tokens"].value,
    )
    return set(rows.loc[ok, "host"])


def test_qualify_dashboard_starts_offline_with_every_listing(qualify, providers):
    assert isinstance(qualify.chart_widget, alt.JupyterChart) and alt.JupyterChart._is_offline
    assert len(records(qualify.chart_widget)) == len(providers)
    assert "DeepSeek" not in qualify.qualifying  # 27 s of illustrative latency against a 10 s tolerance
    assert "too slow" in qualify.readout.value and "ILLUSTRATIVE" in qualify.readout.value
    assert set(qualify.qualifying) == expected_qualifiers(qualify)


def test_every_qualify_control_changes_the_chart_as_the_model_says(qualify):
    moves = {
        "budget_usd_per_mtok": 0.5,
        "max_latency_s": 30.0,
        "min_context_tokens": 0,
        "ratio": 10.0,
        "host_latency_s": 4.5,
        "include_unverified": False,
    }
    for name, value in moves.items():
        before = records(qualify.chart_widget)
        qualify.controls[name].value = value
        after = records(qualify.chart_widget)
        assert after != before, name
        shown = {r["host"] for r in after if r["status"] == "qualifies"}
        assert shown == expected_qualifiers(qualify) == set(qualify.qualifying), name
    # with 30 s of tolerance DeepSeek's 29.5 s (illustrative) passes: its night price is within $0.50
    # at a 10:1 blend, its list price ($0.70) is not
    assert "DeepSeek off-peak" in qualify.qualifying and "DeepSeek" not in qualify.qualifying
    price = qualify.rows.set_index("host")["blended_usd_per_mtok"]
    assert qualify.cheapest == min(qualify.qualifying, key=price.get)


def test_no_qualifier_is_said_plainly(qualify):
    qualify.controls["budget_usd_per_mtok"].value = 0.1
    assert qualify.cheapest is None and "no host qualifies" in qualify.readout.value


def random_move(control, rng):
    if isinstance(control, widgets.Checkbox):
        control.value = bool(rng.integers(2))
    elif hasattr(control, "options"):
        control.value = control.options[rng.integers(len(control.options))][1]
    else:
        steps = int(round((control.max - control.min) / control.step))
        control.value = control.min + control.step * int(rng.integers(steps + 1))


def check_rows(rows: list[dict]) -> None:
    assert rows
    for r in rows:
        for key in ("blended_usd_per_mtok", "context_k", "latency_s"):
            assert math.isfinite(r[key])


def test_200_random_qualify_settings_never_break_the_chart(qualify):
    rng = np.random.default_rng(2025)
    controls = list(qualify.controls.values())
    for _ in range(200):
        random_move(controls[rng.integers(len(controls))], rng)
        check_rows(records(qualify.chart_widget))
        assert set(qualify.qualifying) == expected_qualifiers(qualify)


# ---- blend and ranking ----------------------------------------------------------------------------


@pytest.fixture
def ranking():
    return ranking_dashboard()


def test_ranking_starts_at_the_articles_blend(ranking):
    assert ranking.controls["ratio"].value == 3.0
    assert ranking.rank_of("DeepSeek off-peak") == 1
    assert "Azure / DeepSeek: <b>2.46x</b> (article: 2.5x)" in ranking.readout.value


def test_every_ranking_control_changes_the_chart_as_the_model_says(ranking, providers):
    before = records(ranking.chart_widget)
    ranking.controls["ratio"].value = 10.0
    after = {r["host"]: r for r in records(ranking.chart_widget)}
    assert list(after.values()) != before
    assert after["Lambda"]["blended_usd_per_mtok"] == pytest.approx((10 * 0.20 + 0.60) / 11, abs=1e-6)
    assert after["Lambda"]["rank"] < after["Hyperbolic"]["rank"]  # past the 7:1 crossover
    assert ranking.chart_widget.spec["title"]["subtitle"].startswith("blend: 10 ")
    ranking.controls["include_off_peak"].value = False
    assert "DeepSeek off-peak" not in {r["host"] for r in records(ranking.chart_widget)}
    ranking.controls["include_unverified"].value = False
    hosts = {r["host"] for r in records(ranking.chart_widget)}
    assert hosts == {"DeepSeek", "Fireworks", "Together", "OpenRouter"}
    assert "Azure /" not in ranking.readout.value


def test_200_random_ranking_settings_never_break_the_chart(ranking):
    rng = np.random.default_rng(7)
    controls = list(ranking.controls.values())
    for _ in range(200):
        random_move(controls[rng.integers(len(controls))], rng)
        rows = records(ranking.chart_widget)
        check_rows(rows)
        assert sorted(r["rank"] for r in rows)[0] == 1
