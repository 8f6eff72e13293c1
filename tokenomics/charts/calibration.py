"""The calibration lesson's charts: the batching model's error on each published measurement.

Examples
--------
>>> from tokenomics import calibration
>>> chart = residual_chart(calibration.predict())
>>> chart.to_dict()["title"]["text"]
'Model error per measurement (%)'
"""

from __future__ import annotations

import json

import altair as alt
import numpy as np
import pandas as pd

from tokenomics.charts import GREY, OKABE_ITO, quality_encoding, shallow_copy, style

ERROR_BAND_PCT = 25.0
"""Half-width of the shaded band on residual charts: the kit aims to be within 25% of a
published measurement (the calibration notes' target)."""

MODE_TITLES = {
    "static_batch": "Static batch: prefill, then decode",
    "closed_loop": "Closed loop: fixed concurrency, continuous batching",
    "offline_max": "Offline: throughput at the largest batch that fits",
    "server_latency_bound": "Server: the load that meets latency limits",
    "service_average": "Service: a day's average (DeepSeek)",
}
"""Panel titles of the residual chart, one panel per serving mode."""

ERROR_AXIS_PCT = (-100.0, 300.0)
"""Range of the residual chart's error axis; points beyond it are drawn at its edge (hollow)."""

METRIC_WORDS = {
    "prefill_ms": "prefill time",
    "first_token_ms": "first token",
    "decode_ms_per_token": "decode step",
    "total_latency_ms": "total latency",
    "output_tokens_per_s_per_gpu": "output tok/s per GPU",
    "output_tokens_per_s_per_node": "output tok/s per node",
    "input_tokens_per_s_per_node": "input tok/s per node",
    "tokens_per_s_per_user": "tok/s per user",
    "output_usd_per_mtok": "$ per M output tokens",
    "output_tokens_per_s": "output tok/s (system)",
    "total_tokens_per_s_per_gpu": "total tok/s per GPU",
    "requests_per_s": "requests/s",
}
"""Short words for each metric of the ``serving_measurements`` dataset, used in chart labels."""


def measurement_label(row: dict) -> str:
    """A short label for one measurement row: who, what, and the configuration.

    Examples
    --------
    >>> measurement_label({"system": "TensorRT-LLM", "metric": "output_tokens_per_s_per_gpu",
    ...     "n_gpus": 1, "batch_size": 256, "input_tokens": 128, "output_tokens": 128})
    'TensorRT-LLM · output tok/s per GPU · 1 GPU, batch 256, 128 in, 128 out'
    """

    def given(key):
        value = row.get(key)
        return None if value is None or pd.isna(value) else int(value)

    formats = {
        "n_gpus": lambda n: f"{n:,} GPU{'' if n == 1 else 's'}",
        "batch_size": lambda n: f"batch {n:,}",
        "input_tokens": lambda n: f"{n:,} in",
        "output_tokens": lambda n: f"{n:,} out",
    }
    parts = [show(given(key)) for key, show in formats.items() if given(key) is not None]
    metric = METRIC_WORDS.get(row["metric"], row["metric"])
    return " · ".join([row["system"], metric, ", ".join(parts)]) if parts else f"{row['system']} · {metric}"


def residual_data(table: pd.DataFrame) -> pd.DataFrame:
    """The rows :func:`residual_chart` draws: every predicted measurement, error in percent.

    Parameters
    ----------
    table : DataFrame
        As returned by :func:`tokenomics.calibration.predict` (or
        :func:`tokenomics.calibration.leave_one_source_out`).

    Returns
    -------
    DataFrame
        One row per predicted measurement, in the table's order, with ``id``, ``label`` (unique),
        ``system``, ``source_name``, ``mode``, ``family`` ("mixture of experts" or "dense"), ``metric``,
        ``unit``, ``measured``, ``predicted``, ``error_pct`` (100 x ``error``: model speed /
        measured speed - 1), ``shown_pct`` (the error clipped to :data:`ERROR_AXIS_PCT`),
        ``clipped`` and ``quality``.

    Examples
    --------
    >>> from tokenomics import calibration
    >>> rows = residual_data(calibration.predict())
    >>> sorted(rows["family"].unique())
    ['dense', 'mixture of experts']
    """
    from tokenomics.calibration import model_is_moe

    needed = {"id", "system", "metric", "unit", "value", "predicted", "error", "split", "quality", "mode"}
    missing = needed - set(table.columns)
    if missing:
        raise ValueError(f"table must come from calibration.predict(); missing columns {sorted(missing)}")
    rows = table[table["split"] != "not predicted"]
    error_pct = 100 * rows["error"].to_numpy(dtype=float)
    shown = np.clip(error_pct, *ERROR_AXIS_PCT)
    source = rows["source_name"] if "source_name" in rows.columns else rows["system"]
    labels = [measurement_label(row) for row in rows.to_dict("records")]
    repeated = pd.Series(labels).duplicated(keep=False).to_numpy()
    labels = [
        f"{label} ({i})" if twice else label
        for label, i, twice in zip(labels, rows["id"], repeated, strict=True)
    ]
    return pd.DataFrame(
        {
            "id": rows["id"].to_numpy(),
            "label": labels,
            "system": rows["system"].to_numpy(),
            "source_name": source.fillna(rows["system"]).to_numpy(),
            "mode": rows["mode"].to_numpy(),
            "family": ["mixture of experts" if model_is_moe(m) else "dense" for m in rows["model"]],
            "metric": rows["metric"].to_numpy(),
            "unit": rows["unit"].to_numpy(),
            "measured": rows["value"].to_numpy(dtype=float),
            "predicted": rows["predicted"].to_numpy(dtype=float),
            "error_pct": error_pct,
            "shown_pct": shown,
            "clipped": shown != error_pct,
            "quality": rows["quality"].to_numpy(),
        }
    )


def _residual_description(rows: pd.DataFrame) -> str:
    worst = rows.loc[rows["error_pct"].abs().idxmax()]
    median = float(np.median(np.abs(rows["error_pct"])))
    return (
        f"Dot chart of the serving model's signed error, model speed / measured speed - 1 in percent, "
        f"for {len(rows)} published measurements from {rows['source_name'].nunique()} sources: one "
        f"panel per serving mode, one row per source, one dot per measurement, coloured by model "
        f"family. Zero means the model matches; the shaded band is +/-{ERROR_BAND_PCT:g}%; points "
        f"beyond {ERROR_AXIS_PCT[1]:+g}% are drawn hollow at the edge. Median absolute error "
        f"{median:.1f}%; largest {worst['error_pct']:+.1f}% ({worst['id']})."
    )


def residual_chart(table: pd.DataFrame, title: str = "Model error per measurement (%)") -> alt.FacetChart:
    """How far the serving model is from each published measurement, by source and mode.

    One dot per predicted measurement at model speed / measured speed - 1 (in %, so a time
    predicted too short is a positive error, like a rate predicted too high), one row per source,
    one panel per serving mode, coloured by model family (dense or mixture of experts). A line
    marks zero error and a shaded band +/-25%; the axis runs from -100% to +300% and points
    beyond it are drawn hollow at the edge. Rows that cannot be predicted are left out.

    Parameters
    ----------
    table : DataFrame
        As returned by :func:`tokenomics.calibration.predict`.
    title : str
        The chart title.

    Returns
    -------
    altair.FacetChart
        One panel per mode; its data (``chart.data``) is :func:`residual_data` of the table.

    Examples
    --------
    >>> from tokenomics import calibration
    >>> chart = residual_chart(calibration.predict(efficiency=calibration.ROOFLINE))
    >>> sorted(chart.data["mode"].unique())[:2]
    ['closed_loop', 'offline_max']
    >>> chart.to_dict()["spec"]["layer"][-1]["mark"]["type"]
    'point'
    """
    rows = residual_data(table)
    if rows.empty:
        raise ValueError("table has no predicted rows: nothing to draw")
    families = ["dense", "mixture of experts"]
    colour = alt.Scale(domain=families, range=[OKABE_ITO[0], OKABE_ITO[1]])
    tooltip = [
        alt.Tooltip("id:N", title="id"),
        alt.Tooltip("label:N", title="measurement"),
        alt.Tooltip("metric:N", title="metric"),
        alt.Tooltip("measured:Q", title="measured", format=",.4~r"),
        alt.Tooltip("predicted:Q", title="model", format=",.4~r"),
        alt.Tooltip("unit:N", title="unit"),
        alt.Tooltip("error_pct:Q", title="error, %", format="+.1f"),
        alt.Tooltip("quality:N", title="data quality"),
    ]
    y = alt.Y(
        "source_name:N",
        title=None,
        axis=alt.Axis(labelLimit=320, labelFontSize=11, domain=False, ticks=False),
    )
    x = alt.X(
        "shown_pct:Q",
        title="error, % (model speed / measured speed - 1)",
        scale=alt.Scale(domain=list(ERROR_AXIS_PCT)),
        axis=alt.Axis(tickCount=8),
    )
    band = (
        alt.Chart()
        .mark_rect(color=GREY, opacity=0.12)
        .encode(x=alt.datum(-ERROR_BAND_PCT), x2=alt.datum(ERROR_BAND_PCT))
    )
    zero = alt.Chart().mark_rule(color=GREY, strokeWidth=1.5).encode(x=alt.datum(0))
    dots = (
        alt.Chart()
        .mark_point(size=70, strokeWidth=1.5, opacity=0.75)
        .encode(
            x=x,
            y=y,
            color=alt.Color("family:N", scale=colour, legend=alt.Legend(title="model family")),
            fill=alt.condition("datum.clipped", alt.value("white"), alt.Color("family:N", scale=colour)),
            tooltip=tooltip,
            **quality_encoding("point"),
        )
    )
    modes = [m for m in MODE_TITLES if m in set(rows["mode"])]
    panel_title = " : ".join(
        f"datum.value == {json.dumps(k)} ? {json.dumps(v)}" for k, v in MODE_TITLES.items()
    )
    header = alt.Header(
        labelExpr=f"{panel_title} : datum.value",
        labelAngle=0,
        labelOrient="top",
        labelAnchor="start",
        labelFontSize=13,
        labelFontWeight="bold",
        labelPadding=6,
    )
    chart = (
        alt.layer(band, zero, dots, data=rows)
        .properties(width=420, height=alt.Step(22))
        .facet(row=alt.Row("mode:N", sort=modes, title=None, header=header), spacing=14)
        .resolve_scale(y="independent")
        .properties(
            title=alt.Title(
                title,
                subtitle=(
                    f"0 = the model matches the measurement; shaded band: within +/-{ERROR_BAND_PCT:g}%; "
                    f"hollow: beyond {ERROR_AXIS_PCT[1]:+g}%, drawn at the edge"
                ),
            )
        )
    )
    return style(chart, _residual_description(rows))


def refresh_residual_chart(chart: alt.FacetChart, table: pd.DataFrame) -> alt.FacetChart:
    """``chart`` with the numbers of ``table``: a fast update for dashboards.

    When ``table`` has the same measurements (same ids, modes and sources) as the
    chart was built from, only the data and the description are replaced, which is several
    times faster than building the chart again; otherwise the chart is rebuilt with
    :func:`residual_chart`. ``chart`` itself is left unchanged.

    Examples
    --------
    >>> from tokenomics import calibration
    >>> chart = residual_chart(calibration.predict())
    >>> roofline = refresh_residual_chart(chart, calibration.predict(efficiency=calibration.ROOFLINE))
    >>> roofline.data is not chart.data
    True
    """
    rows = residual_data(table)
    old = chart.data
    same = (
        isinstance(old, pd.DataFrame)
        and not rows.empty
        and old[["id", "mode", "source_name"]].equals(rows[["id", "mode", "source_name"]])
    )
    if not same:
        return residual_chart(table)
    new = shallow_copy(chart)
    new.data = rows
    new.description = _residual_description(rows)
    return new
