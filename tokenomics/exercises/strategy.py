"""Exercises for lesson 5, compute for AGI: the night shift, the cost of speed, a capped fleet.

Every expected answer is computed here with the kit's models and datasets, when the check runs.
The export cap in question 4 is illustrative: no source gives a node limit for DeepSeek.

Examples
--------
>>> q2.evaluate(q2.expected()).status
'correct'
"""

from __future__ import annotations

import numpy as np

from tokenomics import data, strategy
from tokenomics.exercises import (
    ChoiceQuestion,
    ExerciseSet,
    FunctionQuestion,
    KeyIdea,
    NumberQuestion,
    OpenQuestion,
    direction_of_change,
)

GPUS_PER_NODE = 8


def _node_curve():
    """DeepSeek's published node curve (chart-read): start and end in hours after noon, and nodes."""
    curve = data.load("deepseek_day_nodes")
    return (
        curve["start_hours_after_noon"].to_numpy(float),
        curve["end_hours_after_noon"].to_numpy(float),
        curve["nodes"].to_numpy(float),
    )


def _research_node_hours_03_to_07() -> float:
    start, end, nodes = _node_curve()
    hourly_nodes = strategy.hourly_mean_nodes(start, end, nodes)
    # Hours after noon 15 to 18 are the hours starting at 03:00, 04:00, 05:00 and 06:00.
    return strategy.research_node_hours(nodes.max(), hourly_nodes[15:19])


q1 = NumberQuestion(
    number=1,
    title="Read the night shift off DeepSeek's day",
    show="deepseek_day_dashboard()",
    prompt="""
The dashboard below is DeepSeek's published day: the nodes serving users hour by hour, and the
gap up to the 278-node peak that is free for research. The second line of the readout adds up
the **research node-hours from 12:00 to the end of the selected hour**. Use it to find how many
research node-hours DeepSeek gains in the four night hours **from 03:00 to 07:00**. Store the
answer in `research_node_hours_03_to_07` (node-hours; a node is 8 H800 GPUs).
""",
    variable="research_node_hours_03_to_07",
    unit="node-hours",
    expected=_research_node_hours_03_to_07,
    rel_tol=0.01,
    solution_code="""
# What the readout shows, in code: research node-hours added up hour by hour from 12:00.
curve = data.load("deepseek_day_nodes")
steps = (curve["start_hours_after_noon"], curve["end_hours_after_noon"], curve["nodes"])
hourly_nodes = strategy.hourly_mean_nodes(*steps)  # hour 0 starts at 12:00, hour 15 at 03:00
peak = curve["nodes"].max()
up_to_03 = strategy.research_node_hours(peak, hourly_nodes[:15])  # slider at 02:00: 12:00 to 03:00
up_to_07 = strategy.research_node_hours(peak, hourly_nodes[:19])  # slider at 06:00: 12:00 to 07:00
research_node_hours_03_to_07 = up_to_07 - up_to_03
research_node_hours_03_to_07
""",
    hints=(
        "The readout gives a running total. The research done between two times is the total at "
        "the later time minus the total at the earlier one.",
        "Each readout counts to the *end* of the selected hour: the slider at 02:00 gives the "
        "total from 12:00 to 03:00.",
        "Read the total with the slider at 02:00 (to 03:00) and at 06:00 (to 07:00), and subtract.",
    ),
    explanation=(
        "From 03:30 to 06:30 only 68 of the 278 nodes serve users, so 210 nodes do research in "
        "each of those hours. These four hours give 810 of the day's 1,230 research node-hours: "
        "about two-thirds of DeepSeek's research time comes from the quietest part of the night."
    ),
)


def _extra_research_gpu_hours_holding_68() -> float:
    start, end, nodes = _node_curve()
    night = (start >= 12) & (end <= 20)  # the steps from 00:00 to 08:00
    held_nodes = np.where(night, 68.0, nodes)
    peak = nodes.max()
    published = strategy.research_node_hours(peak, strategy.hourly_mean_nodes(start, end, nodes))
    held = strategy.research_node_hours(peak, strategy.hourly_mean_nodes(start, end, held_nodes))
    return GPUS_PER_NODE * (held - published)


q2 = NumberQuestion(
    number=2,
    title="What if the night shift started at midnight?",
    prompt="""
DeepSeek's curve steps down from 278 nodes after midnight and reaches its minimum of 68 nodes
only at 03:30. Suppose instead that it held **68 nodes serving users from 00:00 to 08:00**
(the rest of the curve unchanged, the fleet still 278 nodes). How many **more H800 GPU-hours a
day** would go to research than with the published curve? Store the answer in
`extra_research_gpu_hours` (GPU-hours: node-hours x 8). Compute it with the kit, starting from
the dataset `deepseek_day_nodes`.
""",
    variable="extra_research_gpu_hours",
    unit="H800 GPU-hours per day",
    expected=_extra_research_gpu_hours_holding_68,
    rel_tol=0.01,
    solution_code="""
curve = data.load("deepseek_day_nodes")
start, end, nodes = curve["start_hours_after_noon"], curve["end_hours_after_noon"], curve["nodes"]
peak = nodes.max()
night = (start >= 12) & (end <= 20)  # 00:00 is 12 hours after noon, 08:00 is 20
held_nodes = nodes.where(~night, 68)  # 68 nodes in every step from 00:00 to 08:00
published = strategy.research_node_hours(peak, strategy.hourly_mean_nodes(start, end, nodes))
held = strategy.research_node_hours(peak, strategy.hourly_mean_nodes(start, end, held_nodes))
extra_research_gpu_hours = 8 * (held - published)
extra_research_gpu_hours
""",
    hints=(
        "Build a second node curve: the same steps, with 68 nodes in every step between 00:00 and 08:00. "
        "Hours in the dataset are counted from noon, so 00:00 is hour 12 and 08:00 is hour 20.",
        "`strategy.research_node_hours(peak, strategy.hourly_mean_nodes(start, end, nodes))` gives a "
        "curve's research node-hours; compute it for both curves and subtract.",
        "The answer is in GPU-hours: multiply node-hours by 8 GPUs per node.",
    ),
    explanation=(
        "Holding 68 nodes from midnight frees 480 more node-hours, 3,840 H800 GPU-hours, on top "
        "of the 9,840 the published curve frees: about 39% more research. But demand is still high "
        "after midnight: the lesson's demand table needs about 210 nodes from 00:00 to 01:00 and "
        "about 175 the next hour, far more than 68, so holding 68 nodes would turn users away. "
        "The published curve steps down as demand falls: the night shift takes what users do not need."
    ),
)


def _smallest_fleet_nodes(tokens_per_s_per_user):
    plan = strategy.plan_day(tokens_per_s_per_user=tokens_per_s_per_user)
    return float(plan.split.demand_tokens_per_s.max() / plan.tokens_per_s_per_node)


q3 = FunctionQuestion(
    number=3,
    title="Write it: the smallest fleet that serves every hour",
    prompt="""
Write a function `smallest_fleet_nodes(tokens_per_s_per_user)` that returns the smallest fleet,
in nodes, that serves **all** of DeepSeek's demand in **every hour** of its published day when
each user is served at `tokens_per_s_per_user` tokens per second. Use the lesson's model: the
demand of each hour follows DeepSeek's hourly income, and a serving node's throughput (prefill
counted) comes from `strategy.plan_day`. A fraction of a node is fine, and so is rounding up to
whole nodes.

Then use your function: how many H800 GPUs more does serving users at 60 tokens/s need than at
21 tokens/s (8 GPUs per node)?
""",
    variable="smallest_fleet_nodes",
    starter="""
def smallest_fleet_nodes(tokens_per_s_per_user):
    return ____
""",
    solution_code="""
def smallest_fleet_nodes(tokens_per_s_per_user):
    plan = strategy.plan_day(tokens_per_s_per_user=tokens_per_s_per_user)
    busiest_hour_tokens_per_s = plan.split.demand_tokens_per_s.max()
    return busiest_hour_tokens_per_s / plan.tokens_per_s_per_node


extra_gpus = 8 * (smallest_fleet_nodes(60) - smallest_fleet_nodes(21))
print(f"21 tokens/s: {smallest_fleet_nodes(21):.1f} nodes; 60 tokens/s: {smallest_fleet_nodes(60):.1f} nodes")
print(f"serving users at 60 instead of 21 tokens/s needs about {extra_gpus:,.0f} more H800 GPUs")
""",
    reference=_smallest_fleet_nodes,
    cases=(
        dict(tokens_per_s_per_user=21.0),
        dict(tokens_per_s_per_user=45.0),
        dict(tokens_per_s_per_user=60.0),
        dict(tokens_per_s_per_user=80.0),
    ),
    unit="nodes",
    rel_tol=0.005,
    hints=(
        "The fleet must cover the busiest hour, not the average one.",
        "`plan = strategy.plan_day(tokens_per_s_per_user=...)` holds the hourly demand "
        "(`plan.split.demand_tokens_per_s`) and the output tokens/s of one serving node "
        "(`plan.tokens_per_s_per_node`). Careful: `plan.split.serving_nodes` can never exceed the "
        "fleet, 278 nodes by default.",
        "Nodes needed = the largest hourly demand / tokens per second per serving node.",
    ),
    explanation=(
        "At 21 tokens/s the busiest hour needs about 301.5 nodes, more than the 278 DeepSeek ran "
        "(at peak its nodes ran fuller than average). At 60 tokens/s the batches are smaller, "
        "each node makes fewer tokens, and the busiest hour needs about 468 nodes: about 1,330 H800 "
        "GPUs more, each of them taken from research if the fleet is fixed."
    ),
)


def _cap_leaving_share(share: float = 0.2) -> float:
    """The export cap (nodes) at which the default plan leaves ``share`` of demand to other hosts."""
    low, high = 50.0, 278.0  # the unserved share falls as the cap rises, up to DeepSeek's fleet
    for _ in range(50):
        middle = (low + high) / 2
        if strategy.plan_day(export_cap_nodes=middle).split.unserved_share > share:
            low = middle
        else:
            high = middle
    return (low + high) / 2


q4 = NumberQuestion(
    number=4,
    title="Read the fleet-split dashboard: a cap that pushes users away",
    show="fleet_split_dashboard()",
    prompt="""
Export controls can cap the fleet a lab is able to run. No source gives a number for DeepSeek:
the cap in this question is **illustrative**, a "what if". In the dashboard below, keep the
fleet wanted at 278 nodes, the speed at 21 tokens/s and the share served at 100%. Tick
**apply the export-control cap** and move the cap until the readout says DeepSeek leaves
**a fifth (20%)** of its demand to other hosts of the open weights. Store that cap in
`cap_leaving_a_fifth_nodes` (nodes; the slider moves in steps of 2, so the nearest step is fine).
""",
    variable="cap_leaving_a_fifth_nodes",
    unit="nodes",
    expected=_cap_leaving_share,
    rel_tol=0.02,
    solution_code="""
# What the dashboard computes at every step of the cap slider (the cap is illustrative):
caps = np.arange(50, 279, 2)
left_to_others = np.array([strategy.plan_day(export_cap_nodes=cap).split.unserved_share for cap in caps])
cap_leaving_a_fifth_nodes = int(caps[np.argmin(np.abs(left_to_others - 0.2))])
cap_leaving_a_fifth_nodes
""",
    hints=(
        "The share left to other hosts is on the readout's last line. Nothing changes until the "
        "cap checkbox is ticked.",
        "A lower cap leaves more demand to others. At the starting cap of 200 nodes more than a "
        "fifth is left, so move the cap up until the share comes down to 20%.",
        "In code: `strategy.plan_day(export_cap_nodes=cap).split.unserved_share` for each cap the "
        "slider allows; keep the cap whose share is nearest 0.2.",
    ),
    explanation=(
        "The capped fleet is full at every busy hour, so all the demand above the cap spills to "
        "other hosts: with a cap of about 215 nodes (illustrative), a fifth of the day's tokens "
        "leave. At night demand is low and the cap does not bind, so research still gets the "
        "quiet hours. Open weights mean the spilled demand is still served with DeepSeek's model."
    ),
)


def _research_change_with_flat_demand() -> str:
    shaped = strategy.plan_day().research_gpu_hours
    flat = strategy.plan_day(weight_by_hour=np.ones(24)).research_gpu_hours
    return direction_of_change(shaped, flat, ("rise", "fall", "stay the same"))


q5 = ChoiceQuestion(
    number=5,
    title="Predict: a day without a night",
    prompt="""
`strategy.plan_day` spreads the day's 168B output tokens over the hours in proportion to
DeepSeek's hourly income: busy afternoons and evenings, a quiet night. Now make demand **flat**,
the same every hour (`weight_by_hour=np.ones(24)`), with the same daily tokens, the same fleet
of 278 nodes and the same 21 tokens/s per user. Before you compute anything, predict: do the
research GPU-hours of the day **rise**, **fall** or **stay the same**? Then check with
`strategy.plan_day(...).research_gpu_hours`, and store the answer in `research_with_flat_demand`.
""",
    variable="research_with_flat_demand",
    options=("rise", "fall", "stay the same"),
    expected=_research_change_with_flat_demand,
    solution_code="""
shaped = strategy.plan_day()
flat = strategy.plan_day(weight_by_hour=np.ones(24))
for name, plan in [("income-shaped", shaped), ("flat", flat)]:
    print(
        f"{name}: research {plan.research_gpu_hours:,.0f} GPU-hours, "
        f"left to others {plan.split.unserved_share:.1%}"
    )
research_with_flat_demand = "fall"
""",
    hints=(
        "With a fixed fleet, research node-hours = fleet x 24 h - serving node-hours. Which of the "
        "two does the shape of demand change?",
        "Serving node-hours = tokens served / tokens per second per node. Are all tokens served in "
        "both cases? The lesson's section 3 found that the busiest hours need more than 278 nodes.",
        "Compare `plan.split.unserved_share` for the two plans.",
    ),
    explanation=(
        "Research falls, from about 11,200 to about 9,800 GPU-hours. With income-shaped demand "
        "the busiest hours need more than 278 nodes, so 3.2% of the tokens go unserved and the "
        "fleet never spends node-hours on them. Flat demand needs about 227 nodes every hour, "
        "which 278 nodes can always serve, so every token is served and costs its node-hours. "
        "As long as all demand is served, the shape of demand does not change the research "
        "node-hours of a fixed fleet; it changes how big the fleet must be. A lab that sizes "
        "its fleet for the daytime peak gets the night for research."
    ),
)

q6 = OpenQuestion(
    number=6,
    title="Explain: a slow service on purpose?",
    prompt="""
A friend says: "DeepSeek's own app is slow and its users left for other hosts, so DeepSeek
simply failed to keep up." In a few sentences (at least 40 words), explain why serving users
slowly from a fixed fleet, and publishing open weights, can instead be a sensible plan for a
lab whose goal is research toward AGI. Use numbers from the lesson or from these exercises.
Store your text in `why_serve_slowly`.
""",
    variable="why_serve_slowly",
    min_words=40,
    key_ideas=(
        KeyIdea(
            "the fleet is fixed: export controls limit how many chips the lab can get",
            (r"export", r"fixed|limited|scarce|\bcap", r"cannot buy|can't buy|no more chips|\bH20\b"),
        ),
        KeyIdea(
            "every node serving users is a node taken from research and training",
            (r"research|training|\bAGI\b",),
        ),
        KeyIdea(
            "slower service means bigger batches and fewer nodes for the same tokens",
            (
                r"batch",
                r"(fewer|more|less) (nodes|GPUs|chips|compute)",
                r"tokens? per (node|GPU)",
                r"users (at once|per (node|GPU))",
            ),
        ),
        KeyIdea(
            "open weights let other hosts serve the demand the lab leaves",
            (
                r"open[- ]?(weights?|source|model)",
                r"other (hosts?|clouds?|providers?|compan)",
                r"third[- ]part",
                r"weights? (are|is) (public|published|open|free)",
                r"anyone can (host|serve|run)",
            ),
        ),
    ),
    model_answer="""
DeepSeek has a fixed fleet: export controls (the H20 licence requirement of April 2025) limit
the chips it can buy, so every node that serves users is a node taken from research and
training. Serving each user slowly, at about 20 tokens/s, means big batches, so the same tokens
need fewer nodes: in the lesson, serving at 60 tokens/s instead of 21 needs about 352 instead of
227 nodes on average. At night it shrinks serving to 68 of 278 nodes and gives 9,840 H800
GPU-hours a day to research. The demand it does not serve is not lost to its model: with open
weights, other hosts serve DeepSeek's models, whose use on third-party hosts grew nearly 20x,
so DeepSeek keeps its compute and still wins mind share.
""",
    hints=(
        "Start from what the lab cannot change: how many chips it has, and why.",
        "Then link speed to nodes (batching), nodes to research, and ask who serves the users the "
        "lab turns away.",
    ),
)

EXERCISES = ExerciseSet(
    module=__name__,
    lesson="05_compute_for_agi.ipynb",
    title="Exercises: compute for AGI",
    introduction="""
These exercises practise lesson 5: reading the night shift off DeepSeek's published day, what
a different node curve would free for research, how many nodes faster service needs, what an
export cap (illustrative) leaves to other hosts, and why the shape of demand matters. Every
function you need is imported below; `strategy` is `tokenomics.strategy`.
""",
    setup="""
import numpy as np

from tokenomics import data, strategy
from tokenomics.dashboards.strategy import deepseek_day_dashboard, fleet_split_dashboard
""",
    questions=(q1, q2, q3, q4, q5, q6),
)
