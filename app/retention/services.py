"""Apply each consultation's retention setting (default 12 months after closing): delete the
participants, their ideas and votes (and with them reads and push subscriptions) and the
redaction originals in the audit log; keep the aggregated results (archived on the
consultation first) and the published youth priorities with their frozen figures. Safe to run
daily from cron: a consultation is handled once."""
import calendar
from datetime import datetime

from sqlalchemy import and_, delete, or_, select

from app.audit.services import forget_original_texts, record
from app.consultations.models import Consultation, Status
from app.core.time import utcnow
from app.extensions import db
from app.participate.models import Contribution, Participant


def add_months(moment: datetime, months: int) -> datetime:
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def closed_moment(consultation: Consultation) -> datetime | None:
    return consultation.closed_at or consultation.closes_at


def due(now: datetime | None = None) -> list[Consultation]:
    """Closed ones, and open ones whose closing time has passed: those ended on their own
    (phones say so) without anyone pressing Close, and are kept no longer for it."""
    now = now or utcnow()
    candidates = db.session.scalars(select(Consultation).where(
        or_(Consultation.status.in_((Status.CLOSED, Status.FEEDBACK_GIVEN)),
            and_(Consultation.status == Status.OPEN, Consultation.closes_at <= now)),
        Consultation.raw_data_deleted_at.is_(None),
        or_(Consultation.closed_at.is_not(None), Consultation.closes_at.is_not(None))))
    return [c for c in candidates
            if add_months(closed_moment(c), c.retention_months) <= now]


IDEA_PLACEHOLDER = "(idea by a participant, text deleted)"


def archive(consultation: Consultation) -> dict:
    """The aggregated results, without any text a young person wrote: idea rows go, and an
    approved idea that was voted on as a statement keeps its tally but not its words."""
    from app.results import exports

    written = set(db.session.scalars(select(Contribution.text).join(Participant).where(
        Participant.consultation_id == consultation.id)))
    sheets = exports.sheets(consultation, "sv")
    results = [row[:2] + [IDEA_PLACEHOLDER if row[2] in written else row[2]] + row[3:]
               for row in sheets["results"] if row[1] != "idea"]
    return {"results": results, "equity": sheets["equity"]}


def apply(now: datetime | None = None) -> list[tuple[Consultation, int]]:
    """Returns the consultations handled and how many participants each had."""
    from app.push import services as push

    now = now or utcnow()
    done = []
    for consultation in due(now):
        if consultation.status == Status.OPEN:  # ended by its closing time: closed then
            consultation.status = Status.FEEDBACK_GIVEN if consultation.feedback_given_at \
                else Status.CLOSED
            consultation.closed_at = consultation.closes_at
        consultation.results_archive = archive(consultation)
        participant_ids = list(db.session.scalars(select(Participant.id).where(
            Participant.consultation_id == consultation.id)))
        contribution_ids = [str(i) for i in db.session.scalars(select(Contribution.id).where(
            Contribution.participant_id.in_(participant_ids)))] if participant_ids else []
        forget_original_texts(contribution_ids, why="removed_by_retention")
        push.forget(participant_ids)
        db.session.execute(delete(Participant).where(
            Participant.consultation_id == consultation.id))
        consultation.raw_data_deleted_at = now
        record("retention.applied", obj=consultation, participants=len(participant_ids),
               months=consultation.retention_months)
        done.append((consultation, len(participant_ids)))
    db.session.flush()
    return done
