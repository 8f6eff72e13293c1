"""Latency and context trade-offs: who qualifies for a user's needs, and how the blend ranks hosts.

- :func:`qualify_dashboard`: a budget, a latency tolerance, a minimum context, the blend ratio
  and which latency DeepSeek's own API gets (measured on 2025-06-27, or the "at least 25 s"
  derived from the article); the hosts of DeepSeek-R1 that meet all three requirements are
  highlighted on the price vs context chart (:func:`tokenomics.charts.providers.qualify_chart`),
  with a readout of who qualifies, who is cheapest and why DeepSeek's own API does or does not.
- :func:`ranking_dashboard`: the input:output ratio of the blend and the time of day; the host
  listings ranked by blended price (:func:`tokenomics.charts.providers.ranking_chart`). Routers
  (OpenRouter) are left out; DeepSeek's off-peak price is its own API at night.

Examples
--------
>>> board = qualify_dashboard()
>>> board.controls["deepseek_latency"].value = "article"   # as if a student picked it
>>> "DeepSeek" in board.qualifying
False
>>> board.controls["max_latency_s"].value = 25.0
>>> "DeepSeek" in board.qualifying
True
>>> ranking = ranking_dashboard()
>>> ranking.controls["time_of_day"].value = "night"
>>> ranking.rank_of("DeepSeek")
1
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from tokenomics import data
from tokenomics.charts.providers import (
    deepseek_latency_gap_s,
    host_rows,
    listing_status,
    provider_rows,
    qualify_chart,
    ranking_chart,
    refresh_qualify_chart,
    refresh_ranking_chart,
)
from tokenomics.dashboards import BatchedControls, jupyter_chart, slider

CONTEXT_OPTIONS = (("any", 0), ("32K", 32_768), ("64K", 64_000), ("128K", 128_000), ("160K", 160_000))
"""Choices of the minimum context window, tokens (64K is DeepSeek's own)."""

DEEPSEEK_LATENCY_OPTIONS = (
    ("measured by OpenRouter, 2025-06-27", "measured"),
    ("at least 25 s: derived from the article", "article"),
)
"""Which latency DeepSeek's own API gets on the qualify dashboard."""


def reported_azure_multiple() -> float:
    """Azure's R1 price as a multiple of DeepSeek's own, as the article reports it (May 2025).

    Examples
    --------
    >>> reported_azure_multiple()
    2.5
    """
    table = data.load("article_comparisons").set_index("id")
    return float(table.loc["azure_price_vs_deepseek", "value_low"])


def _checkbox(description: str, value: bool = True) -> widgets.Checkbox:
    return widgets.Checkbox(value=value, description=description, indent=False)


def _listings(providers: pd.DataFrame, include_unverified: bool) -> pd.DataFrame:
    """The listings a dashboard shows: all, or only the mid-2025 prices checked at their source."""
    keep = pd.Series(True, index=providers.index)
    if not include_unverified:
        status = [listing_status(n, d) for n, d in zip(providers["note"], providers["date"], strict=True)]
        keep &= pd.Series(status, index=providers.index) == "mid-2025"
    return providers[keep].reset_index(drop=True)


def _why_not(row: dict) -> str:
    reasons = []
    if row["blended_usd_per_mtok"] > row["budget_usd_per_mtok"]:
        reasons.append("over budget")
    if row["latency_s"] > row["max_latency_s"]:
        reasons.append(f"too slow to the first token ({row['latency_s']:.3g} s, {row['latency_quality']})")
    if row["context_k"] < row["min_context_k"]:
        reasons.append("context too small")
    return ", ".join(reasons)


class QualifyDashboard(BatchedControls, widgets.VBox):
    """Who qualifies: a ``VBox`` whose controls, readout and chart tests and notebooks can reach.

    Attributes
    ----------
    controls : dict of str to widget
        ``"budget_usd_per_mtok"`` (0.1-6 $/Mtok blended), ``"max_latency_s"`` (0.5-40 s),
        ``"min_context_tokens"`` (a dropdown of :data:`CONTEXT_OPTIONS`), ``"ratio"`` (input
        tokens per output token, 0-10) and ``"deepseek_latency"`` (a dropdown of
        :data:`DEEPSEEK_LATENCY_OPTIONS`).
    readout : HTML
        Who qualifies, the cheapest of them and DeepSeek's own API's verdict.
    rows : DataFrame
        The latest :func:`tokenomics.charts.providers.host_rows`.
    qualifying : list of str
        Hosts that meet all three requirements, cheapest first.
    cheapest : str or None
        The cheapest qualifying host.
    chart_widget : altair.JupyterChart
        The qualify chart; its ``.chart`` is replaced on every update.
    """

    def __init__(self, snapshot: pd.DataFrame | None = None):
        self.snapshot = (data.load("r1_host_latency") if snapshot is None else snapshot).copy()
        self.controls = {
            "budget_usd_per_mtok": slider("budget, $ per million tokens (blended)", 2.5, 0.1, 6.0, 0.05),
            "max_latency_s": slider("latency you tolerate, s", 10.0, 0.5, 40.0, 0.5, ".1f"),
            "min_context_tokens": widgets.Dropdown(
                options=list(CONTEXT_OPTIONS),
                value=64_000,
                description="context you need",
                style={"description_width": "260px"},
                layout=widgets.Layout(width="420px"),
            ),
            "ratio": slider("input tokens per output token", 3.0, 0.0, 10.0, 0.5, ".1f"),
            "deepseek_latency": widgets.Dropdown(
                options=list(DEEPSEEK_LATENCY_OPTIONS),
                value="measured",
                description="DeepSeek's latency",
                style={"description_width": "260px"},
                layout=widgets.Layout(width="560px"),
            ),
        }
        self.readout = widgets.HTML()
        self.gap_s = deepseek_latency_gap_s()
        self.qualifying: list[str] = []
        self.cheapest: str | None = None
        self.rows = self._rows()
        self._update_readout()
        self.chart_widget = jupyter_chart(qualify_chart(self.rows))
        for control in self.controls.values():
            control.observe(self.guarded(self._on_change), names="value")
        super().__init__([*self.controls.values(), self.readout, self.chart_widget])

    def __repr__(self) -> str:
        c = self.controls
        return (
            f"who qualifies (budget ${c['budget_usd_per_mtok'].value:.2f}, latency <= "
            f"{c['max_latency_s'].value:g} s, context >= {c['min_context_tokens'].value:,} tokens): "
            "run the notebook to use the controls"
        )

    def _rows(self) -> pd.DataFrame:
        c = self.controls
        return host_rows(
            self.snapshot,
            float(c["ratio"].value),
            budget_usd_per_mtok=float(c["budget_usd_per_mtok"].value),
            max_latency_s=float(c["max_latency_s"].value),
            min_context_tokens=float(c["min_context_tokens"].value),
            deepseek_latency_s=self.gap_s if c["deepseek_latency"].value == "article" else None,
        )

    def _compute(self) -> None:
        """Recompute who qualifies from the controls; update the readout (no redraw)."""
        self.rows = self._rows()
        self._update_readout()

    def update(self) -> None:
        """Recompute who qualifies from the controls; redraw readout and chart."""
        self._compute()
        self.chart_widget.chart = refresh_qualify_chart(self.chart_widget.chart, self.rows)

    def _update_readout(self) -> None:
        rows = self.rows.sort_values(["blended_usd_per_mtok", "host"])
        ok = rows[rows["status"] == "qualifies"]
        self.qualifying = ok["host"].tolist()
        best = rows[rows["cheapest"]]  # the same host the chart labels (ties go to the first listed)
        self.cheapest = str(best["host"].iloc[0]) if len(best) else None
        if self.cheapest is None:
            verdict = "<b>no host qualifies</b>: loosen a requirement"
        else:
            verdict = (
                f"cheapest: <b>{html.escape(self.cheapest)}</b> at <b>{best['price_text'].iloc[0]}</b> per "
                "million tokens"
            )
        deepseek = []
        for row in rows[rows["provider"] == "DeepSeek"].to_dict("records"):
            why = _why_not(row)
            state = "qualifies" if not why else f"does not qualify ({why})"
            deepseek.append(f"DeepSeek's own API, {row['price_text']}: {state}")
        names = ", ".join(html.escape(h) for h in self.qualifying) or "none"
        self.readout.value = (
            f"<b>{len(ok)} of {len(rows)}</b> hosts qualify: {names}<br>{verdict}<br>"
            + "<br>".join(deepseek)
            + "<br><small>Prices, context windows and latencies: OpenRouter's listing and medians of "
            f"{rows['date'].iloc[0]} (reported). DeepSeek's 'at least {self.gap_s:g} s' is derived from the "
            "article's sentence, which gives no month.</small>"
        )


def qualify_dashboard(snapshot: pd.DataFrame | None = None) -> QualifyDashboard:
    """Budget, latency tolerance, minimum context, blend and DeepSeek's latency; who qualifies.

    Parameters
    ----------
    snapshot : DataFrame, optional
        Rows shaped like the ``r1_host_latency`` dataset (default: that dataset).

    Returns
    -------
    QualifyDashboard
        A widget (display it as the last line of a cell) with ``.controls``, ``.readout``,
        ``.rows``, ``.qualifying``, ``.cheapest`` and ``.chart_widget``.
    """
    return QualifyDashboard(snapshot)


class RankingDashboard(BatchedControls, widgets.VBox):
    """The blend and the ranking: a ``VBox`` whose controls, readout and chart tests can reach.

    Attributes
    ----------
    controls : dict of str to widget
        ``"ratio"`` (input tokens per output token, 0-10), ``"time_of_day"`` ("day", or "night"
        for DeepSeek's off-peak price) and ``"include_unverified"`` (unverified and late-2025
        listings).
    readout : HTML
        Where DeepSeek's listings rank, the cheapest listing, Azure's price over DeepSeek's.
    rows : DataFrame
        The latest :func:`tokenomics.charts.providers.provider_rows`, with ``rank``.
    chart_widget : altair.JupyterChart
        The ranking chart; its ``.chart`` is replaced on every update.
    """

    def __init__(self, providers: pd.DataFrame | None = None):
        self.providers = (data.load("r1_providers") if providers is None else providers).copy()
        self.controls = {
            "ratio": slider("input tokens per output token", 3.0, 0.0, 10.0, 0.25),
            "time_of_day": widgets.ToggleButtons(
                options=[("by day", "day"), ("at night (16:30-00:30 UTC)", "night")],
                value="day",
                description="DeepSeek's price",
                style={"description_width": "initial", "button_width": "200px"},
            ),
            "include_unverified": _checkbox("include unverified and late-2025 listings"),
        }
        self.readout = widgets.HTML()
        self.azure_multiple = reported_azure_multiple()
        self.rows = self._rows()
        self._update_readout()
        self.chart_widget = jupyter_chart(ranking_chart(self.rows))
        for control in self.controls.values():
            control.observe(self.guarded(self._on_change), names="value")
        super().__init__([*self.controls.values(), self.readout, self.chart_widget])

    def __repr__(self) -> str:
        return (
            f"R1 hosts ranked by blended price at {self.controls['ratio'].value:g} input tokens per "
            "output token: run the notebook to use the controls"
        )

    def _rows(self) -> pd.DataFrame:
        c = self.controls
        listings = _listings(self.providers, c["include_unverified"].value)
        return provider_rows(listings, float(c["ratio"].value), time_of_day=c["time_of_day"].value)

    def rank_of(self, host: str) -> int:
        """The rank (1 = cheapest) of ``host`` at the current blend."""
        return int(self.rows.set_index("host").loc[host, "rank"])

    def _compute(self) -> None:
        """Blend the prices at the chosen ratio; update the readout (no redraw)."""
        self.rows = self._rows()
        self._update_readout()

    def update(self) -> None:
        """Blend the prices at the chosen ratio; redraw readout and chart."""
        self._compute()
        self.chart_widget.chart = refresh_ranking_chart(self.chart_widget.chart, self.rows)

    def _update_readout(self) -> None:
        rows = self.rows.sort_values(["blended_usd_per_mtok", "host"])
        prices = dict(zip(rows["host"], rows["blended_usd_per_mtok"], strict=True))
        ranks = dict(zip(rows["host"], rows["rank"], strict=True))
        when = "at night" if self.controls["time_of_day"].value == "night" else "by day"
        parts = [
            f"DeepSeek {when}: rank <b>{ranks[h]} of {len(rows)}</b> at ${prices[h]:.2f}"
            for h in rows.loc[rows["provider"] == "DeepSeek", "host"]
        ]
        cheapest = rows["host"].iloc[0]
        parts.append(f"cheapest: <b>{html.escape(cheapest)}</b> at ${prices[cheapest]:.2f}")
        if {"Azure", "DeepSeek"} <= set(prices):
            multiple = prices["Azure"] / prices["DeepSeek"]
            parts.append(f"Azure / DeepSeek: <b>{multiple:.2f}x</b> (article: {self.azure_multiple:g}x)")
        self.readout.value = (
            f"At {self.controls['ratio'].value:g} input tokens per output token: " + " &middot; ".join(parts)
        )


def ranking_dashboard(providers: pd.DataFrame | None = None) -> RankingDashboard:
    """A slider for the input:output ratio of the blend and the host listings ranked by blended price.

    Parameters
    ----------
    providers : DataFrame, optional
        Rows shaped like the ``r1_providers`` dataset (default: that dataset).

    Returns
    -------
    RankingDashboard
        A widget (display it as the last line of a cell) with ``.controls``, ``.readout``,
        ``.rows``, ``.rank_of(host)`` and ``.chart_widget``.
    """
    return RankingDashboard(providers)
