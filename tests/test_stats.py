import numpy as np
import pytest

from geo.analysis.stats import compare_with, poisson_ci, rate_per_1000

# Reference values: exact (Garwood) 95 % Poisson limits as published in standard tables (e.g. PHE's technical
# guide on confidence intervals). Below 10 the build must reproduce them; from 10 up it uses Byar's
# approximation, which must stay within 0.2 % of them.
EXACT = {0: (0.0, 3.6889), 1: (0.0253, 5.5716), 2: (0.2422, 7.2247), 5: (1.6235, 11.6683), 9: (4.1153, 17.0848)}
EXACT_LARGE = {10: (4.7954, 18.3904), 100: (81.3640, 121.6268), 1000: (938.9730, 1063.9521)}


@pytest.mark.parametrize("count,expected", EXACT.items())
def test_small_counts_use_exact_poisson(count, expected):
    lo, hi = poisson_ci([count])
    assert lo[0] == pytest.approx(expected[0], abs=1e-4)
    assert hi[0] == pytest.approx(expected[1], abs=1e-4)


@pytest.mark.parametrize("count,expected", EXACT_LARGE.items())
def test_counts_of_ten_or_more_use_byar_close_to_exact(count, expected):
    lo, hi = poisson_ci([count])
    assert lo[0] == pytest.approx(expected[0], rel=2e-3)
    assert hi[0] == pytest.approx(expected[1], rel=2e-3)
    assert lo[0] != pytest.approx(expected[0], rel=1e-7)  # it is Byar's, not the exact limit


def test_byar_formula_itself():
    o, z = 100.0, 1.959963984540054
    lo = o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3
    hi = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * np.sqrt(o + 1))) ** 3
    got = poisson_ci([100])
    assert got[0][0] == pytest.approx(lo) and got[1][0] == pytest.approx(hi)


def test_rate_scales_the_interval_and_handles_zero_population():
    r, lo, hi = rate_per_1000([5, 5], [1000, 0])
    assert r[0] == 5.0 and lo[0] == pytest.approx(1.6235, abs=1e-4) and hi[0] == pytest.approx(11.6683, abs=1e-4)
    assert np.isnan(r[1]) and np.isnan(lo[1])


def test_negative_or_fractional_counts_are_refused():
    with pytest.raises(ValueError):
        poisson_ci([-1])
    with pytest.raises(ValueError):
        poisson_ci([1.5])


@pytest.mark.parametrize(
    "lo,hi,ref,expected",
    [
        (1, 3, 4, "lower"),
        (5, 9, 4, "higher"),
        (1, 9, 4, "similar"),
        (4, 9, 4, "similar"),  # touching the reference is not significant
        (np.nan, np.nan, 4, "unknown"),
    ],
)
def test_compare_with(lo, hi, ref, expected):
    assert compare_with([lo], [hi], ref)[0] == expected
