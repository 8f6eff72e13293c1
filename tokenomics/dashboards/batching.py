"""GPU batching: the frontier of cheap-but-slow against fast-but-dear tokens, memory, and queueing.

- :func:`frontier_dashboard`: model, chip, number of GPUs, weight precision, context and the
  price per GPU-hour; the throughput-vs-interactivity frontier
  (:func:`tokenomics.charts.batching.frontier_chart`) with $/Mtok in the tooltips, the binding
  roof in colour and the largest batch that fits labelled.
- :func:`memory_dashboard`: model, context, GPUs and precisions; the largest batch on every
  chip of the catalog and where each chip's memory goes
  (:func:`tokenomics.charts.batching.memory_chart`).
- :func:`queue_dashboard`: batch slots, utilization and illustrative request lengths; mean and
  95th-percentile time to first token as the slots fill up
  (:func:`tokenomics.charts.batching.queue_chart`).

A chip without a catalog price (H20, MI325X, A100-80GB) still shows its physics: the price
slider keeps the student's own value, which the readout and the chart label illustrative.

Examples
--------
>>> board = frontier_dashboard()
>>> board.pickers["accelerator"].value = "H20"     # as if a student picked another chip
>>> board.price_quality
'illustrative'
>>> memory = memory_dashboard()
>>> memory.sliders["context_tokens"].value = 32_768
>>> int(memory.rows["max_batch"].min()) >= 0
True
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from tokenomics.batching import Deployment, max_batch_size
from tokenomics.catalog import accelerator, accelerator_names, model, model_names
from tokenomics.charts.batching import (
    deployment_label,
    frontier_chart,
    frontier_data,
    memory_chart,
    memory_data,
    queue_chart,
    queue_data,
    refresh_frontier_chart,
    refresh_memory_chart,
    refresh_queue_chart,
)
from tokenomics.dashboards import BatchedControls, jupyter_chart, slider

GPU_COUNTS = (1, 2, 4, 8, 16, 32, 64, 128, 144)
"""Chips per replica the dashboards offer (144: DeepSeek's decode unit of 18 nodes)."""

CONTEXT_STEP = 256
"""Step of the context sliders, tokens."""

DEFAULT_PRICE_USD_PER_GPU_HOUR = 2.0
"""Where the price slider starts: the H800 price DeepSeek assumed for its published day
(dataset ``deepseek_day``, reported); a chip with a catalog price moves the slider to it."""

ILLUSTRATIVE_PROMPT_TOKENS = 2_048
"""The queueing dashboard's prompt length at the start: illustrative (no source gives it)."""

ILLUSTRATIVE_OUTPUT_TOKENS = 1_024
"""The queueing dashboard's answer length at the start: illustrative."""


def grouped_options(names, group_of) -> list[tuple[str, str]]:
    """(label, name) pairs for a Dropdown, sorted by group and labelled "group · name".

    A 30-item menu stays usable when it reads as blocks: every maker's models (or chips) together.
    The value of each option stays the bare catalog name.

    Examples
    --------
    >>> grouped_options(["B200", "MI300X", "H800"], lambda name: accelerator(name).vendor)
    [('AMD · MI300X', 'MI300X'), ('NVIDIA · B200', 'B200'), ('NVIDIA · H800', 'H800')]
    """
    order = {name: position for position, name in enumerate(names)}
    keyed = sorted(names, key=lambda name: (group_of(name).lower(), order[name]))
    return [(f"{group_of(name)} · {name}", name) for name in keyed]


def model_options() -> list[tuple[str, str]]:
    """The whole model catalog as Dropdown options, grouped by developer.

    Examples
    --------
    >>> ("DeepSeek · DeepSeek-R1", "DeepSeek-R1") in model_options()
    True
    """
    return grouped_options(model_names(), lambda name: model(name).developer)


def accelerator_options() -> list[tuple[str, str]]:
    """The whole chip catalog as Dropdown options, grouped by vendor.

    Examples
    --------
    >>> accelerator_options()[0][1]
    'MI300X'
    """
    return grouped_options(accelerator_names(), lambda name: accelerator(name).vendor)


def _dropdown(description: str, options, value) -> widgets.Dropdown:
    return widgets.Dropdown(
        options=list(options),
        value=value,
        description=description,
        style={"description_width": "260px"},
        layout=widgets.Layout(width="600px"),
    )


def _context_slider(value: int, window: int) -> widgets.IntSlider:
    top = window // CONTEXT_STEP * CONTEXT_STEP
    return slider(
        "context per sequence, tokens", min(value, top), CONTEXT_STEP, top, CONTEXT_STEP, integer=True
    )


def _fit_context_to(control: widgets.IntSlider, model_name: str) -> None:
    """Set the context slider's range to the model's window (keeping the value where it can)."""
    top = model(model_name).max_context_tokens // CONTEXT_STEP * CONTEXT_STEP
    if control.value > top:
        control.value = top
    control.max = top


class _Board(BatchedControls, widgets.VBox):
    """What the three dashboards share: named controls, several moved at once with one redraw."""

    pickers: dict
    sliders: dict

    def _watch(self) -> None:
        self._holding = False
        for control in [*self.pickers.values(), *self.sliders.values()]:
            control.observe(self.guarded(self._on_change), names="value")

    def _on_change(self, _change) -> None:
        if not self._holding:
            self.update()

    def set_values(self, redraw: bool = True, **values) -> None:
        """Move several controls (by their names in ``.pickers`` or ``.sliders``), then redraw once.

        With ``redraw=False`` the controls move but nothing is recomputed: call ``compute_rows()``
        for the rows the chart would show.

        Examples
        --------
        >>> board = queue_dashboard()
        >>> board.set_values(servers=8, utilization=0.5)
        >>> board.sliders["servers"].value
        8
        """
        controls = {**self.pickers, **self.sliders}
        unknown = set(values) - set(controls)
        if unknown:
            raise ValueError(f"values must name controls among {sorted(controls)} (got {sorted(unknown)})")
        self._holding = True
        try:
            for name, value in values.items():
                controls[name].value = value
                self._after_move(name)
        finally:
            self._holding = False
        if redraw and not self.report_control_problem():
            self.update()

    def _after_move(self, name: str) -> None:
        """Adjust dependent controls after ``name`` moved (no redraw)."""

    def update(self) -> None:  # pragma: no cover - every dashboard defines it
        raise NotImplementedError


class FrontierDashboard(_Board):
    """The throughput-vs-interactivity frontier of one deployment, with its price.

    Attributes
    ----------
    pickers : dict of str to Dropdown
        ``"model"``, ``"accelerator"``, ``"n_gpus"`` and ``"weight_precision"``.
    sliders : dict of str to slider
        ``"context_tokens"`` (its range follows the model's window) and ``"usd_per_gpu_hour"``
        (moves to the catalog's price when a priced chip is picked; otherwise the student's own).
    readout : HTML
        The price and where it comes from; batch 1 against the largest batch; or why the
        deployment cannot run (the chart then keeps the last deployment that could).
    chart_widget : altair.JupyterChart
    rows : DataFrame
        The latest :func:`tokenomics.charts.batching.frontier_data`.
    error : str
        Empty, or the reason the latest settings cannot run.
    """

    def __init__(
        self,
        model_name: str = "DeepSeek-R1",
        accelerator_name: str = "H800",
        n_gpus: int = 16,
        weight_precision: str = "fp8",
        context_tokens: int = 4096,
    ):
        self.pickers = {
            "model": _dropdown("model", model_options(), model_name),
            "accelerator": _dropdown("chip", accelerator_options(), accelerator_name),
            "n_gpus": _dropdown("GPUs per replica", GPU_COUNTS, n_gpus),
            "weight_precision": _dropdown("weight precision", ["bf16", "fp8", "fp4"], weight_precision),
        }
        price = accelerator(accelerator_name).usd_per_hour or DEFAULT_PRICE_USD_PER_GPU_HOUR
        self.sliders = {
            "context_tokens": _context_slider(context_tokens, model(model_name).max_context_tokens),
            "usd_per_gpu_hour": slider("price, $ per GPU-hour", price, 0.5, 10.0, 0.01, ".2f"),
        }
        self.readout = widgets.HTML()
        self.error = ""
        self.rows = self.compute_rows()
        self.chart_widget = jupyter_chart(frontier_chart(self.rows, self._title()))
        self._update_readout()
        self._watch()
        super().__init__([*self.pickers.values(), *self.sliders.values(), self.readout, self.chart_widget])

    def __repr__(self) -> str:
        return f"frontier dashboard ({self._title()}): run the notebook to use the controls"

    def deployment(self) -> Deployment:
        """The deployment the controls describe (raises ValueError if the chip lacks the precision)."""
        return Deployment(
            self.pickers["model"].value,
            self.pickers["accelerator"].value,
            n_gpus=self.pickers["n_gpus"].value,
            weight_precision=self.pickers["weight_precision"].value,
            usd_per_gpu_hour=float(self.sliders["usd_per_gpu_hour"].value),
        )

    def compute_rows(self) -> pd.DataFrame:
        """The frontier's rows for the controls, without a redraw (ValueError if the settings cannot run)."""
        return frontier_data(self.deployment(), self.sliders["context_tokens"].value)

    @property
    def price_quality(self) -> str:
        """Data quality of the price in use: the catalog's label, or "illustrative"."""
        chip = accelerator(self.pickers["accelerator"].value)
        if (
            chip.usd_per_hour is None
            or abs(self.sliders["usd_per_gpu_hour"].value - chip.usd_per_hour) > 1e-9
        ):
            return "illustrative"
        return chip.usd_per_hour_quality

    def _title(self) -> str:
        p = self.pickers
        return (
            f"{p['model'].value} on {p['n_gpus'].value} x {p['accelerator'].value} "
            f"({p['weight_precision'].value.upper()}): tokens/s per GPU vs per user"
        )

    def _after_move(self, name: str) -> None:
        if name == "model":
            _fit_context_to(self.sliders["context_tokens"], self.pickers["model"].value)
        if name == "accelerator":
            catalog_price = accelerator(self.pickers["accelerator"].value).usd_per_hour
            if catalog_price is not None:
                self.sliders["usd_per_gpu_hour"].value = catalog_price

    def _on_change(self, change) -> None:
        if self._holding:
            return
        names = {id(control): name for name, control in self.pickers.items()}
        self._holding = True
        try:
            self._after_move(names.get(id(change["owner"]), ""))
        finally:
            self._holding = False
        self.update()

    def update(self) -> None:
        """Rerun the frontier for the controls; redraw readout and chart (or explain why not)."""
        try:
            self.rows = self.compute_rows()
        except ValueError as error:
            self.error = str(error)
        else:
            self.error = ""
            self.chart_widget.chart = refresh_frontier_chart(
                self.chart_widget.chart, self.rows, self._title()
            )
        self._update_readout()

    def _update_readout(self) -> None:
        price = self.sliders["usd_per_gpu_hour"].value
        chip = accelerator(self.pickers["accelerator"].value)
        if chip.usd_per_hour is None:
            origin = (
                f"your own assumption (illustrative): the catalog has no price for {html.escape(chip.name)}"
            )
        elif self.price_quality == "illustrative":
            origin = f"your own assumption (illustrative); the catalog's is ${chip.usd_per_hour:.2f}"
        else:
            origin = f"the catalog's reference price ({self.price_quality})"
        price_line = f"Price: <b>${price:.2f} per GPU-hour</b>, {origin}."
        if self.error:
            self.readout.value = (
                f"{price_line}<br><span style='color:#D55E00'><b>Cannot run:</b> {html.escape(self.error)}"
                "</span><br><small>The chart still shows the last deployment that runs.</small>"
            )
            return
        points = self.rows[self.rows["kind"] == "model"]
        first, last = points.iloc[0], points.iloc[-1]
        self.readout.value = (
            f"{price_line}<br>Batch 1: <b>{first['tokens_per_s_per_user']:,.1f}</b> tokens/s per user, "
            f"{first['tokens_per_s_per_gpu']:,.0f} per GPU, <b>${first['usd_per_mtok']:,.2f}</b> "
            f"per M output tokens.<br>Largest batch that fits, {last['batch_size']:,}: "
            f"<b>{last['tokens_per_s_per_user']:,.1f}</b> tokens/s per user, "
            f"{last['tokens_per_s_per_gpu']:,.0f} per GPU, <b>${last['usd_per_mtok']:,.3f}</b> "
            f"per M output tokens ({last['bound']})."
        )


class MemoryDashboard(_Board):
    """How many sequences fit beside the weights, on every chip of the catalog.

    Attributes
    ----------
    pickers : dict of str to Dropdown
        ``"model"``, ``"n_gpus"``, ``"weight_precision"`` and ``"kv_precision"`` (BF16 or FP8).
    sliders : dict of str to IntSlider
        ``"context_tokens"`` (its range follows the model's window).
    readout : HTML
        KV cache per sequence, the chip with the largest batch, chips left out.
    chart_widget : altair.JupyterChart
    rows : DataFrame
        The latest :func:`tokenomics.charts.batching.memory_data`.
    """

    def __init__(
        self,
        model_name: str = "DeepSeek-R1",
        n_gpus: int = 8,
        weight_precision: str = "fp8",
        kv_precision: str = "bf16",
        context_tokens: int = 4096,
    ):
        self.pickers = {
            "model": _dropdown("model", model_options(), model_name),
            "n_gpus": _dropdown("GPUs per replica", GPU_COUNTS, n_gpus),
            "weight_precision": _dropdown("weight precision", ["bf16", "fp8"], weight_precision),
            "kv_precision": _dropdown("KV-cache precision", ["bf16", "fp8"], kv_precision),
        }
        self.sliders = {
            "context_tokens": _context_slider(context_tokens, model(model_name).max_context_tokens)
        }
        self.readout = widgets.HTML()
        self.rows = self.compute_rows()
        self.chart_widget = jupyter_chart(memory_chart(self.rows, self._title()))
        self._update_readout()
        self._watch()
        super().__init__([*self.pickers.values(), *self.sliders.values(), self.readout, self.chart_widget])

    def __repr__(self) -> str:
        return f"memory dashboard ({self._title()}): run the notebook to use the controls"

    def _title(self) -> str:
        p = self.pickers
        return (
            f"{p['model'].value}, {p['n_gpus'].value} GPUs per replica, "
            f"{self.sliders['context_tokens'].value:,} tokens each: largest batch"
        )

    def compute_rows(self) -> pd.DataFrame:
        """Every chip's rows for the controls, without a redraw."""
        p = self.pickers
        return memory_data(
            p["model"].value,
            self.sliders["context_tokens"].value,
            n_gpus=p["n_gpus"].value,
            weight_precision=p["weight_precision"].value,
            kv_precision=p["kv_precision"].value,
        )

    def _after_move(self, name: str) -> None:
        if name == "model":
            _fit_context_to(self.sliders["context_tokens"], self.pickers["model"].value)

    def _on_change(self, change) -> None:
        if self._holding:
            return
        if change["owner"] is self.pickers["model"]:
            self._holding = True
            try:
                self._after_move("model")
            finally:
                self._holding = False
        self.update()

    def update(self) -> None:
        """Recompute every chip's largest batch; redraw readout and chart."""
        self.rows = self.compute_rows()
        self.chart_widget.chart = refresh_memory_chart(self.chart_widget.chart, self.rows, self._title())
        self._update_readout()

    def _update_readout(self) -> None:
        per_chip = self.rows.groupby("accelerator", sort=False)["max_batch"].first()
        left_out = [name for name in accelerator_names() if name not in per_chip.index]
        kv_gb = float(self.rows["kv_gb_per_sequence"].iloc[0])
        full = [name for name, batch in per_chip.items() if batch == 0]
        parts = [
            f"KV cache per sequence: <b>{kv_gb:,.3f} GB</b>.",
            f"Largest batch: <b>{per_chip.max():,}</b> sequences on {html.escape(per_chip.idxmax())}.",
        ]
        if full:
            parts.append(
                f"Weights alone fill: {html.escape(', '.join(full))} (add GPUs or lower the precision)."
            )
        if left_out:
            parts.append(
                "<small>Left out (no tensor cores for these precisions): "
                f"{html.escape(', '.join(left_out))}.</small>"
            )
        self.readout.value = "<br>".join(parts)


class QueueDashboard(_Board):
    """Waiting for a free batch slot: time to first token as utilization grows.

    Attributes
    ----------
    pickers : dict
        Empty: the deployment is fixed when the dashboard is made.
    sliders : dict of str to slider
        ``"servers"`` (batch slots, 1-256), ``"utilization"`` (0.05-0.99), ``"prompt_tokens"``
        and ``"output_tokens"`` (illustrative request lengths).
    readout : HTML
        Service time, prefill, arrival rate, mean and 95th-percentile TTFT at the utilization.
    chart_widget : altair.JupyterChart
    rows : DataFrame
        The latest :func:`tokenomics.charts.batching.queue_data`.
    """

    def __init__(self, deployment: Deployment | None = None):
        self.deployment = (
            Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8")
            if deployment is None
            else deployment
        )
        self.pickers = {}
        self.sliders = {
            "servers": slider("batch slots (servers)", 64, 1, 256, 1, integer=True),
            "utilization": slider("utilization of the slots", 0.8, 0.05, 0.99, 0.01, ".2f"),
            "prompt_tokens": slider(
                "prompt, tokens (illustrative)", ILLUSTRATIVE_PROMPT_TOKENS, 256, 16_384, 256, integer=True
            ),
            "output_tokens": slider(
                "answer, tokens (illustrative)", ILLUSTRATIVE_OUTPUT_TOKENS, 256, 8_192, 256, integer=True
            ),
        }
        self.readout = widgets.HTML()
        self.rows = self.compute_rows()
        self.chart_widget = jupyter_chart(queue_chart(self.rows, self._title()))
        self._update_readout()
        self._watch()
        super().__init__([*self.sliders.values(), self.readout, self.chart_widget])

    def __repr__(self) -> str:
        return f"queue dashboard ({deployment_label(self.deployment)}): run the notebook to use the sliders"

    def _title(self) -> str:
        return f"Time to first token (s), {self.sliders['servers'].value} batch slots"

    def compute_rows(self) -> pd.DataFrame:
        """The queue's rows for the sliders, without a redraw."""
        s = self.sliders
        context = s["prompt_tokens"].value + s["output_tokens"].value
        # More slots than sequences of that length fit in memory: run the largest batch that fits.
        self.servers = min(s["servers"].value, max(int(max_batch_size(self.deployment, context)), 1))
        return queue_data(
            self.deployment,
            self.servers,
            s["prompt_tokens"].value,
            s["output_tokens"].value,
            float(s["utilization"].value),
        )

    def update(self) -> None:
        """Rerun the queue for the sliders; redraw readout and chart."""
        self.rows = self.compute_rows()
        self.chart_widget.chart = refresh_queue_chart(self.chart_widget.chart, self.rows, self._title())
        self._update_readout()

    def _update_readout(self) -> None:
        now = self.rows[self.rows["is_current"]].set_index("measure")
        first = now.iloc[0]
        capped = self.servers < self.sliders["servers"].value
        note = (
            f" Only {self.servers:,} sequences of that length fit: the queue has {self.servers:,} slots."
            if capped
            else ""
        )
        self.readout.value = (
            f"{html.escape(deployment_label(self.deployment))}.{note} Each request holds a slot for "
            f"<b>{first['service_time_s']:,.1f} s</b> (prefill {first['prefill_s']:.2f} s, then its answer "
            f"in a full batch).<br>At {first['utilization_pct']:.0f}% utilization: "
            f"{first['arrival_rate_per_s']:,.2f} requests/s; mean time to first token "
            f"<b>{now.loc['mean TTFT', 'ttft_s']:,.2f} s</b>, 95th percentile "
            f"<b>{now.loc['95th percentile TTFT', 'ttft_s']:,.2f} s</b>.<br><small>Request lengths are "
            "illustrative.</small>"
        )


def frontier_dashboard(
    model_name: str = "DeepSeek-R1",
    accelerator_name: str = "H800",
    n_gpus: int = 16,
    weight_precision: str = "fp8",
    context_tokens: int = 4096,
) -> FrontierDashboard:
    """Controls for one deployment and its throughput-vs-interactivity frontier with $/Mtok.

    Returns
    -------
    FrontierDashboard
        A widget with ``.pickers``, ``.sliders``, ``.readout``, ``.chart_widget`` and ``.rows``.
    """
    return FrontierDashboard(model_name, accelerator_name, n_gpus, weight_precision, context_tokens)


def memory_dashboard(
    model_name: str = "DeepSeek-R1",
    n_gpus: int = 8,
    weight_precision: str = "fp8",
    kv_precision: str = "bf16",
    context_tokens: int = 4096,
) -> MemoryDashboard:
    """Controls for a model's context and precision; the largest batch on every chip.

    Returns
    -------
    MemoryDashboard
        A widget with ``.pickers``, ``.sliders``, ``.readout``, ``.chart_widget`` and ``.rows``.
    """
    return MemoryDashboard(model_name, n_gpus, weight_precision, kv_precision, context_tokens)


def queue_dashboard(deployment: Deployment | None = None) -> QueueDashboard:
    """Sliders for batch slots, utilization and request lengths; TTFT as the slots fill up.

    Parameters
    ----------
    deployment : Deployment, optional
        Default: DeepSeek-R1 on 16 H800 with FP8 weights.

    Returns
    -------
    QueueDashboard
        A widget with ``.sliders``, ``.readout``, ``.chart_widget`` and ``.rows``.
    """
    return QueueDashboard(deployment)
