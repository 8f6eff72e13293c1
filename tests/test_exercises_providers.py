"""Lesson 2's exercises: known wrong answers (common mistakes) fail their checks."""

from exercise_checks import assert_wrong_answers_fail

from tokenomics.exercises import exercise_set

WRONG_ANSWERS = {
    # Weighted the wrong price by the ratio: r output tokens per input token.
    "q1": """
def blended_usd_per_mtok(input_usd_per_mtok, output_usd_per_mtok, input_to_output_ratio):
    return (input_usd_per_mtok + input_to_output_ratio * output_usd_per_mtok) / (input_to_output_ratio + 1)
""",
    # Forgot to keep only the listings checked in mid-2025: Lambda's unverified registry price wins.
    "q2": """
rows = provider_rows(data.load("r1_providers"), 10.0)
cheapest_usd_per_mtok = rows.loc[rows["context_tokens"] >= 128_000, "blended_usd_per_mtok"].min()
""",
    # Took the article's derived "at least 25 s" for the latency the dashboard measured.
    "q3": "shortest_tolerance_s = 25",
    # The intuitive prediction: the cheapest listing at 3:1 stays the cheapest at 10:1.
    "q4": 'cheapest_at_10_to_1 = "Hyperbolic"',
    # Halved the price, reasoning that half the price doubles the share.
    "q5": "price_to_double_share_usd_per_mtok = 0.96 / 2",
    # Half the argument: the waiting only; no context, no choice between hosts, nothing on the data.
    "q6": (
        'why_users_leave = "DeepSeek is cheap, but its users have to wait a long time for the answer to '
        "start, so many of them move to other hosts that answer faster even though they charge more "
        'for every token."'
    ),
}


def test_known_wrong_answers_fail_without_revealing_the_answer():
    assert_wrong_answers_fail(exercise_set("providers"), WRONG_ANSWERS)
