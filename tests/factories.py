"""Small factories for test data; each adds to the session and flushes, the test commits."""
import itertools
import time

import pyotp

from app.accounts import services as accounts
from app.coalition.models import Organisation, Sector
from app.core.roles import Role
from app.extensions import db

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


def organisation(name: str | None = None, sector: str = Sector.CIVIL_SOCIETY) -> Organisation:
    org = Organisation(name=name or f"Organisation {next(_seq)}", sector=sector)
    db.session.add(org)
    db.session.flush()
    return org


def user(role: str = "youth_leader", organisation: Organisation | None = None,
         email: str | None = None, password: str = PASSWORD, two_factor: bool | None = None):
    """A staff account. Administrators have two-factor authentication set up (it is
    required for them), others only when asked."""
    made = accounts.create_user(
        email=email or f"staff{next(_seq)}@example.org",
        role=Role(role),
        organisation=organisation or globals()["organisation"](),
        password=password,
    )
    if two_factor or (two_factor is None and role == "admin"):
        made.totp_secret = pyotp.random_base32()
    return made


def totp_code(user) -> str:
    """A code the user's authenticator app would show now that has not been used yet."""
    now = int(time.time()) // 30
    step = max(now, (user.totp_last_step or now - 1) + 1)
    return pyotp.TOTP(user.totp_secret).at(step * 30)


def demo():
    """The demo coalition and its DEMO01 consultation (one question of every kind)."""
    from app.demo import services

    made = services.load("demo password 1")
    db.session.commit()
    return made["consultation"]


def questions_by_kind(consultation) -> dict:
    return {q.kind: (position, q) for position, q in
            enumerate(consultation.active_questions(), start=1)}
