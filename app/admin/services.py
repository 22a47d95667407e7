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
