import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Index, String, Table, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.coalition.models import Area, ChallengeArea, Organisation
from app.core.time import UTCDateTime, utcnow
from app.extensions import db


class Status(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    FEEDBACK_GIVEN = "feedback_given"


class Moderation(enum.StrEnum):
    PRE = "pre"  # nothing is shown to peers before a moderator approves it
    POST = "post"  # shown at once, can be hidden afterwards


consultation_areas = Table(
    "consultation_areas",
    db.metadata,
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE"),
           primary_key=True),
    Column("area_id", ForeignKey("areas.id", ondelete="RESTRICT"), primary_key=True),
)

consultation_challenge_areas = Table(
    "consultation_challenge_areas",
    db.metadata,
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE"),
           primary_key=True),
    Column("challenge_area_id", ForeignKey("challenge_areas.id", ondelete="RESTRICT"),
           primary_key=True),
)


class Consultation(db.Model):
    __tablename__ = "consultations"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'open', 'closed', 'feedback_given')",
                        name="status"),
        CheckConstraint("moderation IN ('pre', 'post')", name="moderation"),
        # A code is unique among open consultations; closed ones may share it later.
        Index("uq_consultations_open_code", "join_code", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
        Index("ix_consultations_join_code", "join_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    organisation: Mapped[Organisation] = relationship()
    title: Mapped[dict] = mapped_column(JSON, default=dict)  # {"sv": …, "en": …}
    intro: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default=Status.DRAFT)
    moderation: Mapped[str] = mapped_column(String(10), default=Moderation.PRE)
    join_code: Mapped[str] = mapped_column(String(6))
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    areas: Mapped[list[Area]] = relationship(secondary=consultation_areas,
                                             order_by=Area.name)
    challenge_areas: Mapped[list[ChallengeArea]] = relationship(
        secondary=consultation_challenge_areas, order_by=ChallengeArea.position
    )

    def __repr__(self) -> str:
        return f"<Consultation {self.join_code}>"
