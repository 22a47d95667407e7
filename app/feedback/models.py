import enum
import uuid
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.consultations.models import Consultation
from app.core.time import UTCDateTime, utcnow
from app.extensions import db


class FeedbackStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


feedback_consultations = Table(
    "feedback_consultations",
    db.metadata,
    Column("feedback_id", ForeignKey("feedback_updates.id", ondelete="CASCADE"),
           primary_key=True),
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE"),
           primary_key=True, index=True),
)


class FeedbackUpdate(db.Model):
    """A short, multilingual update: what was decided, what happens next, and why."""

    __tablename__ = "feedback_updates"
    __table_args__ = (CheckConstraint("status IN ('draft', 'published')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True,
                                      default=lambda: str(uuid.uuid4()))
    title: Mapped[dict] = mapped_column(JSON, default=dict)
    body: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default=FeedbackStatus.DRAFT)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    initiative_id: Mapped[int | None] = mapped_column(
        ForeignKey("initiatives.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    consultations: Mapped[list[Consultation]] = relationship(secondary=feedback_consultations)
    initiative = relationship("Initiative")
    author = relationship("User")


class FeedbackRead(db.Model):
    """A participant device has seen an update (for the unread marker)."""

    __tablename__ = "feedback_reads"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True)
    feedback_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_updates.id", ondelete="CASCADE"), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
