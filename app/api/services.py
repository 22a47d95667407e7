"""Bearer tokens and the read-only listings behind the API. No request objects here."""
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from app.accounts.models import User
from app.api.models import SCOPES, ApiToken
from app.audit.services import record
from app.consultations.models import Consultation
from app.core.errors import DomainError
from app.core.time import utcnow
from app.extensions import db
from app.feedback.models import FeedbackStatus, FeedbackUpdate
from app.portfolio.models import (
    DecisionRound,
    DecisionVote,
    Initiative,
    PortfolioPriority,
    PriorityLink,
)

TOKEN_PREFIX = "msk_"  # noqa: S105  (a prefix, not a secret: recognisable by secret scanners)
# Writing last_used_at on every request would turn each read into a write.
LAST_USED_EVERY = timedelta(minutes=1)
MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000  # far past the end of any list; keeps the offset a sane number


class TokenInvalid(DomainError):
    pass


# --- tokens ------------------------------------------------------------------------------------

def create_token(actor: User, name: str, scopes: list[str]) -> tuple[ApiToken, str]:
    """A new token and its value. The value is returned this once; only its hash is kept."""
    name = name.strip()
    if not name or not scopes or set(scopes) - set(SCOPES):
        raise TokenInvalid(name)
    value = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(name=name, token_hash=ApiToken.hash(value), prefix=value[:12],
                     scopes=[s for s in SCOPES if s in scopes], created_by_id=actor.id)
    db.session.add(token)
    db.session.flush()
    record("api_token.created", actor=actor, obj=token, name=token.name, scopes=token.scopes)
    return token, value


def revoke_token(actor: User, token: ApiToken) -> bool:
    """Revoke the token; False if it was revoked already."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    record("api_token.revoked", actor=actor, obj=token, name=token.name)
    return True


def list_tokens() -> list[tuple[ApiToken, User | None]]:
    """Every token, newest first, with the admin who created it."""
    creator = aliased(User)
    return list(db.session.execute(
        select(ApiToken, creator).outerjoin(creator, creator.id == ApiToken.created_by_id)
        .order_by(ApiToken.id.desc())).all())


def live_tokens_created_by(user: User) -> int:
    """Tokens a system still uses that this person created. They keep working when the
    person leaves (the systems are the coalition's, not theirs); an administrator who
    deactivates them is told, to revoke those a departing person may still hold."""
    return db.session.scalar(select(func.count(ApiToken.id)).where(
        ApiToken.created_by_id == user.id, ApiToken.revoked_at.is_(None))) or 0


def authenticate(value: str | None) -> ApiToken | None:
    """The live token with this value, else None (unknown and revoked alike)."""
    if not value or not value.startswith(TOKEN_PREFIX) or len(value) > 100:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(value)))
    if token is None or token.revoked_at is not None:
        return None
    return token


def mark_used(token: ApiToken, now: datetime | None = None) -> bool:
    """Note when the token was last used, at most once a minute; True if it changed."""
    now = now or utcnow()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_EVERY:
        return False
    token.last_used_at = now
    return True


# --- listings ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total


def _page(query: Select, count: Select, page: int, per_page: int, *, rows: bool = False) -> Page:
    """One page of `query` (already ordered) and the total from `count`: two queries, or a
    few more for the eager loads, however much data there is."""
    query = query.limit(per_page).offset((page - 1) * per_page)
    items = list(db.session.execute(query).all() if rows else db.session.scalars(query))
    return Page(items=items, total=db.session.scalar(count), page=page, per_page=per_page)


def priorities(page: int, per_page: int) -> Page:
    return _page(select(PortfolioPriority).order_by(PortfolioPriority.id),
                 select(func.count(PortfolioPriority.id)), page, per_page)


def initiatives(page: int, per_page: int) -> Page:
    query = (select(Initiative)
             .options(joinedload(Initiative.owner), selectinload(Initiative.terms),
                      selectinload(Initiative.challenge_areas),
                      selectinload(Initiative.partners))
             .order_by(Initiative.id))
    return _page(query, select(func.count(Initiative.id)), page, per_page)


def links(page: int, per_page: int) -> Page:
    """Rows of (priority uuid, initiative uuid, created_at)."""
    query = (select(PortfolioPriority.uuid, Initiative.uuid, PriorityLink.created_at)
             .join(PortfolioPriority, PortfolioPriority.id == PriorityLink.priority_id)
             .join(Initiative, Initiative.id == PriorityLink.initiative_id)
             .order_by(PriorityLink.priority_id, PriorityLink.initiative_id))
    return _page(query, select(func.count()).select_from(PriorityLink), page, per_page,
                 rows=True)


def decisions(page: int, per_page: int) -> Page:
    query = (select(DecisionRound)
             .options(joinedload(DecisionRound.initiative),
                      selectinload(DecisionRound.votes).joinedload(DecisionVote.user)
                      .joinedload(User.organisation))
             .order_by(DecisionRound.id))
    return _page(query, select(func.count(DecisionRound.id)), page, per_page)


def feedback(page: int, per_page: int) -> Page:
    """Published updates only: drafts are nobody's business yet."""
    published = FeedbackUpdate.status == FeedbackStatus.PUBLISHED
    query = (select(FeedbackUpdate).where(published)
             .options(joinedload(FeedbackUpdate.initiative),
                      selectinload(FeedbackUpdate.consultations)
                      .joinedload(Consultation.organisation))
             .order_by(FeedbackUpdate.id))
    return _page(query, select(func.count(FeedbackUpdate.id)).where(published), page, per_page)
