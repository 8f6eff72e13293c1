"""Lesson 3b's exercises: known wrong answers (common mistakes) fail their checks."""

from exercise_checks import assert_wrong_answers_fail

from tokenomics.exercises import exercise_set

WRONG_ANSWERS = {
    # Took the largest |error| itself: the sign (too slow, not too fast) is lost.
    "q1": """
defaults = calibration.predict()
worst_error_pct = 100 * defaults["error"].abs().max()
""",
    # Read the held-out group instead of the nine small-model points.
    "q2": """
table = calibration.predict(efficiency=replace(calibration.DEFAULT, step_overhead_s=0.0))
median_error_pct_no_overhead = 100 * calibration.median_abs_error(table, split="held out")
""",
    # The rule of thumb "decode is memory-bound", applied at 128 sequences per GPU.
    "q3": 'mbu_effect_on_deepseek_decode = "goes up"',
    # Forgot to remove the network: the day at the defaults.
    "q4": """
day = calibration.reproduce_deepseek_day().set_index("quantity")
tokens_per_s_per_node_no_network = day.loc["decode_output_tokens_per_s_per_node", "reproduced"]
""",
    # "The defaults are the best fit, so any change makes things worse."
    "q5": 'held_out_error_change = "goes up"',
    # Only half the story: no word on what tuning on the test points costs.
    "q6": """
why_not_tune_on_held_out = (
    "The overhead of 6 ms is better because the median error on the held-out points is lower, so "
    "the kit should simply use whichever value makes those errors smallest and report that number."
)
""",
}


def test_known_wrong_answers_fail_without_revealing_the_answer():
    assert_wrong_answers_fail(exercise_set("calibration"), WRONG_ANSWERS)
