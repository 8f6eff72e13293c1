"""Time a decode sweep of the batching model over 1,000,000 (batch, context, hardware) points.

Ten deployments of DeepSeek-R1 and Llama-3.1-70B on different chips, each evaluated on a
100,000-point grid of batch sizes (1 to 4,096) and contexts (128 to 32,768 tokens) in one
vectorised call per deployment. Run from the repository root: ``python benchmarks/bench_batching.py``.
"""

from __future__ import annotations

import numpy as np
from timing import measure, report

from tokenomics.batching import Deployment, decode

DEPLOYMENTS = [
    ("DeepSeek-R1", "H800", 16, "fp8"),
    ("DeepSeek-R1", "H20", 8, "fp8"),
    ("DeepSeek-R1", "H200", 8, "fp8"),
    ("DeepSeek-R1", "B200", 8, "fp4"),
    ("DeepSeek-R1", "MI300X", 8, "fp8"),
    ("Llama-3.1-70B", "H100-SXM", 4, "bf16"),
    ("Llama-3.1-70B", "A100-80GB", 4, "bf16"),
    ("Llama-3.1-70B", "MI325X", 1, "bf16"),
    ("Llama-3.1-70B", "TPU-v6e", 8, "bf16"),
    ("Llama-3.1-70B", "Trainium2", 4, "bf16"),
]
BATCHES = np.unique(np.round(np.geomspace(1, 4096, 400)))
CONTEXTS = np.round(np.geomspace(128, 32_768, 100_000 // len(BATCHES) + 1))


def sweep() -> int:
    """Decode every deployment over the (batch, context) grid; return the number of points."""
    points = 0
    for model, chip, n_gpus, precision in DEPLOYMENTS:
        deployment = Deployment(model, chip, n_gpus=n_gpus, weight_precision=precision)
        step = decode(deployment, BATCHES[:, None], CONTEXTS[None, :])
        points += step.step_s.size
    return points


def run() -> dict:
    """Time :func:`sweep` and report it with its point count."""
    return measure("decode sweep", sweep(), sweep)


if __name__ == "__main__":
    print(report(run()))
