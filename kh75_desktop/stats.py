"""Uncertainty of small counts: Wilson intervals for proportions, exact Poisson intervals for rates.

A commune with 180 births and one neonatal death has a rate of 5.6 per mille, but the interval
around it runs from about 0.1 to 31; judging a target on such a number is judging noise.
"""

import math

Z95 = 1.959963984540054  # two-sided 95 %


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


def _poisson_cdf(k: int, mu: float) -> float:
    """P(X <= k) for X ~ Poisson(mu), summed in log space to stay finite for large mu."""
    if mu == 0:
        return 1.0
    total = 0.0
    log_term = -mu  # log P(X = 0)
    log_mu = math.log(mu)
    for i in range(k + 1):
        if i > 0:
            log_term += log_mu - math.log(i)
        total += math.exp(log_term)
    return min(total, 1.0)


def _bisect(f, lo: float, hi: float, iterations: int = 200) -> float:
    """Root of a decreasing function f on [lo, hi]."""
    for _ in range(iterations):
        mid = (lo + hi) / 2
        if f(mid) > 0:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-12 * max(1.0, hi):
            break
    return (lo + hi) / 2


def poisson_interval(count: int, alpha: float = 0.05) -> tuple[float, float]:
    """Exact (Garwood) confidence interval for the mean of a Poisson count.

    The lower bound solves P(X >= k; mu) = alpha/2 and the upper P(X <= k; mu) = alpha/2,
    which equal the chi-square quantiles chi2(alpha/2, 2k)/2 and chi2(1-alpha/2, 2k+2)/2.
    """
    if count < 0:
        raise ValueError("count must be non-negative")
    half = alpha / 2
    hi_bound = count + 20 * math.sqrt(count + 1) + 20
    upper = _bisect(lambda mu: _poisson_cdf(count, mu) - half, 0.0, hi_bound)
    if count == 0:
        return 0.0, upper
    # P(X >= k; mu) = 1 - P(X <= k-1; mu) rises with mu, so bisect on its complement.
    lower = _bisect(lambda mu: _poisson_cdf(count - 1, mu) - (1 - half), 0.0, hi_bound)
    return lower, upper
