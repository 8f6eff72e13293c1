"""Exercises for lesson 3b, does the model match reality? Errors, efficiencies and honest tests.

Every expected answer is computed here with :mod:`tokenomics.calibration` on the
``serving_measurements`` dataset, when the check runs.

Examples
--------
>>> q3.expected()
'stays the same'
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
With the kit's default efficiencies (MFU 0.7, MBU 0.9, 4 ms per step), which published
measurement does the batching model miss by the most? Store that measurement's error,
predicted / measured - 1, **in percent and with its sign** in `worst_error_pct` (-10 would mean
the model predicts 10% less than was measured). Then look at the row: is the model too fast or
too slow there?
""",
    variable="worst_error_pct",
    unit="percent, with its sign",
    expected=_worst_error_pct,
    rel_tol=0.01,
    solution_code="""
defaults = calibration.predict()
worst = defaults.loc[defaults["error"].abs().idxmax()]
print(worst["id"], worst["metric"], "measured", worst["value"], "predicted", round(worst["predicted"]))
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
        "The worst miss is SGLang's prefill throughput with 1,000-token prompts on 32 H100s: the "
        "model predicts about a third less throughput than measured, so it is too slow there. It "
        "charges every copy of a token sent to an expert on another node to the network, at full "
        "link speed and after the computation, while DeepSeek-style routing sends a token to at "
        "most 4 nodes and real engines overlap the transfer with computation."
    ),
)


def _median_error_pct_no_overhead() -> float:
    table = calibration.predict(efficiency=replace(calibration.DEFAULT, step_overhead_s=0.0))
    return 100 * calibration.median_abs_error(table, ids=calibration.SMALL_MODEL_POINTS)


q2 = NumberQuestion(
    number=2,
    title="Read the dashboard: what is the overhead per step worth?",
    show="calibration_dashboard()",
    prompt="""
The dashboard below starts at the kit's defaults, where the median |error| on the nine
small-model points is 3.0%. Move the **overhead per step** slider to **0 ms**, leaving MFU and
MBU where they are. Read the new median |error| on the **nine small-model points** from the line
under the buttons, and store it in `median_error_pct_no_overhead` (in percent, as the dashboard
shows it). Which dots on the chart moved the most?
""",
    variable="median_error_pct_no_overhead",
    unit="percent",
    expected=_median_error_pct_no_overhead,
    rel_tol=0.02,
    solution_code="""
# What the dashboard computes, in code:
no_overhead = replace(calibration.DEFAULT, step_overhead_s=0.0)
table = calibration.predict(efficiency=no_overhead)
median_error_pct_no_overhead = 100 * calibration.median_abs_error(table, ids=calibration.SMALL_MODEL_POINTS)
median_error_pct_no_overhead
""",
    hints=(
        "The readout's first group is the nine small-model points; the other two are the fit and "
        "held-out splits.",
        "In code: `calibration.predict(efficiency=replace(calibration.DEFAULT, step_overhead_s=0.0))`, "
        "then `calibration.median_abs_error(table, ids=calibration.SMALL_MODEL_POINTS)` (a fraction).",
    ),
    explanation=(
        "Without the fixed cost per step the median error on the nine points is several times "
        "larger, and the model is too fast almost everywhere: the decode steps at batch 1, the "
        "throughput of long generations (which pay the overhead once per step) and, most of all, "
        "the first token of a 128-token prompt, which comes out at about half the measured time. "
        "A few milliseconds per step (launching kernels, scheduling) is a large share of the "
        "measured decode steps of 13.5 and 22 ms."
    ),
)


def _mbu_effect_on_deepseek_decode() -> str:
    def predicted(efficiency) -> float:
        table = calibration.predict(efficiency=efficiency).set_index("id")
        return float(table.loc[DEEPSEEK_PROFILE, "predicted"])

    return direction_of_change(
        predicted(calibration.DEFAULT), predicted(replace(calibration.DEFAULT, mbu=1.0))
    )


q3 = ChoiceQuestion(
    number=3,
    title="Predict: faster memory for DeepSeek's decode",
    prompt="""
One held-out measurement is DeepSeek's profiling setup: DeepSeek-R1 decoding on **128 H800s**
(16 nodes) with **128 sequences per GPU** and a KV length of **4,096** tokens (row
`deepseek_profile_decode_throughput`, in output tokens/s per 8-GPU node). The lesson says that
memory-bound decode follows MBU. Raise **MBU from 0.9 to 1.0**, all else at the defaults.

Predict before you compute: does the model's predicted decode throughput per node go up, go
down, or stay the same? Then check with `calibration.predict(efficiency=replace(calibration.DEFAULT,
mbu=1.0))` and store the answer in `mbu_effect_on_deepseek_decode`.
""",
    variable="mbu_effect_on_deepseek_decode",
    options=("goes up", "goes down", "stays the same"),
    expected=_mbu_effect_on_deepseek_decode,
    solution_code="""
row = "deepseek_profile_decode_throughput"
before = calibration.predict().set_index("id").loc[row, "predicted"]
faster_memory = replace(calibration.DEFAULT, mbu=1.0)
after = calibration.predict(efficiency=faster_memory).set_index("id").loc[row, "predicted"]
print(f"MBU 0.9: {before:,.0f}   MBU 1.0: {after:,.0f} output tokens/s per node")

# Why: inside one step of that deployment (the batch is the whole replica's: 128 x 128 sequences)
step = decode(Deployment("DeepSeek-R1", "H800", n_gpus=128, weight_precision="fp8"), 128 * 128, 4096)
print(f"memory {1e3 * step.memory_s:.1f} ms, compute {1e3 * step.compute_s:.1f} ms, "
      f"network {1e3 * step.network_s:.1f} ms")
mbu_effect_on_deepseek_decode = "stays the same"
""",
    hints=(
        "Is decode always memory-bound? Section 4 of the lesson: at a big batch each weight read "
        "serves many tokens' worth of arithmetic.",
        'Look inside the step: `decode(Deployment("DeepSeek-R1", "H800", n_gpus=128, '
        'weight_precision="fp8"), 128 * 128, 4096)` has `memory_s`, `compute_s` and `network_s`.',
        "For the weights and for the attention over the KV cache, the model takes the longer of the "
        "memory time and the compute time. If the arithmetic takes longer in both, what does faster "
        "memory change?",
    ),
    explanation=(
        "At 128 sequences per GPU this step is not memory-bound: for the weights and for the "
        "attention over the KV cache alike, the arithmetic takes longer than reading the bytes, and "
        "the network between nodes is the largest part of the step. Faster memory shortens a roof "
        'that does not bind, so the prediction does not move. "Decode follows MBU" holds at small '
        "batches only."
    ),
)


def _tokens_per_s_per_node_no_network() -> float:
    no_network = replace(calibration.DEFAULT, network_gb_s=float("inf"))
    day = calibration.reproduce_deepseek_day(no_network).set_index("quantity")
    return float(day.loc["decode_output_tokens_per_s_per_node", "reproduced"])


q4 = NumberQuestion(
    number=4,
    title="DeepSeek's day without the network",
    prompt="""
`calibration.reproduce_deepseek_day()` recomputes DeepSeek's published day. For the decode speed
it runs the batching model on DeepSeek's decode unit: 144 H800s (18 nodes) in expert
parallelism, 128 sequences per GPU, an average KV length of 4,989 tokens. It takes the
efficiencies as its argument.

Remove the network time between nodes (`network_gb_s=float("inf")`, everything else at the
defaults) and recompute the day. What decode throughput per node does the model give now? Store
it in `tokens_per_s_per_node_no_network` (output tokens per second per 8-GPU node), and compare
it with DeepSeek's published 14,800.
""",
    variable="tokens_per_s_per_node_no_network",
    unit="output tokens per second per 8-GPU node",
    expected=_tokens_per_s_per_node_no_network,
    rel_tol=0.01,
    solution_code="""
no_network = replace(calibration.DEFAULT, network_gb_s=float("inf"))
day = calibration.reproduce_deepseek_day(no_network).set_index("quantity")
print(day[["published", "reproduced", "unit"]])
tokens_per_s_per_node_no_network = float(day.loc["decode_output_tokens_per_s_per_node", "reproduced"])
tokens_per_s_per_node_no_network
""",
    hints=(
        "`replace(calibration.DEFAULT, network_gb_s=...)` copies the default efficiencies with one "
        "field changed; pass the copy to `calibration.reproduce_deepseek_day(...)`.",
        'An infinitely fast network is `float("inf")`. The row you want is '
        "`decode_output_tokens_per_s_per_node`, in the `reproduced` column.",
    ),
    explanation=(
        "Without the network the model gives about 2.6 times DeepSeek's published 14,800 "
        "tokens/s per node, and nearly twice its 20-22 tokens/s per user. At 50 GB/s per GPU, "
        "DeepSeek's InfiniBand figure, the network takes nearly half of each decode step: for a "
        "deployment spread over 18 nodes, sending tokens to their experts is not a detail."
    ),
)


def _held_out_error_change() -> str:
    def held_out_median(efficiency) -> float:
        return calibration.median_abs_error(calibration.predict(efficiency=efficiency), split="held out")

    return direction_of_change(
        held_out_median(calibration.DEFAULT),
        held_out_median(replace(calibration.DEFAULT, step_overhead_s=0.006)),
    )


q5 = ChoiceQuestion(
    number=5,
    title="Predict: a longer overhead and the held-out points",
    prompt="""
The defaults were chosen as the best fit to the nine small-model points. Now raise the
**overhead per step from 4 ms to 6 ms**, leaving MFU and MBU at the defaults. Predict: does the
median |error| on the **held-out** points go up, go down, or stay the same? Then check it with
the dashboard of question 2 or in code, and store the answer in `held_out_error_change`.
""",
    variable="held_out_error_change",
    options=("goes up", "goes down", "stays the same"),
    expected=_held_out_error_change,
    solution_code="""
longer_overhead = replace(calibration.DEFAULT, step_overhead_s=0.006)
for name, efficiency in [("4 ms", calibration.DEFAULT), ("6 ms", longer_overhead)]:
    table = calibration.predict(efficiency=efficiency)
    held_out = calibration.median_abs_error(table, split="held out")
    nine = calibration.median_abs_error(table, ids=calibration.SMALL_MODEL_POINTS)
    print(f"{name}: held-out {held_out:.1%}, nine small-model points {nine:.1%}")
held_out_error_change = "goes down"
""",
    hints=(
        "A longer fixed cost per step makes every prediction slower. On the residual chart, where "
        "is the model too fast on the held-out points, and where too slow?",
        "The defaults are the best fit for the nine points they were chosen on; nothing says they "
        "are the best for the others.",
        "In code: `calibration.median_abs_error(calibration.predict(efficiency=...), "
        'split="held out")` with the defaults and with `step_overhead_s=0.006`.',
    ),
    explanation=(
        "A longer overhead slows every prediction. The model is too fast on the large decode "
        "deployments and too quick on the 13B model's total latencies, so those move towards the "
        "measurements and the held-out median falls. The nine small-model points, which the "
        "defaults fit best, get worse at the same time."
    ),
)

q6 = OpenQuestion(
    number=6,
    title="Explain: why not tune the defaults on the held-out points?",
    prompt="""
A classmate proposes to change the kit's default overhead to whatever value gives the lowest
median |error| on the **held-out** points. In a few sentences (at least 25 words), explain what is
wrong with that and what it would cost. Use what you saw in questions 2 to 5 and in section 5 of
the lesson. Store your text in `why_not_tune_on_held_out`.
""",
    variable="why_not_tune_on_held_out",
    key_ideas=(
        KeyIdea(
            "points used to choose the factors no longer test the model: the error on them looks "
            "better than it is (overfitting); a test needs measurements not used in the fit",
            (
                r"no longer (a |an )?(honest |fair |independent )?test",
                r"not (a |an )?(honest |fair |real |independent )?test",
                r"overfit|over-fit|over fit",
                r"independent|unseen|new (data|measurement|point)|fresh|optimistic",
                r"(hasn.t|has not|have not|haven.t|never|not) (yet )?(been )?seen",
                r"training (data|set|points?)|look\w* better than",
                r"(used|use|using) (them|the held[- ]out( points)?|those points|it) (to|for) "
                r"(choose|choosing|fit|fitting|pick|picking|tune|tuning|select)",
            ),
        ),
        KeyIdea(
            "the nine small-model points it was fitted on get worse: one fixed overhead cannot fit both",
            (
                r"(small|fit|nine|13b|7b).{0,80}(worse|less accurate|rise|rises|rising|grow|grows|"
                r"increase|go up|goes up|higher|bigger|larger)",
                r"(worse|less accurate|higher error|bigger error|larger error).{0,80}(small|fit|nine|13b|7b)",
                r"trade[- ]?off|trades?\b",
            ),
        ),
        KeyIdea(
            "the misses come from what the model leaves out (network and overlap, load imbalance, "
            "large expert-parallel deployments); a bigger overhead hides them rather than modelling them",
            (
                r"network|communicat|overlap|load imbalance|imbalance|expert[- ]parallel",
                r"leaves? out|left out|not model|doesn.t model|does not model|missing|structur",
                r"\bhid(e|es|ing|den)\b|mask|cover(s|ing)? up",
            ),
        ),
    ),
    model_answer="""
The held-out points are the model's test: they played no part in choosing the efficiencies, so
their error says how the model does on measurements it has not seen. If we pick the overhead
because it lowers their error, they have been used to fit the model and are no longer a test:
the error on them will look better than the model really is (overfitting), and we would need
new, independent measurements to test it again. It also costs accuracy where the model was good:
with 6 ms the nine small-model points get worse, their median |error| rising from about 3% to
about 12%. And the big held-out misses come from what the model leaves out: network
communication and its overlap with computation, and load imbalance between experts in large
expert-parallel deployments. A longer fixed overhead per step does not model those effects; it
only hides them.
""",
    hints=(
        "What are the held-out points for? What happens to that role once they choose the factors?",
        "What happens to the nine small-model points at 6 ms? (Move the dashboard's overhead slider "
        "and read the first group.)",
        "Section 5 of the lesson: why does the model miss the large deployments? Is a fixed cost per "
        "step the cause?",
    ),
)

EXERCISES = ExerciseSet(
    module=__name__,
    lesson="03b_does_the_model_match_reality.ipynb",
    title="Exercises: does the model match reality?",
    introduction="""
These exercises practise lesson 3b: reading the batching model's errors against published
measurements, which efficiency moves which prediction, the network time of large expert-parallel
deployments in DeepSeek's own day, and why the points that choose a model's factors must be kept
apart from the points that test it. Errors are predicted / measured - 1: a negative error means
the model predicts less than was measured.
""",
    setup="""
from dataclasses import replace

from tokenomics import calibration
from tokenomics.batching import Deployment, decode
from tokenomics.dashboards.calibration import calibration_dashboard
""",
    questions=(q1, q2, q3, q4, q5, q6),
)
