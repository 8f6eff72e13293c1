"""Exercises for lesson 1, market-share decline: a falling share is not a falling volume.

Every expected answer is computed here with :mod:`tokenomics.market` and the kit's datasets,
when the check runs. The shares are chart-read, the "nearly 20x" is reported, and the monthly
curves are illustrative straight lines; the questions say which is which.

Examples
--------
>>> q2.evaluate(q2.expected()).status
'correct'
>>> q5.expected()
'rises'
"""

from __future__ import annotations

import pandas as pd

from tokenomics import data, market
from tokenomics.dashboards.market import start_values
from tokenomics.exercises import (
    ChoiceQuestion,
    ExerciseSet,
    FunctionQuestion,
    KeyIdea,
    NumberQuestion,
    OpenQuestion,
    direction_of_change,
)


def _largest_app_share_fall_pct() -> float:
    readings = data.load("app_market_share")
    peaks = readings.loc[readings["reading"] == "peak", "share_pct"]
    mays = readings.loc[readings["reading"] == "may_2025", "share_pct"]
    # As the dashboard does: the fall for every pair of a peak reading and a May reading.
    return min(market.percent_change(peak, may) for peak in peaks for may in mays)


q1 = NumberQuestion(
    number=1,
    title="Read the app-share dashboard: the largest fall the readings allow",
    show="app_share_dashboard()",
    prompt="""
Two news outlets read the article's SensorTower chart of DeepSeek's share of AI-app usage, and
their readings differ (all **chart-read**, so approximate). In the dashboard below, use the two
dropdowns to pick the peak reading and the May 2025 reading that together give the **largest**
fall, and read that fall from the line under the controls. Store it in `largest_fall_pct`, in
percent, negative for a fall (a fall of a quarter is -25). Then look at the peak reading's
qualifier: what does it say about the true size of the fall?
""",
    variable="largest_fall_pct",
    unit="percent (negative for a fall)",
    expected=_largest_app_share_fall_pct,
    rel_tol=0.01,
    solution_code="""
# What the dashboard computes, in code: the highest peak reading against the lowest May reading.
app_share = data.load("app_market_share")
peaks = app_share.loc[app_share["reading"] == "peak", "share_pct"]
mays = app_share.loc[app_share["reading"] == "may_2025", "share_pct"]
largest_fall_pct = market.percent_change(peaks.max(), mays.min())
largest_fall_pct
""",
    hints=(
        "A fall is largest when it starts from the highest reading and ends at the lowest one.",
        "With both dropdowns on 'both readings', the readout lists all four pairs; pick the most "
        "negative. In code: `market.percent_change(before, after)`.",
    ),
    explanation=(
        "The highest peak reading (over 8%) against the lowest May reading (about 4.5%) gives the "
        "largest fall, and reading A's values (about 7.5% and 5%) give the smallest, -33.3%: "
        "between a third and close to half of the share, depending on who read the chart. The "
        "peak was read as 'over' 8%, so from that reading the fall could be larger still. "
        "Numbers read off a chart support a range, not a precise figure."
    ),
)


def _may_share() -> float:
    """DeepSeek's own share of its models' tokens in May 2025 (chart-read), a fraction."""
    shares = data.load("first_party_token_share").sort_values("month")
    return float(shares["share_pct"].iloc[-1]) / 100


q2 = NumberQuestion(
    number=2,
    title="How many tokens did other hosts serve for each one DeepSeek served?",
    prompt="""
The dataset `first_party_token_share` holds DeepSeek's own share of all tokens of its models
routed through OpenRouter (**chart-read**, approximate). In May 2025, how many tokens did other
hosts (third parties) serve for every token DeepSeek served itself? Store it in
`other_hosts_tokens_per_deepseek_token` (third-party tokens per first-party token). Compute it
from the dataset rather than typing the share in.
""",
    variable="other_hosts_tokens_per_deepseek_token",
    unit="third-party tokens per first-party token",
    expected=lambda: 1 / market.share_odds(_may_share()),
    rel_tol=0.01,
    solution_code="""
token_share = data.load("first_party_token_share").sort_values("month")
may_share = token_share["share_pct"].iloc[-1] / 100  # a fraction
deepseek_per_other_token = market.share_odds(may_share)  # s / (1 - s)
other_hosts_tokens_per_deepseek_token = 1 / deepseek_per_other_token
other_hosts_tokens_per_deepseek_token
""",
    hints=(
        "Out of every 100 tokens, DeepSeek served its share; who served the rest?",
        "Other hosts served (1 - s) for every s that DeepSeek served. Shares are fractions: 16% is 0.16.",
        "`market.share_odds(s)` gives DeepSeek's tokens per third-party token, s / (1 - s); you want "
        "its inverse.",
    ),
    explanation=(
        "At a 16% share, DeepSeek served 16 of every 100 tokens and other hosts the other 84: "
        "84 / 16 = 5.25 third-party tokens for each of DeepSeek's, the lesson's 'about five'. "
        "Dividing 100 by 16 counts DeepSeek's own token among the others. These are OpenRouter's "
        "tokens only: DeepSeek's app and its direct API customers are not in this chart."
    ),
)


def _own_volume_growth(share_before, share_after, third_party_growth):
    return market.first_party_growth(share_before, share_after, third_party_growth)


q3 = FunctionQuestion(
    number=3,
    title="Write the growth of DeepSeek's own volume",
    prompt="""
DeepSeek's share s, its own (first-party) volume F and other hosts' (third-party) volume T are
tied by s = F / (F + T). Write a function `own_volume_growth(share_before, share_after,
third_party_growth)` that returns how many times DeepSeek's own volume grew (F after / F
before), given its share before and after (fractions from 0 to 1) and how many times third-party
volume grew over the same period. For example, a share that stays at 50% while other hosts
triple means DeepSeek's own volume tripled too.
""",
    variable="own_volume_growth",
    starter="""
def own_volume_growth(share_before, share_after, third_party_growth):
    return ____
""",
    solution_code="""
def own_volume_growth(share_before, share_after, third_party_growth):
    tokens_per_third_party_token_before = share_before / (1 - share_before)  # F / T, from s = F / (F + T)
    tokens_per_third_party_token_after = share_after / (1 - share_after)
    return tokens_per_third_party_token_after / tokens_per_third_party_token_before * third_party_growth
""",
    reference=_own_volume_growth,
    cases=(
        dict(share_before=0.42, share_after=0.16, third_party_growth=20.0),
        dict(share_before=0.5, share_after=0.25, third_party_growth=3.0),
        dict(share_before=0.3, share_after=0.3, third_party_growth=1.5),
    ),
    unit="a multiple of DeepSeek's own volume before",
    hints=(
        "Solve s = F / (F + T) for F: how many first-party tokens are there per third-party token?",
        "F = s / (1 - s) x T. Write that for before and after, and divide one by the other.",
        "F_after / F_before = [s1 / (1 - s1)] / [s0 / (1 - s0)] x (T_after / T_before).",
    ),
    explanation=(
        "F = s / (1 - s) x T, so the growth of F is the ratio of the two odds times the growth of "
        "T. The ratio of the shares alone (s1 / s0) is not enough: a share is a fraction of a total "
        "that also changed. The kit's version is `market.first_party_growth`."
    ),
)


def _break_even_growth_at_30_pct() -> float:
    march_share = start_values()["share_before_pct"] / 100
    return market.break_even_third_party_growth(march_share, 0.30)


q4 = NumberQuestion(
    number=4,
    title="Read the who-serves dashboard: a smaller fall in share",
    show="who_serves_dashboard()",
    prompt="""
The dashboard below starts at DeepSeek's chart-read shares, 42% in March and 16% in May 2025;
its readout gives the third-party growth at which DeepSeek's own volume would stand still.
Keep the March share at 42% and move the **May share** slider to **30%** (a what-if value,
illustrative, not a reading). Read the third-party growth now needed to keep DeepSeek's own
volume unchanged, and store it in `break_even_growth_at_30_pct` (a multiple: 2 means other
hosts doubled). How does it compare with the value at the start?
""",
    variable="break_even_growth_at_30_pct",
    unit="a multiple of third-party volume in March",
    expected=_break_even_growth_at_30_pct,
    rel_tol=0.01,
    solution_code="""
# What the dashboard computes, in code (shares as fractions):
march_share = start_values()["share_before_pct"] / 100  # 42%, chart-read
break_even_growth_at_30_pct = market.break_even_third_party_growth(march_share, 0.30)
break_even_growth_at_30_pct
""",
    hints=(
        "The readout's second number is the break-even third-party growth; only the May share slider moves.",
        "In code: `market.break_even_third_party_growth(share_before, share_after)`, with shares "
        "as fractions.",
    ),
    explanation=(
        "The break-even growth is the ratio of the odds, [0.42 / 0.58] / [0.30 / 0.70]: about "
        "1.69x, against 3.80x for the fall to 16%. The further DeepSeek's share falls, the faster "
        "other hosts must grow for its own volume to hold: a small fall in share is consistent "
        "with modest third-party growth and a flat DeepSeek."
    ),
)


def _months_between(start, end) -> int:
    return (pd.Timestamp(end).to_period("M") - pd.Timestamp(start).to_period("M")).n


def _own_volume_direction_constant_factor() -> str:
    shares = data.load("first_party_token_share").sort_values("month")
    curve = data.load("third_party_usage_illustrative").sort_values("month")
    reported_growth = float(data.load("third_party_growth")["value"].iloc[0])
    months_of_growth = _months_between(curve["month"].iloc[0], curve["month"].iloc[-1])
    months_of_shares = _months_between(shares["month"].iloc[0], shares["month"].iloc[-1])
    # The same factor every month, from 1 in January to the reported growth in May (illustrative).
    growth_march_to_may = reported_growth ** (months_of_shares / months_of_growth)
    s_march, s_may = shares["share_pct"].to_numpy() / 100
    own_growth = market.first_party_growth(s_march, s_may, growth_march_to_may)
    return direction_of_change(1.0, own_growth, ("rises", "falls", "stays the same"))


q5 = ChoiceQuestion(
    number=5,
    title="Predict: the same 20x, drawn as a different curve",
    prompt="""
The article gives only the end point of third-party growth: "nearly 20x" from R1's launch in
January to about May 2025 (reported). The lesson's **illustrative** curve is a straight line
from 1 in January to 20 in May: it gives 1.90x from March to May, less than the 3.80x break-even,
so on that line DeepSeek's own volume roughly halves. Now draw a different **illustrative**
curve through the same two points: growth by the **same factor every month** (1 in January, 20
in May). Predict first: from March to May, does DeepSeek's own volume rise, fall, or stay the
same? Then check with `market.first_party_growth`, and store the answer in
`own_volume_direction`.
""",
    variable="own_volume_direction",
    options=("rises", "falls", "stays the same"),
    expected=_own_volume_direction_constant_factor,
    solution_code="""
token_share = data.load("first_party_token_share").sort_values("month")
s_march, s_may = token_share["share_pct"].to_numpy() / 100
reported_growth = float(data.load("third_party_growth")["value"].iloc[0])  # January to May
monthly_factor = reported_growth ** (1 / 4)  # the same factor in each of the 4 months
growth_march_to_may = monthly_factor**2  # two of those months: March to May
straight_line_growth = start_values()["third_party_growth"]  # the lesson's illustrative line
print(f"straight line:   x{market.first_party_growth(s_march, s_may, straight_line_growth):.2f}")
print(f"constant factor: x{market.first_party_growth(s_march, s_may, growth_march_to_may):.2f}")
own_volume_direction = "rises"
""",
    hints=(
        "A straight line adds the same amount each month; a constant factor multiplies. Which one "
        "puts more of the growth late, between March and May?",
        "With a factor f each month, f ** 4 = 20 from January to May, so March to May is f ** 2 = "
        "20 ** (2 / 4).",
        "Compare that growth with the break-even, `market.break_even_third_party_growth(0.42, 0.16)`, "
        "or pass it to `market.first_party_growth(0.42, 0.16, growth)`.",
    ),
    explanation=(
        "Growing by the same factor each month puts most of the growth late: March to May is "
        "20 ** (2 / 4), about 4.47x, above the 3.80x break-even, so DeepSeek's own volume rises "
        "(about x1.18) where the straight line gave about x0.50. Both curves are illustrative and "
        "both pass through the same two points, yet they give opposite answers: a "
        "conclusion that depends on an interpolated curve is not a finding of the data."
    ),
)

q6 = OpenQuestion(
    number=6,
    title="Explain: does a falling share mean DeepSeek served fewer tokens?",
    prompt="""
A classmate says: "DeepSeek's own share of the tokens of its models fell from about 42% in March
to about 16% in May, so DeepSeek served fewer of those tokens in May than in March." In a few
sentences (at least 25 words), explain what is missing from this argument, what you would need
to know to decide, and why the kit's data cannot settle it. Store your text in
`share_versus_volume`.
""",
    variable="share_versus_volume",
    key_ideas=(
        KeyIdea(
            "a share is not a volume: the total can grow while the share falls",
            (
                r"volume",
                r"\btotal\b",
                r"\bwhole\b",
                r"absolute",
                r"\bpie\b",
                r"slice",
                r"market size|size of the market",
                r"how many tokens|number of tokens|more tokens|served more",
                r"faster",
                r"s\s*/\s*\(\s*1\s*-\s*s\s*\)",
            ),
        ),
        KeyIdea(
            "it depends on how much other hosts grew over the same months (break-even about 3.8x)",
            (
                r"break.?even",
                r"3\.8",
                r"(third.?part(y|ies)|other hosts?|other providers?|others|rivals?|competitors?)"
                r"\W+(\w+\W+){0,10}(gr[eo]w|growth|rose|increas)",
                r"(gr[eo]w|growth|rose|increas)\w*\W+(\w+\W+){0,10}"
                r"(third.?part(y|ies)|other hosts?|other providers?|others|rivals?|competitors?)",
            ),
        ),
        KeyIdea(
            "the data cannot settle it: the 20x covers a longer period (since January), the monthly "
            "values are not published (the curves are illustrative), and only OpenRouter is counted",
            (
                r"period",
                r"january|since (r1|the launch|launch)",
                r"illustrativ|interpolat|chart.?read|not published|unpublished|approximat|monthly values",
                r"openrouter",
            ),
        ),
    ),
    model_answer="""
A share is not a volume. DeepSeek's own volume is F = s / (1 - s) x T, so its share can fall
while it serves more tokens, if other hosts grow faster than it does. From 42% to 16%,
DeepSeek's volume stands still only if third-party volume grew about 3.8 times from March to
May (the break-even); if other hosts grew more, DeepSeek served more, and if less, fewer. So we
need third-party growth over the same two months. The data cannot give it: the reported "nearly
20x" runs from January, a longer period; the monthly values behind the charts are not
published, so the kit's monthly curves are illustrative; and the shares are chart-read from
OpenRouter data, which leaves out DeepSeek's app and its direct API customers.
""",
    hints=(
        "A share is a fraction of a total. What happened to the total?",
        "Use F = s / (1 - s) x T: what must third-party volume T have done for F to stand still "
        "while s fell from 42% to 16%?",
        "Which figure would settle it, and do the sources give it for March to May? Think about the "
        "period of the 'nearly 20x', the illustrative curves and what OpenRouter can see.",
    ),
)

EXERCISES = ExerciseSet(
    module=__name__,
    lesson="01_market_share_decline.ipynb",
    title="Exercises: market-share decline",
    introduction="""
These exercises practise lesson 1: reading figures that were read off a chart, and the
arithmetic that ties DeepSeek's own share of its models' tokens to its own token volume,
F = s / (1 - s) x T. Watch the data quality: the shares are **chart-read** (approximate), the
"nearly 20x" is **reported**, and the monthly curves are **illustrative** straight lines, not
data. Every function you need is imported below.
""",
    setup="""
from tokenomics import data, market
from tokenomics.dashboards.market import app_share_dashboard, start_values, who_serves_dashboard
""",
    questions=(q1, q2, q3, q4, q5, q6),
)
