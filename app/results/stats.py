"""Statistics for honest results: shares, agreement with its uncertainty, Borda scores,
and suppression of small groups."""
import math
from dataclasses import dataclass


def wilson_interval(positive: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion: with few votes it is wide, so 3 of 3
    does not look as certain as 80 of 100."""
    if total <= 0:
        return 0.0, 0.0
    p = positive / total
    denominator = 1 + z * z / total
    centre = p + z * z / (2 * total)
    margin = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total))
    return max(0.0, (centre - margin) / denominator), min(1.0, (centre + margin) / denominator)


def wilson_lower_bound(positive: int, total: int, z: float = 1.96) -> float:
    return wilson_interval(positive, total, z)[0]


@dataclass(frozen=True)
class StatementResult:
    agree: int
    disagree: int
    passed: int

    @property
    def total(self) -> int:
        return self.agree + self.disagree + self.passed

    @property
    def voted(self) -> int:
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
        """Passing is not disagreeing: agreement is among those who took a side."""
        return wilson_lower_bound(self.agree, self.voted)

    @property
    def agreement_interval(self) -> tuple[float, float]:
        return wilson_interval(self.agree, self.voted)


def borda_scores(rankings: dict, n_ranked: int) -> dict:
    """rankings: option → {place: count}. Place 1 earns n_ranked points, the last place 1."""
    return {option: sum(count * max(0, n_ranked - place + 1) for place, count in places.items())
            for option, places in rankings.items()}


def first_place_counts(rankings: dict) -> dict:
    return {option: places.get(1, 0) for option, places in rankings.items()}


def shares(counts: dict) -> dict:
    total = sum(counts.values())
    return {key: (n / total if total else 0.0) for key, n in counts.items()}


def suppress_small(count: int | None, minimum: int = 5) -> int | None:
    """None for 1..minimum-1, so no child can be singled out. Zero is kept: an empty group
    identifies nobody, and "no answers from school X" is what a leader needs to see."""
    if count is None:
        return None
    return None if 0 < count < minimum else count
