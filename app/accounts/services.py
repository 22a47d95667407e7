"""Staff accounts: passwords, login, invite/reset links. No request objects here."""
import hashlib
import secrets
import threading
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from app.accounts.models import AccessLink, User
from app.audit.services import record
from app.coalition.models import Organisation, Sector
from app.core.errors import DomainError
from app.core.roles import Role
from app.core.time import utcnow
from app.extensions import db

# OWASP password storage cheat sheet: argon2id, m=19 MiB, t=2, p=1.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Verifying against this keeps a login for an unknown e-mail as slow as for a known one: a
# hash with the same settings of a password nobody knows (written out, not computed at import,
# which would cost every process the 19 MiB of a hash at start).
_DUMMY_HASH = ("$argon2id$v=19$m=19456,t=2,p=1$"
               "BIGkQtbECNYMs5TaJ6fDpg$kx6kqQxYKMp+1TmUiFrB4KxVWoB/yfuSY0aDk8hn7Oc")
# Each hash takes 19 MiB while it runs: one at a time per process, so a burst of logins (or a
# login flood) waits a few tens of milliseconds instead of driving a worker's memory up by
# 19 MiB per thread.
_hashing = threading.Lock()


def _hash(password: str) -> str:
    with _hashing:
        return _hasher.hash(password)


def _verify(password_hash: str, password: str) -> bool:
    with _hashing:
        return _hasher.verify(password_hash, password)
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1000  # what the forms accept; argon2 takes any length


class PasswordTooShort(DomainError):
    pass


class PasswordTooCommon(DomainError):
    """On the list of passwords attackers try first, or a simple pattern."""


_COMMON_FILE = Path(__file__).parent / "wordlists" / "common-passwords.txt"


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    lines = _COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines
                     if line.strip() and not line.startswith("#"))


def password_is_common(password: str) -> bool:
    folded = password.casefold()
    if folded in _common_passwords() or len(set(folded)) <= 2:
        return True
    # A run like "123456789012" or "abcdefghijkl".
    steps = {ord(b) - ord(a) for a, b in zip(folded, folded[1:], strict=False)}
    return steps in ({1}, {-1})


class LinkInvalid(DomainError):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_password(password: str) -> None:
    """Raise if a new password is too short or too easy to guess (OWASP ASVS 6.2)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordTooShort(MIN_PASSWORD_LENGTH)
    if password_is_common(password):
        raise PasswordTooCommon()


def hash_password(password: str) -> str:
    check_password(password)
    return _hash(password)


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, else None. Audits both outcomes."""
    email = normalise_email(email)
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    ok = False
    try:
        ok = _verify(user.password_hash if user and user.password_hash else _DUMMY_HASH,
                     password)
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or user is None or not user.active:
        # The e-mail tried is kept so an admin can see an attack; never the password.
        record("login.failed", actor=user, object_type="users",
               object_id=user.id if user else None, email=email[:254])
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hash(password)
    user.last_login_at = utcnow()
    record("login.succeeded", actor=user, obj=user)
    return user


def record_logout(user: User) -> None:
    record("logout", actor=user, obj=user)


def load_user(login_id: str) -> User | None:
    """Flask-Login's loader: the id carries the session version, so a password change
    ends every older session."""
    try:
        user_id, version = (int(part) for part in login_id.split(":"))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.session_version != version or not user.active:
        return None
    return user


def get_or_create_organisation(name: str, sector: str = Sector.PUBLIC) -> Organisation:
    org = db.session.scalar(select(Organisation).where(Organisation.name == name))
    if org is None:
        org = Organisation(name=name, sector=sector)
        db.session.add(org)
        db.session.flush()
    return org


def create_user(*, email: str, role: Role, organisation: Organisation, password: str | None,
                actor: User | None = None) -> User:
    email = normalise_email(email)
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise DomainError("exists")
    user = User(email=email, role=str(role), organisation=organisation,
                password_hash=hash_password(password) if password else None)
    db.session.add(user)
    db.session.flush()
    record("user.created", actor=actor, obj=user, role=str(role),
           organisation_id=organisation.id)
    return user


def change_role(user: User, role: Role, *, actor: User) -> None:
    if user.role == role:
        return
    before = user.role
    user.role = str(role)
    user.session_version += 1  # new rights take effect on a fresh login
    record("user.role_changed", actor=actor, obj=user, before=before, after=str(role))


def set_active(user: User, active: bool, *, actor: User) -> None:
    if user.active == active:
        return
    user.active = active
    user.session_version += 1
    if not active:  # a link handed out before ends with the account, and stays ended
        for link in db.session.scalars(select(AccessLink).where(
                AccessLink.user_id == user.id, AccessLink.used_at.is_(None))):
            link.used_at = utcnow()
    record("user.activated" if active else "user.deactivated", actor=actor, obj=user)


def create_access_link(user: User, purpose: str, *, actor: User | None,
                       valid_for: timedelta) -> str:
    """A new single-use link token; only its hash is stored. Older unused links of the
    user stop working, so only the newest handed-over link is valid."""
    now = utcnow()
    for old in db.session.scalars(
        select(AccessLink).where(AccessLink.user_id == user.id, AccessLink.used_at.is_(None))
    ):
        old.used_at = now
    token = secrets.token_urlsafe(32)
    db.session.add(AccessLink(user=user, purpose=purpose, token_hash=_token_hash(token),
                              created_by_id=getattr(actor, "id", None),
                              expires_at=now + valid_for))
    record(f"user.{purpose}_link_created", actor=actor, obj=user)
    return token


def find_access_link(token: str, now: datetime | None = None) -> AccessLink:
    link = db.session.scalar(select(AccessLink).where(AccessLink.token_hash == _token_hash(token)))
    now = now or utcnow()
    if link is None or link.used_at is not None or link.expires_at <= now \
            or not link.user.active:
        raise LinkInvalid()
    return link


def redeem_access_link(token: str, password: str) -> User:
    link = find_access_link(token)
    user = link.user
    user.password_hash = hash_password(password)
    user.session_version += 1
    link.used_at = utcnow()
    record(f"user.{link.purpose}_link_used", actor=user, obj=user)
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
