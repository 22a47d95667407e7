import enum
import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.coalition.models import ChallengeArea, Organisation
from app.core.time import UTCDateTime, utcnow
from app.extensions import db


class Vocabulary(enum.StrEnum):
    KIND = "kind"  # pilot, lab, education, funding application, forum, …
    CHANGE_POTENTIAL = "change_potential"  # safety, long-term health, integration, …


class InitiativeStatus(enum.StrEnum):
    IDEA = "idea"
    PROPOSED = "proposed"
    DECIDED = "decided"
    RUNNING = "running"
    EVALUATED = "evaluated"
    ENDED = "ended"


class Choice(enum.StrEnum):
    APPROVE = "A"
    REJECT = "B"
    APPROVE_IF_CHANGED = "C"


class PortfolioTerm(db.Model):
    """An entry of one of the portfolio's lists that admins extend (kinds, change potentials)."""

    __tablename__ = "portfolio_terms"
    __table_args__ = (
        UniqueConstraint("vocabulary", "key", name="uq_portfolio_terms_vocabulary_key"),
        CheckConstraint("vocabulary IN ('kind', 'change_potential')", name="vocabulary"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vocabulary: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(50))
    names: Mapped[dict] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(default=0)


initiative_terms = Table(
    "initiative_terms",
    db.metadata,
    Column("initiative_id", ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True),
    Column("term_id", ForeignKey("portfolio_terms.id", ondelete="RESTRICT"), primary_key=True,
           index=True),
)
initiative_challenge_areas = Table(
    "initiative_challenge_areas",
    db.metadata,
    Column("initiative_id", ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True),
    Column("challenge_area_id", ForeignKey("challenge_areas.id", ondelete="RESTRICT"),
           primary_key=True, index=True),
)
initiative_partners = Table(
    "initiative_partners",
    db.metadata,
    Column("initiative_id", ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id", ondelete="RESTRICT"),
           primary_key=True, index=True),
)


class Initiative(db.Model):
    __tablename__ = "initiatives"
    __table_args__ = (
        CheckConstraint(
            "status IN ('idea', 'proposed', 'decided', 'running', 'evaluated', 'ended')",
            name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True,
                                      default=lambda: str(uuid.uuid4()))
    title: Mapped[dict] = mapped_column(JSON, default=dict)
    description: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default=InitiativeStatus.IDEA)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    owner: Mapped[Organisation | None] = relationship()
    terms: Mapped[list[PortfolioTerm]] = relationship(
        secondary=initiative_terms, order_by=PortfolioTerm.position)
    challenge_areas: Mapped[list[ChallengeArea]] = relationship(
        secondary=initiative_challenge_areas, order_by=ChallengeArea.position)
    partners: Mapped[list[Organisation]] = relationship(
        secondary=initiative_partners, order_by=Organisation.name)

    @property
    def kinds(self) -> list[PortfolioTerm]:
        return [t for t in self.terms if t.vocabulary == Vocabulary.KIND]

    @property
    def change_potentials(self) -> list[PortfolioTerm]:
        return [t for t in self.terms if t.vocabulary == Vocabulary.CHANGE_POTENTIAL]


class PortfolioPriority(db.Model):
    """A youth priority imported into the portfolio, from this server or from a file another
    coalition member's server exported. The priority's UUID is the key of every import."""

    __tablename__ = "portfolio_priorities"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    revision: Mapped[int] = mapped_column(default=1)
    position: Mapped[int] = mapped_column(default=1)
    title: Mapped[dict] = mapped_column(JSON, default=dict)
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    consultation_title: Mapped[dict] = mapped_column(JSON, default=dict)
    organisation: Mapped[str] = mapped_column(String(200), default="")
    challenge_areas: Mapped[list] = mapped_column(JSON, default=list)  # keys
    figures: Mapped[dict] = mapped_column(JSON, default=dict)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consultation_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Where it came from: "local" or the exporting server's name, and the file if any.
    source: Mapped[str] = mapped_column(String(200), default="local")
    # Set when it came from this server: the journey of a child's idea follows it.
    priority_id: Mapped[int | None] = mapped_column(
        ForeignKey("priorities.id", ondelete="SET NULL"), unique=True)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))

    links: Mapped[list["PriorityLink"]] = relationship(
        back_populates="priority", cascade="all, delete-orphan")


class PriorityLink(db.Model):
    __tablename__ = "priority_links"

    priority_id: Mapped[int] = mapped_column(
        ForeignKey("portfolio_priorities.id", ondelete="CASCADE"), primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    priority: Mapped[PortfolioPriority] = relationship(back_populates="links")
    initiative: Mapped[Initiative] = relationship()


class DecisionRound(db.Model):
    """The core team decides on an initiative: A approve, B reject, C approve if changed."""

    __tablename__ = "decision_rounds"
    __table_args__ = (
        CheckConstraint("outcome IS NULL OR outcome IN ('A', 'B', 'C')", name="outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    proposal: Mapped[str] = mapped_column(Text, default="")
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(1))

    initiative: Mapped[Initiative] = relationship()
    chair = relationship("User")
    votes: Mapped[list["DecisionVote"]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="DecisionVote.id")


class DecisionVote(db.Model):
    __tablename__ = "decision_votes"
    __table_args__ = (
        UniqueConstraint("round_id", "user_id", name="uq_decision_votes_round_user"),
        CheckConstraint("choice IN ('A', 'B', 'C')", name="choice"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("decision_rounds.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    choice: Mapped[str] = mapped_column(String(1))
    changes: Mapped[str] = mapped_column(Text, default="")  # what C asks to change
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    round: Mapped[DecisionRound] = relationship(back_populates="votes")
    user = relationship("User")
