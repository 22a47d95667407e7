from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.coalition.models import Organisation
from app.extensions import db


def list_users() -> list[User]:
    return list(db.session.scalars(
        select(User).options(joinedload(User.organisation)).order_by(User.email)
    ))


def list_organisations() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))


def audit_events(limit: int = 200, action: str | None = None):
    """The newest audit events with their actors, for administrators."""
    from app.audit.models import AuditEvent

    query = select(AuditEvent, User.email).outerjoin(User, User.id == AuditEvent.actor_id)
    if action:
        query = query.where(AuditEvent.action == action)
    return db.session.execute(query.order_by(AuditEvent.id.desc()).limit(limit)).all()
