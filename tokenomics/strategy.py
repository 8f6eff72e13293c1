"""Compute for AGI: splitting a fixed fleet of GPU nodes between serving users and research.

DeepSeek published one day of its service (27-28 February 2025, UTC+8): at most 278 nodes of
8 H800 GPUs served users, 226.75 on average. Its node count is a step curve that drops to 68
nodes at night, when demand is low, and the freed nodes go to research and training. This
module turns that idea into arithmetic:

- a step curve's node-hours, its time-weighted mean and its mean in each hour
  (:func:`node_hours`, :func:`mean_nodes`, :func:`hourly_mean_nodes`, :func:`nodes_at`);
- the node-hours left for research under a fixed peak (:func:`research_node_hours`);
- hourly demand taken proportional to a weight per hour, such as the hourly income DeepSeek
  charted (:func:`demand_tokens_per_s`);
- output tokens per second one serving node delivers when prefill nodes are counted too
  (:func:`fleet_tokens_per_s_per_node`), and the nodes a demand needs
  (:func:`serving_nodes_needed`);
- decode throughput per node at a chosen speed per user, from the batching model
  (:func:`decode_tokens_per_s_per_node`);
- a fleet split hour by hour into serving and research nodes, with the demand left to other
  hosts of the open weights (:func:`split_fleet`), under an export-control cap
  (:func:`available_nodes`), and what the serving nodes cost (:func:`serving_cost_usd`).

Hours are counted from noon of the published day (0 = 12:00, 12 = midnight, 24 = noon the next
day). Node counts are nodes of 8 GPUs; a fractional node count is an average over time. Every
function broadcasts over numpy arrays and returns a Python float for scalar results.

Examples
--------
>>> start, end, nodes = [0, 12, 18], [12, 18, 24], [278, 68, 278]
>>> node_hours(start, end, nodes), mean_nodes(start, end, nodes)
(5412.0, 225.5)
>>> research_node_hours(278, [278, 68, 278], hours_per_step=[12, 6, 6])
1260.0
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from tokenomics import data, kpi
from tokenomics.batching import Deployment, check_deployment, decode, max_batch_size
from tokenomics.validation import between, count, finite_result, positive, scalar, scalar_or_array

SECONDS_PER_HOUR = 3600.0
HOURS_PER_DAY = 24
DEEPSEEK_KV_LENGTH_TOKENS = 4989
"""Average KV-cache length per output token on DeepSeek's published day (dataset ``deepseek_day``)."""


def _step_curve(start_h, end_h, nodes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Check a step curve: equal-length 1-D arrays, steps in time order, each ending after it starts."""
    start = positive("start_h", start_h, allow_zero=True)
    end = positive("end_h", end_h)
    level = positive("nodes", nodes, allow_zero=True)
    if not start.ndim == end.ndim == level.ndim == 1 or not len(start) == len(end) == len(level):
        raise ValueError(
            "start_h, end_h and nodes must be 1-D arrays of the same length "
            f"(got lengths {start.size}, {end.size}, {level.size})"
        )
    short = end <= start
    if short.any():
        i = int(np.argmax(short))
        raise ValueError(
            f"end_h must be > start_h for every step (got start_h={start[i]:g}, end_h={end[i]:g})"
        )
    rounding_h = 1e-9 * max(1.0, float(np.abs(end).max()))
    out_of_order = start[1:] < end[:-1] - rounding_h
    if out_of_order.any():
        i = int(np.argmax(out_of_order)) + 1
        raise ValueError(
            "the steps must be sorted in time and must not overlap: each start_h must be >= the end_h "
            f"of the step before (got step {i} starting at start_h={start[i]:g}, before the end of step "
            f"{i - 1} at end_h={end[i - 1]:g}); sort the steps by start_h"
        )
    return start, end, level


@finite_result
def node_hours(start_h, end_h, nodes) -> float:
    """Node-hours of a step curve: the sum over steps of (end - start) x nodes.

    Parameters
    ----------
    start_h, end_h : array_like
        Start and end of each step, in hours (>= 0; each end > its start).
    nodes : array_like
        Nodes running during each step (>= 0).

    Returns
    -------
    float
        Node-hours.

    Examples
    --------
    >>> node_hours([0, 12], [12, 24], [278, 68])
    4152.0
    """
    start, end, level = _step_curve(start_h, end_h, nodes)
    return float(np.sum((end - start) * level))


@finite_result
def mean_nodes(start_h, end_h, nodes) -> float:
    """Time-weighted mean of a step curve: node-hours / hours covered.

    Examples
    --------
    >>> mean_nodes([0, 12], [12, 24], [278, 68])
    173.0
    """
    start, end, _ = _step_curve(start_h, end_h, nodes)
    return node_hours(start_h, end_h, nodes) / float(np.sum(end - start))


@finite_result
def hourly_mean_nodes(start_h, end_h, nodes, hours: int = HOURS_PER_DAY) -> np.ndarray:
    """Mean of a step curve in each whole hour, from the curve's first start.

    The mean in hour h is the sum over steps of (overlap of the step with [h, h + 1)) x nodes.

    Parameters
    ----------
    start_h, end_h, nodes : array_like
        The step curve (see :func:`node_hours`); it must cover every hour asked for.
    hours : int
        Number of hours (default 24).

    Returns
    -------
    numpy.ndarray
        Mean nodes in each hour, length ``hours``.

    Examples
    --------
    >>> hourly_mean_nodes([0, 1.25], [1.25, 3], [200, 100], hours=3).tolist()
    [200.0, 125.0, 100.0]
    """
    start, end, level = _step_curve(start_h, end_h, nodes)
    hours = count("hours", hours)
    covered_h = float(end.max() - start.min())
    if hours > covered_h:
        raise ValueError(f"hours must be <= the hours the curve covers, {covered_h:g} (got {hours:,})")
    edges = start.min() + np.arange(hours + 1)
    overlap = np.clip(
        np.minimum(end[None, :], edges[1:, None]) - np.maximum(start[None, :], edges[:-1, None]), 0, None
    )
    return overlap @ level


@finite_result
def nodes_at(hour, start_h, end_h, nodes):
    """Nodes running at ``hour`` on a step curve (a step covers [start, end)).

    Examples
    --------
    >>> nodes_at([0, 12, 13.9], [0, 12], [12, 24], [278, 68]).tolist()
    [278.0, 68.0, 68.0]
    """
    start, end, level = _step_curve(start_h, end_h, nodes)
    at = between("hour", hour, float(start.min()), float(end.max()), include_high=False)
    step = np.searchsorted(end, at, side="right")
    return scalar_or_array(level[step])


@finite_result
def research_node_hours(peak_nodes, serving_nodes_by_hour, hours_per_step=1.0) -> float:
    """Node-hours left for research: the sum over steps of (peak - serving nodes) x hours.

    Parameters
    ----------
    peak_nodes : float
        Nodes the lab owns or rents for the whole period (> 0).
    serving_nodes_by_hour : array_like
        Nodes serving users in each step (0 to ``peak_nodes``).
    hours_per_step : float or array_like
        Length of each step, hours (> 0); default 1.

    Returns
    -------
    float
        Research node-hours; multiply by 8 for H800 GPU-hours.

    Examples
    --------
    >>> research_node_hours(278, [278, 68])
    210.0
    """
    peak = positive("peak_nodes", scalar("peak_nodes", peak_nodes))
    serving = positive("serving_nodes_by_hour", serving_nodes_by_hour, allow_zero=True)
    above_peak = serving > peak
    if above_peak.any():
        raise ValueError(
            f"serving_nodes_by_hour must be <= peak_nodes={float(peak):g} "
            f"(got {serving[above_peak].flat[0]:g}): a lab cannot serve on more nodes than it has"
        )
    step = positive("hours_per_step", hours_per_step)
    return float(np.sum((peak - serving) * step))


@finite_result
def demand_tokens_per_s(daily_tokens, weight_by_hour):
    """Tokens per second in each hour, when the day's tokens are spread in proportion to a weight.

    demand in hour h = daily tokens x weight_h / (sum of weights) / 3600. With DeepSeek's hourly
    theoretical income as the weight, this assumes every hour sold the same mix of tokens at
    the same prices, so income is proportional to tokens.

    Parameters
    ----------
    daily_tokens : float
        Tokens served in the day (>= 0).
    weight_by_hour : array_like
        One weight per hour (>= 0, not all zero).

    Returns
    -------
    numpy.ndarray
        Tokens per second in each hour.

    Examples
    --------
    >>> demand_tokens_per_s(7200, [1, 1]).tolist()
    [1.0, 1.0]
    """
    tokens = positive("daily_tokens", daily_tokens, allow_zero=True)
    weights = positive("weight_by_hour", weight_by_hour, allow_zero=True)
    if weights.ndim != 1 or weights.sum() == 0:
        raise ValueError(f"weight_by_hour must be a 1-D array with a positive sum (got {weight_by_hour!r})")
    return tokens * weights / weights.sum() / SECONDS_PER_HOUR


@finite_result
def fleet_tokens_per_s_per_node(
    decode_tokens_per_s_per_node, prefill_tokens_per_s_per_node, input_tokens_per_output_token
):
    """Output tokens per second per serving node when prefill nodes are counted too.

    One output token needs 1 / decode node-seconds of decoding, and its r input tokens need
    r / prefill node-seconds of prefill, so a serving node (prefill or decode) delivers
    1 / (1 / decode + r / prefill) output tokens per second.

    Parameters
    ----------
    decode_tokens_per_s_per_node : float or array_like
        Output tokens per second of one decode node (> 0).
    prefill_tokens_per_s_per_node : float or array_like
        Input tokens per second of one prefill node (> 0).
    input_tokens_per_output_token : float or array_like
        Input tokens sent per output token (>= 0).

    Returns
    -------
    float or numpy.ndarray
        Output tokens per second per serving node.

    Examples
    --------
    DeepSeek's day: 14,800 output and 73,700 input tokens/s per node, 608B input for 168B output:

    >>> round(fleet_tokens_per_s_per_node(14_800, 73_700, 608 / 168))
    8571
    """
    decode_rate = positive("decode_tokens_per_s_per_node", decode_tokens_per_s_per_node)
    prefill_rate = positive("prefill_tokens_per_s_per_node", prefill_tokens_per_s_per_node)
    ratio = positive("input_tokens_per_output_token", input_tokens_per_output_token, allow_zero=True)
    return scalar_or_array(1.0 / (1.0 / decode_rate + ratio / prefill_rate))


@finite_result
def serving_nodes_needed(demand_tokens_per_s, tokens_per_s_per_node):
    """Nodes needed to serve a demand: demand / throughput per node (an average over time).

    Examples
    --------
    >>> serving_nodes_needed([857_100, 1_714_200], 8571)
    array([100., 200.])
    """
    demand = positive("demand_tokens_per_s", demand_tokens_per_s, allow_zero=True)
    rate = positive("tokens_per_s_per_node", tokens_per_s_per_node)
    return scalar_or_array(demand / rate)


@finite_result
def available_nodes(wanted_nodes, export_cap_nodes=np.inf):
    """Nodes a lab can run: what it wants, but no more than an export-control cap allows.

    Examples
    --------
    >>> available_nodes(278, export_cap_nodes=200)
    200.0
    """
    wanted = positive("wanted_nodes", wanted_nodes)
    cap = positive("export_cap_nodes", export_cap_nodes, allow_inf=True)
    return scalar_or_array(np.minimum(wanted, cap))


@finite_result
def serving_cost_usd(node_hours, gpus_per_node=8, usd_per_gpu_hour=2.0):
    """Rental cost of node-hours: node-hours x GPUs per node x price per GPU-hour.

    DeepSeek counts only its serving nodes this way, at an assumed $2 per H800-hour.

    Examples
    --------
    >>> serving_cost_usd(226.75 * 24)
    87072.0
    """
    hours = positive("node_hours", node_hours, allow_zero=True)
    gpus = positive("gpus_per_node", gpus_per_node)
    price = positive("usd_per_gpu_hour", usd_per_gpu_hour, allow_zero=True)
    return scalar_or_array(hours * gpus * price)


@dataclass(frozen=True)
class FleetSplit:
    """A fleet split hour by hour (see :func:`split_fleet`); arrays have one entry per hour.

    Attributes
    ----------
    fleet_nodes : float
        Nodes available all day.
    serving_nodes, research_nodes : numpy.ndarray
        Nodes serving users and nodes left for research, each hour.
    demand_tokens_per_s, served_tokens_per_s, unserved_tokens_per_s : numpy.ndarray
        Demand, the part the lab serves, and the part it leaves to other hosts, tokens/s.
    """

    fleet_nodes: float
    serving_nodes: np.ndarray
    research_nodes: np.ndarray
    demand_tokens_per_s: np.ndarray
    served_tokens_per_s: np.ndarray
    unserved_tokens_per_s: np.ndarray

    @property
    def serving_node_hours(self) -> float:
        """Node-hours spent serving in the day."""
        return float(self.serving_nodes.sum())

    @property
    def research_node_hours(self) -> float:
        """Node-hours left for research in the day."""
        return float(self.research_nodes.sum())

    @property
    def served_tokens(self) -> float:
        """Tokens served in the day."""
        return float(self.served_tokens_per_s.sum() * SECONDS_PER_HOUR)

    @property
    def unserved_tokens(self) -> float:
        """Tokens of demand left to other hosts in the day."""
        return float(self.unserved_tokens_per_s.sum() * SECONDS_PER_HOUR)

    @property
    def unserved_share(self) -> float:
        """Share of the day's demand left to other hosts (0 when there is no demand)."""
        total = float(self.demand_tokens_per_s.sum())
        return float(self.unserved_tokens_per_s.sum()) / total if total > 0 else 0.0


@finite_result
def split_fleet(fleet_nodes, demand_by_hour, tokens_per_s_per_node, served_share=1.0) -> FleetSplit:
    """Split a fixed fleet, hour by hour, between serving users and research.

    Each hour the lab serves the share of demand it chooses, as far as the fleet allows:
    served = min(share x demand, fleet x throughput per node); serving nodes = served /
    throughput per node; research nodes = fleet - serving nodes; unserved = demand - served
    is what other hosts of the open weights can pick up.

    Parameters
    ----------
    fleet_nodes : float
        Nodes available all day (> 0).
    demand_by_hour : array_like
        Demand in each hour, tokens/s (>= 0); a 1-D array (usually 24 hours).
    tokens_per_s_per_node : float
        Tokens per second one serving node delivers (> 0).
    served_share : float
        Share of demand the lab chooses to serve, 0 to 1 (default 1: all it can).

    Returns
    -------
    FleetSplit

    Examples
    --------
    >>> split = split_fleet(100, [500_000, 1_500_000], 10_000)
    >>> split.serving_nodes.tolist(), split.research_nodes.tolist(), split.unserved_tokens_per_s.tolist()
    ([50.0, 100.0], [50.0, 0.0], [0.0, 500000.0])
    """
    fleet = positive("fleet_nodes", scalar("fleet_nodes", fleet_nodes))
    demand = positive("demand_by_hour", demand_by_hour, allow_zero=True)
    if demand.ndim != 1:
        raise ValueError(f"demand_by_hour must be a 1-D array, one value per hour (got shape {demand.shape})")
    rate = positive("tokens_per_s_per_node", tokens_per_s_per_node)
    share = between("served_share", served_share, 0, 1)
    served = np.minimum(share * demand, fleet * rate)
    serving = served / rate
    return FleetSplit(
        fleet_nodes=float(fleet),
        serving_nodes=serving,
        research_nodes=np.maximum(fleet - serving, 0.0),
        demand_tokens_per_s=demand,
        served_tokens_per_s=served,
        unserved_tokens_per_s=demand - served,
    )


def deepseek_decode_unit() -> Deployment:
    """DeepSeek's decode unit: DeepSeek-R1 on 18 nodes of 8 H800 (EP144), FP8 weights, BF16 KV cache.

    Data-parallel attention and DeepSeek's engine defaults (its pipelined decode hides the
    expert dispatch and combine behind computation).

    Examples
    --------
    >>> deepseek_decode_unit().n_gpus
    144
    """
    return Deployment(
        "DeepSeek-R1", "H800", n_gpus=144, weight_precision="fp8", kv_precision="bf16", engine="deepseek"
    )


@lru_cache(maxsize=8)
def _speed_curve(deployment: Deployment, context_tokens: int) -> tuple[np.ndarray, np.ndarray]:
    """Speed per user (rising) and output tokens/s per node, for every batch that fits."""
    largest_per_gpu = int(max_batch_size(deployment, context_tokens)) // deployment.n_gpus
    if largest_per_gpu < 1:
        raise ValueError(f"context_tokens={context_tokens}: not one sequence per GPU fits beside the weights")
    batch = np.arange(1, largest_per_gpu + 1) * deployment.n_gpus
    step = decode(deployment, batch, context_tokens)
    per_node = np.asarray(step.tokens_per_s_per_gpu) * deployment.gpus_per_node
    return np.asarray(step.tokens_per_s_per_user)[::-1], per_node[::-1]


@finite_result
def speed_range_tokens_per_s(deployment: Deployment | None = None, context_tokens=DEEPSEEK_KV_LENGTH_TOKENS):
    """Slowest and fastest speed per user the batching model allows (largest batch that fits, batch 1).

    Examples
    --------
    >>> low, high = speed_range_tokens_per_s()
    >>> round(low, 1), round(high, 1)
    (18.8, 88.7)
    """
    deployment = deepseek_decode_unit() if deployment is None else check_deployment(deployment)
    speeds, _ = _speed_curve(deployment, count("context_tokens", context_tokens))
    return float(speeds[0]), float(speeds[-1])


@finite_result
def decode_tokens_per_s_per_node(
    tokens_per_s_per_user, deployment: Deployment | None = None, context_tokens=DEEPSEEK_KV_LENGTH_TOKENS
):
    """Output tokens per second per node of a decode unit that streams to each user at a given speed.

    The batching model gives, for every batch that fits, the speed each user sees and the
    tokens per second per GPU; a faster speed per user means a smaller batch and fewer tokens
    per node. Between whole batches per GPU the curve is interpolated linearly.

    Parameters
    ----------
    tokens_per_s_per_user : float or array_like
        Speed each user sees, tokens/s, within :func:`speed_range_tokens_per_s`.
    deployment : Deployment, optional
        The decode unit (default :func:`deepseek_decode_unit`).
    context_tokens : int
        KV-cache length per sequence (default 4,989, DeepSeek's published average).

    Returns
    -------
    float or numpy.ndarray
        Output tokens per second per node of 8 GPUs, at full batch.

    Examples
    --------
    >>> round(decode_tokens_per_s_per_node(20) / decode_tokens_per_s_per_node(60), 2)
    1.97
    """
    deployment = deepseek_decode_unit() if deployment is None else check_deployment(deployment)
    speeds, per_node = _speed_curve(deployment, count("context_tokens", context_tokens))
    speed = between("tokens_per_s_per_user", tokens_per_s_per_user, float(speeds[0]), float(speeds[-1]))
    return scalar_or_array(np.interp(speed, speeds, per_node))


@finite_result
def deepseek_decode_tokens_per_s_per_node(tokens_per_s_per_user):
    """Decode throughput per node of DeepSeek's unit, anchored on its published day.

    The batching model runs every step at a full batch and leaves out load imbalance between
    experts and scheduling, so at DeepSeek's published speed (20-22 tokens/s per user, midpoint
    21) it gives more tokens per node than the 14,800 DeepSeek reports. This function keeps the
    model's shape (how throughput falls as users are served faster) and scales it so that the
    published speed gives the published throughput:
    throughput(speed) = model(speed) x 14,800 / model(21).

    Examples
    --------
    >>> round(deepseek_decode_tokens_per_s_per_node(21))
    14800
    """
    figures = deepseek_figures()
    published_speed = (
        figures["output_tokens_per_s_per_user_low"] + figures["output_tokens_per_s_per_user_high"]
    ) / 2
    anchor = figures["decode_output_tokens_per_s_per_node"] / decode_tokens_per_s_per_node(published_speed)
    return scalar_or_array(anchor * np.asarray(decode_tokens_per_s_per_node(tokens_per_s_per_user)))


@lru_cache(maxsize=1)
def _deepseek_figures() -> tuple[tuple[str, float], ...]:
    return tuple(data.load("deepseek_day").set_index("quantity")["value"].items())


def deepseek_figures() -> dict[str, float]:
    """DeepSeek's published day as a dict, quantity -> value (dataset ``deepseek_day``).

    Examples
    --------
    >>> deepseek_figures()["peak_nodes"]
    278.0
    """
    return {name: float(value) for name, value in _deepseek_figures()}


@dataclass(frozen=True)
class DayPlan:
    """One day of DeepSeek's demand served by a fleet of the student's choosing (see :func:`plan_day`).

    Attributes
    ----------
    split : FleetSplit
        The fleet split hour by hour, from noon.
    fleet_nodes : float
        Nodes available after the export-control cap.
    capped : bool
        Whether the cap binds (fewer nodes than wanted).
    decode_tokens_per_s_per_node, tokens_per_s_per_node : float
        Output tokens/s of a decode node, and of a serving node with prefill counted.
    research_gpu_hours : float
        GPU-hours left for research in the day.
    serving_cost_usd : float
        Rental cost of the serving node-hours, at DeepSeek's $2 per H800-hour.
    revenue_usd : float
        Theoretical revenue of the tokens served, at DeepSeek's revenue per output token.
    cost_profit_margin : float or None
        revenue / cost - 1 (None when nothing is served).
    """

    split: FleetSplit
    fleet_nodes: float
    capped: bool
    decode_tokens_per_s_per_node: float
    tokens_per_s_per_node: float
    research_gpu_hours: float
    serving_cost_usd: float
    revenue_usd: float
    cost_profit_margin: float | None


@finite_result
def plan_day(
    wanted_nodes=278,
    tokens_per_s_per_user=21.0,
    served_share=1.0,
    export_cap_nodes=np.inf,
    weight_by_hour=None,
) -> DayPlan:
    """Serve DeepSeek's published day of demand with a fleet, a speed per user and a served share.

    The chain of formulas: fleet = min(wanted, cap) (:func:`available_nodes`); decode
    throughput per node at the chosen speed (:func:`deepseek_decode_tokens_per_s_per_node`);
    output tokens/s per serving node with prefill counted (:func:`fleet_tokens_per_s_per_node`,
    published prefill rate and input:output mix); hourly demand = the day's 168B output tokens
    spread in proportion to the hourly income (:func:`demand_tokens_per_s`); the split
    (:func:`split_fleet`); cost (:func:`serving_cost_usd`); revenue = served output tokens x
    DeepSeek's theoretical revenue per million output tokens, $562,027 / 168,000
    (:func:`tokenomics.kpi.revenue_usd`); margin
    (:func:`tokenomics.kpi.cost_profit_margin`).

    Parameters
    ----------
    wanted_nodes : float
        Nodes the lab would like to run all day (> 0); DeepSeek's peak was 278.
    tokens_per_s_per_user : float
        Speed each user sees, tokens/s (see :func:`speed_range_tokens_per_s`); DeepSeek: 20-22.
    served_share : float
        Share of demand the lab chooses to serve, 0 to 1.
    export_cap_nodes : float
        Most nodes the lab can obtain (> 0; default: no cap).
    weight_by_hour : array_like, optional
        Hourly weights of demand (default: the ``deepseek_day_income`` bars).

    Returns
    -------
    DayPlan

    Examples
    --------
    >>> plan = plan_day()
    >>> round(plan.tokens_per_s_per_node), round(plan.split.serving_node_hours / 24, 1)
    (8571, 219.5)
    """
    figures = deepseek_figures()
    wanted_nodes = scalar("wanted_nodes", wanted_nodes)
    export_cap_nodes = scalar("export_cap_nodes", export_cap_nodes)
    fleet = float(available_nodes(wanted_nodes, export_cap_nodes))
    decode_rate = float(deepseek_decode_tokens_per_s_per_node(tokens_per_s_per_user))
    rate = float(
        fleet_tokens_per_s_per_node(
            decode_rate,
            figures["prefill_input_tokens_per_s_per_node"],
            figures["input_tokens"] / figures["output_tokens"],
        )
    )
    weights = _income_weights() if weight_by_hour is None else weight_by_hour
    demand = demand_tokens_per_s(figures["output_tokens"], weights)
    split = split_fleet(fleet, demand, rate, served_share)
    gpus = figures["gpus_per_node"]
    cost = float(serving_cost_usd(split.serving_node_hours, gpus, figures["usd_per_gpu_hour"]))
    usd_per_mtok_output = figures["theoretical_revenue_usd"] / (
        figures["output_tokens"] / kpi.TOKENS_PER_MTOK
    )
    revenue = float(kpi.revenue_usd(usd_per_mtok_output, split.served_tokens))
    return DayPlan(
        split=split,
        fleet_nodes=fleet,
        capped=fleet < float(positive("wanted_nodes", wanted_nodes)),
        decode_tokens_per_s_per_node=decode_rate,
        tokens_per_s_per_node=rate,
        research_gpu_hours=split.research_node_hours * gpus,
        serving_cost_usd=cost,
        revenue_usd=revenue,
        cost_profit_margin=float(kpi.cost_profit_margin(revenue, cost)) if cost > 0 else None,
    )


@lru_cache(maxsize=1)
def _income_weights_tuple() -> tuple[float, ...]:
    income = data.load("deepseek_day_income").sort_values("hours_after_noon")
    return tuple(income["income_thousand_usd"].astype(float))


def _income_weights() -> np.ndarray:
    return np.array(_income_weights_tuple())
