""""You said, we did": writing and publishing updates, showing them to the participants of
the consultations they concern, and the journey of each young person's idea."""
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy import update as sql_update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.audit.services import record
from app.consultations.access import visible_consultations
from app.consultations.models import Consultation, Status
from app.core.errors import Conflict, DomainError, NotFound
from app.core.roles import Role
from app.core.text import TextError, check_text, filled, one_newline
from app.core.time import utcnow
from app.extensions import db
from app.feedback.models import (
    FeedbackRead,
    FeedbackStatus,
    FeedbackUpdate,
    feedback_consultations,
)
from app.participate.models import Contribution, ContributionStatus, Participant

# The longest title and text the form takes (its inputs' maxlength is the same); a longer
# one is refused, never cut.
TITLE_MAX = 120
BODY_MAX = 2000


class Invalid(DomainError):
    pass


# --- staff ----------------------------------------------------------------------------------

def may_use_initiatives(user) -> bool:
    return user.role in (Role.CORE_TEAM, Role.ADMIN)


def _visible(user):
    """Leaders: updates on their organisation's consultations or written by them. The core
    team and admins: all of them."""
    query = select(FeedbackUpdate).options(selectinload(FeedbackUpdate.consultations),
                                           selectinload(FeedbackUpdate.initiative))
    if user.role == Role.YOUTH_LEADER:
        own = select(feedback_consultations.c.feedback_id).join(
            Consultation, Consultation.id == feedback_consultations.c.consultation_id).where(
            Consultation.organisation_id == user.organisation_id)
        query = query.where(FeedbackUpdate.id.in_(own) | (FeedbackUpdate.author_id == user.id))
    return query


def visible_updates(user) -> list[FeedbackUpdate]:
    return list(db.session.scalars(_visible(user).order_by(
        FeedbackUpdate.status, FeedbackUpdate.published_at.desc(),
        FeedbackUpdate.created_at.desc())))


def update_or_404(user, update_id: int) -> FeedbackUpdate:
    """One update, if this user may see it: one row fetched, not all they may see."""
    found = db.session.scalar(_visible(user).where(FeedbackUpdate.id == update_id))
    if found is None:
        raise NotFound("feedback")
    return found


def may_edit(user, update: FeedbackUpdate) -> bool:
    return update.id in editable(user, [update])


def editable(user, updates: list[FeedbackUpdate]) -> set[int]:
    """The ids of the updates this user may edit, with one query however many there are."""
    if user.role in (Role.ADMIN, Role.CORE_TEAM):
        return {u.id for u in updates}
    allowed = set(db.session.scalars(visible_consultations(user).with_only_columns(
        Consultation.id)))
    return {u.id for u in updates if u.author_id == user.id or (
        bool(u.consultations) and all(c.id in allowed for c in u.consultations))}


def choosable_consultations(user) -> list[Consultation]:
    """Consultations an update may concern: not drafts, and for leaders their own."""
    return list(db.session.scalars(visible_consultations(user).where(
        Consultation.status != Status.DRAFT).order_by(Consultation.created_at.desc())))


def kept_consultations(user, update: FeedbackUpdate | None) -> list[Consultation]:
    """The update's consultations that are not on this editor's form (for a youth leader,
    another organisation's that the core team added): saving keeps them as they are."""
    if update is None:
        return []
    choosable = {c.id for c in choosable_consultations(user)}
    return [c for c in update.consultations if c.id not in choosable]


def save(user, update: FeedbackUpdate | None, *, title: dict, body: dict,
         consultation_ids: list[int], initiative_id: int | None) -> FeedbackUpdate:
    title = filled(title)
    body = filled({k: one_newline(v) for k, v in body.items() if v})
    if not title.get("sv"):
        raise Invalid("title")
    if not body.get("sv"):
        raise Invalid("body")
    if any(len(text) > TITLE_MAX for text in title.values()):
        raise Invalid("title_long")
    if any(len(text) > BODY_MAX for text in body.values()):
        raise Invalid("body_long")
    try:  # every participant reads it, and it goes out as a push notification
        for text in (*title.values(), *body.values()):
            check_text(text)
    except TextError:
        raise Invalid("text") from None
    allowed = {c.id: c for c in choosable_consultations(user)}
    # The editor adds or removes only the consultations they can choose; the others stay
    # (a leader's form lacks those of other organisations, and saving it removed them).
    chosen = [allowed[i] for i in dict.fromkeys(consultation_ids) if i in allowed] \
        + kept_consultations(user, update)
    if not chosen:
        raise Invalid("consultations")
    choosing = may_use_initiatives(user)
    if choosing and initiative_id is not None:
        from app.portfolio.models import Initiative

        if db.session.get(Initiative, initiative_id) is None:
            raise Invalid("initiative")  # not one of the list's
    if update is None:
        update = FeedbackUpdate(author_id=user.id)
        db.session.add(update)
    elif update.status == FeedbackStatus.PUBLISHED or not _still_draft(update):
        raise Conflict("published")
    update.title, update.body, update.consultations = title, body, chosen
    if choosing:  # a youth leader's edit keeps the initiative the core team chose
        update.initiative_id = initiative_id
    db.session.flush()
    record("feedback.saved", actor=user, obj=update, title=title["sv"])
    return update


def _still_draft(update: FeedbackUpdate) -> bool:
    """Whether the update is a draft in the database, not only as this request read it (a
    colleague's Publish may have committed since). The no-op UPDATE also holds the row until
    this transaction ends, so a Publish pressed meanwhile waits for this save."""
    return db.session.execute(
        sql_update(FeedbackUpdate).where(FeedbackUpdate.id == update.id,
                                         FeedbackUpdate.status == FeedbackStatus.DRAFT)
        .values(status=FeedbackStatus.DRAFT)
        .execution_options(synchronize_session=False)).rowcount == 1


def delete_draft(user, update: FeedbackUpdate) -> None:
    """Delete a draft nobody has read. A published update stays: the young people have seen
    it, and it was pushed to their phones. The audit log keeps what it said and which
    consultations it was about (so a tab still open on it can say it was deleted)."""
    if update.status == FeedbackStatus.PUBLISHED:
        raise Conflict("published")
    record("feedback.deleted", actor=user, obj=update, title=update.title,
           consultations=[c.id for c in update.consultations], author_id=update.author_id)
    # Only if it is still a draft in the database: a colleague's Publish may have committed
    # since this request read it (the row is locked, then checked again, by the DELETE).
    deleted = db.session.execute(
        delete(FeedbackUpdate).where(FeedbackUpdate.id == update.id,
                                     FeedbackUpdate.status == FeedbackStatus.DRAFT)
        .execution_options(synchronize_session=False))
    if deleted.rowcount != 1:
        raise Conflict("published")
    db.session.expunge(update)


def deleted_for(user, update_id: int) -> bool:
    """Whether this draft existed and was deleted where this user could have seen it (one of
    their organisation's consultations, or written by them). Anyone else's, or one never
    there, stays a "page not found"."""
    from app.audit.models import AuditEvent

    if db.session.get(FeedbackUpdate, update_id) is not None:
        return False
    events = db.session.scalars(select(AuditEvent.details).where(
        AuditEvent.action == "feedback.deleted", AuditEvent.object_type == "feedback_updates",
        AuditEvent.object_id == str(update_id))).all()
    if not events:
        return False
    if user.role != Role.YOUTH_LEADER:
        return True
    own = set(db.session.scalars(visible_consultations(user).with_only_columns(
        Consultation.id)))
    return any((details or {}).get("author_id") == user.id
               or own & set((details or {}).get("consultations") or [])
               for details in events)


def publish(user, update: FeedbackUpdate) -> int:
    """Publish, move the consultations to "feedback given", and queue one push job per
    subscribed device in the same transaction. Returns how many pushes were queued."""
    from app.push import services as push

    if update.status == FeedbackStatus.PUBLISHED:
        raise Conflict("published")
    now = utcnow()
    # Only if it is still a draft in the database: two Publish presses at once (two tabs, a
    # colleague) or a Delete committed since this request read it publish nothing more.
    published = db.session.execute(
        sql_update(FeedbackUpdate).where(FeedbackUpdate.id == update.id,
                                         FeedbackUpdate.status == FeedbackStatus.DRAFT)
        .values(status=FeedbackStatus.PUBLISHED, published_at=now)
        .execution_options(synchronize_session=False))
    if published.rowcount != 1:
        raise Conflict("published")
    set_committed_value(update, "status", FeedbackStatus.PUBLISHED)  # as stored now
    set_committed_value(update, "published_at", now)
    for consultation in update.consultations:
        if consultation.feedback_given_at is None:
            consultation.feedback_given_at = now
        if _ended(consultation, now):
            consultation.status = Status.FEEDBACK_GIVEN
    db.session.flush()
    queued = push.enqueue(update)
    record("feedback.published", actor=user, obj=update, pushes=queued,
           consultations=[c.id for c in update.consultations])
    return queued


def _ended(consultation: Consultation, now: datetime) -> bool:
    """Closed, or open with its closing time passed (phones say it has ended; the follow-up
    counts it closed from then)."""
    return consultation.status == Status.CLOSED or (
        consultation.status == Status.OPEN and consultation.closes_at is not None
        and consultation.closes_at <= now)


def waiting_days(consultation: Consultation, now: datetime | None = None) -> int | None:
    """Days an ended consultation has waited for its first feedback; None if not waiting."""
    now = now or utcnow()
    if consultation.feedback_given_at is not None or not _ended(consultation, now):
        return None
    closed = consultation.closed_at or consultation.closes_at
    if closed is None:
        return None
    return max(0, (now - closed).days)


# --- participants ---------------------------------------------------------------------------

def published_for_consultation(consultation_id: int) -> list[FeedbackUpdate]:
    return list(db.session.scalars(
        select(FeedbackUpdate).join(feedback_consultations)
        .where(feedback_consultations.c.consultation_id == consultation_id,
               FeedbackUpdate.status == FeedbackStatus.PUBLISHED)
        .order_by(FeedbackUpdate.published_at.desc(), FeedbackUpdate.id.desc())))


@dataclass
class Feed:
    """A device's updates, newest first, and which it has not seen yet."""

    updates: list[FeedbackUpdate] = field(default_factory=list)
    unread: set[int] = field(default_factory=set)
    consultation_of: dict[int, int] = field(default_factory=dict)  # update → consultation


def feed(participants: list[Participant]) -> Feed:
    if not participants:
        return Feed()
    by_consultation = {p.consultation_id: p for p in participants}
    rows = db.session.execute(_PUBLISHED_FOR, {"ids": list(by_consultation)}).all()
    result = Feed()
    for update, consultation_id in rows:
        if update.id not in result.consultation_of:
            result.updates.append(update)
            result.consultation_of[update.id] = consultation_id
    read = set(db.session.scalars(_READ_BY, {"ids": [p.id for p in participants]}))
    result.unread = {u.id for u in result.updates} - read
    return result


# /me sends these on every visit; built once, as the participant pages' statements are
# (app/participate/cache.py says why).
_PUBLISHED_FOR = (
    select(FeedbackUpdate, feedback_consultations.c.consultation_id)
    .join(feedback_consultations)
    .where(feedback_consultations.c.consultation_id.in_(bindparam("ids", expanding=True)),
           FeedbackUpdate.status == FeedbackStatus.PUBLISHED)
    .order_by(FeedbackUpdate.published_at.desc(), FeedbackUpdate.id.desc()))
_READ_BY = select(FeedbackRead.feedback_id).where(
    FeedbackRead.participant_id.in_(bindparam("ids", expanding=True)))


def unread_count(device_hash: str) -> int:
    """How many published updates this phone has not seen yet (one query): the start page
    and the 'ended' page point a returning young person to them."""
    mine = select(Participant.id, Participant.consultation_id).where(
        Participant.device_hash == device_hash).subquery()
    seen = select(FeedbackRead.feedback_id).where(
        FeedbackRead.participant_id.in_(select(mine.c.id))).scalar_subquery()
    return db.session.scalar(
        select(func.count(func.distinct(FeedbackUpdate.id)))
        .join(feedback_consultations)
        .join(mine, mine.c.consultation_id == feedback_consultations.c.consultation_id)
        .where(FeedbackUpdate.status == FeedbackStatus.PUBLISHED,
               FeedbackUpdate.id.not_in(seen))) or 0


def mark_read(participants: list[Participant], updates: list[FeedbackUpdate]) -> None:
    """Remember that this device saw the updates (one row per participant and update)."""
    if not participants or not updates:
        return
    ids = [p.id for p in participants]
    have = set(db.session.execute(select(FeedbackRead.participant_id, FeedbackRead.feedback_id)
                                  .where(FeedbackRead.participant_id.in_(ids))).all())
    links = db.session.execute(select(feedback_consultations).where(
        feedback_consultations.c.feedback_id.in_([u.id for u in updates]))).all()
    by_consultation = {p.consultation_id: p.id for p in participants}
    new = set()
    for feedback_id, consultation_id in links:
        participant_id = by_consultation.get(consultation_id)
        if participant_id and (participant_id, feedback_id) not in have:
            new.add((participant_id, feedback_id))
    if new:
        # The same phone may open the page twice at once (a double tap, two tabs): the
        # other request's rows are no error.
        insert = (pg_insert if db.session.get_bind().dialect.name == "postgresql"
                  else sqlite_insert)(FeedbackRead).on_conflict_do_nothing()
        db.session.execute(insert, [{"participant_id": participant_id, "feedback_id": feedback_id}
                                    for participant_id, feedback_id in sorted(new)])


# --- the journey of an idea -----------------------------------------------------------------

@dataclass
class Step:
    kind: str  # received, waiting, published, merged, not_published, theme, priority,
    #            portfolio, initiative, decision
    text: str = ""  # a theme or initiative name, a priority's title (already localised)
    lang: str = ""  # the language `text` (or `reason`) is in, when known
    number: int | None = None  # the priority's rank
    outcome: str | None = None  # A, B, C
    reason: str = ""


@cache  # /me sends it on every visit: built once (app/participate/cache.py says why)
def _priorities_of_ideas():
    from app.results.models import Priority, PriorityStatus, priority_contributions

    ideas = bindparam("ids", expanding=True)
    return (select(priority_contributions.c.contribution_id, Priority)
            .join(Priority, Priority.id == priority_contributions.c.priority_id)
            .where(priority_contributions.c.contribution_id.in_(ideas),
                   Priority.status == PriorityStatus.PUBLISHED)
            .order_by(Priority.position))


def journeys(contributions: list[Contribution], locale: str) -> dict[int, list[Step]]:
    """For each idea: how far it has come, in a fixed number of queries."""
    from app.i18n import text_in
    from app.portfolio.models import DecisionRound, Initiative, PortfolioPriority, PriorityLink
    from app.results.models import Priority, PriorityStatus

    ideas = [c for c in contributions if c.question.kind == "idea"]
    if not ideas:
        return {}
    # An idea merged into another counts with it.
    counted_as = {c.id: c.merged_into_id or c.id for c in ideas}
    priority_rows = db.session.execute(_priorities_of_ideas(),
                                       {"ids": list(set(counted_as.values()))}).all()
    priorities_of: dict[int, list[Priority]] = {}
    for contribution_id, priority in priority_rows:
        priorities_of.setdefault(contribution_id, []).append(priority)
    priority_ids = {p.id for _, p in priority_rows}
    # The number a young person sees is the priority's place in the published list beside it
    # ("What young people said matters most"), not its position among the leader's drafts.
    number: dict[int, int] = {}
    if priority_rows:
        consultation_ids = {p.consultation_id for _, p in priority_rows}
        so_far: dict[int, int] = {}
        for priority_id, consultation_id in db.session.execute(
                select(Priority.id, Priority.consultation_id)
                .where(Priority.consultation_id.in_(consultation_ids),
                       Priority.status == PriorityStatus.PUBLISHED)
                .order_by(Priority.position, Priority.id)):
            so_far[consultation_id] = number[priority_id] = so_far.get(consultation_id, 0) + 1
    imported = {pp.priority_id: pp for pp in db.session.scalars(select(PortfolioPriority).where(
        PortfolioPriority.priority_id.in_(priority_ids)))} if priority_ids else {}
    links: dict[int, list[Initiative]] = {}
    if imported:
        for link, initiative in db.session.execute(
                select(PriorityLink, Initiative).join(Initiative)
                .where(PriorityLink.priority_id.in_([pp.id for pp in imported.values()]))
                .order_by(Initiative.id)):
            links.setdefault(link.priority_id, []).append(initiative)
    initiative_ids = {i.id for items in links.values() for i in items}
    decisions: dict[int, DecisionRound] = {}
    reasons: dict[int, FeedbackUpdate] = {}
    if initiative_ids:
        for round_ in db.session.scalars(select(DecisionRound).where(
                DecisionRound.initiative_id.in_(initiative_ids),
                DecisionRound.outcome.is_not(None)).order_by(DecisionRound.closed_at)):
            decisions[round_.initiative_id] = round_
        for update in db.session.scalars(select(FeedbackUpdate).where(
                FeedbackUpdate.initiative_id.in_(initiative_ids),
                FeedbackUpdate.status == FeedbackStatus.PUBLISHED)
                .order_by(FeedbackUpdate.published_at)):
            decided = decisions.get(update.initiative_id)
            # The reason is what the core team said after deciding; an earlier update ("we
            # decide in March") or one about an earlier round does not explain this decision.
            if decided is not None and update.published_at >= decided.closed_at:
                reasons[update.initiative_id] = update

    result = {}
    for idea in ideas:
        steps = [Step("received")]
        if idea.status == ContributionStatus.PENDING:
            steps.append(Step("waiting"))
        elif idea.status in (ContributionStatus.HIDDEN, ContributionStatus.REJECTED):
            steps.append(Step("not_published"))
        else:
            # A duplicate's own words are not shown to anyone: it counts with the idea it
            # was put together with, and follows that one from here.
            steps.append(Step("merged" if idea.status == ContributionStatus.MERGED
                              else "published"))
            if idea.theme is not None:
                steps.append(Step("theme", text=idea.theme.name))
            for priority in priorities_of.get(counted_as[idea.id], []):
                title, lang = text_in(priority.title, locale)
                steps.append(Step("priority", text=title, lang=lang, number=number[priority.id]))
                portfolio = imported.get(priority.id)
                if portfolio is None:
                    continue
                steps.append(Step("portfolio"))
                for initiative in links.get(portfolio.id, []):
                    name, lang = text_in(initiative.title, locale)
                    steps.append(Step("initiative", text=name, lang=lang))
                    round_ = decisions.get(initiative.id)
                    if round_ is not None:
                        reason = reasons.get(initiative.id)
                        said, lang = text_in(reason.title if reason else None, locale)
                        steps.append(Step("decision", outcome=round_.outcome, reason=said,
                                          lang=lang))
        result[idea.id] = steps
    return result
