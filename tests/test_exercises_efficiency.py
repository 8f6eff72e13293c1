"""Lesson 4's exercises: known wrong answers (common mistakes) fail their checks."""

from exercise_checks import assert_wrong_answers_fail

from tokenomics.exercises import exercise_set

WRONG_ANSWERS = {
    # Forgot the wordiness: DeepSeek writes as many tokens as Claude, so its head start lasts far longer.
    "q1": """
claude_tokens = np.arange(1, 2_001)
claude_s = time_to_answer_s(10.0, claude_tokens, 45.0)
deepseek_s = time_to_answer_s(1.0, claude_tokens, 25.0)
longest_claude_answer_tokens = claude_tokens[deepseek_s < claude_s].max()
""",
    # Read the readout before moving the speed slider: DeepSeek still at 25 tokens/s.
    "q2": "break_even_at_60_tokens_per_s = break_even_verbosity(1_000, 2.0, 45.0, 2.0, 25.0)",
    # The intuitive prediction: both answers are mostly waiting, so wordiness seems to matter less.
    "q3": 'break_even_change = "goes up"',
    # The long-answer shortcut r x v_c: close, but not the exact tie.
    "q4": """
def tie_speed_tokens_per_s(
    concise_output_tokens, concise_ttft_s, concise_tokens_per_s, wordy_ttft_s, wordiness
):
    return wordiness * concise_tokens_per_s
""",
    # Compared output prices only: the prompt "cancels out", but the two input prices differ.
    "q5": """
prices = price_table().set_index("label")
cost_break_even_wordiness = (
    prices.loc["Claude Sonnet 4", "output_usd_per_mtok"]
    / prices.loc["DeepSeek R1-0528 on DeepSeek", "output_usd_per_mtok"]
)
""",
    # Half the argument: speed only, nothing on the cost of an answer or where DeepSeek still wins.
    "q6": """
slower_but_first = '''
Speed is not everything. Claude is still faster than DeepSeek, 45 tokens per second against 25,
so it is the better model to use, and the price difference does not matter much for most people
who just want a good answer quickly.
'''
""",
}


def test_known_wrong_answers_fail_without_revealing_the_answer():
    assert_wrong_answers_fail(exercise_set("efficiency"), WRONG_ANSWERS)
