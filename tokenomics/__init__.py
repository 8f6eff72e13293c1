"""Token Economics kit: the models and data behind the lessons on the economics of serving AI.

Layers, bottom up, each importing only the ones before it:

1. :mod:`tokenomics.data`: the sourced datasets;
2. :mod:`tokenomics.catalog`: accelerators and model architectures
   (:mod:`tokenomics.model_spec` holds a model's architecture and the formulas on it,
   :mod:`tokenomics.hf_config` reads one from any Hugging Face ``config.json``);
3. the numpy models: :mod:`tokenomics.kpi`, :mod:`tokenomics.batching`,
   :mod:`tokenomics.queueing`, :mod:`tokenomics.market` (shares and volumes),
   :mod:`tokenomics.choice` (which host a user picks), :mod:`tokenomics.efficiency` (time and
   cost per answer), :mod:`tokenomics.tokens` (a small tokenizer),
   :mod:`tokenomics.strategy` (a fleet split between serving and research), and
   :mod:`tokenomics.calibration` (the batching model against published measurements);
4. presentation: :mod:`tokenomics.charts` (altair) and :mod:`tokenomics.dashboards` (ipywidgets),
   one module per lesson;
5. exercises: :mod:`tokenomics.exercises`, the questions of the exercise notebooks with their
   checks, hints and solutions, one module per lesson.

Examples
--------
>>> import tokenomics
>>> tokenomics.model("DeepSeek-R1").kv_bytes_per_token()
70272.0
"""

from tokenomics.catalog import accelerator, accelerator_names, model, model_from_config, model_names

__all__ = ["accelerator", "accelerator_names", "model", "model_from_config", "model_names"]
__version__ = "0.1.0"
