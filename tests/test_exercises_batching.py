"""Lesson 3's exercises: known wrong answers (common mistakes) fail their checks."""

from exercise_checks import assert_wrong_answers_fail

from tokenomics.exercises import exercise_set

WRONG_ANSWERS = {
    # BF16 weights instead of FP8: the weights alone no longer fit, so the batch is 0.
    "q1": 'largest_batch = max_batch_size(Deployment("DeepSeek-R1", "H20", n_gpus=8), 4096)',
    # Forgot the prefill: the whole 5 s spent waiting.
    "q2": """
r1 = Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8")
service_s = service_time_s(r1, 64, 2048, 1024)
utilization_at_5_s = queueing.max_arrival_rate_per_s(64, service_s, 5.0) * service_s / 64 * 100
""",
    # Read the 4,096-token price instead of the 32,768-token one.
    "q3": """
r1 = Deployment("DeepSeek-R1", "H800", n_gpus=16, weight_precision="fp8")
usd_per_mtok_at_32k = float(decode(r1, max_batch_size(r1, 4096), 4096).usd_per_mtok)
""",
    # The weights-only intuition.
    "q4": 'critical_batch_change = "stays the same"',
    # Forgot to convert seconds to hours.
    "q5": """
def usd_per_mtok(usd_per_gpu_hour, tokens_per_s_per_gpu):
    return usd_per_gpu_hour / tokens_per_s_per_gpu * 1_000_000
""",
    # Only half the story.
    "q6": 'why_big_batches = "Big batches are cheaper: the GPU is used better and its cost is shared."',
}


def test_known_wrong_answers_fail_without_revealing_the_answer():
    assert_wrong_answers_fail(exercise_set("batching"), WRONG_ANSWERS)
