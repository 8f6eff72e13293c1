"""Dashboards: ipywidgets controls wired to the kit's models and charts, one module per lesson.

Each dashboard is a function that returns a widget, so a notebook needs one line to show it
and tests can drive it without a browser (set a control's ``value``, read the chart's data).

- :mod:`tokenomics.dashboards.start`: a tokenizer playground; one model priced by its batch size.
- :mod:`tokenomics.dashboards.market`: DeepSeek's app share and web traffic; who serves
  DeepSeek's model (first-party vs third-party volume).
- :mod:`tokenomics.dashboards.efficiency`: the race between a fast, concise model and a slow,
  wordy one; cost per answer against price per token.
- :mod:`tokenomics.dashboards.strategy`: DeepSeek's published day hour by hour; splitting a
  fleet between serving and research under an export cap.
- :mod:`tokenomics.dashboards.providers`: which hosts of R1 qualify for a budget, a latency
  tolerance and a context; how the input:output blend reorders them.
- :mod:`tokenomics.dashboards.batching`: the throughput-vs-interactivity frontier, the memory
  limit on the batch per chip, and queueing for the first token.
- :mod:`tokenomics.dashboards.calibration`: does the batching model match published
  measurements? Efficiency sliders and the residual chart.

Charts are shown with :func:`jupyter_chart`, a :class:`~tokenomics.dashboards.redraw.DataSwapChart`
(an ``altair.JupyterChart``) whose JavaScript comes from ``vl-convert-python`` instead of a CDN,
so charts draw offline too (altair's default renderer leaves them blank without a network);
:mod:`tokenomics.dashboards.offline` keeps that JavaScript in a cache file, so that a kernel does
not bundle it again. A dashboard updates a chart by assigning a new altair chart to the widget's
``.chart``: a chart of the same structure is redrawn by swapping its data in the browser,
anything else is rebuilt (:mod:`tokenomics.dashboards.redraw`).

Examples
--------
>>> import altair as alt, pandas as pd
>>> widget = jupyter_chart(alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_point().encode(x="x:Q"))
>>> type(widget).__name__, isinstance(widget, alt.JupyterChart)
('DataSwapChart', True)
"""

from __future__ import annotations

import math

import ipywidgets as widgets
import traitlets

from tokenomics.dashboards.redraw import DataSwapChart


def jupyter_chart(chart, **kwargs) -> DataSwapChart:
    """Wrap an altair chart in a widget that draws offline and can be updated from Python.

    Parameters
    ----------
    chart : altair chart
        The chart to show.
    **kwargs
        Passed to :class:`altair.JupyterChart` (for example ``embed_options``).

    Returns
    -------
    DataSwapChart
        Display it (last line of a cell) to see the chart; assign ``widget.chart = other`` to
        redraw it with another chart (by swapping its data when the structure is the same).
    """
    DataSwapChart.enable_offline()  # once per session: later calls return at once
    return DataSwapChart(chart, **kwargs)


def _is_missing(value) -> bool:
    """Whether a control's value is None or NaN, which a student can set from Python."""
    return value is None or (isinstance(value, float) and math.isnan(value))


class _MissingTolerantValue:
    """Let a slider hold None or NaN set from Python, so the dashboard can say what is wrong.

    ipywidgets refuses None with a TraitError at the assignment (a traceback) and lets NaN through
    to the model; with this mix-in both reach the dashboard, which shows a readout instead of
    computing (see :meth:`BatchedControls.control_problem`).
    """

    @traitlets.validate("value")
    def _validate_value(self, proposal):
        if _is_missing(proposal["value"]):
            return proposal["value"]
        return super()._validate_value(proposal)


class _CIntOrMissing(traitlets.CInt):
    """An integer trait that also keeps None and NaN (for :class:`IntSlider`)."""

    def validate(self, obj, value):
        return value if _is_missing(value) else super().validate(obj, value)


class FloatSlider(_MissingTolerantValue, widgets.FloatSlider):
    """An ipywidgets FloatSlider that keeps a None or NaN set from Python for the dashboard to report."""

    value = traitlets.CFloat(0.0, allow_none=True, help="Float value").tag(sync=True)


class IntSlider(_MissingTolerantValue, widgets.IntSlider):
    """An ipywidgets IntSlider that keeps a None or NaN set from Python for the dashboard to report."""

    value = _CIntOrMissing(0, allow_none=True, help="Int value").tag(sync=True)


def slider(
    description: str,
    value: float,
    low: float,
    high: float,
    step: float,
    fmt: str = ".2f",
    *,
    integer: bool = False,
    description_width: str = "260px",
    width: str = "600px",
) -> widgets.FloatSlider | widgets.IntSlider:
    """A labelled slider in the kit's dashboard layout (a float slider, or an int slider).

    The slider keeps a None or NaN set on ``.value`` from Python, so that the dashboard can say
    what is wrong in its readout (see :meth:`BatchedControls.control_problem`).

    Examples
    --------
    >>> s = slider("MFU: share of peak FLOP/s", 0.7, 0.3, 1.0, 0.01)
    >>> s.value, s.min, s.max
    (0.7, 0.3, 1.0)
    """
    kind = IntSlider if integer else FloatSlider
    options = {} if integer else {"readout_format": fmt}
    return kind(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        style={"description_width": description_width},
        layout=widgets.Layout(width=width),
        **options,
    )


class BatchedControls:
    """What a dashboard with several controls shares: move many at once with a single update, and
    a readout instead of a traceback when a control is set to None or NaN from Python.

    A dashboard mixes this in (``class MyDashboard(BatchedControls, widgets.VBox)``), keeps its
    controls in ``.sliders`` (and optionally ``.pickers`` or a ``.text`` box), shows its numbers
    in a ``.readout`` HTML widget, observes each control with :meth:`_on_change` (or wraps its
    own handler with :meth:`guarded`), and defines ``update()``. A dashboard that can recompute
    its numbers without redrawing its chart also defines ``_compute()``.
    """

    _holding = False

    def _named_controls(self) -> dict:
        controls = {
            **getattr(self, "controls", {}),
            **getattr(self, "pickers", {}),
            **getattr(self, "sliders", {}),
        }
        if hasattr(self, "text"):
            controls["text"] = self.text
        return controls

    def control_problem(self) -> str:
        """What is wrong with the controls, as the readout says it; "" when every one holds a value.

        Checks every control in ``.sliders``, ``.controls`` and ``.pickers`` for None or NaN.

        Examples
        --------
        >>> from tokenomics.dashboards.batching import queue_dashboard
        >>> board = queue_dashboard()
        >>> board.sliders["utilization"].value = float("nan")
        >>> print(board.control_problem())  # doctest: +NORMALIZE_WHITESPACE
        The control 'utilization' (utilization of the slots) is nan, not a number:
        set it to a number from 0.05 to 0.99.
        >>> "is nan, not a number" in board.readout.value
        True
        """
        controls = {
            **getattr(self, "pickers", {}),
            **getattr(self, "controls", {}),
            **getattr(self, "sliders", {}),
        }
        for name, control in controls.items():
            if not _is_missing(control.value):
                continue
            label = f" ({control.description})" if getattr(control, "description", "") else ""
            if hasattr(control, "min") and hasattr(control, "max"):
                allowed = f"a number from {control.min:g} to {control.max:g}"
            elif hasattr(control, "options"):
                labels = [option[0] if isinstance(option, tuple) else option for option in control.options]
                allowed = "one of " + ", ".join(str(label) for label in labels)
            else:
                allowed = "a value"
            kind = "a number" if hasattr(control, "min") else "a choice"
            return f"The control {name!r}{label} is {control.value!r}, not {kind}: set it to {allowed}."
        return ""

    def report_control_problem(self) -> bool:
        """Show :meth:`control_problem` in the readout, if there is one; return whether there was."""
        problem = self.control_problem()
        if problem:
            self.readout.value = (
                f"<b>{problem}</b> The chart and the numbers still show the last valid settings."
            )
        return bool(problem)

    def guarded(self, handler):
        """Wrap a control's change handler so that it runs only when every slider holds a number."""

        def run(change) -> None:
            if not self.report_control_problem():
                handler(change)

        return run

    def set_values(self, redraw: bool = True, **values) -> None:
        """Move several controls (by name) at once, then update once.

        With ``redraw=False`` the chart is not redrawn; a dashboard with ``_compute()`` still
        recomputes its numbers.
        """
        controls = self._named_controls()
        unknown = set(values) - set(controls)
        if unknown:
            raise ValueError(f"values must name controls among {sorted(controls)} (got {sorted(unknown)})")
        self._holding = True
        try:
            for name, value in values.items():
                controls[name].value = value
        finally:
            self._holding = False
        if self.report_control_problem():
            return
        if redraw:
            self.update()
        elif hasattr(self, "_compute"):
            self._compute()

    def _on_change(self, _change) -> None:
        if not self._holding and not self.report_control_problem():
            self.update()
