"""The portfolio's logic: initiatives, links from youth priorities, the overview with the
unanswered priorities, and A/B/C decision rounds. No request objects here."""
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.audit.services import record
from app.coalition.models import ChallengeArea, Organisation
from app.core.errors import Conflict, DomainError, Forbidden, NotFound
from app.core.roles import Role
from app.core.text import TextError, check_text, one_newline
from app.core.time import utcnow
from app.extensions import db
from app.portfolio.models import (
    Choice,
    DecisionRound,
    DecisionVote,
    Initiative,
    InitiativeStatus,
    PortfolioPriority,
    PortfolioTerm,
    PriorityLink,
    Vocabulary,
)

WITH_DETAILS = (selectinload(Initiative.terms), selectinload(Initiative.challenge_areas),
                selectinload(Initiative.partners), selectinload(Initiative.owner))


class Invalid(DomainError):
    """A form value the portfolio cannot accept; `code` says which."""


# The longest texts the forms take (their inputs' maxlength is the same). A longer text is
# refused with the limit, never cut: a cut title or vote comment says something else.
TITLE_MAX = 200
DESCRIPTION_MAX = 4000
NAME_MAX = 100  # of an entry in the lists an admin extends
TEXT_MAX = 4000  # what a decision round decides, what C asks to change, a vote's comment


# --- lists an admin extends -----------------------------------------------------------------

def terms(vocabulary: str) -> list[PortfolioTerm]:
    return list(db.session.scalars(select(PortfolioTerm).where(
        PortfolioTerm.vocabulary == vocabulary).order_by(PortfolioTerm.position,
                                                         PortfolioTerm.id)))


def challenge_areas() -> list[ChallengeArea]:
    return list(db.session.scalars(select(ChallengeArea).order_by(ChallengeArea.position,
                                                                  ChallengeArea.id)))


def slug(text: str) -> str:
    table = str.maketrans("åäöéü", "aaoeu")
    # A key made from the name, not the name (that is kept whole in `names`): cut to what
    # the key column holds.
    return re.sub(r"[^a-z0-9]+", "_", text.lower().translate(table)).strip("_")[:50]


def _names(names: dict) -> dict:
    """An entry's names as typed, one per language: Swedish needed, each within NAME_MAX."""
    names = {k: v.strip() for k, v in names.items() if v and v.strip()}
    if not names.get("sv"):
        raise Invalid("name")
    if any(len(name) > NAME_MAX for name in names.values()):
        raise Invalid("name_long")
    try:
        for name in names.values():
            check_text(name, multiline=False)  # challenge areas are shown to young people
    except TextError:
        raise Invalid("text") from None
    return names


def term_or_404(vocabulary: str, term_id: int) -> PortfolioTerm | ChallengeArea:
    if vocabulary == "challenge_area":
        term = db.session.get(ChallengeArea, term_id)
    else:
        term = db.session.get(PortfolioTerm, term_id)
        if term is not None and term.vocabulary != vocabulary:
            term = None
    if term is None:
        raise NotFound("term")
    return term


def rename_term(user, vocabulary: str, term: PortfolioTerm | ChallengeArea,
                names: dict) -> None:
    """New names (a translation added, a typo fixed); the key, and so every initiative,
    consultation and exported file that uses the entry, stays."""
    names = _names(names)
    if names == term.names:
        return
    term.names = names
    record("portfolio.term_renamed", actor=user, obj=term, vocabulary=vocabulary,
           key=term.key, languages=sorted(names))


def add_term(user, vocabulary: str, names: dict) -> PortfolioTerm | ChallengeArea:
    names = _names(names)
    key = slug(names.get("en") or names["sv"]) or "term"
    if vocabulary == "challenge_area":
        if db.session.scalar(select(ChallengeArea.id).where(ChallengeArea.key == key)):
            raise Invalid("exists")
        last = db.session.scalar(select(func.max(ChallengeArea.position))) or 0
        term = ChallengeArea(key=key, names=names, position=last + 1)
    else:
        if vocabulary not in set(Vocabulary):
            raise Invalid("vocabulary")
        if db.session.scalar(select(PortfolioTerm.id).where(
                PortfolioTerm.vocabulary == vocabulary, PortfolioTerm.key == key)):
            raise Invalid("exists")
        last = db.session.scalar(select(func.max(PortfolioTerm.position)).where(
            PortfolioTerm.vocabulary == vocabulary)) or 0
        term = PortfolioTerm(vocabulary=vocabulary, key=key, names=names, position=last + 1)
    db.session.add(term)
    db.session.flush()
    record("portfolio.term_added", actor=user, obj=term, vocabulary=vocabulary, key=key)
    return term


def get_or_create_term(vocabulary: str, key: str, names: dict, position: int = 0):
    term = db.session.scalar(select(PortfolioTerm).where(
        PortfolioTerm.vocabulary == vocabulary, PortfolioTerm.key == key))
    if term is None:
        term = PortfolioTerm(vocabulary=vocabulary, key=key, names=names, position=position)
        db.session.add(term)
        db.session.flush()
    return term


# --- initiatives ----------------------------------------------------------------------------

@dataclass
class InitiativeData:
    title: dict
    description: dict
    status: str
    owner_id: int | None
    term_ids: list[int]
    challenge_area_ids: list[int]
    partner_ids: list[int]
    starts_on: date | None
    ends_on: date | None


def initiatives() -> list[Initiative]:
    return list(db.session.scalars(select(Initiative).options(*WITH_DETAILS)
                                   .order_by(Initiative.created_at, Initiative.id)))


def initiative_or_404(initiative_id: int) -> Initiative:
    found = db.session.get(Initiative, initiative_id, options=WITH_DETAILS)
    if found is None:
        raise NotFound("initiative")
    return found


def initiative_fingerprint(initiative: Initiative) -> str:
    """What the edit form was filled with, as a short digest: sent back with the form, it
    tells whether someone saved the initiative since (another tab, a colleague, a decision
    round that moved it to *decided*), so that saving does not put the older values back."""
    from app.consultations.services import fingerprint

    return fingerprint({
        "title": initiative.title, "description": initiative.description,
        "status": initiative.status, "owner": initiative.owner_id,
        "terms": sorted(t.id for t in initiative.terms),
        "areas": sorted(a.id for a in initiative.challenge_areas),
        "partners": sorted(o.id for o in initiative.partners),
        "dates": [initiative.starts_on, initiative.ends_on]})


def save_initiative(user, initiative: Initiative | None, data: InitiativeData) -> Initiative:
    title = {k: v.strip() for k, v in data.title.items() if v and v.strip()}
    description = {k: v.strip() for k, v in data.description.items() if v and v.strip()}
    if not title.get("sv"):
        raise Invalid("title")
    if any(len(text) > TITLE_MAX for text in title.values()):
        raise Invalid("title_long")
    if any(len(text) > DESCRIPTION_MAX for text in description.values()):
        raise Invalid("description_long")
    try:
        for text in (*title.values(), *description.values()):
            check_text(text)
    except TextError:
        raise Invalid("text") from None
    if data.status not in set(InitiativeStatus):
        raise Invalid("status")
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise Invalid("dates")
    if data.owner_id is not None and db.session.get(Organisation, data.owner_id) is None:
        raise Invalid("owner")  # not one of the list's (a page from before it was removed)
    created = initiative is None
    if created:
        initiative = Initiative()
        db.session.add(initiative)
    initiative.title, initiative.description = title, description
    initiative.status = data.status
    initiative.owner_id = data.owner_id
    initiative.starts_on, initiative.ends_on = data.starts_on, data.ends_on
    initiative.terms = _by_ids(PortfolioTerm, data.term_ids)
    initiative.challenge_areas = _by_ids(ChallengeArea, data.challenge_area_ids)
    initiative.partners = _by_ids(Organisation, data.partner_ids)
    db.session.flush()
    record("initiative.created" if created else "initiative.updated", actor=user,
           obj=initiative, title=title["sv"], status=initiative.status)
    return initiative


def _by_ids(model, ids: list[int]) -> list:
    if not ids:
        return []
    return list(db.session.scalars(select(model).where(model.id.in_(ids))))


# --- imported priorities and links ----------------------------------------------------------

def priority_or_404(priority_id: int) -> PortfolioPriority:
    found = db.session.get(PortfolioPriority, priority_id, options=(
        selectinload(PortfolioPriority.links).selectinload(PriorityLink.initiative),))
    if found is None:
        raise NotFound("priority")
    return found


def imported_as(priority_ids: list[int]) -> dict[int, PortfolioPriority]:
    """This server's youth priorities (by id) as the portfolio holds them, with the
    initiatives they are linked to: the youth priorities page shows where each one went."""
    if not priority_ids:
        return {}
    return {found.priority_id: found for found in db.session.scalars(
        select(PortfolioPriority).where(PortfolioPriority.priority_id.in_(priority_ids))
        .options(selectinload(PortfolioPriority.links).selectinload(PriorityLink.initiative)))}


def source_of(user, priority: PortfolioPriority) -> tuple[int, int] | None:
    """(consultation id, priority id) of a priority imported from this server, when `user`
    may see that consultation: its page links back to the youth priorities it came from."""
    from app.consultations.access import visible_consultations
    from app.consultations.models import Consultation
    from app.results.models import Priority

    if priority.priority_id is None:
        return None
    consultations = visible_consultations(user).with_only_columns(Consultation.id)
    consultation_id = db.session.scalar(
        select(Priority.consultation_id).where(Priority.id == priority.priority_id,
                                               Priority.consultation_id.in_(consultations)))
    return (consultation_id, priority.priority_id) if consultation_id else None


def link(user, priority: PortfolioPriority, initiative: Initiative) -> bool:
    if any(li.initiative_id == initiative.id for li in priority.links):
        return False
    priority.links.append(PriorityLink(initiative_id=initiative.id, created_by_id=user.id))
    db.session.flush()
    record("portfolio.linked", actor=user, obj=priority, initiative=initiative.uuid,
           priority=priority.uuid)
    return True


def unlink(user, priority: PortfolioPriority, initiative_id: int) -> bool:
    """Returns False when there was no such link (removed in another tab, say)."""
    removed = False
    for existing in list(priority.links):
        if existing.initiative_id == initiative_id:
            priority.links.remove(existing)
            record("portfolio.unlinked", actor=user, obj=priority, initiative_id=initiative_id)
            removed = True
    db.session.flush()
    return removed


def proposal_from(priority: PortfolioPriority) -> dict[str, list[str]]:
    """The new-initiative form filled in from a youth priority (nothing is saved until the
    core team saves the form): its title and summary, "proposed", its challenge areas."""
    values = {f"title_{code}": [text] for code, text in priority.title.items()}
    values |= {f"description_{code}": [text] for code, text in priority.summary.items()}
    codes = set(priority.challenge_areas)
    values["challenge_area"] = [str(a.id) for a in challenge_areas() if a.key in codes]
    values["status"] = [InitiativeStatus.PROPOSED.value]
    return values


@dataclass
class Overview:
    unanswered: list[PortfolioPriority]
    by_initiative: dict[int, list[PortfolioPriority]]
    initiatives: list[Initiative]
    areas: list[tuple[ChallengeArea, list[Initiative], list[PortfolioPriority]]]
    without_area: list[Initiative]
    imported: int
    withdrawn: set[int]  # ids of imported priorities the youth leaders have since unpublished


def overview() -> Overview:
    """Everything on the overview page in a fixed number of queries."""
    all_initiatives = initiatives()
    by_initiative: dict[int, list[PortfolioPriority]] = {i.id: [] for i in all_initiatives}
    for link_row, priority in db.session.execute(
            select(PriorityLink, PortfolioPriority)
            .join(PortfolioPriority, PriorityLink.priority_id == PortfolioPriority.id)
            .order_by(PortfolioPriority.imported_at, PortfolioPriority.id)):
        by_initiative.setdefault(link_row.initiative_id, []).append(priority)
    unanswered = list(db.session.scalars(
        select(PortfolioPriority)
        .where(~select(PriorityLink.priority_id)
               .where(PriorityLink.priority_id == PortfolioPriority.id).exists())
        .order_by(PortfolioPriority.imported_at, PortfolioPriority.id)))
    areas = []
    for area in challenge_areas():
        items = [i for i in all_initiatives if area in i.challenge_areas]
        behind = {p.id: p for i in items for p in by_initiative[i.id]}
        areas.append((area, items, list(behind.values())))
    imported = db.session.scalar(select(func.count(PortfolioPriority.id))) or 0
    return Overview(unanswered=unanswered, by_initiative=by_initiative,
                    initiatives=all_initiatives, areas=areas,
                    without_area=[i for i in all_initiatives if not i.challenge_areas],
                    imported=imported, withdrawn=withdrawn())


def withdrawn(priority: PortfolioPriority | None = None) -> set[int]:
    """Imported priorities of this server that the youth leaders have unpublished since:
    the young people no longer see them, nor what the portfolio did with them. (A priority
    from another server's file cannot be followed.)"""
    from app.results.models import Priority, PriorityStatus

    query = (select(PortfolioPriority.id)
             .join(Priority, Priority.id == PortfolioPriority.priority_id)
             .where(Priority.status == PriorityStatus.DRAFT))
    if priority is not None:
        query = query.where(PortfolioPriority.id == priority.id)
    return set(db.session.scalars(query))


def days_waiting(since: datetime | None, now: datetime | None = None) -> int:
    if since is None:
        return 0
    return max(0, ((now or utcnow()) - since).days)


def priorities_of(initiative: Initiative) -> list[PortfolioPriority]:
    return list(db.session.scalars(
        select(PortfolioPriority).join(PriorityLink)
        .where(PriorityLink.initiative_id == initiative.id)
        .order_by(PortfolioPriority.imported_at, PortfolioPriority.id)))


def consultations_behind(priorities: list[PortfolioPriority]) -> list[int]:
    """The consultations on this server that imported priorities came from: an update about
    the initiative they answer concerns those consultations' participants."""
    from app.results.models import Priority

    ids = [p.priority_id for p in priorities if p.priority_id is not None]
    if not ids:
        return []
    return list(db.session.scalars(select(Priority.consultation_id).distinct()
                                   .where(Priority.id.in_(ids))
                                   .order_by(Priority.consultation_id)))


# --- decisions ------------------------------------------------------------------------------

# A tie goes to the more cautious choice: nothing is approved without more votes for it.
CAUTION = {Choice.REJECT: 0, Choice.APPROVE_IF_CHANGED: 1, Choice.APPROVE: 2}


def outcome_of(votes: list[DecisionVote]) -> str | None:
    counts = Counter(v.choice for v in votes)
    if not counts:
        return None
    return max(counts, key=lambda c: (counts[c], -CAUTION[Choice(c)]))


def rounds(initiative: Initiative) -> list[DecisionRound]:
    return list(db.session.scalars(
        select(DecisionRound).where(DecisionRound.initiative_id == initiative.id)
        .options(selectinload(DecisionRound.votes).selectinload(DecisionVote.user)
                 .selectinload(User.organisation),
                 selectinload(DecisionRound.chair).selectinload(User.organisation))
        .order_by(DecisionRound.opened_at.desc(), DecisionRound.id.desc())))


def is_open(round_: DecisionRound, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return round_.closed_at is None and not (round_.closes_at and round_.closes_at <= now)


def open_round(user, initiative: Initiative, proposal: str,
               closes_at: datetime | None) -> DecisionRound:
    close_due_rounds()
    if any(is_open(r) for r in rounds(initiative)):
        raise Conflict("open round")
    if closes_at and closes_at <= utcnow():
        raise Invalid("closes_at")
    # one_newline: the page's maxlength counts a line break once, the browser sends CR LF.
    proposal = one_newline(proposal).strip()
    if not proposal:
        raise Invalid("proposal")  # each vote answers it: A, B or C
    if len(proposal) > TEXT_MAX:
        raise Invalid("proposal_long")
    try:
        check_text(proposal, multiline=True)
    except TextError:
        raise Invalid("text") from None
    round_ = DecisionRound(initiative_id=initiative.id, proposal=proposal,
                           chair_id=user.id, closes_at=closes_at)
    db.session.add(round_)
    if initiative.status == InitiativeStatus.IDEA:
        initiative.status = InitiativeStatus.PROPOSED
    db.session.flush()
    record("decision.opened", actor=user, obj=round_, initiative=initiative.uuid)
    return round_


def vote(user, round_: DecisionRound, choice: str, *, changes: str = "",
         comment: str = "") -> DecisionVote:
    if user.role not in (Role.CORE_TEAM, Role.ADMIN):
        raise Forbidden("only the core team votes")
    if not is_open(round_):
        raise Conflict("closed")
    if choice not in set(Choice):
        raise Invalid("choice")
    changes = one_newline(changes).strip()
    comment = one_newline(comment).strip()
    if choice == Choice.APPROVE_IF_CHANGED and not changes:
        raise Invalid("changes")
    if choice != Choice.APPROVE_IF_CHANGED and changes:
        # Kept only with C: saved with A or B, the text someone wrote vanished unsaid.
        raise Invalid("changes_not_c")
    if choice == Choice.APPROVE_IF_CHANGED and len(changes) > TEXT_MAX:  # else not kept
        raise Invalid("changes_long")
    if len(comment) > TEXT_MAX:
        raise Invalid("comment_long")
    try:
        for text in (changes, comment):
            if text:
                check_text(text, multiline=True)
    except TextError:
        raise Invalid("text") from None
    existing = next((v for v in round_.votes if v.user_id == user.id), None)
    if existing is None:
        existing = DecisionVote(user_id=user.id)
        round_.votes.append(existing)
    existing.choice = choice
    existing.changes = changes if choice == Choice.APPROVE_IF_CHANGED else ""
    existing.comment = comment
    db.session.flush()
    record("decision.voted", actor=user, obj=round_, choice=choice)
    return existing


def check_may_close(user, round_: DecisionRound) -> None:
    """Raise unless `user` may close the round now (before asking them to confirm, too)."""
    if round_.closed_at is not None:
        raise Conflict("closed")
    if user is not None and user.role != Role.ADMIN and user.id != round_.chair_id:
        raise Forbidden("only the chair closes")


def close_round(user, round_: DecisionRound) -> None:
    check_may_close(user, round_)
    _close(round_, user)


def _close(round_: DecisionRound, user) -> None:
    round_.closed_at = min(utcnow(), round_.closes_at) if round_.closes_at else utcnow()
    round_.outcome = outcome_of(round_.votes)
    initiative = round_.initiative
    if round_.outcome in (Choice.APPROVE, Choice.APPROVE_IF_CHANGED) and initiative.status in (
            InitiativeStatus.IDEA, InitiativeStatus.PROPOSED):
        initiative.status = InitiativeStatus.DECIDED
    db.session.flush()
    record("decision.closed", actor=user, obj=round_, outcome=round_.outcome,
           votes=len(round_.votes), by_date=user is None)


def close_due_rounds() -> int:
    """Rounds whose closing date has passed get their outcome (called by pages and the API)."""
    due = list(db.session.scalars(
        select(DecisionRound).where(DecisionRound.closed_at.is_(None),
                                    DecisionRound.closes_at <= utcnow())
        .options(selectinload(DecisionRound.votes))))
    for round_ in due:
        _close(round_, None)
    return len(due)


def latest_outcomes(initiative_ids: list[int]) -> dict[int, DecisionRound]:
    """The newest closed round of each initiative."""
    found: dict[int, DecisionRound] = {}
    if initiative_ids:
        for round_ in db.session.scalars(
                select(DecisionRound).where(DecisionRound.initiative_id.in_(initiative_ids),
                                            DecisionRound.closed_at.is_not(None))
                .order_by(DecisionRound.closed_at)):
            found[round_.initiative_id] = round_
    return found


def organisations() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))
