"""Waiting for a free GPU: the Erlang C (M/M/c) queue behind time to first token.

The model
---------
Requests arrive at random, as a Poisson process with a rate of lambda requests
per second. Each request occupies one of ``c`` identical servers (a server is one
slot that can take a request: a GPU, a replica, or a place in a batch) for a
service time that is exponentially distributed with a mean of ``s`` seconds.
A request that finds every server busy waits in a single first-come,
first-served queue with unlimited room; nobody gives up and leaves.

The offered load is a = lambda x s, measured in erlangs (the average number of
busy servers the traffic would need), and the utilization is rho = a / c, the
fraction of the time each server is busy. The queue is stable only when
rho < 1. As rho approaches 1 the waiting time does not grow gently: it explodes,
roughly like 1 / (1 - rho). This is how a provider that runs its GPUs close to
full turns cheap tokens into seconds of waiting before the first token appears.

Assumptions, stated plainly
---------------------------
* Arrivals are independent of each other (Poisson). Real traffic comes in bursts,
  which makes waiting worse than this model says.
* Service times are exponential. Real prefill and decode times are less variable,
  which makes waiting somewhat better than this model says.
* Servers are identical and each serves one request at a time; continuous
  batching is modelled by counting each batch slot as a server.

Times are in seconds, rates in requests per second, loads in erlangs. Every
function broadcasts over numpy arrays and returns a Python float for scalar
inputs. Erlang B is computed in closed form, through the Poisson distribution
(B = P(X = c) / P(X <= c) for X Poisson with mean a), so its cost does not grow
with the number of servers; ``servers`` is capped at one million, the range the
tests check against the textbook recursion.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import gammaincc, gammaln

from tokenomics.kpi import ttft_s
from tokenomics.validation import between, finite_result, positive, scalar_or_array, whole

MAX_SERVERS = 1_000_000
BISECTION_STEPS = 60
LOG_2PI = math.log(2 * math.pi)
TINY_TAIL = 1e-280
"""Below this Poisson CDF the closed form of Erlang B would divide underflowed numbers."""
SERIES_TOLERANCE = 1e-17


def _servers(servers) -> np.ndarray:
    """Check that ``servers`` is a whole number between 1 and ``MAX_SERVERS``."""
    count = whole("servers", servers, minimum=1)
    too_many = count > MAX_SERVERS
    if too_many.any():
        raise ValueError(f"servers must be <= {MAX_SERVERS:,} (got {count[too_many].flat[0]:g})")
    return count


def _stable(utilization_fraction: np.ndarray, formula: str) -> np.ndarray:
    """Check that every utilization (``formula`` in the caller's parameters) is below 1.

    That is the condition for a queue that does not grow forever.
    """
    unstable = utilization_fraction >= 1.0
    if unstable.any():
        raise ValueError(
            "utilization must be < 1 for a stable queue "
            f"(got {utilization_fraction[unstable].flat[0]:g}); the utilization is {formula}, "
            "and at 1 or more requests arrive at least as fast as the servers finish them, "
            "so the queue is unstable"
        )
    return utilization_fraction


def _stirling_error(n: np.ndarray) -> np.ndarray:
    """ln(n!) - [(n + 1/2) ln n - n + ln(2 pi) / 2], the error of Stirling's formula, for n >= 1.

    Exact through ``gammaln`` below 16, the asymptotic series 1/(12n) - 1/(360n^3) + ...
    above (its next term is below 1e-13 there).
    """
    small = n < 16
    exact_n = np.where(small, n, 1.0)
    exact = gammaln(exact_n + 1) - (exact_n + 0.5) * np.log(exact_n) + exact_n - 0.5 * LOG_2PI
    large_n = np.where(small, 16.0, n)
    inverse_square = 1.0 / large_n**2
    series = 1 / 12 - inverse_square * (1 / 360 - inverse_square * (1 / 1260 - inverse_square / 1680))
    series = series / large_n
    return np.where(small, exact, series)


def _log_poisson_pmf(servers: np.ndarray, load_erlangs: np.ndarray) -> np.ndarray:
    """ln of the Poisson probability of exactly c arrivals at mean a, ln(a^c e^-a / c!), computed stably.

    Written as -d(c, a) - ln(2 pi c) / 2 - stirling_error(c) with the deviance
    d = c ln(c/a) + a - c >= 0 (Loader's form), so that nothing cancels when c and a are
    both large and close.
    """
    ratio = servers / load_erlangs
    relative_gap = (servers - load_erlangs) / load_erlangs
    near = ratio > 0.5
    deviance = np.where(
        near,
        load_erlangs * (ratio * np.log1p(np.where(near, relative_gap, 0.0)) - relative_gap),
        servers * np.log(np.where(near, 1.0, ratio)) + load_erlangs - servers,
    )
    return -deviance - 0.5 * (LOG_2PI + np.log(servers)) - _stirling_error(servers)


def _inverse_erlang_b_by_series(servers: np.ndarray, load_erlangs: np.ndarray) -> np.ndarray:
    """1 / B = sum over j = 0..c of c (c-1) ... (c-j+1) / a^j, for loads well above c.

    Used only where the Poisson tail Q(c+1, a) underflows, that is a above c by many
    standard deviations; there every ratio (c - j + 1) / a is below 1 - 30 / sqrt(a), so the
    terms fall geometrically and at most about sqrt(a) of them count.
    """
    total = np.ones(servers.shape)
    term = np.ones(servers.shape)
    for j in range(1, int(servers.max()) + 1):
        term = term * np.maximum(servers - j + 1, 0.0) / load_erlangs
        total = total + term
        if (term <= SERIES_TOLERANCE * total).all():
            break
    return total


def _erlang_b(servers: np.ndarray, load_erlangs: np.ndarray) -> np.ndarray:
    """Erlang B in closed form, B = pois_pmf(c; a) / pois_cdf(c; a), without input checks.

    The Poisson CDF is the regularised upper incomplete gamma function, P(X <= c) = Q(c + 1, a)
    (``scipy.special.gammaincc``), so B costs the same for 1 or 1,000,000 servers. Where Q
    underflows (a far above c) the exact finite series for 1 / B takes over. Equal, to
    rounding, to the textbook recursion B(n) = a B(n-1) / (n + a B(n-1)), B(0) = 1.
    """
    servers, load_erlangs = np.broadcast_arrays(np.asarray(servers, float), np.asarray(load_erlangs, float))
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        poisson_cdf = gammaincc(servers + 1, load_erlangs)
        blocking = np.exp(_log_poisson_pmf(servers, load_erlangs)) / poisson_cdf
    underflow = poisson_cdf < TINY_TAIL
    if underflow.any():
        blocking = np.array(blocking, dtype=float)
        blocking[underflow] = 1.0 / _inverse_erlang_b_by_series(servers[underflow], load_erlangs[underflow])
    return np.minimum(blocking, 1.0)


def _erlang_c(servers: np.ndarray, load_erlangs: np.ndarray) -> np.ndarray:
    """Erlang C from Erlang B, C = c B / (c - a (1 - B)), without input checks (needs a < c)."""
    blocking = _erlang_b(servers, load_erlangs)
    return servers * blocking / (servers - load_erlangs * (1.0 - blocking))


def _mean_wait_s(
    servers: np.ndarray, arrival_rate_per_s: np.ndarray, service_time_s: np.ndarray
) -> np.ndarray:
    """Mean wait Wq = C s / (c - a), without input checks (needs a < c).

    This equals C / (c/s - lambda), written so that the divisor is the
    (positive) mean number of idle servers c - a.
    """
    load_erlangs = arrival_rate_per_s * service_time_s
    return _erlang_c(servers, load_erlangs) * service_time_s / (servers - load_erlangs)


def _within_target(
    servers: np.ndarray, arrival_rate_per_s: np.ndarray, service_time_s: np.ndarray, target_s: np.ndarray
) -> np.ndarray:
    """True where the queue is stable and its mean wait is at most ``target_s``.

    Unstable points are evaluated at zero load, then marked as over the target,
    so the bisection never computes a wait for a queue that has no steady state.
    """
    stable = arrival_rate_per_s * service_time_s / servers < 1.0
    rate_per_s = np.where(stable, arrival_rate_per_s, 0.0)
    return stable & (_mean_wait_s(servers, rate_per_s, service_time_s) <= target_s)


@finite_result
def utilization(servers, arrival_rate_per_s, service_time_s):
    """Fraction of the time each server is busy: rho = lambda s / c.

    Values of 1 or more are returned as they are: they mean the servers cannot
    keep up and the queue grows without limit.

    Parameters
    ----------
    servers : int or array_like
        Number of servers c, a whole number >= 1.
    arrival_rate_per_s : float or array_like
        Mean arrival rate lambda, in requests per second (> 0).
    service_time_s : float or array_like
        Mean service time s, in seconds (> 0).

    Returns
    -------
    float or numpy.ndarray
        Utilization rho, a fraction.

    Examples
    --------
    >>> utilization(servers=8, arrival_rate_per_s=3.0, service_time_s=2.0)
    0.75
    """
    count = _servers(servers)
    rate = positive("arrival_rate_per_s", arrival_rate_per_s)
    service = positive("service_time_s", service_time_s)
    return scalar_or_array(rate * service / count)


@finite_result
def erlang_b(servers, offered_load_erlangs):
    """Probability that a request finds every server busy when there is no queue (Erlang B).

    B = P(X = c) / P(X <= c) for a Poisson number X of mean a: the share of the
    time all c servers are busy in a loss system is a Poisson distribution cut
    at c. The Poisson CDF is the regularised upper incomplete gamma function
    Q(c + 1, a), and the probability of exactly c is taken in log space, so the
    result equals the textbook recursion B(0) = 1, B(n) = a B(n-1) / (n + a B(n-1))
    to rounding, in the same time for 1 or 1,000,000 servers.

    Parameters
    ----------
    servers : int or array_like
        Number of servers c, a whole number from 1 to 1,000,000.
    offered_load_erlangs : float or array_like
        Offered load a = lambda s, in erlangs (> 0).

    Returns
    -------
    float or numpy.ndarray
        Blocking probability B, between 0 and 1.

    Examples
    --------
    >>> round(erlang_b(servers=2, offered_load_erlangs=1.0), 12)
    0.2
    """
    count = _servers(servers)
    load = positive("offered_load_erlangs", offered_load_erlangs)
    return scalar_or_array(_erlang_b(count, load))


@finite_result
def erlang_c(servers, offered_load_erlangs):
    """Probability that an arriving request has to wait (Erlang C).

    C = c B / (c - a (1 - B)), with B the Erlang B probability. The queue must
    be stable: the utilization a / c must be below 1.

    Parameters
    ----------
    servers : int or array_like
        Number of servers c, a whole number from 1 to 1,000,000.
    offered_load_erlangs : float or array_like
        Offered load a = lambda s, in erlangs (> 0 and < ``servers``).

    Returns
    -------
    float or numpy.ndarray
        Probability of waiting C, between 0 and 1.

    Examples
    --------
    >>> round(erlang_c(servers=2, offered_load_erlangs=1.0), 6)
    0.333333
    """
    count = _servers(servers)
    load = positive("offered_load_erlangs", offered_load_erlangs)
    _stable(load / count, "offered_load_erlangs / servers")
    return scalar_or_array(_erlang_c(count, load))


@finite_result
def mean_wait_s(servers, arrival_rate_per_s, service_time_s):
    """Mean time a request waits in the queue before a server takes it.

    Wq = C / (c/s - lambda), with C the Erlang C probability of waiting.

    Parameters
    ----------
    servers : int or array_like
        Number of servers c, a whole number from 1 to 1,000,000.
    arrival_rate_per_s : float or array_like
        Mean arrival rate lambda, in requests per second (> 0).
    service_time_s : float or array_like
        Mean service time s, in seconds (> 0).

    Returns
    -------
    float or numpy.ndarray
        Mean wait, in seconds (averaged over all requests, including those that
        do not wait at all).

    Examples
    --------
    One server busy 90% of the time, 2-second jobs: an average of 18 seconds in line.

    >>> round(mean_wait_s(servers=1, arrival_rate_per_s=0.45, service_time_s=2.0), 6)
    18.0
    """
    count = _servers(servers)
    rate = positive("arrival_rate_per_s", arrival_rate_per_s)
    service = positive("service_time_s", service_time_s)
    _stable(rate * service / count, "arrival_rate_per_s x service_time_s / servers")
    return scalar_or_array(_mean_wait_s(count, rate, service))


@finite_result
def wait_quantile_s(servers, arrival_rate_per_s, service_time_s, quantile):
    """Waiting time that a fraction ``quantile`` of requests does not exceed.

    The waiting time W has P(W > t) = C exp(-(c/s - lambda) t), so the
    q-quantile is t_q = max(0, ln(C / (1 - q)) / (c/s - lambda)). It is 0 when
    at least a fraction q of requests does not wait at all (C <= 1 - q).

    Parameters
    ----------
    servers : int or array_like
        Number of servers c, a whole number from 1 to 1,000,000.
    arrival_rate_per_s : float or array_like
        Mean arrival rate lambda, in requests per second (> 0).
    service_time_s : float or array_like
        Mean service time s, in seconds (> 0).
    quantile : float or array_like
        The fraction q, strictly between 0 and 1 (0.99 for the 99th percentile).

    Returns
    -------
    float or numpy.ndarray
        Waiting time quantile, in seconds.

    Examples
    --------
    >>> round(wait_quantile_s(servers=1, arrival_rate_per_s=0.45, service_time_s=2.0, quantile=0.99), 3)
    89.996
    >>> wait_quantile_s(servers=1, arrival_rate_per_s=0.45, service_time_s=2.0, quantile=0.05)
    0.0
    """
    count = _servers(servers)
    rate = positive("arrival_rate_per_s", arrival_rate_per_s)
    service = positive("service_time_s", service_time_s)
    q = between("quantile", quantile, 0.0, 1.0, include_low=False, include_high=False)
    load = rate * service
    _stable(load / count, "arrival_rate_per_s x service_time_s / servers")
    wait_probability = _erlang_c(count, load)
    tail_ratio = np.maximum(wait_probability / (1.0 - q), 1.0)
    return scalar_or_array(np.log(tail_ratio) * service / (count - load))


@finite_result
def mean_ttft_s(servers, arrival_rate_per_s, service_time_s, prefill_s):
    """Mean time to first token: mean wait in the queue plus prefill.

    Parameters
    ----------
    servers : int or array_like
        Number of servers c, a whole number from 1 to 1,000,000.
    arrival_rate_per_s : float or array_like
        Mean arrival rate lambda, in requests per second (> 0).
    service_time_s : float or array_like
        Mean service time s (the whole time a request holds a server), in seconds (> 0).
    prefill_s : float or array_like
        Time to process the prompt once a server is free, in seconds (>= 0).

    Returns
    -------
    float or numpy.ndarray
        Mean time to first token, in seconds.

    Examples
    --------
    >>> round(mean_ttft_s(servers=1, arrival_rate_per_s=0.45, service_time_s=2.0, prefill_s=0.3), 6)
    18.3
    """
    wait_s = mean_wait_s(servers, arrival_rate_per_s, service_time_s)
    return ttft_s(prefill_s, queue_wait_s=wait_s)


@finite_result
def max_arrival_rate_per_s(servers, service_time_s, target_mean_wait_s):
    """Largest arrival rate whose mean wait stays at or below a target.

    Answers "how busy can I run my GPUs and keep the average wait under X
    seconds". The mean wait grows steadily with the arrival rate, from 0 at no
    traffic to infinity at full utilization, so the answer is found by
    bisection between 0 and c/s, with a fixed number of steps done on whole
    arrays at once. The result is precise to about 2**-60 of c/s and its mean
    wait never exceeds the target. Each step evaluates the closed-form Erlang C
    once, so the cost does not grow with the number of servers.

    Parameters
    ----------
    servers : int or array_like
        Number of servers c, a whole number from 1 to 1,000,000.
    service_time_s : float or array_like
        Mean service time s, in seconds (> 0).
    target_mean_wait_s : float or array_like
        Largest acceptable mean wait, in seconds (> 0).

    Returns
    -------
    float or numpy.ndarray
        Arrival rate, in requests per second. Divide by c/s for the utilization.

    Examples
    --------
    One server with 2-second jobs, an average wait of at most 18 seconds:

    >>> round(max_arrival_rate_per_s(servers=1, service_time_s=2.0, target_mean_wait_s=18.0), 6)
    0.45
    """
    count = _servers(servers)
    service = positive("service_time_s", service_time_s)
    target = positive("target_mean_wait_s", target_mean_wait_s)
    count, service, target = np.broadcast_arrays(count, service, target)
    low_per_s = np.zeros(count.shape)
    high_per_s = count / service
    for _ in range(BISECTION_STEPS):
        middle_per_s = (low_per_s + high_per_s) / 2.0
        within_target = _within_target(count, middle_per_s, service, target)
        low_per_s = np.where(within_target, middle_per_s, low_per_s)
        high_per_s = np.where(within_target, high_per_s, middle_per_s)
    return scalar_or_array(low_per_s)
