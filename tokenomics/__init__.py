"""Token Economics kit: the models and data behind the lessons on the economics of serving AI.

Layers, bottom up: :mod:`tokenomics.data` (sourced datasets), :mod:`tokenomics.catalog`
(accelerators and models), then the numpy models :mod:`tokenomics.kpi`,
:mod:`tokenomics.batching` and :mod:`tokenomics.queueing`.

Examples
--------
>>> import tokenomics
>>> tokenomics.model("DeepSeek-R1").kv_bytes_per_token()
70272.0
"""

from tokenomics.catalog import accelerator, accelerator_names, model, model_names

__all__ = ["accelerator", "accelerator_names", "model", "model_names"]
__version__ = "0.1.0"
