"""Authoring consultations: details, questions and options, opening and closing, copies.

Plain arguments in, values out; the caller commits. No answer is ever lost: an option or a
question that young people have answered is archived (hidden from them, kept for the
results), never deleted, and an option's text is changed in place so its votes stay with it."""
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import segno
from sqlalchemy import exists, func, select, union
from sqlalchemy.orm import selectinload

from app.audit.services import record
from app.coalition.models import Area, ChallengeArea
from app.consultations import codes
from app.consultations.access import visible_consultations
from app.consultations.models import (
    Consultation,
    Option,
    Question,
    QuestionKind,
    Status,
)
from app.core.errors import Conflict, DomainError
from app.core.text import filled
from app.core.time import utcnow
from app.extensions import db
from app.i18n import DEFAULT, LANGUAGES, Language
from app.participate.models import Contribution, Participant, Vote

KINDS_WITH_OPTIONS = (QuestionKind.CHOICE, QuestionKind.RANK, QuestionKind.STATEMENT)
RANK_MODES = ("order", "dots")


class CannotOpen(DomainError):
    """`code` says what is missing or wrong: "no_title", "no_questions" or "closes_passed"."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# --- multilingual texts ----------------------------------------------------------------------

def texts(values: dict[str, str | None]) -> dict[str, str]:
    """A multilingual text as it is stored: {"sv": …, "en": …}, only languages with text."""
    return filled({code: value for code, value in values.items() if code in LANGUAGES})


def missing_languages(stored: dict | None) -> list[Language]:
    """The UI languages a text is not yet written in; none for a text that is not used."""
    if not stored or not any(stored.values()):
        return []
    return [lang for lang in LANGUAGES.values() if not stored.get(lang.code)]


def fingerprint(stored) -> str:
    """A short digest of what an edit form was filled with. Sent back with the form, it
    tells whether someone else saved the same object since (another tab, another youth
    leader), so their change is not overwritten unseen."""
    raw = json.dumps(stored, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def question_fingerprint(question: Question) -> str:
    return fingerprint({"prompt": question.prompt, "help": question.help,
                        "settings": question.settings,
                        "options": [(o.id, o.text, o.archived_at is None)
                                    for o in sorted(question.options, key=lambda o: o.id)]})


# --- the list ----------------------------------------------------------------------------------

@dataclass
class ConsultationRow:
    consultation: Consultation
    participants: int


def list_for(user) -> list[ConsultationRow]:
    """The consultations `user` may see, newest first, with their number of participants
    counted in the same query."""
    query = (
        visible_consultations(user)
        .add_columns(func.count(Participant.id))
        .outerjoin(Participant, Participant.consultation_id == Consultation.id)
        .group_by(Consultation.id)
        .options(selectinload(Consultation.organisation))
        .order_by(Consultation.created_at.desc(), Consultation.id.desc())
    )
    return [ConsultationRow(consultation, count)
            for consultation, count in db.session.execute(query)]


# --- areas and challenge areas to choose from --------------------------------------------

@dataclass
class AreaGroup:
    label: str  # "Malmö – Rosengård"; empty for places at the top of the tree
    areas: list[Area]


def area_groups(chosen: Iterable[int] = ()) -> list[AreaGroup]:
    """The places young people go to (the leaves of the area tree: schools, clubs), grouped
    under their municipality and district, and the places already `chosen` for the
    consultation (a municipality chosen before its schools were added: not offered, it was
    dropped by the next save of the details). One query."""
    areas = db.session.scalars(select(Area)).all()
    by_id = {area.id: area for area in areas}
    parents = {area.parent_id for area in areas}
    chosen = set(chosen)
    groups: dict[str, list[Area]] = {}
    for area in areas:
        if area.id in parents and area.id not in chosen:
            continue
        path, parent = [], by_id.get(area.parent_id)
        while parent is not None:
            path.append(parent.name)
            parent = by_id.get(parent.parent_id)
        groups.setdefault(" – ".join(reversed(path)), []).append(area)
    return [AreaGroup(label, sorted(members, key=lambda a: a.name))
            for label, members in sorted(groups.items())]


def challenge_areas() -> list[ChallengeArea]:
    return list(db.session.scalars(select(ChallengeArea).order_by(ChallengeArea.position)))


# --- creating and editing --------------------------------------------------------------------

@dataclass
class ConsultationDetails:
    """What a youth leader fills in about a consultation. Times are aware datetimes."""

    title: dict[str, str]
    intro: dict[str, str]
    area_ids: list[int]
    challenge_area_ids: list[int]
    opens_at: datetime | None
    closes_at: datetime | None
    moderation: str
    retention_months: int | None = None  # None: keep as it is (12 months for a new one)


def _code_in_use(code: str, *, except_id: int | None = None) -> bool:
    """Whether another open consultation has this code (codes are unique among open ones)."""
    query = select(exists().where(Consultation.join_code == code,
                                  Consultation.status == Status.OPEN,
                                  Consultation.id != (except_id or 0)))
    return bool(db.session.scalar(query))


def fresh_code() -> str:
    """A code no consultation has had, open or not, so an old poster on a wall never leads
    to a new consultation."""
    while True:
        code = codes.new_code()
        if not db.session.scalar(select(exists().where(Consultation.join_code == code))):
            return code


def _as_utc(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC) if moment else None


def _apply(consultation: Consultation, details: ConsultationDetails) -> list[str]:
    """Set the details; returns the names of what changed, for the audit log."""
    areas = list(db.session.scalars(select(Area).where(Area.id.in_(details.area_ids))))
    challenges = list(db.session.scalars(
        select(ChallengeArea).where(ChallengeArea.id.in_(details.challenge_area_ids))))
    new = {
        "title": texts(details.title),
        "intro": texts(details.intro),
        "opens_at": _as_utc(details.opens_at),
        "closes_at": _as_utc(details.closes_at),
        "moderation": details.moderation,
    }
    if details.retention_months is not None:
        new["retention_months"] = details.retention_months
    changed = [name for name, value in new.items() if getattr(consultation, name) != value]
    for name, value in new.items():
        setattr(consultation, name, value)
    if {a.id for a in consultation.areas} != {a.id for a in areas}:
        changed.append("areas")
        consultation.areas = areas
    if {c.id for c in consultation.challenge_areas} != {c.id for c in challenges}:
        changed.append("challenge_areas")
        consultation.challenge_areas = challenges
    return changed


def create(actor, details: ConsultationDetails) -> Consultation:
    """A new draft of the actor's organisation, with a fresh join code."""
    consultation = Consultation(organisation_id=actor.organisation_id, status=Status.DRAFT,
                                join_code=fresh_code(), title={}, intro={})
    _apply(consultation, details)
    db.session.add(consultation)
    db.session.flush()
    record("consultation.created", actor=actor, obj=consultation,
           code=consultation.join_code)
    return consultation


def update(actor, consultation: Consultation, details: ConsultationDetails) -> None:
    _settle_ended_with_feedback(consultation)
    changed = _apply(consultation, details)
    db.session.flush()
    if changed:
        record("consultation.edited", actor=actor, obj=consultation, changed=changed)


# --- questions and options ---------------------------------------------------------------------

def idea_questions(consultation: Consultation, *, besides: Question | None = None):
    """Idea questions whose approved ideas a statement question may show."""
    return [q for q in consultation.active_questions()
            if q.kind == QuestionKind.IDEA and q is not besides]


def _settings(kind: str, raw: dict, consultation: Consultation,
              question: Question | None) -> dict:
    """Settings exactly as the participant side reads them."""
    if kind == QuestionKind.RANK:
        mode = raw.get("mode") if raw.get("mode") in RANK_MODES else "order"
        return {"mode": mode, "top_n": int(raw.get("top_n") or 3),
                "dots": int(raw.get("dots") or 5)}
    if kind == QuestionKind.CHOICE:
        return {"multiple": bool(raw.get("multiple"))}
    if kind == QuestionKind.STATEMENT:
        source = raw.get("source_question_id")
        allowed = {q.id for q in idea_questions(consultation, besides=question)}
        return {"source_question_id": source} if source in allowed else {}
    return {}


def _save_options(question: Question, rows: list[tuple[int | None, dict]]) -> None:
    """rows: (id of an existing option or None, its texts), in the order to show them.

    An existing option is changed in place, so the votes on it stay with it. Rows without
    any text are ignored; removing an option goes through remove_option."""
    current = {o.id: o for o in question.options if o.archived_at is None}
    position = 0
    for option_id, raw in rows:
        text = texts(raw)
        option = current.pop(option_id, None) if option_id is not None else None
        if option is not None:
            if text and text != option.text:
                option.text = text
        elif text:
            option = Option(text=text)
            question.options.append(option)
        else:
            continue
        option.position = position
        position += 1
    for option in current.values():  # not on the form: keep it, after the others
        option.position = position
        position += 1


def add_question(actor, consultation: Consultation, kind: str, *, prompt: dict, help: dict,
                 settings: dict, options: list[tuple[int | None, dict]]) -> Question:
    kind = QuestionKind(kind)
    position = max((q.position for q in consultation.questions), default=0) + 1
    question = Question(kind=kind, position=position, prompt=texts(prompt), help=texts(help),
                        settings=_settings(kind, settings, consultation, None))
    consultation.questions.append(question)
    if kind in KINDS_WITH_OPTIONS:
        _save_options(question, options)
    db.session.flush()
    record("question.added", actor=actor, obj=question, consultation_id=consultation.id,
           kind=str(kind))
    return question


def update_question(actor, question: Question, *, prompt: dict, help: dict, settings: dict,
                    options: list[tuple[int | None, dict]]) -> None:
    question.prompt = texts(prompt)
    question.help = texts(help)
    question.settings = _settings(question.kind, settings, question.consultation, question)
    if question.kind in KINDS_WITH_OPTIONS:
        _save_options(question, options)
    db.session.flush()
    record("question.edited", actor=actor, obj=question,
           consultation_id=question.consultation_id)


def move_question(actor, question: Question, direction: str) -> None:
    """Swap the question with its nearest active neighbour ("up" or "down")."""
    ordered = sorted(question.consultation.questions, key=lambda q: (q.position, q.id))
    active = [q for q in ordered if q.archived_at is None]
    index = active.index(question)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(active):
        return
    other = active[other_index]
    a, b = ordered.index(question), ordered.index(other)
    ordered[a], ordered[b] = other, question
    for position, each in enumerate(ordered, start=1):
        each.position = position
    db.session.flush()
    record("question.moved", actor=actor, obj=question, direction=direction,
           consultation_id=question.consultation_id)


def changes_meaning(question: Question, settings: dict) -> bool:
    """Whether `settings` would change how the question's stored answers read: a ranking's
    mode (places or dots) and a choice's "more than one" may not change once answered."""
    now = question.settings or {}
    changed = ("mode" in settings and settings["mode"] != now.get("mode", "order")) or (
        "multiple" in settings and bool(settings["multiple"]) != bool(now.get("multiple")))
    return changed and answer_counts([question.id]).get(question.id, 0) > 0


def answer_counts(question_ids: list[int]) -> dict[int, int]:
    """question id → how many participants answered it (votes or texts), in one query."""
    if not question_ids:
        return {}
    pairs = union(
        select(Vote.question_id, Vote.participant_id).where(Vote.question_id.in_(question_ids)),
        select(Contribution.question_id, Contribution.participant_id)
        .where(Contribution.question_id.in_(question_ids)),
    ).subquery()
    return dict(db.session.execute(
        select(pairs.c.question_id, func.count()).group_by(pairs.c.question_id)).all())


def option_answer_counts(option_ids: list[int]) -> dict[int, int]:
    """option id → number of votes on it (one per participant)."""
    if not option_ids:
        return {}
    # A vote on an option carries the option's question: filtering on it too lets the
    # database use ix_votes_question_option instead of reading every vote.
    questions = select(Option.question_id).where(Option.id.in_(option_ids))
    return dict(db.session.execute(
        select(Vote.option_id, func.count())
        .where(Vote.question_id.in_(questions), Vote.option_id.in_(option_ids))
        .group_by(Vote.option_id)).all())


def remove_question(actor, question: Question) -> str:
    """Archive a question that has answers, delete one that has none. Returns which.

    The check is made here, at the moment of removing, so answers given while the youth
    leader looked at the confirmation page are not lost either."""
    consultation = question.consultation
    if answer_counts([question.id]):
        question.archived_at = utcnow()
        db.session.flush()
        record("question.archived", actor=actor, obj=question, consultation_id=consultation.id)
        return "archived"
    record("question.deleted", actor=actor, obj=question, consultation_id=consultation.id,
           kind=question.kind, prompt=question.prompt)
    for other in consultation.questions:  # statement questions that showed its ideas
        if other.setting("source_question_id") == question.id:
            other.settings = {k: v for k, v in other.settings.items()
                              if k != "source_question_id"}
    consultation.questions.remove(question)
    db.session.flush()
    return "deleted"


def remove_option(actor, option: Option) -> str:
    """Archive an option that has votes, delete one that has none. Returns which."""
    question = option.question
    if option_answer_counts([option.id]):
        option.archived_at = utcnow()
        db.session.flush()
        record("option.archived", actor=actor, obj=option, question_id=question.id)
        return "archived"
    record("option.deleted", actor=actor, obj=option, question_id=question.id,
           text=option.text)
    question.options.remove(option)
    db.session.flush()
    return "deleted"


# --- opening, closing, copying -----------------------------------------------------------------

def open_consultation(actor, consultation: Consultation) -> str | None:
    """Draft or closed → open. Returns the old code when the code had to change because
    another open consultation uses it now; else None.

    Once a "you said, we did" update has been published for it, a consultation that has
    closed stays closed, whenever the update was published: before its close too (then it
    moved to "closed" and not "feedback given" before 2026-12, so the status alone does not
    say it)."""
    if consultation.status not in (Status.DRAFT, Status.CLOSED):
        raise Conflict("not draft or closed")
    if consultation.feedback_given_at is not None:
        raise Conflict("feedback given")
    if not consultation.title.get(DEFAULT):
        raise CannotOpen("no_title")
    if not consultation.active_questions():
        raise CannotOpen("no_questions")
    if consultation.closes_at is not None and consultation.closes_at <= utcnow():
        raise CannotOpen("closes_passed")  # open, it would take no answers: phones say ended
    reopening = consultation.status == Status.CLOSED
    old_code = None
    if _code_in_use(consultation.join_code, except_id=consultation.id):
        old_code, consultation.join_code = consultation.join_code, fresh_code()
    consultation.status = Status.OPEN
    consultation.closed_at = None
    db.session.flush()
    details = {"code": consultation.join_code}
    if old_code:
        details["old_code"] = old_code
    record("consultation.reopened" if reopening else "consultation.opened", actor=actor,
           obj=consultation, **details)
    return old_code


def close_consultation(actor, consultation: Consultation) -> None:
    if consultation.status != Status.OPEN:
        raise Conflict("not open")
    # An update published while it was open is its feedback: closed, it has been given (as
    # for an update published after closing), so it is not opened again.
    consultation.status = Status.FEEDBACK_GIVEN if consultation.feedback_given_at \
        else Status.CLOSED
    consultation.closed_at = utcnow()
    db.session.flush()
    record("consultation.closed", actor=actor, obj=consultation)


def _settle_ended_with_feedback(consultation: Consultation) -> None:
    """An open consultation whose closing time has passed, with an update published before
    that, has ended with its feedback given: it is that now, so moving its closing time later
    does not open it again (as it would not for one whose update came after its end)."""
    if consultation.status == Status.OPEN and consultation.feedback_given_at is not None \
            and consultation.closes_at is not None and consultation.closes_at <= utcnow():
        consultation.status = Status.FEEDBACK_GIVEN
        consultation.closed_at = consultation.closes_at


def duplicate(actor, original: Consultation) -> Consultation:
    """A new draft with the same details, questions and options (not archived ones), to use
    as a template. Nothing young people gave is copied."""
    copy = Consultation(
        organisation_id=original.organisation_id, status=Status.DRAFT, join_code=fresh_code(),
        title=dict(original.title), intro=dict(original.intro or {}),
        moderation=original.moderation, retention_months=original.retention_months,
        areas=list(original.areas),
        challenge_areas=list(original.challenge_areas),
    )
    db.session.add(copy)
    pairs = []
    for position, question in enumerate(original.active_questions(), start=1):
        new = Question(kind=question.kind, position=position, prompt=dict(question.prompt),
                       help=dict(question.help or {}), settings=dict(question.settings or {}))
        new.options = [Option(position=o.position, text=dict(o.text))
                       for o in question.options if o.archived_at is None]
        copy.questions.append(new)
        pairs.append((question, new))
    db.session.flush()
    new_ids = {old.id: new.id for old, new in pairs}
    for _old, new in pairs:  # a statement question shows the ideas of the copied question
        source = new.settings.get("source_question_id")
        if source is not None:
            settings = {k: v for k, v in new.settings.items() if k != "source_question_id"}
            if source in new_ids:
                settings["source_question_id"] = new_ids[source]
            new.settings = settings
    db.session.flush()
    record("consultation.duplicated", actor=actor, obj=copy, source_id=original.id,
           code=copy.join_code)
    return copy


def delete_draft(actor, consultation: Consultation) -> None:
    """Delete a draft (a duplicate made by a double submit, say). Only a draft: an open or
    closed consultation holds young people's answers, which are never deleted here. The
    status is checked at the moment of deleting, so a draft opened meanwhile is kept."""
    if consultation.status != Status.DRAFT:
        raise Conflict("not a draft")
    record("consultation.deleted", actor=actor, obj=consultation,
           code=consultation.join_code, title=consultation.title,
           organisation_id=consultation.organisation_id)
    db.session.delete(consultation)
    db.session.flush()


# --- sharing -----------------------------------------------------------------------------------

def qr_svg(url: str, *, title: str) -> str:
    """The QR code as inline SVG, sized by CSS (viewBox, no width/height), with a title for
    screen readers. Error correction M survives a poster with some wear."""
    return segno.make(url, error="m").svg_inline(
        scale=4, dark="#000", light="#fff", omitsize=True, svgclass="qr", title=title)
