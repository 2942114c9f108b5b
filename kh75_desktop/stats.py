"""Uncertainty of small counts: Wilson intervals for proportions, exact Poisson intervals for rates.

A commune with 180 births and one neonatal death has a rate of 5.6 per mille, but the interval
around it runs from about 0.1 to 31; judging a target on such a number is judging noise.

The exact (Garwood) Poisson interval is the pair of gamma quantiles chi2(a/2, 2k)/2 and
chi2(1-a/2, 2k+2)/2. They are computed here from the regularised incomplete gamma function
(series and continued fraction, as in Numerical Recipes §6.2), inverted by safeguarded Newton
steps from the Wilson-Hilferty start. Work grows with the square root of the count, so a
province-sized count of 100,000 takes well under a millisecond and a count of ten million a few.
SciPy would give the same numbers, but would add about 100 MB to the Windows bundle and a quarter
of a second to every start for two functions.
"""

import math
from functools import lru_cache
from statistics import NormalDist

Z95 = 1.959963984540054  # two-sided 95 %
_EPS = 1e-15
_MAX_TERMS = 1_000_000


def wilson_interval(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion, as fractions in [0, 1]."""
    if trials <= 0:
        raise ValueError("trials must be positive")
    if not 0 <= successes <= trials:
        raise ValueError("successes must lie between 0 and trials")
    p = successes / trials
    z2 = z * z
    denom = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denom
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denom
    lower = 0.0 if successes == 0 else max(0.0, centre - half)
    upper = 1.0 if successes == trials else min(1.0, centre + half)
    return lower, upper


def _log_prefactor(a: float, x: float) -> float:
    """log(x^a e^-x / Gamma(a)), the factor shared by the series and the continued fraction."""
    return a * math.log(x) - x - math.lgamma(a)


def _gamma_p_series(a: float, x: float) -> float:
    term = total = 1.0 / a
    ap = a
    for _ in range(_MAX_TERMS):
        ap += 1.0
        term *= x / ap
        total += term
        if abs(term) < abs(total) * _EPS:
            break
    return total * math.exp(_log_prefactor(a, x))


def _gamma_q_fraction(a: float, x: float) -> float:
    """Q(a, x) by the modified Lentz continued fraction; converges fast for x > a + 1."""
    tiny = 1e-300
    b = x + 1.0 - a
    c = 1.0 / tiny
    d = 1.0 / b
    h = d
    for i in range(1, _MAX_TERMS):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            break
    return h * math.exp(_log_prefactor(a, x))


def gamma_tails(a: float, x: float) -> tuple[float, float]:
    """(P(a, x), Q(a, x)): the regularised lower and upper incomplete gamma functions."""
    if a <= 0:
        raise ValueError("a must be positive")
    if x <= 0:
        return 0.0, 1.0
    if x < a + 1.0:
        p = _gamma_p_series(a, x)
        return p, 1.0 - p
    q = _gamma_q_fraction(a, x)
    return 1.0 - q, q


def _gamma_quantile(a: float, tail: float, upper: bool) -> float:
    """x with P(a, x) = tail (upper=False) or Q(a, x) = tail (upper=True), for tail in (0, 0.5]."""
    z = NormalDist().inv_cdf(1.0 - tail if upper else tail)
    # Wilson-Hilferty start, or the small-x series when it falls below zero.
    wh = 1.0 - 1.0 / (9.0 * a) + z / (3.0 * math.sqrt(a))
    if wh > 0:
        x = a * wh ** 3
    else:
        x = math.exp((math.log(tail) + math.lgamma(a + 1.0)) / a)
    lo, hi = 0.0, math.inf
    for _ in range(200):
        p, q = gamma_tails(a, x)
        # f rises with x in both cases: P(a, x) - tail, or tail - Q(a, x)
        f = (p - tail) if not upper else (tail - q)
        if f > 0:
            hi = x
        else:
            lo = x
        density = math.exp((a - 1.0) * math.log(x) - x - math.lgamma(a))
        step = f / density if density > 0 else math.inf
        new = x - step
        if not lo < new < hi:
            new = (lo + hi) / 2 if hi < math.inf else max(2.0 * x, x + 1.0)
        if abs(new - x) <= 1e-14 * max(1.0, x):
            return new
        x = new
    return x


def poisson_cdf(k: int, mu: float) -> float:
    """P(X <= k) for X ~ Poisson(mu)."""
    if k < 0:
        return 0.0
    if mu <= 0:
        return 1.0
    return gamma_tails(k + 1.0, mu)[1]


@lru_cache(maxsize=4096)
def poisson_interval(count: int, alpha: float = 0.05) -> tuple[float, float]:
    """Exact (Garwood) confidence interval for the mean of a Poisson count (cached: the
    province's 129 communes ask for the same small counts again and again).

    The lower bound solves P(X >= k; mu) = alpha/2 and the upper P(X <= k; mu) = alpha/2,
    which equal the chi-square quantiles chi2(alpha/2, 2k)/2 and chi2(1-alpha/2, 2k+2)/2.
    """
    if count < 0:
        raise ValueError("count must be non-negative")
    half = alpha / 2
    upper = _gamma_quantile(count + 1.0, half, upper=True)
    if count == 0:
        return 0.0, upper
    return _gamma_quantile(float(count), half, upper=False), upper
