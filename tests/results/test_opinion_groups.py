"""Opinion groups on synthetic votes with planted camps: the camps must be found, common
ground reported, and too little data refused."""
from math import comb

import numpy as np
import pytest

from app.results import opinion_groups
from app.results.opinion_groups import (
    MIN_PARTICIPANTS,
    OpinionGroups,
    TooLittleData,
    compute,
    svg_points,
)

AGREE, DISAGREE, PASS, UNSEEN = 1.0, -1.0, 0.0, np.nan


def adjusted_rand_index(labels_true, labels_pred) -> float:
    """Hubert & Arabie's ARI from the contingency table: 1 for the same partition (whatever
    the label names), about 0 for a random one.

    ARI = (Σ C(n_ij, 2) - E) / (½ (Σ C(a_i, 2) + Σ C(b_j, 2)) - E),
    E = Σ C(a_i, 2) · Σ C(b_j, 2) / C(n, 2), a and b the row and column sums."""
    _, true_index = np.unique(np.asarray(labels_true), return_inverse=True)
    _, pred_index = np.unique(np.asarray(labels_pred), return_inverse=True)
    table = np.zeros((true_index.max() + 1, pred_index.max() + 1), dtype=int)
    np.add.at(table, (true_index, pred_index), 1)
    pairs = sum(comb(int(n), 2) for n in table.ravel())
    rows = sum(comb(int(n), 2) for n in table.sum(axis=1))
    columns = sum(comb(int(n), 2) for n in table.sum(axis=0))
    expected = rows * columns / comb(len(true_index), 2)
    maximum = (rows + columns) / 2
    if maximum == expected:
        return 1.0
    return (pairs - expected) / (maximum - expected)


def test_adjusted_rand_index_itself():
    assert adjusted_rand_index([0, 0, 1, 1], [1, 1, 0, 0]) == 1.0
    # Table [[2, 1, 0], [0, 1, 2]]: Σ C(n_ij, 2) = 2, rows 3 + 3 = 6, columns 1 + 1 + 1 = 3,
    # E = 6 · 3 / 15 = 1.2, ARI = (2 - 1.2) / (4.5 - 1.2) = 0.2424.
    ari = adjusted_rand_index([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])
    assert ari == pytest.approx(0.2424, abs=1e-4)
    assert adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(-0.5)


def planted(camps: list[dict[int, float]], per_camp: int, n_statements: int, *,
            consensus: tuple[int, ...] = (), noise: float = 0.12, missing: float = 0.2,
            seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Votes of camps with known stances. Each vote is replaced by a random one with
    probability `noise` and left unseen with probability `missing`; a consensus statement is
    agreed with by 90 % of everyone."""
    rng = np.random.default_rng(seed)
    votes, truth = [], []
    for camp, stance in enumerate(camps):
        for _ in range(per_camp):
            row = np.empty(n_statements)
            for j in range(n_statements):
                if j in consensus:
                    vote = AGREE if rng.random() < 0.9 else rng.choice([DISAGREE, PASS])
                else:
                    vote = stance.get(j, PASS)
                    if rng.random() < noise:
                        vote = rng.choice([AGREE, DISAGREE, PASS])
                row[j] = UNSEEN if rng.random() < missing else vote
            votes.append(row)
            truth.append(camp)
    return np.array(votes), np.array(truth)


# Camp A agrees with statements 0-4 and disagrees with 5-9; camp B the opposite.
TWO_CAMPS = [
    {**dict.fromkeys(range(5), AGREE), **dict.fromkeys(range(5, 10), DISAGREE)},
    {**dict.fromkeys(range(5), DISAGREE), **dict.fromkeys(range(5, 10), AGREE)},
]
# Each camp agrees with its own four statements and disagrees with the other eight.
THREE_CAMPS = [{j: AGREE if j // 4 == camp else DISAGREE for j in range(12)} for camp in range(3)]


def two_camps(seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    return planted(TWO_CAMPS, 30, 12, consensus=(10, 11), seed=seed)


def labels_of(result: OpinionGroups, ids) -> list[int]:
    return [result.assignment[pid] for pid in ids]


@pytest.mark.parametrize("data_seed", [1, 2, 3, 4, 5])
def test_two_planted_camps_are_found(data_seed):
    votes, truth = two_camps(data_seed)
    ids = list(range(len(votes)))
    result = compute(votes, ids, list(range(12)))
    assert isinstance(result, OpinionGroups)
    assert result.k == 2
    assert adjusted_rand_index(truth, labels_of(result, ids)) >= 0.9
    assert result.silhouette > 0.5
    assert sorted(round(g.share, 1) for g in result.groups) == [0.5, 0.5]


def test_consensus_is_what_both_camps_agree_with():
    votes, _ = two_camps()
    result = compute(votes, range(60), list(range(12)))
    found = [c.statement_id for c in result.consensus]
    assert found, "statements 10 and 11 are agreed with by 90 % of both camps"
    assert set(found) <= {10, 11}
    for statement in result.consensus:
        assert len(statement.group_shares) == 2
        assert statement.min_share == min(statement.group_shares) >= 0.6
        assert statement.votes.total == int((~np.isnan(votes[:, statement.statement_id])).sum())
    mins = [c.min_share for c in result.consensus]
    assert mins == sorted(mins, reverse=True)


def test_representative_statements_are_each_camps_own():
    votes, truth = two_camps()
    result = compute(votes, range(60), list(range(12)))
    for group in result.groups:
        camp = np.bincount(truth[group.participant_ids]).argmax()
        own = set(range(5)) if camp == 0 else set(range(5, 10))
        representative = [r.statement_id for r in group.representative]
        assert 1 <= len(representative) <= 5
        assert set(representative) <= own
        for r in group.representative:
            assert r.agree_share > 0.5
            assert r.difference == pytest.approx(r.agree_share - r.others_agree_share)
            assert r.difference > 0.5
            assert r.votes == group.votes[r.statement_id]
        differences = [r.difference for r in group.representative]
        assert differences == sorted(differences, reverse=True)


def test_group_counts_add_up_to_the_votes():
    votes, _ = two_camps()
    result = compute(votes, range(60), list(range(12)))
    for j in range(12):
        column = votes[:, j]
        assert sum(g.votes[j].agree for g in result.groups) == int((column == AGREE).sum())
        assert sum(g.votes[j].disagree for g in result.groups) == int((column == DISAGREE).sum())
        assert sum(g.votes[j].passed for g in result.groups) == int((column == PASS).sum())
    for group in result.groups:
        members = np.array(group.participant_ids)
        assert group.votes[3].agree == int((votes[members, 3] == AGREE).sum())
    assert sorted(pid for g in result.groups for pid in g.participant_ids) == list(range(60))


def test_groups_are_ordered_by_size():
    votes, _ = planted(TWO_CAMPS, 30, 12, seed=7)
    votes = votes[:48]  # 30 in camp A, 18 in camp B
    result = compute(votes, range(48), list(range(12)))
    assert [g.index for g in result.groups] == [0, 1]
    assert len(result.groups[0].participant_ids) >= len(result.groups[1].participant_ids)
    assert all(result.assignment[pid] == g.index
               for g in result.groups for pid in g.participant_ids)


@pytest.mark.parametrize("data_seed", [1, 2, 3])
def test_three_planted_camps_are_found(data_seed):
    votes, truth = planted(THREE_CAMPS, 20, 12, seed=data_seed)
    ids = [f"p{i}" for i in range(len(votes))]
    result = compute(votes, ids, [f"s{j}" for j in range(12)])
    assert result.k == 3
    assert adjusted_rand_index(truth, labels_of(result, ids)) >= 0.9
    assert result.consensus == []  # every statement divides the camps


def test_passes_are_not_agreement():
    votes, _ = two_camps()
    rng = np.random.default_rng(3)
    mostly_passed = np.where(rng.random(60) < 0.7, PASS, AGREE)  # agreed by 30 % only
    votes = np.column_stack([votes, mostly_passed])
    result = compute(votes, range(60), list(range(13)))
    assert 12 not in [c.statement_id for c in result.consensus]


def test_the_map_separates_the_camps():
    votes, truth = two_camps()
    result = compute(votes, range(60), list(range(12)))
    coords = np.array([result.coords[pid] for pid in range(60)])
    assert coords.shape == (60, 2)
    first_axis = [coords[truth == camp, 0].mean() for camp in (0, 1)]
    spread = coords[:, 0].std()
    assert abs(first_axis[0] - first_axis[1]) > spread  # the camps lie apart on the map
    first, second = result.explained_variance
    assert 0 < second < first < 1


def test_too_few_participants():
    votes, _ = two_camps()
    result = compute(votes[:MIN_PARTICIPANTS - 1], range(9), list(range(12)))
    assert result == TooLittleData(participants=9, excluded=0)


def test_exactly_enough_participants():
    votes, _ = two_camps()
    rows = [*range(5), *range(30, 35)]
    result = compute(votes[rows], rows, list(range(12)))
    assert isinstance(result, OpinionGroups)
    assert len(result.assignment) == MIN_PARTICIPANTS


def test_participants_with_fewer_than_two_votes_are_excluded():
    votes, truth = two_camps()
    few = np.full((6, 12), UNSEEN)
    few[:4, 0] = AGREE  # one vote each
    # two rows with no vote at all
    all_votes = np.vstack([votes, few])
    ids = [*range(60), "one-a", "one-b", "one-c", "one-d", "none-a", "none-b"]
    result = compute(all_votes, ids, list(range(12)))
    assert result.excluded == 6
    assert set(result.assignment) == set(range(60)) == set(result.coords)
    assert adjusted_rand_index(truth, labels_of(result, range(60))) >= 0.9
    assert sum(g.share for g in result.groups) == pytest.approx(1.0)


def test_excluded_participants_can_leave_too_few():
    votes, _ = two_camps()
    votes = votes[:12].copy()
    votes[:3] = UNSEEN
    votes[:3, 0] = AGREE
    assert compute(votes, range(12), list(range(12))) == TooLittleData(participants=9, excluded=3)


def test_same_seed_same_result():
    votes, _ = two_camps()
    first = compute(votes, range(60), list(range(12)), seed=42)
    second = compute(votes.copy(), range(60), list(range(12)), seed=42)
    assert first == second


def test_other_seed_same_groups():
    votes, _ = two_camps()
    a = compute(votes, range(60), list(range(12)), seed=0)
    b = compute(votes, range(60), list(range(12)), seed=1)
    assert adjusted_rand_index(labels_of(a, range(60)), labels_of(b, range(60))) == 1.0


def test_input_is_not_changed():
    votes, _ = two_camps()
    before = votes.copy()
    compute(votes, range(60), list(range(12)))
    np.testing.assert_array_equal(votes, before)


def test_everyone_alike_is_one_group():
    votes = np.tile([AGREE, AGREE, DISAGREE, PASS], (15, 1))
    result = compute(votes, range(15), ["a", "b", "c", "d"])
    assert result.k == 1
    assert result.silhouette == 0.0
    assert result.groups[0].share == 1.0
    assert [c.statement_id for c in result.consensus] == ["a", "b"]


def test_a_single_statement_still_maps():
    votes = np.array([[AGREE, UNSEEN]] * 6 + [[DISAGREE, AGREE]] * 6)
    votes[:6, 1] = AGREE
    result = compute(votes, range(12), ["s", "t"])
    assert result.k == 2
    assert all(len(xy) == 2 for xy in result.coords.values())
    assert [c.statement_id for c in result.consensus] == ["t"]


@pytest.mark.parametrize(("votes", "message"), [
    (np.array([[2.0, 1.0], [1.0, 0.0]]), "must be"),
    (np.zeros((2, 3)), "shape"),
    (np.zeros(3), "shape"),
])
def test_invalid_votes(votes, message):
    with pytest.raises(ValueError, match=message):
        compute(votes, [1, 2], [1, 2])


def test_silhouette_matches_the_definition():
    rng = np.random.default_rng(5)
    points = rng.normal(size=(40, 2))
    labels = rng.integers(0, 3, size=40)
    labels[7] = 3  # a group of one scores 0
    [fast] = opinion_groups._silhouettes(points, [labels])

    def slow():
        values = []
        for i, point in enumerate(points):
            distance = np.sqrt(((points - point) ** 2).sum(axis=1))
            own = labels == labels[i]
            if own.sum() == 1:
                values.append(0.0)
                continue
            a = distance[own].sum() / (own.sum() - 1)
            b = min(distance[labels == other].mean() for other in set(labels) - {labels[i]})
            values.append((b - a) / max(a, b))
        return float(np.mean(values))

    assert fast == pytest.approx(slow(), abs=1e-9)


def test_silhouette_in_blocks_equals_in_one_go(monkeypatch):
    rng = np.random.default_rng(6)
    points = rng.normal(size=(50, 2))
    labelings = [rng.integers(0, k, size=50) for k in (2, 3)]
    whole = opinion_groups._silhouettes(points, labelings)
    monkeypatch.setattr(opinion_groups, "_CHUNK_CELLS", 7 * 50)  # 7 rows at a time
    assert opinion_groups._silhouettes(points, labelings) == pytest.approx(whole, abs=1e-12)


def test_kmeans_finds_obvious_clusters():
    rng = np.random.default_rng(0)
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    points = np.vstack([c + rng.normal(scale=0.5, size=(20, 2)) for c in centres])
    labels = opinion_groups._kmeans(points, 3, np.random.default_rng(1))
    assert adjusted_rand_index(np.repeat([0, 1, 2], 20), labels) == 1.0


def test_svg_points_fit_the_box():
    votes, _ = two_camps()
    result = compute(votes, range(60), list(range(12)))
    points = svg_points(result, width=320, height=200, padding=16)
    assert len(points) == 60
    xs, ys, groups = zip(*points, strict=True)
    assert min(xs) >= 16 - 1e-9 and max(xs) <= 304 + 1e-9
    assert min(ys) >= 16 - 1e-9 and max(ys) <= 184 + 1e-9
    assert list(groups) == [result.assignment[pid] for pid in result.coords]
    assert all(type(v) is float for v in xs + ys)


def test_svg_points_keep_one_scale_and_point_y_up():
    result = OpinionGroups(
        k=2, silhouette=1.0, groups=[], consensus=[],
        coords={"a": (-2.0, 0.0), "b": (2.0, 1.0), "c": (0.0, -1.0)},
        assignment={"a": 0, "b": 1, "c": 0}, excluded=0)
    # x spans 4, y spans 2; the box's room is 100 × 100, so one unit is 25 px on both axes.
    points = svg_points(result, width=120, height=120, padding=10)
    assert points == [(10.0, 60.0, 0), (110.0, 35.0, 1), (60.0, 85.0, 0)]


def test_svg_points_of_a_single_spot_are_centred():
    result = OpinionGroups(k=1, silhouette=0.0, groups=[], consensus=[],
                           coords={"a": (1.0, 1.0), "b": (1.0, 1.0)},
                           assignment={"a": 0, "b": 0}, excluded=0)
    assert svg_points(result) == [(160.0, 160.0, 0), (160.0, 160.0, 0)]
    empty = OpinionGroups(k=0, silhouette=0.0, groups=[], consensus=[], coords={},
                          assignment={}, excluded=0)
    assert svg_points(empty) == []
