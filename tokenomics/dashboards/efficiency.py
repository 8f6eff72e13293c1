"""Claude's token efficiency: a race to the last token, and the cost of an answer.

- :func:`race_dashboard`: two models' output speed, time to first token, answer length and
  wordiness; the race chart (:func:`tokenomics.charts.efficiency.race_chart`) shows who finishes
  first and the break-even wordiness.
- :func:`cost_dashboard`: two price listings (datasets ``reference_prices`` and
  ``r1_providers``), prompt and answer lengths and wordiness; the cost chart
  (:func:`tokenomics.charts.efficiency.cost_chart`) sets price per token beside cost per answer.

Both start from the sourced values: Claude 4 Sonnet at 45 tokens/s, DeepSeek's own API at 25
tokens/s and "more than 3x" the tokens (dataset ``speed_and_verbosity``). Times to first token
and answer lengths are teaching values: no source gives them, so they are labelled illustrative.

Examples
--------
>>> board = race_dashboard()
>>> board.sliders["wordiness"].value = 1.0    # as if a student moved the slider
>>> board.break_even < 1.0
True
>>> prices = cost_dashboard()
>>> prices.sliders["answer_tokens"].value = 2_000
>>> prices.rows["output_tokens"].tolist()
[2000.0, 6000.0, 2000.0, 6000.0]
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from tokenomics import data
from tokenomics.charts.efficiency import (
    Racer,
    cost_chart,
    cost_data,
    race_chart,
    race_data,
    refresh_cost_chart,
    refresh_race_chart,
)
from tokenomics.dashboards import BatchedControls, jupyter_chart, slider
from tokenomics.efficiency import break_even_verbosity, price_table


def sourced(quantity: str, subject: str) -> float:
    """One value of dataset ``speed_and_verbosity``, by its quantity and subject.

    Examples
    --------
    >>> sourced("output_tokens_per_s", "DeepSeek (own API)")
    25.0
    """
    table = data.load("speed_and_verbosity")
    row = table[(table["quantity"] == quantity) & (table["subject"] == subject)]
    if len(row) != 1:
        raise ValueError(f"no single row {quantity!r} for {subject!r} in speed_and_verbosity")
    return float(row["value"].item())


CLAUDE_TOKENS_PER_S = sourced("output_tokens_per_s_after_drop", "Claude 4 Sonnet (Anthropic API)")
"""Claude 4 Sonnet's output speed after its 40% drop: "just above 45" tokens/s (reported)."""

DEEPSEEK_TOKENS_PER_S = sourced("output_tokens_per_s", "DeepSeek (own API)")
"""DeepSeek's own output speed, 25 tokens/s (reported)."""

WORDINESS = sourced("wordiness_vs_claude", "Gemini 2.5 Pro and DeepSeek R1-0528")
"""Gemini 2.5 Pro and R1-0528 are "more than 3 times as wordy" as Claude (reported)."""

ILLUSTRATIVE_TTFT_S = 2.0
"""Time to first token used for both models at the start: illustrative (no source gives it)."""

ILLUSTRATIVE_ANSWER_TOKENS = 1_000
"""The concise model's answer length at the start: illustrative (no source gives it)."""

ILLUSTRATIVE_PROMPT_TOKENS = 2_000
"""Prompt length at the start of the cost dashboard: illustrative."""


def _quality(value: float, source_value: float) -> str:
    """'reported' while a control shows its sourced value, 'illustrative' once a student moves it."""
    return "reported" if abs(value - source_value) < 1e-9 else "illustrative"


class RaceDashboard(BatchedControls, widgets.VBox):
    """Who answers first? Two models race to the last token of an answer.

    Attributes
    ----------
    sliders : dict of str to slider
        ``"concise_tokens_per_s"``, ``"concise_ttft_s"``, ``"answer_tokens"`` (the concise
        model's answer length), ``"wordy_tokens_per_s"``, ``"wordy_ttft_s"`` and ``"wordiness"``.
    readout : HTML
        Both times to answer, the winner and the break-even wordiness.
    chart_widget : altair.JupyterChart
        The race chart; its ``.chart`` is replaced on every update.
    rows : DataFrame
        The latest :func:`tokenomics.charts.efficiency.race_data`.
    break_even : float
        The latest break-even wordiness ratio.
    """

    def __init__(self, concise_name: str = "Claude 4 Sonnet", wordy_name: str = "DeepSeek (own API)"):
        self.names = (concise_name, wordy_name)
        self.sliders = {
            "concise_tokens_per_s": slider(
                f"{concise_name}: output speed, tok/s", CLAUDE_TOKENS_PER_S, 5, 200, 1, ".0f"
            ),
            "concise_ttft_s": slider(
                f"{concise_name}: first token, s (illustr.)", ILLUSTRATIVE_TTFT_S, 0, 30, 0.5, ".1f"
            ),
            "answer_tokens": slider(
                f"{concise_name}: answer, tokens (illustr.)",
                ILLUSTRATIVE_ANSWER_TOKENS,
                100,
                20_000,
                100,
                "",
                integer=True,
            ),
            "wordy_tokens_per_s": slider(
                f"{wordy_name}: output speed, tok/s", DEEPSEEK_TOKENS_PER_S, 5, 200, 1, ".0f"
            ),
            "wordy_ttft_s": slider(
                f"{wordy_name}: first token, s (illustr.)", ILLUSTRATIVE_TTFT_S, 0, 30, 0.5, ".1f"
            ),
            "wordiness": slider(f"{wordy_name}: wordiness, x tokens", WORDINESS, 0.25, 6, 0.05, ".2f"),
        }
        self.readout = widgets.HTML()
        self.rows = self.compute_rows()
        self.chart_widget = jupyter_chart(race_chart(self.rows))
        self._update_readout()
        self._holding = False
        for control in self.sliders.values():
            control.observe(self._on_change, names="value")
        super().__init__([*self.sliders.values(), self.readout, self.chart_widget])

    def __repr__(self) -> str:
        return f"race dashboard ({self.names[0]} vs {self.names[1]}): run the notebook to use the sliders"

    def _value(self, name: str) -> float:
        return float(self.sliders[name].value)

    def compute_rows(self) -> pd.DataFrame:
        """The race chart's rows for the sliders' values (also sets ``.break_even``); no redraw."""
        v = self._value
        concise = Racer(
            self.names[0],
            v("concise_ttft_s"),
            v("concise_tokens_per_s"),
            speed_quality=_quality(v("concise_tokens_per_s"), CLAUDE_TOKENS_PER_S),
        )
        wordy = Racer(
            self.names[1],
            v("wordy_ttft_s"),
            v("wordy_tokens_per_s"),
            speed_quality=_quality(v("wordy_tokens_per_s"), DEEPSEEK_TOKENS_PER_S),
        )
        self.break_even = break_even_verbosity(
            int(v("answer_tokens")), concise.ttft_s, concise.tokens_per_s, wordy.ttft_s, wordy.tokens_per_s
        )
        return race_data(
            concise,
            wordy,
            int(v("answer_tokens")),
            v("wordiness"),
            wordiness_quality=_quality(v("wordiness"), WORDINESS),
        )

    def update(self) -> None:
        """Recompute both times to answer and the break-even wordiness; redraw readout and chart."""
        self.rows = self.compute_rows()
        self._update_readout()
        self.chart_widget.chart = refresh_race_chart(self.chart_widget.chart, self.rows)

    def _update_readout(self) -> None:
        finish = self.rows[self.rows["part"] == "finish"]
        concise_s, wordy_s = finish["time_s"].tolist()
        if concise_s < wordy_s:
            verdict = f"{html.escape(self.names[0])} answers first, {wordy_s - concise_s:,.1f} s ahead"
        elif wordy_s < concise_s:
            verdict = f"{html.escape(self.names[1])} answers first, {concise_s - wordy_s:,.1f} s ahead"
        else:
            verdict = "a tie"
        self.readout.value = (
            f"Time to answer: {html.escape(self.names[0])} <b>{concise_s:,.1f} s</b>, "
            f"{html.escape(self.names[1])} <b>{wordy_s:,.1f} s</b>: {verdict}.<br>"
            f"Break-even wordiness: <b>{self.break_even:.2f}x</b> ({html.escape(self.names[1])} "
            f"finishes first only below it).<br><small>First-token times and the answer length are "
            "illustrative; a value a student changes is marked illustrative on the chart.</small>"
        )


class CostDashboard(BatchedControls, widgets.VBox):
    """Price per token vs cost per answer for two listings, a concise one and a wordy one.

    Attributes
    ----------
    pickers : dict of str to Dropdown
        ``"concise"`` and ``"wordy"``: the two listings of :func:`tokenomics.efficiency.price_table`.
    sliders : dict of str to IntSlider or FloatSlider
        ``"prompt_tokens"``, ``"answer_tokens"`` (the concise listing's answer) and
        ``"wordiness"`` (the wordy listing writes this many times as many tokens).
    readout : HTML
        How many times dearer or cheaper the wordy listing is, per token and per answer.
    chart_widget : altair.JupyterChart
        The cost chart; its ``.chart`` is replaced on every update.
    rows : DataFrame
        The latest :func:`tokenomics.charts.efficiency.cost_data`.
    """

    def __init__(self, concise: str = "Claude Sonnet 4", wordy: str = "DeepSeek R1-0528 on DeepSeek"):
        self.prices = price_table()
        labels = self.prices["label"].tolist()
        picker_style = {"style": {"description_width": "260px"}, "layout": widgets.Layout(width="600px")}
        self.pickers = {
            "concise": widgets.Dropdown(
                options=labels, value=concise, description="concise model", **picker_style
            ),
            "wordy": widgets.Dropdown(options=labels, value=wordy, description="wordy model", **picker_style),
        }
        self.sliders = {
            "prompt_tokens": slider(
                "prompt, tokens (illustr.)", ILLUSTRATIVE_PROMPT_TOKENS, 0, 50_000, 500, "", integer=True
            ),
            "answer_tokens": slider(
                "concise answer, tokens (illustr.)",
                ILLUSTRATIVE_ANSWER_TOKENS,
                100,
                20_000,
                100,
                "",
                integer=True,
            ),
            "wordiness": slider("wordy model: wordiness, x tokens", WORDINESS, 0.25, 6, 0.05, ".2f"),
        }
        self.readout = widgets.HTML()
        self.rows = self.compute_rows()
        self.chart_widget = jupyter_chart(cost_chart(self.rows))
        self._update_readout()
        self._holding = False
        for control in [*self.pickers.values(), *self.sliders.values()]:
            control.observe(self._on_change, names="value")
        super().__init__([*self.pickers.values(), *self.sliders.values(), self.readout, self.chart_widget])

    def __repr__(self) -> str:
        return (
            f"cost dashboard ({self.pickers['concise'].value} vs {self.pickers['wordy'].value}): "
            "run the notebook to use the controls"
        )

    def compute_rows(self) -> pd.DataFrame:
        """The cost chart's rows for the controls' values; no redraw."""
        answer = int(self.sliders["answer_tokens"].value)
        wordiness = float(self.sliders["wordiness"].value)
        wordy_tokens = max(1, round(wordiness * answer))
        return cost_data(
            self.prices,
            [self.pickers["concise"].value, self.pickers["wordy"].value],
            int(self.sliders["prompt_tokens"].value),
            [answer, wordy_tokens],
        )

    def update(self) -> None:
        """Recompute both costs per answer; redraw readout and chart."""
        self.rows = self.compute_rows()
        self._update_readout()
        self.chart_widget.chart = refresh_cost_chart(self.chart_widget.chart, self.rows)

    def _update_readout(self) -> None:
        price = self.rows.loc[self.rows["measure"] == "price per token", "value"].tolist()
        cost = self.rows.loc[self.rows["measure"] == "cost per answer", "value"].tolist()
        concise, wordy = (html.escape(self.pickers[k].value) for k in ("concise", "wordy"))
        self.readout.value = (
            f"{wordy} costs <b>{price[1] / price[0]:.2f} times</b> {concise}'s price per token "
            f"(blended 3:1) and <b>{cost[1] / cost[0]:.2f} times</b> its cost per answer: "
            f"{cost[1]:,.3f} vs {cost[0]:,.3f} US cents.<br><small>Prices are reported; token counts are "
            "illustrative, so each cost per answer is too.</small>"
        )


def race_dashboard(
    concise_name: str = "Claude 4 Sonnet", wordy_name: str = "DeepSeek (own API)"
) -> RaceDashboard:
    """Sliders for two models' speed, first-token time, answer length and wordiness; the race chart.

    Returns
    -------
    RaceDashboard
        A widget (display it as the last line of a cell) with ``.sliders``, ``.readout``,
        ``.chart_widget``, ``.rows`` and ``.break_even``.
    """
    return RaceDashboard(concise_name, wordy_name)


def cost_dashboard(
    concise: str = "Claude Sonnet 4", wordy: str = "DeepSeek R1-0528 on DeepSeek"
) -> CostDashboard:
    """Two price listings, prompt and answer lengths and wordiness; price per token vs cost per answer.

    Returns
    -------
    CostDashboard
        A widget with ``.pickers``, ``.sliders``, ``.readout``, ``.chart_widget`` and ``.rows``.
    """
    return CostDashboard(concise, wordy)
