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

SPLIT_TITLES = {
    "fit": "Fit points: the efficiencies were chosen on these",
    "held out": "Held-out points: a test, never used to choose the efficiencies",
}
"""Panel titles of the residual chart, one panel per split."""

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
        As returned by :func:`tokenomics.calibration.predict`.

    Returns
    -------
    DataFrame
        One row per measurement whose split is not "not predicted", in the table's order, with
        ``id``, ``label`` (unique), ``system``, ``metric``, ``unit``, ``measured``, ``predicted``,
        ``error_pct`` (100 x ``error``), ``split`` and ``quality``.

    Examples
    --------
    >>> from tokenomics import calibration
    >>> rows = residual_data(calibration.predict())
    >>> bool((rows["split"] != "not predicted").all())
    True
    """
    missing = {"id", "system", "metric", "unit", "value", "predicted", "error", "split", "quality"} - set(
        table.columns
    )
    if missing:
        raise ValueError(f"table must come from calibration.predict(); missing columns {sorted(missing)}")
    rows = table[table["split"] != "not predicted"]
    labels = [measurement_label(row) for row in rows.to_dict("records")]
    seen: dict[str, int] = {}
    for i, label in enumerate(labels):
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1 or labels.count(label) > 1:
            labels[i] = f"{label} ({rows['id'].iloc[i]})"
    return pd.DataFrame(
        {
            "id": rows["id"].to_numpy(),
            "label": labels,
            "system": rows["system"].to_numpy(),
            "metric": rows["metric"].to_numpy(),
            "unit": rows["unit"].to_numpy(),
            "measured": rows["value"].to_numpy(dtype=float),
            "predicted": rows["predicted"].to_numpy(dtype=float),
            "error_pct": 100 * rows["error"].to_numpy(dtype=float),
            "split": rows["split"].to_numpy(),
            "quality": rows["quality"].to_numpy(),
        }
    )


def _residual_description(rows: pd.DataFrame) -> str:
    worst = rows.loc[rows["error_pct"].abs().idxmax()]
    median = float(np.median(np.abs(rows["error_pct"])))
    return (
        f"Dot chart of the batching model's error, predicted / measured - 1 in percent, for "
        f"{len(rows)} published measurements, one row each, in two panels: the points the "
        f"efficiencies were fitted on and the held-out points. Zero means the model matches the "
        f"measurement; the shaded band is +/-{ERROR_BAND_PCT:g}%. Median absolute error "
        f"{median:.1f}%; largest {worst['error_pct']:+.1f}% ({worst['id']})."
    )


def residual_chart(table: pd.DataFrame, title: str = "Model error per measurement (%)") -> alt.FacetChart:
    """How far the batching model is from each published measurement, in percent.

    One row per predicted measurement: a dot at predicted / measured - 1 (in %), coloured by
    the system that was measured, shaped by data quality (:func:`quality_encoding`). The
    points the efficiencies were fitted on and the held-out points are in separate panels
    with a shared axis. A line marks zero error and a shaded band +/-25%. Rows that cannot be
    predicted are left out.

    Parameters
    ----------
    table : DataFrame
        As returned by :func:`tokenomics.calibration.predict`.
    title : str
        The chart title.

    Returns
    -------
    altair.FacetChart
        One panel per split; its data (``chart.data``) is :func:`residual_data` of the table.

    Examples
    --------
    >>> from tokenomics import calibration
    >>> chart = residual_chart(calibration.predict(efficiency=calibration.ROOFLINE))
    >>> chart.data["split"].unique().tolist()
    ['held out', 'fit']
    >>> chart.to_dict()["spec"]["layer"][-1]["mark"]["type"]
    'point'
    """
    rows = residual_data(table)
    if rows.empty:
        raise ValueError("table has no predicted rows: nothing to draw")
    systems = sorted(rows["system"].unique())
    colour = alt.Scale(domain=systems, range=[OKABE_ITO[i % len(OKABE_ITO)] for i in range(len(systems))])
    tooltip = [
        alt.Tooltip("id:N", title="id"),
        alt.Tooltip("system:N", title="system"),
        alt.Tooltip("metric:N", title="metric"),
        alt.Tooltip("measured:Q", title="measured", format=",.4~r"),
        alt.Tooltip("predicted:Q", title="predicted", format=",.4~r"),
        alt.Tooltip("unit:N", title="unit"),
        alt.Tooltip("error_pct:Q", title="error, %", format="+.1f"),
        alt.Tooltip("split:N", title="split"),
        alt.Tooltip("quality:N", title="data quality"),
    ]
    y = alt.Y(
        "label:N",
        sort=rows["label"].tolist(),
        title=None,
        axis=alt.Axis(labelLimit=420, labelFontSize=11, domain=False, ticks=False),
    )
    x = alt.X(
        "error_pct:Q",
        title="error, % (predicted / measured - 1)",
        scale=alt.Scale(padding=10),
        axis=alt.Axis(tickCount=8),
    )
    band = (
        alt.Chart()
        .mark_rect(color=GREY, opacity=0.12)
        .encode(x=alt.datum(-ERROR_BAND_PCT), x2=alt.datum(ERROR_BAND_PCT), y=y)
    )
    zero = alt.Chart().mark_rule(color=GREY, strokeWidth=1.5).encode(x=alt.datum(0))
    stems = alt.Chart().mark_rule(color="#9a9a9a", strokeWidth=1).encode(x=x, x2=alt.datum(0), y=y)
    dots = (
        alt.Chart()
        .mark_point(filled=True, size=130, strokeWidth=0, opacity=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color("system:N", scale=colour, legend=alt.Legend(title="system")),
            tooltip=tooltip,
            **quality_encoding("point"),
        )
    )
    splits = [s for s in SPLIT_TITLES if s in set(rows["split"])]
    splits += sorted(set(rows["split"]) - set(splits))
    panel_title = " : ".join(
        f"datum.value == {json.dumps(k)} ? {json.dumps(v)}" for k, v in SPLIT_TITLES.items()
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
        alt.layer(band, zero, stems, dots, data=rows)
        .properties(width=380, height=alt.Step(20))
        .facet(row=alt.Row("split:N", sort=splits, title=None, header=header), spacing=14)
        .resolve_scale(y="independent")
        .properties(
            title=alt.Title(
                title,
                subtitle=f"0 = the model matches the measurement; shaded band: within +/-{ERROR_BAND_PCT:g}%",
            )
        )
    )
    return style(chart, _residual_description(rows))


def refresh_residual_chart(chart: alt.FacetChart, table: pd.DataFrame) -> alt.FacetChart:
    """``chart`` with the numbers of ``table``: a fast update for dashboards.

    When ``table`` has the same measurements (same labels and splits, same systems) as the
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
        and old[["label", "split", "system"]].equals(rows[["label", "split", "system"]])
    )
    if not same:
        return residual_chart(table)
    new = shallow_copy(chart)
    new.data = rows
    new.description = _residual_description(rows)
    return new
