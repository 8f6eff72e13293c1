"""Compute for AGI: DeepSeek's published day, and a fleet split between users and research.

- :func:`deepseek_day_dashboard`: an hour slider over DeepSeek's published day; the chart shows
  the node step curve with the nodes freed for research and the hourly income, and the readout
  the nodes serving, the nodes freed and the research node-hours so far.
- :func:`fleet_split_dashboard`: the fleet a lab wants, an export-control cap, the speed each
  user is served at and the share of demand the lab chooses to serve; the readout gives
  research GPU-hours, serving cost, theoretical revenue, the cost profit margin and the demand
  left to other hosts of the open weights (:func:`tokenomics.strategy.plan_day`).

Examples
--------
>>> board = fleet_split_dashboard()
>>> board.sliders["tokens_per_s_per_user"].value = 45   # as if a student moved the slider
>>> round(board.plan.decode_tokens_per_s_per_node) < 14_800
True
>>> day = deepseek_day_dashboard()
>>> day.sliders["hour"].value = 16
>>> day.freed_nodes
210.0
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np

from tokenomics import data, strategy
from tokenomics.charts.strategy import (
    clock_labels,
    day_chart,
    day_data,
    fleet_chart,
    fleet_data,
    refresh_day_chart,
    refresh_fleet_chart,
)
from tokenomics.dashboards import BatchedControls, FloatSlider, IntSlider, jupyter_chart

WIDE = {"description_width": "250px"}
LAYOUT = widgets.Layout(width="600px")


def _node_curve() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    curve = data.load("deepseek_day_nodes")
    return (
        curve["start_hours_after_noon"].to_numpy(float),
        curve["end_hours_after_noon"].to_numpy(float),
        curve["nodes"].to_numpy(float),
    )


class DeepSeekDayDashboard(BatchedControls, widgets.VBox):
    """DeepSeek's published day with an hour slider: a ``VBox`` whose parts tests can reach.

    Attributes
    ----------
    sliders : dict of str to SelectionSlider
        ``"hour"``: hours after noon, 0-23, labelled with the local time.
    readout : HTML
        Nodes serving and freed in that hour, its income, research node-hours so far.
    chart_widget : altair.JupyterChart
        :func:`tokenomics.charts.strategy.day_chart`; its ``.chart`` is replaced on every update.
    serving_nodes, freed_nodes, research_node_hours_so_far : float
        The readout's numbers: mean nodes serving in the hour, peak minus that, and research
        node-hours from noon to the end of the hour.
    """

    def __init__(self, hour: int = 16):
        start, end, nodes = _node_curve()
        self.peak_nodes = float(nodes.max())
        self.hourly_nodes = strategy.hourly_mean_nodes(start, end, nodes)
        self.income = (
            data.load("deepseek_day_income")
            .sort_values("hours_after_noon")["income_thousand_usd"]
            .to_numpy(float)
        )
        self.day_research_node_hours = strategy.research_node_hours(self.peak_nodes, self.hourly_nodes)
        options = list(zip(clock_labels(np.arange(24)), range(24), strict=True))
        self.sliders = {
            "hour": widgets.SelectionSlider(
                options=options,
                value=int(hour),
                description="hour (local time, UTC+8)",
                style=WIDE,
                layout=LAYOUT,
            )
        }
        self.readout = widgets.HTML()
        self.chart_widget = jupyter_chart(day_chart(day_data(int(hour))))
        self._update_readout()
        self.sliders["hour"].observe(self._on_change, names="value")
        super().__init__([self.sliders["hour"], self.readout, self.chart_widget])

    def __repr__(self) -> str:
        hour = clock_labels([self.hour])[0]
        return f"DeepSeek day dashboard (hour {hour}): run the notebook to use the slider"

    @property
    def hour(self) -> int:
        """The selected hour, counted from noon."""
        return int(self.sliders["hour"].value)

    def _compute(self) -> None:
        """Recompute the readout for the selected hour (no redraw)."""
        self._update_readout()

    def update(self) -> None:
        """Recompute the readout for the selected hour and redraw the chart's data."""
        self._compute()
        self.chart_widget.chart = refresh_day_chart(self.chart_widget.chart, day_data(self.hour))

    def _update_readout(self) -> None:
        hour = self.hour
        self.serving_nodes = float(self.hourly_nodes[hour])
        self.freed_nodes = self.peak_nodes - self.serving_nodes
        self.research_node_hours_so_far = strategy.research_node_hours(
            self.peak_nodes, self.hourly_nodes[: hour + 1]
        )
        clock = clock_labels([hour, hour + 1])
        self.readout.value = (
            f"{clock[0]}-{clock[1]}: <b>{self.serving_nodes:.1f}</b> nodes serving users on average, "
            f"<b>{self.freed_nodes:.1f}</b> of {self.peak_nodes:.0f} freed for research "
            f"({self.freed_nodes / self.peak_nodes:.0%}); theoretical income "
            f"<b>${self.income[hour]:.1f}K</b> (chart-read).<br>"
            f"Research node-hours from 12:00 to {clock[1]}: <b>{self.research_node_hours_so_far:,.0f}</b> "
            f"of {self.day_research_node_hours:,.0f} in the whole day "
            f"({8 * self.day_research_node_hours:,.0f} H800 GPU-hours)."
        )


def deepseek_day_dashboard(hour: int = 16) -> DeepSeekDayDashboard:
    """An hour slider over DeepSeek's published day, with the node curve and the hourly income.

    Parameters
    ----------
    hour : int
        Hour after noon to start at, 0-23 (default 16, i.e. 04:00).

    Returns
    -------
    DeepSeekDayDashboard
    """
    return DeepSeekDayDashboard(hour)


class FleetSplitDashboard(BatchedControls, widgets.VBox):
    """Split a fleet between users and research through DeepSeek's day: a ``VBox`` tests can reach.

    Attributes
    ----------
    sliders : dict of str to widget
        ``"wanted_nodes"`` (50-600), ``"export_cap_nodes"`` (50-600, illustrative),
        ``"tokens_per_s_per_user"`` (15-100 tokens/s) and ``"served_share_pct"`` (0-100%).
    cap_checkbox : Checkbox
        Whether the export-control cap applies.
    readout : HTML
        Fleet, throughput, research GPU-hours, cost, revenue, margin, demand left to others.
    chart_widget : altair.JupyterChart
        :func:`tokenomics.charts.strategy.fleet_chart`; its ``.chart`` is replaced on every update.
    plan : tokenomics.strategy.DayPlan
        The latest result of :func:`tokenomics.strategy.plan_day`.
    """

    def __init__(
        self,
        wanted_nodes: int = 278,
        tokens_per_s_per_user: float = 21.0,
        served_share_pct: int = 100,
        export_cap_nodes: int = 200,
        cap: bool = False,
    ):
        start, end, nodes = _node_curve()
        self.actual_nodes = strategy.hourly_mean_nodes(start, end, nodes)
        self.published_peak = float(nodes.max())
        low, high = strategy.speed_range_tokens_per_s()
        self.sliders = {
            "wanted_nodes": IntSlider(
                value=wanted_nodes,
                min=50,
                max=600,
                step=2,
                description="fleet wanted, nodes",
                style=WIDE,
                layout=LAYOUT,
            ),
            "export_cap_nodes": IntSlider(
                value=export_cap_nodes,
                min=50,
                max=600,
                step=2,
                description="export cap, nodes (illustrative)",
                style=WIDE,
                layout=LAYOUT,
            ),
            "tokens_per_s_per_user": FloatSlider(
                value=tokens_per_s_per_user,
                min=float(np.ceil(low + 1)),
                max=min(100.0, high),
                step=1.0,
                description="speed per user, tokens/s",
                style=WIDE,
                layout=LAYOUT,
                readout_format=".0f",
            ),
            "served_share_pct": IntSlider(
                value=served_share_pct,
                min=0,
                max=100,
                step=5,
                description="share of demand served, %",
                style=WIDE,
                layout=LAYOUT,
            ),
        }
        self.cap_checkbox = widgets.Checkbox(
            value=cap, description="apply the export-control cap", indent=False
        )
        self.readout = widgets.HTML()
        self.plan = self._plan()
        self.chart_widget = jupyter_chart(fleet_chart(self._rows()))
        self._update_readout()
        for control in [*self.sliders.values(), self.cap_checkbox]:
            control.observe(self._on_change, names="value")
        super().__init__(
            [
                self.sliders["wanted_nodes"],
                widgets.HBox([self.cap_checkbox]),
                self.sliders["export_cap_nodes"],
                self.sliders["tokens_per_s_per_user"],
                self.sliders["served_share_pct"],
                self.readout,
                self.chart_widget,
            ]
        )

    def __repr__(self) -> str:
        return (
            f"fleet split dashboard ({self.plan.fleet_nodes:.0f} nodes, "
            f"{self.sliders['tokens_per_s_per_user'].value:.0f} tokens/s per user): "
            "run the notebook to use it"
        )

    def _plan(self) -> strategy.DayPlan:
        cap = float(self.sliders["export_cap_nodes"].value) if self.cap_checkbox.value else np.inf
        return strategy.plan_day(
            wanted_nodes=self.sliders["wanted_nodes"].value,
            tokens_per_s_per_user=self.sliders["tokens_per_s_per_user"].value,
            served_share=self.sliders["served_share_pct"].value / 100,
            export_cap_nodes=cap,
        )

    def _rows(self):
        is_deepseek = self.plan.fleet_nodes == self.published_peak
        return fleet_data(
            self.plan.split,
            self.plan.tokens_per_s_per_node,
            self.actual_nodes,
            fleet_quality="reported" if is_deepseek else "illustrative",
        )

    def _compute(self) -> None:
        """Rerun :func:`tokenomics.strategy.plan_day` with the controls; update the readout (no redraw)."""
        self.plan = self._plan()
        self._update_readout()

    def update(self) -> None:
        """Rerun :func:`tokenomics.strategy.plan_day` with the controls; redraw readout and chart."""
        self._compute()
        self.chart_widget.chart = refresh_fleet_chart(self.chart_widget.chart, self._rows())

    def _update_readout(self) -> None:
        plan = self.plan
        margin = (
            "n/a (nothing served)" if plan.cost_profit_margin is None else f"{plan.cost_profit_margin:.0%}"
        )
        capped = " (capped by export controls)" if plan.capped else ""
        lines = [
            f"Fleet: <b>{plan.fleet_nodes:.0f}</b> nodes{html.escape(capped)}; a decode node makes "
            f"<b>{plan.decode_tokens_per_s_per_node:,.0f}</b> output tokens/s, a serving node "
            f"(prefill counted) <b>{plan.tokens_per_s_per_node:,.0f}</b>.",
            f"Research: <b>{plan.research_gpu_hours:,.0f}</b> H800 GPU-hours a day; serving: "
            f"<b>{plan.split.serving_node_hours / 24:,.1f}</b> nodes on average.",
            f"Serving cost <b>${plan.serving_cost_usd:,.0f}</b>, theoretical revenue "
            f"<b>${plan.revenue_usd:,.0f}</b>, cost profit margin <b>{margin}</b>.",
            f"Left to other hosts of the open weights: <b>{plan.split.unserved_share:.1%}</b> of demand, "
            f"<b>{plan.split.unserved_tokens / 1e9:,.1f}B</b> output tokens a day.",
        ]
        self.readout.value = "<br>".join(lines)


def fleet_split_dashboard(
    wanted_nodes: int = 278,
    tokens_per_s_per_user: float = 21.0,
    served_share_pct: int = 100,
    export_cap_nodes: int = 200,
    cap: bool = False,
) -> FleetSplitDashboard:
    """Controls for a fleet split through DeepSeek's day, its readout and chart.

    Parameters
    ----------
    wanted_nodes : int
        Nodes the lab would like (default 278, DeepSeek's published peak).
    tokens_per_s_per_user : float
        Speed each user is served at (default 21, the middle of DeepSeek's published 20-22).
    served_share_pct : int
        Share of demand served, percent (default 100).
    export_cap_nodes : int
        The export-control cap, nodes; an illustrative value (default 200).
    cap : bool
        Whether the cap applies at the start (default False).

    Returns
    -------
    FleetSplitDashboard
    """
    return FleetSplitDashboard(wanted_nodes, tokens_per_s_per_user, served_share_pct, export_cap_nodes, cap)
