"""Exercises for lesson 2, latency and context: blended prices, who qualifies, and who users pick.

Every expected answer is computed here with the kit's models and the ``r1_providers`` dataset,
when the check runs. No source gives each host's latency: the only latency figure that is data
is the article's 25 s gap between DeepSeek's own API and Azure's. The hosts' 2 s and the weights
of the choice model are illustrative, and every question that uses them says so.

Examples
--------
>>> q2.evaluate(q2.expected()).status
'correct'
>>> q4.expected()
'Hyperbolic'
"""

from __future__ import annotations

import pandas as pd

from tokenomics import choice, data
from tokenomics.charts.providers import provider_rows
from tokenomics.exercises import (
    ChoiceQuestion,
    ExerciseSet,
    FunctionQuestion,
    KeyIdea,
    NumberQuestion,
    OpenQuestion,
)
from tokenomics.kpi import blended_price_usd_per_mtok

SPEED_TOKENS_PER_S = 25.0
"""DeepSeek's reported speed, given to every host in the lesson's choice model (per-host speeds
were not found, so speed drops out of the comparison)."""

LATENCY_WEIGHT_PER_S = 0.05
"""The choice model's score lost per second of waiting in question 5: illustrative."""


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


q2 = NumberQuestion(
    number=2,
    title="The cheapest host for a coding team",
    prompt="""
Your team's coding assistant sends whole files as input and gets short edits back: about
**10 input tokens for every output token**. It needs a context window of at least **128,000
tokens**, and latency does not matter to it. Among the listings of DeepSeek-R1 whose price was
**checked at its source in mid-2025** (the `listing` column says `"mid-2025"`), what is the
lowest blended price at 10:1? Store it in `cheapest_usd_per_mtok` (US dollars per million
tokens, blended 10:1). Then look at which listing it is, and at what changes if you also allow
the unverified ones.
""",
    variable="cheapest_usd_per_mtok",
    unit="US dollars per million tokens (blended 10:1)",
    expected=_cheapest_checked_128k_at_10_to_1,
    rel_tol=0.01,
    solution_code="""
providers = data.load("r1_providers")
rows = provider_rows(providers, 10.0)  # every listing blended at 10 input tokens per output token
fits = rows[(rows["listing"] == "mid-2025") & (rows["context_tokens"] >= 128_000)]
print(fits[["host", "input_usd_per_mtok", "output_usd_per_mtok", "blended_usd_per_mtok", "context_tokens"]])
cheapest_usd_per_mtok = float(fits["blended_usd_per_mtok"].min())
cheapest_usd_per_mtok
""",
    hints=(
        "`provider_rows(providers, 10.0)` blends every listing at 10:1 and adds a `listing` column; "
        'load the listings with `data.load("r1_providers")`.',
        'Keep the rows whose `listing` is `"mid-2025"` and whose `context_tokens` is at least 128,000.',
        "The answer is the smallest `blended_usd_per_mtok` among the rows you kept.",
    ),
    explanation=(
        "Only three mid-2025 listings offer 128K or more: Fireworks, Together and OpenRouter. At "
        "10:1, OpenRouter's 0.50 in and 2.15 out blend to 0.65 dollars per million tokens, against "
        "about 3.45 and 3.36 for the other two (OpenRouter is a router: this is its headline price "
        "for a request it passes on to one of many hosts). DeepSeek's own API is out whatever its "
        "price: its 64K context is too small. Allow the unverified registry listings and Lambda "
        "wins at about 0.24, a price the dataset calls unusually low: the answer depends on which "
        "listings you trust."
    ),
)


def _deepseek_latency_at_defaults_s() -> float:
    rows = provider_rows(_providers())  # the qualify dashboard's defaults
    return float(rows.loc[rows["host"] == "DeepSeek", "latency_s"].iloc[0])


q3 = NumberQuestion(
    number=3,
    title="Read the dashboard: how patient must a DeepSeek user be?",
    show="qualify_dashboard()",
    prompt="""
The dashboard below starts with a budget of $2.50 per million tokens, a latency tolerance of
10 s, a need for 64K of context, and the other hosts' latency at **2 s: an ILLUSTRATIVE value**,
not a measurement (no source gives each host's latency). DeepSeek's own API is placed 25 s
behind them, the article's reported gap to Azure. Leave everything else as it is and raise
the **latency you tolerate** until the readout says that DeepSeek's own API qualifies. What is
the shortest tolerance at which it does? Store it in `shortest_tolerance_s` (seconds). Which
part of your answer is data, and which is illustrative?
""",
    variable="shortest_tolerance_s",
    unit="seconds",
    expected=_deepseek_latency_at_defaults_s,
    rel_tol=0.0,
    abs_tol=0.25,
    solution_code="""
# What the dashboard computes, in code: a host qualifies when its latency is at most your tolerance.
providers = data.load("r1_providers")
rows = provider_rows(providers)  # the defaults: hosts at 2 s (ILLUSTRATIVE), DeepSeek 25 s later
print(rows[["host", "latency_s", "latency_quality"]].head(3))
shortest_tolerance_s = float(rows.loc[rows["host"] == "DeepSeek", "latency_s"].iloc[0])
shortest_tolerance_s
""",
    hints=(
        "The readout has a line for each of DeepSeek's listings: whether it qualifies and, if not, why.",
        "A host qualifies when its latency is at most your tolerance: the answer is the latency the "
        "dashboard gives DeepSeek's own API.",
        "That latency is the other hosts' latency plus the article's gap.",
    ),
    explanation=(
        "27 s is the illustrative 2 s of the other hosts plus the article's 25 s. Only the 25 s is "
        "data: set the hosts' latency to 0 s and the answer becomes 25 s. So the one thing we "
        "know is that DeepSeek's own API made users wait at least 25 s to the first token in May "
        "2025; 27 s is a teaching value, not a measurement."
    ),
)


def _cheapest_listing_at_1_to_1() -> str:
    rows = provider_rows(_providers(), 1.0).sort_values(["blended_usd_per_mtok", "host"])
    return str(rows["host"].iloc[0])


q4 = ChoiceQuestion(
    number=4,
    title="Predict: a chatbot that writes long essays",
    show="ranking_dashboard()",
    prompt="""
At the article's mix of 3 input tokens per output token, the cheapest listing of R1 is DeepSeek's
**off-peak** (night-time) price: 0.135 dollars per million input tokens and 0.55 per million
output tokens. A chatbot that writes long essays sends about **one input token per output
token**. Before you move anything, predict: at 1:1, which listing is the cheapest? Look at each
candidate's input and output prices, in dollars per million tokens (Hyperbolic: 0.25 and 0.25;
Lambda: 0.20 and 0.60; OpenRouter: 0.50 and 2.15; Hyperbolic's and Lambda's are unverified
registry listings). Then check your prediction by moving the ratio slider of the dashboard
below to 1, and store your answer in `cheapest_at_1_to_1`.
""",
    variable="cheapest_at_1_to_1",
    options=("DeepSeek off-peak", "Hyperbolic", "Lambda", "OpenRouter"),
    expected=_cheapest_listing_at_1_to_1,
    solution_code="""
providers = data.load("r1_providers")
for ratio in (3.0, 1.0):
    rows = provider_rows(providers, ratio).sort_values("blended_usd_per_mtok")
    print(f"{ratio:g}:1", rows[["host", "blended_usd_per_mtok"]].head(3).to_string(index=False), sep="\\n")
cheapest_at_1_to_1 = rows["host"].iloc[0]
cheapest_at_1_to_1
""",
    hints=(
        "A lower ratio means fewer input tokens per output token: which price, input or output, "
        "weighs more in the blend?",
        "At 1:1 the blend is simply the average of the input and the output price.",
        "`choice.crossover_ratio(input_a, output_a, input_b, output_b)` gives the ratio at which two "
        "listings swap places.",
    ),
    explanation=(
        "At 1:1 the blend is the average of the two prices: Hyperbolic's 0.25 dollars per million "
        "tokens beats DeepSeek off-peak's 0.34 and Lambda's 0.40, because its output is the "
        "cheapest and output now weighs half the blend. DeepSeek off-peak and Hyperbolic swap "
        "places at about 2.6 input tokens per output token (`choice.crossover_ratio`): the "
        "cheapest host depends on the workload, and here on an unverified listing."
    ),
)


def _deepseek_list_share(checked: pd.DataFrame, list_price_usd_per_mtok: float) -> float:
    """The logit share of DeepSeek's list tier among ``checked`` when it charges this blended price."""
    is_list = checked["host"] == "DeepSeek"
    prices = checked["blended_usd_per_mtok"].where(~is_list, list_price_usd_per_mtok)
    scores = choice.utility(
        prices,
        checked["latency_s"],
        SPEED_TOKENS_PER_S,
        checked["context_tokens"],
        latency_weight_per_s=LATENCY_WEIGHT_PER_S,
    )
    return float(choice.logit_shares(scores)[is_list.to_numpy()][0])


def _list_price_to_double_share() -> float:
    rows = provider_rows(_providers())
    checked = rows[rows["listing"] == "mid-2025"].reset_index(drop=True)
    list_price = float(checked.loc[checked["host"] == "DeepSeek", "blended_usd_per_mtok"].iloc[0])
    target = 2 * _deepseek_list_share(checked, list_price)
    low, high = 0.001, list_price  # the share falls as the price rises: bisect between these
    for _ in range(60):
        middle = (low + high) / 2
        if _deepseek_list_share(checked, middle) > target:
            low = middle
        else:
            high = middle
    return (low + high) / 2


q5 = NumberQuestion(
    number=5,
    title="What discount wins back users who dislike waiting?",
    prompt=f"""
Take the lesson's choice model of section 6: the five listings checked at their source in
mid-2025 (`listing == "mid-2025"`), blended at 3:1, every host at {SPEED_TOKENS_PER_S:g} tokens/s,
the latencies of `provider_rows` (the other hosts at an **ILLUSTRATIVE** 2 s, DeepSeek's own API
25 s later) and an **ILLUSTRATIVE** latency weight of {LATENCY_WEIGHT_PER_S:g} per second, the
other weights at their defaults. DeepSeek's list tier ($0.96 blended) then gets about 5.5% of
the users. To what blended price would DeepSeek have to cut its list tier, all else unchanged,
for that share to **double**? Store it in `list_price_to_double_share_usd_per_mtok` (US dollars
per million tokens, blended 3:1). Trial and error is fine: the check accepts 2%.
""",
    variable="list_price_to_double_share_usd_per_mtok",
    unit="US dollars per million tokens (blended 3:1)",
    expected=_list_price_to_double_share,
    rel_tol=0.02,
    solution_code=f"""
providers = data.load("r1_providers")
rows = provider_rows(providers)  # 3:1; latencies ILLUSTRATIVE: hosts 2 s, DeepSeek 27 s
checked = rows[rows["listing"] == "mid-2025"].reset_index(drop=True)
is_list = checked["host"] == "DeepSeek"


def list_share(list_price_usd_per_mtok):
    prices = checked["blended_usd_per_mtok"].where(~is_list, list_price_usd_per_mtok)
    scores = choice.utility(
        prices, checked["latency_s"], {SPEED_TOKENS_PER_S:g}, checked["context_tokens"],
        latency_weight_per_s={LATENCY_WEIGHT_PER_S:g},
    )
    return choice.logit_shares(scores)[is_list.to_numpy()][0]


list_price = checked.loc[is_list, "blended_usd_per_mtok"].iloc[0]  # 0.96 dollars per million tokens
target = 2 * list_share(list_price)
low, high = 0.01, list_price  # trial and error that halves the range each time (bisection)
for _ in range(40):
    middle = (low + high) / 2
    if list_share(middle) > target:
        low = middle  # share already above target: the price can be higher
    else:
        high = middle
list_price_to_double_share_usd_per_mtok = float((low + high) / 2)
list_price_to_double_share_usd_per_mtok
""",
    hints=(
        "Start from the lesson's section 6 cell: `choice.utility(...)` gives every listing a score and "
        "`choice.logit_shares(scores)` the shares. DeepSeek's list tier is the row whose `host` is "
        '`"DeepSeek"`.',
        "Write a small function that takes a price for DeepSeek's list tier, puts it in place of the "
        "0.96, and returns that tier's share. Then try blended prices between the off-peak tier's "
        "0.24 and the list tier's 0.96 (dollars per million tokens).",
        "Halving the price is not quite enough: the tier also takes users from the others, so its "
        "share is in the denominator too. Narrow the range step by step (halve it each time).",
    ),
    explanation=(
        "About $0.45, a cut of more than half, buys only about 5.5 more percentage points of users "
        "(about 11%), while OpenRouter keeps about 49%. With these illustrative weights, 25 s of "
        "waiting cost as much score as a price e^(0.05 x 25), about 3.5 times higher: to make up for "
        "the wait alone, DeepSeek would have to be about 3.5 times cheaper than an otherwise equal "
        "host that answers at once. In the lesson's table, DeepSeek's off-peak tier, 75% off, keeps "
        "only about 22% at this weight, against about 46% when users ignore waiting. The numbers "
        "are illustrative; the mechanism is the lesson's point: users who value their time are "
        "hard to win back with price alone."
    ),
)

q6 = OpenQuestion(
    number=6,
    title="Explain: how can the cheapest host lose its users?",
    prompt="""
Lesson 1 found DeepSeek's own share of its model's tokens falling while other hosts of the same
open model grew. Yet DeepSeek's own API is among the cheapest listings. In a few sentences (at
least 25 words), explain how both can be true, using what this lesson showed, and say which
parts of your explanation rest on data and which on illustrative values. Store your text in
`why_users_leave`.
""",
    variable="why_users_leave",
    key_ideas=(
        KeyIdea(
            "DeepSeek's users wait longer for the first token: at least 25 s",
            (r"latenc|wait|delay|first token|TTFT|slow|patien|\b25 ?s(ec|econds?)?\b",),
        ),
        KeyIdea(
            "its 64K context window is among the smallest; long work needs more",
            (r"context|64\s?K|64,000",),
        ),
        KeyIdea(
            "users pick among the hosts that meet all their needs (budget, latency, context), not by "
            "price alone; the workload's mix also reorders the prices",
            (
                r"qualif|requirement|toleran|\bneed|workload|\bmix\b|blend|ratio|choice model|logit|"
                r"weigh|trade-?off|price alone|not (only|just) (on |by )?(the )?price|choose|pick",
            ),
        ),
        KeyIdea(
            "only the 25 s gap, the prices and the context windows are data; the other latencies and "
            "the choice model's weights are illustrative",
            (
                r"illustrative|not published|unpublished|unknown|not known|no (public )?(source|data|"
                r"measurement)|not measured|assum|invented|made.up|guess|hypothetical|"
                r"teaching value|for teaching",
            ),
        ),
    ),
    model_answer="""
A price per token is only part of what a user buys. DeepSeek's API is cheap, but its users pay
in waiting and in context: the article reports that Azure's first token came 25 seconds sooner,
so DeepSeek made users wait at least 25 s, and its 64K context window is among the smallest of
the listings, too small for a coding assistant that sends whole files. A user picks the cheapest
host that meets all their requirements (budget, latency tolerance, context), so someone who will
not wait 25 s or needs 128K never considers DeepSeek, whatever its price; and which host is
cheapest also depends on the input:output mix. In the logit choice model, users who value their
time move to hosts that answer at once, so DeepSeek's share falls while its model thrives
elsewhere. What is data: the prices, the context windows and the 25 s gap. What is illustrative:
every other latency (the 2 s of the other hosts) and the weights of the choice model, so its
shares show the mechanism, not a measurement.
""",
    hints=(
        "What does a user get besides a price per token? The lesson looked at two more things.",
        "Think of the three requirements of the qualify dashboard, and of the dashed rings on the "
        "latency chart: which numbers there are measured?",
    ),
)

EXERCISES = ExerciseSet(
    module=__name__,
    lesson="02_latency_and_context.ipynb",
    title="Exercises: latency and context trade-offs",
    introduction="""
These exercises practise lesson 2: the blended price, choosing a host for a workload's needs,
what is known about latency, how the input:output mix reorders the hosts, and the logit choice
model. No source gives each host's latency: the only latency that is data is the article's 25 s
gap between DeepSeek's own API and Azure's. Every other latency, and the weights of the choice
model, are ILLUSTRATIVE, and the questions that use them say so.
""",
    setup="""
from tokenomics import choice, data
from tokenomics.charts.providers import provider_rows
from tokenomics.dashboards.providers import qualify_dashboard, ranking_dashboard
""",
    questions=(q1, q2, q3, q4, q5, q6),
)
