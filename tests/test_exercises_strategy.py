"""Lesson 5's exercises: known wrong answers (common mistakes) fail their checks."""

from exercise_checks import assert_wrong_answers_fail

from tokenomics.exercises import exercise_set

WRONG_ANSWERS = {
    # Read the slider at 03:00 and 07:00: each readout runs to the end of its hour, one hour too late.
    "q1": """
curve = data.load("deepseek_day_nodes")
steps = (curve["start_hours_after_noon"], curve["end_hours_after_noon"], curve["nodes"])
hourly_nodes = strategy.hourly_mean_nodes(*steps)
peak = curve["nodes"].max()
research_node_hours_03_to_07 = strategy.research_node_hours(
    peak, hourly_nodes[:20]
) - strategy.research_node_hours(peak, hourly_nodes[:16])
""",
    # Node-hours instead of GPU-hours: forgot the 8 GPUs per node.
    "q2": """
curve = data.load("deepseek_day_nodes")
start, end, nodes = curve["start_hours_after_noon"], curve["end_hours_after_noon"], curve["nodes"]
night = (start >= 12) & (end <= 20)
held_nodes = nodes.where(~night, 68)
published_node_hours = strategy.node_hours(start, end, nodes)
extra_research_gpu_hours = published_node_hours - strategy.node_hours(start, end, held_nodes)
""",
    # Read the serving nodes of the default plan: they can never exceed its 278-node fleet.
    "q3": """
def smallest_fleet_nodes(tokens_per_s_per_user):
    return strategy.plan_day(tokens_per_s_per_user=tokens_per_s_per_user).split.serving_nodes.max()
""",
    # Left the cap at the dashboard's starting value (200 nodes), which leaves about a quarter.
    "q4": "cap_leaving_a_fifth_nodes = 200",
    # The intuitive prediction: the same tokens and the same fleet give the same research.
    "q5": 'research_with_flat_demand = "stay the same"',
    # Half the argument: research, but no fixed fleet, no batching, no other hosts.
    "q6": """
why_serve_slowly = '''
DeepSeek does not care about making money from its app. Its real goal is AGI, so it puts its
effort into research and lets the app be slow. Users who want speed can go elsewhere, and that
is fine for a lab that thinks about the long term rather than this year's revenue.
'''
""",
}


def test_known_wrong_answers_fail_without_revealing_the_answer():
    assert_wrong_answers_fail(exercise_set("strategy"), WRONG_ANSWERS)
