"""Exercises for lesson 3, GPU batching: memory caps the batch, queues cost first tokens.

Every expected answer is computed here with the kit's models, when the check runs.

Examples
--------
>>> q1.evaluate(q1.expected()).status
'correct'
"""

from __future__ import annotations

from tokenomics import queueing
from tokenomics.batching import Deployment, decode, max_batch_size, prefill_s
from tokenomics.charts.batching import critical_batch, service_time_s
from tokenomics.exercises import (
    ChoiceQuestion,
    ExerciseSet,
    FunctionQuestion,
    KeyIdea,
    NumberQuestion,
    OpenQuestion,
)
from tokenomics.kpi import cost_usd_per_mtok

# The deployment of the lesson's queue and frontier dashboards.
R1_ON_16_H800 = dict(model="DeepSeek-R1", accelerator="H800", n_gpus=16, weight_precision="fp8")


def _h20_largest_batch() -> int:
    return max_batch_size(Deployment("DeepSeek-R1", "H20", n_gpus=8, weight_precision="fp8"), 4096)


q1 = NumberQuestion(
    number=1,
    title="How many conversations fit on an H20 node?",
    prompt="""
The H20 is NVIDIA's export version of its Hopper chip for China: 96 GB of HBM and more memory
bandwidth than an H100 (4.0 against 3.35 TB/s), but about a sixth of its FLOP/s. What is the
largest batch of DeepSeek-R1 sequences that one node of **8 H20s** can hold at **4,096 tokens**
of context, with FP8 weights and a BF16 KV cache (the `Deployment` default for the KV cache)?
Store it in `largest_batch` (a whole number of sequences). Compute it with the kit rather than
reading a chart.
""",
    variable="largest_batch",
    unit="sequences",
    expected=_h20_largest_batch,
    rel_tol=0.0,
    solution_code="""
h20_node = Deployment("DeepSeek-R1", "H20", n_gpus=8, weight_precision="fp8")
largest_batch = max_batch_size(h20_node, 4096)
largest_batch
""",
    hints=(
        "Describe the node with `Deployment(model, accelerator, n_gpus=..., weight_precision=...)`.",
        "`max_batch_size(deployment, context_tokens)` gives the number of sequences whose KV cache "
        "fits beside the weights.",
        'Use `Deployment("DeepSeek-R1", "H20", n_gpus=8, weight_precision="fp8")` and 4096 tokens.',
    ),
    explanation=(
        "The weights take about 84 GB of each chip's 86 GB usable, and with eight chips sharing "
        "the attention by tensor parallelism each holds a whole copy of every sequence's MLA "
        "cache, so only eight sequences of 4,096 tokens fit: a big model on a small node means a "
        "tiny batch and expensive tokens."
    ),
)


def _utilization_at_5_s_ttft() -> float:
    r1 = Deployment(**R1_ON_16_H800)
    slots, prompt_tokens, output_tokens = 64, 2048, 1024
    service_s = service_time_s(r1, slots, prompt_tokens, output_tokens)
    wait_allowed_s = 5.0 - float(prefill_s(r1, prompt_tokens))
    rate_per_s = queueing.max_arrival_rate_per_s(slots, service_s, wait_allowed_s)
    return rate_per_s * service_s / slots


q2 = NumberQuestion(
    number=2,
    title="How busy can the slots run before the first token takes 5 s?",
    prompt="""
Take DeepSeek-R1 on 16 H800s (FP8 weights) with **64 batch slots**, prompts of **2,048** tokens
and answers of **1,024** tokens (the lesson's queue, with its illustrative request lengths).
At what utilization of the slots does the **mean** time to first token reach **5 seconds**?
Store it in `utilization_at_5_s` as a fraction between 0 and 1 (0.5 means half busy).
""",
    variable="utilization_at_5_s",
    unit="a fraction between 0 and 1",
    expected=_utilization_at_5_s_ttft,
    rel_tol=0.0,
    abs_tol=0.002,
    solution_code="""
r1 = Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8")
slots, prompt_tokens, output_tokens = 64, 2048, 1024
service_s = service_time_s(r1, slots, prompt_tokens, output_tokens)  # one request holds a slot this long
wait_allowed_s = 5.0 - prefill_s(r1, prompt_tokens)  # TTFT = wait in the queue + prefill
rate_per_s = queueing.max_arrival_rate_per_s(slots, service_s, wait_allowed_s)
utilization_at_5_s = rate_per_s * service_s / slots
utilization_at_5_s
""",
    hints=(
        "Time to first token = wait for a free slot + prefill. So the wait may be 5 s minus the prefill.",
        "`queueing.max_arrival_rate_per_s(servers, service_time_s, target_mean_wait_s)` finds the "
        "busiest arrival rate whose mean wait stays under a target; `service_time_s(deployment, "
        "slots, prompt_tokens, output_tokens)` from `tokenomics.charts.batching` is how long a "
        "request holds a slot.",
        "Utilization = arrival rate x service time / slots.",
    ),
    explanation=(
        "With 64 slots the queue stays short until the slots are more than nine-tenths busy, then "
        "the wait explodes: the last few percent of utilization cost seconds of waiting."
    ),
)


def _price_at_largest_batch_32k() -> float:
    r1 = Deployment(**R1_ON_16_H800)
    return float(decode(r1, max_batch_size(r1, 32_768), 32_768).usd_per_mtok)


q3 = NumberQuestion(
    number=3,
    title="Read the frontier dashboard: the price of long context",
    show="frontier_dashboard()",
    prompt="""
The dashboard below starts at DeepSeek-R1 on 16 H800s with 4,096 tokens of context, at the
catalog's $2 per GPU-hour. Move the **context** slider to **32,768** tokens and read, from the
line under the controls, the price per million output tokens **at the largest batch that
fits**. Store it in `usd_per_mtok_at_32k` (US dollars per million output tokens). How many times
the 4,096-token price is it?
""",
    variable="usd_per_mtok_at_32k",
    unit="US dollars per million output tokens",
    expected=_price_at_largest_batch_32k,
    rel_tol=0.01,
    solution_code="""
# What the dashboard computes, in code:
r1 = Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8")
largest = max_batch_size(r1, 32_768)
usd_per_mtok_at_32k = float(decode(r1, largest, 32_768).usd_per_mtok)
usd_per_mtok_at_32k
""",
    hints=(
        "The readout's second line is the largest batch that fits; its last number is $ per M output tokens.",
        "In code: `decode(deployment, max_batch_size(deployment, 32_768), 32_768).usd_per_mtok`.",
    ),
    explanation=(
        "Eight times the context means about eight times fewer sequences in memory, so far fewer "
        "tokens per GPU-hour: the same GPU-hour is shared by fewer tokens. This is why a provider "
        "that caps the context (as DeepSeek does at 64K) can charge less."
    ),
)


def _critical_batch_change_with_fp8() -> str:
    def critical(precision: str):
        return critical_batch(
            Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=4, weight_precision=precision), 1024
        )

    bf16, fp8 = critical("bf16"), critical("fp8")
    if fp8 is None or (bf16 is not None and fp8 > bf16):
        return "goes up"
    return "stays the same" if fp8 == bf16 else "goes down"


q4 = ChoiceQuestion(
    number=4,
    title="Predict: FP8 weights and the critical batch",
    prompt="""
The lesson found the critical batch of Llama-3.1-70B on 4 H100s at 1,024 tokens of context:
below it a decode step is memory-bound, above it compute-bound. Now store the weights in **FP8**
instead of BF16 (half the bytes to read, and twice the peak FLOP/s), keeping the KV cache in
BF16. Before you compute anything, predict: does the critical batch go up, go down, or stay the
same? Then check your prediction with `critical_batch(deployment, 1024)`, and store the answer in
`critical_batch_change`.
""",
    variable="critical_batch_change",
    options=("goes up", "goes down", "stays the same"),
    expected=_critical_batch_change_with_fp8,
    solution_code="""
bf16 = critical_batch(Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=4), 1024)
fp8 = critical_batch(Deployment("Llama-3.1-70B", "H100-SXM", n_gpus=4, weight_precision="fp8"), 1024)
print("BF16:", bf16, " FP8:", fp8)  # None: no crossing at any batch up to 4,096
critical_batch_change = "goes down"
""",
    hints=(
        "For the weights alone, halving the bytes and doubling the peak FLOP/s would cancel out, "
        "if FP8 reached the same share of its peak as BF16 does. Does it, in the fitted model "
        "(lesson 3b's low-precision ratio)?",
        "The KV cache stays in BF16 and grows with the batch; its reading time does not shrink.",
        "`critical_batch` returns None when the step stays memory-bound up to 4,096.",
    ),
    explanation=(
        "With BF16 weights the summed roofs do not cross up to 4,096 sequences. FP8 halves the "
        "bytes and doubles the peak FLOP/s, but the fitted model's FP8 tensor cores reach a much "
        "smaller share of that peak than BF16 ones (lesson 3b fits the ratio), so the arithmetic "
        "catches up with the memory time sooner: the critical batch goes down, to about a "
        "thousand sequences."
    ),
)

q5 = FunctionQuestion(
    number=5,
    title="Write the cost of a million tokens",
    prompt="""
Write a function `usd_per_mtok(usd_per_gpu_hour, tokens_per_s_per_gpu)` that returns what one
million output tokens cost on a GPU rented at `usd_per_gpu_hour` dollars an hour that produces
`tokens_per_s_per_gpu` tokens per second. (DeepSeek's own figures: $2 an hour and 1,850 tokens/s
per H800 give about $0.30.)
""",
    variable="usd_per_mtok",
    starter="""
def usd_per_mtok(usd_per_gpu_hour, tokens_per_s_per_gpu):
    return ____
""",
    solution_code="""
def usd_per_mtok(usd_per_gpu_hour, tokens_per_s_per_gpu):
    tokens_per_hour = tokens_per_s_per_gpu * 3600
    return usd_per_gpu_hour / tokens_per_hour * 1_000_000
""",
    reference=cost_usd_per_mtok,
    cases=(
        dict(usd_per_gpu_hour=2.0, tokens_per_s_per_gpu=1850.0),
        dict(usd_per_gpu_hour=1.5, tokens_per_s_per_gpu=100.0),
        dict(usd_per_gpu_hour=6.5, tokens_per_s_per_gpu=12_000.0),
    ),
    unit="US dollars per million tokens",
    hints=(
        "First find how many tokens the GPU makes in one hour.",
        "Dollars per token = dollars per hour / tokens per hour; then multiply by a million.",
    ),
    explanation="The kit's version is `tokenomics.kpi.cost_usd_per_mtok`.",
)

q6 = OpenQuestion(
    number=6,
    title="Explain: why are big batches cheap, and who pays?",
    prompt="""
In a few sentences (at least 25 words), explain to a friend why serving many users in one big
batch makes each token cheaper, and what users give up for it. Use what you saw in the lesson's
dashboards. Store your text in `why_big_batches`.
""",
    variable="why_big_batches",
    key_ideas=(
        KeyIdea(
            "the weights are read once per step for the whole batch", (r"weight", r"read once|shared|share")
        ),
        KeyIdea(
            "each user gets fewer tokens per second as the batch grows",
            (r"per user|slower|interactiv|tokens? per second|tokens/s",),
        ),
        KeyIdea(
            "running the slots nearly full makes requests wait: a long time to first token",
            (r"queue|wait|first token|TTFT|utili[sz]ation",),
        ),
    ),
    model_answer="""
A decode step reads all the model's weights from memory once, and that one read serves every
sequence in the batch, so the cost of the read is shared: with more sequences the GPU produces
more tokens per hour and each token is cheaper. Users pay in speed: every extra sequence adds
arithmetic and KV-cache reading to the step, so each user gets fewer tokens per second. And to
keep big batches full a provider runs its slots near full utilization, so new requests queue
for a free slot and the time to first token grows. Memory caps the batch too: long contexts
leave room for fewer sequences.
""",
    hints=(
        "What does one decode step have to read from memory, and how many users does that read serve?",
        "Think about three things a user notices: speed while the answer streams, the wait before it "
        "starts, and how long a conversation can be.",
    ),
)

EXERCISES = ExerciseSet(
    module=__name__,
    lesson="03_gpu_batching.ipynb",
    title="Exercises: GPU batching",
    introduction="""
These exercises practise lesson 3: the memory limit on the batch, the queue in front of the
batch slots, the price on the throughput-vs-interactivity frontier, and the roofline. You need
the lesson's ideas, not its code: every function you need is imported below.
""",
    setup="""
from tokenomics import queueing
from tokenomics.batching import Deployment, decode, max_batch_size, prefill_s
from tokenomics.charts.batching import critical_batch, service_time_s
from tokenomics.dashboards.batching import frontier_dashboard
""",
    questions=(q1, q2, q3, q4, q5, q6),
)
