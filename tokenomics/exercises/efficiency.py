"""Exercises for lesson 4, Claude's token efficiency: time to answer, break-even, cost per answer.

Every expected answer is computed here with the kit's models and datasets, when the check runs.
First-token times, answer lengths and prompt lengths are illustrative, as in the lesson: no
source gives them.

Examples
--------
>>> q1.evaluate(q1.expected()).status
'correct'

At the speed question 4 asks for, the kit's break-even wordiness is the wordiness asked for:

>>> speed = _tie_speed_tokens_per_s(1_000, 2.0, 45.0, 2.0, 3.0)
>>> round(speed, 2), round(break_even_verbosity(1_000, 2.0, 45.0, 2.0, speed), 9)
(135.09, 3.0)
"""

from __future__ import annotations

import numpy as np

from tokenomics import data
from tokenomics.dashboards.efficiency import (
    CLAUDE_TOKENS_PER_S,
    DEEPSEEK_TOKENS_PER_S,
    ILLUSTRATIVE_ANSWER_TOKENS,
    ILLUSTRATIVE_TTFT_S,
    WORDINESS,
)
from tokenomics.efficiency import break_even_verbosity, cost_per_answer_usd, price_table, time_to_answer_s
from tokenomics.exercises import (
    ChoiceQuestion,
    ExerciseSet,
    FunctionQuestion,
    KeyIdea,
    NumberQuestion,
    OpenQuestion,
    direction_of_change,
)


def _settled_speed_high_tokens_per_s() -> float:
    """The top of the 20-60 tokens/s band most providers settled on (dataset ``speed_and_verbosity``)."""
    table = data.load("speed_and_verbosity").set_index("quantity")
    return float(table.loc["settled_output_tokens_per_s_high", "value"])


def _longest_claude_answer_deepseek_wins() -> int:
    claude_tokens = np.arange(1, 20_001)
    claude_s = time_to_answer_s(10.0, claude_tokens, CLAUDE_TOKENS_PER_S)
    deepseek_s = time_to_answer_s(1.0, np.round(WORDINESS * claude_tokens), DEEPSEEK_TOKENS_PER_S)
    return int(claude_tokens[deepseek_s < claude_s].max())


q1 = NumberQuestion(
    number=1,
    title="When does a quick first token win the race?",
    prompt="""
Claude 4 Sonnet streams at **45 tokens/s** and DeepSeek's own API at **25 tokens/s** (both
reported), and the article calls DeepSeek's R1-0528 "more than 3x as wordy": take **3 times** as
many tokens for the same answer. Now give DeepSeek the head start: suppose Claude's first token
comes after **10 s** and DeepSeek's after **1 s** (both first-token times illustrative). What
is the **longest** answer from Claude, in whole tokens, for which DeepSeek still finishes first
(strictly sooner)? Store it in `longest_claude_answer_tokens`. Compute it with
`time_to_answer_s` rather than by trial and error.
""",
    variable="longest_claude_answer_tokens",
    unit="Claude's output tokens, a whole number",
    expected=_longest_claude_answer_deepseek_wins,
    rel_tol=0.0,
    solution_code="""
claude_tokens = np.arange(1, 2_001)  # every Claude answer length from 1 to 2,000 tokens
claude_s = time_to_answer_s(10.0, claude_tokens, 45.0)
deepseek_s = time_to_answer_s(1.0, 3 * claude_tokens, 25.0)  # three times the tokens
longest_claude_answer_tokens = claude_tokens[deepseek_s < claude_s].max()
longest_claude_answer_tokens
""",
    hints=(
        "`time_to_answer_s(ttft_s, output_tokens, tokens_per_s)` accepts a numpy array of answer "
        "lengths: compute both models' times for many lengths at once.",
        "Try Claude answers of `np.arange(1, 2_001)` tokens; DeepSeek's answer to the same question "
        "is 3 times as long.",
        "Keep the lengths where DeepSeek's time is smaller (`claude_tokens[deepseek_s < claude_s]`) "
        "and take the largest: a whole number of tokens, not the point where the two formulas cross.",
    ),
    explanation=(
        "DeepSeek starts 9 s ahead. Each extra token of Claude's answer adds 1/45 s to Claude's time "
        "but three tokens, 3/25 s, to DeepSeek's: DeepSeek loses about 0.1 s per Claude token, so its "
        "head start is used up after about 92 tokens. The first token decides the race only for very "
        "short answers; for anything longer, speed and wordiness decide."
    ),
)


def _break_even_at_60_tokens_per_s() -> float:
    # As the race dashboard computes it, with only DeepSeek's speed moved.
    return break_even_verbosity(
        ILLUSTRATIVE_ANSWER_TOKENS,
        ILLUSTRATIVE_TTFT_S,
        CLAUDE_TOKENS_PER_S,
        ILLUSTRATIVE_TTFT_S,
        _settled_speed_high_tokens_per_s(),
    )


q2 = NumberQuestion(
    number=2,
    title="Read the race dashboard: how wordy may a fast model be?",
    show="race_dashboard()",
    prompt="""
The dashboard below races Claude 4 Sonnet (45 tokens/s) against DeepSeek's own API (25
tokens/s), with an illustrative 2 s to the first token for both and a 1,000-token answer from
Claude. The article says most providers settled on 20 to 60 tokens/s. Move **DeepSeek's output
speed** slider to the top of that band, **60 tokens/s**, leaving the other sliders alone, and
read the **break-even wordiness** from the readout. Store it in `break_even_at_60_tokens_per_s`
(a ratio: DeepSeek's tokens / Claude's tokens). Is a model 3 times as wordy as Claude fast
enough at 60 tokens/s?
""",
    variable="break_even_at_60_tokens_per_s",
    unit="a ratio, DeepSeek's tokens / Claude's tokens",
    expected=_break_even_at_60_tokens_per_s,
    rel_tol=0.02,
    solution_code="""
# What the dashboard computes, in code: Claude's 1,000 tokens at 45 tok/s against 60 tok/s, 2 s first tokens.
break_even_at_60_tokens_per_s = break_even_verbosity(1_000, 2.0, 45.0, 2.0, 60.0)
break_even_at_60_tokens_per_s
""",
    hints=(
        "The readout's second line gives the break-even wordiness; the wordiness slider does not change it.",
        "Only the slider *DeepSeek (own API): output speed, tok/s* moves, from 25 to 60.",
        "In code: `break_even_verbosity(concise_output_tokens, concise_ttft_s, concise_tokens_per_s, "
        "wordy_ttft_s, wordy_tokens_per_s)` with Claude as the concise model.",
    ),
    explanation=(
        "At 60 tokens/s DeepSeek may write only about 1.33 times Claude's tokens and still tie: for a "
        "long answer the break-even is close to the ratio of the speeds, 60 / 45. A model 3 times as "
        "wordy as Claude loses the race even at the top of the band most providers settled on."
    ),
)


def _break_even_change_with_slow_first_tokens() -> str:
    def break_even(ttft_s: float) -> float:
        return break_even_verbosity(
            ILLUSTRATIVE_ANSWER_TOKENS, ttft_s, CLAUDE_TOKENS_PER_S, ttft_s, DEEPSEEK_TOKENS_PER_S
        )

    return direction_of_change(break_even(ILLUSTRATIVE_TTFT_S), break_even(20.0))


q3 = ChoiceQuestion(
    number=3,
    title="Predict: both providers make users queue",
    prompt="""
Go back to the race dashboard's starting values: Claude at 45 tokens/s and DeepSeek at 25
tokens/s, both with 2 s to the first token, and a 1,000-token answer from Claude. Now suppose
**both** providers make their users queue, so **both** first-token times rise to **20 s**.
Before you move anything, predict: does the **break-even wordiness** go up, go down, or stay the
same? Then check your prediction on the dashboard above or with `break_even_verbosity`, and
store the answer in `break_even_change`.
""",
    variable="break_even_change",
    options=("goes up", "goes down", "stays the same"),
    expected=_break_even_change_with_slow_first_tokens,
    solution_code="""
before = break_even_verbosity(1_000, 2.0, 45.0, 2.0, 25.0)
after = break_even_verbosity(1_000, 20.0, 45.0, 20.0, 25.0)
print(f"break-even with 2 s first tokens: {before:.3f}x; with 20 s: {after:.3f}x")
break_even_change = "stays the same"
break_even_change
""",
    hints=(
        "Both answers now spend most of their time waiting. Does waiting decide who finishes *first*?",
        "The wordy model ties when its streaming time equals the concise model's time to answer minus "
        "its own first-token time: T_c - TTFT_w = TTFT_c + (N - 1) / v_c - TTFT_w.",
        "What happens to TTFT_c - TTFT_w when both first-token times grow by the same 18 s?",
    ),
    explanation=(
        "The break-even compares the time each model spends *streaming*. With equal first-token "
        "times the wait is the same for both and cancels out of r = (1 + v_w (T_c - TTFT_w)) / N. The "
        "*ratio* of the two times to answer does shrink (both answers are now mostly waiting), but who "
        "finishes first does not change. Of the first-token times, only their difference moves the "
        "break-even."
    ),
)


def _tie_speed_tokens_per_s(
    concise_output_tokens, concise_ttft_s, concise_tokens_per_s, wordy_ttft_s, wordiness
) -> float:
    """The output speed at which a model writing ``wordiness`` times the tokens ties the concise one."""
    concise_s = time_to_answer_s(concise_ttft_s, concise_output_tokens, concise_tokens_per_s)
    return (wordiness * concise_output_tokens - 1) / (concise_s - wordy_ttft_s)


q4 = FunctionQuestion(
    number=4,
    title="Write it: the speed a wordy model needs to tie",
    prompt="""
The break-even wordiness says how wordy a model may be at a given speed. Turn it around: write
a function `tie_speed_tokens_per_s(concise_output_tokens, concise_ttft_s, concise_tokens_per_s,
wordy_ttft_s, wordiness)` that returns the output speed, in tokens per second, at which a model
writing `wordiness` times as many tokens as the concise model finishes **exactly** together with
it. Solve the lesson's break-even equation

$$r = \\frac{1 + v_w\\,(T_c - \\text{TTFT}_w)}{N}$$

for $v_w$, where $T_c$ is the concise model's time to answer. Check it yourself:
`break_even_verbosity` at your speed should give back your wordiness. (The lesson found that a
model 3 times as wordy as Claude ties at about 135 tokens/s, with its illustrative inputs.)
""",
    variable="tie_speed_tokens_per_s",
    starter="""
def tie_speed_tokens_per_s(
    concise_output_tokens, concise_ttft_s, concise_tokens_per_s, wordy_ttft_s, wordiness
):
    return ____
""",
    solution_code="""
def tie_speed_tokens_per_s(
    concise_output_tokens, concise_ttft_s, concise_tokens_per_s, wordy_ttft_s, wordiness
):
    concise_s = time_to_answer_s(concise_ttft_s, concise_output_tokens, concise_tokens_per_s)
    # r N = 1 + v_w (T_c - TTFT_w), so v_w = (r N - 1) / (T_c - TTFT_w)
    return (wordiness * concise_output_tokens - 1) / (concise_s - wordy_ttft_s)


speed = tie_speed_tokens_per_s(1_000, 2.0, 45.0, 2.0, 3.0)
check = break_even_verbosity(1_000, 2.0, 45.0, 2.0, speed)
print(f"tie speed {speed:.2f} tokens/s; break-even wordiness at that speed {check:.6f}x")
""",
    reference=_tie_speed_tokens_per_s,
    cases=(
        dict(
            concise_output_tokens=1_000,
            concise_ttft_s=2.0,
            concise_tokens_per_s=45.0,
            wordy_ttft_s=2.0,
            wordiness=3.0,
        ),
        dict(
            concise_output_tokens=1_000,
            concise_ttft_s=2.0,
            concise_tokens_per_s=45.0,
            wordy_ttft_s=0.5,
            wordiness=3.0,
        ),
        dict(
            concise_output_tokens=200,
            concise_ttft_s=10.0,
            concise_tokens_per_s=45.0,
            wordy_ttft_s=1.0,
            wordiness=3.0,
        ),
        dict(
            concise_output_tokens=5_000,
            concise_ttft_s=2.0,
            concise_tokens_per_s=75.0,
            wordy_ttft_s=2.0,
            wordiness=1.5,
        ),
    ),
    unit="tokens per second",
    hints=(
        "Start from the concise model's time to answer, T_c = `time_to_answer_s(concise_ttft_s, "
        "concise_output_tokens, concise_tokens_per_s)`: it does not depend on the wordy model.",
        "The wordy model writes r N tokens; its first arrives at TTFT_w, the other r N - 1 stream at "
        "v_w. Set its time to answer equal to T_c.",
        "v_w = (r N - 1) / (T_c - TTFT_w). The shortcut r x v_c is only close for long answers with "
        "equal first-token times.",
    ),
    explanation=(
        "For long answers and equal first-token times the tie speed is close to the wordiness times "
        "the concise model's speed: 3 times as wordy as Claude needs about 3 x 45 = 135 tokens/s. The "
        "article says o3 and Gemini 2.5 Pro run much faster than Claude but gives no figure, so the "
        "kit cannot say whether they clear this bar."
    ),
)


def _cost_break_even_wordiness() -> float:
    prices = price_table().set_index("label")
    claude, deepseek = prices.loc["Claude Sonnet 4"], prices.loc["DeepSeek R1-0528 on DeepSeek"]
    prompt_tokens, claude_tokens = 2_000, 1_000
    claude_usd = cost_per_answer_usd(
        prompt_tokens, claude_tokens, claude["input_usd_per_mtok"], claude["output_usd_per_mtok"]
    )
    deepseek_prompt_usd = cost_per_answer_usd(prompt_tokens, 0, deepseek["input_usd_per_mtok"], 0.0)
    deepseek_usd_per_claude_length = cost_per_answer_usd(
        0, claude_tokens, 0.0, deepseek["output_usd_per_mtok"]
    )
    return (claude_usd - deepseek_prompt_usd) / deepseek_usd_per_claude_length


q5 = NumberQuestion(
    number=5,
    title="How wordy before DeepSeek's answers cost more than Claude's?",
    prompt="""
Take the lesson's illustrative request: a **2,000-token prompt** and a **1,000-token answer**
from Claude Sonnet 4, at the listed prices in `price_table()`. DeepSeek's own API (the listing
`"DeepSeek R1-0528 on DeepSeek"`, standard prices) gets the same prompt and writes r times
Claude's output tokens. At what wordiness r does one DeepSeek answer cost **exactly as much** as
one Claude answer? Store it in `cost_break_even_wordiness` (a ratio: DeepSeek's output tokens /
Claude's). Is it plausible that a model is that wordy?
""",
    variable="cost_break_even_wordiness",
    unit="a ratio, DeepSeek's output tokens / Claude's",
    expected=_cost_break_even_wordiness,
    rel_tol=0.01,
    solution_code="""
prices = price_table().set_index("label")
claude = prices.loc["Claude Sonnet 4"]
deepseek = prices.loc["DeepSeek R1-0528 on DeepSeek"]
claude_usd = cost_per_answer_usd(2_000, 1_000, claude["input_usd_per_mtok"], claude["output_usd_per_mtok"])
# DeepSeek's answer: the same prompt, plus r x 1,000 output tokens. Set it equal to Claude's and solve for r.
deepseek_prompt_usd = cost_per_answer_usd(2_000, 0, deepseek["input_usd_per_mtok"], 0.0)
deepseek_usd_per_1000_output_tokens = cost_per_answer_usd(0, 1_000, 0.0, deepseek["output_usd_per_mtok"])
cost_break_even_wordiness = (claude_usd - deepseek_prompt_usd) / deepseek_usd_per_1000_output_tokens
cost_break_even_wordiness
""",
    hints=(
        "An answer costs prompt tokens x input price + answer tokens x output price "
        "(`cost_per_answer_usd(input_tokens, output_tokens, input_usd_per_mtok, output_usd_per_mtok)`).",
        "Both answers get the same prompt, but the two input prices differ: the prompt does not cancel out.",
        "Claude's cost = DeepSeek's prompt cost + r x (cost of 1,000 DeepSeek output tokens); solve for r.",
    ),
    explanation=(
        "About 9 times Claude's tokens. No model is reported to be that wordy: the article's 'more than "
        "3x' is a third of it, so DeepSeek's own API stays cheaper per answer, and pays for it in time "
        "to answer. A longer prompt raises the break-even further (about 29 times with a 20,000-token "
        "prompt), because DeepSeek's input tokens are cheaper too; at DeepSeek's off-peak prices it is "
        "about 38 times."
    ),
)

q6 = OpenQuestion(
    number=6,
    title="Explain: slower and dearer per token, so worse?",
    prompt="""
A colleague says: "Claude 4 Sonnet streams at just above 45 tokens/s, 40% slower than at launch,
and charges 15 US dollars per million output tokens against 2.19 on DeepSeek's own API. It is slower and
dearer, so DeepSeek is the better deal." Reply in a few sentences (at least 25 words): what should
they compare instead, and what do the lesson's numbers say? Store your text in `slower_but_first`.
""",
    variable="slower_but_first",
    key_ideas=(
        KeyIdea(
            "the answer's length counts: Claude writes about a third as many tokens, so it finishes first",
            (
                r"fewer (output )?tokens|less tokens|fewer words|concise|wordy|wordier|verbos|a third|"
                r"one.third|1/3|three times|3 ?x|answer length|length of the answer|shorter answer",
            ),
        ),
        KeyIdea(
            "compare the cost of a whole answer (tokens x price), not the price of a token",
            (
                r"per answer|cost of (an|the|each|one|a) (whole )?answer|per (question|request|task|reply)|"
                r"total cost|multipl|(x|×|\*|times) (the )?prices?",
            ),
        ),
        KeyIdea(
            "the verdict depends on the numbers: DeepSeek's own API stays cheaper per answer, Claude is "
            "faster",
            (
                r"still cheaper|stays? cheaper|remains? cheaper|costs? less|depend|trade.?off|break.?even|"
                r"9 ?x|nine",
            ),
        ),
    ),
    model_answer="""
A user waits for the whole answer and pays for all of its tokens, so tokens per second and price
per token are the wrong things to compare. Time to answer is TTFT + (N - 1) / speed, and Claude
writes about a third as many tokens as DeepSeek's R1-0528 while still streaming faster (45
against 25 tokens/s): with the lesson's illustrative 2 s first token and 1,000-token answer,
Claude finishes in about 24 s and DeepSeek in about 122 s. For money, compare the cost per
answer, prompt tokens x input price + answer tokens x output price. There the colleague is partly
right: DeepSeek's own API is so cheap per token that it stays cheaper per answer even at three
times the tokens (about 0.77 against 2.1 US cents for the illustrative request); it would have
to be about nine times as wordy to cost as much. So Claude wins on time to answer and DeepSeek on
cost per answer, and which is the better deal depends on what the user values. Against Gemini
2.5 Pro, cheaper than Claude per token, three times the tokens make each answer dearer.
""",
    hints=(
        "What does a user actually wait for, and what do they pay for: one token, or a whole answer?",
        "Use the lesson's two formulas: time to answer = TTFT + (N - 1) / speed, and cost per answer = "
        "tokens x price. Which numbers in them differ between the two models?",
        "Be fair to the colleague: is DeepSeek's own API also dearer per answer, or only slower?",
    ),
)

EXERCISES = ExerciseSet(
    module=__name__,
    lesson="04_claude_token_efficiency.ipynb",
    title="Exercises: Claude's token efficiency",
    introduction="""
These exercises practise lesson 4: the time to an answer, the break-even wordiness of a faster
model, and the cost of an answer against the price of a token. The speeds (45 and 25 tokens/s)
and the 3x wordiness are reported; first-token times, answer and prompt lengths are illustrative,
as in the lesson. Every function you need is imported below.
""",
    setup="""
import numpy as np

from tokenomics.dashboards.efficiency import race_dashboard
from tokenomics.efficiency import break_even_verbosity, cost_per_answer_usd, price_table, time_to_answer_s
""",
    questions=(q1, q2, q3, q4, q5, q6),
)
