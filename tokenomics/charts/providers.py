"""The latency-and-context lesson's charts: the hosts of DeepSeek-R1 on price, context and latency.

Prices and context windows come from the ``r1_providers`` dataset (reported listings, some of
them unverified registry copies or late-2025 listings: :func:`listing_status`). No source gives
each host's latency, so the latency panel uses illustrative values built on the article's one
relative figure: DeepSeek's own API was 25 seconds slower to the first token than Azure's
(:func:`deepseek_latency_gap_s`). Those points are dashed rings and the word "illustrative" is in
the panel's title and legend.

Examples
--------
>>> from tokenomics import data
>>> rows = provider_rows(data.load("r1_providers"))
>>> latency_chart(rows).to_dict()["title"]["text"]
'R1 hosts: price vs ILLUSTRATIVE latency (s); bubble size = context window'
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from tokenomics import choice, data
from tokenomics.charts import GREY, OKABE_ITO, quality_encoding, style
from tokenomics.kpi import blended_price_usd_per_mtok
from tokenomics.validation import positive

ILLUSTRATIVE_HOST_LATENCY_S = 2.0
"""Illustrative latency (s) of every host but DeepSeek: a teaching value, not a measurement. It
sits inside the article's "sub-5 second" for almost all R1-0528 hosts after its data pull."""

SHORT_NAMES = {
    "Microsoft Azure AI Foundry": "Azure",
    "Google Vertex AI": "Vertex AI",
    "Together AI": "Together",
    "Nebius (via Hugging Face)": "Nebius",
    "Novita (via Hugging Face)": "Novita",
    "SambaNova (via Hugging Face)": "SambaNova",
}
"""Short names of the hosts for chart labels."""

LISTING_STATUSES = ("mid-2025", "mid-2025, unverified", "late 2025")
"""How far to trust a listing's price: checked mid-2025, an unverified registry copy, or a
listing from late 2025 (after the article)."""

LATE_LISTING_FROM = pd.Timestamp("2025-10-01")
"""Listings dated from this day on are "late 2025": months after the article of July 2025."""

QUALIFY_COLOURS = {"qualifies": OKABE_ITO[0], "does not qualify": "#b3b3b3"}
"""Colour of a host on the qualify chart."""

GROUP_COLOURS = {"DeepSeek's own API": OKABE_ITO[4], "other hosts": OKABE_ITO[0]}
"""Colour of a bar on the ranking chart."""


def _comparison(claim_id: str) -> pd.Series:
    table = data.load("article_comparisons").set_index("id")
    return table.loc[claim_id]


def deepseek_latency_gap_s() -> float:
    """How much longer DeepSeek's own API made users wait than Azure's, seconds (the article).

    From the ``article_comparisons`` row ``azure_latency_vs_deepseek`` (reported, May 2025).

    Examples
    --------
    >>> deepseek_latency_gap_s()
    25.0
    """
    return float(_comparison("azure_latency_vs_deepseek")["value_low"])


def near_zero_latency_price_range() -> tuple[float, float]:
    """The article's blended price of R1 with nearly no latency (Parasail, Friendli), $/Mtok.

    Examples
    --------
    >>> near_zero_latency_price_range()
    (2.0, 4.0)
    """
    row = _comparison("parasail_friendli_near_zero_latency_price")
    return float(row["value_low"]), float(row["value_high"])


def host_label(provider: str, tier: str) -> str:
    """A short, unique label for one listing: the host's short name, and its tier if not standard.

    Examples
    --------
    >>> host_label("Microsoft Azure AI Foundry", "standard")
    'Azure'
    >>> host_label("DeepSeek", "off-peak")
    'DeepSeek off-peak'
    """
    name = SHORT_NAMES.get(provider, provider)
    return name if tier == "standard" else f"{name} {tier}"


def listing_status(note: str, date) -> str:
    """One of :data:`LISTING_STATUSES` for a listing, from its note and its date.

    Examples
    --------
    >>> listing_status("Unverified: from a copy of the LiteLLM price registry.", "2025-07-30")
    'mid-2025, unverified'
    >>> listing_status("Late 2025 listing.", "2025-11-24")
    'late 2025'
    """
    if pd.Timestamp(date) >= LATE_LISTING_FROM:
        return "late 2025"
    return "mid-2025, unverified" if "unverified" in str(note).lower() else "mid-2025"


def provider_rows(
    providers: pd.DataFrame,
    input_to_output_ratio: float = 3.0,
    *,
    budget_usd_per_mtok: float = 2.5,
    max_latency_s: float = 10.0,
    min_context_tokens: float = 64_000,
    host_latency_s: float = ILLUSTRATIVE_HOST_LATENCY_S,
    deepseek_gap_s: float | None = None,
) -> pd.DataFrame:
    """The rows both charts draw: one per listing, blended price, context, latency, who qualifies.

    Latency is illustrative: ``host_latency_s`` for every host, plus ``deepseek_gap_s`` (the
    article's 25 s, by default) for DeepSeek's own API.

    Parameters
    ----------
    providers : DataFrame
        Rows shaped like the ``r1_providers`` dataset.
    input_to_output_ratio : float
        Input tokens per output token of the blend (>= 0); 3 is the article's convention.
    budget_usd_per_mtok, max_latency_s, min_context_tokens : float
        The user's requirements (:func:`tokenomics.choice.qualifies`).
    host_latency_s : float
        Illustrative latency of the hosts, seconds (>= 0).
    deepseek_gap_s : float, optional
        Extra latency of DeepSeek's own API, seconds (default :func:`deepseek_latency_gap_s`).

    Returns
    -------
    DataFrame
        One row per listing, in the dataset's order: ``host``, ``provider``, ``tier``,
        ``input_usd_per_mtok``, ``output_usd_per_mtok``, ``blended_usd_per_mtok``, ``rank`` (1 =
        cheapest), ``context_tokens``, ``context_k`` (thousands of tokens), ``latency_s``,
        ``date``, ``listing`` (:func:`listing_status`), ``quality`` (the listing's),
        ``latency_quality`` ("illustrative"), ``group``, ``status`` ("qualifies" or "does not
        qualify"), ``cheapest``, ``label`` (text shown next to the point, often empty), and the
        requirements ``budget_usd_per_mtok``, ``max_latency_s``, ``min_context_k``, ``ratio``.

    Examples
    --------
    >>> from tokenomics import data
    >>> rows = provider_rows(data.load("r1_providers"))
    >>> rows.loc[rows["host"] == "DeepSeek", ["blended_usd_per_mtok", "latency_s", "status"]].values.tolist()
    [[0.96, 27.0, 'does not qualify']]
    """
    gap_s = deepseek_latency_gap_s() if deepseek_gap_s is None else deepseek_gap_s
    gap_s = float(positive("deepseek_gap_s", gap_s, allow_zero=True))
    host_latency_s = float(positive("host_latency_s", host_latency_s, allow_zero=True))
    if providers.empty:
        raise ValueError("providers has no rows: nothing to draw")
    blended = np.atleast_1d(
        blended_price_usd_per_mtok(
            providers["input_usd_per_mtok"].to_numpy(dtype=float),
            providers["output_usd_per_mtok"].to_numpy(dtype=float),
            input_to_output_ratio,
        )
    )
    is_deepseek = (providers["provider"] == "DeepSeek").to_numpy()
    latency_s = host_latency_s + gap_s * is_deepseek
    context = providers["context_tokens"].to_numpy(dtype=float)
    ok = np.atleast_1d(
        choice.qualifies(blended, latency_s, context, budget_usd_per_mtok, max_latency_s, min_context_tokens)
    )
    best = choice.cheapest_qualifying(
        blended, latency_s, context, budget_usd_per_mtok, max_latency_s, min_context_tokens
    )
    cheapest = np.zeros(len(providers), dtype=bool)
    if best is not None:
        cheapest[best] = True
    hosts = [host_label(p, t) for p, t in zip(providers["provider"], providers["tier"], strict=True)]
    labels = [
        f"cheapest: {h}" if c else (h.replace(" ", "\n", 1) if d else "")
        for h, c, d in zip(hosts, cheapest, is_deepseek, strict=True)
    ]
    rows = pd.DataFrame(
        {
            "host": hosts,
            "provider": providers["provider"].to_numpy(),
            "tier": providers["tier"].to_numpy(),
            "input_usd_per_mtok": providers["input_usd_per_mtok"].to_numpy(dtype=float),
            "output_usd_per_mtok": providers["output_usd_per_mtok"].to_numpy(dtype=float),
            "prices": [
                f"${i:g} / ${o:g}"
                for i, o in zip(
                    providers["input_usd_per_mtok"], providers["output_usd_per_mtok"], strict=True
                )
            ],
            "blended_usd_per_mtok": np.round(blended, 6),
            "context_tokens": context,
            "context_k": context / 1000,
            "latency_s": latency_s,
            "date": [str(d)[:10] for d in providers["date"]],
            "listing": [
                listing_status(n, d) for n, d in zip(providers["note"], providers["date"], strict=True)
            ],
            "quality": providers["quality"].to_numpy(),
            "latency_quality": "illustrative",
            "group": np.where(is_deepseek, "DeepSeek's own API", "other hosts"),
            "status": np.where(ok, "qualifies", "does not qualify"),
            "cheapest": cheapest,
            "label": labels,
            "budget_usd_per_mtok": float(budget_usd_per_mtok),
            "max_latency_s": float(max_latency_s),
            "min_context_k": float(min_context_tokens) / 1000,
            "ratio": float(input_to_output_ratio),
        }
    )
    rows["rank"] = rows["blended_usd_per_mtok"].rank(method="min").astype(int)
    return rows


def _price_title(ratio: float) -> str:
    return "blended price, $ per million tokens (log scale)"


def _price_axis(ratio: float) -> alt.X:
    return alt.X(
        "blended_usd_per_mtok:Q",
        title=_price_title(ratio),
        scale=alt.Scale(type="log", domain=[0.1, 10]),
        axis=alt.Axis(values=[0.1, 0.2, 0.5, 1, 2, 5, 10], format="$.2~f"),
    )


def _tooltip(*, latency: bool = True) -> list[alt.Tooltip]:
    """The hover text of a listing; kept short, because every entry slows down each redraw."""
    tips = [
        alt.Tooltip("host:N", title="host"),
        alt.Tooltip("prices:N", title="input / output, $/Mtok"),
        alt.Tooltip("blended_usd_per_mtok:Q", title="blended, $/Mtok", format="$.3f"),
        alt.Tooltip("context_tokens:Q", title="context, tokens", format=","),
        alt.Tooltip("listing:N", title="listing (quality: reported)"),
    ]
    if latency:
        tips.insert(4, alt.Tooltip("latency_s:Q", title="latency, s (ILLUSTRATIVE)", format=".1f"))
    return tips


def _qualify_description(rows: pd.DataFrame) -> str:
    ok = rows[rows["status"] == "qualifies"]
    first = rows.iloc[0]
    best = rows[rows["cheapest"]]
    cheapest = (
        f"cheapest qualifying: {best['host'].iloc[0]} at ${best['blended_usd_per_mtok'].iloc[0]:.2f}"
        if len(best)
        else "no host qualifies"
    )
    return (
        f"Scatter plot of {len(rows)} listings of DeepSeek-R1 (reported prices and context windows): "
        f"blended price ({first['ratio']:g} input : 1 output tokens, log scale) against context window "
        f"in thousands of tokens. Lines mark a budget of ${first['budget_usd_per_mtok']:.2f} and a minimum "
        f"context of {first['min_context_k']:g}K tokens; the latency tolerance of "
        f"{first['max_latency_s']:g} s is checked against ILLUSTRATIVE latencies. {len(ok)} of "
        f"{len(rows)} qualify; {cheapest}."
    )


def _status_colour() -> alt.Color:
    return alt.Color(
        "status:N",
        scale=alt.Scale(domain=list(QUALIFY_COLOURS), range=list(QUALIFY_COLOURS.values())),
        legend=alt.Legend(title="your requirements"),
    )


def _budget_rule(x_title: str):
    return (
        alt.Chart()
        .mark_rule(color=OKABE_ITO[1], strokeWidth=2, clip=True)
        .encode(x=alt.X("max(budget_usd_per_mtok):Q", title=x_title))
    )


def qualify_chart(rows: pd.DataFrame):
    """Who qualifies: the listings on price vs context window, coloured by your requirements.

    One point per listing at its blended price (log scale) and context window, both reported;
    a filled circle for reported data (:func:`quality_encoding`). Hosts that meet all three
    requirements (budget, minimum context, and latency tolerance checked against the
    ILLUSTRATIVE latencies of :func:`provider_rows`) are blue, the others grey. An orange line
    marks the budget and a dashed green line the minimum context. Kept to three layers, so a
    dashboard redraws it quickly; :func:`latency_chart` shows the latencies.

    Parameters
    ----------
    rows : DataFrame
        As returned by :func:`provider_rows`.

    Returns
    -------
    altair.LayerChart
        Its data (``chart.data``) is ``rows``.

    Examples
    --------
    >>> from tokenomics import data
    >>> chart = qualify_chart(provider_rows(data.load("r1_providers"), min_context_tokens=128_000))
    >>> int((chart.data["status"] == "qualifies").sum())
    9
    """
    if rows.empty:
        raise ValueError("rows is empty: nothing to draw")
    x = _price_axis(float(rows["ratio"].iloc[0]))
    x_title = _price_title(float(rows["ratio"].iloc[0]))
    context_title = "context window, thousands of tokens"
    y = alt.Y("context_k:Q", title=context_title, scale=alt.Scale(zero=True, domain=[0, 180]))
    points = (
        alt.Chart()
        .mark_point(filled=True, size=120, strokeWidth=0, opacity=0.9)
        .encode(x=x, y=y, color=_status_colour(), tooltip=_tooltip(), **quality_encoding("point"))
    )
    min_context = (
        alt.Chart()
        .mark_rule(color=OKABE_ITO[2], strokeDash=[6, 3], strokeWidth=2)
        .encode(y=alt.Y("max(min_context_k):Q", title=context_title))
    )
    chart = alt.layer(min_context, _budget_rule(x_title), points, data=rows).properties(
        width=460,
        height=300,
        title=alt.Title(
            "Who qualifies: R1 hosts, price vs context window (thousands of tokens)",
            subtitle="reported listings; orange: your budget; green: the context you need; "
            "latency checked against ILLUSTRATIVE values",
        ),
    )
    return style(chart, _qualify_description(rows))


def refresh_qualify_chart(chart, rows: pd.DataFrame):
    """``chart`` with the rows of ``rows``: only the data and description are replaced (fast).

    Every requirement and the blend live in the rows, so no other part of the chart changes.
    ``chart`` itself is left unchanged.

    Examples
    --------
    >>> from tokenomics import data
    >>> chart = qualify_chart(provider_rows(data.load("r1_providers")))
    >>> rows = provider_rows(data.load("r1_providers"), 1.0)
    >>> refresh_qualify_chart(chart, rows).data["ratio"].iloc[0].item()
    1.0
    """
    if rows.empty:
        raise ValueError("rows is empty: nothing to draw")
    new = chart.copy(deep=False)
    new.data = rows
    new.description = _qualify_description(rows)
    return new


def latency_chart(rows: pd.DataFrame, near_zero_price_usd_per_mtok: tuple[float, float] | None = None):
    """The article's picture rebuilt: price vs latency, bubble size = context window, latency ILLUSTRATIVE.

    No source gives each host's latency, so every point is a dashed ring (quality
    "illustrative"): the hosts at the illustrative latency of :func:`provider_rows`, DeepSeek's
    own API at that value plus the article's 25 s. What is reported is drawn apart: the
    article's "$2-4 for nearly no latency" (Parasail, Friendli) as a bar at zero latency, and its
    "sub-5 second" for almost all R1-0528 hosts after its data pull as a dotted line.
    DeepSeek's listings and the cheapest qualifying host are labelled; the budget and the
    latency tolerance are lines.

    Parameters
    ----------
    rows : DataFrame
        As returned by :func:`provider_rows`.
    near_zero_price_usd_per_mtok : (float, float), optional
        The bar's price range (default :func:`near_zero_latency_price_range`).

    Returns
    -------
    altair.LayerChart
        Its data (``chart.data``) is ``rows``.

    Examples
    --------
    >>> from tokenomics import data
    >>> latency_chart(provider_rows(data.load("r1_providers"))).to_dict()["title"]["text"]
    'R1 hosts: price vs ILLUSTRATIVE latency (s); bubble size = context window'
    """
    if rows.empty:
        raise ValueError("rows is empty: nothing to draw")
    low, high = near_zero_price_usd_per_mtok or near_zero_latency_price_range()
    ratio = float(rows["ratio"].iloc[0])
    x, x_title = _price_axis(ratio), _price_title(ratio)
    latency_title = "latency to first token, s (ILLUSTRATIVE)"
    y = alt.Y("latency_s:Q", title=latency_title, scale=alt.Scale(zero=True))
    points = (
        alt.Chart()
        .mark_point(filled=True, strokeWidth=0, opacity=0.9)
        .encode(
            x=x,
            y=y,
            color=_status_colour(),
            size=alt.Size(
                "context_k:Q",
                title="context, K tokens",
                scale=alt.Scale(domain=[0, 170], range=[20, 420]),
                legend=alt.Legend(values=[32, 64, 128, 160]),
            ),
            tooltip=_tooltip(),
            **quality_encoding("point", field="latency_quality"),
        )
    )
    labels = (
        alt.Chart()
        .transform_filter("datum.label != ''")
        .mark_text(align="left", dx=8, dy=-8, fontSize=11, lineBreak="\n", color=OKABE_ITO[7])
        .encode(x=x, y=y, text="label:N")
    )
    max_latency = (
        alt.Chart()
        .mark_rule(color=OKABE_ITO[2], strokeDash=[6, 3], strokeWidth=2)
        .encode(y=alt.Y("max(max_latency_s):Q", title=latency_title))
    )
    later = alt.Chart().mark_rule(color=GREY, strokeDash=[2, 2]).encode(y=alt.datum(5.0))
    band_rows = pd.DataFrame(
        {
            "low": [low],
            "high": [high],
            "latency_s": [0.0],
            "text": [f"article: ${low:g}-{high:g}, nearly no latency"],
        }
    )
    band = (
        alt.Chart(band_rows)
        .mark_rule(color=OKABE_ITO[3], strokeWidth=6, opacity=0.7)
        .encode(x=alt.X("low:Q", title=x_title), x2="high:Q", y=alt.Y("latency_s:Q", title=latency_title))
    )
    band_text = (
        alt.Chart(band_rows)
        .mark_text(align="left", dx=6, fontSize=10, color=OKABE_ITO[3])
        .encode(x=alt.X("high:Q", title=x_title), y=alt.Y("latency_s:Q", title=latency_title), text="text:N")
    )
    chart = alt.layer(
        max_latency, later, band, band_text, _budget_rule(x_title), points, labels, data=rows
    ).properties(
        width=460,
        height=300,
        title=alt.Title(
            "R1 hosts: price vs ILLUSTRATIVE latency (s); bubble size = context window",
            subtitle=[
                f"latencies: illustrative hosts' value; DeepSeek = that + the article's "
                f"{deepseek_latency_gap_s():g} s gap",
                "grey dotted: 'sub-5 s' for almost all hosts later (article); "
                "orange: budget; green: latency tolerance",
            ],
        ),
    )
    description = (
        f"Bubble chart of {len(rows)} listings of DeepSeek-R1: blended price ({ratio:g} input : 1 output "
        f"tokens, log scale) against an ILLUSTRATIVE latency in seconds, bubble size = context window. "
        f"No source gives each host's latency: the hosts sit at an illustrative value and DeepSeek's own "
        f"API at that value plus the article's 25 s gap to Azure. A bar at zero latency marks the "
        f"article's ${low:g}-{high:g} for nearly no latency (Parasail, Friendli); a dotted line its "
        f"'sub-5 second' for almost all hosts after its data pull."
    )
    return style(chart, description)


def _ranking_title(rows: pd.DataFrame) -> alt.Title:
    return alt.Title(
        "R1 hosts ranked by blended price ($ per million tokens)",
        subtitle=f"blend: {rows['ratio'].iloc[0]:g} input tokens per output token; "
        "orange: DeepSeek's own API",
    )


def _ranking_description(rows: pd.DataFrame) -> str:
    order = rows.sort_values(["blended_usd_per_mtok", "host"])
    deepseek = order[order["group"] == "DeepSeek's own API"]
    where = "; ".join(
        f"{h} ranks {r} at ${p:.2f}"
        for h, r, p in zip(deepseek["host"], deepseek["rank"], deepseek["blended_usd_per_mtok"], strict=True)
    )
    return (
        f"Bar chart of {len(rows)} listings of DeepSeek-R1 ranked by blended price at "
        f"{rows['ratio'].iloc[0]:g} input tokens per output token, cheapest at the top: "
        f"{order['host'].iloc[0]} at ${order['blended_usd_per_mtok'].iloc[0]:.2f}, most expensive "
        f"{order['host'].iloc[-1]} at ${order['blended_usd_per_mtok'].iloc[-1]:.2f}. "
        f"{where or 'DeepSeek is not shown'}."
    )


def ranking_chart(rows: pd.DataFrame):
    """Listings ranked by blended price: one bar each, cheapest at the top.

    DeepSeek's own listings are orange, the other hosts blue. A dot at the end of each bar shows
    the listing's data quality (:func:`quality_encoding`); the label after it gives the price and,
    for registry copies and late listings, a warning.

    Parameters
    ----------
    rows : DataFrame
        As returned by :func:`provider_rows`.

    Returns
    -------
    altair.LayerChart
        Its data (``chart.data``) is ``rows`` with a ``text`` column added.

    Examples
    --------
    >>> from tokenomics import data
    >>> chart = ranking_chart(provider_rows(data.load("r1_providers")))
    >>> chart.to_dict()["title"]["text"]
    'R1 hosts ranked by blended price ($ per million tokens)'
    """
    if rows.empty:
        raise ValueError("rows is empty: nothing to draw")
    rows = _with_text(rows)
    y = alt.Y(
        "host:N",
        sort=alt.EncodingSortField("blended_usd_per_mtok", op="min", order="ascending"),
        title=None,
        axis=alt.Axis(labelLimit=200),
    )
    x = alt.X(
        "blended_usd_per_mtok:Q", title="blended price, $ per million tokens", scale=alt.Scale(zero=True)
    )
    colour = alt.Color(
        "group:N",
        scale=alt.Scale(domain=list(GROUP_COLOURS), range=list(GROUP_COLOURS.values())),
        legend=alt.Legend(title="host"),
    )
    bars = (
        alt.Chart()
        .mark_bar(height=14, opacity=0.85)
        .encode(x=x, y=y, color=colour, tooltip=_tooltip(latency=False))
    )
    dots = (
        alt.Chart()
        .mark_point(filled=True, size=70, strokeWidth=0, color=OKABE_ITO[7])
        .encode(x=x, y=y, **quality_encoding("point"))
    )
    text = alt.Chart().mark_text(align="left", dx=8, fontSize=11).encode(x=x, y=y, text="text:N")
    chart = alt.layer(bars, dots, text, data=rows).properties(
        width=460, height=alt.Step(20), title=_ranking_title(rows)
    )
    return style(chart, _ranking_description(rows))


def _with_text(rows: pd.DataFrame) -> pd.DataFrame:
    warn = {"mid-2025": "", "mid-2025, unverified": " (unverified)", "late 2025": " (late 2025)"}
    return rows.assign(
        text=[
            f"${p:.2f}{warn[s]}" for p, s in zip(rows["blended_usd_per_mtok"], rows["listing"], strict=True)
        ]
    )


def refresh_ranking_chart(chart, rows: pd.DataFrame):
    """``chart`` with the rows of ``rows``: the data, title and description are replaced (fast).

    Examples
    --------
    >>> from tokenomics import data
    >>> chart = ranking_chart(provider_rows(data.load("r1_providers")))
    >>> refresh_ranking_chart(chart, provider_rows(data.load("r1_providers"), 10.0)).title.subtitle[:9]
    'blend: 10'
    """
    if rows.empty:
        raise ValueError("rows is empty: nothing to draw")
    new = chart.copy(deep=False)
    new.data = _with_text(rows)
    new.title = _ranking_title(rows)
    new.description = _ranking_description(rows)
    return new
