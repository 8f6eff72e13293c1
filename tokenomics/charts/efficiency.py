"""The token-efficiency lesson's charts: output speeds, token counts, the race to an answer, and
the cost of an answer against the price of a token.

Examples
--------
>>> chart = race_chart(race_data(Racer("A", 2.0, 45.0), Racer("B", 2.0, 25.0), 1_000, 3.0))
>>> chart.to_dict()["title"]["text"]
'Time to answer (s)'
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from tokenomics import data
from tokenomics.charts import GREY, OKABE_ITO, shallow_copy, style
from tokenomics.charts.providers import quality_channel
from tokenomics.data import QUALITY_LABELS
from tokenomics.efficiency import break_even_verbosity, cost_per_answer_usd, time_to_answer_s

PHASES = ("waiting for the first token", "streaming the answer")
"""The two parts of a time to answer, as the race chart's legend names them."""

RATIO_GRID = np.round(np.arange(0.1, 6.0001, 0.05), 2)
"""Wordiness ratios (wordy tokens / concise tokens) on the race chart's lower panel."""


def least_certain(*qualities: str) -> str:
    """The least certain of several quality words: a result is no surer than its weakest input.

    Examples
    --------
    >>> least_certain("reported", "illustrative", "derived")
    'illustrative'
    """
    unknown = set(qualities) - set(QUALITY_LABELS)
    if unknown or not qualities:
        raise ValueError(f"qualities must be among {QUALITY_LABELS} (got {qualities!r})")
    return max(qualities, key=QUALITY_LABELS.index)


@dataclass(frozen=True)
class Racer:
    """One model in the race: its name, time to first token (s) and output speed (tokens/s).

    ``ttft_quality`` and ``speed_quality`` are the data-quality words of the two numbers.
    """

    name: str
    ttft_s: float
    tokens_per_s: float
    ttft_quality: str = "illustrative"
    speed_quality: str = "reported"


def _speed_label(racer: Racer) -> str:
    return f"{racer.name} · {racer.tokens_per_s:g} tok/s ({racer.speed_quality})"


def race_data(
    concise: Racer,
    wordy: Racer,
    concise_output_tokens: int,
    wordiness: float,
    tokens_quality: str = "illustrative",
    wordiness_quality: str = "reported",
) -> pd.DataFrame:
    """The rows :func:`race_chart` draws, computed with :mod:`tokenomics.efficiency`.

    Parameters
    ----------
    concise, wordy : Racer
        The two models; the wordy one writes ``wordiness`` times as many tokens.
    concise_output_tokens : int
        The concise model's answer length, in output tokens (>= 1).
    wordiness : float
        Wordy tokens / concise tokens (> 0); the wordy answer is rounded to whole tokens.
    tokens_quality, wordiness_quality : str
        Data-quality words of the answer length and of the wordiness ratio.

    Returns
    -------
    DataFrame
        Rows with a ``part`` column: ``"phase"`` (one bar per model and phase, ``start_s`` to
        ``end_s``), ``"finish"`` (each model's time to answer, ``time_s``), ``"curve"`` (the
        wordy model's time to answer at each ratio of :data:`RATIO_GRID`), ``"break_even"``
        and ``"now"`` (the break-even and the chosen ratio). Every row has a ``quality``.

    Examples
    --------
    >>> rows = race_data(Racer("A", 2.0, 45.0), Racer("B", 2.0, 25.0), 1_000, 3.0)
    >>> rows.loc[rows["part"] == "finish", "time_s"].round(1).tolist()
    [24.2, 122.0]
    """
    wordiness = float(wordiness)
    if not wordiness > 0 or not np.isfinite(wordiness):
        raise ValueError(f"wordiness must be > 0 (got {wordiness:g})")
    wordy_tokens = max(1, round(wordiness * concise_output_tokens))
    racers = [(concise, concise_output_tokens, tokens_quality), (wordy, wordy_tokens, wordiness_quality)]
    rows = []
    for racer, tokens, length_quality in racers:
        finish_s = time_to_answer_s(racer.ttft_s, tokens, racer.tokens_per_s)
        quality = least_certain(racer.ttft_quality, racer.speed_quality, tokens_quality, length_quality)
        common = {
            "model": _speed_label(racer),
            "output_tokens": tokens,
            "ttft_s": racer.ttft_s,
            "tokens_per_s": racer.tokens_per_s,
            "quality": quality,
        }
        rows.append({"part": "phase", "phase": PHASES[0], "start_s": 0.0, "end_s": racer.ttft_s, **common})
        rows.append(
            {"part": "phase", "phase": PHASES[1], "start_s": racer.ttft_s, "end_s": finish_s, **common}
        )
        rows.append({"part": "finish", "time_s": finish_s, "text": f"{finish_s:,.1f} s", **common})
    quality = least_certain(*(row["quality"] for row in rows))
    even = break_even_verbosity(
        concise_output_tokens, concise.ttft_s, concise.tokens_per_s, wordy.ttft_s, wordy.tokens_per_s
    )
    grid = np.unique(np.concatenate([RATIO_GRID, [wordiness, even]]))
    grid = grid[(grid > 0) & (grid <= max(RATIO_GRID[-1], 1.2 * wordiness, 1.2 * even))]
    grid_tokens = np.maximum(1, np.round(grid * concise_output_tokens))
    curve_s = time_to_answer_s(wordy.ttft_s, grid_tokens, wordy.tokens_per_s)
    curve = pd.DataFrame({"part": "curve", "ratio": grid, "output_tokens": grid_tokens, "time_s": curve_s})
    concise_s, wordy_s = rows[2]["time_s"], rows[5]["time_s"]
    rows.append({"part": "break_even", "ratio": even, "time_s": concise_s, "text": f"break-even {even:.2f}x"})
    rows.append({"part": "now", "ratio": wordiness, "time_s": wordy_s, "text": f"{wordiness:g}x"})
    table = pd.concat([pd.DataFrame(rows), curve], ignore_index=True)
    table.loc[table["part"].isin(["curve", "break_even", "now"]), "quality"] = quality
    return table


def _race_description(rows: pd.DataFrame) -> str:
    finish = rows[rows["part"] == "finish"]
    even = rows.loc[rows["part"] == "break_even", "ratio"].item()
    now = rows.loc[rows["part"] == "now", "ratio"].item()
    first, second = finish["model"].tolist()
    t_first, t_second = finish["time_s"].tolist()
    winner = first if t_first <= t_second else second
    return (
        f"Two panels. Top: a timeline of two answers, waiting for the first token then streaming. "
        f"{first} answers in {t_first:,.1f} s; {second}, writing {now:g} times as many tokens, in "
        f"{t_second:,.1f} s; {winner} finishes first. Bottom: the second model's time to answer "
        f"against its wordiness ratio; it ties the first at a ratio of {even:.2f} (break-even). "
        f"Times use illustrative inputs where marked."
    )


def _race_subtitle(rows: pd.DataFrame) -> str:
    formula = "time to answer = TTFT + (answer tokens - 1) / output speed"
    qualities = set(rows["quality"])
    if len(qualities) == 1:
        return f"{formula}; every time shown is {qualities.pop()} (first-token times and answer lengths)"
    return formula


def race_chart(rows: pd.DataFrame, title: str = "Time to answer (s)") -> alt.VConcatChart:
    """A race to the last token: a timeline of two answers, and time to answer vs wordiness.

    Top panel: one bar per model, grey while waiting for the first token, coloured while the
    answer streams, with the time to answer at its end (the marker's shape is the data quality
    of that time). Bottom panel: the wordy model's time to answer as its wordiness ratio grows
    (line), the concise model's time (horizontal rule), the break-even ratio (vertical rule) and
    the chosen ratio (marker).

    Parameters
    ----------
    rows : DataFrame
        As returned by :func:`race_data`.
    title : str
        The chart title.

    Returns
    -------
    altair.VConcatChart
        Its data (``chart.data``) is ``rows``.
    """
    if rows.empty or not {"part", "quality"} <= set(rows.columns):
        raise ValueError("rows must come from race_data()")
    models = rows.loc[rows["part"] == "finish", "model"].tolist()
    base = alt.Chart()
    y = alt.Y("model:N", sort=models, title=None, axis=alt.Axis(labelLimit=360, labelFontSize=12))
    time_x = alt.X("start_s:Q", title="time since the request was sent, s")
    phase_colour = alt.Color(
        "phase:N",
        scale=alt.Scale(domain=list(PHASES), range=["#c9c9c9", OKABE_ITO[0]]),
        legend=alt.Legend(title="phase"),
    )
    tooltip = [
        alt.Tooltip("model:N", title="model"),
        alt.Tooltip("ttft_s:Q", title="time to first token, s", format=",.2f"),
        alt.Tooltip("tokens_per_s:Q", title="output speed, tok/s", format=",.1f"),
        alt.Tooltip("output_tokens:Q", title="answer length, tokens", format=",.0f"),
        alt.Tooltip("time_s:Q", title="time to answer, s", format=",.1f"),
        alt.Tooltip("quality:N", title="data quality"),
    ]
    bars = (
        base.transform_filter(alt.datum.part == "phase")
        .mark_bar(height=22)
        .encode(x=time_x, x2="end_s:Q", y=y, color=phase_colour)
    )
    finish = base.transform_filter(alt.datum.part == "finish")
    finish_points = finish.mark_point(filled=True, size=150, color="#000000", strokeWidth=0).encode(
        x="time_s:Q", y=y, tooltip=tooltip, **quality_channel(rows.loc[rows["part"] == "finish", "quality"])
    )
    finish_text = finish.mark_text(align="left", dx=10, fontSize=12).encode(x="time_s:Q", y=y, text="text:N")
    timeline = alt.layer(bars, finish_points, finish_text).properties(
        width=560, height=90, title="The race: both requests sent at 0 s"
    )
    ratio_x = alt.X("ratio:Q", title="wordiness: second model's tokens / first model's tokens")
    time_y = alt.Y("time_s:Q", title="time to answer, s")
    curve = (
        base.transform_filter(alt.datum.part == "curve")
        .mark_line(color=OKABE_ITO[4], strokeWidth=2.5)
        .encode(
            x=ratio_x,
            y=time_y,
            tooltip=[
                alt.Tooltip("ratio:Q", title="wordiness ratio", format=".2f"),
                alt.Tooltip("output_tokens:Q", title="answer length, tokens", format=",.0f"),
                alt.Tooltip("time_s:Q", title="time to answer, s", format=",.1f"),
                alt.Tooltip("quality:N", title="data quality"),
            ],
            **quality_channel(rows.loc[rows["part"] == "curve", "quality"], "line"),
        )
    )
    even = base.transform_filter(alt.datum.part == "break_even")
    tie_line = even.mark_rule(color=OKABE_ITO[0], strokeWidth=1.5).encode(y="time_s:Q")
    even_rule = even.mark_rule(color=GREY, strokeWidth=1.5, strokeDash=[3, 3]).encode(x="ratio:Q")
    even_text = even.mark_text(align="left", dx=5, dy=-8, color=GREY, fontSize=12).encode(
        x="ratio:Q", y="time_s:Q", text="text:N"
    )
    now = base.transform_filter(alt.datum.part == "now")
    now_point = now.mark_point(filled=True, size=130, color=OKABE_ITO[4], strokeWidth=0).encode(
        x="ratio:Q", y="time_s:Q", tooltip=[alt.Tooltip("text:N", title="chosen wordiness")]
    )
    sweep = alt.layer(curve, tie_line, even_rule, even_text, now_point).properties(
        width=560,
        height=220,
        title="Second model's time to answer as it gets wordier (blue line: first model's time)",
    )
    chart = alt.vconcat(timeline, sweep, data=rows, spacing=24).properties(
        title=alt.Title(title, subtitle=_race_subtitle(rows))
    )
    return style(chart, _race_description(rows))


def refresh_race_chart(chart: alt.VConcatChart, rows: pd.DataFrame) -> alt.VConcatChart:
    """``chart`` with the rows of :func:`race_data`: only the data and description change.

    Examples
    --------
    >>> a, b = Racer("A", 2.0, 45.0), Racer("B", 2.0, 25.0)
    >>> chart = race_chart(race_data(a, b, 1_000, 3.0))
    >>> refresh_race_chart(chart, race_data(a, b, 1_000, 1.0)).data is not chart.data
    True
    """
    old = chart.data
    same_qualities = isinstance(old, pd.DataFrame) and set(old["quality"]) == set(rows["quality"])
    if not same_qualities:  # the legend lists only the qualities drawn: rebuild it
        return race_chart(rows)
    new = shallow_copy(chart)
    new.data = rows
    new.description = _race_description(rows)
    return new


def cost_data(
    prices: pd.DataFrame,
    labels: list[str],
    input_tokens: int,
    output_tokens: list[int],
    tokens_quality: str = "illustrative",
) -> pd.DataFrame:
    """The rows :func:`cost_chart` draws: price per token and cost per answer of chosen listings.

    Parameters
    ----------
    prices : DataFrame
        As returned by :func:`tokenomics.efficiency.price_table`.
    labels : list of str
        The listings to compare (values of ``prices["label"]``).
    input_tokens : int
        Prompt length of every answer, in tokens (>= 0).
    output_tokens : list of int
        Answer length of each listing, in output tokens (reasoning included).
    tokens_quality : str
        Data-quality word of the token counts.

    Returns
    -------
    DataFrame
        Two rows per listing (``measure`` "price per token" and "cost per answer") with
        ``order`` (0, 1, ... in the order of ``labels``), ``label``, ``name`` (the label, with
        the answer length when a label is chosen twice), ``value`` (blended $ per million tokens,
        or US cents per answer), the prices, the token counts, ``cost_usd`` and ``quality``.

    Examples
    --------
    >>> from tokenomics.efficiency import price_table
    >>> rows = cost_data(price_table(), ["Claude Sonnet 4"], 2_000, [1_000])
    >>> rows["value"].round(2).tolist()
    [6.0, 2.1]
    """
    if len(labels) != len(output_tokens) or not labels:
        raise ValueError(f"labels and output_tokens must be non-empty and as long (got {labels!r})")
    chosen = prices.set_index("label").loc[labels]
    cost_usd = cost_per_answer_usd(
        input_tokens,
        np.asarray(output_tokens, dtype=float),
        chosen["input_usd_per_mtok"].to_numpy(),
        chosen["output_usd_per_mtok"].to_numpy(),
    )
    output_tokens = np.asarray(output_tokens, dtype=float)
    repeated = pd.Series(labels).duplicated(keep=False).to_numpy()
    names = [
        f"{label} · {tokens:,.0f} tokens" if twice else label
        for label, tokens, twice in zip(labels, output_tokens, repeated, strict=True)
    ]
    common = pd.DataFrame(
        {
            "order": np.arange(len(labels)),
            "label": labels,
            "name": names,
            "input_usd_per_mtok": chosen["input_usd_per_mtok"].to_numpy(),
            "output_usd_per_mtok": chosen["output_usd_per_mtok"].to_numpy(),
            "blended_usd_per_mtok": chosen["blended_usd_per_mtok"].to_numpy(),
            "input_tokens": float(input_tokens),
            "output_tokens": np.asarray(output_tokens, dtype=float),
            "cost_usd": np.asarray(cost_usd, dtype=float),
        }
    )
    price_rows = common.assign(
        measure="price per token", value=common["blended_usd_per_mtok"], quality=chosen["quality"].to_numpy()
    )
    answer_quality = [least_certain(q, tokens_quality) for q in chosen["quality"]]
    cost_rows = common.assign(
        measure="cost per answer", value=100 * common["cost_usd"], quality=answer_quality
    )
    return pd.concat([price_rows, cost_rows], ignore_index=True)


def _cost_description(rows: pd.DataFrame) -> str:
    price = rows[rows["measure"] == "price per token"].set_index("name")["value"]
    cost = rows[rows["measure"] == "cost per answer"].set_index("name")["value"]
    parts = [
        f"{label}: ${price[label]:,.2f} per million tokens, {cost[label]:,.3f} cents per answer"
        for label in price.index
    ]
    return (
        "Two bar charts side by side, one bar per model listing: the blended price per million tokens "
        "(3 input tokens to 1 output token) and the cost of one answer in US cents. "
        + "; ".join(parts)
        + f". Cheapest per token: {price.idxmin()}; cheapest per answer: {cost.idxmin()}."
    )


def cost_chart(rows: pd.DataFrame, title: str = "Price per token vs cost per answer") -> alt.HConcatChart:
    """Two bar charts: blended $ per million tokens, and US cents per answer, for each listing.

    A marker at the end of each bar shows its data quality: prices are reported; a cost per
    answer is no surer than the token counts behind it.

    Parameters
    ----------
    rows : DataFrame
        As returned by :func:`cost_data`.
    title : str
        The chart title.

    Returns
    -------
    altair.HConcatChart
        Its data (``chart.data``) is ``rows``.
    """
    if rows.empty or "measure" not in rows.columns:
        raise ValueError("rows must come from cost_data()")
    count = rows["order"].nunique()
    colour = alt.Scale(domain=list(range(count)), range=[OKABE_ITO[i % len(OKABE_ITO)] for i in range(count)])
    tooltip = [
        alt.Tooltip("label:N", title="listing"),
        alt.Tooltip("input_usd_per_mtok:Q", title="input, $ per M tokens", format=",.3~f"),
        alt.Tooltip("output_usd_per_mtok:Q", title="output, $ per M tokens", format=",.3~f"),
        alt.Tooltip("blended_usd_per_mtok:Q", title="blended 3:1, $ per M tokens", format=",.3~f"),
        alt.Tooltip("input_tokens:Q", title="prompt, tokens", format=",.0f"),
        alt.Tooltip("output_tokens:Q", title="answer, output tokens", format=",.0f"),
        alt.Tooltip("cost_usd:Q", title="cost per answer, $", format=",.5f"),
        alt.Tooltip("quality:N", title="data quality"),
    ]

    def panel(measure: str, axis_title: str, fmt: str):
        part = alt.Chart().transform_filter(alt.datum.measure == measure)
        y = alt.Y("name:N", sort=alt.EncodingSortField("order"), title=None, axis=alt.Axis(labelLimit=320))
        x = alt.X("value:Q", title=axis_title, scale=alt.Scale(zero=True))
        bars = part.mark_bar(height=20).encode(
            x=x, y=y, color=alt.Color("order:N", scale=colour, legend=None), tooltip=tooltip
        )
        ends = part.mark_point(filled=True, size=110, color="#000000", strokeWidth=0).encode(
            x=x, y=y, **quality_channel(rows["quality"])
        )
        text = part.mark_text(align="left", dx=10, fontSize=12).encode(
            x=x, y=y, text=alt.Text("value:Q", format=fmt)
        )
        return alt.layer(bars, ends, text).properties(width=260, height=alt.Step(34), title=measure)

    chart = alt.hconcat(
        panel("price per token", "blended price, $ per million tokens (3:1)", "$,.2f"),
        panel("cost per answer", "cost of one answer, US cents", ",.3f"),
        data=rows,
        spacing=30,
    ).properties(
        title=alt.Title(
            title,
            subtitle="cost = prompt tokens x input price + answer tokens x output price",
        )
    )
    return style(chart, _cost_description(rows))


def refresh_cost_chart(chart: alt.HConcatChart, rows: pd.DataFrame) -> alt.HConcatChart:
    """``chart`` with new rows of :func:`cost_data`; rebuilt only when the number of listings changes.

    Examples
    --------
    >>> from tokenomics.efficiency import price_table
    >>> prices = price_table()
    >>> chart = cost_chart(cost_data(prices, ["Claude Sonnet 4"], 2_000, [1_000]))
    >>> refresh_cost_chart(chart, cost_data(prices, ["Claude Sonnet 4"], 2_000, [500])).data.shape
    (2, 12)
    """
    old = chart.data
    if not (
        isinstance(old, pd.DataFrame)
        and old["order"].nunique() == rows["order"].nunique()
        and set(old["quality"]) == set(rows["quality"])
    ):
        return cost_chart(rows)
    new = shallow_copy(chart)
    new.data = rows
    new.description = _cost_description(rows)
    return new


SPEED_QUANTITIES = {
    "output_tokens_per_s_at_launch": "Claude 4 Sonnet at launch",
    "output_tokens_per_s_after_drop": "Claude 4 Sonnet, about June 2025",
    "output_tokens_per_s": "DeepSeek's own API, mid-2025",
    "output_tokens_per_s_low": "DeepSeek's published day, low end",
    "output_tokens_per_s_high": "DeepSeek's published day, high end",
}
"""The rows of ``speed_and_verbosity`` the speed chart shows, with their labels."""


def speed_rows() -> pd.DataFrame:
    """Output speeds from dataset ``speed_and_verbosity``, one row per figure, with a ``label``.

    Examples
    --------
    >>> speed_rows().set_index("label").loc["Claude 4 Sonnet, about June 2025", "value"]
    np.float64(45.0)
    """
    table = data.load("speed_and_verbosity")
    rows = table[table["quantity"].isin(SPEED_QUANTITIES)].copy()
    rows["label"] = rows["quantity"].map(SPEED_QUANTITIES)
    return rows[["label", "subject", "value", "unit", "qualifier", "period", "note", "quality"]].reset_index(
        drop=True
    )


def speed_chart(title: str = "Output speed, tokens per second per user") -> alt.LayerChart:
    """Dot chart of the sourced output speeds, over the 20-60 tokens/s band most providers chose.

    Examples
    --------
    >>> speed_chart().to_dict()["title"]["text"]
    'Output speed, tokens per second per user'
    """
    rows = speed_rows()
    table = data.load("speed_and_verbosity").set_index("quantity")
    low = table.loc["settled_output_tokens_per_s_low", "value"]
    high = table.loc["settled_output_tokens_per_s_high", "value"]
    y = alt.Y("label:N", sort=rows["label"].tolist(), title=None, axis=alt.Axis(labelLimit=300))
    x = alt.X("value:Q", title="output speed, tokens/s per user", scale=alt.Scale(domain=[0, 100]))
    band = (  # its own one-row data: drawn once, not once per speed
        alt.Chart(pd.DataFrame({"low": [low], "high": [high]}))
        .mark_rect(color=GREY, opacity=0.12)
        .encode(x=alt.X("low:Q"), x2="high:Q")
    )
    dots = (
        alt.Chart()
        .mark_point(filled=True, size=140, strokeWidth=0, opacity=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color("subject:N", scale=alt.Scale(range=list(OKABE_ITO)), legend=None),
            tooltip=[
                alt.Tooltip("label:N", title="figure"),
                alt.Tooltip("value:Q", title="tokens/s"),
                alt.Tooltip("qualifier:N", title="qualifier"),
                alt.Tooltip("period:N", title="period"),
                alt.Tooltip("note:N", title="note"),
                alt.Tooltip("quality:N", title="data quality"),
            ],
            **quality_channel(rows["quality"]),
        )
    )
    labels = (
        alt.Chart()
        .mark_text(align="left", dx=10, fontSize=11)
        .encode(x=x, y=y, text=alt.Text("value_text:N"))
    )
    rows = rows.assign(
        value_text=[
            f"{q + ' ' if q else ''}{v:g} ({quality})"
            for q, v, quality in zip(rows["qualifier"], rows["value"], rows["quality"], strict=True)
        ]
    )
    chart = alt.layer(band, dots, labels, data=rows).properties(
        width=420,
        height=alt.Step(28),
        title=alt.Title(
            title, subtitle=f"shaded: the {low:g}-{high:g} tokens/s most providers settled on (reported)"
        ),
    )
    description = "Dot chart of output speeds: " + "; ".join(
        f"{label} {value:g} tokens/s ({quality})"
        for label, value, quality in rows[["label", "value", "quality"]].values
    )
    return style(chart, description + f". Shaded band: {low:g}-{high:g} tokens/s.")


def token_count_rows() -> pd.DataFrame:
    """Output tokens used to run the Artificial Analysis Intelligence Index: the published counts.

    Only Grok 4, o3 and Claude Opus 4 have counts in dataset ``speed_and_verbosity``.

    Examples
    --------
    >>> token_count_rows()["subject"].tolist()
    ['Grok 4', 'o3', 'Claude Opus 4']
    """
    table = data.load("speed_and_verbosity")
    rows = table[table["quantity"] == "intelligence_index_output_tokens"]
    return rows[["subject", "value", "unit", "period", "source", "quality"]].reset_index(drop=True)


def token_count_chart(
    title: str = "Output tokens to run the Intelligence Index (millions)",
) -> alt.LayerChart:
    """Bars of the published index token counts, with a quality marker at each bar's end.

    Examples
    --------
    >>> token_count_chart().data["value"].tolist()
    [110.0, 48.0, 26.0]
    """
    rows = token_count_rows()
    y = alt.Y("subject:N", sort=rows["subject"].tolist(), title=None)
    x = alt.X("value:Q", title="output tokens, millions")
    tooltip = [
        alt.Tooltip("subject:N", title="model"),
        alt.Tooltip("value:Q", title="output tokens, millions"),
        alt.Tooltip("period:N", title="period"),
        alt.Tooltip("quality:N", title="data quality"),
    ]
    bars = alt.Chart().mark_bar(height=20, color=OKABE_ITO[0]).encode(x=x, y=y, tooltip=tooltip)
    ends = (
        alt.Chart()
        .mark_point(filled=True, size=120, color="#000000", strokeWidth=0)
        .encode(x=x, y=y, tooltip=tooltip, **quality_channel(rows["quality"]))
    )
    text = (
        alt.Chart().mark_text(align="left", dx=10).encode(x=x, y=y, text=alt.Text("value:Q", format=",.0f"))
    )
    chart = alt.layer(bars, ends, text, data=rows).properties(
        width=420,
        height=alt.Step(32),
        title=alt.Title(
            title,
            subtitle=[
                "every count reported by Artificial Analysis (read via a newsletter citing it)",
                "not published in the kit's sources: Claude 4 Sonnet, Gemini 2.5 Pro, R1-0528",
            ],
        ),
    )
    description = (
        "Bar chart of output tokens used to run the Artificial Analysis Intelligence Index: "
        + "; ".join(
            f"{subject} {value:g} million ({quality})"
            for subject, value, quality in rows[["subject", "value", "quality"]].values
        )
    )
    return style(chart, description + ".")
