"""The start-here lesson's charts and dashboards, driven without a browser: every control moves
the chart's data as the models say, and 200 random settings never break a chart."""

import math

import altair as alt
import numpy as np
import pytest
from chart_specs import find, main_dataset

from tokenomics import batching, charts
from tokenomics.charts import start as start_charts
from tokenomics.dashboards.start import (
    BATCH_SIZES,
    CONTEXT_TOKENS,
    price_dashboard,
    tokenizer_dashboard,
)
from tokenomics.tokens import count_tokens_by_merges, encode, kit_merges

R1 = batching.Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8", usd_per_gpu_hour=2.0)


def chart_rows(widget) -> list[dict]:
    """The chart's rows as the browser receives them."""
    spec = widget.spec
    return spec["datasets"][spec["data"]["name"]]


def part(rows, name):
    return [row for row in rows if row["part"] == name]


# --- charts --------------------------------------------------------------------------------------


def test_chip_rows_follow_the_tokens_and_wrap_into_lines():
    pieces = encode("Tokens are the units models read and write, " * 4, kit_merges())
    rows = start_charts.token_chip_data(pieces)
    assert rows["token"].tolist() == pieces
    assert (rows["end"] <= start_charts.LINE_CHARS).all() and rows["line"].max() > 1
    assert (rows["end"] - rows["start"] == rows["characters"].clip(lower=1)).all()
    assert "␣" in "".join(rows["shown"])


def test_an_empty_text_still_draws_one_chip():
    rows = start_charts.token_chip_data([])
    assert len(rows) == 1 and rows["colour"].item() == -1


def test_the_chip_chart_has_a_title_description_and_tooltips():
    spec = start_charts.token_chip_chart(start_charts.token_chip_data(["a", " b"])).to_dict()
    assert spec["title"]["text"] == "The text split into tokens"
    assert "2 coloured chips" in spec["description"]
    tips = {t["field"] for tips in find(spec, "tooltip") if isinstance(tips, list) for t in tips}
    assert {"position", "shown", "characters"} <= tips
    assert [r["token"] for r in main_dataset(spec)] == ["a", " b"]


def test_the_merges_chart_counts_tokens_and_shows_quality():
    text = "The price of a token is an output."
    rows = start_charts.merges_data(text, kit_merges(), [0, 100, 1000], 300)
    spec = start_charts.merges_chart(rows).to_dict()
    records = main_dataset(spec)
    assert [r["tokens"] for r in records] == list(
        count_tokens_by_merges(text, kit_merges(), [0, 100, 1000, 300])
    )
    assert records[0]["tokens"] == len(text)
    y_titles = [e["y"]["title"] for e in find(spec, "encoding") if "title" in e.get("y", {})]
    assert y_titles and all("tokens" in t for t in y_titles)
    # an exact count is never drawn dashed (the style of illustrative values), and says it is exact
    assert "strokeDash" not in str(spec) and "exact counts" in spec["title"]["subtitle"]
    assert {r["quality"] for r in records} == {"derived"}
    assert "300 merges" in spec["description"]


def test_the_price_chart_holds_the_batching_frontier():
    rows = start_charts.price_data(R1, 4096, 256)
    model = rows[rows["part"] == "model"]
    expected = batching.frontier(R1, 4096, n_points=40)
    np.testing.assert_allclose(model["usd_per_mtok"], expected.usd_per_mtok)
    np.testing.assert_allclose(model["tokens_per_s_per_user"], expected.tokens_per_s_per_user)
    chosen = rows[rows["part"] == "chosen"].iloc[0]
    step = batching.decode(R1, 256, 4096)
    assert chosen["usd_per_mtok"] == pytest.approx(step.usd_per_mtok)
    published = rows[rows["part"] == "published"]
    assert published["tokens_per_s_per_user"].tolist() == [20.0, 22.0]
    assert set(published["quality"]) == {"derived"}
    spec = start_charts.price_chart(rows).to_dict()
    assert spec["title"]["text"] == "One model, many prices ($ per M output tokens)"
    y_titles = [e["y"]["title"] for e in find(spec, "encoding") if "title" in e.get("y", {})]
    assert any("$ per M" in t for t in y_titles) and any("tokens/s per GPU" in t for t in y_titles)
    x_titles = [e["x"]["title"] for e in find(spec, "encoding") if "title" in e.get("x", {})]
    assert x_titles and all("tokens/s per user" in t for t in x_titles)
    tips = {t["field"] for tips in find(spec, "tooltip") if isinstance(tips, list) for t in tips}
    assert {"batch_size", "tokens_per_s_per_user", "tokens_per_s_per_gpu", "usd_per_mtok", "quality"} <= tips
    # every point is derived: no quality legend, and the subtitle says so once
    assert [q["legend"] for q in find(spec, "shape")] and all(
        q["legend"] is None for q in find(spec, "shape")
    )
    assert charts.ONE_QUALITY_NOTE["derived"] in spec["title"]["subtitle"]
    assert "US dollars per million output tokens" in spec["description"]
    assert spec["config"]["font"] == charts.FONT


def test_a_batch_beyond_memory_is_cut_to_the_largest_that_fits():
    rows = start_charts.price_data(R1, 65536, 4096)
    largest = int(batching.max_batch_size(R1, 65536))
    assert rows.loc[rows["part"] == "chosen", "batch_size"].item() == largest


@pytest.mark.parametrize(
    "build",
    [
        lambda: start_charts.token_chip_chart(start_charts.token_chip_data([]).iloc[0:0]),
        lambda: start_charts.merges_chart(
            start_charts.merges_data("a", kit_merges(), [0], 0).query("part == 'curve'")
        ),
        lambda: start_charts.price_chart(start_charts.price_data(R1, 4096, 8).query("part == 'model'")),
        lambda: start_charts.token_chip_data(["a"], line_chars=0),
    ],
)
def test_charts_refuse_rows_they_cannot_draw(build):
    with pytest.raises(ValueError):
        build()


# --- the tokenizer playground --------------------------------------------------------------------


@pytest.fixture
def playground():
    return tokenizer_dashboard()


def test_the_playground_starts_split_by_the_kit_tokenizer(playground):
    assert isinstance(playground.chart_widget, alt.JupyterChart) and type(playground.chart_widget)._is_offline
    merges = kit_merges()[: playground.n_merges]
    assert [r["token"] for r in chart_rows(playground.chart_widget)] == encode(playground.text.value, merges)
    assert f"<b>{len(playground.tokens)}</b> tokens" in playground.readout.value


def test_the_merges_slider_resplits_the_text(playground):
    before = [r["token"] for r in chart_rows(playground.chart_widget)]
    playground.sliders["n_merges"].value = 0
    after = [r["token"] for r in chart_rows(playground.chart_widget)]
    assert after == list(playground.text.value) != before
    chosen = part(chart_rows(playground.curve_widget), "chosen")
    assert chosen[0]["n_merges"] == 0 and chosen[0]["tokens"] == len(playground.text.value)


def test_the_text_box_resplits_and_recounts(playground):
    playground.text.value = "fantastic"
    merges = kit_merges()[: playground.n_merges]
    assert [r["token"] for r in chart_rows(playground.chart_widget)] == encode("fantastic", merges)
    curve = part(chart_rows(playground.curve_widget), "curve")
    assert [r["tokens"] for r in curve] == list(
        count_tokens_by_merges("fantastic", kit_merges(), [r["n_merges"] for r in curve])
    )


# --- price is an output --------------------------------------------------------------------------


@pytest.fixture
def prices():
    return price_dashboard()


def test_the_price_dashboard_starts_at_deepseeks_two_dollars(prices):
    assert prices.sliders["usd_per_gpu_hour"].value == 2.0
    chosen = part(chart_rows(prices.chart_widget), "chosen")[0]
    assert chosen["usd_per_mtok"] == pytest.approx(batching.decode(R1, 256, 4096).usd_per_mtok)
    assert {r["quality"] for r in part(chart_rows(prices.chart_widget), "model")} == {"derived"}


@pytest.mark.parametrize(
    "control, value",
    [("batch_size", 1), ("batch_size", 1024), ("context_tokens", 32768), ("usd_per_gpu_hour", 3.5)],
)
def test_every_price_control_moves_the_chart_as_the_model_says(prices, control, value):
    before = part(chart_rows(prices.chart_widget), "chosen")[0]
    prices.sliders[control].value = value
    after = part(chart_rows(prices.chart_widget), "chosen")[0]
    deployment = batching.Deployment(
        "DeepSeek-R1",
        "H800",
        n_gpus=16,
        weight_precision="fp8",
        usd_per_gpu_hour=prices.sliders["usd_per_gpu_hour"].value,
    )
    context = prices.sliders["context_tokens"].value
    batch = min(prices.sliders["batch_size"].value, int(batching.max_batch_size(deployment, context)))
    step = batching.decode(deployment, batch, context)
    assert after["usd_per_mtok"] == pytest.approx(step.usd_per_mtok)
    assert after["tokens_per_s_per_user"] == pytest.approx(step.tokens_per_s_per_user)
    assert after["tokens_per_s_per_gpu"] == pytest.approx(step.tokens_per_s_per_gpu)
    assert after != before
    assert f"${step.usd_per_mtok:.2f}" in prices.readout.value


def test_a_moved_gpu_price_is_marked_illustrative(prices):
    prices.sliders["usd_per_gpu_hour"].value = 3.0
    assert {r["quality"] for r in part(chart_rows(prices.chart_widget), "model")} == {"illustrative"}


def test_bigger_batches_are_cheaper_and_slower(prices):
    seen = []
    for batch in BATCH_SIZES[:9]:
        prices.sliders["batch_size"].value = batch
        seen.append((prices.chosen["tokens_per_s_per_user"], prices.chosen["usd_per_mtok"]))
    speeds, costs = np.array(seen).T
    assert (np.diff(speeds) < 0).all() and (np.diff(costs) < 0).all()


def test_the_readout_gives_both_spreads_computed_from_every_batch(prices):
    every = batching.decode(R1, np.arange(1, int(batching.max_batch_size(R1, 4096)) + 1), 4096)
    in_band = (every.tokens_per_s_per_user >= 20) & (every.tokens_per_s_per_user <= 60)
    full = every.usd_per_mtok.max() / every.usd_per_mtok.min()
    band = every.usd_per_mtok[in_band].max() / every.usd_per_mtok[in_band].min()
    assert f"({full:,.0f}x) from batch 1" in prices.readout.value
    assert f"({band:,.0f}x) at 20-60 tokens/s per user" in prices.readout.value
    assert 150 < full < 300 and 10 < band < 60  # batch 1 is far outside the band providers sell


def test_a_batch_that_does_not_fit_is_said_so(prices):
    prices.set_values(batch_size=4096, context_tokens=65536)
    assert "does not fit" in prices.readout.value
    assert prices.chosen["batch_size"] == prices.largest_batch


def check_rows(rows: list[dict]) -> None:
    assert rows
    numbers = [v for row in rows for v in row.values() if isinstance(v, (int, float)) and v is not None]
    assert numbers and all(math.isfinite(v) for v in numbers if not (isinstance(v, float) and math.isnan(v)))


def test_200_random_settings_never_break_either_dashboard():
    """200 settings per dashboard, all controls at once; every 20th is redrawn through the widget
    (a redraw takes tens of milliseconds, the rows alone a few)."""
    rng = np.random.default_rng(2025)
    playground, prices = tokenizer_dashboard(), price_dashboard()
    words = ["token", " price", " fantastic", " DeepSeek", "!", "\n", " 42", " ", "ünïcode", " $2.19"]
    for i in range(200):
        redraw = i % 20 == 0
        text = "".join(rng.choice(words, size=int(rng.integers(0, 12))))
        playground.set_values(redraw, n_merges=int(rng.integers(0, 101)) * 10, text=text)
        assert "nan" not in playground.readout.value.lower()
        assert len(playground.rows) >= 1 and len(playground.curve) > 1
        assert np.isfinite(playground.curve["tokens"]).all()
        assert "".join(playground.tokens) == text
        prices.set_values(
            redraw,
            batch_size=BATCH_SIZES[rng.integers(len(BATCH_SIZES))],
            context_tokens=CONTEXT_TOKENS[rng.integers(len(CONTEXT_TOKENS))],
            usd_per_gpu_hour=round(0.5 + 0.1 * int(rng.integers(0, 56)), 1),
        )
        numbers = prices.rows.select_dtypes("number").to_numpy().ravel()
        assert np.isfinite(numbers[~np.isnan(numbers)]).all()
        assert (prices.rows["part"] == "model").sum() >= 2 and (prices.rows["part"] == "chosen").sum() == 1
        assert "nan" not in prices.readout.value.lower() and "inf" not in prices.readout.value.lower()
        if redraw:
            for widget in (playground.chart_widget, playground.curve_widget, prices.chart_widget):
                check_rows(chart_rows(widget))
            assert len(chart_rows(prices.chart_widget)) == len(prices.rows)
            assert [r["token"] for r in chart_rows(playground.chart_widget) if r["position"] > 0] == (
                playground.tokens[:300]
            )
