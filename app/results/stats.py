"""Statistics for honest results: shares, agreement with its uncertainty, Borda scores,
dot totals and the suppression of small groups.

Pure functions on counts the caller has already aggregated (SQL GROUP BY), so they are
cheap to test and the same numbers appear on the page, in the projector view and in exports.
"""
import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

# Equity cells with fewer participants than this are not shown, so no child is singled out.
MIN_GROUP = 5


def wilson_interval(positive: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95 % with z = 1.96).

    With few votes it is wide, so 3 of 3 does not look as certain as 80 of 100. Unlike the
    normal approximation it stays inside [0, 1] and is sensible for 0 of n and n of n.
    (0.0, 0.0) when nobody voted: there is nothing to be confident about.
    """
    if total < 0 or positive < 0 or positive > total:
        raise ValueError(f"need 0 <= positive <= total, got {positive} of {total}")
    if total == 0:
        return 0.0, 0.0
    p = positive / total
    z2 = z * z
    denominator = 1 + z2 / total
    centre = p + z2 / (2 * total)
    margin = z * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total))
    low = (centre - margin) / denominator
    high = (centre + margin) / denominator
    return max(0.0, low), min(1.0, high)


def wilson_lower_bound(positive: int, total: int, z: float = 1.96) -> float:
    """A pessimistic estimate of the proportion: the value to rank by, because it rewards
    both a high share and enough votes to trust it (80/100 outranks 3/3)."""
    return wilson_interval(positive, total, z)[0]


@dataclass(frozen=True)
class StatementResult:
    """Agree/disagree/pass counts for one statement, with the shares a leader reads."""

    agree: int
    disagree: int
    passed: int

    @property
    def total(self) -> int:
        """Everyone who answered, passes included."""
        return self.agree + self.disagree + self.passed

    @property
    def voted(self) -> int:
        """Those who took a side."""
        return self.agree + self.disagree

    def _share(self, n: int) -> float:
        return n / self.total if self.total else 0.0

    @property
    def agree_share(self) -> float:
        return self._share(self.agree)

    @property
    def disagree_share(self) -> float:
        return self._share(self.disagree)

    @property
    def pass_share(self) -> float:
        return self._share(self.passed)

    @property
    def agreement(self) -> float:
        """Wilson lower bound of agreeing among those who took a side: passing is not
        disagreeing, so passes neither help nor hurt a statement."""
        return wilson_lower_bound(self.agree, self.voted)

    @property
    def agreement_interval(self) -> tuple[float, float]:
        return wilson_interval(self.agree, self.voted)


def borda_scores(rankings: Mapping[K, Mapping[int, int]], n_ranked: int) -> dict[K, int]:
    """Borda points from aggregated rankings: option → {place: count}.

    Place 1 earns n_ranked points, place 2 n_ranked - 1, … the last ranked place 1 point;
    an option not ranked earns nothing. A place beyond n_ranked (the question was edited
    after people answered) earns nothing rather than negative points.
    """
    return {
        option: sum(count * max(0, n_ranked - place + 1) for place, count in places.items())
        for option, places in rankings.items()
    }


def first_place_counts(rankings: Mapping[K, Mapping[int, int]]) -> dict[K, int]:
    """How many put each option first: the tie-breaker next to Borda points."""
    return {option: places.get(1, 0) for option, places in rankings.items()}


def dot_totals(allocations: Iterable[Mapping[K, int]]) -> dict[K, int]:
    """Sum the dots each participant spread over the options (one mapping per participant)."""
    totals: dict[K, int] = {}
    for allocation in allocations:
        for option, dots in allocation.items():
            totals[option] = totals.get(option, 0) + dots
    return totals


def shares(counts: Mapping[K, int]) -> dict[K, float]:
    """Each count as a share of their sum; all 0.0 when nothing was counted (no division
    by zero on a fresh consultation)."""
    total = sum(counts.values())
    return {key: (n / total if total else 0.0) for key, n in counts.items()}


def suppress_small(count: int | None, minimum: int = MIN_GROUP) -> int | None:
    """None for 1 … minimum - 1 so no child can be singled out in a breakdown.

    Zero is kept: an empty cell identifies nobody, and "no answers from school X" is what
    a leader needs to see. None stays None (already suppressed upstream).
    """
    if count is None:
        return None
    return None if 0 < count < minimum else count


def suppress_breakdown(counts: Iterable[int], minimum: int = MIN_GROUP,
                       hidden: Iterable[bool] = ()) -> list[int | None]:
    """suppress_small for every cell of a breakdown whose total is shown beside it, plus
    one more cell when only one was hidden: the total minus the cells shown would give
    the hidden one back (15 participants, 6 + 7 shown: the hidden group is 2). The
    smallest other non-empty cell is hidden with it, so two hidden cells share what is left.
    `hidden`: cells already hidden for another reason (a group too small to show), which
    count as hidden here too.
    """
    counts = list(counts)
    forced = list(hidden) or [False] * len(counts)
    shown: list[int | None] = [None if h and n else suppress_small(n, minimum)
                               for n, h in zip(counts, forced, strict=True)]
    if sum(1 for n in shown if n is None) == 1:
        others = [i for i, n in enumerate(shown) if n]
        if others:
            shown[min(others, key=lambda i: counts[i])] = None
    return shown
