"""Lesson 1's exercises: known wrong answers (common mistakes) fail their checks."""

from exercise_checks import assert_wrong_answers_fail

from tokenomics.exercises import exercise_set

WRONG_ANSWERS = {
    # Read the smallest fall (the other outlet's 7.5% -> 5%) instead of the largest.
    "q1": "largest_fall_pct = market.percent_change(7.5, 5.0)",
    # Divided 100 by the share: DeepSeek's own token counted among the other hosts' (6.25, not 5.25).
    "q2": """
may_share = data.load("first_party_token_share").sort_values("month")["share_pct"].iloc[-1] / 100
other_hosts_tokens_per_deepseek_token = 1 / may_share
""",
    # The ratio of the shares instead of the ratio of the odds.
    "q3": """
def own_volume_growth(share_before, share_after, third_party_growth):
    return share_after / share_before * third_party_growth
""",
    # Read the break-even at the starting May share (16%) instead of 30%.
    "q4": "break_even_growth_at_30_pct = market.break_even_third_party_growth(0.42, 0.16)",
    # The intuitive prediction: the same 20x, so the same answer as the straight line.
    "q5": 'own_volume_direction = "falls"',
    # Half the argument: share is not volume, but no test and no word on what the data cannot say.
    "q6": 'share_versus_volume = "A falling share does not mean a falling volume: the total number of '
    "tokens could have grown a lot over those months, so DeepSeek may well have served more tokens in "
    'May than in March even with a smaller slice."',
}


def test_known_wrong_answers_fail_without_revealing_the_answer():
    assert_wrong_answers_fail(exercise_set("market"), WRONG_ANSWERS)
