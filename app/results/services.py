"""Results per question, aggregated in SQL: counts and shares, statement agreement with its
uncertainty, Borda scores for rankings, dot totals, word frequencies, and the equity
breakdown with small groups suppressed."""
from dataclasses import dataclass, field

from sqlalchemy import func, select, true, union
from sqlalchemy.orm import selectinload

from app.coalition.models import Area
from app.consultations.models import Consultation, Question, QuestionKind
from app.extensions import db
from app.participate.models import Contribution, ContributionStatus, Participant, Vote
from app.results import stats
from app.results.words import count_word_groups

MIN_GROUP = 5  # fewer participants than this in a cell: suppressed, so no child stands out


@dataclass
class OptionResult:
    key: str
    text: dict | str
    language: str | None = None
    count: int = 0
    share: float = 0.0
    score: float = 0.0  # Borda points, dots, or the agreement lower bound
    first: int = 0  # how many ranked it first
    statement: stats.StatementResult | None = None
    removed: bool = False  # an option taken off the question after it got answers


@dataclass
class QuestionResult:
    question: Question
    respondents: int = 0
    items: list[OptionResult] = field(default_factory=list)
    words: list[tuple[str, int]] = field(default_factory=list)
    ideas: list[Contribution] = field(default_factory=list)
    mean: float | None = None  # scale
    # How many statements or ideas there are in all; the page shows the first `top` of them
    # (the exports have all).
    total: int = 0


def consultation_results(consultation: Consultation, top: int | None = None,
                         only: Question | None = None) -> list[QuestionResult]:
    """Every question's result (or only that of `only`) with a fixed number of queries,
    whatever the data; questions and options removed after they got answers are counted too,
    marked, so removing one never changes what the others got. With `top`, statement and
    idea lists hold only their first `top` items (by agreement, newest first), so the results
    page stays fast with thousands of ideas; the counts and the ranking still take every vote
    into account."""
    questions = [only] if only is not None else consultation.result_questions()
    ids = [q.id for q in questions]
    respondents = dict(db.session.execute(
        select(Vote.question_id, func.count(func.distinct(Vote.participant_id)))
        .where(Vote.question_id.in_(ids)).group_by(Vote.question_id)).all())
    text_respondents = dict(db.session.execute(
        select(Contribution.question_id, func.count(func.distinct(Contribution.participant_id)))
        .where(Contribution.question_id.in_(ids)).group_by(Contribution.question_id)).all())
    # option/contribution/value tallies for every question at once
    tallies: dict[int, list[tuple]] = {}
    for row in db.session.execute(
            select(Vote.question_id, Vote.option_id, Vote.contribution_id, Vote.value,
                   func.count(), func.sum(Vote.value))
            .where(Vote.question_id.in_(ids))
            .group_by(Vote.question_id, Vote.option_id, Vote.contribution_id, Vote.value)):
        tallies.setdefault(row[0], []).append(row[1:])
    approved = dict(db.session.execute(
        select(Contribution.question_id, func.count())
        .where(Contribution.question_id.in_(ids),
               Contribution.status == ContributionStatus.APPROVED)
        .group_by(Contribution.question_id)).all())
    words = _approved_words([q.id for q in questions if q.kind == QuestionKind.WORD])
    ideas = _approved_ideas([q.id for q in questions if q.kind == QuestionKind.IDEA], top)
    statement_ideas = _statement_ideas(questions, tallies, top)
    results = []
    for question in questions:
        result = QuestionResult(question, respondents.get(question.id, 0)
                                or text_respondents.get(question.id, 0))
        rows = tallies.get(question.id, [])
        kind = question.kind
        if kind == QuestionKind.STATEMENT:
            result.items = _statements(question, rows, statement_ideas.get(question.id, []))
            source = question.setting("source_question_id")
            result.total = len(_options(question)) + approved.get(source, 0)
            if top is not None:
                result.items = result.items[:top]
        elif kind == QuestionKind.RANK:
            result.items = _ranks(question, rows)
        elif kind == QuestionKind.CHOICE:
            result.items = _choices(question, rows, result.respondents)
        elif kind == QuestionKind.SCALE:
            result.items, result.mean = _scale(rows)
        elif kind == QuestionKind.WORD:
            result.words = count_word_groups(words.get(question.id, []))
        elif kind == QuestionKind.IDEA:
            result.ideas = ideas.get(question.id, [])
            result.total = approved.get(question.id, 0)
        removed = {f"o{o.id}" for o in question.options if o.archived_at is not None}
        for item in result.items:
            item.removed = item.key in removed
        results.append(result)
    return results


def _approved_words(question_ids: list[int]) -> dict[int, list[tuple[str, str, int]]]:
    """Published words, counted per exact spelling by the database."""
    found: dict[int, list[tuple[str, str, int]]] = {}
    if question_ids:
        for question_id, text, language, n in db.session.execute(
                select(Contribution.question_id, Contribution.text, Contribution.language,
                       func.count())
                .where(Contribution.question_id.in_(question_ids),
                       Contribution.status == ContributionStatus.APPROVED)
                .group_by(Contribution.question_id, Contribution.text, Contribution.language)):
            found.setdefault(question_id, []).append((text, language, n))
    return found


def _approved_ideas(question_ids: list[int], top: int | None) -> dict[int, list[Contribution]]:
    """Published ideas, newest first (the first `top` of each question)."""
    found: dict[int, list[Contribution]] = {}
    for question_id in question_ids:  # a query per idea question, not per idea
        query = (select(Contribution)
                 .where(Contribution.question_id == question_id,
                        Contribution.status == ContributionStatus.APPROVED)
                 .options(selectinload(Contribution.theme))  # the list names each theme
                 .order_by(Contribution.created_at.desc(), Contribution.id.desc()))
        found[question_id] = list(db.session.scalars(
            query if top is None else query.limit(top)))
    return found


def _options(question):
    return list(question.options)  # removed ones too: their answers count


def _statement_ideas(questions, tallies: dict[int, list[tuple]],
                     top: int | None) -> dict[int, list[Contribution]]:
    """Approved ideas that statement questions show, keyed by the statement question. With
    `top`, only the ideas that can be among the first `top` by agreement are loaded: those
    with the best tallies, and (if too few have votes) the newest without."""
    sources = {q.setting("source_question_id"): q.id for q in questions
               if q.kind == QuestionKind.STATEMENT and q.setting("source_question_id")}
    if not sources:
        return {}
    visible = (Contribution.status == ContributionStatus.APPROVED)
    if top is None:
        found: dict[int, list[Contribution]] = {}
        for idea in db.session.scalars(select(Contribution).where(
                Contribution.question_id.in_(list(sources)), visible)):
            found.setdefault(sources[idea.question_id], []).append(idea)
        return found
    wanted: set[int] = set()
    for source_id, statement_id in sources.items():
        tally: dict[int, dict[int, int]] = {}
        for _option, contribution_id, value, n, _sum in tallies.get(statement_id, []):
            if contribution_id is not None:
                tally.setdefault(contribution_id, {})[value] = n
        ranked = sorted(tally, key=lambda c: (
            -stats.StatementResult(agree=tally[c].get(1, 0), disagree=tally[c].get(-1, 0),
                                   passed=tally[c].get(0, 0)).agreement,
            -sum(tally[c].values())))
        wanted.update(ranked[:2 * top])  # room for some hidden since they got votes
        if len(ranked) < top:
            wanted.update(db.session.scalars(
                select(Contribution.id).where(Contribution.question_id == source_id, visible,
                                              Contribution.id.not_in(ranked) if ranked
                                              else true())
                .order_by(Contribution.created_at.desc()).limit(top - len(ranked))))
    found = {}
    if wanted:
        for idea in db.session.scalars(select(Contribution).where(
                Contribution.id.in_(wanted), Contribution.question_id.in_(list(sources)),
                visible)):
            found.setdefault(sources[idea.question_id], []).append(idea)
    return found


def _statements(question, rows, ideas) -> list[OptionResult]:
    counts: dict[str, dict[int, int]] = {}
    for option_id, contribution_id, value, n, _sum in rows:
        key = f"o{option_id}" if option_id else f"c{contribution_id}"
        counts.setdefault(key, {})[value] = n
    items = [OptionResult(f"o{o.id}", o.text) for o in _options(question)]
    items += [OptionResult(f"c{c.id}", c.text, c.language) for c in ideas]
    for item in items:
        tally = counts.get(item.key, {})
        item.statement = stats.StatementResult(agree=tally.get(1, 0),
                                               disagree=tally.get(-1, 0),
                                               passed=tally.get(0, 0))
        item.count = item.statement.total
        item.share = item.statement.agree_share
        item.score = item.statement.agreement
    return sorted(items, key=lambda i: (-i.score, -i.count))


def _ranks(question, rows) -> list[OptionResult]:
    options = _options(question)
    items = {o.id: OptionResult(f"o{o.id}", o.text) for o in options}
    if question.setting("mode") == "dots":
        for option_id, _c, _value, _n, total in rows:
            if option_id in items:
                items[option_id].score = int(total or 0)
                items[option_id].count += _n
        grand = sum(i.score for i in items.values())
        for item in items.values():
            item.share = item.score / grand if grand else 0.0
    else:
        n_ranked = min(int(question.setting("top_n", 3)), len(options))
        places: dict[int, dict[int, int]] = {}
        for option_id, _c, value, n, _sum in rows:
            places.setdefault(option_id, {})[value] = n
        scores = stats.borda_scores(places, n_ranked)
        firsts = stats.first_place_counts(places)
        for option_id, item in items.items():
            item.score = scores.get(option_id, 0)
            item.first = firsts.get(option_id, 0)
            item.count = sum(places.get(option_id, {}).values())
        top = max((i.score for i in items.values()), default=0)
        for item in items.values():
            item.share = item.score / top if top else 0.0
    return sorted(items.values(), key=lambda i: (-i.score, -i.first))


def _choices(question, rows, respondents) -> list[OptionResult]:
    items = {o.id: OptionResult(f"o{o.id}", o.text) for o in _options(question)}
    for option_id, _c, _value, n, _sum in rows:
        if option_id in items:
            items[option_id].count += n
    for item in items.values():
        item.share = item.count / respondents if respondents else 0.0
    return list(items.values())


def _scale(rows) -> tuple[list[OptionResult], float | None]:
    counts = {value: n for _o, _c, value, n, _s in rows}
    total = sum(counts.values())
    items = [OptionResult(str(v), str(v), count=counts.get(v, 0),
                          share=counts.get(v, 0) / total if total else 0.0) for v in range(1, 6)]
    mean = sum(v * n for v, n in counts.items()) / total if total else None
    return items, mean


# --- equity -----------------------------------------------------------------------------------

@dataclass
class EquityRow:
    label: str  # an age band code or an area name; "" = not said
    participants: int | None  # None: suppressed (fewer than MIN_GROUP)
    answered: int | None  # participants who gave at least one answer
    scale_means: dict[int, float | None] = field(default_factory=dict)  # question id → mean
    hidden_too: bool = False  # suppressed although not small: see stats.suppress_breakdown


def equity(consultation: Consultation, dimension: str) -> list[EquityRow]:
    """Participation by age band or by area, next to each other. Cells with fewer than
    MIN_GROUP participants are suppressed everywhere they are shown or exported."""
    if dimension == "age":
        column, labels = Participant.age_band, {}
    else:
        column = Participant.area_id
        labels = {a.id: a.name for a in consultation.areas}
    question_ids = select(Question.id).where(Question.consultation_id == consultation.id)
    answered = union(
        select(Vote.participant_id.label("pid")).where(Vote.question_id.in_(question_ids)),
        select(Contribution.participant_id.label("pid"))
        .where(Contribution.question_id.in_(question_ids)),
    ).subquery()
    rows = db.session.execute(
        select(column, func.count(Participant.id), func.count(answered.c.pid))
        .select_from(Participant)
        .outerjoin(answered, answered.c.pid == Participant.id)
        .where(Participant.consultation_id == consultation.id)
        .group_by(column)).all()
    found = {key: (n, int(a or 0)) for key, n, a in rows}
    scale_ids = [q.id for q in consultation.result_questions() if q.kind == QuestionKind.SCALE]
    means: dict = {}
    if scale_ids:
        for key, question_id, mean, n in db.session.execute(
                select(column, Vote.question_id, func.avg(Vote.value), func.count())
                .join(Participant, Participant.id == Vote.participant_id)
                .where(Vote.question_id.in_(scale_ids))
                .group_by(column, Vote.question_id)):
            means.setdefault(key, {})[question_id] = (float(mean), n)
    if dimension == "area":
        # A place young people chose that has since been unticked on the consultation keeps
        # its row, so that every participant is counted once (as by age).
        unticked = [key for key in found if key is not None and key not in labels]
        if unticked:
            labels.update(sorted(db.session.execute(
                select(Area.id, Area.name).where(Area.id.in_(unticked))).all(),
                key=lambda row: row[1].casefold()))
    keys = list(labels) if dimension == "area" else ["-12", "13-15", "16-19", "20-"]
    keys = [*keys, None] if found.get(None, (0, 0))[0] else keys
    # The page shows the number of participants too: one hidden cell alone could be worked
    # out from it, so suppress_breakdown hides a second one then.
    counts = [found.get(key, (0, 0))[0] for key in keys]
    shown_counts = stats.suppress_breakdown(counts, MIN_GROUP)
    scale_means = {key: {} for key in keys}
    for qid in scale_ids:
        answers = [means.get(key, {}).get(qid, (None, 0))[1] for key in keys]
        # A mean of fewer than MIN_GROUP answers is suppressed like any small cell, and so is
        # the mean of a hidden group. The overall mean is on the page too: with one group's
        # mean hidden alone it could be worked out from the others, so a second one goes.
        shown_answers = stats.suppress_breakdown(
            answers, MIN_GROUP, hidden=[shown is None for shown in shown_counts])
        for key, shown, n in zip(keys, shown_counts, shown_answers, strict=True):
            found_mean = means.get(key, {}).get(qid)
            scale_means[key][qid] = None if shown is None or n is None or found_mean is None \
                else found_mean[0]
    result = []
    for key, shown in zip(keys, shown_counts, strict=True):
        n, a = found.get(key, (0, 0))
        label = labels.get(key, key) if dimension == "area" else (key or "")
        result.append(EquityRow(
            label or "", shown,
            stats.suppress_small(a, MIN_GROUP) if shown is not None else None,
            scale_means[key] if shown else {},
            hidden_too=shown is None and n >= MIN_GROUP))
    return result


def participant_count(consultation: Consultation) -> int:
    return db.session.scalar(select(func.count()).where(
        Participant.consultation_id == consultation.id)) or 0


# --- opinion groups ---------------------------------------------------------------------------

@dataclass
class OpinionMap:
    question: Question
    labels: dict  # statement key → text (dict or str) for the template
    result: object  # opinion_groups.OpinionGroups or opinion_groups.TooLittleData
    points: list = field(default_factory=list)  # (x, y, group) inside the SVG box


def opinion_groups_for(consultation: Consultation) -> list[OpinionMap]:
    """Polis-style opinion groups for each statement question: the participant × statement
    vote matrix from one query, reduced and clustered in numpy."""
    import numpy as np

    from app.results import opinion_groups

    maps = []
    for question in consultation.active_questions():
        if question.kind != QuestionKind.STATEMENT:
            continue
        rows = db.session.execute(
            select(Vote.participant_id, Vote.option_id, Vote.contribution_id, Vote.value)
            .where(Vote.question_id == question.id)).all()
        keys = sorted({f"o{o}" if o else f"c{c}" for _p, o, c, _v in rows})
        people = sorted({p for p, *_ in rows})
        column = {key: j for j, key in enumerate(keys)}
        row_of = {pid: i for i, pid in enumerate(people)}
        matrix = np.full((len(people), len(keys)), np.nan)
        for pid, option_id, contribution_id, value in rows:
            key = f"o{option_id}" if option_id else f"c{contribution_id}"
            matrix[row_of[pid], column[key]] = value
        labels = {f"o{o.id}": o.text for o in question.options}
        idea_ids = [int(k[1:]) for k in keys if k.startswith("c")]
        if idea_ids:
            for idea in db.session.scalars(select(Contribution).where(
                    Contribution.id.in_(idea_ids))):
                labels[f"c{idea.id}"] = idea.text
        result = opinion_groups.compute(matrix, people, keys)
        points = [] if isinstance(result, opinion_groups.TooLittleData) else \
            opinion_groups.svg_points(result)
        maps.append(OpinionMap(question, labels, result, points))
    return maps
