"""Start here: a tokenizer playground, and one model sold at many prices.

- :func:`tokenizer_dashboard`: a text box and a merges slider; the kit's small BPE tokenizer
  (:mod:`tokenomics.tokens`) splits the text, drawn as coloured chips
  (:func:`tokenomics.charts.start.token_chip_chart`), with the token count against the number of
  merges beside it (:func:`tokenomics.charts.start.merges_chart`).
- :func:`price_dashboard`: DeepSeek-R1 on 16 H800 GPUs in FP8 (:mod:`tokenomics.batching`); a
  batch-size slider, a context slider and a GPU price slider move one point along the model's
  frontier (:func:`tokenomics.charts.start.price_chart`): tokens/s per user, tokens/s per GPU and
  dollars per million output tokens.

Examples
--------
>>> board = tokenizer_dashboard("fantastic tokens")
>>> board.sliders["n_merges"].value = 0     # as if a student moved the slider
>>> board.tokens[:3]
['f', 'a', 'n']
>>> prices = price_dashboard()
>>> prices.sliders["batch_size"].value = 1
>>> print(f"${prices.chosen['usd_per_mtok']:.2f} per million output tokens")
$122.34 per million output tokens
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np

from tokenomics import batching, data
from tokenomics.catalog import accelerator, model
from tokenomics.charts import format_usd
from tokenomics.charts.start import (
    merges_chart,
    merges_data,
    price_chart,
    price_data,
    price_spread,
    refresh_merges_chart,
    refresh_price_chart,
    refresh_token_chip_chart,
    settled_band,
    token_chip_chart,
    token_chip_data,
)
from tokenomics.dashboards import BatchedControls, jupyter_chart, slider
from tokenomics.tokens import KIT_MERGES, count_words, encode, kit_merges

EXAMPLE_TEXT = (
    "A token is a short piece of text. Models read and write tokens, and providers sell them "
    "by the million: tokenomics is fantastic."
)
"""The tokenizer playground's starting text (written for the kit)."""

START_MERGES = 300
"""Merges the playground starts with."""

MERGES_STEP = 10
"""Step of the merges slider."""

CURVE_STEP = 50
"""Spacing of the merges curve: 0, 50, ..., :data:`tokenomics.tokens.KIT_MERGES`."""


class TokenizerDashboard(BatchedControls, widgets.VBox):
    """The tokenizer playground: type a text, choose how many merges the tokenizer uses.

    Attributes
    ----------
    text : Textarea
        The text to split.
    sliders : dict of str to IntSlider
        ``"n_merges"``: how many of the learned merges to use (0 = every character a token).
    readout : HTML
        Tokens, words, tokens per word and characters per token.
    chart_widget : altair.JupyterChart
        The chip chart; its ``.chart`` is replaced on every update.
    curve_widget : altair.JupyterChart
        Tokens in the text against merges used, with the setting in use marked.
    tokens : list of str
        The latest split.
    rows, curve : DataFrame
        The latest :func:`~tokenomics.charts.start.token_chip_data` and
        :func:`~tokenomics.charts.start.merges_data`.
    """

    def __init__(self, text: str = EXAMPLE_TEXT, n_merges: int = START_MERGES):
        self.merges = kit_merges()
        self.text = widgets.Textarea(
            value=text,
            description="text",
            continuous_update=False,
            layout=widgets.Layout(width="660px", height="80px"),
        )
        self.sliders = {
            "n_merges": slider(
                "merges used",
                n_merges,
                0,
                KIT_MERGES,
                MERGES_STEP,
                integer=True,
                description_width="110px",
                width="660px",
            )
        }
        self.readout = widgets.HTML()
        self.grid = np.arange(0, KIT_MERGES + 1, CURVE_STEP)
        self._holding = False
        self._curve_text = None
        self._compute()
        self.chart_widget = jupyter_chart(token_chip_chart(self.rows, subtitle=self._subtitle()))
        self.curve_widget = jupyter_chart(merges_chart(self.curve))
        self.text.observe(self._on_change, names="value")
        self.sliders["n_merges"].observe(self._on_change, names="value")
        super().__init__(
            [self.text, *self.sliders.values(), self.readout, self.chart_widget, self.curve_widget]
        )

    def __repr__(self) -> str:
        return (
            f"tokenizer playground ({len(self.tokens)} tokens with {self.n_merges} merges): "
            "run the notebook to use the text box and the slider"
        )

    @property
    def n_merges(self) -> int:
        """The number of merges the slider shows."""
        return int(self.sliders["n_merges"].value)

    def _subtitle(self) -> str:
        return (
            f"{len(self.tokens)} tokens with the first {self.n_merges} merges learned from the kit's "
            "READMEs; ␣ marks a space"
        )

    def _compute(self) -> None:
        text = self.text.value
        self.tokens = encode(text, self.merges[: self.n_merges])
        self.rows = token_chip_data(self.tokens)
        if text != self._curve_text:  # the curve depends on the text only; recount when it changes
            self.curve = merges_data(text, self.merges, self.grid, self.n_merges)
            self._curve_text = text
        else:
            self.curve = self.curve.copy()
            chosen = self.curve["part"] == "chosen"
            self.curve.loc[chosen, "n_merges"] = self.n_merges
            self.curve.loc[chosen, "tokens"] = len(self.tokens)
            words = count_words(text)
            self.curve.loc[chosen, "tokens_per_word"] = len(self.tokens) / words if words else np.nan
        self._update_readout()

    def update(self) -> None:
        """Split the text again with the slider's merges; redraw readout, chips and curve."""
        self._compute()
        self.chart_widget.chart = refresh_token_chip_chart(
            self.chart_widget.chart, self.rows, subtitle=self._subtitle()
        )
        self.curve_widget.chart = refresh_merges_chart(self.curve_widget.chart, self.curve)

    def _update_readout(self) -> None:
        text = self.text.value
        words, tokens = count_words(text), len(self.tokens)
        parts = [f"<b>{tokens:,}</b> tokens", f"<b>{words:,}</b> words", f"{len(text):,} characters"]
        if words:
            parts.append(f"<b>{tokens / words:.2f}</b> tokens per word")
        if tokens:
            parts.append(f"{len(text) / tokens:.2f} characters per token")
        cut = " (the chips show the first 300)" if tokens > len(self.rows) else ""
        self.readout.value = (
            " &middot; ".join(parts) + html.escape(cut) + "<br><small>Counted by the kit's small "
            "tokenizer; real tokenizers learn from far more text and split differently.</small>"
        )


def tokenizer_dashboard(text: str = EXAMPLE_TEXT, n_merges: int = START_MERGES) -> TokenizerDashboard:
    """A text box and a merges slider; the text drawn as token chips, and tokens vs merges.

    Parameters
    ----------
    text : str
        Where the text box starts.
    n_merges : int
        Where the merges slider starts, 0 to :data:`tokenomics.tokens.KIT_MERGES`.

    Returns
    -------
    TokenizerDashboard
        A widget (display it as the last line of a cell) with ``.text``, ``.sliders``,
        ``.readout``, ``.chart_widget``, ``.curve_widget`` and ``.tokens``.
    """
    return TokenizerDashboard(text, n_merges)


# --- price is an output -------------------------------------------------------------------------

BATCH_SIZES = tuple(2**k for k in range(13))
"""The batch-size slider's stops: 1, 2, 4, ..., 4,096 sequences (cut to what fits in memory)."""

CONTEXT_TOKENS = tuple(2**k for k in range(10, 17))
"""The context slider's stops: 1,024 to 65,536 tokens per sequence (DeepSeek's own API: 64K)."""


def deepseek_usd_per_gpu_hour() -> float:
    """DeepSeek's own rental assumption, $2 per H800-hour (dataset ``deepseek_day``, reported).

    Examples
    --------
    >>> deepseek_usd_per_gpu_hour()
    2.0
    """
    day = data.load("deepseek_day").set_index("quantity")
    return float(day.loc["usd_per_gpu_hour", "value"])


class PriceDashboard(BatchedControls, widgets.VBox):
    """Price is an output: one deployment, a batch-size slider, and the price each batch implies.

    Attributes
    ----------
    sliders : dict of str to slider
        ``"batch_size"`` (:data:`BATCH_SIZES`), ``"context_tokens"`` (:data:`CONTEXT_TOKENS`)
        and ``"usd_per_gpu_hour"`` (0.5-6 USD per GPU-hour; starts at DeepSeek's $2).
    readout : HTML
        The chosen batch's tokens/s per user, tokens/s per GPU and $/Mtok, and how many times
        dearer the fastest setting is than the cheapest.
    chart_widget : altair.JupyterChart
        The price chart; its ``.chart`` is replaced on every update.
    rows : DataFrame
        The latest :func:`tokenomics.charts.start.price_data`.
    chosen : pandas.Series
        The chosen batch's row of ``rows``.
    largest_batch : int
        The largest batch that fits in memory at the chosen context.
    """

    def __init__(
        self,
        model_name: str = "DeepSeek-R1",
        accelerator_name: str = "H800",
        n_gpus: int = 16,
        weight_precision: str = "fp8",
        batch_size: int = 256,
        context_tokens: int = 4096,
    ):
        self.model = model(model_name)
        self.accelerator = accelerator(accelerator_name)
        self.n_gpus = n_gpus
        self.weight_precision = weight_precision
        self.sourced_usd_per_gpu_hour = deepseek_usd_per_gpu_hour()
        selection = {"style": {"description_width": "260px"}, "layout": widgets.Layout(width="600px")}
        self.sliders = {
            "batch_size": widgets.SelectionSlider(
                options=list(BATCH_SIZES),
                value=batch_size,
                description="batch: sequences served at once",
                **selection,
            ),
            "context_tokens": widgets.SelectionSlider(
                options=list(CONTEXT_TOKENS),
                value=context_tokens,
                description="context per sequence, tokens",
                **selection,
            ),
            "usd_per_gpu_hour": slider(
                "GPU price, $ per GPU-hour", self.sourced_usd_per_gpu_hour, 0.5, 6.0, 0.1, ".1f"
            ),
        }
        self.readout = widgets.HTML()
        self._holding = False
        self._compute()
        self.chart_widget = jupyter_chart(price_chart(self.rows))
        for control in self.sliders.values():
            control.observe(self._on_change, names="value")
        super().__init__([*self.sliders.values(), self.readout, self.chart_widget])

    def __repr__(self) -> str:
        return (
            f"price dashboard ({self.model.name} on {self.n_gpus} {self.accelerator.name}, batch "
            f"{self.chosen['batch_size']:.0f}: ${self.chosen['usd_per_mtok']:.2f} per M output tokens): "
            "run the notebook to use the sliders"
        )

    @property
    def deployment(self) -> batching.Deployment:
        """The deployment at the price slider's value."""
        return batching.Deployment(
            self.model,
            self.accelerator,
            n_gpus=self.n_gpus,
            weight_precision=self.weight_precision,
            usd_per_gpu_hour=float(self.sliders["usd_per_gpu_hour"].value),
        )

    def _quality(self) -> str:
        moved = abs(float(self.sliders["usd_per_gpu_hour"].value) - self.sourced_usd_per_gpu_hour) > 1e-9
        return "illustrative" if moved else "derived"

    def _compute(self) -> None:
        deployment = self.deployment
        context = int(self.sliders["context_tokens"].value)
        self.largest_batch = int(batching.max_batch_size(deployment, context))
        self.rows = price_data(deployment, context, int(self.sliders["batch_size"].value), self._quality())
        self.chosen = self.rows[self.rows["part"] == "chosen"].iloc[0]
        self._update_readout()

    def update(self) -> None:
        """Rerun the batching model for the sliders' values; redraw readout and chart."""
        self._compute()
        self.chart_widget.chart = refresh_price_chart(self.chart_widget.chart, self.rows)

    def _update_readout(self) -> None:
        chosen = self.chosen
        asked = int(self.sliders["batch_size"].value)
        low, high = settled_band()
        speed = chosen["tokens_per_s_per_user"]
        where = "inside" if low <= speed <= high else "outside"
        cut = (
            f"A batch of {asked:,} does not fit in memory at this context; the largest that fits is "
            f"{self.largest_batch:,}, shown instead.<br>"
            if asked > self.largest_batch
            else ""
        )
        spread = price_spread(self.deployment, int(self.sliders["context_tokens"].value))
        full = spread["max_usd_per_mtok"] / spread["min_usd_per_mtok"]
        band = (
            f"{format_usd(spread['band_min_usd_per_mtok'])} to {format_usd(spread['band_max_usd_per_mtok'])} "
            f"({spread['band_max_usd_per_mtok'] / spread['band_min_usd_per_mtok']:,.0f}x) "
            f"at {low:g}-{high:g} tokens/s per user"
            if np.isfinite(spread["band_min_usd_per_mtok"])
            else f"no batch that fits gives {low:g}-{high:g} tokens/s per user"
        )
        self.readout.value = (
            cut + f"Batch <b>{chosen['batch_size']:,.0f}</b>: <b>{speed:.1f}</b> tokens/s per user "
            f"({where} the {low:g}-{high:g} most providers settled on), "
            f"<b>{chosen['tokens_per_s_per_gpu']:,.0f}</b> tokens/s per GPU, "
            f"<b>${chosen['usd_per_mtok']:.2f}</b> per million output tokens.<br>"
            f"Same model, same chips: {format_usd(spread['min_usd_per_mtok'])} to "
            f"{format_usd(spread['max_usd_per_mtok'])} per million tokens ({full:,.0f}x) from batch 1 to "
            f"the memory limit; {band}.<br>"
            "<small>Hardware cost only, from the kit's batching model; the GPU price starts at "
            "DeepSeek's own $2 per H800-hour, and any other price is illustrative.</small>"
        )


def price_dashboard(batch_size: int = 256, context_tokens: int = 4096) -> PriceDashboard:
    """DeepSeek-R1 on 16 H800 GPUs (FP8): batch, context and GPU price sliders, and the price chart.

    Parameters
    ----------
    batch_size : int
        Where the batch slider starts, one of :data:`BATCH_SIZES`.
    context_tokens : int
        Where the context slider starts, one of :data:`CONTEXT_TOKENS`.

    Returns
    -------
    PriceDashboard
        A widget (display it as the last line of a cell) with ``.sliders``, ``.readout``,
        ``.chart_widget``, ``.rows`` and ``.chosen``.
    """
    return PriceDashboard(batch_size=batch_size, context_tokens=context_tokens)
