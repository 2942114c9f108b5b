"""Intervals checked against hand-worked and published values (chi-square tables, Wilson 1927)."""

import math
import time

import pytest

from kh75_desktop.stats import poisson_cdf, poisson_interval, wilson_interval


@pytest.mark.parametrize("k,low,high", [
    (0, 0.0, 3.6889),     # -ln(0.025)
    (1, 0.0253, 5.5716),
    (5, 1.6235, 11.6683),
    (10, 4.7954, 18.3904),
])
def test_exact_poisson(k, low, high):
    lo, hi = poisson_interval(k)
    assert lo == pytest.approx(low, abs=1e-4)
    assert hi == pytest.approx(high, abs=1e-4)


def test_poisson_large_count_is_near_normal():
    lo, hi = poisson_interval(10000)
    assert lo == pytest.approx(10000 - 1.96 * 100, rel=2e-3)
    assert hi == pytest.approx(10000 + 1.96 * 100, rel=2e-3)


@pytest.mark.parametrize("x,n,low,high", [
    (0, 10, 0.0, 0.2775),
    (5, 10, 0.2366, 0.7634),
    (10, 10, 0.7225, 1.0),
    (81, 263, 0.2553, 0.3662),
])
def test_wilson(x, n, low, high):
    lo, hi = wilson_interval(x, n)
    assert lo == pytest.approx(low, abs=1e-4)
    assert hi == pytest.approx(high, abs=1e-4)


def test_invalid_inputs():
    with pytest.raises(ValueError):
        wilson_interval(3, 2)
    with pytest.raises(ValueError):
        poisson_interval(-1)


# -- the quantile form against the definition it replaces ---------------------------------------
def _reference_interval(k: int, alpha: float = 0.05) -> tuple[float, float]:
    """The Garwood interval by its definition: bisection on the Poisson sum (slow, exact)."""
    def cdf(n, mu):
        total, term = 0.0, -mu
        for i in range(n + 1):
            if i:
                term += math.log(mu) - math.log(i)
            total += math.exp(term)
        return total

    def bisect(f, lo, hi):
        for _ in range(200):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if f(mid) > 0 else (lo, mid)
            if hi - lo <= 1e-13 * max(1.0, hi):
                break
        return (lo + hi) / 2

    top = k + 20 * math.sqrt(k + 1) + 20
    upper = bisect(lambda mu: cdf(k, mu) - alpha / 2, 0.0, top)
    lower = 0.0 if k == 0 else bisect(lambda mu: cdf(k - 1, mu) - (1 - alpha / 2), 0.0, top)
    return lower, upper


@pytest.mark.parametrize("k", [*range(0, 41), 57, 99, 250, 512, 1000, 2047])
def test_quantile_form_equals_the_definition(k):
    for mine, ref in zip(poisson_interval(k), _reference_interval(k), strict=True):
        assert mine == pytest.approx(ref, rel=1e-9, abs=1e-12)


def _reference_large(k: int, alpha: float = 0.05) -> tuple[float, float]:
    """The same definition for province-sized counts: each Poisson term from lgamma (no running
    product to drift), summed with fsum, bisected in a window around k."""
    def cdf(n, mu):
        log_mu = math.log(mu)
        return math.fsum(math.exp(i * log_mu - mu - math.lgamma(i + 1)) for i in range(n + 1))

    def bisect(f, lo, hi):
        while hi - lo > 1e-11 * hi:
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if f(mid) > 0 else (lo, mid)
        return (lo + hi) / 2

    spread = 8 * math.sqrt(k) + 10
    upper = bisect(lambda mu: cdf(k, mu) - alpha / 2, k, k + spread)
    lower = bisect(lambda mu: cdf(k - 1, mu) - (1 - alpha / 2), k - spread, k)
    return lower, upper


@pytest.mark.parametrize("k", [4_096, 12_345, 50_000, 100_000])
def test_quantile_form_equals_the_definition_at_province_counts(k):
    """Issue 19: the closed form equals the exact interval to 1e-9 up to 100,000 cases."""
    for mine, ref in zip(poisson_interval(k), _reference_large(k), strict=True):
        assert mine == pytest.approx(ref, rel=1e-9)


@pytest.mark.parametrize("k", [100_000, 1_000_000])
def test_province_sized_count_matches_wilson_hilferty(k):
    """Byar's/Wilson-Hilferty approximation is good to about 1e-7 at these counts."""
    z = 1.959963984540054
    low = k * (1 - 1 / (9 * k) - z / (3 * math.sqrt(k))) ** 3
    high = (k + 1) * (1 - 1 / (9 * (k + 1)) + z / (3 * math.sqrt(k + 1))) ** 3
    lo, hi = poisson_interval(k)
    assert lo == pytest.approx(low, rel=1e-6) and hi == pytest.approx(high, rel=1e-6)


def test_largest_counts_take_milliseconds():
    start = time.perf_counter()
    for k in (10**5, 10**6, 10**7):
        poisson_interval(k)
    assert time.perf_counter() - start < 1.0  # the old summation took 36 s for 10**6 alone


def test_poisson_cdf_against_direct_sum():
    for k, mu in [(0, 0.5), (3, 2.0), (12, 2.0), (40, 35.5), (150, 180.0)]:
        direct = sum(math.exp(i * math.log(mu) - mu - math.lgamma(i + 1)) for i in range(k + 1))
        assert poisson_cdf(k, mu) == pytest.approx(direct, rel=1e-11)
