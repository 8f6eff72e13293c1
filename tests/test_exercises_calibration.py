"""Lesson 3b's exercises: known wrong answers (common mistakes) fail their checks."""

from exercise_checks import assert_wrong_answers_fail

from tokenomics.exercises import exercise_set

WRONG_ANSWERS = {
    # Compared a time as predicted / measured - 1: the sign of a time is the wrong way round.
    "q1": """
defaults = calibration.predict()
worst = defaults.loc[defaults["error"].abs().idxmax()]
worst_error_pct = 100 * (worst["predicted"] / worst["value"] - 1)
""",
    # Read the nine small-model points instead of all predicted points.
    "q2": """
table = calibration.predict(efficiency=replace(calibration.DEFAULT, mbu=0.9))
median_error_pct_mbu_090 = 100 * calibration.median_abs_error(table, ids=calibration.SMALL_MODEL_POINTS)
""",
    # The rule of thumb "decode is memory-bound", applied to experts that see 512 tokens each.
    "q3": 'mfu_effect_on_deepseek_decode = "stays the same"',
    # Took the batch of DeepSeek's profiling run instead of Little's law.
    "q4": "deepseek_concurrency_per_gpu = 128",
    # "Removing a cost always helps."
    "q5": 'moe_error_change = "goes down"',
    # Only half the story: no word on why in-sample errors are no test.
    "q6": """
why_leave_one_source_out = (
    "The median error over every measurement is the accuracy of the model, and a smaller number is "
    "better, so the classmate can report it as long as it is computed carefully on all the rows."
)
""",
}


def test_known_wrong_answers_fail_without_revealing_the_answer():
    assert_wrong_answers_fail(exercise_set("calibration"), WRONG_ANSWERS)
