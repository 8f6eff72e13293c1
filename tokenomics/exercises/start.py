"""Exercises for lesson 0, Start here: tokens, the KPIs, revenue = P x Q, and price as an output.

Every expected answer is computed here with the kit's tokenizer, models and datasets, when the
check runs.

Examples
--------
>>> q1.evaluate(q1.expected()).status
'correct'
>>> q5.evaluate(q5.expected()).status
'correct'
"""

from __future__ import annotations

from tokenomics import batching, data, kpi, tokens
from tokenomics.charts.start import price_data, settled_band
from tokenomics.dashboards.start import BATCH_SIZES
from tokenomics.exercises import (
    ChoiceQuestion,
    ExerciseSet,
    FunctionQuestion,
    KeyIdea,
    NumberQuestion,
    OpenQuestion,
    direction_of_change,
)

SENTENCE = "DeepSeek served 168 billion output tokens in one day."
"""The sentence of question 1 (its figure is DeepSeek's published day: 168B output tokens)."""

# The deployment of the lesson's price dashboard, at the catalog's (and DeepSeek's) $2 per GPU-hour.
R1_ON_16_H800 = dict(model="DeepSeek-R1", accelerator="H800", n_gpus=16, weight_precision="fp8")


def _tokens_in_sentence() -> int:
    return tokens.count_tokens(SENTENCE, tokens.kit_merges())


q1 = NumberQuestion(
    number=1,
    title="Count the tokens of a sentence",
    prompt=f"""
Split this sentence with the kit's small tokenizer, using all the merges it learned from the
kit's own text (`tokens.kit_merges()`):

> {SENTENCE}

How many tokens does it take? Store the number in `tokens_in_sentence` (a whole number of
tokens). Then look at the pieces themselves: which words stay whole, and which are cut?
""",
    variable="tokens_in_sentence",
    unit="tokens",
    expected=_tokens_in_sentence,
    rel_tol=0.0,
    solution_code=f"""
merges = tokens.kit_merges()  # the 1,000 merges learned from the kit's own text
sentence = "{SENTENCE}"
print(tokens.encode(sentence, merges))
tokens_in_sentence = tokens.count_tokens(sentence, merges)
tokens_in_sentence
""",
    hints=(
        "A token is not a word: count the pieces the tokenizer makes, not the words.",
        "`tokens.encode(text, merges)` gives the pieces; `tokens.count_tokens(text, merges)` counts them.",
        "Use `merges = tokens.kit_merges()` and copy the sentence exactly, full stop included.",
    ),
    explanation=(
        "Words the kit's text uses all the time (DeepSeek, output, tokens) are one token each, "
        "while a word it rarely uses (billion) is cut into pieces, and so is the number 168. "
        "A tokenizer's split depends on what it learned from; providers count and bill these "
        "pieces, not words."
    ),
)


def _tokens_per_s_per_user(latency_s, ttft_s, output_tokens):
    return kpi.interactivity_tokens_per_s(kpi.tpot_s(latency_s, ttft_s, output_tokens))


q2 = FunctionQuestion(
    number=2,
    title="Measure the speed of an answer with a stopwatch",
    prompt="""
You time one request: the first token appears after `ttft_s` seconds (the time to first token)
and the last of its `output_tokens` tokens after `latency_s` seconds (the end-to-end latency).
Write a function `tokens_per_s_per_user(latency_s, ttft_s, output_tokens)` that returns the speed
the user saw while the answer streamed, in tokens per second per user (the interactivity).

For example, a first token after 0.5 s and the 501st token at 10.5 s give 50 tokens/s.
""",
    variable="tokens_per_s_per_user",
    starter="""
def tokens_per_s_per_user(latency_s, ttft_s, output_tokens):
    return ____
""",
    solution_code="""
def tokens_per_s_per_user(latency_s, ttft_s, output_tokens):
    tpot_s = (latency_s - ttft_s) / (output_tokens - 1)  # time per output token, after the first
    return 1 / tpot_s
""",
    reference=_tokens_per_s_per_user,
    cases=(
        dict(latency_s=10.5, ttft_s=0.5, output_tokens=501),
        dict(latency_s=60.0, ttft_s=25.0, output_tokens=876),
        dict(latency_s=2.0, ttft_s=0.2, output_tokens=2),
    ),
    unit="tokens per second per user",
    hints=(
        "The wait for the first token is not streaming time: leave it out of the speed.",
        "After the first token arrives, how many more tokens come, and in how many seconds?",
        "Time per output token (TPOT) = (latency - TTFT) / (output_tokens - 1); the speed is 1 / TPOT.",
    ),
    explanation=(
        "The first token arrives at the TTFT; the other N - 1 tokens share the rest of the time. "
        "That is the vLLM benchmark's time per output token (`kpi.tpot_s`), and the interactivity "
        "is its inverse (`kpi.interactivity_tokens_per_s`). Dividing all the tokens by the whole "
        "latency mixes the wait into the speed: a long queue would look like a slow stream."
    ),
)


def _off_peak_revenue_fall_usd() -> float:
    day = data.load("deepseek_day").set_index("quantity")["value"]
    deepseek = data.load("r1_providers").query("provider == 'DeepSeek'").set_index("tier")
    off_peak_tokens = 0.25 * day["output_tokens"]
    at_standard_price = kpi.revenue_usd(day["price_output_usd_per_mtok"], off_peak_tokens)
    at_off_peak_price = kpi.revenue_usd(deepseek.loc["off-peak", "output_usd_per_mtok"], off_peak_tokens)
    return at_standard_price - at_off_peak_price


q3 = NumberQuestion(
    number=3,
    title="Revenue = price x quantity: the night-time discount",
    prompt="""
DeepSeek's published day (dataset `deepseek_day`) prices every token at R1's standard rates.
But DeepSeek also sells R1 at night at an off-peak price (dataset `r1_providers`, provider
`"DeepSeek"`, tier `"off-peak"`). Suppose **a quarter** of the day's output tokens had been
billed at the off-peak **output** price instead of the standard one. By how many US dollars
would the day's theoretical revenue fall? Store it in `revenue_fall_usd` (a positive number of
US dollars). Use `kpi.revenue_usd(price_usd_per_mtok, tokens)`.
""",
    variable="revenue_fall_usd",
    unit="US dollars",
    expected=_off_peak_revenue_fall_usd,
    rel_tol=0.01,
    solution_code="""
day = data.load("deepseek_day").set_index("quantity")["value"]
deepseek = data.load("r1_providers").query("provider == 'DeepSeek'").set_index("tier")
off_peak_tokens = 0.25 * day["output_tokens"]
at_standard_price = kpi.revenue_usd(day["price_output_usd_per_mtok"], off_peak_tokens)
at_off_peak_price = kpi.revenue_usd(deepseek.loc["off-peak", "output_usd_per_mtok"], off_peak_tokens)
revenue_fall_usd = at_standard_price - at_off_peak_price
revenue_fall_usd
""",
    hints=(
        "Only the quarter of the output tokens changes price; everything else earns what it did.",
        "The fall is the revenue of those tokens at the standard output price minus their revenue "
        "at the off-peak output price.",
        'The prices are `day["price_output_usd_per_mtok"]` and the off-peak row\'s '
        '`"output_usd_per_mtok"`; `kpi.revenue_usd` takes the price per million and the tokens '
        "themselves (not millions).",
    ),
    explanation=(
        "A quarter of 168 billion output tokens is 42,000 million; each million earns $1.64 less "
        "at night, so the day loses about $68,900, an eighth of its theoretical revenue. Output "
        "tokens are about a fifth of the tokens but, at four times the input price, most of the "
        "revenue: discounts on them weigh heavily."
    ),
)


def _price_where_speed_enters_band() -> float:
    deployment = batching.Deployment(**R1_ON_16_H800)
    low, high = settled_band()
    for batch_size in BATCH_SIZES:
        rows = price_data(deployment, 4096, batch_size)
        chosen = rows[rows["part"] == "chosen"].iloc[0]
        if low <= chosen["tokens_per_s_per_user"] <= high:
            return float(chosen["usd_per_mtok"])
    raise RuntimeError("no batch on the slider gives a speed inside the settled band")


q4 = NumberQuestion(
    number=4,
    title="Read the price dashboard: the price where users get a usual speed",
    show="price_dashboard(batch_size=1)",
    prompt="""
The dashboard below is the lesson's: DeepSeek-R1 on 16 H800s, 4,096 tokens of context, DeepSeek's
own $2 per GPU-hour; it starts at a batch of 1. Move the **batch** slider right, one stop at a
time. The readout under the sliders says whether the speed each user sees is inside or outside
the 20-60 tokens/s per user that most providers settled on. At the **first batch whose speed is
inside** that band, read the price per million output tokens and store it in
`usd_per_mtok_in_band` (US dollars per million output tokens).
""",
    variable="usd_per_mtok_in_band",
    unit="US dollars per million output tokens",
    expected=_price_where_speed_enters_band,
    rel_tol=0.02,
    solution_code="""
# What the dashboard computes, in code: the slider's batches 1, 2, 4, ... at 4,096 tokens
r1 = batching.Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8")
low, high = settled_band()  # the 20-60 tokens/s per user most providers settled on
for batch_size in [1, 2, 4, 8, 16, 32, 64, 128, 256]:
    step = batching.decode(r1, batch_size, 4096)
    if low <= step.tokens_per_s_per_user <= high:
        break
print(f"batch {batch_size}: {step.tokens_per_s_per_user:.1f} tokens/s per user")
usd_per_mtok_in_band = float(step.usd_per_mtok)
usd_per_mtok_in_band
""",
    hints=(
        "At batch 1 the readout says the speed is outside the band: users get more than 60 "
        "tokens/s. Keep moving right until it says inside.",
        "Read the number after the $ sign on the readout's first line, not the tokens/s.",
        "In code: `batching.decode(deployment, batch_size, 4096)` gives `.tokens_per_s_per_user` "
        "and `.usd_per_mtok` for each batch on the slider (1, 2, 4, ...).",
    ),
    explanation=(
        "Batch 8 is the first stop inside the band, at about 55 tokens/s per user and $20 per "
        "million output tokens: about 6 times cheaper than batch 1, because one read of the "
        "weights now serves 8 users instead of one. The cheapest setting, the largest batch "
        "that fits, is cheaper still (about $0.55), at about 19.8 tokens/s, just below the band."
    ),
)


def _speed_change_with_longer_context() -> str:
    deployment = batching.Deployment(**R1_ON_16_H800)
    short_context = batching.decode(deployment, 32, 4096).tokens_per_s_per_user
    long_context = batching.decode(deployment, 32, 65_536).tokens_per_s_per_user
    return direction_of_change(short_context, long_context, ("rises", "falls", "stays the same"))


q5 = ChoiceQuestion(
    number=5,
    title="Predict: a longer context at the same batch",
    prompt="""
Keep the batch at **32** sequences (it fits in memory at both contexts) and raise the context of
every sequence from **4,096** to **65,536** tokens, DeepSeek's own 64K. The lesson showed that a
longer context lets fewer users fit. But what happens to the speed each of these 32 users sees?
Predict first, from what the lesson says a decode step must read from memory (section 5): does
it rise, fall, or stay the same? Then check with the dashboard above or with
`batching.decode(deployment, 32, context_tokens).tokens_per_s_per_user`, where the deployment is
the lesson's `batching.Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8")`, and
store the answer in `speed_per_user_change`.
""",
    variable="speed_per_user_change",
    options=("rises", "falls", "stays the same"),
    expected=_speed_change_with_longer_context,
    solution_code="""
r1 = batching.Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8")
for context_tokens in [4096, 65_536]:
    step = batching.decode(r1, 32, context_tokens)
    print(f"{context_tokens:>6,} tokens: {step.tokens_per_s_per_user:.1f} tokens/s per user, "
          f"${step.usd_per_mtok:.2f} per M tokens")
speed_per_user_change = "falls"
""",
    hints=(
        "The weights are the same size whatever the context. What else must every decode step "
        "read from memory for each sequence?",
        "Each sequence's KV cache holds one entry per token of its context, and a step reads all of them.",
    ),
    explanation=(
        "A decode step reads the weights once and every sequence's KV cache, which grows with its "
        "context. Sixteen times more context means more to read each step, so the step is slower: "
        "at batch 32 the speed falls from about 36 to about 31 tokens/s per user and the price "
        "rises from about $7.60 to about $8.86 per million tokens. Context costs twice: fewer "
        "users fit (808 at 4,096 tokens, 50 at 65,536), and those who do are served more slowly."
    ),
)

q6 = OpenQuestion(
    number=6,
    title="Explain: is the cheaper host the better deal?",
    prompt="""
A friend compares two hosts of DeepSeek-R1 by one number each: DeepSeek's own API at $0.96 per
million tokens and Microsoft Azure at $2.36 (both blended from their list prices, three input
tokens to one output token), and concludes that DeepSeek is simply the better deal. In a few
sentences (at least 25 words), tell your friend what that price leaves out, and why the same
model on the same chips can be sold at very different prices. Store your text in
`is_cheaper_better`.
""",
    variable="is_cheaper_better",
    key_ideas=(
        KeyIdea(
            "the wait before the answer starts (time to first token)",
            (r"first token|TTFT|wait|latenc|queue",),
        ),
        KeyIdea(
            "how fast the answer streams (tokens per second per user)",
            (r"tokens?/s|tokens? (per|a) second|per second|interactiv|speed|fast|slow|stream",),
        ),
        KeyIdea("how long a prompt or conversation fits (the context window)", (r"context|long prompt",)),
        KeyIdea(
            "batching: more users per GPU make each token cheaper but slower",
            (
                r"batch|(users?|people|requests|customers) (at once|together)",
                r"more (users|people|requests)|shar\w* (the|a|one|each) (GPU|chip)",
            ),
        ),
    ),
    model_answer="""
A price per million tokens is only half of the deal. It says nothing about how long you wait for
the first token, how many tokens per second the answer streams at, or how long a context the host
accepts, and DeepSeek's low price comes with long waits and a 64K context, half or less of what
Azure and others offer. The same model on the same chips can be sold at almost any price because
the provider chooses the batch: many users on one GPU share the cost of reading the weights, so
each token is cheap but every user is served more slowly and waits longer for a free slot; a
small batch is fast and dear. The article reports that Azure, about 2.5 times DeepSeek's price,
answered with 25 seconds less latency. Compare prices only together with these KPIs and your own
workload.
""",
    hints=(
        "The lesson names three KPIs a user feels besides the price. Which are they, and how does "
        "DeepSeek's service do on them?",
        "Think of the price dashboard: what did moving the batch slider do to the price, and to the "
        "speed each user sees?",
    ),
)

EXERCISES = ExerciseSet(
    module=__name__,
    lesson="00_start_here.ipynb",
    title="Exercises: Start here",
    introduction="""
These exercises practise lesson 0: what a token is, the KPIs a user feels (time to first
token, tokens per second per user, context window), revenue = price x quantity on DeepSeek's
published day, and why the price of a token is an output of how a provider runs its chips.
Every function you need is imported below.
""",
    setup="""
from tokenomics import batching, data, kpi, tokens
from tokenomics.charts.start import settled_band
from tokenomics.dashboards.start import price_dashboard
""",
    questions=(q1, q2, q3, q4, q5, q6),
)
