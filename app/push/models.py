import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import UTCDateTime, utcnow
from app.extensions import db


class PushSubscription(db.Model):
    """A browser's push endpoint and keys for one participant device and consultation."""

    __tablename__ = "push_subscriptions"
    __table_args__ = (
        UniqueConstraint("participant_id", "endpoint", name="uq_push_subscriptions_participant"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(Text)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    locale: Mapped[str] = mapped_column(String(10), default="sv")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The device said again that it still has this subscription (each visit re-confirms it).
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class JobStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry
    GONE = "gone"  # the push service said the subscription no longer exists


class PushJob(db.Model):
    """The outbox: one row per update and device, written with the update in one transaction."""

    __tablename__ = "push_jobs"
    __table_args__ = (
        UniqueConstraint("feedback_id", "subscription_id", name="uq_push_jobs_once"),
        CheckConstraint("status IN ('pending', 'sent', 'failed', 'gone')", name="status"),
        Index("ix_push_jobs_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_updates.id", ondelete="CASCADE"), index=True)
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("push_subscriptions.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=JobStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status: Mapped[int | None] = mapped_column()
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    subscription: Mapped[PushSubscription | None] = relationship()
