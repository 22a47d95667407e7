"""Opinion groups from agree/disagree/pass votes on statements, as Polis finds them.

Young people who vote alike end up in the same group. For each group we say which
statements it agrees with more than the others do (what makes the group a group), and which
statements every group agrees with (common ground a youth leader can act on).

The steps, all in numpy:

1. Participants with fewer than two votes say too little about themselves to be placed;
   they are left out of the groups (and counted in `excluded`).
2. A statement someone has not voted on is filled in with the statement's mean vote, as
   Polis does, and every statement is centred. A missing vote is thereby neutral: it
   pulls nobody towards either side.
3. PCA to two components (SVD). Polis then scales each participant by
   sqrt(statements / statements voted on): filling in the mean pulls those who voted on
   few statements towards the centre, and the scaling puts them back where their votes
   point. The two coordinates are the opinion map.
4. k-means (k-means++ start, several seeded restarts, the lowest inertia kept) on the
   map's coordinates, for k = 2 … 5, and the k with the highest mean silhouette.

Why cluster on the two map coordinates rather than on the whole vote matrix: the first
components carry the opinion axes people share, while the rest is mostly individual noise
and the traces of missing votes, which in many dimensions blur the distances that
k-means and the silhouette rely on. It is also what Polis does, and it keeps the groups
consistent with the map a leader sees: a group is a visible cloud of dots.
"""
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np

from app.results.stats import StatementResult

MIN_PARTICIPANTS = 10  # fewer and groups would be guesses (and could single people out)
MIN_VOTES = 2  # votes a participant needs to be placed on the map
MAX_GROUPS = 5  # more groups than this is more than a leader can discuss with a class
N_INIT = 8  # k-means restarts per k; the run with the lowest inertia is kept
MAX_ITER = 100
MIN_GROUP_VOTES = 2  # votes a group needs on a statement before we say what it thinks
N_REPRESENTATIVE = 5
CONSENSUS_SHARE = 0.6  # every group's agree share must reach this for common ground
_CHUNK_CELLS = 1 << 22  # distances held at once by the silhouette (32 MB of float64)


@dataclass(frozen=True)
class TooLittleData:
    """Not enough participants with at least MIN_VOTES votes to form groups."""

    participants: int  # participants who could have been placed
    excluded: int = 0  # participants left out for having fewer than MIN_VOTES votes
    minimum: int = MIN_PARTICIPANTS


@dataclass(frozen=True)
class RepresentativeStatement:
    """A statement a group agrees with, and agrees with more than everyone else does.

    Shares are of those who answered the statement (passes included): "7 of the 10 in this
    group who answered agreed" is the plain reading."""

    statement_id: Hashable
    agree_share: float  # in the group
    others_agree_share: float  # among all participants outside the group
    difference: float  # agree_share - others_agree_share, what the ranking is by
    votes: StatementResult  # the group's counts


@dataclass(frozen=True)
class ConsensusStatement:
    """A statement every group agrees with: common ground."""

    statement_id: Hashable
    group_shares: tuple[float, ...]  # agree share per group, by group index
    min_share: float  # the lowest of them, what the list is sorted by
    votes: StatementResult  # counts among all participants in groups


@dataclass(frozen=True)
class Group:
    index: int  # 0 is the largest group
    participant_ids: list[Hashable]
    share: float  # of the participants placed in groups
    representative: list[RepresentativeStatement]
    votes: dict[Hashable, StatementResult] = field(default_factory=dict)  # per statement


@dataclass(frozen=True)
class OpinionGroups:
    k: int  # number of groups; 1 only when everyone voted exactly alike
    # Mean silhouette, -1 … 1: how clearly the groups stand apart. Even one shapeless cloud
    # cut in parts scores 0.35-0.45, so only well above that are the groups really distinct.
    silhouette: float
    groups: list[Group]
    consensus: list[ConsensusStatement]
    coords: dict[Hashable, tuple[float, float]]  # the opinion map
    assignment: dict[Hashable, int]  # participant → group index
    excluded: int  # participants with fewer than MIN_VOTES votes, not in any group
    explained_variance: tuple[float, float] = (0.0, 0.0)  # share of variation on each axis


def compute(votes: np.ndarray, participant_ids: Sequence[Hashable],
            statement_ids: Sequence[Hashable], *, seed: int = 0) -> OpinionGroups | TooLittleData:
    """Opinion groups from a vote matrix (participants × statements) holding +1 agree,
    -1 disagree, 0 pass and NaN for not voted. The same input and seed give the same
    result, so a results page does not reshuffle groups on every visit."""
    matrix = np.asarray(votes, dtype=np.float64)
    participant_ids, statement_ids = list(participant_ids), list(statement_ids)
    if matrix.shape != (len(participant_ids), len(statement_ids)):
        raise ValueError(f"votes has shape {matrix.shape}, expected "
                         f"{(len(participant_ids), len(statement_ids))}")
    seen = ~np.isnan(matrix)
    if not np.isin(matrix[seen], (-1.0, 0.0, 1.0)).all():
        raise ValueError("votes must be +1, -1, 0 or NaN")

    placed = seen.sum(axis=1) >= MIN_VOTES
    excluded = int((~placed).sum())
    if placed.sum() < MIN_PARTICIPANTS:
        return TooLittleData(participants=int(placed.sum()), excluded=excluded)
    matrix, seen = matrix[placed], seen[placed]
    ids = [pid for pid, keep in zip(participant_ids, placed, strict=True) if keep]

    coords, explained = _project(matrix, seen)
    labels, silhouette = _choose_groups(coords, np.random.default_rng(seed))
    k = int(labels.max()) + 1

    agree, disagree, passed = (_counts(matrix == v, labels, k) for v in (1.0, -1.0, 0.0))
    groups = [
        Group(
            index=g,
            participant_ids=[pid for pid, label in zip(ids, labels, strict=True) if label == g],
            share=float(np.mean(labels == g)),
            representative=_representative(g, agree, disagree, passed, statement_ids),
            votes={sid: StatementResult(int(agree[g, j]), int(disagree[g, j]),
                                        int(passed[g, j]))
                   for j, sid in enumerate(statement_ids)},
        )
        for g in range(k)
    ]
    return OpinionGroups(
        k=k,
        silhouette=silhouette,
        groups=groups,
        consensus=_consensus(agree, disagree, passed, statement_ids),
        coords={pid: (float(x), float(y)) for pid, (x, y) in zip(ids, coords, strict=True)},
        assignment={pid: int(label) for pid, label in zip(ids, labels, strict=True)},
        excluded=excluded,
        explained_variance=explained,
    )


def svg_points(result: OpinionGroups, width: float = 320, height: float = 320,
               padding: float = 16) -> list[tuple[float, float, int]]:
    """(x, y, group index) per participant, scaled into an SVG box for a server-drawn map.

    Both axes share one scale, so distances on the map are true to the data; the cloud is
    centred, and y points up as on any plot."""
    if not result.coords:
        return []
    points = np.array(list(result.coords.values()), dtype=np.float64)
    low, high = points.min(axis=0), points.max(axis=0)
    span = high - low
    room = np.array([width - 2 * padding, height - 2 * padding], dtype=np.float64)
    fits = [room[i] / span[i] for i in range(2) if span[i] > 0]
    scale = min(fits) if fits else 0.0
    middle = (low + high) / 2
    return [
        (round(float(width / 2 + (x - middle[0]) * scale), 2),
         round(float(height / 2 - (y - middle[1]) * scale), 2),
         result.assignment[pid])
        for pid, (x, y) in zip(result.coords, points, strict=True)
    ]


# --- the map ----------------------------------------------------------------------------------

def _project(matrix: np.ndarray, seen: np.ndarray) -> tuple[np.ndarray, tuple[float, float]]:
    """Two PCA coordinates per participant and the share of variance on each axis."""
    answered = seen.sum(axis=0)
    sums = np.where(seen, matrix, 0.0).sum(axis=0)
    means = np.divide(sums, answered, out=np.zeros_like(sums), where=answered > 0)
    # Filling in the mean and then centring leaves exactly 0 where nobody voted.
    centred = np.where(seen, matrix - means, 0.0)
    _, singular, components = np.linalg.svd(centred, full_matrices=False)
    components = components[:2]
    # An SVD's signs are arbitrary; fix them so the map does not flip between runs.
    biggest = np.abs(components).argmax(axis=1)
    signs = np.sign(components[np.arange(len(components)), biggest])
    components = components * np.where(signs == 0, 1.0, signs)[:, None]
    coords = centred @ components.T
    active = max(int((answered > 0).sum()), 1)
    coords *= np.sqrt(active / seen.sum(axis=1))[:, None]
    if coords.shape[1] < 2:  # a single statement: a one-dimensional map
        coords = np.hstack([coords, np.zeros((len(coords), 2 - coords.shape[1]))])
    variance = singular**2
    total = variance.sum()
    ratios = [float(v / total) if total > 0 else 0.0 for v in variance[:2]]
    ratios += [0.0] * (2 - len(ratios))
    return coords, (ratios[0], ratios[1])


# --- the groups -------------------------------------------------------------------------------

def _choose_groups(points: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, float]:
    """Labels (0 = largest group) for the k with the best mean silhouette, and that score.
    Everyone in one group with silhouette 0.0 if all points coincide."""
    n = len(points)
    distinct = len(np.unique(points.round(9), axis=0))
    if distinct < 2:
        return np.zeros(n, dtype=np.intp), 0.0
    labelings = [_kmeans(points, k, rng) for k in range(2, min(MAX_GROUPS, n - 1, distinct) + 1)]
    scores = _silhouettes(points, labelings)
    best = int(np.argmax(scores))  # the first maximum: on a tie the fewer groups
    return _by_size(labelings[best]), float(scores[best])


def _kmeans(points: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Labels of the best of N_INIT k-means runs (lowest within-group sum of squares)."""
    best_labels, best_inertia = np.zeros(len(points), dtype=np.intp), math.inf
    for _ in range(N_INIT):
        centres = _kmeans_plus_plus(points, k, rng)
        labels = np.full(len(points), -1, dtype=np.intp)
        for _ in range(MAX_ITER):
            distances = _squared_distances(points, centres)
            new_labels = distances.argmin(axis=1)
            if np.array_equal(new_labels, labels):
                break
            labels = new_labels
            centres = _centres(points, labels, k, distances)
        inertia = float(_squared_distances(points, centres)[np.arange(len(points)), labels].sum())
        if inertia < best_inertia:
            best_labels, best_inertia = labels, inertia
    return best_labels


def _kmeans_plus_plus(points: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Starting centres far apart: each next one drawn with probability ∝ squared distance
    to the nearest centre so far."""
    n = len(points)
    centres = [points[rng.integers(n)]]
    nearest = _squared_distances(points, np.array(centres))[:, 0]
    for _ in range(1, k):
        total = nearest.sum()
        index = rng.choice(n, p=nearest / total) if total > 0 else rng.integers(n)
        centres.append(points[index])
        nearest = np.minimum(nearest, ((points - points[index]) ** 2).sum(axis=1))
    return np.array(centres)


def _centres(points: np.ndarray, labels: np.ndarray, k: int,
             distances: np.ndarray) -> np.ndarray:
    """The mean of each group; an emptied group restarts at the point worst served."""
    onehot = labels[:, None] == np.arange(k)
    sizes = onehot.sum(axis=0)
    centres = (onehot.T @ points) / np.maximum(sizes, 1)[:, None]
    if (sizes == 0).any():
        worst = np.argsort(-distances[np.arange(len(points)), labels])
        for j, point in zip(np.flatnonzero(sizes == 0), worst, strict=False):
            centres[j] = points[point]
    return centres


def _squared_distances(points: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """points × centres. A loop over the (two) dimensions: much faster than summing a
    points × centres × dimensions array over its short last axis."""
    result = np.zeros((len(points), len(centres)))
    for dim in range(points.shape[1]):
        result += (points[:, dim, None] - centres[None, :, dim]) ** 2
    return result


def _silhouettes(points: np.ndarray, labelings: list[np.ndarray]) -> list[float]:
    """Mean silhouette of each labeling. The pairwise distances are computed once, a block
    of rows at a time, and multiplied by every labeling's one-hot matrix, so memory stays
    bounded whatever the number of participants."""
    n = len(points)
    onehots = [(labels[:, None] == np.arange(labels.max() + 1)).astype(np.float64)
                for labels in labelings]
    stacked = np.hstack(onehots)
    sums = np.empty((n, stacked.shape[1]))  # sum of distances from each point to each group
    squares = (points**2).sum(axis=1)
    rows = max(1, _CHUNK_CELLS // n)
    for start in range(0, n, rows):
        stop = min(start + rows, n)
        block = squares[start:stop, None] + squares[None, :] - 2 * points[start:stop] @ points.T
        np.maximum(block, 0.0, out=block)
        block[np.arange(stop - start), np.arange(start, stop)] = 0.0
        sums[start:stop] = np.sqrt(block) @ stacked

    scores, offset = [], 0
    for labels, onehot in zip(labelings, onehots, strict=True):
        k = onehot.shape[1]
        group_sums = sums[:, offset:offset + k]
        offset += k
        sizes = onehot.sum(axis=0)
        own_size = sizes[labels]
        own = group_sums[np.arange(n), labels] / np.maximum(own_size - 1, 1)
        means = np.divide(group_sums, sizes, out=np.full_like(group_sums, np.inf),
                          where=sizes > 0)
        means[np.arange(n), labels] = np.inf
        nearest_other = means.min(axis=1)
        widest = np.maximum(own, nearest_other)
        values = np.divide(nearest_other - own, widest, out=np.zeros(n), where=widest > 0)
        values[own_size <= 1] = 0.0  # a group of one has no cohesion to speak of
        scores.append(float(values.mean()))
    return scores


def _by_size(labels: np.ndarray) -> np.ndarray:
    """Relabel so group 0 is the largest (ties: the group whose first member comes first)
    and no label is left empty."""
    present, first, sizes = np.unique(labels, return_index=True, return_counts=True)
    order = sorted(range(len(present)), key=lambda i: (-sizes[i], first[i]))
    mapping = np.empty(int(present.max()) + 1, dtype=np.intp)
    for new, i in enumerate(order):
        mapping[present[i]] = new
    return mapping[labels]


# --- what the groups think --------------------------------------------------------------------

def _counts(mask: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """groups × statements: how many in each group gave this vote."""
    onehot = (labels[:, None] == np.arange(k)).astype(np.int64)
    return onehot.T @ mask.astype(np.int64)


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    return np.divide(part, whole, out=np.zeros(part.shape), where=whole > 0)


def _representative(g: int, agree: np.ndarray, disagree: np.ndarray, passed: np.ndarray,
                    statement_ids: list[Hashable]) -> list[RepresentativeStatement]:
    """Up to N_REPRESENTATIVE statements the group agrees with (a majority of those who
    answered) and agrees with most beyond what everyone else does. Both the group and the
    others need MIN_GROUP_VOTES answers: otherwise there is no difference to speak of."""
    answered = agree + disagree + passed
    inside_n, outside_n = answered[g], answered.sum(axis=0) - answered[g]
    inside = _share(agree[g], inside_n)
    outside = _share(agree.sum(axis=0) - agree[g], outside_n)
    difference = inside - outside
    eligible = ((inside_n >= MIN_GROUP_VOTES) & (outside_n >= MIN_GROUP_VOTES)
                & (inside > 0.5) & (difference > 0))
    ranked = sorted(np.flatnonzero(eligible), key=lambda j: (-difference[j], -inside[j], j))
    return [
        RepresentativeStatement(
            statement_id=statement_ids[j],
            agree_share=float(inside[j]),
            others_agree_share=float(outside[j]),
            difference=float(difference[j]),
            votes=StatementResult(int(agree[g, j]), int(disagree[g, j]), int(passed[g, j])),
        )
        for j in ranked[:N_REPRESENTATIVE]
    ]


def _consensus(agree: np.ndarray, disagree: np.ndarray, passed: np.ndarray,
               statement_ids: list[Hashable]) -> list[ConsensusStatement]:
    """Statements on which every group's agree share (of those who answered, passes
    included, so many passes are not mistaken for agreement) is at least CONSENSUS_SHARE,
    with MIN_GROUP_VOTES answers in each group; the most broadly agreed first."""
    answered = agree + disagree + passed
    shares = _share(agree, answered)
    broad = ((answered >= MIN_GROUP_VOTES) & (shares >= CONSENSUS_SHARE)).all(axis=0)
    lowest = shares.min(axis=0)
    overall = _share(agree.sum(axis=0), answered.sum(axis=0))
    ranked = sorted(np.flatnonzero(broad), key=lambda j: (-lowest[j], -overall[j], j))
    return [
        ConsensusStatement(
            statement_id=statement_ids[j],
            group_shares=tuple(float(s) for s in shares[:, j]),
            min_share=float(lowest[j]),
            votes=StatementResult(int(agree[:, j].sum()), int(disagree[:, j].sum()),
                                  int(passed[:, j].sum())),
        )
        for j in ranked
    ]
