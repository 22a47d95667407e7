"""Youth priorities: a ranked list a youth leader curates from the consultation's ideas and
results, publishes to the participants, and the core team imports into the portfolio."""
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import selectinload

from app.audit.services import record
from app.consultations.models import Consultation, Question, Status
from app.core.errors import DomainError
from app.core.text import TextError, check_text, filled
from app.core.time import utcnow
from app.extensions import db
from app.participate.models import Contribution, ContributionStatus, Participant, Vote
from app.results import stats
from app.results.models import Priority, PriorityStatus
from app.results.services import MIN_GROUP


class PriorityInvalid(DomainError):
    """`code`: title (no Swedish title), title_long, summary_long, text (a character that
    cannot be stored), published (a published priority cannot be deleted)."""


TITLE_MAX = 200  # as the form's maxlength; a longer text is refused, never cut
SUMMARY_MAX = 2000


def for_consultation(consultation_id: int, published_only: bool = False,
                     with_ideas: bool = False) -> list[Priority]:
    """`with_ideas`: their supporting ideas too, in one more query (the priorities page
    counts them for every priority)."""
    query = select(Priority).where(Priority.consultation_id == consultation_id)
    if with_ideas:
        query = query.options(selectinload(Priority.contributions))
    if published_only:
        query = query.where(Priority.status == PriorityStatus.PUBLISHED)
    return list(db.session.scalars(query.order_by(Priority.position, Priority.id)))


def published_for(consultation_ids: list[int]) -> dict[int, list[Priority]]:
    found: dict[int, list[Priority]] = {cid: [] for cid in consultation_ids}
    if consultation_ids:
        for priority in db.session.scalars(_PUBLISHED, {"ids": list(consultation_ids)}):
            found[priority.consultation_id].append(priority)
    return found


# The thank-you page and /me send it on every visit; built once, as the participant pages'
# statements are (app/participate/cache.py says why).
_PUBLISHED = (select(Priority)
              .where(Priority.consultation_id.in_(bindparam("ids", expanding=True)),
                     Priority.status == PriorityStatus.PUBLISHED)
              .order_by(Priority.position, Priority.id))


def supportable_ideas(consultation: Consultation) -> list[Contribution]:
    """Published ideas of the consultation, grouped by theme for the leader to choose from."""
    return list(db.session.scalars(
        select(Contribution).join(Question, Contribution.question_id == Question.id)
        .options(selectinload(Contribution.theme))
        .where(Question.consultation_id == consultation.id,
               Contribution.status == ContributionStatus.APPROVED,
               Question.kind == "idea")
        .order_by(Contribution.theme_id.is_(None), Contribution.theme_id,
                  Contribution.created_at)))


def save(user, consultation: Consultation, priority: Priority | None, *, title: dict,
         summary: dict, idea_ids: list[int]) -> Priority:
    title, summary = filled(title), filled(summary)
    if not title.get("sv"):
        raise PriorityInvalid("title")
    if any(len(text) > TITLE_MAX for text in title.values()):
        raise PriorityInvalid("title_long")
    if any(len(text) > SUMMARY_MAX for text in summary.values()):
        raise PriorityInvalid("summary_long")
    try:  # participants read it, and it travels to other servers' portfolios
        for text in (*title.values(), *summary.values()):
            check_text(text)
    except TextError:
        raise PriorityInvalid("text") from None
    allowed = {c.id: c for c in supportable_ideas(consultation)}
    before = _content(priority) if priority is not None else None
    if priority is None:
        last = db.session.scalar(select(func.max(Priority.position)).where(
            Priority.consultation_id == consultation.id)) or 0
        priority = Priority(consultation_id=consultation.id, position=last + 1)
        db.session.add(priority)
    priority.title = title
    priority.summary = summary
    priority.contributions = _chosen(allowed, idea_ids)
    db.session.flush()
    record("priority.saved", actor=user, obj=priority, title=title.get("sv"))
    if priority.status == PriorityStatus.PUBLISHED and _content(priority) != before:
        # The young people see the change at once; the portfolio, and other servers' imports
        # of the exported file, only see a newer version (an unchanged revision is skipped).
        publish(user, priority)
    return priority


def _chosen(allowed: dict[int, Contribution], idea_ids: list[int]) -> list[Contribution]:
    """The published ideas ticked, in order, once each. A form filled in before an idea was
    merged still ticks the duplicate: its support goes to the idea kept, as the merge did."""
    unknown = [i for i in idea_ids if i not in allowed]
    kept = dict(db.session.execute(select(Contribution.id, Contribution.merged_into_id).where(
        Contribution.id.in_(unknown), Contribution.status == ContributionStatus.MERGED)).all()
    ) if unknown else {}
    chosen: dict[int, Contribution] = {}
    for i in idea_ids:
        if (idea := allowed.get(i) or allowed.get(kept.get(i))) is not None:
            chosen.setdefault(idea.id, idea)
    return list(chosen.values())


def left_out(priority: Priority, idea_ids: list[int]) -> int:
    """How many of the ideas ticked a save left out: deleted or hidden since the form was
    filled in (a merged one counts for the idea kept, which the priority has)."""
    have = {c.id for c in priority.contributions}
    missing = {i for i in idea_ids if i not in have}
    if not missing:
        return 0
    followed = set(db.session.scalars(select(Contribution.id).where(
        Contribution.id.in_(missing), Contribution.merged_into_id.in_(have))))
    return len(missing - followed)


def only_moderated(before: set[int], now: set[int]) -> bool:
    """Whether a priority's ideas went from `before` to `now` by moderation alone, not by
    another save: ideas deleted since (their author deleted their data) and duplicates
    merged, whose link moved to the idea kept."""
    gone, came = before - now, now - before
    if not gone:
        return not came
    merged_into = dict(db.session.execute(
        select(Contribution.id, Contribution.merged_into_id).where(Contribution.id.in_(gone))
    ).all())
    if any(into is None for into in merged_into.values()):
        return False  # it is still there: someone took it out
    return came <= set(merged_into.values())


def _content(priority: Priority) -> tuple:
    return (dict(priority.title), dict(priority.summary),
            {c.id for c in priority.contributions})


def figures(priority: Priority) -> dict:
    """Participants, votes and agreement behind a priority; small counts suppressed."""
    ids = [c.id for c in priority.contributions]
    participants = db.session.scalar(select(func.count(Participant.id)).where(
        Participant.consultation_id == priority.consultation_id)) or 0
    supporters = 0
    agree = disagree = 0
    if ids:
        supporters = len(ids) + (db.session.scalar(select(func.count(Contribution.id)).where(
            Contribution.merged_into_id.in_(ids))) or 0)
        for value, n in db.session.execute(
                select(Vote.value, func.count()).where(Vote.contribution_id.in_(ids))
                .group_by(Vote.value)):
            if value == 1:
                agree = n
            elif value == -1:
                disagree = n
    # Who stands behind it, by age band: the authors and those who agreed; small cells hidden.
    backers = select(Contribution.participant_id).where(Contribution.id.in_(ids)).union(
        select(Contribution.participant_id).where(Contribution.merged_into_id.in_(ids)),
        select(Vote.participant_id).where(Vote.contribution_id.in_(ids), Vote.value == 1),
    ).subquery()
    rows = db.session.execute(
        select(Participant.age_band, func.count()).join(
            backers, backers.c.participant_id == Participant.id)
        .group_by(Participant.age_band)).all() if ids else []
    # As the results page's breakdowns: with one cell hidden, the supporters and agreeing
    # votes beside it minus the cells shown would give it back, so one more goes with it.
    breakdown = dict(zip([band or "" for band, _ in rows],
                         stats.suppress_breakdown([n for _, n in rows], MIN_GROUP),
                         strict=True))
    return {
        "participants": participants,
        "by_age": breakdown,
        "ideas": len(ids),
        "supporters": stats.suppress_small(supporters, MIN_GROUP),
        "agree": stats.suppress_small(agree, MIN_GROUP),
        "disagree": stats.suppress_small(disagree, MIN_GROUP),
        "agreement": round(stats.wilson_lower_bound(agree, agree + disagree), 3)
        if agree + disagree >= MIN_GROUP else None,
    }


def publish(user, priority: Priority) -> None:
    if db.session.get(Consultation, priority.consultation_id).status == Status.DRAFT:
        # Nobody has taken part yet: the young people have nothing to see, and the
        # portfolio must not get a youth priority from a consultation that may never run
        # (or be deleted, as a draft can be).
        raise PriorityInvalid("draft consultation")
    # Published before (now, or until it was unpublished): a portfolio may hold it, and it
    # gets today's figures, so an importer must see a newer version.
    published_before = priority.published_at is not None
    siblings = for_consultation(priority.consultation_id)
    ranked_before = _published_ranks(siblings)
    priority.figures = figures(priority)
    priority.status = PriorityStatus.PUBLISHED
    if published_before:
        priority.revision += 1
    priority.published_at = utcnow()
    _offer_new_places(siblings, ranked_before, besides=priority)
    record("priority.published", actor=user, obj=priority, revision=priority.revision)


def unpublish(user, priority: Priority) -> None:
    siblings = for_consultation(priority.consultation_id)
    ranked_before = _published_ranks(siblings)
    priority.status = PriorityStatus.DRAFT
    _offer_new_places(siblings, ranked_before, besides=priority)
    record("priority.unpublished", actor=user, obj=priority)


def _offer_new_places(siblings: list[Priority], ranked_before: dict[Priority, int],
                      besides: Priority) -> None:
    """Publishing or unpublishing one renumbers those after it for the young people: the
    portfolio is offered them as newer versions, as after a move."""
    for item, rank in _published_ranks(siblings).items():
        if item is not besides and ranked_before.get(item) != rank:
            item.revision += 1


def delete(user, priority: Priority) -> None:
    """A draft that was never published (nobody can have imported it) can go."""
    if priority.published_at is not None:
        raise PriorityInvalid("published")
    record("priority.deleted", actor=user, obj=priority, title=priority.title.get("sv", ""))
    db.session.delete(priority)
    db.session.flush()
    for position, item in enumerate(for_consultation(priority.consultation_id), start=1):
        item.position = position


def move(user, priority: Priority, direction: int, *, seen_at: int | None = None) -> bool:
    """One place up (-1) or down (1). `seen_at` is the place (from 1) the page showed it at:
    if the list has changed since (a second tap, another tab), nothing moves and False is
    returned, so a double post does not move it twice."""
    siblings = for_consultation(priority.consultation_id)
    index = siblings.index(priority)
    if seen_at is not None and seen_at != index + 1:
        return False
    other = index + direction
    if 0 <= other < len(siblings):
        ranked_before = _published_ranks(siblings)
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, item in enumerate(siblings, start=1):
            item.position = position
        for item, rank in _published_ranks(siblings).items():
            if ranked_before[item] != rank:
                # Its place in the published ranking is part of what the young people and
                # the portfolio were given: the core team is offered the new version.
                item.revision += 1
        record("priority.moved", actor=user, obj=priority, position=priority.position)
    return True


def _published_ranks(priorities: list[Priority]) -> dict[Priority, int]:
    published = [p for p in priorities if p.status == PriorityStatus.PUBLISHED]
    return {p: rank for rank, p in enumerate(published, start=1)}
