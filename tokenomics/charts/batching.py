"""The GPU batching lesson's charts: the roofline of a decode step, the throughput-vs-interactivity
frontier, what memory leaves for the KV cache on each chip, and how a busy queue delays the first token.

Every ``*_data`` function runs the kit's models (:mod:`tokenomics.batching`,
:mod:`tokenomics.queueing`) and returns the rows a chart draws; every ``*_chart`` function draws
them; every ``refresh_*`` function swaps only the data of an existing chart, for fast redraws in
the dashboards (:mod:`tokenomics.dashboards.batching`).

Examples
--------
>>> from tokenomics.batching import Deployment
>>> rows = frontier_data(Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8"), 4096)
>>> frontier_chart(rows).to_dict()["title"]["text"]
'Tokens/s per GPU vs tokens/s per user'
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from tokenomics import data, queueing
from tokenomics.batching import Deployment, decode, frontier, max_batch_size, prefill_s
from tokenomics.catalog import accelerator_names, model
from tokenomics.charts import GREY, OKABE_ITO, quality_encoding, shallow_copy, style
from tokenomics.validation import between, whole

BOUNDS = ("memory-bound", "compute-bound", "network-bound", "DeepSeek's published day")
"""Colour legend of the frontier chart: what limits each model point, and the published point."""

BOUND_COLOURS = (OKABE_ITO[0], OKABE_ITO[4], OKABE_ITO[2], OKABE_ITO[7])

ROOFS = ("memory roof", "compute roof", "step time")
"""Lines of the roofline chart."""

TTFT_MEASURES = ("mean TTFT", "95th percentile TTFT")
"""Lines of the queueing chart."""

UTILIZATION_GRID = np.round(np.arange(0.02, 0.995, 0.01), 2)
"""Utilizations (fractions) at which the queueing chart evaluates the waits: 2% to 99%."""


def _ensure(rows: pd.DataFrame, columns: set[str], builder: str) -> None:
    missing = columns - set(rows.columns)
    if missing:
        raise ValueError(f"rows must come from {builder}; missing columns {sorted(missing)}")
    if rows.empty:
        raise ValueError(f"rows from {builder} are empty: nothing to draw")


def _refreshed(chart, rows: pd.DataFrame, description: str, title: str | None = None):
    """A shallow copy of ``chart`` with new data, description and (optionally) title text."""
    new = shallow_copy(chart)
    new.data = rows
    new.description = description
    if title is not None:
        new.title = alt.Title(title, subtitle=chart.title.subtitle)
    return new


def deployment_label(deployment: Deployment) -> str:
    """A short name for a deployment: model, chips and weight precision.

    Examples
    --------
    >>> deployment_label(Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8"))
    'DeepSeek-R1 on 16 x H800, FP8 weights'
    """
    return (
        f"{deployment.model.name} on {deployment.n_gpus} x {deployment.accelerator.name}, "
        f"{deployment.weight_precision.upper()} weights"
    )


def price_quality(deployment: Deployment) -> str:
    """Data quality of the price behind $/Mtok: the catalog's label, or "illustrative" for your own.

    A price passed as ``usd_per_gpu_hour`` that differs from the catalog's reference price is the
    student's own assumption, so it is "illustrative".

    Examples
    --------
    >>> price_quality(Deployment("DeepSeek-R1", "H800", weight_precision="fp8"))
    'reported'
    >>> price_quality(Deployment("DeepSeek-R1", "H800", weight_precision="fp8", usd_per_gpu_hour=3.0))
    'illustrative'
    """
    catalog_price = deployment.accelerator.usd_per_hour
    if catalog_price is None or deployment.price_usd_per_gpu_hour != catalog_price:
        return "illustrative"
    return deployment.accelerator.usd_per_hour_quality


# --------------------------------------------------------------------------------------------
# The roofline of one decode step
# --------------------------------------------------------------------------------------------


def critical_batch(deployment: Deployment, context_tokens: int, largest: int = 4096):
    """Smallest batch at which a decode step's compute roof reaches its memory roof.

    Below it the step is memory-bound: reading the weights (and KV cache) takes longer than the
    arithmetic, so adding sequences is almost free. Found by running
    :func:`tokenomics.batching.decode` on every batch from 1 to ``largest``.

    Returns
    -------
    int or None
        The batch size, or None when the step stays memory-bound up to ``largest``.

    Examples
    --------
    >>> critical_batch(Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=4, mfu=1, mbu=1), 1024)
    948
    """
    largest = int(whole("largest", largest).item())
    step = decode(deployment, np.arange(1, largest + 1), context_tokens)
    compute_bound = np.atleast_1d(step.compute_s >= step.memory_s)
    return int(np.argmax(compute_bound)) + 1 if compute_bound.any() else None


def roofline_data(deployment: Deployment, context_tokens: int, batch_sizes) -> pd.DataFrame:
    """Time of one decode step on each roof, by batch size: the rows of :func:`roofline_chart`.

    Parameters
    ----------
    deployment : Deployment
    context_tokens : int
        Tokens in each sequence's KV cache.
    batch_sizes : array_like of int
        Batch sizes to evaluate (>= 1).

    Returns
    -------
    DataFrame
        Three rows per batch size (``roof`` = "memory roof", "compute roof", "step time") with
        ``batch_size``, ``time_ms``, ``bound`` and ``quality`` (the model's inputs are the
        catalog's reported specifications: "reported").

    Examples
    --------
    >>> rows = roofline_data(Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=4), 1024, [1, 512])
    >>> rows[rows["batch_size"] == 512][["roof", "time_ms"]].round(1).values.tolist()
    [['memory roof', 40.8], ['compute roof', 23.7], ['step time', 89.0]]
    """
    step = decode(deployment, np.atleast_1d(batch_sizes), context_tokens)
    batch = np.atleast_1d(step.batch_size)
    times = {
        "memory roof": np.atleast_1d(step.memory_s),
        "compute roof": np.atleast_1d(step.compute_s),
        "step time": np.atleast_1d(step.step_s),
    }
    bound = np.atleast_1d(step.bound)
    return pd.DataFrame(
        [
            {
                "batch_size": int(b),
                "roof": roof,
                "time_ms": 1e3 * float(times[roof][i]),
                "bound": str(bound[i]),
                "quality": "reported",
            }
            for roof in ROOFS
            for i, b in enumerate(batch)
        ]
    )


def roofline_chart(rows: pd.DataFrame, title: str = "Time of one decode step (ms) by batch size"):
    """The memory roof, the compute roof and the modelled step time against the batch size.

    Examples
    --------
    >>> rows = roofline_data(Deployment("LLaMA-7B", "A100-80GB", n_gpus=1), 512, [1, 64, 512])
    >>> roofline_chart(rows).to_dict()["encoding"]["x"]["title"]
    'batch size, sequences (log scale)'
    """
    _ensure(rows, {"batch_size", "roof", "time_ms", "bound", "quality"}, "roofline_data")
    colour = alt.Scale(domain=list(ROOFS), range=[OKABE_ITO[0], OKABE_ITO[4], OKABE_ITO[7]])
    chart = (
        alt.Chart(rows)
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X("batch_size:Q", title="batch size, sequences (log scale)", scale=alt.Scale(type="log")),
            y=alt.Y("time_ms:Q", title="time of one decode step, ms"),
            color=alt.Color("roof:N", scale=colour, legend=alt.Legend(title="line")),
            tooltip=[
                alt.Tooltip("batch_size:Q", title="batch size", format=","),
                alt.Tooltip("roof:N", title="line"),
                alt.Tooltip("time_ms:Q", title="time, ms", format=",.2f"),
                alt.Tooltip("bound:N", title="binding roof"),
                alt.Tooltip("quality:N", title="data quality"),
            ],
            **quality_encoding("line"),
        )
        .properties(
            width=520,
            height=300,
            title=alt.Title(
                title, subtitle="model computation from the catalog's chip and model specifications"
            ),
        )
    )
    step = rows[rows["roof"] == "step time"]
    description = (
        f"Line chart of the time of one decode step, in milliseconds, for batch sizes "
        f"{step['batch_size'].min():,} to {step['batch_size'].max():,} on a log scale: the memory "
        "roof (bytes read / bandwidth), the compute roof (arithmetic / peak FLOP/s) and the modelled "
        f"step time, which adds a fixed overhead. The step takes {step['time_ms'].iloc[0]:.1f} ms "
        f"at the smallest batch and {step['time_ms'].iloc[-1]:.1f} ms at the largest."
    )
    return style(chart, description)


# --------------------------------------------------------------------------------------------
# The throughput-vs-interactivity frontier
# --------------------------------------------------------------------------------------------


def published_day_rows() -> pd.DataFrame:
    """DeepSeek's published decode speed, as frontier points (dataset ``deepseek_day``).

    Per user: 20 and 22 output tokens/s (reported). Per GPU: 14,800 output tokens/s per 8-GPU
    node / 8 GPUs = 1,850 (derived), so both points are "derived".

    Examples
    --------
    >>> published_day_rows()[["tokens_per_s_per_user", "tokens_per_s_per_gpu"]].values.tolist()
    [[20.0, 1850.0], [22.0, 1850.0]]
    """
    day = data.load("deepseek_day").set_index("quantity")["value"]
    per_gpu = float(day["decode_output_tokens_per_s_per_node"] / day["gpus_per_node"])
    speeds = [float(day["output_tokens_per_s_per_user_low"]), float(day["output_tokens_per_s_per_user_high"])]
    return pd.DataFrame(
        {
            "kind": "published",
            "batch_size": 0,
            "tokens_per_s_per_user": speeds,
            "tokens_per_s_per_gpu": per_gpu,
            "step_ms": [1e3 / s for s in speeds],
            "usd_per_mtok": 0.0,
            "bound": BOUNDS[-1],
            "is_max_batch": False,
            "label": "",
            "quality": "derived",
        }
    )


def frontier_data(deployment: Deployment, context_tokens: int, n_points: int = 40) -> pd.DataFrame:
    """The rows of :func:`frontier_chart`: one per batch size from 1 to the memory limit.

    Runs :func:`tokenomics.batching.frontier`; adds DeepSeek's published day
    (:func:`published_day_rows`) when the model is DeepSeek-R1.

    Parameters
    ----------
    deployment : Deployment
        Must have a price: the catalog's or ``usd_per_gpu_hour=...``.
    context_tokens : int
        Tokens in each sequence's KV cache.
    n_points : int
        Largest number of batch sizes.

    Returns
    -------
    DataFrame
        ``kind`` ("model" or "published"), ``batch_size``, ``tokens_per_s_per_user``,
        ``tokens_per_s_per_gpu``, ``step_ms``, ``usd_per_mtok``, ``bound`` (see :data:`BOUNDS`),
        ``is_max_batch``, ``label`` and ``quality`` (of the price, :func:`price_quality`).

    Raises
    ------
    ValueError
        If the chip has no price and none was given, or if not one sequence fits.

    Examples
    --------
    >>> d = Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=4)
    >>> rows = frontier_data(d, 4096, n_points=4)
    >>> rows[["batch_size", "bound"]].values.tolist()
    [[1, 'memory-bound'], [5, 'memory-bound'], [23, 'memory-bound'], [110, 'memory-bound']]
    """
    if deployment.price_usd_per_gpu_hour is None:
        raise ValueError(
            f"usd_per_gpu_hour is unknown for {deployment.accelerator.name}: the catalog has no "
            "reference price; pass usd_per_gpu_hour=... to Deployment"
        )
    step = frontier(deployment, context_tokens, n_points)
    batch = step.batch_size.astype(int)
    rows = pd.DataFrame(
        {
            "kind": "model",
            "batch_size": batch,
            "tokens_per_s_per_user": step.tokens_per_s_per_user,
            "tokens_per_s_per_gpu": step.tokens_per_s_per_gpu,
            "step_ms": 1e3 * step.step_s,
            "usd_per_mtok": step.usd_per_mtok,
            "bound": [f"{b}-bound" for b in step.bound],
            "is_max_batch": batch == batch.max(),
            "label": [f"max batch {b:,}: memory full" if b == batch.max() else "" for b in batch],
            "quality": price_quality(deployment),
        }
    )
    if deployment.model.name == "DeepSeek-R1":
        rows = pd.concat([rows, published_day_rows()], ignore_index=True)
    return rows


def _frontier_description(rows: pd.DataFrame, title: str) -> str:
    points = rows[rows["kind"] == "model"]
    first, last = points.iloc[0], points.iloc[-1]
    published = (
        " DeepSeek's published day is marked for comparison." if (rows["kind"] == "published").any() else ""
    )
    return (
        f"{title}. Scatter and line of decode output tokens per second per GPU against tokens per "
        f"second per user for {len(points)} batch sizes from 1 to the memory limit. Batch 1: "
        f"{first['tokens_per_s_per_user']:,.1f} tokens/s per user, {first['tokens_per_s_per_gpu']:,.0f} "
        f"per GPU, ${first['usd_per_mtok']:,.2f} per million output tokens. Largest batch "
        f"{last['batch_size']:,}: {last['tokens_per_s_per_user']:,.1f} per user, "
        f"{last['tokens_per_s_per_gpu']:,.0f} per GPU, ${last['usd_per_mtok']:,.2f} per million. "
        f"Colour shows the binding roof.{published}"
    )


def frontier_chart(rows: pd.DataFrame, title: str = "Tokens/s per GPU vs tokens/s per user"):
    """The throughput-vs-interactivity frontier: every batch size that fits is one point.

    Up and to the left: bigger batches, more tokens per GPU (cheaper), slower per user. Points
    are coloured by the binding roof and shaped by the data quality of the price behind $/Mtok
    (in the tooltip); the largest batch that fits in memory is labelled. DeepSeek's published
    day, when present, is drawn in black.

    Examples
    --------
    >>> rows = frontier_data(Deployment("LLaMA-7B", "A100-40GB", n_gpus=1), 1024, n_points=5)
    >>> spec = frontier_chart(rows).to_dict()
    >>> spec["layer"][1]["encoding"]["x"]["title"]
    'tokens/s per user (interactivity)'
    """
    _ensure(
        rows,
        {"kind", "tokens_per_s_per_user", "tokens_per_s_per_gpu", "usd_per_mtok", "bound"},
        "frontier_data",
    )
    x = alt.X(
        "tokens_per_s_per_user:Q", title="tokens/s per user (interactivity)", scale=alt.Scale(zero=True)
    )
    y = alt.Y("tokens_per_s_per_gpu:Q", title="output tokens/s per GPU (throughput)")
    is_model = alt.datum.kind == "model"
    tooltip = [
        alt.Tooltip("batch_size:Q", title="batch size (0: not published)", format=","),
        alt.Tooltip("tokens_per_s_per_user:Q", title="tokens/s per user", format=",.1f"),
        alt.Tooltip("tokens_per_s_per_gpu:Q", title="tokens/s per GPU", format=",.0f"),
        alt.Tooltip("step_ms:Q", title="decode step, ms", format=",.1f"),
        alt.Tooltip("usd_per_mtok:Q", title="$ per M output tokens (0: not computed)", format=",.3f"),
        alt.Tooltip("bound:N", title="binding roof"),
        alt.Tooltip("quality:N", title="data quality"),
    ]
    line = (
        alt.Chart()
        .transform_filter(is_model)
        .mark_line(color=GREY, strokeWidth=1.5)
        .encode(x=x, y=y, order="batch_size:Q")
    )
    dots = (
        alt.Chart()
        .mark_point(filled=True, size=80, opacity=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "bound:N",
                scale=alt.Scale(domain=list(BOUNDS), range=list(BOUND_COLOURS)),
                legend=alt.Legend(title="what limits the step"),
            ),
            tooltip=tooltip,
            **quality_encoding("point"),
        )
    )
    label = (
        alt.Chart()
        .transform_filter(alt.datum.is_max_batch)
        .mark_text(align="left", dx=8, dy=-8, fontSize=12)
        .encode(x=x, y=y, text="label:N")
    )
    chart = alt.layer(line, dots, label, data=rows).properties(
        width=520,
        height=330,
        title=alt.Title(
            title, subtitle="bigger batch: up and to the left; hover for $ per million output tokens"
        ),
    )
    return style(chart, _frontier_description(rows, title))


def refresh_frontier_chart(chart, rows: pd.DataFrame, title: str | None = None):
    """``chart`` with the rows of another :func:`frontier_data` call; only data, description and title change.

    Examples
    --------
    >>> d = Deployment("LLaMA-7B", "A100-40GB", n_gpus=1)
    >>> old = frontier_chart(frontier_data(d, 1024))
    >>> new = refresh_frontier_chart(old, frontier_data(d, 2048))
    >>> bool(new.data["batch_size"].max() < old.data["batch_size"].max())
    True
    """
    _ensure(
        rows,
        {"kind", "tokens_per_s_per_user", "tokens_per_s_per_gpu", "usd_per_mtok", "bound"},
        "frontier_data",
    )
    title = chart.title.text if title is None else title
    return _refreshed(chart, rows, _frontier_description(rows, title), title)


# --------------------------------------------------------------------------------------------
# Memory: how many sequences fit beside the weights
# --------------------------------------------------------------------------------------------

MEMORY_PARTS = ("weights", "KV cache at max batch", "not usable")
"""How one chip's HBM is split, in :func:`memory_data`."""


def memory_data(
    model_name: str,
    context_tokens: int,
    n_gpus: int = 8,
    weight_precision: str = "bf16",
    kv_precision: str = "bf16",
    accelerators=None,
) -> pd.DataFrame:
    """Largest batch and the memory of one chip, for one model on each chip: rows of :func:`memory_chart`.

    Chips that cannot run the precisions (no FP8 tensor cores, for example) are left out.

    Parameters
    ----------
    model_name : str
    context_tokens : int
        Tokens in each sequence's KV cache.
    n_gpus : int
        Chips per replica.
    weight_precision, kv_precision : {"bf16", "fp8", "fp4"}
    accelerators : list of str, optional
        Chips to compare (default: every chip of the catalog).

    Returns
    -------
    DataFrame
        Three rows per chip (``part`` in :data:`MEMORY_PARTS`, ``gb_per_gpu``), each with
        ``accelerator``, ``max_batch`` (sequences per replica), ``kv_gb_per_sequence``,
        ``weight_gb_per_gpu``, ``hbm_gb`` and ``quality`` (the chip's, or the model's if that is
        weaker).

    Raises
    ------
    ValueError
        If no chip can run the precisions.

    Examples
    --------
    >>> chips = ["H20", "H200"]
    >>> rows = memory_data("DeepSeek-R1", 4096, n_gpus=8, weight_precision="fp8", accelerators=chips)
    >>> rows.groupby("accelerator", sort=False)["max_batch"].first().to_dict()
    {'H20': 8, 'H200': 793}
    """
    names = accelerator_names() if accelerators is None else list(accelerators)
    spec = model(model_name)
    rows = []
    for name in names:
        try:
            deployment = Deployment(
                spec, name, n_gpus=n_gpus, weight_precision=weight_precision, kv_precision=kv_precision
            )
        except ValueError as error:
            if "not available" in str(error):
                continue  # this chip cannot run the precision
            raise
        chip = deployment.accelerator
        batch = int(max_batch_size(deployment, context_tokens))
        kv_gb = float(spec.kv_bytes_per_sequence(context_tokens, kv_precision)) / 1e9
        weights_gb = deployment.weight_gb_per_gpu
        kv_at_max_gb = batch * kv_gb / n_gpus
        quality = chip.quality if spec.quality == "reported" else spec.quality
        parts = {
            "weights": weights_gb,
            "KV cache at max batch": kv_at_max_gb,
            "not usable": max(chip.hbm_gb - weights_gb - kv_at_max_gb, 0.0),
        }
        for part, gb in parts.items():
            rows.append(
                {
                    "accelerator": name,
                    "part": part,
                    "gb_per_gpu": gb,
                    "max_batch": batch,
                    "kv_gb_per_sequence": kv_gb,
                    "weight_gb_per_gpu": weights_gb,
                    "hbm_gb": chip.hbm_gb,
                    "quality": quality,
                }
            )
    if not rows:
        raise ValueError(
            f"weight_precision={weight_precision!r}, kv_precision={kv_precision!r}: no chip among "
            f"{names} has tensor cores for both"
        )
    return pd.DataFrame(rows)


def _memory_description(rows: pd.DataFrame, title: str) -> str:
    per_chip = rows.groupby("accelerator", sort=False)["max_batch"].first()
    best = per_chip.idxmax()
    none = [name for name, b in per_chip.items() if b == 0]
    no_room = f" Weights alone fill {', '.join(none)}." if none else ""
    return (
        f"{title}. Two bar charts over {len(per_chip)} chips: the largest batch whose KV cache fits "
        f"beside the weights (most: {best}, {per_chip.max():,} sequences), and how each chip's memory "
        f"splits into weights, KV cache at that batch and the part kept free.{no_room}"
    )


def memory_chart(
    rows: pd.DataFrame, title: str = "Largest batch that fits in memory (sequences per replica)"
):
    """Bars of the largest batch per chip, beside each chip's memory split (GB per GPU).

    Examples
    --------
    >>> rows = memory_data("Llama-3.1-70B", 8192, n_gpus=4, accelerators=["H100-SXM", "B200"])
    >>> len(memory_chart(rows).to_dict()["hconcat"])
    2
    """
    _ensure(rows, {"accelerator", "part", "gb_per_gpu", "max_batch", "quality"}, "memory_data")
    order = list(dict.fromkeys(rows["accelerator"]))
    chip = alt.Y("accelerator:N", sort=order, title=None)
    tooltip = [
        alt.Tooltip("accelerator:N", title="chip"),
        alt.Tooltip("max_batch:Q", title="max batch, sequences per replica", format=","),
        alt.Tooltip("kv_gb_per_sequence:Q", title="KV cache per sequence, GB", format=",.3f"),
        alt.Tooltip("weight_gb_per_gpu:Q", title="weights per GPU, GB", format=",.1f"),
        alt.Tooltip("hbm_gb:Q", title="HBM per GPU, GB", format=",.0f"),
        alt.Tooltip("quality:N", title="data quality"),
    ]
    one_row = alt.Chart().transform_filter(alt.datum.part == "weights")
    bars = one_row.mark_bar(color=OKABE_ITO[0]).encode(
        x=alt.X("max_batch:Q", title="largest batch, sequences per replica"), y=chip, tooltip=tooltip
    )
    tips = one_row.mark_point(filled=True, size=70, color="#000000", opacity=1).encode(
        x="max_batch:Q", y=chip, tooltip=tooltip, **quality_encoding("point")
    )
    batch_panel = alt.layer(bars, tips).properties(width=300, height=alt.Step(22), title="largest batch")
    split = (
        alt.Chart()
        .mark_bar()
        .encode(
            x=alt.X("gb_per_gpu:Q", title="memory per GPU, GB", stack="zero"),
            y=chip,
            color=alt.Color(
                "part:N",
                scale=alt.Scale(domain=list(MEMORY_PARTS), range=[OKABE_ITO[4], OKABE_ITO[5], "#d9d9d9"]),
                legend=alt.Legend(title="memory of one GPU"),
            ),
            order=alt.Order("part_order:Q"),
            tooltip=[
                alt.Tooltip("accelerator:N", title="chip"),
                alt.Tooltip("part:N", title="part"),
                alt.Tooltip("gb_per_gpu:Q", title="GB per GPU", format=",.1f"),
                alt.Tooltip("quality:N", title="data quality"),
            ],
        )
        .transform_calculate(part_order=f"indexof({list(MEMORY_PARTS)}, datum.part)")
        .properties(width=300, height=alt.Step(22), title="where the memory goes")
    )
    chart = (
        alt.hconcat(batch_panel, split, data=rows)
        .resolve_scale(color="independent", shape="independent")
        .properties(title=alt.Title(title, subtitle="model computation from the catalog's specifications"))
    )
    return style(chart, _memory_description(rows, title))


def refresh_memory_chart(chart, rows: pd.DataFrame, title: str | None = None):
    """``chart`` with new :func:`memory_data` rows; rebuilt when the chips differ.

    Examples
    --------
    >>> old = memory_chart(memory_data("LLaMA-7B", 1024, n_gpus=1))
    >>> new = refresh_memory_chart(old, memory_data("LLaMA-7B", 2048, n_gpus=1))
    >>> int(new.data["max_batch"].max()) < int(old.data["max_batch"].max())
    True
    """
    _ensure(rows, {"accelerator", "part", "gb_per_gpu", "max_batch", "quality"}, "memory_data")
    title = chart.title.text if title is None else title
    if list(chart.data["accelerator"]) != list(rows["accelerator"]):
        return memory_chart(rows, title)
    return _refreshed(chart, rows, _memory_description(rows, title), title)


# --------------------------------------------------------------------------------------------
# Queueing: a busy service delays the first token
# --------------------------------------------------------------------------------------------


def service_time_s(deployment: Deployment, servers: int, prompt_tokens: int, output_tokens: int) -> float:
    """Seconds one request holds a batch slot: prefill, then decoding its answer in a full batch.

    service = prefill_s(prompt) + output_tokens / tokens per second per user at batch ``servers``,
    with the KV cache at its average length while the answer is written, prompt + output / 2.

    Raises
    ------
    ValueError
        If ``servers`` sequences of that length do not fit in memory.

    Examples
    --------
    >>> d = Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8")
    >>> round(service_time_s(d, 64, 2000, 1000), 1)
    32.7
    """
    servers = int(whole("servers", servers).item())
    output = int(whole("output_tokens", output_tokens).item())
    context = int(whole("prompt_tokens", prompt_tokens).item()) + output // 2
    step = decode(deployment, servers, context)
    if not step.fits:
        raise ValueError(
            f"servers must be <= {int(max_batch_size(deployment, context)):,}, the largest batch of "
            f"{context:,}-token sequences that fits on {deployment_label(deployment)} (got {servers:,})"
        )
    return float(prefill_s(deployment, prompt_tokens)) + output / step.tokens_per_s_per_user


def queue_data(
    deployment: Deployment, servers: int, prompt_tokens: int, output_tokens: int, utilization: float
) -> pd.DataFrame:
    """Mean and 95th-percentile time to first token against utilization: rows of :func:`queue_chart`.

    Each batch slot is a server of an M/M/c queue (:mod:`tokenomics.queueing`) with the service
    time of :func:`service_time_s`; TTFT = wait in the queue + prefill. The arrival rate at a
    utilization rho is rho x servers / service time.

    Parameters
    ----------
    deployment : Deployment
    servers : int
        Batch slots (sequences decoded together).
    prompt_tokens, output_tokens : int
        Length of each request's prompt and answer.
    utilization : float in (0, 1)
        The utilization to mark (added to :data:`UTILIZATION_GRID`).

    Returns
    -------
    DataFrame
        Two rows per utilization (``measure`` in :data:`TTFT_MEASURES`) with
        ``utilization_pct``, ``arrival_rate_per_s``, ``ttft_s``, ``wait_s``, ``prefill_s``,
        ``service_time_s``, ``is_current`` and ``quality`` ("illustrative": the request lengths
        are teaching values).

    Examples
    --------
    >>> d = Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8")
    >>> rows = queue_data(d, 64, 2000, 1000, 0.9)
    >>> rows[rows["is_current"]][["measure", "ttft_s"]].round(2).values.tolist()
    [['mean TTFT', 1.63], ['95th percentile TTFT', 9.39]]
    """
    current = float(between("utilization", utilization, 0, 1, include_low=False, include_high=False).item())
    service_s = service_time_s(deployment, servers, prompt_tokens, output_tokens)
    first_token_s = float(prefill_s(deployment, prompt_tokens))
    grid = np.union1d(UTILIZATION_GRID, [current])
    rate_per_s = grid * servers / service_s
    waits = {
        "mean TTFT": np.atleast_1d(queueing.mean_wait_s(servers, rate_per_s, service_s)),
        "95th percentile TTFT": np.atleast_1d(queueing.wait_quantile_s(servers, rate_per_s, service_s, 0.95)),
    }
    frames = [
        pd.DataFrame(
            {
                "measure": measure,
                "utilization_pct": 100 * grid,
                "arrival_rate_per_s": rate_per_s,
                "ttft_s": wait_s + first_token_s,
                "wait_s": wait_s,
                "prefill_s": first_token_s,
                "service_time_s": service_s,
                "is_current": grid == current,
                "quality": "illustrative",
            }
        )
        for measure, wait_s in waits.items()
    ]
    return pd.concat(frames, ignore_index=True)


def _queue_description(rows: pd.DataFrame, title: str) -> str:
    now = rows[rows["is_current"]].set_index("measure")
    return (
        f"{title}. Two lines, mean and 95th-percentile time to first token in seconds, against the "
        f"utilization of the batch slots from {rows['utilization_pct'].min():.0f}% to "
        f"{rows['utilization_pct'].max():.0f}%. They stay near the prefill time "
        f"({rows['prefill_s'].iloc[0]:.2f} s) until the slots are nearly always busy, then rise steeply. "
        f"At the marked {now['utilization_pct'].iloc[0]:.0f}%: mean {now.loc['mean TTFT', 'ttft_s']:,.2f} s, "
        f"95th percentile {now.loc['95th percentile TTFT', 'ttft_s']:,.2f} s. Illustrative request lengths."
    )


def queue_chart(rows: pd.DataFrame, title: str = "Time to first token (s) as the GPUs fill up"):
    """Mean and 95th-percentile TTFT against utilization, log scale, the current utilization marked.

    Examples
    --------
    >>> d = Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8")
    >>> queue_chart(queue_data(d, 64, 2000, 1000, 0.9)).to_dict()["layer"][0]["encoding"]["y"]["title"]
    'time to first token, s (log scale)'
    """
    _ensure(rows, {"measure", "utilization_pct", "ttft_s", "is_current", "quality"}, "queue_data")
    x = alt.X(
        "utilization_pct:Q", title="utilization of the batch slots, %", scale=alt.Scale(domain=[0, 100])
    )
    y = alt.Y("ttft_s:Q", title="time to first token, s (log scale)", scale=alt.Scale(type="log"))
    colour = alt.Color(
        "measure:N",
        scale=alt.Scale(domain=list(TTFT_MEASURES), range=[OKABE_ITO[0], OKABE_ITO[4]]),
        legend=alt.Legend(title="measure"),
    )
    tooltip = [
        alt.Tooltip("measure:N", title="measure"),
        alt.Tooltip("utilization_pct:Q", title="utilization, %", format=".0f"),
        alt.Tooltip("arrival_rate_per_s:Q", title="arrivals, requests/s", format=",.2f"),
        alt.Tooltip("ttft_s:Q", title="time to first token, s", format=",.2f"),
        alt.Tooltip("wait_s:Q", title="of which waiting, s", format=",.2f"),
        alt.Tooltip("prefill_s:Q", title="of which prefill, s", format=",.3f"),
        alt.Tooltip("quality:N", title="data quality"),
    ]
    lines = (
        alt.Chart()
        .mark_line(strokeWidth=2)
        .encode(x=x, y=y, color=colour, tooltip=tooltip, **quality_encoding("line"))
    )
    now = (
        alt.Chart()
        .transform_filter(alt.datum.is_current)
        .mark_point(filled=True, size=90, opacity=1)
        .encode(x=x, y=y, color=colour, tooltip=tooltip)
    )
    rule = (
        alt.Chart()
        .transform_filter(alt.datum.is_current & (alt.datum.measure == TTFT_MEASURES[0]))
        .mark_rule(color=GREY, strokeDash=[3, 3])
        .encode(x=x)
    )
    chart = alt.layer(lines, rule, now, data=rows).properties(
        width=520,
        height=320,
        title=alt.Title(
            title, subtitle="illustrative request lengths; Erlang C queue, each batch slot a server"
        ),
    )
    return style(chart, _queue_description(rows, title))


def refresh_queue_chart(chart, rows: pd.DataFrame, title: str | None = None):
    """``chart`` with new :func:`queue_data` rows; only data, description and title change.

    Examples
    --------
    >>> d = Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8")
    >>> old = queue_chart(queue_data(d, 64, 2000, 1000, 0.5))
    >>> new = refresh_queue_chart(old, queue_data(d, 64, 2000, 1000, 0.95))
    >>> float(new.data[new.data["is_current"]]["utilization_pct"].iloc[0])
    95.0
    """
    _ensure(rows, {"measure", "utilization_pct", "ttft_s", "is_current", "quality"}, "queue_data")
    title = chart.title.text if title is None else title
    return _refreshed(chart, rows, _queue_description(rows, title), title)
