from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db


def record(action: str, *, actor=None, obj=None, object_type=None, object_id=None, **details):
    """Add an audit event to the current transaction (the caller commits)."""
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_id = object_id or obj.id
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        details=details,
    )
    db.session.add(event)
    return event


def forget_original_texts(contribution_ids, *, why: str) -> None:
    """Blank what the audit log holds of these ideas' own words (a redaction's original and
    the redacted text); the event itself stays. Called wherever the ideas go (deleted from the
    phone, the retention rule): afterwards nothing could find these events by their idea."""
    ids = [str(i) for i in contribution_ids]
    if not ids:
        return
    for event in db.session.scalars(select(AuditEvent).where(
            AuditEvent.object_type == "contributions", AuditEvent.object_id.in_(ids))):
        if event.details.get("holds_original_text"):
            event.details = {why: True}

