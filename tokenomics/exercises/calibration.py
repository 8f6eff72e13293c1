"""Exercises for lesson 3b, does the model match reality? Errors, efficiencies and honest tests.

Every expected answer is computed here with :mod:`tokenomics.calibration` on the
``serving_measurements`` dataset, when the check runs.

Examples
--------
>>> q3.expected()
'goes up'
>>> q1.evaluate(q1.expected()).status
'correct'
"""

from __future__ import annotations

from dataclasses import replace

from tokenomics import calibration
from tokenomics.exercises import (
    ChoiceQuestion,
    ExerciseSet,
    KeyIdea,
    NumberQuestion,
    OpenQuestion,
    direction_of_change,
)

DEEPSEEK_PROFILE = "deepseek_profile_decode_throughput"
"""The measurement of question 3: DeepSeek-R1 on 128 H800s, 128 sequences per GPU."""


def _worst_error_pct() -> float:
    table = calibration.predict()
    return 100 * float(table.loc[table["error"].abs().idxmax(), "error"])


q1 = NumberQuestion(
    number=1,
    title="Where does the model miss the most?",
    prompt="""
With the kit's fitted defaults, which published measurement does the serving model miss by the
most? Store that measurement's error, model speed / measured speed - 1, **in percent and with its
sign** in `worst_error_pct` (+10 would mean the model is 10% too fast). Then look at the row and
at its named cause, `calibration.cause(row_id)`: is the model too fast or too slow there?
""",
    variable="worst_error_pct",
    unit="percent, with its sign",
    expected=_worst_error_pct,
    rel_tol=0.01,
    solution_code="""
defaults = calibration.predict()
worst = defaults.loc[defaults["error"].abs().idxmax()]
print(worst["id"], worst["mode"], "measured", worst["value"], "model", round(worst["predicted"]))
print(calibration.cause(worst["id"]))
worst_error_pct = 100 * float(worst["error"])
worst_error_pct
""",
    hints=(
        "`calibration.predict()` returns one row per measurement, with an `error` column "
        "(a fraction; NaN where a row cannot be predicted).",
        '`table["error"].abs().idxmax()` is the index of the row with the largest |error|; read '
        "`error` of that row with `table.loc[...]`, so that it keeps its sign.",
        "Multiply the fraction by 100 for percent.",
    ),
    explanation=(
        "The worst miss is a time to first token measured by a closed-loop benchmark: the model "
        "is far too fast there (a positive error, since a time predicted too short is a model too "
        "fast). Under a benchmark client's load the first token waits for other prompts' prefill; "
        "how long depends on how the requests happen to queue, which a steady-state model can only "
        "estimate. Its named cause says so."
    ),
)


def _median_error_pct_best_kernel_mbu() -> float:
    table = calibration.predict(efficiency=replace(calibration.DEFAULT, mbu=0.9))
    return 100 * calibration.median_abs_error(table, split="fit")


q2 = NumberQuestion(
    number=2,
    title="Read the dashboard: the best kernel's bandwidth everywhere?",
    show="calibration_dashboard()",
    prompt="""
The fitted MBU is well below the 0.9 of peak bandwidth the best published decode kernel
reaches (FlashMLA on an H800). Move the **MBU** slider to **0.90**, leaving the other factors
where they are. Read the new median |error| on **all predicted points** from the line under the
buttons and store it in `median_error_pct_mbu_090` (in percent, as the dashboard shows it). Is
the model better or worse with the best kernel's bandwidth?
""",
    variable="median_error_pct_mbu_090",
    unit="percent",
    expected=_median_error_pct_best_kernel_mbu,
    rel_tol=0.02,
    solution_code="""
# What the dashboard computes, in code:
best_kernel = replace(calibration.DEFAULT, mbu=0.9)
table = calibration.predict(efficiency=best_kernel)
median_error_pct_mbu_090 = 100 * calibration.median_abs_error(table, split="fit")
median_error_pct_mbu_090
""",
    hints=(
        "The readout's groups are the nine small-model points, all predicted points and the "
        "mixture-of-experts points; you want the second.",
        "In code: `calibration.predict(efficiency=replace(calibration.DEFAULT, mbu=0.9))`, then "
        '`calibration.median_abs_error(table, split="fit")` (a fraction).',
    ),
    explanation=(
        "With MBU 0.9 everywhere the model is too fast on most memory-bound points and the median "
        "error rises. One best kernel is not an average engine: paged attention over many short "
        "requests, dequantization and the rest of a real step reach a smaller share of the "
        "bandwidth, and the fit finds that share."
    ),
)


def _mfu_effect_on_deepseek_decode() -> str:
    def predicted(efficiency) -> float:
        table = calibration.predict(efficiency=efficiency).set_index("id")
        return float(table.loc[DEEPSEEK_PROFILE, "predicted"])

    return direction_of_change(
        predicted(calibration.DEFAULT), predicted(replace(calibration.DEFAULT, mfu=1.0))
    )


q3 = ChoiceQuestion(
    number=3,
    title="Predict: faster arithmetic for DeepSeek's decode",
    prompt="""
One measurement is DeepSeek's profiling setup: DeepSeek-R1 decoding on **128 H800s** (16 nodes)
with **128 sequences per GPU** and a KV length of **4,096** tokens (row
`deepseek_profile_decode_throughput`, in output tokens/s per 8-GPU node). The rule of thumb says
decode is memory-bound, so faster arithmetic should not help. Raise **MFU to 1.0**, all else at
the defaults.

Predict before you compute: does the model's decode throughput per node go up, go down, or stay
the same? Then check with `calibration.predict(efficiency=replace(calibration.DEFAULT, mfu=1.0))`
and store the answer in `mfu_effect_on_deepseek_decode`.
""",
    variable="mfu_effect_on_deepseek_decode",
    options=("goes up", "goes down", "stays the same"),
    expected=_mfu_effect_on_deepseek_decode,
    solution_code="""
row = "deepseek_profile_decode_throughput"
before = calibration.predict().set_index("id").loc[row, "predicted"]
faster_math = replace(calibration.DEFAULT, mfu=1.0)
after = calibration.predict(efficiency=faster_math).set_index("id").loc[row, "predicted"]
print(f"fitted MFU: {before:,.0f}   MFU 1.0: {after:,.0f} output tokens/s per node")

# Why: inside one step of that deployment (the batch is the whole replica's: 128 x 128 sequences)
unit = Deployment("DeepSeek-R1", "H800", n_gpus=128, weight_precision="fp8", engine="deepseek")
step = decode(unit, 128 * 128, 4096)
print("experts memory-bound?", step.expert_memory_bound, f"expert GEMMs {1e3 * step.expert_gemm_s:.1f} ms")
mfu_effect_on_deepseek_decode = "goes up"
""",
    hints=(
        "Each expert sees tokens x k / E of the step's tokens: 128 x 128 x 8 / 256 = 512 here. "
        "Is that above or below the critical batch of lesson 3?",
        'Look inside the step: `decode(Deployment("DeepSeek-R1", "H800", n_gpus=128, '
        'weight_precision="fp8", engine="deepseek"), 128 * 128, 4096)` has `expert_gemm_s` and '
        "`expert_memory_bound`.",
    ),
    explanation=(
        "At 128 sequences per GPU each expert sees about 512 tokens per step, above its critical "
        "batch: the expert GEMMs are compute-bound, so faster arithmetic shortens the step and the "
        'throughput per node goes up. "Decode is memory-bound" holds for a small batch per '
        "operator, and an expert's batch is the step's tokens x k / E."
    ),
)


def _littles_law_concurrency_per_gpu() -> float:
    return calibration.deepseek_concurrency_per_gpu()


q4 = NumberQuestion(
    number=4,
    title="Little's law on DeepSeek's day",
    prompt="""
DeepSeek published its decode throughput (about 14,800 output tokens/s per 8-GPU node) and the
speed each user saw (20-22 tokens/s), but not how many sequences each GPU decoded at once. Little's
law gives it: sequences in flight = throughput / speed per user. Using the middle of the speed
range, how many sequences did each decode GPU hold on average? Store it in
`deepseek_concurrency_per_gpu` (the figures are in `data.load("deepseek_day")`, or use
`calibration.deepseek_concurrency_per_gpu()` to check yourself).
""",
    variable="deepseek_concurrency_per_gpu",
    unit="sequences per GPU",
    expected=_littles_law_concurrency_per_gpu,
    rel_tol=0.02,
    solution_code="""
tokens_per_s_per_node = 14_800
tokens_per_s_per_user = (20 + 22) / 2
deepseek_concurrency_per_gpu = tokens_per_s_per_node / tokens_per_s_per_user / 8
deepseek_concurrency_per_gpu
""",
    hints=(
        "Throughput per node / speed per user = sequences per node.",
        "A node has 8 GPUs.",
    ),
    explanation=(
        "14,800 / 21 ~ 705 sequences per node, about 88 per GPU: not the 128 per GPU of DeepSeek's "
        "profiling run, which was a different setting. At that concurrency the model's throughput "
        "and speed per user carry the same error, since one is the other times the concurrency."
    ),
)


def _moe_error_change() -> str:
    def moe_median(efficiency) -> float:
        table = calibration.predict(efficiency=efficiency)
        moe = table["model"].map(calibration.model_is_moe)
        return calibration.median_abs_error(table[moe], split="fit")

    return direction_of_change(
        moe_median(calibration.DEFAULT),
        moe_median(replace(calibration.DEFAULT, collective_latency_s=0.0)),
    )


q5 = ChoiceQuestion(
    number=5,
    title="Predict: collectives with no latency",
    prompt="""
Each all-reduce, dispatch and combine costs a fitted latency on top of its bytes / bandwidth.
Set that **collective latency to 0**, all else at the defaults. Predict: does the median |error|
on the **mixture-of-experts** points go up, go down, or stay the same? Then check it in code and
store the answer in `moe_error_change`.
""",
    variable="moe_error_change",
    options=("goes up", "goes down", "stays the same"),
    expected=_moe_error_change,
    solution_code="""
no_latency = replace(calibration.DEFAULT, collective_latency_s=0.0)
for name, efficiency in [("fitted", calibration.DEFAULT), ("no latency", no_latency)]:
    table = calibration.predict(efficiency=efficiency)
    moe = table["model"].map(calibration.model_is_moe)
    print(f"{name}: MoE median |error| {calibration.median_abs_error(table[moe], split='fit'):.1%}")
moe_error_change = "goes up"
""",
    hints=(
        "The defaults are the best fit, on all points together. Does removing a cost make the "
        "model faster or slower?",
        "In code: split the table with `table['model'].map(calibration.model_is_moe)` and compare "
        '`calibration.median_abs_error(table[moe], split="fit")` for both settings.',
    ),
    explanation=(
        "Without the latency every collective is cheaper, so the model gets faster, most of all for "
        "expert-parallel deployments with two collectives per MoE layer, and the median error on "
        "the mixture-of-experts points changes as the check shows. A fitted factor is a compromise "
        "over all the points; moving it away from the fit rarely helps a large group."
    ),
)

q6 = OpenQuestion(
    number=6,
    title="Explain: why leave one source out?",
    prompt="""
A classmate reports the model's median |error| over every measurement with the factors fitted on
those same measurements, and calls it the model's accuracy. In a few sentences (at least 25
words), explain what is wrong with that and why the lesson leaves one *source* out at a time
rather than one *row*. Store your text in `why_leave_one_source_out`.
""",
    variable="why_leave_one_source_out",
    key_ideas=(
        KeyIdea(
            "points used to fit the factors are no test: the in-sample error looks better than it is "
            "(overfitting); a test needs measurements not used in the fit",
            (
                r"no longer (a |an )?(honest |fair |independent )?test",
                r"not (a |an )?(honest |fair |real |independent )?test",
                r"overfit|over-fit|over fit",
                r"independent|unseen|new (data|measurement|point)|fresh|optimistic|flatter",
                r"(hasn.t|has not|have not|haven.t|never|not) (yet )?(been )?seen",
                r"training (data|set|points?)|look\w* better than|in[- ]sample",
            ),
        ),
        KeyIdea(
            "rows of one source share a method, an engine, hardware or a benchmark client, so they "
            "are not independent: leaving out a row leaves its siblings in the fit",
            (
                r"same (source|method|engine|hardware|benchmark|campaign|setup|publisher|client)",
                r"shar(e|es|ed|ing)",
                r"correlat|not independent|siblings?|similar (rows|points|measurements)",
            ),
        ),
    ),
    model_answer="""
The factors were chosen to match those very measurements, so their error is no test: it shows
how well the model can be bent to the data, not how well it predicts a measurement it has not
seen, and it looks better than the model really is (overfitting). An honest figure predicts
points left out of the fit. Leaving out one row is not enough, because rows of one source share
their method, engine, hardware and benchmark client: the row's siblings stay in the fit and
carry its peculiarities in. Leaving a whole source out is the closest we have to a new,
independent measurement, which is why the lesson quotes the leave-one-source-out medians.
""",
    hints=(
        "What is a test for? What happens to that role once the tested points choose the factors?",
        "Two rows of the same blog post or benchmark run: what do they have in common?",
    ),
)

EXERCISES = ExerciseSet(
    module=__name__,
    lesson="03b_does_the_model_match_reality.ipynb",
    title="Exercises: does the model match reality?",
    introduction="""
These exercises practise lesson 3b: reading the serving model's errors against published
measurements, which efficiency moves which prediction, DeepSeek's own day by Little's law, and
why the points that choose a model's factors must be kept apart from the points that test it.
Errors are model speed / measured speed - 1: a positive error means the model is too fast, for a
time as for a throughput.
""",
    setup="""
from dataclasses import replace

from tokenomics import calibration, data
from tokenomics.batching import Deployment, decode
from tokenomics.dashboards.calibration import calibration_dashboard
""",
    questions=(q1, q2, q3, q4, q5, q6),
)
