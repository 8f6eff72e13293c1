"""Tests of the kit's datasets: every file loads, every row is sourced, and the figures agree.

The cross-checks recompute published totals from the rows (DeepSeek's day, the article's
comparisons) instead of typing in expected results: if a row is mistyped, a check fails.
"""

import json
import shutil
from urllib.parse import urlparse

import numpy as np
import pandas as pd
import pytest
from frictionless import Package

from tokenomics import catalog, data, kpi

pytestmark = pytest.mark.filterwarnings("error")

DATAPACKAGE = data.DATASETS_DIR / "datapackage.json"
HOURS_PER_DAY = 24
SECONDS_PER_DAY = 86_400

NEW_DATASETS = [
    "deepseek_day",
    "deepseek_day_nodes",
    "deepseek_day_income",
    "app_market_share",
    "app_market_share_illustrative",
    "web_traffic_change",
    "first_party_token_share",
    "first_party_token_share_illustrative",
    "third_party_growth",
    "third_party_usage_illustrative",
    "r1_providers",
    "r1_host_latency",
    "article_comparisons",
    "reference_prices",
    "speed_and_verbosity",
    "events",
    "gpu_rental_prices",
    "serving_measurements",
]


def package() -> dict:
    return json.loads(DATAPACKAGE.read_text(encoding="utf-8"))


def day() -> pd.Series:
    """DeepSeek's published day as a Series of values indexed by quantity."""
    return data.load("deepseek_day").set_index("quantity")["value"]


def comparison(claim_id: str) -> pd.Series:
    return data.load("article_comparisons").set_index("id").loc[claim_id]


def note_column(frame: pd.DataFrame) -> str:
    """The name of a dataset's free-text column (the catalogs say notes, the others note)."""
    return "note" if "note" in frame.columns else "notes"


# --- Every dataset: loads, sourced, described --------------------------------------------------


def test_the_new_datasets_are_listed_after_the_catalogs():
    assert data.names()[:2] == ["accelerators", "models"]
    assert set(NEW_DATASETS) <= set(data.names())


@pytest.mark.parametrize("name", data.names())
def test_every_dataset_loads_with_rows(name):
    frame = data.load(name)
    assert len(frame) > 0
    assert list(frame.columns) == list(data.info(name)["fields"]["name"])


@pytest.mark.parametrize("name", data.names())
def test_every_row_has_a_source_and_a_quality_label(name):
    frame = data.load(name)
    assert (frame["source"].str.strip() != "").all()
    assert set(frame["quality"]) <= set(data.QUALITY_LABELS)


@pytest.mark.parametrize("resource", package()["resources"], ids=lambda r: r["name"])
def test_every_resource_is_described(resource):
    for key in ("name", "path", "title", "description", "format", "mediatype", "encoding", "caveats"):
        assert isinstance(resource.get(key), str) and resource[key].strip(), key
    assert resource["path"] == f"{resource['name']}.csv"
    assert resource["sources"], "a resource needs at least one source"
    for source in resource["sources"]:
        assert source["title"].strip() and source["path"].strip()
    for field in resource["schema"]["fields"]:
        assert field["type"] in ("string", "number", "integer", "date", "boolean"), field["name"]
        assert field.get("description", "").strip(), field["name"]


@pytest.mark.parametrize("resource", package()["resources"], ids=lambda r: r["name"])
def test_numeric_fields_have_units(resource):
    for field in resource["schema"]["fields"]:
        if field["type"] in ("number", "integer"):
            assert field.get("unit", "").strip(), f"{resource['name']}.{field['name']} has no unit"


@pytest.mark.parametrize("resource", package()["resources"], ids=lambda r: r["name"])
def test_source_and_quality_are_required_in_the_schema(resource):
    fields = {field["name"]: field for field in resource["schema"]["fields"]}
    assert fields["source"]["constraints"]["required"] is True
    assert fields["quality"]["constraints"]["required"] is True
    assert fields["quality"]["constraints"]["enum"] == list(data.QUALITY_LABELS)


def test_long_format_values_carry_their_unit_per_row():
    for name in (
        "deepseek_day",
        "third_party_growth",
        "speed_and_verbosity",
        "article_comparisons",
        "serving_measurements",
    ):
        assert (data.load(name)["unit"].str.strip() != "").all(), name


def test_datapackage_validates_with_frictionless():
    # Frictionless keeps unknown properties (unit, caveats) and checks types, required values,
    # enums, minimums and primary keys of every row of every resource.
    report = Package(str(DATAPACKAGE)).validate()
    errors = report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.valid, errors


def test_frictionless_catches_a_broken_row(tmp_path):
    # Guard against a validation that checks nothing: a bad quality word must be reported.
    copy = tmp_path / "datasets"
    shutil.copytree(data.DATASETS_DIR, copy)
    path = copy / "r1_providers.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",reported\n", ",guess\n", 1), encoding="utf-8")
    report = Package(str(copy / "datapackage.json")).validate()
    assert not report.valid
    assert ["quality", "constraint-error"] in report.flatten(["fieldName", "type"])


# --- Illustrative values never pass for data ---------------------------------------------------


@pytest.mark.parametrize("name", data.names())
def test_illustrative_rows_live_only_in_illustrative_datasets_and_say_so(name):
    frame = data.load(name)
    illustrative = frame[frame["quality"] == "illustrative"]
    if name.endswith("_illustrative"):
        assert len(illustrative) == len(frame), f"{name} mixes data with illustrative rows"
    else:
        assert illustrative.empty, f"{name} holds illustrative rows; move them to an _illustrative dataset"
    if not illustrative.empty:
        assert all("illustrative" in text.lower() for text in illustrative[note_column(frame)])
    if name.endswith("_illustrative"):
        description = data.info(name)["description"].lower()
        assert "illustrative" in description and "teaching interpolation" in description


def test_first_party_curve_runs_straight_between_its_chart_read_end_points():
    curve = data.load("first_party_token_share_illustrative").sort_values("month")
    readings = data.load("first_party_token_share").sort_values("month")
    first, last = readings["share_pct"].iloc[0], readings["share_pct"].iloc[-1]
    np.testing.assert_allclose(curve["share_pct"], np.linspace(first, last, len(curve)))
    assert curve["month"].iloc[0] == readings["month"].iloc[0]
    assert curve["month"].iloc[-1] == readings["month"].iloc[-1]
    assert (curve["share_pct"].diff().dropna() < 0).all(), "the article says the share falls every month"


def test_app_share_curve_runs_straight_from_the_peak_to_the_may_reading():
    curve = data.load("app_market_share_illustrative").sort_values("month")
    readings = data.load("app_market_share")
    peak = readings[(readings.reading == "peak") & (readings.qualifier == "about")]["share_pct"].item()
    may = readings[(readings.reading == "may_2025") & (readings.period == "May 2025")]["share_pct"].item()
    np.testing.assert_allclose(curve["share_pct"], np.linspace(peak, may, len(curve)))
    assert curve["month"].dt.month.tolist() == [1, 2, 3, 4, 5]


def test_third_party_index_ends_at_the_reported_growth():
    curve = data.load("third_party_usage_illustrative").sort_values("month")
    growth = data.load("third_party_growth").set_index("quantity").loc["third_party_r1_v3_usage_growth"]
    assert growth["qualifier"] == "nearly"
    np.testing.assert_allclose(curve["usage_index"], np.linspace(1.0, growth["value"], len(curve)))


# --- DeepSeek's published day -------------------------------------------------------------------


def nodes_curve() -> pd.DataFrame:
    return data.load("deepseek_day_nodes").sort_values("start_hours_after_noon")


def test_node_curve_covers_the_day_without_gaps():
    curve = nodes_curve()
    assert curve["start_hours_after_noon"].iloc[0] == 0
    assert curve["end_hours_after_noon"].iloc[-1] == HOURS_PER_DAY
    starts, ends = curve["start_hours_after_noon"], curve["end_hours_after_noon"]
    np.testing.assert_array_equal(starts.iloc[1:], ends.iloc[:-1])
    assert (curve["end_hours_after_noon"] > curve["start_hours_after_noon"]).all()


def test_node_curve_clock_times_match_the_hours_after_noon():
    def hours_after_noon(clock: str) -> float:
        hours, minutes = (int(part) for part in clock.split(":"))
        return (hours + minutes / 60 - 12) % HOURS_PER_DAY

    curve = nodes_curve()
    start_hours = curve["start_local_time"].map(hours_after_noon)
    np.testing.assert_allclose(start_hours, curve["start_hours_after_noon"])
    end_hours = curve["end_local_time"].map(hours_after_noon).replace(0.0, float(HOURS_PER_DAY))
    np.testing.assert_allclose(end_hours, curve["end_hours_after_noon"])


def test_node_curve_reproduces_the_published_average_and_peak():
    curve = nodes_curve()
    hours = curve["end_hours_after_noon"] - curve["start_hours_after_noon"]
    mean_nodes = (curve["nodes"] * hours).sum() / hours.sum()
    assert mean_nodes == pytest.approx(day()["average_nodes"], abs=1e-9)
    assert curve["nodes"].max() == day()["peak_nodes"]


def test_daily_cost_is_mean_nodes_times_gpus_times_price_times_hours():
    figures = day()
    curve = nodes_curve()
    hours = curve["end_hours_after_noon"] - curve["start_hours_after_noon"]
    node_hours = (curve["nodes"] * hours).sum()
    usd_per_node_hour = figures["gpus_per_node"] * figures["usd_per_gpu_hour"]
    cost_from_curve = node_hours * usd_per_node_hour
    cost_from_mean = figures["average_nodes"] * usd_per_node_hour * HOURS_PER_DAY
    assert cost_from_curve == pytest.approx(figures["daily_cost_usd"], abs=1e-6)
    assert cost_from_mean == pytest.approx(figures["daily_cost_usd"], abs=1e-6)


def test_hourly_income_adds_up_to_the_published_revenue():
    income = data.load("deepseek_day_income")
    assert sorted(income["hour_local"]) == list(range(HOURS_PER_DAY))
    np.testing.assert_array_equal(income["hour_local"], (12 + income["hours_after_noon"]) % HOURS_PER_DAY)
    total_usd = income["income_thousand_usd"].sum() * 1_000
    assert total_usd == pytest.approx(day()["theoretical_revenue_usd"], rel=0.005)


def recomputed_revenue_usd() -> float:
    figures = day()
    cache_miss_tokens = figures["input_tokens"] - figures["cached_input_tokens"]
    return (
        kpi.revenue_usd(figures["price_cached_input_usd_per_mtok"], figures["cached_input_tokens"])
        + kpi.revenue_usd(figures["price_input_usd_per_mtok"], cache_miss_tokens)
        + kpi.revenue_usd(figures["price_output_usd_per_mtok"], figures["output_tokens"])
    )


def test_revenue_recomputed_from_tokens_and_prices_matches_the_published_total():
    assert recomputed_revenue_usd() == pytest.approx(day()["theoretical_revenue_usd"], rel=0.001)


def test_cost_profit_margin_rounds_to_the_published_545_percent():
    figures = day()
    margin_pct = 100 * kpi.cost_profit_margin(figures["theoretical_revenue_usd"], figures["daily_cost_usd"])
    assert round(margin_pct) == figures["cost_profit_margin_pct"]
    # With the revenue rebuilt from rounded token totals the margin is 545.6%: still within a point.
    recomputed_pct = 100 * kpi.cost_profit_margin(recomputed_revenue_usd(), figures["daily_cost_usd"])
    assert recomputed_pct == pytest.approx(figures["cost_profit_margin_pct"], abs=1.0)


def test_cache_hit_share_matches_the_token_totals():
    figures = day()
    share_pct = 100 * figures["cached_input_tokens"] / figures["input_tokens"]
    assert share_pct == pytest.approx(figures["cached_input_share_pct"], abs=0.05 + 1e-9)


def test_node_throughputs_account_for_the_average_fleet():
    # Node-days of prefill plus node-days of decode should equal the average fleet size.
    figures = day()
    prefill_node_seconds = figures["input_tokens"] / figures["prefill_input_tokens_per_s_per_node"]
    decode_node_seconds = figures["output_tokens"] / figures["decode_output_tokens_per_s_per_node"]
    prefill_node_days = prefill_node_seconds / SECONDS_PER_DAY
    decode_node_days = decode_node_seconds / SECONDS_PER_DAY
    assert prefill_node_days + decode_node_days == pytest.approx(figures["average_nodes"], rel=0.005)


def test_deployment_units_match_their_expert_parallelism():
    figures = day()
    assert figures["prefill_unit_nodes"] * figures["gpus_per_node"] == figures["prefill_expert_parallel_gpus"]
    assert figures["decode_unit_nodes"] * figures["gpus_per_node"] == figures["decode_expert_parallel_gpus"]


def test_derived_decode_hardware_cost_follows_from_the_throughput():
    figures = day()
    tokens_per_s_per_gpu = figures["decode_output_tokens_per_s_per_node"] / figures["gpus_per_node"]
    cost = kpi.cost_usd_per_mtok(figures["usd_per_gpu_hour"], tokens_per_s_per_gpu)
    assert cost == pytest.approx(figures["decode_hardware_usd_per_mtok_output"], abs=0.005)
    frame = data.load("deepseek_day").set_index("quantity")
    assert frame.loc["decode_hardware_usd_per_mtok_output", "quality"] == "derived"


def test_deepseek_figures_agree_across_datasets():
    figures = day()
    measurements = data.load("serving_measurements").set_index("id")["value"]
    assert measurements["deepseek_day_decode_throughput"] == figures["decode_output_tokens_per_s_per_node"]
    assert measurements["deepseek_day_prefill_throughput"] == figures["prefill_input_tokens_per_s_per_node"]
    assert measurements["deepseek_day_decode_speed_low"] == figures["output_tokens_per_s_per_user_low"]
    assert measurements["deepseek_day_decode_speed_high"] == figures["output_tokens_per_s_per_user_high"]

    rental = data.load("gpu_rental_prices")
    h800 = rental[rental["gpu"] == "H800"]["usd_per_gpu_hour"].item()
    assert h800 == figures["usd_per_gpu_hour"] == catalog.accelerator("H800").usd_per_hour

    providers = data.load("r1_providers")
    standard = providers[(providers["provider"] == "DeepSeek") & (providers["tier"] == "standard")].iloc[0]
    assert standard["input_usd_per_mtok"] == figures["price_input_usd_per_mtok"]
    assert standard["output_usd_per_mtok"] == figures["price_output_usd_per_mtok"]
    assert standard["cached_input_usd_per_mtok"] == figures["price_cached_input_usd_per_mtok"]


# --- The article's comparisons, recomputed from the provider rows ---------------------------------


def provider_row(provider: str, tier: str = "standard") -> pd.Series:
    providers = data.load("r1_providers")
    rows = providers[(providers["provider"] == provider) & (providers["tier"] == tier)]
    assert len(rows) == 1, f"expected one {provider} {tier} row"
    return rows.iloc[0]


def test_azure_costs_about_two_and_a_half_times_deepseek_blended_three_to_one():
    ratio = comparison("blend_input_to_output_ratio")["value_low"]

    def blended(row):
        return kpi.blended_price_usd_per_mtok(
            row["input_usd_per_mtok"], row["output_usd_per_mtok"], input_to_output_ratio=ratio
        )

    multiple = blended(provider_row("Microsoft Azure AI Foundry")) / blended(provider_row("DeepSeek"))
    assert 2.4 <= multiple <= 2.6
    assert multiple == pytest.approx(comparison("azure_price_vs_deepseek")["value_low"], abs=0.1)


def test_a_host_offers_more_than_two_and_a_half_times_deepseeks_context():
    deepseek_context = provider_row("DeepSeek")["context_tokens"]
    nebius_context = provider_row("Nebius (via Hugging Face)")["context_tokens"]
    assert nebius_context / deepseek_context > comparison("lambda_nebius_context_vs_deepseek")["value_low"]


def test_off_peak_prices_are_about_a_quarter_of_the_standard_ones():
    standard, off_peak = provider_row("DeepSeek"), provider_row("DeepSeek", "off-peak")
    for column in ("input_usd_per_mtok", "output_usd_per_mtok", "cached_input_usd_per_mtok"):
        assert off_peak[column] / standard[column] == pytest.approx(0.25, abs=0.01), column


def test_no_provider_speed_or_latency_is_filled_without_a_source():
    # No source for per-provider latency or speed was found: the columns stay empty until one is.
    providers = data.load("r1_providers")
    assert providers["latency_s"].isna().all()
    assert providers["output_tokens_per_s"].isna().all()


def test_the_router_is_marked_as_one_and_the_off_peak_row_says_it_is_a_time_of_day():
    providers = data.load("r1_providers").set_index(["provider", "tier"])
    assert providers.loc[("OpenRouter", "standard"), "kind"] == "router"
    assert (providers.drop(index=("OpenRouter", "standard"))["kind"] == "host").all()
    assert "16:30-00:30 UTC" in providers.loc[("DeepSeek", "off-peak"), "note"]
    assert "Not a separate host" in providers.loc[("DeepSeek", "off-peak"), "note"]


def test_the_latency_snapshot_agrees_with_what_the_article_says_of_it():
    snapshot = data.load("r1_host_latency")
    r1_0528 = snapshot[snapshot["model_version"] == "R1-0528"]
    deepseek = r1_0528[r1_0528["provider"] == "DeepSeek"].iloc[0]
    # "sub-5 second" for almost all R1-0528 instances after the article's data pull
    assert (r1_0528["latency_s"] < comparison("r1_0528_hosts_latency_later")["value_low"]).mean() > 0.9
    # DeepSeek's own output speed, 25 tokens/s in the article's text
    assert deepseek["output_tokens_per_s"] == pytest.approx(
        data.load("speed_and_verbosity").set_index("quantity").loc["output_tokens_per_s", "value"], abs=0.5
    )
    # the endpoint's listed price is DeepSeek's own list price
    standard = provider_row("DeepSeek")
    assert (deepseek["input_usd_per_mtok"], deepseek["output_usd_per_mtok"]) == (
        standard["input_usd_per_mtok"],
        standard["output_usd_per_mtok"],
    )
    assert set(snapshot["date"].astype(str)) == {"2025-06-27"}
    assert snapshot["note"].str.contains("Read via").all()
    assert not snapshot["source"].str.contains("github").any()  # the copy is in the note, not the source


def test_unverified_registry_prices_say_so():
    providers = data.load("r1_providers")
    from_litellm_copy = providers["source"].str.contains("tokencost")
    assert providers[from_litellm_copy]["note"].str.contains("nverified").all()


def test_o3_cut_and_o1_undercut_follow_from_the_reference_prices():
    prices = data.load("reference_prices").set_index(["model", "tier"])
    before, after = prices.loc[("o3", "before the cut")], prices.loc[("o3", "after the cut")]
    for column in ("input_usd_per_mtok", "output_usd_per_mtok"):
        cut_pct = 100 * (1 - after[column] / before[column])
        assert cut_pct == pytest.approx(comparison("o3_price_cut")["value_low"])
    assert after["valid_from"] == before["replaced_on"]

    events = data.load("events")
    cut_event = events[events["event"].str.contains("o3")]["date"].item()
    assert cut_event == after["valid_from"]

    r1_output = provider_row("DeepSeek")["output_usd_per_mtok"]
    undercut_pct = 100 * (1 - r1_output / prices.loc[("o1", "standard"), "output_usd_per_mtok"])
    assert undercut_pct > comparison("r1_output_price_undercut_of_o1")["value_low"]


def test_article_ranges_are_ordered():
    comparisons = data.load("article_comparisons")
    assert (comparisons["value_low"] <= comparisons["value_high"]).all()


def test_the_article_came_out_a_bit_over_150_days_after_r1():
    events = data.load("events")
    r1_launch = events[events["event"].str.startswith("DeepSeek-R1 released")]["date"].item()
    article = events[events["event"].str.startswith("SemiAnalysis publishes")]["date"].item()
    assert 150 < (article - r1_launch).days < 170


# --- Speeds, market data, prices ---------------------------------------------------------------


def test_claude_launch_speed_is_derived_from_the_drop():
    speeds = data.load("speed_and_verbosity").set_index(["quantity", "subject"])
    claude = "Claude 4 Sonnet (Anthropic API)"
    after = speeds.loc[("output_tokens_per_s_after_drop", claude), "value"]
    drop = speeds.loc[("output_speed_drop_since_launch_pct", claude), "value"] / 100
    launch = speeds.loc[("output_tokens_per_s_at_launch", claude)]
    assert launch["value"] == pytest.approx(after / (1 - drop))
    assert launch["quality"] == "derived"


def test_ranges_in_speed_table_come_in_low_high_pairs():
    speeds = data.load("speed_and_verbosity")
    lows = speeds[speeds["quantity"].str.endswith("_low")]
    assert len(lows) >= 3
    for _, low in lows.iterrows():
        high_name = low["quantity"].removesuffix("_low") + "_high"
        high = speeds[(speeds["quantity"] == high_name) & (speeds["subject"] == low["subject"])]
        assert len(high) == 1 and high["value"].item() > low["value"], high_name


def test_market_readings_keep_both_conflicting_readings():
    shares = data.load("app_market_share")
    assert shares.groupby("reading")["reader"].nunique().min() >= 2
    peak, may = shares[shares.reading == "peak"], shares[shares.reading == "may_2025"]
    assert peak["share_pct"].min() > may["share_pct"].max()
    traffic = data.load("web_traffic_change")
    assert traffic[traffic["change_pct"] < 0]["site"].tolist() == ["DeepSeek"]
    assert traffic[traffic["site"] == "Gemini"]["reader"].nunique() == 2


ARTICLE = "https://semianalysis.com/2025/07/03/deepseek-debrief-128-days-later/"

MIRRORS = (
    "redcensor.com",
    "bbapi.viigoo.eu.org",
    "dufengkaoyan.com",
    "readit.vip",
    "reportify.ai",
    "reportify.cn",
    "2names1scott.com",
    "granhotelsantacruz.com",
    "amlak-ai.pages.dev",
    "sibshop.uat.jiralog.com",
)
"""Sites that re-post or copy a source (FACTS.md): a row may say it was read via one, in its note,
but never cite one as its source."""

ARTICLE_CHART_READINGS = ["app_market_share", "web_traffic_change", "first_party_token_share"]
"""Datasets of readings of the article's own charts: each row's source is the article."""


def host(address: str) -> str:
    return (urlparse(address).netloc or "").removeprefix("www.")


@pytest.mark.parametrize(
    "name",
    data.names(),
)
def test_no_row_cites_a_mirror_or_re_post_as_its_source(name):
    frame = data.load(name)
    columns = [c for c in frame.columns if c == "source" or c.endswith("_source")]
    cited = {host(str(a)) for c in columns for a in frame[c].dropna()}
    assert sorted(cited & set(MIRRORS)) == []
    sources = [s["path"] for s in data.info(name)["sources"]]
    assert sorted({host(p) for p in sources} & set(MIRRORS)) == []


@pytest.mark.parametrize("name", ARTICLE_CHART_READINGS)
def test_readings_of_the_articles_charts_cite_the_article_and_say_where_they_were_read(name):
    frame = data.load(name)
    assert set(frame["source"]) == {ARTICLE}
    assert frame["note"].str.contains("Read via ").all()
    assert all(any(m in note for m in MIRRORS) for note in frame["note"])


def test_instance_prices_match_gpu_prices():
    rental = data.load("gpu_rental_prices").dropna(subset=["usd_per_instance_hour"])
    assert len(rental) >= 2
    per_gpu_times_gpus = rental["usd_per_gpu_hour"] * rental["gpus_per_instance"]
    np.testing.assert_allclose(per_gpu_times_gpus, rental["usd_per_instance_hour"], atol=0.01)


def test_inferencex_table_has_three_prices_per_gpu():
    rental = data.load("gpu_rental_prices")
    inferencex = rental[rental["price_basis"].str.startswith("InferenceX")]
    assert (inferencex.groupby("gpu")["price_basis"].nunique() == 3).all()
    for gpu in ("H100-SXM", "H200", "B200", "MI300X"):
        price = catalog.accelerator(gpu).usd_per_hour
        neocloud = inferencex[(inferencex["gpu"] == gpu) & inferencex["price_basis"].str.endswith("neocloud")]
        assert neocloud["usd_per_gpu_hour"].item() == pytest.approx(price), gpu


# --- Serving measurements ----------------------------------------------------------------------


def test_every_measurement_names_a_catalog_accelerator_and_model():
    measurements = data.load("serving_measurements")
    assert measurements["id"].is_unique
    assert set(measurements["hardware"]) <= set(catalog.accelerator_names())
    assert set(measurements["model"]) <= set(catalog.model_names())
    for name in measurements["hardware"].unique():
        assert catalog.accelerator(name).name == name
    for name in measurements["model"].unique():
        assert catalog.model(name).name == name


def test_the_nine_small_model_points_are_present():
    measurements = data.load("serving_measurements")
    faster_transformer = measurements[measurements["system"] == "FasterTransformer"]
    for n_gpus in (1, 2):
        on_n = faster_transformer[faster_transformer["n_gpus"] == n_gpus]
        assert set(on_n["metric"]) >= {"prefill_ms", "decode_ms_per_token"}
        assert (on_n["hardware"] == "A100-40GB").all() and (on_n["model"] == "GPT-13B").all()
    tensorrt = measurements[measurements["system"] == "TensorRT-LLM"]
    throughputs = tensorrt[tensorrt["metric"] == "output_tokens_per_s_per_gpu"]
    shape_columns = ["batch_size", "input_tokens", "output_tokens"]
    shapes = set(throughputs[shape_columns].itertuples(index=False, name=None))
    assert {(256, 128, 128), (32, 128, 2048), (16, 2048, 2048)} <= shapes
    first_token = tensorrt[tensorrt["metric"] == "first_token_ms"]
    assert sorted(first_token["input_tokens"]) == [128, 2048]


def test_fastertransformer_total_is_prefill_plus_decode_steps():
    measurements = data.load("serving_measurements")
    faster_transformer = measurements[measurements["system"] == "FasterTransformer"]
    for n_gpus, runs in faster_transformer.groupby("n_gpus"):
        by_metric = runs.set_index("metric")
        steps = by_metric.loc["total_latency_ms", "output_tokens"]
        total = by_metric.loc["prefill_ms", "value"] + steps * by_metric.loc["decode_ms_per_token", "value"]
        assert total == pytest.approx(by_metric.loc["total_latency_ms", "value"], rel=0.01), n_gpus


def test_measurements_behave_as_physics_says():
    measurements = data.load("serving_measurements").set_index("id")["value"]
    # Two GPUs are faster than one, but not twice as fast.
    for phase in ("prefill", "decode"):
        tp1 = measurements[f"fastertransformer_gpt13b_tp1_{phase}"]
        tp2 = measurements[f"fastertransformer_gpt13b_tp2_{phase}"]
        assert tp1 / 2 < tp2 < tp1
    # A longer prompt takes longer to the first token; longer prompts lower prefill throughput.
    first_token_ms = [measurements[f"tensorrt_llm_llama7b_first_token_{n}"] for n in (128, 2048)]
    assert first_token_ms[0] < first_token_ms[1]
    prefill = [measurements[f"sglang_prefill_throughput_{k}k"] for k in (1, 2, 4)]
    assert prefill == sorted(prefill, reverse=True)
    # Faster per-user speed costs more per token.
    assert measurements["inferencex_b200_fp4_cost_at_50"] < measurements["inferencex_b200_fp4_cost_at_125"]


def test_measurements_are_published_values_not_estimates():
    # Roofline estimates may appear in a note for comparison, never as a value; a derived or
    # chart-read value says how it was obtained.
    measurements = data.load("serving_measurements")
    assert set(measurements["quality"]) <= {"reported", "chart-read", "derived"}
    not_reported = measurements[measurements["quality"] != "reported"]
    assert not_reported["derivation"].fillna("").str.len().gt(10).all()


FORBIDDEN_MEASUREMENT_SOURCES = (
    "docs.nvidia.com/nim",
    "nvidia.github.io/TensorRT-LLM",
    "developer.nvidia.com/blog",
)
"""Kept out of the dataset: an independent set of measurements checks the model against them."""


def test_measurements_name_an_independent_source_and_a_mode():
    measurements = data.load("serving_measurements")
    assert measurements["source_name"].str.len().gt(2).all()
    assert measurements["source"].str.startswith("http").all()
    for forbidden in FORBIDDEN_MEASUREMENT_SOURCES:
        assert not measurements["source"].str.contains(forbidden, regex=False).any(), forbidden
    # TensorRT-LLM's performance pages: only the rows the dataset had before (quoted via LLM-Viewer).
    from_trtllm_docs = measurements["source"].str.contains("TensorRT-LLM/blob/.*/docs", regex=True)
    assert not from_trtllm_docs.any()
    closed_loop = measurements[measurements["mode"] == "closed_loop"]
    assert closed_loop["concurrency"].notna().mean() > 0.95
    assert measurements["source_name"].nunique() >= 6
