"""The market lesson's charts: DeepSeek's share of app usage, web traffic, and who serves its model.

- :func:`timeline_chart`: readings and illustrative curves over time, with events (R1's launch,
  ...) as vertical rules. :func:`app_share_rows`, :func:`token_share_rows` and
  :func:`third_party_rows` turn the datasets into its rows.
- :func:`web_traffic_chart`: change in web traffic, February to May 2025, one bar per reading.
- :func:`volume_chart`: first-party and third-party token volumes stacked, one bar per period;
  :func:`refresh_volume_chart` swaps only its numbers, for dashboards.

Chart-read values are hollow rings or hollow bars with a dotted outline, illustrative values
dashed rings, dashed lines or bars with a dashed outline (:func:`tokenomics.charts.quality_encoding`).

Examples
--------
>>> from tokenomics import data
>>> chart = web_traffic_chart(data.load("web_traffic_change"))
>>> chart.to_dict()["title"]["text"]
'Change in web traffic, February to May 2025 (%)'
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from tokenomics import market
from tokenomics.charts import GREY, OKABE_ITO, quality_encoding, style, swap_data
from tokenomics.validation import one_of, positive

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

EVENT_LABELS = {
    "2025-01-20": "R1 released",
    "2025-02-26": "off-peak discounts",
    "2025-04-09": "H20 needs a licence",
    "2025-05-28": "R1-0528 released",
}
"""Short labels for the ``events`` rows drawn on timelines, by date; the tooltip gives each
event's full text from the dataset."""

R1_RELEASE = "2025-01-20"
"""DeepSeek-R1's release date (the ``events`` dataset). A reading dated only by its month is
never drawn before it (:func:`reading_date`)."""

BOTH = "both readings"
"""The choice that keeps both readings of a chart (:func:`app_share_rows`)."""

TIMELINE_COLUMNS = ("date", "value", "series", "quality", "period", "source")

PARTY_COLOURS = {"DeepSeek (first party)": OKABE_ITO[0], "other hosts (third party)": OKABE_ITO[1]}
"""Colours of the stacked token-volume bars."""


def reading_month(period: str) -> pd.Timestamp:
    """The first day of the first month a period text names ("Jan-Feb 2025" is 2025-01-01).

    Examples
    --------
    >>> reading_month("end of May 2025")
    Timestamp('2025-05-01 00:00:00')
    """
    words = period.replace("-", " ").split()
    months = [MONTHS.index(w[:3]) + 1 for w in words if w[:3] in MONTHS]
    years = [int(w) for w in words if w.isdigit() and len(w) == 4]
    if not months or not years:
        raise ValueError(f"period must name a month and a year, such as 'May 2025' (got {period!r})")
    return pd.Timestamp(year=years[0], month=months[0], day=1)


def reading_date(month, not_before: str | None = R1_RELEASE) -> pd.Timestamp:
    """Where a timeline draws a value known only by its month: the middle of that month.

    A reading such as "over 8%, Jan 2025" gives a month, not a day. The kit draws it in the middle
    of the month, and the tooltip says the month is the reading's. If the month holds
    ``not_before`` (R1's release, by default), the value is drawn in the middle of the days from
    that date to the month's end instead: the peak after R1's release is never drawn before it.

    Parameters
    ----------
    month : str or Timestamp
        A period text ("Jan-Feb 2025", see :func:`reading_month`) or a date in the month.
    not_before : str or None
        An ISO date the value cannot precede, or None.

    Examples
    --------
    >>> reading_date("May 2025")
    Timestamp('2025-05-16 12:00:00')
    >>> reading_date("Jan 2025")
    Timestamp('2025-01-26 00:00:00')
    """
    start = reading_month(month) if isinstance(month, str) else pd.Timestamp(month).to_period("M").start_time
    end = start + pd.offsets.MonthBegin(1)
    if not_before is not None and start <= pd.Timestamp(not_before) < end:
        start = pd.Timestamp(not_before)
    return start + (end - start) / 2


def reading_series(readings: pd.DataFrame) -> dict[str, str]:
    """The series name of each reading of the app-share chart, by reader ("A", "B").

    A series is named by what it is, "reading A: about 7.5% peak", never by the site it was read on.

    Examples
    --------
    >>> from tokenomics import data
    >>> reading_series(data.load("app_market_share"))
    {'A': 'reading A: about 7.5% peak', 'B': 'reading B: over 8% peak'}
    """
    peaks = readings[readings["reading"] == "peak"]
    return {
        r: f"reading {r}: {q} {v:g}% peak"
        for r, q, v in zip(peaks["reader"], peaks["qualifier"], peaks["share_pct"], strict=True)
    }


def app_share_rows(
    readings: pd.DataFrame,
    curve: pd.DataFrame | None = None,
    peak_reading: str = BOTH,
    may_reading: str = BOTH,
) -> pd.DataFrame:
    """Timeline rows for DeepSeek's share of AI-app usage: the chosen readings and the curve.

    Parameters
    ----------
    readings : DataFrame
        The ``app_market_share`` dataset: readings A and B of the peak and of May 2025.
    curve : DataFrame, optional
        The ``app_market_share_illustrative`` dataset, drawn as a dashed line (default: none).
    peak_reading, may_reading : str
        Which reading of the peak and of May to keep: "A", "B" or :data:`BOTH`.

    Returns
    -------
    DataFrame
        Columns ``date`` (where the point is drawn, :func:`reading_date`), ``value`` (share, %),
        ``series``, ``quality``, ``period`` (the value as read, with its month), ``label`` (the
        value with its qualifier, "over 8%") and ``source`` (the article).

    Examples
    --------
    >>> from tokenomics import data
    >>> rows = app_share_rows(data.load("app_market_share"), peak_reading="A")
    >>> rows["value"].tolist(), rows["label"].tolist()[0]
    ([7.5, 5.0, 4.5], 'about 7.5%')
    """
    readers = list(dict.fromkeys(readings["reader"]))
    one_of("peak_reading", peak_reading, [BOTH, *readers])
    one_of("may_reading", may_reading, [BOTH, *readers])
    chosen = {"peak": peak_reading, "may_2025": may_reading}
    keep = [
        chosen.get(k, BOTH) in (BOTH, r) for k, r in zip(readings["reading"], readings["reader"], strict=True)
    ]
    kept = readings[keep]
    names = reading_series(readings)
    rows = pd.DataFrame(
        {
            "date": [reading_date(p) for p in kept["period"]],
            "value": kept["share_pct"].to_numpy(dtype=float),
            "series": [names[r] for r in kept["reader"]],
            "quality": kept["quality"].to_numpy(),
            "period": [
                f"{q} {v:g}%, {p} (the reading gives the month; drawn mid-month)"
                for q, v, p in zip(kept["qualifier"], kept["share_pct"], kept["period"], strict=True)
            ],
            "label": [f"{q} {v:g}%" for q, v in zip(kept["qualifier"], kept["share_pct"], strict=True)],
            "source": kept["source"].to_numpy(),
        }
    )
    return _with_curve(rows, curve, "share_pct")


def token_share_rows(readings: pd.DataFrame, curve: pd.DataFrame | None = None) -> pd.DataFrame:
    """Timeline rows for DeepSeek's own share of all tokens served of its models, in %.

    Parameters
    ----------
    readings : DataFrame
        The ``first_party_token_share`` dataset (chart-read, March and May 2025).
    curve : DataFrame, optional
        The ``first_party_token_share_illustrative`` dataset (default: none).

    Examples
    --------
    >>> from tokenomics import data
    >>> token_share_rows(data.load("first_party_token_share"))["value"].tolist()
    [42.0, 16.0]
    """
    rows = pd.DataFrame(
        {
            "date": [reading_date(m) for m in pd.to_datetime(readings["month"])],
            "value": readings["share_pct"].to_numpy(dtype=float),
            "series": "reading of the OpenRouter chart",
            "quality": readings["quality"].to_numpy(),
            "period": [
                f"{q} {v:g}%, {m:%B %Y} (the reading gives the month; drawn mid-month)"
                for q, v, m in zip(
                    readings["qualifier"],
                    readings["share_pct"],
                    pd.to_datetime(readings["month"]),
                    strict=True,
                )
            ],
            "label": [
                f"{q} {v:g}%" for q, v in zip(readings["qualifier"], readings["share_pct"], strict=True)
            ],
            "source": readings["source"].to_numpy(),
        }
    )
    return _with_curve(rows, curve, "share_pct")


def third_party_rows(growth: pd.DataFrame, curve: pd.DataFrame) -> pd.DataFrame:
    """Timeline rows for third-party usage of R1 and V3, as a multiple of January 2025.

    The reported "nearly 20x" is drawn where the illustrative curve puts it (May 2025, the
    curve's last month); its tooltip gives the period the article states.

    Parameters
    ----------
    growth : DataFrame
        The ``third_party_growth`` dataset (one reported row).
    curve : DataFrame
        The ``third_party_usage_illustrative`` dataset.

    Examples
    --------
    >>> from tokenomics import data
    >>> rows = third_party_rows(data.load("third_party_growth"), data.load("third_party_usage_illustrative"))
    >>> rows.loc[rows["quality"] == "reported", "value"].tolist()
    [20.0]
    """
    last = reading_date(pd.to_datetime(curve["month"]).max())
    rows = pd.DataFrame(
        {
            "date": [last] * len(growth),
            "value": growth["value"].to_numpy(dtype=float),
            "series": ["article's statement"] * len(growth),
            "quality": growth["quality"].to_numpy(),
            "period": [
                f"{q} {v:g}x, {p}"
                for q, v, p in zip(growth["qualifier"], growth["value"], growth["period"], strict=True)
            ],
            "label": [f"{q} {v:g}x" for q, v in zip(growth["qualifier"], growth["value"], strict=True)],
            "source": growth["source"].to_numpy(),
        }
    )
    return _with_curve(rows, curve, "usage_index")


def _with_curve(rows: pd.DataFrame, curve: pd.DataFrame | None, column: str) -> pd.DataFrame:
    if curve is None or curve.empty:
        return rows.reset_index(drop=True)
    line = pd.DataFrame(
        {
            "date": [reading_date(m) for m in pd.to_datetime(curve["month"])],
            "value": curve[column].to_numpy(dtype=float),
            "series": "illustrative straight line",
            "quality": curve["quality"].to_numpy(),
            "period": [f"{m:%B %Y}: illustrative, not data" for m in pd.to_datetime(curve["month"])],
            "label": "",
            "source": curve["source"].to_numpy(),
        }
    )
    return pd.concat([line, rows], ignore_index=True)  # readings drawn last, on top


def event_rows(events: pd.DataFrame, labels: dict[str, str] | None = None) -> pd.DataFrame:
    """The events to mark on a timeline: the rows of ``events`` whose date has a short label.

    Parameters
    ----------
    events : DataFrame
        The ``events`` dataset.
    labels : dict of str to str, optional
        Short label by ISO date (default: :data:`EVENT_LABELS`).

    Returns
    -------
    DataFrame
        Columns ``date``, ``label``, ``event`` (the full text), ``lane`` (0, 1, 2: label height).

    Examples
    --------
    >>> from tokenomics import data
    >>> event_rows(data.load("events"))["label"].tolist()[:2]
    ['R1 released', 'off-peak discounts']
    """
    labels = EVENT_LABELS if labels is None else labels
    dates = pd.to_datetime(events["date"]).dt.strftime("%Y-%m-%d")
    kept = events[dates.isin(list(labels))]
    return pd.DataFrame(
        {
            "date": pd.to_datetime(kept["date"]).to_numpy(),
            "label": [labels[d] for d in dates[dates.isin(list(labels))]],
            "event": kept["event"].to_numpy(),
            "lane": [i % 3 for i in range(len(kept))],
        }
    )


def _timeline_description(rows: pd.DataFrame, y_title: str, events: pd.DataFrame | None) -> str:
    parts = []
    for series, group in rows.groupby("series", sort=False):
        values = ", ".join(f"{v:g} ({d:%b %Y})" for d, v in zip(group["date"], group["value"], strict=True))
        parts.append(f"{series} ({group['quality'].iloc[0]}): {values}")
    marked = (
        ""
        if events is None or events.empty
        else " Vertical rules mark: "
        + "; ".join(
            f"{label} ({d:%d %b %Y})" for d, label in zip(events["date"], events["label"], strict=True)
        )
        + "."
    )
    return f"Timeline of {y_title}. " + "; ".join(parts) + "." + marked


def timeline_chart(
    rows: pd.DataFrame,
    events: pd.DataFrame | None = None,
    *,
    title: str,
    y_title: str,
    subtitle: str = "",
    series: list[str] | None = None,
):
    """Readings as points and illustrative curves as dashed lines over time, with events.

    Every row is a point shaped by its data quality, labelled with its value as read; series with
    an illustrative quality are also joined by a line dashed by quality. Colour is the series
    (which reading, or the illustrative line). Events are grey vertical rules with short labels
    on top. The y axis leaves room above the highest point.

    Parameters
    ----------
    rows : DataFrame
        Columns ``date``, ``value``, ``series``, ``quality``, ``period``, ``source`` (from
        :func:`app_share_rows`, :func:`token_share_rows` or :func:`third_party_rows`), and
        optionally ``label``: text drawn beside a point ("over 8%"; empty for none).
    events : DataFrame, optional
        From :func:`event_rows`.
    title, y_title, subtitle : str
        The chart title, the y-axis title (with its unit) and a subtitle.
    series : list of str, optional
        Every series that may appear, in legend order, so colours stay put when a dashboard
        hides one (default: the series in ``rows``).

    Returns
    -------
    altair.LayerChart
        Its data (``chart.data``) is ``rows``.

    Examples
    --------
    >>> from tokenomics import data
    >>> rows = token_share_rows(data.load("first_party_token_share"))
    >>> chart = timeline_chart(rows, title="Share", y_title="share, %")
    >>> chart.to_dict()["title"]["text"]
    'Share'
    """
    missing = set(TIMELINE_COLUMNS) - set(rows.columns)
    if missing:
        raise ValueError(f"rows must have the columns {list(TIMELINE_COLUMNS)}; missing {sorted(missing)}")
    if rows.empty:
        raise ValueError("rows is empty: nothing to draw")
    series = list(dict.fromkeys(rows["series"])) if series is None else list(series)
    colour = alt.Scale(domain=series, range=[OKABE_ITO[i % len(OKABE_ITO)] for i in range(len(series))])
    dates = list(rows["date"]) + ([] if events is None else list(events["date"]))
    start = min(dates) - pd.Timedelta(days=12)
    end = max(rows["date"]) + pd.Timedelta(days=12)
    if events is not None and not events.empty:  # room for the last event's label
        end = max(end, max(events["date"]) + pd.Timedelta(days=50))
    x = alt.X(
        "date:T",
        title="month (2025)" if start.year == end.year == 2025 else "month",
        scale=alt.Scale(domain=[start.isoformat(), end.isoformat()]),
        axis=alt.Axis(format="%b %Y", tickCount="month", labelAngle=0),
    )
    top = float(rows["value"].max()) * 1.3  # headroom: no point or label sits on the top edge
    y = alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=True, domain=[0, top], nice=True))
    tooltip = [
        alt.Tooltip("series:N", title="series"),
        alt.Tooltip("period:N", title="value as read"),
        alt.Tooltip("value:Q", title=y_title, format=".3~f"),
        alt.Tooltip("quality:N", title="data quality"),
        alt.Tooltip("source:N", title="source"),
    ]
    color = alt.Color("series:N", scale=colour, legend=alt.Legend(title="series", orient="bottom"))
    lines = (
        alt.Chart()
        .transform_filter(alt.datum.quality == "illustrative")
        .mark_line(strokeWidth=2)
        .encode(x=x, y=y, color=color, detail="series:N", **quality_encoding("line"))
    )
    points = (
        alt.Chart()
        .mark_point(filled=True, size=150, strokeWidth=0, opacity=1)
        .encode(x=x, y=y, color=color, tooltip=tooltip, **quality_encoding("point"))
    )
    layers = [lines, points]
    if "label" in rows.columns:  # each reading's value as read ("over 8%"), beside its point
        layers.append(
            alt.Chart()
            .transform_filter(alt.datum.label != "")
            .mark_text(align="left", baseline="middle", dx=9, fontSize=12)
            .encode(x=x, y=y, text="label:N", color=alt.Color("series:N", scale=colour, legend=None))
        )
    if events is not None and not events.empty:
        event_x = alt.X("date:T")
        event_tip = [
            alt.Tooltip("date:T", title="date", format="%d %b %Y"),
            alt.Tooltip("event:N", title="event"),
        ]
        rules = (
            alt.Chart(events).mark_rule(color=GREY, strokeDash=[1, 3]).encode(x=event_x, tooltip=event_tip)
        )
        labels = (
            alt.Chart(events)
            .transform_calculate(lane_px="14 * datum.lane")
            .mark_text(align="left", baseline="top", dx=3, fontSize=11, color=GREY)
            .encode(
                x=event_x,
                y=alt.value(2),
                yOffset=alt.YOffset("lane_px:Q", scale=None),
                text="label:N",
            )
        )
        layers = [rules, *layers, labels]
    chart = alt.layer(*layers, data=rows).properties(
        width=520, height=260, title=alt.Title(title, subtitle=subtitle or alt.Undefined)
    )
    return style(chart, _timeline_description(rows, y_title, events))


def web_traffic_rows(changes: pd.DataFrame, sites: list[str] | None = None) -> pd.DataFrame:
    """Bars for :func:`web_traffic_chart`: one per reading, labelled by site (and by reading, A or
    B, when a site was read twice).

    Parameters
    ----------
    changes : DataFrame
        The ``web_traffic_change`` dataset.
    sites : list of str, optional
        The sites to keep (default: all).

    Examples
    --------
    >>> from tokenomics import data
    >>> web_traffic_rows(data.load("web_traffic_change"), ["DeepSeek", "Gemini"])["label"].tolist()
    ['DeepSeek', 'Gemini (reading A)', 'Gemini (reading B)']
    """
    known = list(dict.fromkeys(changes["site"]))
    for site in [] if sites is None else sites:
        one_of("sites", site, known)
    counts = changes["site"].value_counts()
    kept = changes if sites is None else changes[changes["site"].isin(sites)]
    labels = [
        s if counts[s] == 1 else f"{s} (reading {r})"
        for s, r in zip(kept["site"], kept["reader"], strict=True)
    ]
    return pd.DataFrame(
        {
            "label": labels,
            "site": kept["site"].to_numpy(),
            "change_pct": kept["change_pct"].to_numpy(dtype=float),
            "period": kept["period"].to_numpy(),
            "quality": kept["quality"].to_numpy(),
            "source": kept["source"].to_numpy(),
        }
    )


def web_traffic_chart(changes: pd.DataFrame, sites: list[str] | None = None):
    """Change in web traffic from February to May 2025, in percent: one bar per reading.

    Bars are coloured by site (the same colour whatever ``sites`` keeps) and outlined by data
    quality: chart-read bars are pale with a dotted outline. A site read twice (Gemini) gets
    two bars, one per reading, so neither is picked silently.

    Parameters
    ----------
    changes : DataFrame
        The ``web_traffic_change`` dataset.
    sites : list of str, optional
        The sites to draw (default: all).

    Examples
    --------
    >>> from tokenomics import data
    >>> chart = web_traffic_chart(data.load("web_traffic_change"), ["DeepSeek"])
    >>> chart.data["change_pct"].tolist()
    [-29.0]
    """
    rows = web_traffic_rows(changes, sites)
    if rows.empty:
        raise ValueError("sites keeps no rows: nothing to draw")
    all_sites = list(dict.fromkeys(changes["site"]))
    colour = alt.Scale(domain=all_sites, range=[OKABE_ITO[i % len(OKABE_ITO)] for i in range(len(all_sites))])
    y = alt.Y("label:N", sort=rows["label"].tolist(), title=None, axis=alt.Axis(labelLimit=260))
    x = alt.X(
        "change_pct:Q",
        title="change in web traffic, Feb to May 2025, %",
        scale=alt.Scale(domainMin=min(0.0, float(rows["change_pct"].min()) - 40)),  # room for a fall's label
        axis=alt.Axis(
            tickMinStep=50, labelOverlap=True, labelExpr="datum.value > 0 ? '+' + datum.label : datum.label"
        ),
    )
    tooltip = [
        alt.Tooltip("site:N", title="site"),
        alt.Tooltip("change_pct:Q", title="change, %", format="+.1f"),
        alt.Tooltip("period:N", title="period"),
        alt.Tooltip("quality:N", title="data quality"),
        alt.Tooltip("source:N", title="source"),
    ]
    bars = (
        alt.Chart()
        .mark_bar(fillOpacity=0.45, strokeWidth=2, height={"band": 0.7})
        .encode(
            x=x,
            y=y,
            color=alt.Color("site:N", scale=colour, legend=None),
            stroke=alt.Stroke("site:N", scale=colour, legend=None),
            tooltip=tooltip,
            **quality_encoding("line"),
        )
    )

    def value_labels(rising: bool):  # after the end of each bar: right of a rise, left of a fall
        return (
            alt.Chart()
            .transform_filter(alt.datum.change_pct >= 0 if rising else alt.datum.change_pct < 0)
            .mark_text(align="left" if rising else "right", dx=4 if rising else -4, fontSize=11)
            .encode(x=alt.X("change_pct:Q"), y=y, text=alt.Text("change_pct:Q", format="+.1f"))
        )

    zero = alt.Chart().mark_rule(color=GREY).encode(x=alt.datum(0))
    deepseek = rows.loc[rows["site"] == "DeepSeek", "change_pct"]
    headline = f"DeepSeek {deepseek.iloc[0]:+.1f}%; " if len(deepseek) else ""
    description = (
        f"Bar chart of the change in web traffic from February to May 2025, in percent, {len(rows)} bars: "
        + "; ".join(
            f"{lbl} {v:+.1f}% ({q})"
            for lbl, v, q in zip(rows["label"], rows["change_pct"], rows["quality"], strict=True)
        )
        + ". Read off SimilarWeb's chart in the article by news outlets, so approximate."
    )
    chart = alt.layer(zero, bars, value_labels(True), value_labels(False), data=rows).properties(
        width=460,
        height=alt.Step(30),
        title=alt.Title(
            "Change in web traffic, February to May 2025 (%)",
            subtitle=f"{headline}read off the article's SimilarWeb chart by news outlets (chart-read)",
        ),
    )
    return style(chart, description)


def volume_rows(periods, first_party_share, third_party_volume, quality) -> pd.DataFrame:
    """Stacked-bar rows: first-party and third-party token volumes in each period.

    The first-party volume follows from the share and the third-party volume:
    F = s / (1 - s) x T (:func:`tokenomics.market.share_odds`).

    Parameters
    ----------
    periods : list of str
        One label per bar, in order.
    first_party_share : array_like
        DeepSeek's share of all tokens served of its models in each period, a fraction in [0, 1).
    third_party_volume : array_like
        Tokens served by other hosts in each period (> 0), in any unit shared by all periods.
    quality : str or list of str
        Data quality of each period's numbers.

    Returns
    -------
    DataFrame
        Two rows per period (first party, then third party) with ``period``, ``party``,
        ``volume_index``, ``share_pct`` (that party's share), ``total`` and ``quality``.

    Examples
    --------
    >>> rows = volume_rows(["before", "after"], [0.5, 0.2], [1.0, 2.0], "illustrative")
    >>> rows["volume_index"].round(3).tolist()
    [1.0, 1.0, 0.5, 2.0]
    """
    periods = list(periods)
    third = np.broadcast_to(positive("third_party_volume", third_party_volume), (len(periods),))
    first = np.broadcast_to(market.share_odds(first_party_share), (len(periods),)) * third
    qualities = [quality] * len(periods) if isinstance(quality, str) else list(quality)
    records = []
    for period, f, t, q in zip(periods, first, third, qualities, strict=True):
        total = f + t
        for party, volume in zip(PARTY_COLOURS, (f, t), strict=True):
            records.append(
                {
                    "period": period,
                    "party": party,
                    "volume_index": float(volume),
                    "share_pct": float(100 * volume / total),
                    "total": float(total),
                    "quality": q,
                }
            )
    return pd.DataFrame.from_records(records)


def _volume_description(rows: pd.DataFrame) -> str:
    parts = []
    for period, group in rows.groupby("period", sort=False):
        first, third = group["volume_index"].tolist()
        parts.append(
            f"{period}: DeepSeek {first:.3g}, other hosts {third:.3g} "
            f"(DeepSeek's share {group['share_pct'].iloc[0]:.0f}%, {group['quality'].iloc[0]})"
        )
    return (
        "Stacked bar chart of tokens served of DeepSeek's models, split into DeepSeek's own service "
        "(first party) and other hosts (third party), as an index. " + "; ".join(parts) + "."
    )


def volume_chart(
    rows: pd.DataFrame,
    title: str = "Who serves DeepSeek's models: token volume (index)",
    y_title: str = "token volume (index)",
    subtitle: str = "",
):
    """Stacked bars of first-party and third-party token volume, one bar per period.

    Each bar is the total volume of DeepSeek's models; the lower part is what DeepSeek served
    itself, the upper part what other hosts served. Bars are outlined by data quality (a dashed
    outline for illustrative numbers, and then a subtitle saying so unless one is given), and
    labelled with DeepSeek's share.

    Parameters
    ----------
    rows : DataFrame
        From :func:`volume_rows`.
    title, y_title, subtitle : str
        The chart title, the y-axis title (say what the index is relative to) and a subtitle.

    Returns
    -------
    altair.LayerChart
        Its data (``chart.data``) is ``rows``.

    Examples
    --------
    >>> chart = volume_chart(volume_rows(["before", "after"], [0.42, 0.16], [1.0, 1.9], "illustrative"))
    >>> chart.data["party"].unique().tolist()
    ['DeepSeek (first party)', 'other hosts (third party)']
    """
    missing = {"period", "party", "volume_index", "share_pct", "total", "quality"} - set(rows.columns)
    if missing:
        raise ValueError(f"rows must come from volume_rows(); missing columns {sorted(missing)}")
    if rows.empty:
        raise ValueError("rows is empty: nothing to draw")
    if not subtitle and (rows["quality"] == "illustrative").any():
        subtitle = "illustrative (dashed outline): a teaching calculation, not data"
    parties = list(PARTY_COLOURS)
    x = alt.X("period:N", sort=list(dict.fromkeys(rows["period"])), title=None, axis=alt.Axis(labelAngle=0))
    order = alt.Order("party_order:Q")
    tooltip = [
        alt.Tooltip("period:N", title="period"),
        alt.Tooltip("party:N", title="served by"),
        alt.Tooltip("volume_index:Q", title=y_title, format=".3~f"),
        alt.Tooltip("share_pct:Q", title="share of the period's tokens, %", format=".1f"),
        alt.Tooltip("quality:N", title="data quality"),
    ]
    bars = (
        alt.Chart()
        .transform_calculate(party_order=f"indexof({parties!r}, datum.party)")
        .mark_bar(stroke="#333333", strokeWidth=1.5, size=70)
        .encode(
            x=x,
            y=alt.Y("volume_index:Q", title=y_title, stack="zero"),
            color=alt.Color(
                "party:N",
                scale=alt.Scale(domain=parties, range=list(PARTY_COLOURS.values())),
                legend=alt.Legend(title="served by", orient="bottom"),
            ),
            order=order,
            tooltip=tooltip,
            **quality_encoding("line"),
        )
    )
    labels = (
        alt.Chart()
        .transform_filter(alt.datum.party == parties[0])
        .transform_calculate(label="'DeepSeek ' + format(datum.share_pct, '.0f') + '%'")
        .mark_text(baseline="bottom", dy=-4, fontSize=12)
        .encode(x=x, y=alt.Y("total:Q"), text="label:N")
    )
    chart = alt.layer(bars, labels, data=rows).properties(
        width=alt.Step(140), height=280, title=alt.Title(title, subtitle=subtitle or alt.Undefined)
    )
    return style(chart, _volume_description(rows))


def refresh_volume_chart(chart, rows: pd.DataFrame):
    """``chart`` with the numbers of ``rows``: a fast update for dashboards.

    When ``rows`` has the same periods, parties and data quality as the chart's data, only the data and the
    description are replaced; otherwise the chart is rebuilt with :func:`volume_chart` (with its
    default titles). ``chart`` itself is left unchanged.

    Examples
    --------
    >>> chart = volume_chart(volume_rows(["before", "after"], [0.42, 0.16], [1.0, 1.9], "illustrative"))
    >>> rows = volume_rows(["before", "after"], [0.42, 0.16], [1.0, 5.0], "illustrative")
    >>> refresh_volume_chart(chart, rows).data["volume_index"].tolist()[-1]
    5.0
    """
    old = chart.data
    same = (
        isinstance(old, pd.DataFrame)
        and not rows.empty
        and old[["period", "party", "quality"]].equals(rows[["period", "party", "quality"]])
    )
    if not same:
        return volume_chart(rows)
    return swap_data(chart, rows, _volume_description(rows))
