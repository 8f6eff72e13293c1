"""Render each lesson's key chart to a PNG for the README's lesson map (``make pictures``).

Charts are built by the kit itself and rendered offline with ``vl-convert-python``, so the
pictures show exactly what the lessons compute. Run from anywhere; files go to ``docs/images/``.
"""

from __future__ import annotations

from pathlib import Path

import vl_convert

from tokenomics import calibration, data
from tokenomics.batching import Deployment
from tokenomics.charts import batching as batching_charts
from tokenomics.charts import market as market_charts
from tokenomics.charts import providers as providers_charts
from tokenomics.charts import start as start_charts
from tokenomics.charts import strategy as strategy_charts
from tokenomics.charts.calibration import residual_chart
from tokenomics.charts.efficiency import Racer, race_chart, race_data
from tokenomics.dashboards.market import APP_SHARE_SUBTITLE

IMAGES = Path(__file__).resolve().parent.parent / "docs" / "images"

R1_ON_16_H800 = Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8")
"""The deployment lessons 0 and 3 draw: DeepSeek-R1 in FP8 on two nodes of H800."""

PICTURES = {
    "01_market_share_decline.png": lambda: market_charts.timeline_chart(
        market_charts.app_share_rows(
            data.load("app_market_share"), data.load("app_market_share_illustrative")
        ),
        market_charts.event_rows(data.load("events")),
        title="DeepSeek's share of AI-app usage (%)",
        y_title="share of AI-app usage, %",
        subtitle=APP_SHARE_SUBTITLE,
    ),
    "00_start_here.png": lambda: start_charts.price_chart(start_charts.price_data(R1_ON_16_H800, 4096, 256)),
    "02_latency_and_context.png": lambda: providers_charts.latency_chart(providers_charts.host_rows()),
    "03_gpu_batching.png": lambda: batching_charts.frontier_chart(
        batching_charts.frontier_data(R1_ON_16_H800, 4096)
    ),
    "04_claude_token_efficiency.png": lambda: race_chart(
        race_data(Racer("Claude 4 Sonnet", 2.0, 45.0), Racer("DeepSeek (own API)", 2.0, 25.0), 1_000, 3.0)
    ),
    "05_compute_for_agi.png": lambda: strategy_charts.day_chart(strategy_charts.day_data()),
    "03b_does_the_model_match_reality.png": lambda: residual_chart(calibration.predict()),
}
"""File name -> a function building the lesson's key chart."""


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    for name, build in PICTURES.items():
        png = vl_convert.vegalite_to_png(build().to_json(), scale=1.5)
        (IMAGES / name).write_bytes(png)
        print(f"docs/images/{name}: {len(png) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
