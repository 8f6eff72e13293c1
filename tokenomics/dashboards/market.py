"""The market lesson's dashboards: DeepSeek's fading share, and who serves its model.

- :func:`app_share_dashboard`: choose which reading of the article's app-share chart to draw
  (two outlets read the peak and May 2025 differently: readings A and B), show or hide the
  illustrative straight line, and toggle DeepSeek's rivals on the web-traffic chart. The readout
  gives the fall from peak to May for every chosen pair of readings
  (:func:`tokenomics.market.percent_change`); the traffic chart labels its own bars.
- :func:`who_serves_dashboard`: sliders for DeepSeek's share of its models' tokens before and
  after and for the growth of third-party volume; the readout gives the implied growth of
  DeepSeek's own volume (:func:`tokenomics.market.first_party_growth`) and the stacked chart
  draws both volumes.

Examples
--------
>>> board = who_serves_dashboard()
>>> board.sliders["third_party_growth"].value = 20.0   # as if a student moved the slider
>>> round(board.first_party_growth, 2)
5.26
"""

from __future__ import annotations

import itertools
import math

import ipywidgets as widgets
import pandas as pd

from tokenomics import data, market
from tokenomics.charts.market import (
    BOTH,
    app_share_rows,
    event_rows,
    reading_series,
    refresh_volume_chart,
    timeline_chart,
    volume_chart,
    volume_rows,
    web_traffic_chart,
)
from tokenomics.dashboards import BatchedControls, jupyter_chart, slider

APP_SHARE_TITLE = "DeepSeek's share of AI-app usage (%)"
APP_SHARE_Y = "share of AI-app usage, %"
APP_SHARE_SUBTITLE = (
    "rings: two outlets' readings (A, B) of the article's SensorTower chart, each drawn mid-month; "
    "dashed: illustrative"
)


def _reading_options(readings: pd.DataFrame, reading: str) -> list[tuple[str, str]]:
    rows = readings[readings["reading"] == reading]
    options = [
        (f"reading {r}: {q} {v:g}%", r)
        for r, q, v in rows[["reader", "qualifier", "share_pct"]].itertuples(index=False)
    ]
    return [(BOTH, BOTH), *options]


def _checkbox(site: str) -> widgets.Checkbox:
    return widgets.Checkbox(value=True, description=site, indent=False, layout=widgets.Layout(width="110px"))


class AppShareDashboard(BatchedControls, widgets.VBox):
    """App share and web traffic explorer: a ``VBox`` whose parts tests and notebooks can reach.

    Attributes
    ----------
    controls : dict of str to widget
        ``"peak_reading"`` and ``"may_reading"`` (Dropdowns: reading "A", "B" or both readings),
        ``"show_curve"`` (Checkbox: the illustrative straight line) and one Checkbox per rival
        site, keyed by its name (``"ChatGPT"``, ...).
    readout : HTML
        The fall from the peak to May for every chosen pair of readings.
    declines_pct : list of float
        The same falls, in percent (negative numbers).
    chart_widget : altair.JupyterChart
        The app-share timeline.
    traffic_widget : altair.JupyterChart
        The web-traffic bars.
    """

    def __init__(self):
        self.readings = data.load("app_market_share")
        self.curve = data.load("app_market_share_illustrative")
        self.traffic = data.load("web_traffic_change")
        self.events = event_rows(data.load("events"))
        self.series = ["illustrative straight line", *reading_series(self.readings).values()]
        rivals = [s for s in dict.fromkeys(self.traffic["site"]) if s != "DeepSeek"]
        wide = {"description_width": "150px"}
        self.controls = {
            "peak_reading": widgets.Dropdown(
                options=_reading_options(self.readings, "peak"),
                value=BOTH,
                description="peak reading",
                style=wide,
                layout=widgets.Layout(width="460px"),
            ),
            "may_reading": widgets.Dropdown(
                options=_reading_options(self.readings, "may_2025"),
                value=BOTH,
                description="May 2025 reading",
                style=wide,
                layout=widgets.Layout(width="460px"),
            ),
            "show_curve": widgets.Checkbox(
                value=True, description="illustrative straight line", indent=False
            ),
            **{site: _checkbox(site) for site in rivals},
        }
        self.rivals = rivals
        self.readout = widgets.HTML()
        self.declines_pct: list[float] = []
        self.chart_widget = jupyter_chart(self._app_chart())
        self.traffic_widget = jupyter_chart(web_traffic_chart(self.traffic, self.sites))
        self._update_readout()
        for control in self.controls.values():
            control.observe(self.guarded(self._on_change), names="value")
        super().__init__(
            [
                widgets.HBox([self.controls["peak_reading"], self.controls["may_reading"]]),
                self.controls["show_curve"],
                self.readout,
                self.chart_widget,
                widgets.HBox(
                    [widgets.Label("rivals on the traffic chart:"), *(self.controls[r] for r in rivals)]
                ),
                self.traffic_widget,
            ]
        )

    def __repr__(self) -> str:
        return (
            f"app share explorer (peak: {self.controls['peak_reading'].value}, "
            f"May: {self.controls['may_reading'].value}): run the notebook to use the controls"
        )

    @property
    def sites(self) -> list[str]:
        """DeepSeek and the rivals whose boxes are ticked, in the dataset's order."""
        return ["DeepSeek", *(r for r in self.rivals if self.controls[r].value)]

    def rows(self) -> pd.DataFrame:
        """The app-share timeline's rows for the current choices."""
        return app_share_rows(
            self.readings,
            self.curve if self.controls["show_curve"].value else None,
            peak_reading=self.controls["peak_reading"].value,
            may_reading=self.controls["may_reading"].value,
        )

    def _app_chart(self):
        return timeline_chart(
            self.rows(),
            self.events,
            title=APP_SHARE_TITLE,
            y_title=APP_SHARE_Y,
            subtitle=APP_SHARE_SUBTITLE,
            series=self.series,
        )

    def _on_change(self, change) -> None:
        self.update(traffic=change["owner"] in [self.controls[r] for r in self.rivals])

    def update(self, traffic: bool | None = None) -> None:
        """Redraw the readout and the charts for the current choices.

        ``traffic=True`` redraws only the web-traffic chart (a rival was toggled),
        ``traffic=False`` only the app-share chart; the default redraws both.
        """
        if traffic is not False:
            self.traffic_widget.chart = web_traffic_chart(self.traffic, self.sites)
        if traffic is not True:
            self.chart_widget.chart = self._app_chart()
        self._update_readout()

    def _chosen(self, reading: str, control: str) -> pd.DataFrame:
        rows = self.readings[self.readings["reading"] == reading]
        choice = self.controls[control].value
        return rows if choice == BOTH else rows[rows["reader"] == choice]

    def _update_readout(self) -> None:
        peaks = self._chosen("peak", "peak_reading")
        mays = self._chosen("may_2025", "may_reading")
        pairs = list(itertools.product(peaks.itertuples(index=False), mays.itertuples(index=False)))
        self.declines_pct = [market.percent_change(p.share_pct, m.share_pct) for p, m in pairs]
        lines = [
            f"{p.qualifier} {p.share_pct:g}% &rarr; {m.share_pct:g}%: <b>{d:+.1f}%</b>"
            + (" (the peak was higher, so the fall was larger)" if p.qualifier == "over" else "")
            for (p, m), d in zip(pairs, self.declines_pct, strict=True)
        ]
        self.readout.value = (
            "DeepSeek's app share, peak to May 2025 (chart-read, so approximate): " + " &middot; ".join(lines)
        )


def app_share_dashboard() -> AppShareDashboard:
    """DeepSeek's app share (choose the readings) and web traffic against its rivals.

    Returns
    -------
    AppShareDashboard
        A widget (display it as the last line of a cell) with ``.controls``, ``.readout``,
        ``.declines_pct``, ``.chart_widget`` and ``.traffic_widget``.
    """
    return AppShareDashboard()


def start_values() -> dict[str, float]:
    """Where the "who serves" sliders start, from the datasets' rows.

    DeepSeek's share in March and May 2025 (``first_party_token_share``, chart-read), and the
    growth of third-party usage from March to May on the illustrative straight line
    (``third_party_usage_illustrative``: May's index over March's).

    Examples
    --------
    >>> {k: round(v, 3) for k, v in start_values().items()}
    {'share_before_pct': 42.0, 'share_after_pct': 16.0, 'third_party_growth': 1.905}
    """
    shares = data.load("first_party_token_share").sort_values("month")
    usage = data.load("third_party_usage_illustrative").set_index("month")["usage_index"]
    before, after = shares["month"].iloc[0], shares["month"].iloc[-1]
    return {
        "share_before_pct": float(shares["share_pct"].iloc[0]),
        "share_after_pct": float(shares["share_pct"].iloc[-1]),
        "third_party_growth": market.growth_index(usage.loc[after], base=usage.loc[before]),
    }


def reported_third_party_growth() -> float:
    """The article's "nearly 20x" third-party growth since R1's launch (``third_party_growth``).

    Examples
    --------
    >>> reported_third_party_growth()
    20.0
    """
    return float(data.load("third_party_growth")["value"].iloc[0])


class WhoServesDashboard(BatchedControls, widgets.VBox):
    """Who serves DeepSeek's model: sliders, the implied first-party growth and stacked bars.

    Attributes
    ----------
    sliders : dict of str to FloatSlider
        ``"share_before_pct"`` (1-99%), ``"share_after_pct"`` (0-99%) and
        ``"third_party_growth"`` (0.1-30x).
    illustrative_button, reported_button : Button
        Set third-party growth to the illustrative March-to-May value or to the reported
        "nearly 20x" since R1's launch (a longer period).
    readout : HTML
        The implied growth of DeepSeek's own volume and the break-even third-party growth.
    first_party_growth, break_even_growth : float
        The same numbers (multiples).
    quality : str
        ``"derived"`` when every slider sits on a dataset's value, else ``"illustrative"``.
    chart_widget : altair.JupyterChart
        The stacked first-party/third-party bars (third-party volume before = 1).
    """

    def __init__(self):
        self.start = start_values()
        self.reported_growth = reported_third_party_growth()
        self.sliders = {
            "share_before_pct": slider(
                "DeepSeek's share before (March), %", self.start["share_before_pct"], 1, 99, 1, ".0f"
            ),
            "share_after_pct": slider(
                "DeepSeek's share after (May), %", self.start["share_after_pct"], 0, 99, 1, ".0f"
            ),
            "third_party_growth": slider(
                "third-party growth over the period, x",
                self.start["third_party_growth"],
                0.1,
                30,
                0.01,
                ".2f",
            ),
        }
        self.illustrative_button = widgets.Button(
            description=f"illustrative Mar-May: {self.start['third_party_growth']:.2f}x",
            tooltip="May's index over March's on the illustrative straight line to 'nearly 20x'",
            layout=widgets.Layout(width="260px"),
        )
        self.reported_button = widgets.Button(
            description=f"reported since R1's launch: {self.reported_growth:g}x",
            tooltip="'nearly 20x' from January 2025, a longer period than March to May",
            layout=widgets.Layout(width="260px"),
        )
        self.illustrative_button.on_click(lambda _: self._set_growth(self.start["third_party_growth"]))
        self.reported_button.on_click(lambda _: self._set_growth(self.reported_growth))
        self.readout = widgets.HTML()
        self.first_party_growth = float("nan")
        self.break_even_growth = float("nan")
        self.quality = "illustrative"
        self._compute()
        self.chart_widget = jupyter_chart(volume_chart(self.rows()))
        for control in self.sliders.values():
            control.observe(self.guarded(self._on_slider), names="value")
        super().__init__(
            [
                *self.sliders.values(),
                widgets.HBox([self.illustrative_button, self.reported_button]),
                self.readout,
                self.chart_widget,
            ]
        )

    def __repr__(self) -> str:
        return (
            f"who serves DeepSeek's model (share {self.share_before:.0%} -> {self.share_after:.0%}, "
            f"third-party growth {self.third_party_growth:.2f}x): run the notebook to use the sliders"
        )

    @property
    def share_before(self) -> float:
        """DeepSeek's share before, a fraction."""
        return float(self.sliders["share_before_pct"].value) / 100

    @property
    def share_after(self) -> float:
        """DeepSeek's share after, a fraction."""
        return float(self.sliders["share_after_pct"].value) / 100

    @property
    def third_party_growth(self) -> float:
        """Third-party volume after / before."""
        return float(self.sliders["third_party_growth"].value)

    def _set_growth(self, growth: float) -> None:
        self.sliders["third_party_growth"].value = growth

    def on_reported_growth(self) -> bool:
        """True when the growth slider sits on the reported 20x, to within half a slider step.

        A slider stores min + k x step, so 20 set on a 0.1-30 slider with step 0.01 reads back as
        19.999999999999996: an exact comparison would fail.
        """
        step = self.sliders["third_party_growth"].step
        return math.isclose(self.third_party_growth, self.reported_growth, rel_tol=0, abs_tol=step / 2)

    def _on_slider(self, change) -> None:
        self.update()

    def rows(self) -> pd.DataFrame:
        """The stacked chart's rows: third-party volume 1 before and ``g`` after."""
        return volume_rows(
            ["before (March)", "after (May)"],
            [self.share_before, self.share_after],
            [1.0, self.third_party_growth],
            self.quality,
        )

    def _compute(self) -> None:
        on_reported = self.on_reported_growth()
        s0, s1 = self.share_before, self.share_after
        g = self.reported_growth if on_reported else self.third_party_growth
        self.first_party_growth = market.first_party_growth(s0, s1, g)
        self.break_even_growth = market.break_even_third_party_growth(s0, s1) if s1 > 0 else float("inf")
        on_data = (
            self.sliders["share_before_pct"].value == self.start["share_before_pct"]
            and self.sliders["share_after_pct"].value == self.start["share_after_pct"]
            and on_reported
        )
        self.quality = "derived" if on_data else "illustrative"
        change = market.percent_change(1.0, self.first_party_growth)
        verdict = (
            "grew" if self.first_party_growth > 1 else "shrank" if self.first_party_growth < 1 else "held"
        )
        break_even = "never (share after is 0)" if s1 == 0 else f"{self.break_even_growth:.2f}x"
        note = (
            "<br><small>The 20x runs from R1's launch in January, the shares from March: if third-party "
            "usage in March was at least January's, this is an upper bound.</small>"
            if on_reported
            else ""
        )
        self.readout.value = (
            f"DeepSeek's own token volume {verdict}: <b>x{self.first_party_growth:.2f}</b> ({change:+.0f}%) "
            f"&middot; third-party growth needed to keep it unchanged: <b>{break_even}</b> "
            f"&middot; data quality: <b>{self.quality}</b>{note}"
        )

    def update(self) -> None:
        """Recompute the implied volumes from the sliders; redraw readout and chart."""
        self._compute()
        self.chart_widget.chart = refresh_volume_chart(self.chart_widget.chart, self.rows())


def who_serves_dashboard() -> WhoServesDashboard:
    """Sliders for DeepSeek's share before and after and third-party growth, and the stacked bars.

    Returns
    -------
    WhoServesDashboard
        A widget (display it as the last line of a cell) with ``.sliders``, ``.readout``,
        ``.first_party_growth``, ``.break_even_growth``, ``.quality`` and ``.chart_widget``.
    """
    return WhoServesDashboard()
