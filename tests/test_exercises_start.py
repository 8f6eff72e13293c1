"""Lesson 0's exercises: known wrong answers (common mistakes) fail their checks."""

from exercise_checks import assert_wrong_answers_fail

from tokenomics.exercises import exercise_set

WRONG_ANSWERS = {
    # Counted words instead of tokens.
    "q1": 'tokens_in_sentence = tokens.count_words("DeepSeek served 168 billion output tokens in one day.")',
    # Divided all the tokens by the whole latency: the wait for the first token counted as streaming.
    "q2": """
def tokens_per_s_per_user(latency_s, ttft_s, output_tokens):
    return output_tokens / latency_s
""",
    # Computed what the discounted quarter earns at night, not how much revenue falls.
    "q3": """
day = data.load("deepseek_day").set_index("quantity")["value"]
revenue_fall_usd = kpi.revenue_usd(0.55, 0.25 * day["output_tokens"])
""",
    # Read the last batch outside the band (4) instead of the first one inside it.
    "q4": """
r1 = batching.Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8")
usd_per_mtok_in_band = float(batching.decode(r1, 4, 4096).usd_per_mtok)
""",
    # The intuitive prediction: the batch and the weights did not change, so neither does the speed.
    "q5": 'speed_per_user_change = "stays the same"',
    # Only the price side of the story.
    "q6": 'is_cheaper_better = "DeepSeek is cheaper because its engineers are very efficient and its '
    'electricity and chips cost less in China, so it can charge less per million tokens than Azure."',
}


def test_known_wrong_answers_fail_without_revealing_the_answer():
    assert_wrong_answers_fail(exercise_set("start"), WRONG_ANSWERS)
