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

Charts are shown with :func:`jupyter_chart`, an ``altair.JupyterChart`` whose JavaScript comes
from ``vl-convert-python`` instead of a CDN, so charts draw offline too (altair's default
renderer leaves them blank without a network). A dashboard updates a chart by assigning a
new altair chart to the widget's ``.chart``.

Examples
--------
>>> import altair as alt, pandas as pd
>>> widget = jupyter_chart(alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_point().encode(x="x:Q"))
>>> type(widget).__name__
'JupyterChart'
"""

from __future__ import annotations

import altair as alt
import ipywidgets as widgets


def jupyter_chart(chart, **kwargs) -> alt.JupyterChart:
    """Wrap an altair chart in a widget that draws offline and can be updated from Python.

    Parameters
    ----------
    chart : altair chart
        The chart to show.
    **kwargs
        Passed to :class:`altair.JupyterChart` (for example ``embed_options``).

    Returns
    -------
    altair.JupyterChart
        Display it (last line of a cell) to see the chart; assign ``widget.chart = other`` to
        redraw it with another chart.
    """
    alt.JupyterChart.enable_offline()  # once per session: later calls return at once
    return alt.JupyterChart(chart, **kwargs)


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

    Examples
    --------
    >>> s = slider("MFU: share of peak FLOP/s", 0.7, 0.3, 1.0, 0.01)
    >>> s.value, s.min, s.max
    (0.7, 0.3, 1.0)
    """
    kind = widgets.IntSlider if integer else widgets.FloatSlider
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
    """What a dashboard with several controls shares: move many at once with a single update.

    A dashboard mixes this in (``class MyDashboard(BatchedControls, widgets.VBox)``), keeps its
    controls in ``.sliders`` (and optionally ``.pickers`` or a ``.text`` box), observes each with
    :meth:`_on_change`, and defines ``update()``. A dashboard that can recompute its numbers
    without redrawing its chart also defines ``_compute()``.
    """

    _holding = False

    def _named_controls(self) -> dict:
        controls = {**getattr(self, "pickers", {}), **self.sliders}
        if hasattr(self, "text"):
            controls["text"] = self.text
        return controls

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
        if redraw:
            self.update()
        elif hasattr(self, "_compute"):
            self._compute()

    def _on_change(self, _change) -> None:
        if not self._holding:
            self.update()
