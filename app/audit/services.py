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
