"""The start-here lesson's charts: text split into tokens, and one model sold at many prices.

- :func:`token_chip_chart`: the tokens of a text as coloured chips, in reading order.
- :func:`merges_chart`: how many tokens a text takes as the tokenizer learns more merges.
- :func:`price_chart`: one deployment of one model at every batch size that fits: the faster
  each user is served, the fewer tokens each GPU makes and the dearer each token.

Examples
--------
>>> from tokenomics.tokens import kit_merges, encode
>>> chart = token_chip_chart(token_chip_data(encode("A token is a piece of text.", kit_merges())))
>>> chart.to_dict()["title"]["text"]
'The text split into tokens'
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from tokenomics import batching, data
from tokenomics.charts import GREY, OKABE_ITO, USD_FORMAT, quality_encoding, shallow_copy, style, swap_data
from tokenomics.tokens import count_tokens_by_merges, count_words

CHIP_COLOURS = OKABE_ITO[:6]
"""Neighbouring chips take turns through these colours, so every token border is visible."""

LINE_CHARS = 48
"""Characters per line of the chip chart before it wraps to the next line."""

MAX_CHIPS = 300
"""Most chips drawn; a longer text is cut (the readouts still count every token)."""

SHOWN_WHITESPACE = {" ": "\u2423", "\n": "\u23ce", "\t": "\u21e5"}
"""How spaces, line breaks and tabs are drawn inside a chip: ␣, ⏎ and ⇥."""


def shown(token: str) -> str:
    """A token with its white space made visible (see :data:`SHOWN_WHITESPACE`).

    Examples
    --------
    >>> shown(" token")
    '␣token'
    """
    return "".join(SHOWN_WHITESPACE.get(character, character) for character in token)


def token_chip_data(tokens: list[str], line_chars: int = LINE_CHARS) -> pd.DataFrame:
    """The rows :func:`token_chip_chart` draws: one chip per token, laid out in lines.

    Each chip is as wide as its token has characters (at least one); a chip that would pass
    ``line_chars`` starts a new line. Only the first :data:`MAX_CHIPS` tokens are laid out.
    With no token at all, one grey chip says the text is empty, so the chart is never blank.

    Parameters
    ----------
    tokens : list of str
        The tokens, in order (as :func:`tokenomics.tokens.encode` returns them).
    line_chars : int
        Characters per line.

    Returns
    -------
    DataFrame
        ``position`` (1, 2, ...), ``token``, ``shown``, ``characters``, ``line``, ``start``,
        ``end``, ``middle`` (character columns) and ``colour`` (a number that cycles through the
        chip colours; -1 for the empty-text chip).

    Examples
    --------
    >>> token_chip_data(["The", " price"])[["shown", "line", "start", "end"]].values.tolist()
    [['The', 1, 0, 3], ['␣price', 1, 3, 9]]
    """
    if line_chars < 1:
        raise ValueError(f"line_chars must be >= 1 (got {line_chars})")
    rows, line, column = [], 1, 0
    for position, token in enumerate(tokens[:MAX_CHIPS], start=1):
        width = max(1, len(token))
        if column and column + width > line_chars:
            line, column = line + 1, 0
        rows.append(
            {
                "position": position,
                "token": token,
                "shown": shown(token),
                "characters": len(token),
                "line": line,
                "start": column,
                "end": column + width,
                "middle": column + width / 2,
                "colour": (position - 1) % len(CHIP_COLOURS),
            }
        )
        column += width
    if not rows:
        empty = "(no text: type some in the box)"
        rows.append(
            {"position": 0, "token": "", "shown": empty, "characters": 0, "line": 1, "start": 0}
            | {"end": len(empty), "middle": len(empty) / 2, "colour": -1}
        )
    return pd.DataFrame(rows)


def _chip_description(rows: pd.DataFrame) -> str:
    n = int((rows["position"] > 0).sum())
    return (
        f"The text drawn as {n} coloured chips, one per token, in reading order; neighbouring chips "
        "take turns through six colours so every border between tokens shows. A space is drawn as ␣ "
        "and belongs to the word after it."
    )


def token_chip_chart(
    rows: pd.DataFrame, title: str = "The text split into tokens", subtitle: str = ""
) -> alt.LayerChart:
    """The tokens of a text as coloured chips, in reading order, wrapped into lines.

    Parameters
    ----------
    rows : DataFrame
        As returned by :func:`token_chip_data`.
    title, subtitle : str
        The chart's title and subtitle (say which tokenizer made the split).

    Returns
    -------
    altair.LayerChart
        Its data (``chart.data``) is ``rows``.
    """
    if rows.empty:
        raise ValueError("rows must hold at least one chip (token_chip_data always gives one)")
    colour = alt.Scale(domain=[-1, *range(len(CHIP_COLOURS))], range=["#dddddd", *CHIP_COLOURS])
    x_scale = alt.Scale(domain=[0, LINE_CHARS], nice=False)
    x = alt.X("start:Q", scale=x_scale, axis=None)
    y = alt.Y("line:O", axis=None)
    tooltip = [
        alt.Tooltip("position:Q", title="token number"),
        alt.Tooltip("shown:N", title="token (␣ = space)"),
        alt.Tooltip("characters:Q", title="characters"),
    ]
    chips = (
        alt.Chart()
        .mark_bar(opacity=0.35, cornerRadius=4, stroke="white", strokeWidth=2)
        .encode(x=x, x2="end:Q", y=y, color=alt.Color("colour:N", scale=colour, legend=None), tooltip=tooltip)
    )
    labels = (
        alt.Chart()
        .mark_text(fontSize=13, font="Menlo, Consolas, monospace", color="#222222")
        .encode(x=alt.X("middle:Q", scale=x_scale, axis=None), y=y, text="shown:N", tooltip=tooltip)
    )
    n_lines = int(rows["line"].max())
    chart = alt.layer(chips, labels, data=rows).properties(
        width=640,
        height=26 * n_lines,
        title=alt.Title(title, subtitle=subtitle or "one chip per token; ␣ marks a space"),
    )
    return style(chart, _chip_description(rows))


def refresh_token_chip_chart(chart: alt.LayerChart, rows: pd.DataFrame, subtitle: str = "") -> alt.LayerChart:
    """``chart`` with new chips: a fast update for dashboards (the data, height and subtitle swap).

    Examples
    --------
    >>> old = token_chip_chart(token_chip_data(["a", "b"]))
    >>> new = refresh_token_chip_chart(old, token_chip_data(["ab"]))
    >>> new.data["token"].tolist(), old.data["token"].tolist()
    (['ab'], ['a', 'b'])
    """
    new = shallow_copy(chart)
    new.data = rows
    new.height = 26 * int(rows["line"].max())
    new.description = _chip_description(rows)
    if subtitle:
        new.title = alt.Title(chart.title.text, subtitle=subtitle)
    return new


def merges_data(text: str, merges, n_merges_grid, chosen_n_merges: int) -> pd.DataFrame:
    """The rows :func:`merges_chart` draws: tokens in ``text`` for each number of merges used.

    Parameters
    ----------
    text : str
        The text to split.
    merges : list of (str, str)
        Learned merges, in order.
    n_merges_grid : array_like of int
        Numbers of merges for the curve, 0 to ``len(merges)``.
    chosen_n_merges : int
        The number of merges in use now (its own row, ``part == "chosen"``).

    Returns
    -------
    DataFrame
        ``part`` ("curve" or "chosen"), ``n_merges``, ``tokens``, ``tokens_per_word`` (NaN for a
        text without words) and ``quality`` ("derived": computed by the kit's tokenizer).

    Examples
    --------
    >>> from tokenomics.tokens import kit_merges
    >>> rows = merges_data("The price of a token", kit_merges(), [0, 500], 100)
    >>> rows[["part", "n_merges", "tokens"]].values.tolist()
    [['curve', 0, 20], ['curve', 500, 5], ['chosen', 100, 9]]
    """
    grid = np.asarray(n_merges_grid, dtype=int)
    n = np.append(grid, int(chosen_n_merges))
    counts = np.atleast_1d(count_tokens_by_merges(text, merges, n))
    words = count_words(text)
    return pd.DataFrame(
        {
            "part": ["curve"] * len(grid) + ["chosen"],
            "n_merges": n,
            "tokens": counts,
            "tokens_per_word": counts / words if words else np.full(len(n), np.nan),
            "quality": "derived",
        }
    )


def _merges_description(rows: pd.DataFrame) -> str:
    chosen = rows[rows["part"] == "chosen"].iloc[0]
    curve = rows[rows["part"] == "curve"]
    return (
        f"Line chart of how many tokens the text takes as the tokenizer uses more of its learned "
        f"merges, from {curve['tokens'].max()} tokens with {curve['n_merges'].min()} merges to "
        f"{curve['tokens'].min()} with {curve['n_merges'].max()}. The marked point is the setting in "
        f"use: {chosen['tokens']} tokens with {chosen['n_merges']} merges."
    )


def merges_chart(rows: pd.DataFrame, title: str = "Tokens in the text vs merges learned") -> alt.LayerChart:
    """How many tokens a text takes as the tokenizer uses more merges, with the setting in use.

    A solid line and a large point at the chosen number of merges. Every value is an exact count
    by the kit's tokenizer, so nothing is dashed (the kit's style for illustrative values); the
    subtitle says so, and the tooltip gives the data quality ("derived").

    Parameters
    ----------
    rows : DataFrame
        As returned by :func:`merges_data`.
    title : str
        The chart title.
    """
    if rows.empty or not (rows["part"] == "chosen").any():
        raise ValueError("rows must come from merges_data (a curve and one chosen row)")
    x = alt.X("n_merges:Q", title="merges used (pieces learned beyond single characters)")
    y = alt.Y("tokens:Q", title="tokens in the text", scale=alt.Scale(zero=True))
    tooltip = [
        alt.Tooltip("n_merges:Q", title="merges used"),
        alt.Tooltip("tokens:Q", title="tokens"),
        alt.Tooltip("tokens_per_word:Q", title="tokens per word", format=".2f"),
        alt.Tooltip("quality:N", title="data quality"),
    ]
    curve = (
        alt.Chart()
        .transform_filter(alt.datum.part == "curve")
        .mark_line(color=OKABE_ITO[0], strokeWidth=2.5)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    chosen = (
        alt.Chart()
        .transform_filter(alt.datum.part == "chosen")
        .mark_point(filled=True, size=160, color=OKABE_ITO[4], opacity=1)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    chart = alt.layer(curve, chosen, data=rows).properties(
        width=520,
        height=200,
        title=alt.Title(
            title,
            subtitle=(
                "exact counts by the kit's tokenizer; every merge joins two pieces into one, "
                "so the count can only fall"
            ),
        ),
    )
    return style(chart, _merges_description(rows))


def refresh_merges_chart(chart: alt.LayerChart, rows: pd.DataFrame) -> alt.LayerChart:
    """``chart`` with new rows from :func:`merges_data`: a fast update for dashboards.

    Examples
    --------
    >>> from tokenomics.tokens import kit_merges
    >>> old = merges_chart(merges_data("a token", kit_merges(), [0, 100], 0))
    >>> refresh_merges_chart(old, merges_data("a token", kit_merges(), [0, 100], 100)).data["tokens"].tolist()
    [7, 2, 2]
    """
    return swap_data(chart, rows, _merges_description(rows))


# --- price is an output -------------------------------------------------------------------------


def _deepseek_day() -> pd.Series:
    return data.load("deepseek_day").set_index("quantity")


def published_day_rows() -> pd.DataFrame:
    """DeepSeek's own published day as two points: its 20 and 22 tokens/s per user.

    Both at the decode hardware cost of the ``deepseek_day`` dataset (derived: $0.30 per million
    output tokens) and its 14,800 output tokens/s per 8-GPU node (1,850 per GPU). The quality is
    the least certain of the inputs: "derived".

    Examples
    --------
    >>> rows = published_day_rows()
    >>> rows[["tokens_per_s_per_user", "tokens_per_s_per_gpu", "usd_per_mtok"]].values.tolist()
    [[20.0, 1850.0, 0.3], [22.0, 1850.0, 0.3]]
    """
    day = _deepseek_day()["value"]
    per_gpu = day["decode_output_tokens_per_s_per_node"] / day["gpus_per_node"]
    speeds = [day["output_tokens_per_s_per_user_low"], day["output_tokens_per_s_per_user_high"]]
    return pd.DataFrame(
        {
            "part": "published",
            "label": "DeepSeek's own service, published day (144-GPU units, day average)",
            "batch_size": np.nan,
            "tokens_per_s_per_user": speeds,
            "tokens_per_s_per_gpu": per_gpu,
            "usd_per_mtok": day["decode_hardware_usd_per_mtok_output"],
            "quality": "derived",
        }
    )


def settled_band() -> tuple[float, float]:
    """The 20-60 tokens/s per user most providers settled on (dataset ``speed_and_verbosity``).

    Examples
    --------
    >>> settled_band()
    (20.0, 60.0)
    """
    table = data.load("speed_and_verbosity").set_index("quantity")["value"]
    return float(table["settled_output_tokens_per_s_low"]), float(table["settled_output_tokens_per_s_high"])


def price_spread(deployment: batching.Deployment, context_tokens: int) -> dict[str, float]:
    """Cheapest and dearest price per million output tokens, at every batch that fits and in the band.

    Runs :func:`tokenomics.batching.decode` at every batch from 1 to the memory limit. The full
    range needs batch 1, a speed per user no provider sells; the band keeps only the batches whose
    speed is inside the 20-60 tokens/s per user most providers settled on (:func:`settled_band`).

    Returns
    -------
    dict
        ``min_usd_per_mtok``, ``max_usd_per_mtok`` over every batch that fits, and
        ``band_min_usd_per_mtok``, ``band_max_usd_per_mtok`` inside the band (NaN when no batch
        that fits is inside it).

    Examples
    --------
    >>> r1 = batching.Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8")
    >>> spread = price_spread(r1, 4096)
    >>> round(spread["max_usd_per_mtok"] / spread["min_usd_per_mtok"])
    221
    >>> round(spread["band_max_usd_per_mtok"] / spread["band_min_usd_per_mtok"])
    44
    """
    largest = int(batching.max_batch_size(deployment, context_tokens))
    every = batching.decode(deployment, np.arange(1, largest + 1), context_tokens)
    low, high = settled_band()
    band = (every.tokens_per_s_per_user >= low) & (every.tokens_per_s_per_user <= high)
    prices = np.asarray(every.usd_per_mtok, dtype=float)
    return {
        "min_usd_per_mtok": float(prices.min()),
        "max_usd_per_mtok": float(prices.max()),
        "band_min_usd_per_mtok": float(prices[band].min()) if band.any() else float("nan"),
        "band_max_usd_per_mtok": float(prices[band].max()) if band.any() else float("nan"),
    }


def price_data(
    deployment: batching.Deployment, context_tokens: int, batch_size: int, quality: str = "derived"
) -> pd.DataFrame:
    """The rows :func:`price_chart` draws: the deployment at every batch that fits, and one chosen.

    Parameters
    ----------
    deployment : Deployment
        One model on its chips, with a price per GPU-hour.
    context_tokens : int
        Tokens in each sequence's KV cache.
    batch_size : int
        The batch in use; a batch beyond the memory limit is cut to the largest that fits.
    quality : str
        Quality word of the model's rows: "derived" from sourced inputs, "illustrative" once a
        student changes an input away from its source.

    Returns
    -------
    DataFrame
        ``part`` ("model" for the frontier of :func:`tokenomics.batching.frontier`, "chosen",
        "published" for :func:`published_day_rows`), ``label``, ``batch_size``,
        ``tokens_per_s_per_user``, ``tokens_per_s_per_gpu``, ``usd_per_mtok`` and ``quality``.

    Examples
    --------
    >>> r1 = batching.Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8")
    >>> rows = price_data(r1, 4096, 256)
    >>> chosen = rows[rows["part"] == "chosen"].iloc[0]
    >>> print(f"{chosen['tokens_per_s_per_user']:.1f} tokens/s per user, ${chosen['usd_per_mtok']:.2f}")
    25.3 tokens/s per user, $1.37
    """
    largest = int(batching.max_batch_size(deployment, context_tokens))
    frontier = batching.frontier(deployment, context_tokens, n_points=40)
    chosen = batching.decode(deployment, min(int(batch_size), largest), context_tokens)
    name = f"{deployment.model.name} on {deployment.n_gpus} {deployment.accelerator.name}"

    def rows(part, label, step):
        return pd.DataFrame(
            {
                "part": part,
                "label": label,
                "batch_size": np.atleast_1d(step.batch_size),
                "tokens_per_s_per_user": np.atleast_1d(step.tokens_per_s_per_user),
                "tokens_per_s_per_gpu": np.atleast_1d(step.tokens_per_s_per_gpu),
                "usd_per_mtok": np.atleast_1d(step.usd_per_mtok),
                "quality": quality,
            }
        )

    return pd.concat(
        [
            rows("model", f"{name}, every batch that fits (kit's batching model)", frontier),
            rows("chosen", f"{name}, the batch chosen", chosen),
            published_day_rows(),
        ],
        ignore_index=True,
    )


def _price_description(rows: pd.DataFrame) -> str:
    model = rows[rows["part"] == "model"]
    chosen = rows[rows["part"] == "chosen"].iloc[0]
    return (
        "Two panels sharing the horizontal axis, tokens per second per user. Top: hardware cost in "
        "US dollars per million output tokens (log scale); bottom: output tokens per second per GPU. "
        f"The kit's batching model gives one deployment at {len(model)} batch sizes, from "
        f"${model['usd_per_mtok'].max():.2f} per million tokens at "
        f"{model['tokens_per_s_per_user'].max():.0f} tokens/s per user to "
        f"${model['usd_per_mtok'].min():.2f} at {model['tokens_per_s_per_user'].min():.0f}. The chosen "
        f"batch of {chosen['batch_size']:.0f} gives {chosen['tokens_per_s_per_user']:.1f} tokens/s per user "
        f"and ${chosen['usd_per_mtok']:.2f}. A shaded band marks the 20-60 tokens/s most providers "
        "settled on; triangles mark DeepSeek's own published day."
    )


def price_chart(rows: pd.DataFrame, title: str = "One model, many prices ($ per M output tokens)"):
    """Price is an output: one deployment at every batch size, priced by its hardware cost.

    Top panel: hardware cost per million output tokens (log scale) against tokens per second
    per user; bottom panel: output tokens per second per GPU against the same axis. The model's
    frontier is a line with points (its dash and shape show the data quality), the chosen batch
    a large point, DeepSeek's published day two triangles ("derived"), and a grey band the
    20-60 tokens/s per user most providers settled on ("reported", :func:`settled_band`).

    Parameters
    ----------
    rows : DataFrame
        As returned by :func:`price_data`.
    title : str
        The chart title.

    Returns
    -------
    altair.VConcatChart
        Its data (``chart.data``) is ``rows``.
    """
    if rows.empty or not {"model", "chosen"} <= set(rows["part"]):
        raise ValueError("rows must come from price_data (a frontier and one chosen row)")
    low, high = settled_band()
    x = alt.X(
        "tokens_per_s_per_user:Q", title="tokens/s per user (interactivity)", scale=alt.Scale(zero=True)
    )
    tooltip = [
        alt.Tooltip("label:N", title="what"),
        alt.Tooltip("batch_size:Q", title="batch, sequences", format=",.0f"),
        alt.Tooltip("tokens_per_s_per_user:Q", title="tokens/s per user", format=",.1f"),
        alt.Tooltip("tokens_per_s_per_gpu:Q", title="tokens/s per GPU", format=",.0f"),
        alt.Tooltip("usd_per_mtok:Q", title="$ per M output tokens", format=USD_FORMAT),
        alt.Tooltip("quality:N", title="data quality"),
    ]
    colour = alt.Color(
        "part:N",
        scale=alt.Scale(
            domain=["model", "chosen", "published"], range=[OKABE_ITO[0], OKABE_ITO[4], OKABE_ITO[7]]
        ),
        legend=alt.Legend(
            title="point",
            labelExpr="{'model': 'every batch that fits', "
            "'chosen': 'the batch chosen', 'published': 'DeepSeek, published day'}[datum.label]",
        ),
    )

    def panel(field: str, y_title: str, log: bool):
        y = alt.Y(f"{field}:Q", title=y_title, scale=alt.Scale(type="log") if log else alt.Scale(zero=True))
        band = (
            alt.Chart()
            .transform_filter(alt.datum.part == "chosen")
            .mark_rect(color=GREY, opacity=0.13)
            .encode(x=alt.datum(low), x2=alt.datum(high))
        )
        line = (
            alt.Chart()
            .transform_filter(alt.datum.part == "model")
            .mark_line(color=OKABE_ITO[0], strokeWidth=2)
            .encode(x=x, y=y, **quality_encoding("line"))
        )
        points = (
            alt.Chart()
            .mark_point(filled=True, opacity=1, strokeWidth=0)
            .encode(
                x=x,
                y=y,
                color=colour,
                size=alt.condition(alt.datum.part == "model", alt.value(40), alt.value(170)),
                tooltip=tooltip,
                **quality_encoding("point"),
            )
        )
        return alt.layer(band, line, points).properties(width=560, height=190)

    chart = alt.vconcat(
        panel("usd_per_mtok", "$ per M output tokens (log scale)", log=True),
        panel("tokens_per_s_per_gpu", "output tokens/s per GPU", log=False),
        data=rows,
        spacing=12,
    ).properties(
        title=alt.Title(
            title,
            subtitle=f"hardware cost only; grey band: the {low:g}-{high:g} tokens/s per user "
            "most providers settled on",
        )
    )
    return style(chart, _price_description(rows))


def refresh_price_chart(chart, rows: pd.DataFrame):
    """``chart`` with new rows from :func:`price_data`: a fast update for dashboards.

    Examples
    --------
    >>> r1 = batching.Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8")
    >>> old = price_chart(price_data(r1, 4096, 1))
    >>> new = refresh_price_chart(old, price_data(r1, 4096, 512))
    >>> new.data.loc[new.data["part"] == "chosen", "batch_size"].item()
    512.0
    """
    return swap_data(chart, rows, _price_description(rows))
