"""Does the batching model match reality? Move its efficiency factors and watch the errors.

:func:`calibration_dashboard` shows three sliders (MFU, MBU, per-step overhead; the other
fitted factors stay at the starting efficiency's), buttons for the pure roofline and the kit's
defaults, the median |error| on three groups of published measurements, and the residual
chart (:func:`tokenomics.charts.calibration.residual_chart`). Every move of
a slider reruns :func:`tokenomics.calibration.predict` on the measurements and redraws the chart.

Examples
--------
>>> from tokenomics import calibration
>>> board = calibration_dashboard()
>>> board.sliders["mbu"].value = 1.0      # as if a student moved the slider
>>> board.efficiency.mbu
1.0
>>> board.roofline_button.click()
>>> board.efficiency == calibration.ROOFLINE
True
"""

from __future__ import annotations

import dataclasses
import html
import math

import ipywidgets as widgets
import pandas as pd

from tokenomics import calibration, data
from tokenomics.calibration import Efficiency
from tokenomics.charts.calibration import refresh_residual_chart, residual_chart
from tokenomics.dashboards import BatchedControls, jupyter_chart, slider


def peer_error_range() -> str:
    """The peer estimator's median |error| on the nine small-model points, as "low-high%".

    From the ``peer_model_errors`` dataset (llm-analysis 0.2.2 with two efficiency settings).

    Examples
    --------
    >>> peer_error_range()
    '28-31%'
    """
    errors = data.load("peer_model_errors")["median_abs_error_pct"]
    return f"{errors.min():.0f}-{errors.max():.0f}%"


def _calibration_slider(description: str, value: float, low: float, high: float, step: float, fmt: str):
    # Start on the slider's own grid: the browser's slider will not step off a value between
    # two of its steps (a fitted 0.779 stays put when a student presses PageUp).
    on_grid = low + round((value - low) / step) * step
    return slider(
        description, round(on_grid, 6), low, high, step, fmt, description_width="210px", width="560px"
    )


def groups(table: pd.DataFrame) -> tuple:
    """The groups whose median |error| the readout shows, with the selection passed to
    :func:`tokenomics.calibration.median_abs_error`: the nine small-model points, every predicted
    point, and the mixture-of-experts points among them.

    Examples
    --------
    >>> [name for name, _ in groups(calibration.predict())]
    ['nine small-model points', 'all predicted points', 'mixture-of-experts points']
    """
    moe = table["model"].map(lambda name: calibration.model_is_moe(name))
    return (
        ("nine small-model points", {"ids": calibration.SMALL_MODEL_POINTS}),
        ("all predicted points", {"split": "fit"}),
        ("mixture-of-experts points", {"ids": list(table.loc[moe, "id"]), "split": "fit"}),
    )


class CalibrationDashboard(BatchedControls, widgets.VBox):
    """The calibration dashboard: a ``VBox`` whose parts tests and notebooks can reach.

    Parameters
    ----------
    measurements : DataFrame, optional
        Rows shaped like the ``serving_measurements`` dataset (default: that dataset).
    efficiency : Efficiency
        Where the sliders start (default: the kit's defaults).

    Attributes
    ----------
    sliders : dict of str to FloatSlider
        ``"mfu"`` (0.3-1), ``"mbu"`` (0.5-1) and ``"step_overhead_ms"`` (0-10 ms).
    roofline_button, defaults_button : Button
        Set the sliders to the pure roofline (1, 1, 0 ms) or to the kit's defaults.
    readout : HTML
        The median |error| on each group of :data:`GROUPS`.
    medians : dict of str to float
        The same numbers as fractions (NaN where a group has no predicted row).
    chart_widget : altair.JupyterChart
        The residual chart; its ``.chart`` is replaced on every update.
    table : DataFrame
        The latest :func:`tokenomics.calibration.predict` result.
    """

    def __init__(
        self, measurements: pd.DataFrame | None = None, efficiency: Efficiency = calibration.DEFAULT
    ):
        self.measurements = (
            data.load("serving_measurements") if measurements is None else measurements
        ).copy()
        self.fixed = efficiency  # the factors without a slider are taken from here
        self.sliders = {
            "mfu": _calibration_slider("MFU: share of peak FLOP/s", efficiency.mfu, 0.3, 1.0, 0.01, ".2f"),
            "mbu": _calibration_slider("MBU: share of peak bandwidth", efficiency.mbu, 0.5, 1.0, 0.01, ".2f"),
            "step_overhead_ms": _calibration_slider(
                "overhead per step, ms", 1e3 * efficiency.step_overhead_s, 0.0, 10.0, 0.1, ".1f"
            ),
        }
        self.roofline_button = widgets.Button(
            description="pure roofline", tooltip="MFU 1, MBU 1, no overhead: every chip at its peak"
        )
        self.defaults_button = widgets.Button(
            description="kit defaults", tooltip="the efficiencies fitted on every predictable measurement"
        )
        self.roofline_button.on_click(lambda _: self.set_efficiency(calibration.ROOFLINE))
        self.defaults_button.on_click(lambda _: self.set_efficiency(calibration.DEFAULT))
        self.readout = widgets.HTML()
        self.medians: dict[str, float] = {}
        self.table = calibration.predict(self.measurements, self.efficiency)
        self.groups = groups(self.table)
        self.chart_widget = jupyter_chart(residual_chart(self.table))
        self._update_readout()
        for control in self.sliders.values():
            control.observe(self._on_change, names="value")
        super().__init__(
            [
                *self.sliders.values(),
                widgets.HBox([self.roofline_button, self.defaults_button]),
                self.readout,
                self.chart_widget,
            ]
        )

    def __repr__(self) -> str:
        e = self.efficiency
        return (
            f"calibration dashboard (MFU {e.mfu:.2f}, MBU {e.mbu:.2f}, "
            f"overhead {1e3 * e.step_overhead_s:.1f} ms per step): run the notebook to use the sliders"
        )

    @property
    def efficiency(self) -> Efficiency:
        """The efficiency factors the sliders show."""
        return dataclasses.replace(
            self.fixed,
            mfu=float(self.sliders["mfu"].value),
            mbu=float(self.sliders["mbu"].value),
            step_overhead_s=round(float(self.sliders["step_overhead_ms"].value) / 1e3, 7),
        )

    def set_efficiency(self, efficiency: Efficiency) -> None:
        """Move all three sliders at once (the other factors follow), then redraw once."""
        self.fixed = efficiency
        self.set_values(
            mfu=efficiency.mfu, mbu=efficiency.mbu, step_overhead_ms=1e3 * efficiency.step_overhead_s
        )

    def _compute(self) -> None:
        """Predict every measurement with the sliders' efficiencies; update the readout (no redraw)."""
        self.table = calibration.predict(self.measurements, self.efficiency)
        self._update_readout()

    def update(self) -> None:
        """Predict every measurement with the sliders' efficiencies; redraw readout and chart."""
        self._compute()
        self.chart_widget.chart = refresh_residual_chart(self.chart_widget.chart, self.table)

    def _update_readout(self) -> None:
        parts = []
        for name, selection in self.groups:
            try:
                value = calibration.median_abs_error(self.table, **selection)
            except ValueError:  # no predicted row in this group
                value = float("nan")
            self.medians[name] = value
            shown = "n/a" if math.isnan(value) else f"{100 * value:.1f}%"
            parts.append(f"{html.escape(name)}: <b>{shown}</b>")
        self.readout.value = (
            "Median |error| (model speed / measured speed - 1): "
            + " &middot; ".join(parts)
            + f"<br><small>For comparison, llm-analysis 0.2.2 is {peer_error_range()} off"
            " on the nine small-model points.</small>"
        )


def calibration_dashboard(
    measurements: pd.DataFrame | None = None, efficiency: Efficiency = calibration.DEFAULT
) -> CalibrationDashboard:
    """Sliders for the batching model's efficiencies, the median errors and the residual chart.

    Parameters
    ----------
    measurements : DataFrame, optional
        Rows shaped like the ``serving_measurements`` dataset, for example with a row of your
        own added (default: that dataset).
    efficiency : Efficiency
        Where the sliders start (default: :data:`tokenomics.calibration.DEFAULT`).

    Returns
    -------
    CalibrationDashboard
        A widget (display it as the last line of a cell) with ``.sliders``, ``.readout``,
        ``.medians``, ``.chart_widget`` and ``.table``.
    """
    return CalibrationDashboard(measurements, efficiency)
