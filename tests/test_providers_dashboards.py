"""The latency-and-context lesson's charts and dashboards, driven without a browser."""

import math

import altair as alt
import ipywidgets as widgets
import numpy as np
import pytest
from chart_specs import find, main_dataset

from tokenomics import choice, data
from tokenomics.charts.providers import (
    blend_chart,
    blend_rows,
    deepseek_latency_gap_s,
    fitted_choice,
    host_rows,
    latency_chart,
    model_shares,
    near_zero_latency_price_range,
    provider_rows,
    qualify_chart,
    ranking_chart,
    shares_chart,
    token_revenue_chart,
    token_revenue_shares,
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


def test_rows_rank_the_hosts_with_their_blended_price_and_no_router(providers):
    rows = provider_rows(providers, 3.0)
    hosts = providers[(providers["kind"] == "host") & (providers["tier"] != "off-peak")]
    assert len(rows) == len(hosts) and rows["host"].is_unique
    expected = blended_price_usd_per_mtok(hosts["input_usd_per_mtok"], hosts["output_usd_per_mtok"])
    assert rows["blended_usd_per_mtok"].to_numpy() == pytest.approx(expected)
    assert "OpenRouter" not in set(rows["host"]) and "OpenRouter" not in set(rows["provider"])
    assert set(rows["listing"]) == {"mid-2025", "mid-2025, unverified", "late 2025"}


def test_the_off_peak_price_is_deepseek_at_night_never_a_second_host(providers):
    day = provider_rows(providers).set_index("host")
    night = provider_rows(providers, time_of_day="night").set_index("host")
    assert list(day.index).count("DeepSeek") == 1 and list(night.index).count("DeepSeek") == 1
    assert not any("off-peak" in h for h in [*day.index, *night.index])
    off_peak = providers[providers["tier"] == "off-peak"].iloc[0]
    assert night.loc["DeepSeek", "input_usd_per_mtok"] == off_peak["input_usd_per_mtok"]
    assert day.loc["DeepSeek", "rank"] == 4 and night.loc["DeepSeek", "rank"] == 1
    with pytest.raises(ValueError, match="time_of_day must be one of"):
        provider_rows(providers, time_of_day="evening")


def test_prices_and_contexts_are_written_for_people(providers):
    rows = provider_rows(providers).set_index("host")
    assert rows.loc["DeepSeek", "price_text"] == "$0.96" and rows.loc["DeepSeek", "context_text"] == "64K"
    for spec in (ranking_chart(rows.reset_index()).to_dict(), latency_chart(host_rows()).to_dict()):
        text = str(spec["description"]) + str(spec["title"])
        assert "64000.0" not in text and "0.96000" not in text
        tips = [t for tooltip in find(spec, "tooltip") for t in tooltip]
        assert "context_tokens" not in {t["field"] for t in tips}  # shown as "64K", not 64000.0


def test_host_rows_are_the_measured_snapshot_with_its_date():
    snapshot = data.load("r1_host_latency")
    rows = host_rows().set_index("host")
    assert len(rows) == len(snapshot) and rows.index.is_unique
    assert (
        rows.loc["DeepSeek", "latency_s"] == 3.275 and rows.loc["DeepSeek", "latency_quality"] == "reported"
    )
    assert set(rows["date"]) == {"2025-06-27"}
    derived = host_rows(deepseek_latency_s=deepseek_latency_gap_s()).set_index("host")
    assert (
        derived.loc["DeepSeek", "latency_s"] == 25.0
        and derived.loc["DeepSeek", "latency_quality"] == "derived"
    )
    assert set(derived.drop(index="DeepSeek")["latency_quality"]) == {"reported"}


def labels_of(spec) -> set[str]:
    return {r["label_text"] for r in main_dataset(spec) if r.get("label_text")}


def test_qualify_chart_labels_the_named_hosts_and_draws_one_quality_without_a_legend():
    spec = qualify_chart(host_rows()).to_dict()
    assert spec["title"]["text"] == "Who qualifies: R1 hosts, price vs context window (tokens)"
    assert "2025-06-27" in spec["title"]["subtitle"][0]
    shapes = list(find(spec, "shape"))
    assert len(shapes) == 1 and shapes[0]["legend"] is None  # every latency reported: said in the subtitle
    assert shapes[0]["scale"]["domain"] == ["reported"]
    named = {label.split(",")[0] for label in labels_of(spec)}
    assert {"DeepSeek", "Lambda", "Nebius", "Parasail", "Azure (R1)", "Friendli (R1)"} <= named
    assert "qualify" in spec["description"]


def test_latency_chart_shows_measured_hosts_and_the_derived_bound_with_only_those_qualities():
    spec = latency_chart(host_rows()).to_dict()
    records_ = main_dataset(spec)
    assert {r["latency_quality"] for r in records_} == {"reported", "derived"}
    shape = next(iter(find(spec, "shape")))
    assert shape["scale"]["domain"] == ["reported", "derived"]  # no chart-read or illustrative entry
    derived = [r for r in records_ if r["latency_quality"] == "derived"]
    assert len(derived) == 1 and derived[0]["provider"] == "DeepSeek" and derived[0]["latency_s"] == 25.0
    assert {"DeepSeek", "Lambda", "Nebius", "Parasail", "Azure (R1)", "Friendli (R1)"} <= labels_of(spec)
    low, high = near_zero_latency_price_range()
    assert f"${low:g}-{high:g}" in str(spec)
    assert "log" in str(list(find(spec, "type")))


def test_labels_sit_on_different_sides_where_points_crowd():
    table = main_dataset(latency_chart(host_rows()).to_dict())
    places = {r["label_text"]: r["label_pos"] for r in table if r.get("label_text")}
    assert places["Lambda"] == "left" and places["Parasail"] == "below" and places["Nebius"] == "above"


def test_ranking_chart_sorts_by_price_and_warns_on_unverified_listings(providers):
    spec = ranking_chart(provider_rows(providers, 10.0)).to_dict()
    assert spec["title"]["text"] == "R1 hosts ranked by blended price ($ per million tokens)"
    assert spec["title"]["subtitle"].startswith("blend: 10 input tokens per output token; by day")
    assert "cheapest at the top" in spec["description"]
    assert {"field": "blended_usd_per_mtok", "op": "min", "order": "ascending"} in list(find(spec, "sort"))
    texts = {r["host"]: r["text"] for r in main_dataset(spec)}
    assert texts["Lambda"] == "$0.24 (unverified)" and texts["Nebius"].endswith("(late 2025)")
    assert "OpenRouter" not in texts


def test_blend_chart_draws_the_crossovers_as_lines(providers):
    table = blend_rows(provider_rows(providers), ["Lambda", "Hyperbolic", "Novita", "Nebius", "DeepSeek"])
    crossings = table[table["part"] == "crossover"].set_index("pair")["ratio"]
    assert crossings.to_dict() == pytest.approx({"Lambda and Hyperbolic": 7.0, "Novita and Nebius": 1.0})
    spec = blend_chart(table).to_dict()
    assert "rule" in str(list(find(spec, "mark")))
    assert "Lambda and Hyperbolic at 7.00" in spec["description"]
    with pytest.raises(ValueError, match="hosts must be among"):
        blend_rows(provider_rows(providers), ["OpenRouter"])


def test_the_fitted_choice_model_has_no_router_and_reproduces_lesson_1():
    hosts, fit = fitted_choice()
    assert "OpenRouter" not in set(hosts["host"]) and hosts["is_deepseek"].sum() == 1
    shares = model_shares(hosts, fit)
    deepseek = shares[shares["host"] == "DeepSeek"].set_index("month")["share_pct"]
    assert deepseek.to_dict() == pytest.approx({"March": 42.0, "May": 16.0}, abs=1e-6)
    assert shares.groupby("month")["share_pct"].sum().to_numpy() == pytest.approx([100.0, 100.0])
    split = token_revenue_shares(shares).set_index("host")
    assert split.loc["DeepSeek", "revenue_share_pct"] < split.loc["DeepSeek", "token_share_pct"]
    assert split["revenue_share_pct"].sum() == pytest.approx(100.0)
    spec = shares_chart(shares).to_dict()
    assert next(iter(find(spec, "shape")))["scale"]["domain"] == ["chart-read"]
    assert "DeepSeek March 42.0%" in spec["description"]
    spec = token_revenue_chart(split.reset_index()).to_dict()
    labelled = {r.get("label_text") for rows in spec["datasets"].values() for r in rows}
    assert {"DeepSeek", "Lambda"} <= labelled


def test_charts_refuse_empty_rows(providers):
    with pytest.raises(ValueError, match="rows"):
        qualify_chart(host_rows().iloc[:0])
    with pytest.raises(ValueError, match="providers"):
        provider_rows(providers.iloc[:0])
    with pytest.raises(ValueError, match="deepseek_latency_s"):
        host_rows(deepseek_latency_s=-1)
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


def test_qualify_dashboard_starts_offline_with_every_measured_host(qualify):
    assert isinstance(qualify.chart_widget, alt.JupyterChart) and type(qualify.chart_widget)._is_offline
    assert len(records(qualify.chart_widget)) == len(data.load("r1_host_latency"))
    assert "DeepSeek" in qualify.qualifying  # 3.3 s measured against a 10 s tolerance
    assert "2025-06-27" in qualify.readout.value and "derived" in qualify.readout.value
    assert set(qualify.qualifying) == expected_qualifiers(qualify)
    qualify.controls["deepseek_latency"].value = "article"
    assert "DeepSeek" not in qualify.qualifying and "too slow" in qualify.readout.value


def test_every_qualify_control_changes_the_chart_as_the_model_says(qualify):
    moves = {
        "budget_usd_per_mtok": 1.0,
        "max_latency_s": 30.0,
        "min_context_tokens": 0,
        "ratio": 10.0,
        "deepseek_latency": "article",
    }
    for name, value in moves.items():
        before = records(qualify.chart_widget)
        qualify.controls[name].value = value
        after = records(qualify.chart_widget)
        assert after != before, name
        shown = {r["host"] for r in after if r["status"] == "qualifies"}
        assert shown == expected_qualifiers(qualify) == set(qualify.qualifying), name
    # with 30 s of tolerance the article's "at least 25 s" passes, and DeepSeek's $0.70 at 10:1 is within $1
    assert "DeepSeek" in qualify.qualifying
    price = qualify.rows.set_index("host")["blended_usd_per_mtok"]
    assert price[qualify.cheapest] == min(price[h] for h in qualify.qualifying)
    # the readout names the host the chart labels cheapest, ties included
    labelled = [r["host"] for r in records(qualify.chart_widget) if r["cheapest"]]
    assert labelled == [qualify.cheapest]


def test_no_qualifier_is_said_plainly(qualify):
    qualify.controls["budget_usd_per_mtok"].value = 0.1
    assert qualify.cheapest is None and "no host qualifies" in qualify.readout.value


def random_value(control, rng):
    if isinstance(control, widgets.Checkbox):
        return bool(rng.integers(2))
    if hasattr(control, "options"):
        return control.options[rng.integers(len(control.options))][1]
    steps = int(round((control.max - control.min) / control.step))
    return control.min + control.step * int(rng.integers(steps + 1))


def random_move(board, rng, redraw: bool) -> None:
    """Move one control of ``board`` at random; redraw the chart only if ``redraw``."""
    names = list(board.controls)
    name = names[rng.integers(len(names))]
    board.set_values(redraw=redraw, **{name: random_value(board.controls[name], rng)})


def check_rows(rows: list[dict], keys=("blended_usd_per_mtok", "context_k", "latency_s")) -> None:
    assert rows
    for r in rows:
        for key in keys:
            assert math.isfinite(r[key])


def test_200_random_qualify_settings_never_break_the_chart(qualify):
    rng = np.random.default_rng(2025)
    for i in range(200):  # the model and readout on every setting, the redrawn chart on every 10th
        redraw = i % 10 == 0
        random_move(qualify, rng, redraw)
        check_rows(records(qualify.chart_widget) if redraw else qualify.rows.to_dict("records"))
        assert set(qualify.qualifying) == expected_qualifiers(qualify)


# ---- blend and ranking ----------------------------------------------------------------------------


@pytest.fixture
def ranking():
    return ranking_dashboard()


def test_ranking_starts_at_the_articles_blend_by_day(ranking):
    assert ranking.controls["ratio"].value == 3.0
    assert ranking.rank_of("DeepSeek") == 4 and ranking.rows["host"].tolist().count("DeepSeek") == 1
    assert "Azure / DeepSeek: <b>2.46x</b> (article: 2.5x)" in ranking.readout.value


def test_every_ranking_control_changes_the_chart_as_the_model_says(ranking, providers):
    before = records(ranking.chart_widget)
    ranking.controls["ratio"].value = 10.0
    after = {r["host"]: r for r in records(ranking.chart_widget)}
    assert list(after.values()) != before
    assert after["Lambda"]["blended_usd_per_mtok"] == pytest.approx((10 * 0.20 + 0.60) / 11, abs=1e-6)
    assert after["Lambda"]["rank"] < after["Hyperbolic"]["rank"]  # past the 7:1 crossover
    assert ranking.chart_widget.spec["title"]["subtitle"].startswith("blend: 10 ")
    ranking.controls["time_of_day"].value = "night"
    assert ranking.rank_of("DeepSeek") == 1 and "DeepSeek at night" in ranking.readout.value
    ranking.controls["include_unverified"].value = False
    hosts = {r["host"] for r in records(ranking.chart_widget)}
    assert hosts == {"DeepSeek", "Fireworks", "Together"}  # no router, DeepSeek once
    assert "Azure /" not in ranking.readout.value


def test_200_random_ranking_settings_never_break_the_chart(ranking):
    rng = np.random.default_rng(7)
    for i in range(200):  # the model and readout on every setting, the redrawn chart on every 10th
        redraw = i % 10 == 0
        random_move(ranking, rng, redraw)
        rows = records(ranking.chart_widget) if redraw else ranking.rows.to_dict("records")
        check_rows(rows, ("blended_usd_per_mtok", "context_k"))
        assert sorted(r["rank"] for r in rows)[0] == 1
