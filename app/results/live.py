"""The live workshop view: what the projector shows and what waiting phones follow.

Phones and the projector poll a small JSON document with an ETag; when nothing changed the
answer is an empty 304, so 200 phones polling every 2 seconds cost almost nothing."""
import hashlib
import time

from sqlalchemy import func, select

from app.consultations.models import Consultation, Question, QuestionKind
from app.core.time import utcnow
from app.extensions import db
from app.participate.models import Contribution, ContributionStatus, Participant, Vote


def signature(consultation: Consultation) -> str:
    """Changes whenever anything the live view shows changes; one cheap query."""
    question_id = consultation.live_question_id or 0
    on_question = Vote.question_id == question_id
    approved = (Contribution.question_id == question_id) & (
        Contribution.status == ContributionStatus.APPROVED)
    row = db.session.execute(select(
        select(func.count(Participant.id))
        .where(Participant.consultation_id == consultation.id).scalar_subquery(),
        select(func.count(Vote.id)).where(on_question).scalar_subquery(),
        select(func.max(Vote.updated_at)).where(on_question).scalar_subquery(),
        select(func.count(Contribution.id)).where(approved).scalar_subquery(),
        select(func.max(Contribution.moderated_at)).where(approved).scalar_subquery(),
    )).one()
    raw = f"{consultation.id}:{question_id}:{consultation.status}:" + ":".join(map(str, row))
    return hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()[:20]


# A whole classroom polls this every 2 seconds. Remembering the answer for one second per
# process keeps the database out of most polls; phones still follow within 3 seconds, and
# several processes or servers stay consistent because each one re-reads every second.
_CURRENT_TTL = 1.0
_current: dict[int, tuple[float, tuple[int | None, bool] | bool]] = {}


def now_showing(consultation_id: int) -> tuple[int | None, bool] | bool:
    """(The live question's id or None, whether the consultation has ended); False if there
    is no such consultation. Ended: waiting phones go to the thank-you page, for nothing more
    will be shown."""
    now = time.monotonic()
    cached = _current.get(consultation_id)
    if cached and cached[0] > now:
        return cached[1]
    row = db.session.execute(select(
        Consultation.live_question_id, Consultation.status, Consultation.closes_at).where(
        Consultation.id == consultation_id, Consultation.status != "draft")).first()
    value = False if row is None else (
        row.live_question_id,
        row.status != "open" or (row.closes_at is not None and utcnow() >= row.closes_at))
    if len(_current) > 10_000:
        _current.clear()
    _current[consultation_id] = (now + _CURRENT_TTL, value)
    return value


def set_live_question(consultation: Consultation, question: Question | None) -> None:
    consultation.live_question_id = question.id if question else None
    _current.pop(consultation.id, None)


def live_question(consultation: Consultation) -> tuple[int, Question] | None:
    for n, question in enumerate(consultation.active_questions(), start=1):
        if question.id == consultation.live_question_id:
            return n, question
    return None


def participant_count(consultation: Consultation) -> int:
    return db.session.scalar(select(func.count(Participant.id)).where(
        Participant.consultation_id == consultation.id)) or 0


LIVE_TOP = 12  # bars a projector can show legibly


def state(consultation: Consultation, locale: str) -> dict:
    """The projector's data: join code, participants, and the current question's result."""
    from app.i18n import localized
    from app.results.services import consultation_results

    current = live_question(consultation)
    body = {"code": consultation.join_code, "participants": participant_count(consultation),
            "question": None}
    if current is None:
        return body
    n, question = current
    # Only the live question is counted, and a statement question shows its LIVE_TOP best
    # agreed: the projector polls every 2 seconds, and a city-wide consultation has thousands
    # of ideas.
    [result] = consultation_results(consultation, top=LIVE_TOP, only=question)
    item = {"n": n, "kind": question.kind, "prompt": localized(question.prompt, locale),
            "respondents": result.respondents}
    if question.kind == QuestionKind.WORD:
        item["words"] = [{"text": w, "count": c} for w, c in result.words[:40]]
    elif question.kind == QuestionKind.IDEA:
        item["ideas"] = [c.text for c in result.ideas[:8]]
    else:
        item["bars"] = [{
            "label": item_text(option, locale), "count": option.count,
            "share": round(option.share, 4), "score": option.score, "first": option.first,
            "value": bar_value(question.kind, option, locale),
        } for option in result.items if not option.removed]  # as the phones show it
    body["question"] = item
    return body


def bar_value(kind: str, option, locale: str) -> str:
    """The number beside a bar, the one its length shows: points for a ranking, the share
    who agree for a statement, how many chose it otherwise."""
    from babel.numbers import format_decimal, format_percent

    if kind == QuestionKind.RANK:
        return format_decimal(option.score, locale=locale)
    if kind == QuestionKind.STATEMENT:
        return format_percent(option.share, locale=locale)
    return format_decimal(option.count, locale=locale)


def item_text(option, locale: str) -> str:
    from app.i18n import localized

    return localized(option.text, locale) if isinstance(option.text, dict) else option.text
