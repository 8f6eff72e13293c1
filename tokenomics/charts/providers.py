"""The latency-and-context lesson's charts: the hosts of DeepSeek-R1 on price, context and latency.

Two datasets feed them:

- ``r1_providers``: price listings (reported; some unverified registry copies or late-2025
  listings, :func:`listing_status`). :func:`provider_rows` blends them and ranks the *hosts*:
  OpenRouter is a router (its price is its hosts' price), so it is left out of every ranking,
  and DeepSeek's off-peak row is DeepSeek's own API at night, not another host, so it replaces
  DeepSeek's daytime price only when ``time_of_day="night"``.
- ``r1_host_latency``: a measured, dated snapshot (OpenRouter's endpoint statistics of
  2025-06-27): each host's median latency and output speed with its price and context on the
  same day. :func:`host_rows` builds the rows the latency and qualify charts draw from it.

Legends list only the data qualities a chart draws (:func:`quality_channel`).

Examples
--------
>>> from tokenomics import data
>>> rows = provider_rows(data.load("r1_providers"))
>>> "OpenRouter" in set(rows["host"]), "DeepSeek off-peak" in set(rows["host"])
(False, False)
>>> latency_chart(host_rows()).to_dict()["title"]["text"]
'R1 hosts on 2025-06-27: price vs measured latency (s); bubble size = context window'
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from tokenomics import choice, data
from tokenomics.charts import GREY, OKABE_ITO, QUALITY_SHAPES, QUALITY_STROKE_DASH, shallow_copy, style
from tokenomics.data import QUALITY_LABELS
from tokenomics.kpi import blended_price_usd_per_mtok
from tokenomics.validation import positive

SHORT_NAMES = {
    "Microsoft Azure AI Foundry": "Azure",
    "Google Vertex AI": "Vertex AI",
    "Together AI": "Together",
    "Nebius (via Hugging Face)": "Nebius",
    "Novita (via Hugging Face)": "Novita",
    "SambaNova (via Hugging Face)": "SambaNova",
}
"""Short names of the hosts for chart labels."""

NAMED_HOSTS = ("DeepSeek", "Azure", "Parasail", "Friendli", "Lambda", "Nebius")
"""The hosts the article names: their points are labelled on the charts."""

LISTING_STATUSES = ("mid-2025", "mid-2025, unverified", "late 2025")
"""How far to trust a listing's price: checked mid-2025, an unverified registry copy, or a
listing from late 2025 (after the article)."""

LATE_LISTING_FROM = pd.Timestamp("2025-10-01")
"""Listings dated from this day on are "late 2025": months after the article of July 2025."""

TIMES_OF_DAY = ("day", "night")
"""DeepSeek's own API charges its standard price by day and its off-peak price at night
(16:30-00:30 UTC); every other host charges the same price all day."""

QUALIFY_COLOURS = {"qualifies": OKABE_ITO[0], "does not qualify": "#b3b3b3"}
"""Colour of a host on the qualify and latency charts."""

GROUP_COLOURS = {"DeepSeek's own API": OKABE_ITO[4], "other hosts": OKABE_ITO[0]}
"""Colour of a bar on the ranking chart."""


def context_label(tokens: float) -> str:
    """A context window as people write it: 64,000 -> "64K", 131,072 -> "131K", 32,768 -> "33K".

    Examples
    --------
    >>> context_label(64_000), context_label(163_840)
    ('64K', '164K')
    """
    return f"{float(tokens) / 1000:.0f}K"


def quality_channel(qualities, mark: str = "point", field: str = "quality") -> dict:
    """A data-quality channel whose legend lists only the qualities drawn.

    Each quality keeps the kit's style (:data:`tokenomics.charts.QUALITY_SHAPES`,
    :data:`tokenomics.charts.QUALITY_STROKE_DASH`). With a single quality the legend is
    dropped: the chart's subtitle says it once instead.

    Parameters
    ----------
    qualities : iterable of str
        The quality words of the rows the chart draws.
    mark : {"point", "line"}
    field : str
        The column holding the quality word.

    Examples
    --------
    >>> quality_channel(["reported", "derived"])["shape"].to_dict()["scale"]["domain"]
    ['reported', 'derived']
    >>> quality_channel(["reported"])["shape"].to_dict()["legend"] is None
    True
    """
    drawn = [q for q in QUALITY_LABELS if q in set(qualities)]
    if not drawn:
        raise ValueError(f"qualities must hold at least one of {QUALITY_LABELS} (got {list(qualities)!r})")
    legend = (
        None
        if len(drawn) == 1
        else alt.Legend(title="data quality", symbolFillColor="#555555", symbolStrokeColor="#555555")
    )
    if mark == "point":
        scale = alt.Scale(domain=drawn, range=[QUALITY_SHAPES[q] for q in drawn])
        return {"shape": alt.Shape(f"{field}:N", scale=scale, legend=legend)}
    if mark == "line":
        scale = alt.Scale(domain=drawn, range=[QUALITY_STROKE_DASH[q] for q in drawn])
        return {"strokeDash": alt.StrokeDash(f"{field}:N", scale=scale, legend=legend)}
    raise ValueError(f"mark must be 'point' or 'line' (got {mark!r})")


def _comparison(claim_id: str) -> pd.Series:
    table = data.load("article_comparisons").set_index("id")
    return table.loc[claim_id]


def deepseek_latency_gap_s() -> float:
    """How much longer DeepSeek's own API made users wait than Azure's, seconds (the article).

    From the ``article_comparisons`` row ``azure_latency_vs_deepseek`` (reported; the sentence
    gives no month and no latency metric).

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
    >>> host_label("DeepInfra", "turbo")
    'DeepInfra turbo'
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


def _blend(table: pd.DataFrame, ratio: float) -> np.ndarray:
    return np.atleast_1d(
        blended_price_usd_per_mtok(
            table["input_usd_per_mtok"].to_numpy(dtype=float),
            table["output_usd_per_mtok"].to_numpy(dtype=float),
            ratio,
        )
    )


def provider_rows(
    providers: pd.DataFrame, input_to_output_ratio: float = 3.0, *, time_of_day: str = "day"
) -> pd.DataFrame:
    """The hosts' price listings, blended and ranked: routers left out, DeepSeek once.

    A router (``kind == "router"``, OpenRouter) passes each request on to a host, so it never
    competes as one. DeepSeek's off-peak row is the price of DeepSeek's own API at night: by
    day (the default) it is left out; at night it takes the place of DeepSeek's standard row.

    Parameters
    ----------
    providers : DataFrame
        Rows shaped like the ``r1_providers`` dataset.
    input_to_output_ratio : float
        Input tokens per output token of the blend (>= 0); the article's charts use 3.
    time_of_day : {"day", "night"}
        Which of DeepSeek's two prices applies (:data:`TIMES_OF_DAY`).

    Returns
    -------
    DataFrame
        One row per host listing: ``host``, ``provider``, ``tier``, ``input_usd_per_mtok``,
        ``output_usd_per_mtok``, ``prices`` (text), ``blended_usd_per_mtok``, ``price_text``
        ("$0.96"), ``rank`` (1 = cheapest), ``context_tokens``, ``context_k``, ``context_text``
        ("64K"), ``date``, ``listing`` (:func:`listing_status`), ``quality``, ``group``,
        ``label`` (the host's name for the hosts of :data:`NAMED_HOSTS`, else empty), ``ratio``
        and ``time_of_day``.

    Examples
    --------
    >>> from tokenomics import data
    >>> rows = provider_rows(data.load("r1_providers")).set_index("host")
    >>> rows.loc["DeepSeek", ["price_text", "context_text"]].tolist(), int(rows.loc["DeepSeek", "rank"])
    (['$0.96', '64K'], 4)
    >>> night = provider_rows(data.load("r1_providers"), time_of_day="night").set_index("host")
    >>> night.loc["DeepSeek", "price_text"], int(night.loc["DeepSeek", "rank"])
    ('$0.24', 1)
    """
    if time_of_day not in TIMES_OF_DAY:
        raise ValueError(f"time_of_day must be one of {TIMES_OF_DAY} (got {time_of_day!r})")
    ratio = float(positive("input_to_output_ratio", input_to_output_ratio, allow_zero=True))
    if providers.empty:
        raise ValueError("providers has no rows: nothing to draw")
    hosts = providers[providers["kind"] != "router"] if "kind" in providers else providers
    off_peak = hosts["tier"] == "off-peak"
    standard_deepseek = (hosts["provider"] == "DeepSeek") & (hosts["tier"] == "standard")
    keep = ~off_peak if time_of_day == "day" else ~standard_deepseek
    if time_of_day == "night" and not off_peak.any():
        keep = pd.Series(True, index=hosts.index)
    hosts = hosts[keep]
    if hosts.empty:
        raise ValueError("providers has no host listings (routers are left out): nothing to draw")
    blended = _blend(hosts, ratio)
    is_deepseek = (hosts["provider"] == "DeepSeek").to_numpy()
    names = [
        "DeepSeek" if d else host_label(p, t)
        for p, t, d in zip(hosts["provider"], hosts["tier"], is_deepseek, strict=True)
    ]
    context = hosts["context_tokens"].to_numpy(dtype=float)
    rows = pd.DataFrame(
        {
            "host": names,
            "provider": hosts["provider"].to_numpy(),
            "tier": hosts["tier"].to_numpy(),
            "input_usd_per_mtok": hosts["input_usd_per_mtok"].to_numpy(dtype=float),
            "output_usd_per_mtok": hosts["output_usd_per_mtok"].to_numpy(dtype=float),
            "prices": [
                f"${i:.2f} in / ${o:.2f} out"
                for i, o in zip(hosts["input_usd_per_mtok"], hosts["output_usd_per_mtok"], strict=True)
            ],
            "blended_usd_per_mtok": np.round(blended, 6),
            "price_text": [f"${p:.2f}" for p in blended],
            "context_tokens": context,
            "context_k": context / 1000,
            "context_text": [context_label(c) for c in context],
            "date": [str(d)[:10] for d in hosts["date"]],
            "listing": [listing_status(n, d) for n, d in zip(hosts["note"], hosts["date"], strict=True)],
            "quality": hosts["quality"].to_numpy(),
            "group": np.where(is_deepseek, "DeepSeek's own API", "other hosts"),
            "label": [n if n in NAMED_HOSTS else "" for n in names],
            "ratio": ratio,
            "time_of_day": time_of_day,
        }
    )
    rows["rank"] = rows["blended_usd_per_mtok"].rank(method="min").astype(int)
    return rows


def _host_names(snapshot: pd.DataFrame) -> list[str]:
    """Unique labels: the provider, its model version when the snapshot has both, and a price when
    one provider has two endpoints of one version."""
    versions = snapshot["model_version"].nunique() > 1
    names = []
    for row in snapshot.to_dict("records"):
        name = row["provider"]
        if versions and row["model_version"] != "R1-0528":
            name = f"{name} ({row['model_version']})"
        names.append(name)
    names = pd.Series(names)
    twice = names.duplicated(keep=False).to_numpy()
    prices = [
        f" ${i:g}/${o:g}"
        for i, o in zip(snapshot["input_usd_per_mtok"], snapshot["output_usd_per_mtok"], strict=True)
    ]
    return [n + p if t else n for n, p, t in zip(names, prices, twice, strict=True)]


def host_rows(
    snapshot: pd.DataFrame | None = None,
    input_to_output_ratio: float = 3.0,
    *,
    budget_usd_per_mtok: float = 2.5,
    max_latency_s: float = 10.0,
    min_context_tokens: float = 64_000,
    deepseek_latency_s: float | None = None,
) -> pd.DataFrame:
    """The measured snapshot's hosts with blended price, latency, context and who qualifies.

    Latency and speed are OpenRouter's medians of 2025-06-27 (``r1_host_latency``, reported).
    ``deepseek_latency_s`` replaces DeepSeek's measured latency, for example with the article's
    "Azure has 25 seconds less latency" read as "DeepSeek waited at least 25 s" (derived): that
    row's ``latency_quality`` becomes "derived".

    Parameters
    ----------
    snapshot : DataFrame, optional
        Rows shaped like ``r1_host_latency`` (default: that dataset).
    input_to_output_ratio : float
        Input tokens per output token of the blend (>= 0).
    budget_usd_per_mtok, max_latency_s, min_context_tokens : float
        The user's requirements (:func:`tokenomics.choice.qualifies`).
    deepseek_latency_s : float, optional
        A latency for DeepSeek's own API, seconds (>= 0), instead of the measured one.

    Returns
    -------
    DataFrame
        One row per endpoint: ``host``, ``provider``, ``model_version``, prices,
        ``blended_usd_per_mtok``, ``price_text``, ``context_tokens``, ``context_k``,
        ``context_text``, ``latency_s``, ``output_tokens_per_s``, ``quality`` and
        ``latency_quality``, ``status``, ``cheapest``, ``label`` (named hosts and the cheapest
        qualifier), and the requirements ``budget_usd_per_mtok``, ``max_latency_s``,
        ``min_context_k``, ``ratio``.

    Examples
    --------
    >>> rows = host_rows().set_index("host")
    >>> float(rows.loc["DeepSeek", "latency_s"]), float(rows.loc["DeepSeek", "output_tokens_per_s"])
    (3.275, 25.137)
    >>> host_rows(deepseek_latency_s=25.0).set_index("host").loc["DeepSeek", "latency_quality"]
    'derived'
    """
    table = data.load("r1_host_latency") if snapshot is None else snapshot
    if table.empty:
        raise ValueError("snapshot has no rows: nothing to draw")
    ratio = float(positive("input_to_output_ratio", input_to_output_ratio, allow_zero=True))
    blended = _blend(table, ratio)
    latency = table["latency_s"].to_numpy(dtype=float).copy()
    is_deepseek = (table["provider"] == "DeepSeek").to_numpy()
    latency_quality = table["quality"].to_numpy(dtype=object).copy()
    if deepseek_latency_s is not None:
        latency[is_deepseek] = float(positive("deepseek_latency_s", deepseek_latency_s, allow_zero=True))
        latency_quality[is_deepseek] = "derived"
    context = table["context_tokens"].to_numpy(dtype=float)
    ok = np.atleast_1d(
        choice.qualifies(blended, latency, context, budget_usd_per_mtok, max_latency_s, min_context_tokens)
    )
    best = choice.cheapest_qualifying(
        blended, latency, context, budget_usd_per_mtok, max_latency_s, min_context_tokens
    )
    cheapest = np.zeros(len(table), dtype=bool)
    if best is not None:
        cheapest[best] = True
    names = _host_names(table)
    # Label each host the article names once: its R1-0528 endpoint, or its R1 endpoint if it has no other.
    has_0528 = set(table.loc[table["model_version"] == "R1-0528", "provider"])
    named = [
        p in NAMED_HOSTS and (v == "R1-0528" or p not in has_0528)
        for p, v in zip(table["provider"], table["model_version"], strict=True)
    ]
    labels = [
        (f"{n}, cheapest" if c else n) if (k or c) else ""
        for n, k, c in zip(names, named, cheapest, strict=True)
    ]
    return pd.DataFrame(
        {
            "host": names,
            "provider": table["provider"].to_numpy(),
            "model_version": table["model_version"].to_numpy(),
            "input_usd_per_mtok": table["input_usd_per_mtok"].to_numpy(dtype=float),
            "output_usd_per_mtok": table["output_usd_per_mtok"].to_numpy(dtype=float),
            "blended_usd_per_mtok": np.round(blended, 6),
            "price_text": [f"${p:.2f}" for p in blended],
            "context_tokens": context,
            "context_k": context / 1000,
            "context_text": [context_label(c) for c in context],
            "latency_s": latency,
            "output_tokens_per_s": table["output_tokens_per_s"].to_numpy(dtype=float),
            "date": [str(d)[:10] for d in table["date"]],
            "quality": table["quality"].to_numpy(),
            "latency_quality": latency_quality,
            "status": np.where(ok, "qualifies", "does not qualify"),
            "cheapest": cheapest,
            "label": labels,
            "name_label": [n if k else "" for n, k in zip(names, named, strict=True)],
            "budget_usd_per_mtok": float(budget_usd_per_mtok),
            "max_latency_s": float(max_latency_s),
            "min_context_k": float(min_context_tokens) / 1000,
            "ratio": ratio,
        }
    )


def _price_axis(title: str = "blended price, $ per million tokens (log scale)") -> alt.X:
    return alt.X(
        "blended_usd_per_mtok:Q",
        title=title,
        scale=alt.Scale(type="log", domain=[0.1, 10]),
        axis=alt.Axis(values=[0.1, 0.2, 0.5, 1, 2, 5, 10], format="$.2~f"),
    )


def _host_tooltip() -> list[alt.Tooltip]:
    """The hover text of a measured host; kept short, because every entry slows down each redraw."""
    return [
        alt.Tooltip("host:N", title="host"),
        alt.Tooltip("price_text:N", title="blended, $ per M tokens"),
        alt.Tooltip("context_text:N", title="context window"),
        alt.Tooltip("latency_s:Q", title="latency, s", format=".2f"),
        alt.Tooltip("output_tokens_per_s:Q", title="speed, tokens/s", format=".0f"),
        alt.Tooltip("latency_quality:N", title="latency quality"),
    ]


def _status_colour() -> alt.Color:
    return alt.Color(
        "status:N",
        scale=alt.Scale(domain=list(QUALIFY_COLOURS), range=list(QUALIFY_COLOURS.values())),
        legend=alt.Legend(title="your requirements", orient="bottom"),
    )


def _budget_rule():
    return (
        alt.Chart()
        .mark_rule(color=OKABE_ITO[1], strokeWidth=2, clip=True)
        .encode(x=alt.X("max(budget_usd_per_mtok):Q"))
    )


LABEL_PLACES = {
    "qualify": {"Azure (R1)": "below", "Nebius": "above", "Lambda": "above"},
    "latency": {"Lambda": "left", "Parasail": "below", "Nebius": "above"},
    "tokens": {"Lambda": "below"},
}
"""Where a point's label goes on each chart (right and above unless listed), so labels do not overlap."""


def _placed(rows: pd.DataFrame, chart: str, column: str = "label") -> pd.DataFrame:
    places = LABEL_PLACES[chart]
    where = [
        "below" if c and chart == "qualify" else places.get(h, "above")
        for h, c in zip(rows["host"], rows.get("cheapest", pd.Series(False, index=rows.index)), strict=True)
    ]
    return rows.assign(label_text=rows[column], label_pos=where)


def _labels(x: alt.X, y: alt.Y):
    """Text beside the labelled points: above-right, below-right or left, as ``label_pos`` says."""
    layers = []
    for place, settings in {
        "above": dict(align="left", dx=8, dy=-8),
        "below": dict(align="left", dx=8, dy=11),
        "left": dict(align="right", dx=-9, dy=0),
    }.items():
        layers.append(
            alt.Chart()
            .transform_filter(f"datum.label_text != '' && datum.label_pos == '{place}'")
            .mark_text(fontSize=11, color=OKABE_ITO[7], **settings)
            .encode(x=x, y=y, text="label_text:N")
        )
    return alt.layer(*layers)


def _qualify_description(rows: pd.DataFrame) -> str:
    ok = rows[rows["status"] == "qualifies"]
    first = rows.iloc[0]
    best = rows[rows["cheapest"]]
    cheapest = (
        f"cheapest qualifying: {best['host'].iloc[0]} at {best['price_text'].iloc[0]}"
        if len(best)
        else "no host qualifies"
    )
    return (
        f"Scatter plot of {len(rows)} hosts of DeepSeek-R1 measured on {first['date']}: blended price "
        f"({first['ratio']:g} input : 1 output tokens, log scale) against context window in thousands of "
        f"tokens. Lines mark a budget of ${first['budget_usd_per_mtok']:.2f} and a minimum context of "
        f"{first['min_context_k']:g}K tokens; the latency tolerance is {first['max_latency_s']:g} s. "
        f"{len(ok)} of {len(rows)} qualify; {cheapest}."
    )


def qualify_chart(rows: pd.DataFrame):
    """Who qualifies: the measured hosts on price vs context window, coloured by your requirements.

    One point per endpoint of :func:`host_rows`; blue when it meets all three requirements
    (budget, minimum context, latency tolerance), grey when not. An orange line marks the
    budget and a dashed green line the minimum context. The hosts the article names and the
    cheapest qualifier are labelled.

    Parameters
    ----------
    rows : DataFrame
        As returned by :func:`host_rows`.

    Returns
    -------
    altair.LayerChart
        Its data (``chart.data``) is ``rows`` with where each label goes.

    Examples
    --------
    >>> chart = qualify_chart(host_rows(min_context_tokens=128_000))
    >>> int((chart.data["status"] == "qualifies").sum())
    12
    """
    if rows.empty:
        raise ValueError("rows is empty: nothing to draw")
    x = _price_axis()
    y = alt.Y(
        "context_k:Q",
        title="context window, tokens",
        scale=alt.Scale(zero=True, domain=[0, 190]),
        axis=alt.Axis(labelExpr="datum.value + 'K'"),
    )
    points = (
        alt.Chart()
        .mark_point(filled=True, size=110, strokeWidth=0, opacity=0.9)
        .encode(
            x=x,
            y=y,
            color=_status_colour(),
            tooltip=_host_tooltip(),
            **quality_channel(rows["latency_quality"], field="latency_quality"),
        )
    )
    min_context = (
        alt.Chart()
        .mark_rule(color=OKABE_ITO[2], strokeDash=[6, 3], strokeWidth=2)
        .encode(y=alt.Y("max(min_context_k):Q"))
    )
    first = rows.iloc[0]
    chart = alt.layer(
        min_context, _budget_rule(), points, _labels(x, y), data=_placed(rows, "qualify")
    ).properties(
        width=520,
        height=320,
        title=alt.Title(
            "Who qualifies: R1 hosts, price vs context window (tokens)",
            subtitle=[
                f"latencies measured by OpenRouter, {first['date']} (reported); orange line: your budget; "
                "green: the context you need",
            ],
        ),
    )
    return style(chart, _qualify_description(rows))


def refresh_qualify_chart(chart, rows: pd.DataFrame):
    """``chart`` with the rows of ``rows``: only the data and description are replaced (fast).

    Examples
    --------
    >>> chart = qualify_chart(host_rows())
    >>> refresh_qualify_chart(chart, host_rows(input_to_output_ratio=1.0)).data["ratio"].iloc[0].item()
    1.0
    """
    if rows.empty:
        raise ValueError("rows is empty: nothing to draw")
    new = shallow_copy(chart)
    new.data = _placed(rows, "qualify")
    new.description = _qualify_description(rows)
    return new


def latency_chart(rows: pd.DataFrame, near_zero_price_usd_per_mtok: tuple[float, float] | None = None):
    """The article's picture redrawn with measured latencies: price vs latency, bubble = context.

    One bubble per endpoint of :func:`host_rows` (OpenRouter's medians of one day, reported),
    on a log latency axis. A derived point marks what the article's sentence implies for
    DeepSeek's own API ("Azure has 25 seconds less latency": at least 25 s), with a dotted line
    to DeepSeek's measured point; a bar at the bottom marks the article's "$2-4 for nearly no
    latency" (Parasail, Friendli) and a dotted line its "sub-5 second" for almost all R1-0528
    hosts after its data pull. The hosts the article names are labelled.

    Parameters
    ----------
    rows : DataFrame
        As returned by :func:`host_rows`.
    near_zero_price_usd_per_mtok : (float, float), optional
        The bar's price range (default :func:`near_zero_latency_price_range`).

    Returns
    -------
    altair.LayerChart
        Its data (``chart.data``) is ``rows`` and the derived point.

    Examples
    --------
    >>> latency_chart(host_rows()).to_dict()["title"]["text"]
    'R1 hosts on 2025-06-27: price vs measured latency (s); bubble size = context window'
    """
    if rows.empty:
        raise ValueError("rows is empty: nothing to draw")
    low, high = near_zero_price_usd_per_mtok or near_zero_latency_price_range()
    gap_s = deepseek_latency_gap_s()
    deepseek = rows[rows["provider"] == "DeepSeek"]
    measured = rows.assign(part="measured")
    extra = []
    if len(deepseek):
        extra.append(
            deepseek.assign(
                part="derived",
                latency_s=gap_s,
                latency_quality="derived",
                name_label=f"DeepSeek per the article: at least {gap_s:g} s",
            )
        )
    table = _placed(pd.concat([measured, *extra], ignore_index=True), "latency", "name_label")
    x = _price_axis()
    y = alt.Y(
        "latency_s:Q",
        title="latency to first token, s (log scale)",
        scale=alt.Scale(type="log", domain=[0.2, 40]),
        axis=alt.Axis(values=[0.2, 0.5, 1, 2, 5, 10, 20, 40], format="~g"),
    )
    points = (
        alt.Chart()
        .mark_point(strokeWidth=1, opacity=0.85, filled=True)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "model_version:N",
                scale=alt.Scale(domain=["R1-0528", "R1"], range=[OKABE_ITO[0], OKABE_ITO[5]]),
                legend=alt.Legend(title="model served", orient="bottom"),
            ),
            size=alt.Size(
                "context_k:Q",
                title="context window",
                scale=alt.Scale(domain=[0, 170], range=[20, 420]),
                legend=alt.Legend(values=[32, 64, 128, 164], labelExpr="datum.value + 'K'", orient="bottom"),
            ),
            tooltip=_host_tooltip(),
            **quality_channel(table["latency_quality"], field="latency_quality"),
        )
    )
    link = (
        alt.Chart()
        .transform_filter("datum.provider == 'DeepSeek'")
        .mark_line(color=OKABE_ITO[4], strokeDash=[2, 2])
        .encode(x=x, y=y, detail="provider:N")
    )
    later = alt.Chart().mark_rule(color=GREY, strokeDash=[2, 2]).encode(y=alt.datum(5.0))
    later_text = (
        alt.Chart()
        .mark_text(align="right", dy=-6, fontSize=10, color=GREY)
        .encode(
            x=alt.datum(10),
            y=alt.datum(5.0),
            text=alt.datum("article: almost all R1-0528 hosts under 5 s later"),
        )
    )
    band = (
        alt.Chart()
        .mark_rule(color=OKABE_ITO[3], strokeWidth=6, opacity=0.7)
        .encode(x=alt.datum(low), x2=alt.datum(high), y=alt.datum(0.22))
    )
    band_text = (
        alt.Chart()
        .mark_text(align="left", dx=6, fontSize=10, color=OKABE_ITO[3])
        .encode(
            x=alt.datum(high),
            y=alt.datum(0.22),
            text=alt.datum(f"article: ${low:g}-{high:g}, nearly no latency"),
        )
    )
    first = rows.iloc[0]
    chart = alt.layer(later, later_text, band, band_text, link, points, _labels(x, y), data=table).properties(
        width=520,
        height=340,
        title=alt.Title(
            f"R1 hosts on {first['date']}: price vs measured latency (s); bubble size = context window",
            subtitle=[
                "circles: OpenRouter's median latency and price of each host that day (reported); "
                f"triangle: at least {gap_s:g} s for DeepSeek,",
                "derived from the article's sentence 'Azure has 25 seconds less latency' "
                "(no month or metric given)",
            ],
        ),
    )
    ds = deepseek["latency_s"].iloc[0] if len(deepseek) else float("nan")
    description = (
        f"Bubble chart of {len(rows)} endpoints of DeepSeek-R1 measured by OpenRouter on {first['date']}: "
        f"blended price ({first['ratio']:g} input : 1 output tokens, log scale) against median latency in "
        f"seconds (log scale), bubble size = context window. DeepSeek's own API: {ds:.2f} s measured; the "
        f"article's sentence implies at least {gap_s:g} s at the time of its data. A bar marks the article's "
        f"${low:g}-{high:g} for nearly no latency (Parasail, Friendli); a dotted line its 'sub-5 second' for "
        "almost all R1-0528 hosts."
    )
    return style(chart, description)


def _ranking_title(rows: pd.DataFrame) -> alt.Title:
    when = "by night (DeepSeek's off-peak price)" if rows["time_of_day"].iloc[0] == "night" else "by day"
    return alt.Title(
        "R1 hosts ranked by blended price ($ per million tokens)",
        subtitle=f"blend: {rows['ratio'].iloc[0]:g} input tokens per output token; {when}; "
        "orange: DeepSeek's own API; routers left out",
    )


def _ranking_description(rows: pd.DataFrame) -> str:
    order = rows.sort_values(["blended_usd_per_mtok", "host"])
    deepseek = order[order["group"] == "DeepSeek's own API"]
    where = "; ".join(
        f"{h} ranks {r} of {len(rows)} at {p}"
        for h, r, p in zip(deepseek["host"], deepseek["rank"], deepseek["price_text"], strict=True)
    )
    return (
        f"Bar chart of {len(rows)} host listings of DeepSeek-R1 ranked by blended price at "
        f"{rows['ratio'].iloc[0]:g} input tokens per output token, cheapest at the top: "
        f"{order['host'].iloc[0]} at {order['price_text'].iloc[0]}, most expensive "
        f"{order['host'].iloc[-1]} at {order['price_text'].iloc[-1]}. "
        f"{where or 'DeepSeek is not shown'}."
    )


def ranking_chart(rows: pd.DataFrame):
    """Host listings ranked by blended price: one bar each, cheapest at the top.

    DeepSeek's own listing is orange, the other hosts blue. The label after each bar gives the
    price and, for registry copies and late listings, a warning.

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
        "blended_usd_per_mtok:Q",
        title="blended price, $ per million tokens",
        scale=alt.Scale(zero=True, domain=[0, 7]),
        axis=alt.Axis(format="$.2~f"),
    )
    colour = alt.Color(
        "group:N",
        scale=alt.Scale(domain=list(GROUP_COLOURS), range=list(GROUP_COLOURS.values())),
        legend=alt.Legend(title="host", orient="bottom"),
    )
    tooltip = [
        alt.Tooltip("host:N", title="host"),
        alt.Tooltip("prices:N", title="input / output, $ per M tokens"),
        alt.Tooltip("price_text:N", title="blended"),
        alt.Tooltip("context_text:N", title="context window"),
        alt.Tooltip("listing:N", title="listing"),
    ]
    bars = alt.Chart().mark_bar(height=14, opacity=0.85).encode(x=x, y=y, color=colour, tooltip=tooltip)
    text = alt.Chart().mark_text(align="left", dx=6, fontSize=11).encode(x=x, y=y, text="text:N")
    chart = alt.layer(bars, text, data=rows).properties(
        width=440, height=alt.Step(20), title=_ranking_title(rows)
    )
    return style(chart, _ranking_description(rows))


def _with_text(rows: pd.DataFrame) -> pd.DataFrame:
    warn = {"mid-2025": "", "mid-2025, unverified": " (unverified)", "late 2025": " (late 2025)"}
    return rows.assign(
        text=[f"{p}{warn[s]}" for p, s in zip(rows["price_text"], rows["listing"], strict=True)]
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
    new = shallow_copy(chart)
    new.data = _with_text(rows)
    new.title = _ranking_title(rows)
    new.description = _ranking_description(rows)
    return new


def blend_rows(rows: pd.DataFrame, hosts: list[str], max_ratio: float = 10.0) -> pd.DataFrame:
    """Each host's blended price as the input:output ratio runs from 0 to ``max_ratio``, and the
    ratios at which two of them swap places (:func:`tokenomics.choice.crossover_ratio`).

    Parameters
    ----------
    rows : DataFrame
        As returned by :func:`provider_rows` (any ratio; only the prices are used).
    hosts : list of str
        Values of ``rows["host"]`` to draw.
    max_ratio : float
        The largest ratio on the axis (> 0).

    Returns
    -------
    DataFrame
        ``part`` "line" rows (``host``, ``ratio``, ``blended_usd_per_mtok``) and ``part``
        "crossover" rows (``pair``, ``ratio``, ``blended_usd_per_mtok``) for every pair that swaps
        inside the axis.

    Examples
    --------
    >>> from tokenomics import data
    >>> table = blend_rows(provider_rows(data.load("r1_providers")), ["Lambda", "Hyperbolic"])
    >>> table.loc[table["part"] == "crossover", ["pair", "ratio"]].values.tolist()
    [['Lambda and Hyperbolic', 7.0]]
    """
    by_host = rows.set_index("host")
    unknown = [h for h in hosts if h not in by_host.index]
    if unknown or not hosts:
        raise ValueError(f"hosts must be among {sorted(by_host.index)} (got {hosts!r})")
    top = float(positive("max_ratio", max_ratio))
    grid = np.linspace(0.0, top, 81)
    lines = []
    for host in hosts:
        price = blended_price_usd_per_mtok(
            by_host.loc[host, "input_usd_per_mtok"], by_host.loc[host, "output_usd_per_mtok"], grid
        )
        lines.append(
            pd.DataFrame({"part": "line", "host": host, "ratio": grid, "blended_usd_per_mtok": price})
        )
    crossings = []
    for i, a in enumerate(hosts):
        for b in hosts[i + 1 :]:
            ratio = choice.crossover_ratio(
                by_host.loc[a, "input_usd_per_mtok"],
                by_host.loc[a, "output_usd_per_mtok"],
                by_host.loc[b, "input_usd_per_mtok"],
                by_host.loc[b, "output_usd_per_mtok"],
            )
            if np.isfinite(ratio) and 0 < ratio <= top:
                price = blended_price_usd_per_mtok(
                    by_host.loc[a, "input_usd_per_mtok"], by_host.loc[a, "output_usd_per_mtok"], ratio
                )
                crossings.append(
                    {
                        "part": "crossover",
                        "pair": f"{a} and {b}",
                        "ratio": round(float(ratio), 6),
                        "blended_usd_per_mtok": float(price),
                    }
                )
    return pd.concat([*lines, pd.DataFrame(crossings)], ignore_index=True)


def blend_chart(table: pd.DataFrame):
    """Blended price against the input:output ratio, one line per host; crossovers as vertical lines.

    Parameters
    ----------
    table : DataFrame
        As returned by :func:`blend_rows`.

    Examples
    --------
    >>> from tokenomics import data
    >>> rows = provider_rows(data.load("r1_providers"))
    >>> blend_chart(blend_rows(rows, ["DeepSeek", "Lambda", "Hyperbolic"])).to_dict()["title"]["text"]
    'Blended price vs the input:output ratio ($ per million tokens)'
    """
    lines = table[table["part"] == "line"]
    if lines.empty:
        raise ValueError("table must come from blend_rows()")
    hosts = list(dict.fromkeys(lines["host"]))
    colour = alt.Color(
        "host:N",
        scale=alt.Scale(domain=hosts, range=[OKABE_ITO[i % len(OKABE_ITO)] for i in range(len(hosts))]),
        legend=None,
    )
    x = alt.X(
        "ratio:Q",
        title="input tokens per output token",
        scale=alt.Scale(domain=[0, float(lines["ratio"].max())]),
    )
    y = alt.Y(
        "blended_usd_per_mtok:Q",
        title="blended price, $ per million tokens (log scale)",
        scale=alt.Scale(type="log"),
        axis=alt.Axis(format="$.2~f", values=[0.2, 0.3, 0.5, 1, 2, 3, 5]),
    )
    line = (
        alt.Chart()
        .transform_filter("datum.part == 'line'")
        .mark_line(strokeWidth=2.5)
        .encode(
            x=x,
            y=y,
            color=colour,
            tooltip=[
                alt.Tooltip("host:N"),
                alt.Tooltip("ratio:Q", format=".2f"),
                alt.Tooltip("blended_usd_per_mtok:Q", title="blended", format="$.3f"),
            ],
        )
    )
    ends = lines[lines["ratio"] == lines["ratio"].max()].sort_values("blended_usd_per_mtok")
    label_y, previous = [], 0.0
    for price in ends["blended_usd_per_mtok"]:  # push labels apart by at least 14% in price (log axis)
        previous = max(price, previous * 1.14)
        label_y.append(previous)
    ends = ends.assign(label_y=label_y)
    end_text = (
        alt.Chart(ends)
        .mark_text(align="left", dx=6, fontSize=11)
        .encode(x=x, y=alt.Y("label_y:Q", scale=alt.Scale(type="log")), text="host:N", color=colour)
    )
    cross = alt.Chart().transform_filter("datum.part == 'crossover'")
    rules = cross.mark_rule(color=GREY, strokeDash=[4, 3]).encode(x=x)
    cross_text = cross.mark_text(align="left", angle=0, dx=4, dy=-8, fontSize=10, color=GREY).encode(
        x=x, y=y, text=alt.Text("label:N")
    )
    cross_rows = table[table["part"] == "crossover"].assign(
        label=lambda t: [f"{p} swap at {r:.2g}:1" for p, r in zip(t["pair"], t["ratio"], strict=True)]
    )
    data_rows = pd.concat([lines, cross_rows], ignore_index=True)
    chart = alt.layer(rules, line, cross_text, end_text, data=data_rows).properties(
        width=460,
        height=280,
        title=alt.Title(
            "Blended price vs the input:output ratio ($ per million tokens)",
            subtitle="blended = (ratio x input price + output price) / (ratio + 1); "
            "dashed: where two hosts swap places",
        ),
    )
    swaps = "; ".join(f"{p} at {r:.2f}" for p, r in zip(cross_rows["pair"], cross_rows["ratio"], strict=True))
    return style(
        chart,
        f"Line chart of the blended price of {', '.join(hosts)} as the ratio of input to output tokens "
        f"runs from 0 to {lines['ratio'].max():g}. Crossovers: {swaps or 'none inside the axis'}.",
    )


def shares_chart(table: pd.DataFrame):
    """The choice model's shares: one bar per host and month, observed first-party shares as ticks.

    Parameters
    ----------
    table : DataFrame
        Columns ``host``, ``month``, ``share_pct`` (the model's) and ``observed_pct`` (the
        first-party host's observed share, empty for the others), ``quality`` of the observation.

    Examples
    --------
    >>> t = pd.DataFrame({"host": ["DeepSeek", "DeepInfra"], "month": "May", "share_pct": [16.0, 84.0],
    ...                   "observed_pct": [16.0, np.nan], "quality": "chart-read"})
    >>> shares_chart(t).to_dict()["title"]["text"]
    'Share of tokens each host gets in the fitted choice model (%)'
    """
    if table.empty:
        raise ValueError("table is empty: nothing to draw")
    order = table.groupby("host")["share_pct"].max().sort_values(ascending=False).index.tolist()
    months = list(dict.fromkeys(table["month"]))
    y = alt.Y("host:N", sort=order, title=None, axis=alt.Axis(labelLimit=200))
    x = alt.X("share_pct:Q", title="share of tokens, %", scale=alt.Scale(domain=[0, 50]))
    colour = alt.Color(
        "month:N",
        scale=alt.Scale(domain=months, range=[OKABE_ITO[5], OKABE_ITO[0]][: len(months)]),
        legend=alt.Legend(title="model, month", orient="bottom"),
    )
    bars = (
        alt.Chart()
        .mark_bar(height=8)
        .encode(
            x=x,
            y=y,
            yOffset=alt.YOffset("month:N", sort=months),
            color=colour,
            tooltip=[
                alt.Tooltip("host:N"),
                alt.Tooltip("month:N"),
                alt.Tooltip("share_pct:Q", title="model share, %", format=".1f"),
            ],
        )
    )
    text = (
        alt.Chart()
        .mark_text(align="left", dx=4, fontSize=10)
        .encode(
            x=x, y=y, yOffset=alt.YOffset("month:N", sort=months), text=alt.Text("share_pct:Q", format=".1f")
        )
    )
    observed = (
        alt.Chart()
        .transform_filter("isValid(datum.observed_pct)")
        .mark_point(size=90, color=OKABE_ITO[7], filled=False, strokeWidth=2)
        .encode(
            x=alt.X("observed_pct:Q"),
            y=y,
            yOffset=alt.YOffset("month:N", sort=months),
            **quality_channel(table["quality"].dropna()),
        )
    )
    chart = alt.layer(bars, text, observed, data=table).properties(
        width=420,
        height=alt.Step(20),
        title=alt.Title(
            "Share of tokens each host gets in the fitted choice model (%)",
            subtitle="bars: the model; black rings: DeepSeek's observed share of its own model's tokens "
            "(chart-read)",
        ),
    )
    parts = "; ".join(
        f"{h} {m} {s:.1f}%"
        for h, m, s in zip(table["host"], table["month"], table["share_pct"], strict=True)
        if h == "DeepSeek"
    )
    return style(
        chart,
        f"Bar chart of the fitted logit model's share of users for {len(order)} hosts in "
        f"{', '.join(months)}. {parts}.",
    )


def token_revenue_chart(table: pd.DataFrame):
    """Each host's share of tokens against its share of revenue; the diagonal is equal shares.

    Parameters
    ----------
    table : DataFrame
        Columns ``host``, ``token_share_pct``, ``revenue_share_pct`` and ``label``.

    Examples
    --------
    >>> t = pd.DataFrame({"host": ["A", "B"], "token_share_pct": [60.0, 40.0],
    ...                   "revenue_share_pct": [30.0, 70.0], "label": ["A", ""]})
    >>> token_revenue_chart(t).to_dict()["title"]["text"]
    'Share of tokens vs share of revenue, May (%)'
    """
    if table.empty:
        raise ValueError("table is empty: nothing to draw")
    top = float(max(table["token_share_pct"].max(), table["revenue_share_pct"].max()) * 1.1)
    x = alt.X("token_share_pct:Q", title="share of tokens, %", scale=alt.Scale(domain=[0, top]))
    y = alt.Y("revenue_share_pct:Q", title="share of revenue, %", scale=alt.Scale(domain=[0, top]))
    diagonal = (
        alt.Chart(pd.DataFrame({"token_share_pct": [0, top], "revenue_share_pct": [0, top]}))
        .mark_line(color=GREY, strokeDash=[4, 3])
        .encode(x=x, y=y)
    )
    points = (
        alt.Chart()
        .mark_point(filled=True, size=90, color=OKABE_ITO[0])
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("host:N"),
                alt.Tooltip("token_share_pct:Q", format=".1f"),
                alt.Tooltip("revenue_share_pct:Q", format=".1f"),
            ],
        )
    )
    labels = _labels(x, y)
    placed = _placed(table, "tokens")
    chart = alt.layer(diagonal, alt.layer(points, labels, data=placed)).properties(
        width=360,
        height=320,
        title=alt.Title(
            "Share of tokens vs share of revenue, May (%)",
            subtitle="the fitted choice model; revenue = tokens x blended price; "
            "below the dashed line: cheaper than average",
        ),
    )
    parts = "; ".join(
        f"{h}: {t:.1f}% of tokens, {r:.1f}% of revenue"
        for h, t, r, lab in zip(
            table["host"], table["token_share_pct"], table["revenue_share_pct"], table["label"], strict=True
        )
        if lab
    )
    return style(
        chart,
        f"Scatter plot of {len(table)} hosts' share of tokens against their share of revenue in the "
        f"fitted model. {parts}.",
    )


def fitted_choice(
    snapshot: pd.DataFrame | None = None,
    *,
    latency_change_s: float | None = None,
    own_constant: bool = True,
    price_weight: float = 1.0,
    context_weight: float = 1.0,
) -> tuple[pd.DataFrame, choice.LatencyWeightFit]:
    """The lesson's choice model fitted to DeepSeek's own token share, March and May 2025.

    The hosts are the R1-0528 endpoints of the measured snapshot (``r1_host_latency``),
    blended 3:1. The kit has no per-host prices or latencies for March or May, so every host
    keeps its snapshot values in both months, and the only change is the one the article
    reports: DeepSeek's own API waiting ``latency_change_s`` longer in May (default: the
    article's 25 s, whose month the article does not give; an assumption). The observed shares
    are ``first_party_token_share`` (chart-read). :func:`tokenomics.choice.fit_latency_weight`
    then fits the latency weight and DeepSeek's constant; price and context weights stay fixed.

    Returns
    -------
    (DataFrame, LatencyWeightFit)
        One row per host (``host``, ``blended_usd_per_mtok``, ``context_tokens``,
        ``latency_march_s``, ``latency_may_s``, ``is_deepseek``) and the fit.

    Examples
    --------
    >>> hosts, fit = fitted_choice()
    >>> round(fit.latency_weight_per_s, 4), fit.exactly_identified
    (0.0534, True)
    """
    table = data.load("r1_host_latency") if snapshot is None else snapshot
    table = table[table["model_version"] == "R1-0528"].reset_index(drop=True)
    change_s = deepseek_latency_gap_s() if latency_change_s is None else latency_change_s
    change_s = float(positive("latency_change_s", change_s, allow_zero=True))
    shares = data.load("first_party_token_share").set_index("month")["share_pct"]
    observed = [float(shares.loc[pd.Timestamp("2025-03-01")]), float(shares.loc[pd.Timestamp("2025-05-01")])]
    is_deepseek = (table["provider"] == "DeepSeek").to_numpy()
    if is_deepseek.sum() != 1:
        raise ValueError("the snapshot must hold exactly one R1-0528 endpoint of DeepSeek's own API")
    march = table["latency_s"].to_numpy(dtype=float)
    may = march + change_s * is_deepseek
    hosts = pd.DataFrame(
        {
            "host": table["provider"].to_numpy(),
            "blended_usd_per_mtok": _blend(table, 3.0),
            "context_tokens": table["context_tokens"].to_numpy(dtype=float),
            "latency_march_s": march,
            "latency_may_s": may,
            "is_deepseek": is_deepseek,
        }
    )
    fit = choice.fit_latency_weight(
        hosts["blended_usd_per_mtok"],
        np.vstack([march, may]),
        hosts["context_tokens"],
        int(np.flatnonzero(is_deepseek)[0]),
        np.array(observed) / 100,
        price_weight=price_weight,
        context_weight=context_weight,
        own_constant=own_constant,
    )
    return hosts, fit


def model_shares(hosts: pd.DataFrame, fit: choice.LatencyWeightFit) -> pd.DataFrame:
    """Every host's share of users in the fitted model, March and May, for :func:`shares_chart`.

    Examples
    --------
    >>> hosts, fit = fitted_choice()
    >>> table = model_shares(hosts, fit)
    >>> table.loc[table["host"] == "DeepSeek", "share_pct"].round(1).tolist()
    [42.0, 16.0]
    """
    frames = []
    for month, column, observed in (
        ("March", "latency_march_s", fit.observed_share[0]),
        ("May", "latency_may_s", fit.observed_share[1]),
    ):
        scores = np.asarray(
            choice.utility(
                hosts["blended_usd_per_mtok"],
                hosts[column],
                1.0,
                hosts["context_tokens"],
                price_weight=fit.price_weight,
                latency_weight_per_s=fit.latency_weight_per_s,
                speed_weight=0.0,
                context_weight=fit.context_weight,
            )
        )
        scores = scores + fit.own_constant * hosts["is_deepseek"].to_numpy()
        share = 100 * choice.logit_shares(scores)
        frames.append(
            pd.DataFrame(
                {
                    "host": hosts["host"],
                    "month": month,
                    "share_pct": share,
                    "observed_pct": np.where(hosts["is_deepseek"], 100 * observed, np.nan),
                    "quality": np.where(hosts["is_deepseek"], "chart-read", None),
                    "blended_usd_per_mtok": hosts["blended_usd_per_mtok"],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def token_revenue_shares(shares: pd.DataFrame, month: str = "May") -> pd.DataFrame:
    """Each host's share of tokens and of revenue (tokens x blended price) in one month.

    Examples
    --------
    >>> hosts, fit = fitted_choice()
    >>> table = token_revenue_shares(model_shares(hosts, fit)).set_index("host")
    >>> bool(table.loc["DeepSeek", "revenue_share_pct"] < table.loc["DeepSeek", "token_share_pct"])
    True
    """
    rows = shares[shares["month"] == month]
    if rows.empty:
        raise ValueError(f"month must be one of {sorted(set(shares['month']))} (got {month!r})")
    revenue = rows["share_pct"] * rows["blended_usd_per_mtok"]
    return pd.DataFrame(
        {
            "host": rows["host"].to_numpy(),
            "token_share_pct": rows["share_pct"].to_numpy(),
            "revenue_share_pct": (100 * revenue / revenue.sum()).to_numpy(),
            "label": [
                h if h in NAMED_HOSTS or s > 10 else ""
                for h, s in zip(rows["host"], rows["share_pct"], strict=True)
            ],
        }
    )
