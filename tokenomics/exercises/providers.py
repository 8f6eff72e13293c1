"""Exercises for lesson 2, latency and context: blended prices, who qualifies, and who users pick.

Every expected answer is computed here with the kit's models and datasets when the check runs:
the price listings (``r1_providers``; OpenRouter, a router, is never ranked as a host, and
DeepSeek's off-peak price is its own API at night), the measured latencies of 2025-06-27
(``r1_host_latency``) and the choice model fitted to lesson 1's shares. The article's "at least
25 s" for DeepSeek is derived from one sentence, and the choice model's fixed weights are
illustrative; the questions that use them say so.

Examples
--------
>>> q2.evaluate(q2.expected()).status
'correct'
>>> q4.expected()
'Lambda'
"""

from __future__ import annotations

import pandas as pd

from tokenomics import choice, data
from tokenomics.charts.providers import fitted_choice, host_rows, provider_rows
from tokenomics.exercises import (
    ChoiceQuestion,
    ExerciseSet,
    FunctionQuestion,
    KeyIdea,
    NumberQuestion,
    OpenQuestion,
)
from tokenomics.kpi import blended_price_usd_per_mtok


def _providers() -> pd.DataFrame:
    return data.load("r1_providers")


q1 = FunctionQuestion(
    number=1,
    title="Write the blended price",
    prompt="""
Hosts charge one price for input tokens and a higher one for output tokens. Write a function
`blended_usd_per_mtok(input_usd_per_mtok, output_usd_per_mtok, input_to_output_ratio)` that
returns the **blended price** in US dollars per million tokens when a workload sends
`input_to_output_ratio` input tokens for every output token. (DeepSeek's own list prices,
0.55 dollars per million input tokens and 2.19 per million output tokens, blend to 0.96 at the
article's 3:1.)
""",
    variable="blended_usd_per_mtok",
    starter="""
def blended_usd_per_mtok(input_usd_per_mtok, output_usd_per_mtok, input_to_output_ratio):
    return ____
""",
    solution_code="""
def blended_usd_per_mtok(input_usd_per_mtok, output_usd_per_mtok, input_to_output_ratio):
    # r input tokens and 1 output token cost r x input price + output price, spread over r + 1 tokens
    total_usd = input_to_output_ratio * input_usd_per_mtok + output_usd_per_mtok
    return total_usd / (input_to_output_ratio + 1)
""",
    reference=blended_price_usd_per_mtok,
    cases=(
        dict(input_usd_per_mtok=0.55, output_usd_per_mtok=2.19, input_to_output_ratio=3.0),
        dict(input_usd_per_mtok=1.35, output_usd_per_mtok=5.40, input_to_output_ratio=10.0),
        dict(input_usd_per_mtok=0.135, output_usd_per_mtok=0.55, input_to_output_ratio=1.0),
        dict(input_usd_per_mtok=3.0, output_usd_per_mtok=8.0, input_to_output_ratio=0.0),
    ),
    unit="US dollars per million tokens",
    hints=(
        "Think of a batch of r input tokens and 1 output token: what does the batch cost, and how "
        "many tokens does it hold?",
        "The batch costs r x input price + output price and holds r + 1 tokens.",
        "With r = 0 the workload is all output, so the blend must equal the output price.",
    ),
    explanation=(
        "The blend is a weighted average: (r x input + output) / (r + 1). At 3:1 DeepSeek's list "
        "prices (0.55 in, 2.19 out) give 0.96 dollars per million tokens and Azure's (1.35 in, "
        "5.40 out) about 2.36, 2.46 times as much: the article's \"2.5x\". The kit's version is "
        "`tokenomics.kpi.blended_price_usd_per_mtok`."
    ),
)


def _cheapest_checked_128k_at_10_to_1() -> float:
    rows = provider_rows(_providers(), 10.0)
    fits = rows[(rows["listing"] == "mid-2025") & (rows["context_tokens"] >= 128_000)]
    return float(fits["blended_usd_per_mtok"].min())


def _cheapest_checked_128k_at_10_to_1() -> float:
    rows = provider_rows(_providers(), 10.0)
    fits = rows[(rows["listing"] == "mid-2025") & (rows["context_tokens"] >= 128_000)]
    return float(fits["blended_usd_per_mtok"].min())


q2 = NumberQuestion(
    number=2,
    title="The cheapest host for a coding team",
    prompt="""
Your team's coding assistant sends whole files as input and gets short edits back: about
**10 input tokens for every output token**. It needs a context window of at least **128,000
tokens**, and latency does not matter to it. Among the hosts of DeepSeek-R1 whose price was
**checked at its source in mid-2025** (the `listing` column of `provider_rows` says
`"mid-2025"`), what is the lowest blended price at 10:1? Store it in `cheapest_usd_per_mtok`
(US dollars per million tokens, blended 10:1). Then look at which host it is, and at what
changes if you also allow the unverified listings.
""",
    variable="cheapest_usd_per_mtok",
    unit="US dollars per million tokens (blended 10:1)",
    expected=_cheapest_checked_128k_at_10_to_1,
    rel_tol=0.01,
    solution_code="""
providers = data.load("r1_providers")
rows = provider_rows(providers, 10.0)  # every host listing blended at 10:1; the router is left out
fits = rows[(rows["listing"] == "mid-2025") & (rows["context_tokens"] >= 128_000)]
print(fits[["host", "prices", "blended_usd_per_mtok", "context_text"]])
cheapest_usd_per_mtok = float(fits["blended_usd_per_mtok"].min())
cheapest_usd_per_mtok
""",
    hints=(
        "`provider_rows(providers, 10.0)` blends every host listing at 10:1 and adds a `listing` column; "
        'load the listings with `data.load("r1_providers")`.',
        'Keep the rows whose `listing` is `"mid-2025"` and whose `context_tokens` is at least 128,000.',
        "The answer is the smallest `blended_usd_per_mtok` among the rows you kept.",
    ),
    explanation=(
        "Only two hosts checked in mid-2025 offer 128K or more: Together (3 in, 7 out) and Fireworks "
        "(3 in, 8 out). At 10:1 Together's prices blend to about 3.36 dollars per million tokens, "
        "Fireworks' to about 3.45. DeepSeek's own API is out whatever its price: its 64K context is "
        "too small. OpenRouter's lower headline price is not a host's: it is a router, and its price "
        "is that of the hosts it passes requests to. Allow the unverified registry listings and "
        "Lambda wins at about 0.24, a price the dataset calls unusually low: the answer depends on "
        "which listings you trust."
    ),
)


def _deepseek_measured_latency_s() -> float:
    rows = host_rows()  # the qualify dashboard's defaults: latencies measured on 2025-06-27
    return float(rows.loc[rows["host"] == "DeepSeek", "latency_s"].iloc[0])


q3 = NumberQuestion(
    number=3,
    title="Read the dashboard: how patient must a DeepSeek user be?",
    show="qualify_dashboard()",
    prompt="""
The dashboard below starts with a budget of $2.50 per million tokens, a latency tolerance of
10 s, a need for 64K of context, and every host at the latency **OpenRouter measured on
2025-06-27** (its median). Leave everything else as it is and lower the **latency you
tolerate** until the readout says that DeepSeek's own API no longer qualifies. What is the
shortest tolerance at which it still qualifies? Store it in `shortest_tolerance_s` (seconds;
the slider moves in steps of 0.5 s, so the slider's value is close enough). Then switch
DeepSeek's latency to the article's "at least 25 s": which of the two numbers is a measurement,
and which is derived from a sentence?
""",
    variable="shortest_tolerance_s",
    unit="seconds",
    expected=_deepseek_measured_latency_s,
    rel_tol=0.0,
    abs_tol=0.25,
    solution_code="""
# What the dashboard computes, in code: a host qualifies when its latency is at most your tolerance.
rows = host_rows()  # OpenRouter's medians of 2025-06-27 (reported)
print(rows.loc[rows["provider"] == "DeepSeek", ["host", "latency_s", "latency_quality"]])
shortest_tolerance_s = float(rows.loc[rows["host"] == "DeepSeek", "latency_s"].iloc[0])
shortest_tolerance_s
""",
    hints=(
        "The readout has a line for DeepSeek's own API: whether it qualifies and, if not, why.",
        "A host qualifies when its latency is at most your tolerance: the answer is the latency the "
        "dashboard gives DeepSeek's own API.",
        "With the measured latencies that is OpenRouter's median for DeepSeek's endpoint: a few "
        "seconds, not 25.",
    ),
    explanation=(
        "About 3.3 s (3.5 on the slider): OpenRouter's median latency for DeepSeek's own R1-0528 "
        "endpoint on 2025-06-27, the longest of the thirteen R1-0528 hosts that day, all under 5 s "
        "as the article says for 'almost all' of them after its data pull. The 25 s is different: "
        "it is derived from the article's sentence that Azure had 25 seconds less latency, which "
        "gives no month, so it says only that DeepSeek waited at least 25 s at the time of the "
        "article's data. The model's own prefill takes about 0.05 s (lesson 0); the rest of any "
        "wait is queueing (lesson 3)."
    ),
)


def _cheapest_listing_at_10_to_1() -> str:
    rows = provider_rows(_providers(), 10.0).sort_values(["blended_usd_per_mtok", "host"])
    return str(rows["host"].iloc[0])


q4 = ChoiceQuestion(
    number=4,
    title="Predict: a coding assistant's mix",
    show="ranking_dashboard()",
    prompt="""
At the article's mix of 3 input tokens per output token, the cheapest host listing of R1 by day
is Hyperbolic's (0.25 dollars per million input tokens and 0.25 per million output tokens, an
unverified registry listing). A coding assistant sends about **10 input tokens per output
token**. Before you move anything, predict: at 10:1, which host listing is the cheapest by day?
Look at each candidate's input and output prices, in dollars per million tokens (Hyperbolic:
0.25 and 0.25; Lambda: 0.20 and 0.60; DeepInfra: 0.50 and 2.15; DeepSeek: 0.55 and 2.19).
Then check your prediction by moving the ratio slider of the dashboard below to 10, and store
your answer in `cheapest_at_10_to_1`.
""",
    variable="cheapest_at_10_to_1",
    options=("DeepSeek", "DeepInfra", "Hyperbolic", "Lambda"),
    expected=_cheapest_listing_at_10_to_1,
    solution_code="""
providers = data.load("r1_providers")
for ratio in (3.0, 10.0):
    rows = provider_rows(providers, ratio).sort_values("blended_usd_per_mtok")
    print(f"{ratio:g}:1", rows[["host", "blended_usd_per_mtok"]].head(3).to_string(index=False), sep="\\n")
cheapest_at_10_to_1 = rows["host"].iloc[0]
cheapest_at_10_to_1
""",
    hints=(
        "A higher ratio means more input tokens per output token: which price, input or output, "
        "weighs more in the blend?",
        "At 10:1 the input price counts ten times as much as the output price.",
        "`choice.crossover_ratio(input_a, output_a, input_b, output_b)` gives the ratio at which two "
        "listings swap places.",
    ),
    explanation=(
        "Lambda: at 10:1 its 0.20 input price dominates, and it blends to about 0.236 dollars per "
        "million tokens against Hyperbolic's flat 0.25. The two swap places at 7 input tokens per "
        "output token (`choice.crossover_ratio`): the cheapest host depends on the workload, and "
        "here on two unverified registry listings. DeepSeek's own API stays fourth by day at every "
        "mix; only its night-time price is cheaper than both."
    ),
)


def _deepseek_may_share(price_usd_per_mtok: float) -> float:
    """DeepSeek's May share in the lesson's fitted choice model when it charges this blended price."""
    hosts, fit = fitted_choice()
    is_deepseek = hosts["is_deepseek"].to_numpy()
    prices = hosts["blended_usd_per_mtok"].where(~hosts["is_deepseek"], price_usd_per_mtok)
    scores = choice.utility(
        prices,
        hosts["latency_may_s"],
        1.0,
        hosts["context_tokens"],
        price_weight=fit.price_weight,
        latency_weight_per_s=fit.latency_weight_per_s,
        speed_weight=0.0,
        context_weight=fit.context_weight,
    )
    scores = scores + fit.own_constant * is_deepseek
    return float(choice.logit_shares(scores)[is_deepseek][0])


def _price_to_double_may_share() -> float:
    hosts, _ = fitted_choice()
    list_price = float(hosts.loc[hosts["is_deepseek"], "blended_usd_per_mtok"].iloc[0])
    target = 2 * _deepseek_may_share(list_price)
    low, high = 0.001, list_price  # the share falls as the price rises: bisect between these
    for _ in range(60):
        middle = (low + high) / 2
        if _deepseek_may_share(middle) > target:
            low = middle
        else:
            high = middle
    return (low + high) / 2


q5 = NumberQuestion(
    number=5,
    title="What price cut wins back the users who left?",
    prompt="""
Take the lesson's fitted choice model of section 7: `hosts, fit = fitted_choice()`. In May,
with DeepSeek's own API 25 s slower than in March, the model gives it the observed 16% of the
tokens. To what blended price would DeepSeek have to cut its daytime price ($0.96 blended at
3:1), all else unchanged, for its May share to **double**? Store it in
`price_to_double_share_usd_per_mtok` (US dollars per million tokens, blended 3:1). Trial and
error is fine: the check accepts 2%. (The model's price and context weights are fixed at an
illustrative 1; its latency weight and DeepSeek's constant are fitted to lesson 1's shares.)
""",
    variable="price_to_double_share_usd_per_mtok",
    unit="US dollars per million tokens (blended 3:1)",
    expected=_price_to_double_may_share,
    rel_tol=0.02,
    solution_code="""
hosts, fit = fitted_choice()  # the lesson's model: 13 measured hosts, DeepSeek +25 s in May
is_deepseek = hosts["is_deepseek"].to_numpy()


def may_share(price_usd_per_mtok):
    prices = hosts["blended_usd_per_mtok"].where(~hosts["is_deepseek"], price_usd_per_mtok)
    scores = choice.utility(
        prices, hosts["latency_may_s"], 1.0, hosts["context_tokens"],
        latency_weight_per_s=fit.latency_weight_per_s, speed_weight=0.0,
    )
    scores = scores + fit.own_constant * is_deepseek
    return choice.logit_shares(scores)[is_deepseek][0]


list_price = hosts.loc[hosts["is_deepseek"], "blended_usd_per_mtok"].iloc[0]  # 0.96
target = 2 * may_share(list_price)
low, high = 0.01, list_price  # trial and error that halves the range each time (bisection)
for _ in range(40):
    middle = (low + high) / 2
    if may_share(middle) > target:
        low = middle  # share already above target: the price can be higher
    else:
        high = middle
price_to_double_share_usd_per_mtok = float((low + high) / 2)
price_to_double_share_usd_per_mtok
""",
    hints=(
        "Write a small function that takes a price for DeepSeek, puts it in place of the 0.96 in "
        "`hosts`, scores every host with `choice.utility(...)` (latency weight `fit.latency_weight_per_s`, "
        "speed weight 0, plus `fit.own_constant` for DeepSeek) and returns DeepSeek's logit share in May.",
        "Try blended prices between the night-time 0.24 and the daytime 0.96 (dollars per million tokens).",
        "Halving the price is not enough: DeepSeek's own share is in the denominator too. Narrow the "
        "range step by step (halve it each time).",
    ),
    explanation=(
        "About $0.39, a cut of about 60%. With a price weight of 1, doubling the share from 16% to 32% "
        "needs the log-odds to rise by ln(32/68) - ln(16/84), about 0.9, so the price must fall by a "
        "factor e^0.9, about 2.5; halving it (0.48) is not enough. At DeepSeek's own night-time price "
        "(0.24) the model would give it about 43%, back to March. The weights are fitted to two "
        "chart-read shares under an assumed timing of the 25 s, with the price weight fixed, so the "
        "numbers show the mechanism rather than a forecast: the 25 s of waiting cost as much score as "
        "a price about 3.8 times higher."
    ),
)

q6 = OpenQuestion(
    number=6,
    title="Explain: how can a cheap host lose its users?",
    prompt="""
Lesson 1 found DeepSeek's own share of its model's tokens falling from about 42% to about 16%
while other hosts of the same open model grew. Yet DeepSeek's own API is among the cheaper
listings. In a few sentences (at least 25 words), explain how both can be true, using what this
lesson showed, and say which parts of your explanation rest on measurements, which on a
derivation and which on assumptions. Store your text in `why_users_leave`.
""",
    variable="why_users_leave",
    key_ideas=(
        KeyIdea(
            "DeepSeek's users wait longer for the first token: at least 25 s by the article's sentence",
            (r"latenc|wait|delay|first token|TTFT|slow|patien|\b25 ?s(ec|econds?)?\b",),
        ),
        KeyIdea(
            "its 64K context window is among the smallest; long work needs more",
            (r"context|64\s?K|64,000",),
        ),
        KeyIdea(
            "users pick among the hosts that meet all their needs (budget, latency, context), not by "
            "price alone; at equal latency and context other hosts are cheaper",
            (
                r"qualif|requirement|toleran|\bneed|workload|\bmix\b|blend|ratio|choice model|logit|"
                r"weigh|trade-?off|price alone|not (only|just) (on |by )?(the )?price|choose|pick|"
                r"equal latency|same latency|cheaper",
            ),
        ),
        KeyIdea(
            "the prices, contexts and June latencies are measured or listed; the 25 s is derived from "
            "one sentence; the choice model's fixed weights and the timing of the 25 s are assumptions",
            (
                r"illustrative|assum|derived|deriv|fitted|fixed weight|not published|unpublished|unknown|"
                r"not known|no (public )?(source|data|measurement)|not measured|guess|hypothetical",
            ),
        ),
    ),
    model_answer="""
A price per token is only part of what a user buys. DeepSeek's API is cheap, but its users pay
in waiting and in context: by the article's sentence that Azure had 25 seconds less latency,
DeepSeek made users wait at least 25 s at the time of its data, and its 64K context window is
among the smallest of the listings, too small for a coding assistant that sends whole files. A
user picks the cheapest host that meets all their requirements (budget, latency tolerance,
context), so someone who will not wait 25 s or needs 128K never considers DeepSeek, whatever
its price; and even in OpenRouter's measured snapshot of June, four hosts were cheaper than
DeepSeek at no more latency and no less context. In the logit choice model fitted to lesson 1's
42% and 16%, each second of waiting costs 0.053 of score, so the 25 s alone explain the fall.
What rests on data: the listed prices and contexts and the June latencies (measured). What is
derived: the at-least-25-s from one sentence. What is assumed: that the 25 s opened between
March and May, that the other hosts did not change, and the fixed price and context weights.
""",
    hints=(
        "What does a user get besides a price per token? The lesson looked at two more things.",
        "Think of the three requirements of the qualify dashboard, and of the latency chart's circles "
        "and triangle: which numbers there are measured, and which derived?",
    ),
)

EXERCISES = ExerciseSet(
    module=__name__,
    lesson="02_latency_and_context.ipynb",
    title="Exercises: latency and context trade-offs",
    introduction="""
These exercises practise lesson 2: the blended price, choosing a host for a workload's needs,
what is measured and what is derived about latency, how the input:output mix reorders the
hosts, and the logit choice model fitted to lesson 1's shares. OpenRouter is a router, not a
host, and DeepSeek's off-peak price is its own API at night, so neither is ranked as a host.
The latencies are OpenRouter's medians of 2025-06-27; the article's "at least 25 s" for
DeepSeek is derived from one sentence; the choice model's price and context weights are
illustrative.
""",
    setup="""
from tokenomics import choice, data
from tokenomics.charts.providers import fitted_choice, host_rows, provider_rows
from tokenomics.dashboards.providers import qualify_dashboard, ranking_dashboard
""",
    questions=(q1, q2, q3, q4, q5, q6),
)
