"""Intervals checked against hand-worked and published values (chi-square tables, Wilson 1927)."""

import pytest

from kh75_desktop.stats import poisson_interval, wilson_interval


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
