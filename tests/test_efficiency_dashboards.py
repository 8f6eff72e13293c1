"""The token-efficiency dashboards driven without a browser: move every control, check the chart's
data against the models, and try 200 random settings."""

import math

import altair as alt
import numpy as np
import pytest

from tokenomics.dashboards.efficiency import (
    CLAUDE_TOKENS_PER_S,
    DEEPSEEK_TOKENS_PER_S,
    WORDINESS,
    cost_dashboard,
    race_dashboard,
)
from tokenomics.efficiency import break_even_verbosity, cost_per_answer_usd, price_table, time_to_answer_s


def chart_rows(board) -> list[dict]:
    """The chart's rows as the browser receives them."""
    spec = board.chart_widget.spec
    return spec["datasets"][spec["data"]["name"]]


def finish_times(board) -> list[float]:
    return [row["time_s"] for row in chart_rows(board) if row["part"] == "finish"]


def costs(board) -> list[float]:
    return [row["value"] for row in chart_rows(board) if row["measure"] == "cost per answer"]


@pytest.fixture
def race():
    return race_dashboard()


@pytest.fixture
def cost():
    return cost_dashboard()


def test_the_race_starts_from_the_sourced_values(race):
    assert (CLAUDE_TOKENS_PER_S, DEEPSEEK_TOKENS_PER_S, WORDINESS) == (45.0, 25.0, 3.0)
    assert race.sliders["concise_tokens_per_s"].value == 45.0
    assert race.sliders["wordy_tokens_per_s"].value == 25.0
    assert race.sliders["wordiness"].value == 3.0
    assert finish_times(race) == pytest.approx(
        [time_to_answer_s(2.0, 1_000, 45.0), time_to_answer_s(2.0, 3_000, 25.0)]
    )
    assert "Claude 4 Sonnet answers first" in race.readout.value
    assert isinstance(race.chart_widget, alt.JupyterChart) and type(race.chart_widget)._is_offline
    labels = {row["model"] for row in chart_rows(race) if row["part"] == "finish"}
    assert all("(reported)" in label for label in labels)


@pytest.mark.parametrize(
    "control, value, moved",
    [
        ("concise_tokens_per_s", 90.0, [0]),
        ("concise_ttft_s", 10.0, [0]),
        ("answer_tokens", 3_000, [0, 1]),
        ("wordy_tokens_per_s", 150.0, [1]),
        ("wordy_ttft_s", 10.0, [1]),
        ("wordiness", 1.0, [1]),
    ],
)
def test_every_race_control_moves_the_chart_as_the_model_says(race, control, value, moved):
    before = finish_times(race)
    race.sliders[control].value = value
    after = finish_times(race)
    v = {name: float(slider.value) for name, slider in race.sliders.items()}
    n = int(v["answer_tokens"])
    expected = [
        time_to_answer_s(v["concise_ttft_s"], n, v["concise_tokens_per_s"]),
        time_to_answer_s(v["wordy_ttft_s"], max(1, round(v["wordiness"] * n)), v["wordy_tokens_per_s"]),
    ]
    assert after == pytest.approx(expected)
    assert [i for i in range(2) if after[i] != pytest.approx(before[i])] == moved
    even = [row["ratio"] for row in chart_rows(race) if row["part"] == "break_even"]
    assert even == pytest.approx(
        [
            break_even_verbosity(
                n, v["concise_ttft_s"], v["concise_tokens_per_s"], v["wordy_ttft_s"], v["wordy_tokens_per_s"]
            )
        ]
    )
    assert f"{race.break_even:.2f}x" in race.readout.value


def test_a_moved_speed_is_marked_illustrative(race):
    race.sliders["wordy_tokens_per_s"].value = 60.0
    labels = [row["model"] for row in chart_rows(race) if row["part"] == "finish"]
    assert "(reported)" in labels[0] and "(illustrative)" in labels[1]


def test_a_fast_enough_wordy_model_wins_the_race(race):
    race.sliders["wordy_tokens_per_s"].value = 200.0
    assert race.break_even > WORDINESS
    times = finish_times(race)
    assert times[1] < times[0]
    assert "DeepSeek (own API) answers first" in race.readout.value


def test_the_cost_dashboard_starts_with_claude_and_deepseek(cost):
    assert [p.value for p in cost.pickers.values()] == ["Claude Sonnet 4", "DeepSeek R1-0528 on DeepSeek"]
    assert costs(cost) == pytest.approx(
        100 * cost_per_answer_usd(2_000, np.array([1_000, 3_000]), [3, 0.55], [15, 2.19])
    )


@pytest.mark.parametrize(
    "control, value",
    [
        ("prompt_tokens", 10_000),
        ("answer_tokens", 5_000),
        ("wordiness", 1.5),
        ("concise", "o3 (after the cut)"),
        ("wordy", "Gemini 2.5 Pro (prompts up to 200K tokens)"),
    ],
)
def test_every_cost_control_moves_the_chart_as_the_model_says(cost, control, value):
    before = costs(cost)
    widget = cost.pickers.get(control) or cost.sliders[control]
    widget.value = value
    after = costs(cost)
    assert after != pytest.approx(before)
    prices = price_table().set_index("label")
    labels = [cost.pickers["concise"].value, cost.pickers["wordy"].value]
    answer = cost.sliders["answer_tokens"].value
    out = np.array([answer, max(1, round(cost.sliders["wordiness"].value * answer))])
    expected = 100 * cost_per_answer_usd(
        cost.sliders["prompt_tokens"].value,
        out,
        prices.loc[labels, "input_usd_per_mtok"].to_numpy(),
        prices.loc[labels, "output_usd_per_mtok"].to_numpy(),
    )
    assert after == pytest.approx(expected)
    names = [row["label"] for row in chart_rows(cost) if row["measure"] == "cost per answer"]
    assert names == labels


def test_gemini_is_cheaper_per_token_but_dearer_per_answer(cost):
    cost.pickers["wordy"].value = "Gemini 2.5 Pro (prompts up to 200K tokens)"
    price = [row["value"] for row in chart_rows(cost) if row["measure"] == "price per token"]
    assert price[1] < price[0]
    assert costs(cost)[1] > costs(cost)[0]


def random_value(control, rng, labels):
    if hasattr(control, "options"):
        return labels[rng.integers(len(labels))]
    steps = int(round((control.max - control.min) / control.step))
    return type(control.value)(round(control.min + control.step * int(rng.integers(steps + 1)), 6))


def check(rows, readout: str) -> None:
    assert len(rows) > 0
    numbers = rows.select_dtypes("number").to_numpy().ravel()
    numbers = numbers[~np.isnan(numbers)]  # columns a row's part does not use are empty
    assert numbers.size and np.isfinite(numbers).all()
    assert "nan" not in readout.lower() and "inf" not in readout.lower()


@pytest.mark.parametrize("make", [race_dashboard, cost_dashboard])
def test_200_random_settings_never_break_the_chart(make):
    """Every setting moves all controls at once; every 20th is redrawn through the widget (a
    redraw takes tens of milliseconds, the rows alone about one)."""
    board = make()
    rng = np.random.default_rng(2025)
    labels = price_table()["label"].tolist()
    controls = {**getattr(board, "pickers", {}), **board.sliders}
    for i in range(200):
        values = {name: random_value(control, rng, labels) for name, control in controls.items()}
        if i % 20:
            board.set_values(redraw=False, **values)
            check(board.compute_rows(), board.readout.value)
        else:
            board.set_values(**values)
            check(board.rows, board.readout.value)
            spec_rows = chart_rows(board)
            assert len(spec_rows) == len(board.rows)
            numbers = [v for row in spec_rows for v in row.values() if isinstance(v, float)]
            assert all(math.isfinite(v) for v in numbers)
