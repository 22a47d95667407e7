import enum
import uuid
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import UTCDateTime, utcnow
from app.extensions import db
from app.participate.models import Contribution


class PriorityStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


priority_contributions = Table(
    "priority_contributions",
    db.metadata,
    Column("priority_id", ForeignKey("priorities.id", ondelete="CASCADE"), primary_key=True),
    # Indexed for the journey of a young person's idea (/me) and for deleting ideas.
    Column("contribution_id", ForeignKey("contributions.id", ondelete="CASCADE"),
           primary_key=True, index=True),
)


class Priority(db.Model):
    """A ranked youth priority curated from a consultation. The UUID is stable, so a
    portfolio that imports it twice recognises it."""

    __tablename__ = "priorities"
    __table_args__ = (CheckConstraint("status IN ('draft', 'published')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True,
                                      default=lambda: str(uuid.uuid4()))
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=1)
    title: Mapped[dict] = mapped_column(JSON, default=dict)
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default=PriorityStatus.DRAFT)
    # Figures frozen when published: participants, votes, agreement, breakdown (suppressed).
    figures: Mapped[dict] = mapped_column(JSON, default=dict)
    revision: Mapped[int] = mapped_column(default=1)  # bumped on every republish
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    contributions: Mapped[list[Contribution]] = relationship(secondary=priority_contributions)
