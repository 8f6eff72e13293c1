"""Tests of the Erlang B / Erlang C queue against closed forms, direct formulas and tables."""

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tokenomics import queueing

pytestmark = pytest.mark.filterwarnings("error")


def erlang_c_by_factorials(servers: int, load_erlangs: Fraction) -> float:
    """Textbook Erlang C with factorials, in exact fractions (fine for small server counts)."""
    waiting_term = load_erlangs**servers / math.factorial(servers) * servers / (servers - load_erlangs)
    no_wait_terms = sum(load_erlangs**k / math.factorial(k) for k in range(servers))
    return float(waiting_term / (no_wait_terms + waiting_term))


@given(rho=st.floats(0.001, 0.999), service_time_s=st.floats(0.01, 100.0))
def test_single_server_matches_mm1_closed_form(rho, service_time_s):
    service_rate_per_s = 1.0 / service_time_s
    arrival_rate_per_s = rho * service_rate_per_s
    load = arrival_rate_per_s * service_time_s
    assert queueing.erlang_c(1, load) == pytest.approx(load, rel=1e-12)
    expected_wait_s = rho / (service_rate_per_s - arrival_rate_per_s)
    assert queueing.mean_wait_s(1, arrival_rate_per_s, service_time_s) == pytest.approx(
        expected_wait_s, rel=1e-9
    )


def test_known_table_values():
    assert queueing.erlang_b(2, 1.0) == pytest.approx(0.2)
    assert queueing.erlang_c(2, 1.0) == pytest.approx(1 / 3)
    assert queueing.erlang_c(10, 8.0) == pytest.approx(0.409, abs=0.0005)


@pytest.mark.parametrize(
    ("servers", "load_erlangs"),
    [(3, Fraction(2)), (5, Fraction(9, 2)), (12, Fraction(7)), (30, Fraction(57, 2))],
)
def test_erlang_c_matches_factorial_formula(servers, load_erlangs):
    expected = erlang_c_by_factorials(servers, load_erlangs)
    assert queueing.erlang_c(servers, float(load_erlangs)) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("servers", "load_erlangs"), [(5_000, 4_900.0), (10_000, 9_900.0), (10_000, 1.0)])
def test_stable_for_thousands_of_servers(servers, load_erlangs):
    with np.errstate(divide="raise", over="raise", invalid="raise"):
        wait_probability = queueing.erlang_c(servers, load_erlangs)
    assert math.isfinite(wait_probability)
    assert 0.0 <= wait_probability < 1.0
    if load_erlangs > 1.0:
        assert 0.0 < wait_probability


def test_large_server_count_waits_rarely():
    # 5,000 servers at 98% utilization: pooling keeps the chance of waiting well below 1.
    assert 0.05 < queueing.erlang_c(5_000, 4_900.0) < 0.2


def test_vectorised_erlang_c_matches_one_at_a_time():
    servers = np.array([1, 2, 10, 50, 400])
    loads = np.array([0.5, 1.0, 8.0, 45.0, 390.0])
    one_at_a_time = [queueing.erlang_c(int(c), float(a)) for c, a in zip(servers, loads, strict=True)]
    np.testing.assert_allclose(queueing.erlang_c(servers, loads), one_at_a_time, rtol=1e-14)
    assert queueing.erlang_c(servers[:, None], 0.5).shape == (5, 1)


def test_utilization():
    assert queueing.utilization(8, 3.0, 2.0) == pytest.approx(0.75)
    np.testing.assert_allclose(queueing.utilization([1, 2], 0.5, 1.0), [0.5, 0.25])


@given(
    servers=st.integers(1, 200),
    service_time_s=st.floats(0.01, 100.0),
    rho_low=st.floats(0.01, 0.98),
    rho_step=st.floats(1e-6, 0.5),
)
def test_mean_wait_increases_with_load(servers, service_time_s, rho_low, rho_step):
    rho_high = min(rho_low + rho_step, 0.99)
    capacity_per_s = servers / service_time_s
    wait_low_s = queueing.mean_wait_s(servers, rho_low * capacity_per_s, service_time_s)
    wait_high_s = queueing.mean_wait_s(servers, rho_high * capacity_per_s, service_time_s)
    assert 0.0 <= wait_low_s <= wait_high_s


def test_waiting_explodes_near_full_utilization():
    waits_s = queueing.mean_wait_s(8, np.array([0.5, 0.9, 0.99]) * 8, 1.0)
    assert waits_s[0] < 0.1 < waits_s[1] < 1.0
    assert waits_s[2] > 10.0


def test_quantile_is_zero_when_most_requests_do_not_wait():
    servers, arrival_rate_per_s, service_time_s = 10, 5.0, 1.0
    wait_probability = queueing.erlang_c(servers, arrival_rate_per_s * service_time_s)
    quantile = 1.0 - 2.0 * wait_probability
    assert queueing.wait_quantile_s(servers, arrival_rate_per_s, service_time_s, quantile) == 0.0


def test_quantile_matches_mm1_exponential_tail():
    # M/M/1 at rho = 0.9 with s = 2 s: P(W > t) = 0.9 exp(-0.05 t).
    assert queueing.wait_quantile_s(1, 0.45, 2.0, 0.99) == pytest.approx(math.log(90.0) / 0.05)


@given(
    servers=st.integers(1, 100),
    rho=st.floats(0.05, 0.99),
    quantiles=st.lists(st.floats(0.001, 0.999), min_size=2, max_size=10),
)
def test_quantile_is_increasing_in_q(servers, rho, quantiles):
    quantiles = np.sort(quantiles)
    waits_s = queueing.wait_quantile_s(servers, rho * servers, 1.0, quantiles)
    assert np.all(waits_s >= 0.0)
    assert np.all(np.diff(waits_s) >= 0.0)


def test_quantile_underflowing_wait_probability_gives_zero():
    # With one erlang on 10,000 servers the chance of waiting underflows to 0: no log warning.
    assert queueing.wait_quantile_s(10_000, 1.0, 1.0, 0.99) == 0.0


def test_mean_ttft_adds_prefill_to_mean_wait():
    assert queueing.mean_ttft_s(1, 0.45, 2.0, prefill_s=0.3) == pytest.approx(18.3)


@given(
    servers=st.integers(1, 300),
    service_time_s=st.floats(0.01, 100.0),
    target_over_service=st.floats(1e-4, 1e3),
)
def test_max_arrival_rate_reaches_target_from_below(servers, service_time_s, target_over_service):
    target_s = target_over_service * service_time_s
    rate_per_s = queueing.max_arrival_rate_per_s(servers, service_time_s, target_s)
    wait_s = queueing.mean_wait_s(servers, rate_per_s, service_time_s)
    assert wait_s <= target_s
    assert wait_s == pytest.approx(target_s, rel=1e-6)


def test_max_arrival_rate_broadcasts():
    servers = np.array([1, 10, 100])
    targets_s = np.array([[0.01], [1.0]])
    rates_per_s = queueing.max_arrival_rate_per_s(servers, 1.0, targets_s)
    assert rates_per_s.shape == (2, 3)
    np.testing.assert_allclose(
        queueing.mean_wait_s(servers, rates_per_s, 1.0), np.broadcast_to(targets_s, (2, 3))
    )
    assert np.all(rates_per_s < servers)


@pytest.mark.parametrize(
    ("call", "parameter"),
    [
        (lambda: queueing.erlang_b(0, 1.0), "servers"),
        (lambda: queueing.erlang_b(2.5, 1.0), "servers"),
        (lambda: queueing.erlang_b(2_000_000, 1.0), "servers"),
        (lambda: queueing.erlang_b(2, 0.0), "offered_load_erlangs"),
        (lambda: queueing.erlang_b(2, float("inf")), "offered_load_erlangs"),
        (lambda: queueing.erlang_c(-1, 1.0), "servers"),
        (lambda: queueing.erlang_c(2, -1.0), "offered_load_erlangs"),
        (lambda: queueing.erlang_c(2, float("nan")), "offered_load_erlangs"),
        (lambda: queueing.utilization(0, 1.0, 1.0), "servers"),
        (lambda: queueing.utilization(1, 0.0, 1.0), "arrival_rate_per_s"),
        (lambda: queueing.utilization(1, 1.0, -1.0), "service_time_s"),
        (lambda: queueing.mean_wait_s(1, -0.5, 1.0), "arrival_rate_per_s"),
        (lambda: queueing.mean_wait_s(1, 0.5, 0.0), "service_time_s"),
        (lambda: queueing.wait_quantile_s(1, 0.5, 1.0, 0.0), "quantile"),
        (lambda: queueing.wait_quantile_s(1, 0.5, 1.0, 1.0), "quantile"),
        (lambda: queueing.mean_ttft_s(1, 0.5, 1.0, prefill_s=-0.1), "prefill_s"),
        (lambda: queueing.max_arrival_rate_per_s(0, 1.0, 1.0), "servers"),
        (lambda: queueing.max_arrival_rate_per_s(1, 0.0, 1.0), "service_time_s"),
        (lambda: queueing.max_arrival_rate_per_s(1, 1.0, 0.0), "target_mean_wait_s"),
    ],
)
def test_bad_input_names_the_parameter(call, parameter):
    with pytest.raises(ValueError, match=parameter):
        call()


@pytest.mark.parametrize(
    "call",
    [
        lambda: queueing.erlang_c(2, 2.0),
        lambda: queueing.erlang_c([4, 2], [1.0, 3.0]),
        lambda: queueing.mean_wait_s(1, 1.0, 1.0),
        lambda: queueing.mean_wait_s(4, 3.0, 2.0),
        lambda: queueing.wait_quantile_s(1, 1.5, 1.0, 0.5),
        lambda: queueing.mean_ttft_s(1, 1.0, 1.5, prefill_s=0.2),
    ],
)
def test_unstable_queue_is_rejected(call):
    with pytest.raises(ValueError, match=r"utilization must be < 1 for a stable queue \(got 1(\.5)?\)"):
        call()


def erlang_b_by_recursion(servers: int, load_erlangs: float) -> float:
    """The textbook recursion B(0) = 1, B(n) = a B(n-1) / (n + a B(n-1)), one step per server."""
    blocking = 1.0
    for n in range(1, servers + 1):
        blocking = load_erlangs * blocking / (n + load_erlangs * blocking)
    return blocking


@pytest.mark.parametrize("servers", [1, 2, 7, 15, 16, 17, 50, 200, 1_000, 3_000])
@pytest.mark.parametrize("utilization", [1e-3, 0.3, 0.7, 0.9, 0.99, 0.999])
def test_closed_form_erlang_b_matches_the_recursion(servers, utilization):
    load = utilization * servers
    expected = erlang_b_by_recursion(servers, load)
    if expected < 1e-300:  # the recursion itself underflows: the closed form must be as small
        assert queueing.erlang_b(servers, load) < 1e-290
    else:
        assert queueing.erlang_b(servers, load) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("servers", [1, 10, 300, 3_000])
@pytest.mark.parametrize("load_over_servers", [1.5, 3.0, 40.0, 1e6])
def test_closed_form_erlang_b_matches_the_recursion_above_capacity(servers, load_over_servers):
    # Loads above the server count: the Poisson tail can underflow and the series takes over.
    load = load_over_servers * servers
    expected = erlang_b_by_recursion(servers, load)
    assert queueing.erlang_b(servers, load) == pytest.approx(expected, rel=1e-11)


def test_a_million_servers_gives_finite_answers():
    # How long this takes is measured by benchmarks/bench_queueing.py, not asserted here.
    wait_probability = queueing.erlang_c(1_000_000, 990_000.0)
    rate_per_s = queueing.max_arrival_rate_per_s(1_000_000, 1.0, 1e-9)
    assert 0.0 <= wait_probability < 1e-20
    assert 990_000 < rate_per_s < 1_000_000
    assert queueing.mean_wait_s(1_000_000, rate_per_s, 1.0) <= 1e-9
