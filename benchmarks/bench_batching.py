"""Time a decode sweep of the batching model over 1,000,000 (batch, context, hardware) points.

Ten deployments of DeepSeek-R1 and Llama-3.1-70B on different chips, each evaluated on a
100,000-point grid of batch sizes (1 to 4,096) and contexts (128 to 32,768 tokens) in one
vectorised call per deployment, and a floor measured in the same run: 30 elementwise numpy
passes over the same grid (about as many array operations as the model's formulas need),
so the ratio says how close the model is to what numpy can do on this machine. Run from the
repository root: ``python benchmarks/bench_batching.py``.
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


NUMPY_PASSES = 30


def numpy_floor() -> int:
    """30 elementwise passes (multiply-add) over each deployment's grid: the floor to compare with."""
    points = 0
    for _ in DEPLOYMENTS:
        batch, context = np.broadcast_arrays(BATCHES[:, None], CONTEXTS[None, :])
        value = batch * 1.0
        for _ in range(NUMPY_PASSES):
            value = value * 0.999 + context
        points += value.size
    return points


def run() -> dict:
    """Time :func:`sweep` and report it with its point count."""
    return measure("decode sweep", sweep(), sweep)


def run_floor() -> dict:
    """Time :func:`numpy_floor` on the same grid."""
    return measure(f"numpy floor ({NUMPY_PASSES} passes)", numpy_floor(), numpy_floor)


if __name__ == "__main__":
    model, floor = run(), run_floor()
    print(report(model))
    print(report(floor))
    print(
        f"decode sweep / numpy floor: {model['median_ms'] / floor['median_ms']:.2f}x (median), "
        f"{model['best_ms'] / floor['best_ms']:.2f}x (best)"
    )
