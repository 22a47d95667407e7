"""Which consultations a staff member may see and change.

A youth leader works only with their own organisation's consultations; the core team and
administrators may see every one. Another organisation's consultation is answered with 404,
so its existence is not even confirmed."""
from flask import abort
from sqlalchemy import Select, select

from app.consultations.models import Consultation
from app.core.roles import Role
from app.extensions import db


def visible_consultations(user) -> Select:
    query = select(Consultation)
    if user.role == Role.YOUTH_LEADER:
        query = query.where(Consultation.organisation_id == user.organisation_id)
    return query


def may_edit(user, consultation: Consultation) -> bool:
    """Youth leaders edit and moderate their own organisation's consultations; admins all."""
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.YOUTH_LEADER and \
        consultation.organisation_id == user.organisation_id


def consultation_or_404(user, consultation_id: int, *, edit: bool = False,
                        options=()) -> Consultation:
    consultation = db.session.scalar(
        visible_consultations(user).where(Consultation.id == consultation_id).options(*options))
    if consultation is None:
        abort(404)
    if edit and not may_edit(user, consultation):
        abort(403)
    return consultation
