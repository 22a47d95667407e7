"""Statistics helpers, against numbers worked out by hand."""
import pytest

from app.results.stats import (
    StatementResult,
    borda_scores,
    dot_totals,
    first_place_counts,
    shares,
    suppress_breakdown,
    suppress_small,
    wilson_interval,
    wilson_lower_bound,
)

# Wilson score interval, z = 1.96 (z² = 3.8416):
#   low/high = (p + z²/2n ∓ z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)
# 80/100: p = 0.8, centre = 0.8 + 0.019208 = 0.819208,
#         margin = 1.96·sqrt(0.0016 + 0.00009604) = 1.96·0.041183 = 0.080719,
#         denominator = 1.038416 → low = 0.738489 / 1.038416 = 0.7112,
#                                  high = 0.899927 / 1.038416 = 0.8666
# 3/3:    p = 1, centre = 1 + 0.640267 = 1.640267, margin = 1.96·sqrt(0.106711) = 0.640266,
#         denominator = 2.280533 → low = 1.000001 / 2.280533 = 0.4385
# 8/10:   p = 0.8, centre = 0.99208, margin = 1.96·sqrt(0.025604) = 0.313623,
#         denominator = 1.38416 → low = 0.678457 / 1.38416 = 0.4902
# 1/1:    low = 1 / (1 + 3.8416) = 0.2065
# 0/10:   p = 0, low = (0.19208 - 0.19208) / 1.38416 = 0


@pytest.mark.parametrize(("positive", "total", "expected"), [
    (80, 100, 0.711),
    (3, 3, 0.438),
    (8, 10, 0.490),
    (1, 1, 0.207),
    (0, 10, 0.0),
])
def test_wilson_lower_bound_by_hand(positive, total, expected):
    assert wilson_lower_bound(positive, total) == pytest.approx(expected, abs=5e-4)


def test_wilson_interval_by_hand():
    low, high = wilson_interval(80, 100)
    assert low == pytest.approx(0.711, abs=5e-4)
    assert high == pytest.approx(0.867, abs=5e-4)


def test_wilson_interval_stays_in_unit_range_and_contains_the_share():
    for positive, total in [(0, 1), (1, 1), (0, 50), (50, 50), (7, 13)]:
        low, high = wilson_interval(positive, total)
        assert 0.0 <= low <= positive / total <= high <= 1.0


def test_many_votes_outrank_few_unanimous_ones():
    assert wilson_lower_bound(80, 100) > wilson_lower_bound(3, 3)
    assert wilson_lower_bound(8, 10) > wilson_lower_bound(1, 1)


def test_wilson_with_no_votes_is_zero():
    assert wilson_lower_bound(0, 0) == 0.0
    assert wilson_interval(0, 0) == (0.0, 0.0)


def test_wilson_narrows_with_more_votes():
    low_few, high_few = wilson_interval(4, 5)
    low_many, high_many = wilson_interval(400, 500)
    assert high_many - low_many < high_few - low_few


@pytest.mark.parametrize(("positive", "total"), [(4, 3), (-1, 3), (0, -1)])
def test_wilson_rejects_impossible_counts(positive, total):
    with pytest.raises(ValueError, match="positive"):
        wilson_interval(positive, total)


def test_statement_shares():
    result = StatementResult(agree=6, disagree=3, passed=1)
    assert result.total == 10
    assert result.voted == 9
    assert result.agree_share == pytest.approx(0.6)
    assert result.disagree_share == pytest.approx(0.3)
    assert result.pass_share == pytest.approx(0.1)


def test_statement_agreement_ignores_passes():
    # 6 of 9 who took a side agreed; the pass neither helps nor hurts.
    with_pass = StatementResult(agree=6, disagree=3, passed=1)
    many_passes = StatementResult(agree=6, disagree=3, passed=40)
    assert with_pass.agreement == wilson_lower_bound(6, 9)
    assert many_passes.agreement == with_pass.agreement
    assert with_pass.agreement_interval == wilson_interval(6, 9)
    low, high = with_pass.agreement_interval
    assert low < 6 / 9 < high


def test_statement_without_votes():
    empty = StatementResult(agree=0, disagree=0, passed=0)
    assert (empty.agree_share, empty.disagree_share, empty.pass_share) == (0.0, 0.0, 0.0)
    assert empty.agreement == 0.0
    only_passes = StatementResult(agree=0, disagree=0, passed=4)
    assert only_passes.pass_share == 1.0
    assert only_passes.agreement == 0.0


def test_borda_by_hand():
    # Top 2 of 3 options. A: 1st ×4, 2nd ×1 → 4·2 + 1·1 = 9; B: 1st ×1, 2nd ×3 → 1·2 + 3·1
    # = 5; C: 2nd ×1 → 1. Being left unranked earns nothing.
    rankings = {"A": {1: 4, 2: 1}, "B": {1: 1, 2: 3}, "C": {2: 1}}
    assert borda_scores(rankings, n_ranked=2) == {"A": 9, "B": 5, "C": 1}
    assert first_place_counts(rankings) == {"A": 4, "B": 1, "C": 0}


def test_borda_top_three():
    # n_ranked = 3: places earn 3, 2, 1. X: 2·3 + 1·1 = 7; Y: 1·3 + 2·2 = 7; Z: 3·1 = 3.
    rankings = {"X": {1: 2, 3: 1}, "Y": {1: 1, 2: 2}, "Z": {3: 3}}
    assert borda_scores(rankings, n_ranked=3) == {"X": 7, "Y": 7, "Z": 3}
    # The tie is broken by first places.
    assert first_place_counts(rankings) == {"X": 2, "Y": 1, "Z": 0}


def test_borda_place_beyond_n_ranked_earns_nothing():
    assert borda_scores({"A": {1: 1, 4: 5}}, n_ranked=2) == {"A": 2}


def test_borda_empty():
    assert borda_scores({}, n_ranked=3) == {}
    assert first_place_counts({}) == {}


def test_dot_totals():
    allocations = [{"A": 3, "B": 2}, {"B": 5}, {"A": 1, "C": 4}]
    assert dot_totals(allocations) == {"A": 4, "B": 7, "C": 4}
    assert dot_totals([]) == {}


def test_shares():
    assert shares({"A": 4, "B": 7, "C": 4, "D": 0}) == pytest.approx(
        {"A": 4 / 15, "B": 7 / 15, "C": 4 / 15, "D": 0.0})
    assert sum(shares({"x": 1, "y": 2}).values()) == pytest.approx(1.0)


def test_shares_of_nothing_are_zero():
    assert shares({"A": 0, "B": 0}) == {"A": 0.0, "B": 0.0}
    assert shares({}) == {}


@pytest.mark.parametrize(("count", "expected"), [
    (0, 0),  # an empty cell identifies nobody
    (1, None),
    (4, None),
    (5, 5),
    (120, 120),
    (None, None),
])
def test_suppress_small(count, expected):
    assert suppress_small(count) == expected


@pytest.mark.parametrize(("counts", "expected"), [
    ([2, 8, 6], [None, 8, None]),  # alone, 2 = total - 14: the smallest other goes too
    ([2, 3, 8], [None, None, 8]),  # two hidden share what is left
    ([0, 2, 9], [0, None, None]),  # an empty cell gives nothing away and is no cover
    ([3], [None]),  # the only group: the total is shown anyway
    ([5, 7], [5, 7]),
])
def test_suppress_breakdown_hides_a_second_cell_beside_a_lone_small_one(counts, expected):
    assert suppress_breakdown(counts) == expected


@pytest.mark.parametrize(("counts", "hidden", "expected"), [
    # The scale means by group: the first group is hidden (too few in it), its 12 answers
    # too, and the overall mean beside them would give it back: the smallest other goes.
    ([12, 9, 15], [True, False, False], [None, None, 15]),
    ([12, 2, 15], [True, False, False], [None, None, 15]),  # two hidden already
    ([0, 9, 15], [True, False, False], [0, 9, 15]),  # a hidden group that gave no answers
])
def test_suppress_breakdown_counts_cells_hidden_for_another_reason(counts, hidden, expected):
    assert suppress_breakdown(counts, hidden=hidden) == expected


def test_suppress_small_with_another_minimum():
    assert suppress_small(9, minimum=10) is None
    assert suppress_small(10, minimum=10) == 10
