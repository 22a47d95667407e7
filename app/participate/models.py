"""What young people give: anonymous participants, their contributions and their votes."""
import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.coalition.models import Area
from app.consultations.models import Consultation, Option, Question
from app.core.time import UTCDateTime, utcnow
from app.extensions import db
from app.moderate.models import Theme


class AgeBand(enum.StrEnum):
    UP_TO_12 = "-12"
    FROM_13_TO_15 = "13-15"
    FROM_16_TO_19 = "16-19"
    FROM_20 = "20-"


class ContributionStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for a youth leader
    APPROVED = "approved"  # published to peers
    HIDDEN = "hidden"  # not published, with a reason shown kindly to the author
    REJECTED = "rejected"
    MERGED = "merged"  # a duplicate; its support counts for the idea it was merged into


class Participant(db.Model):
    """One phone in one consultation. Nothing here identifies the child: the device token
    lives in a cookie on the phone and only its hash is stored."""

    __tablename__ = "participants"
    __table_args__ = (
        # Also the index for "this phone's participants" (/me, joining): device_hash leads.
        UniqueConstraint("device_hash", "consultation_id", name="uq_participants_device"),
        CheckConstraint("age_band IN ('-12', '13-15', '16-19', '20-')", name="age_band"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    device_hash: Mapped[str] = mapped_column(String(64))
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    consultation: Mapped[Consultation] = relationship()
    language: Mapped[str] = mapped_column(String(10))
    age_band: Mapped[str | None] = mapped_column(String(10))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id", ondelete="SET NULL"))
    area: Mapped[Area | None] = relationship()
    consent_version: Mapped[str] = mapped_column(String(20))
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Contribution(db.Model):
    """A text a participant wrote: an idea, or a word for the word cloud."""

    __tablename__ = "contributions"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'approved', 'hidden', 'rejected', 'merged')", name="status"
        ),
        # The moderation queue and the results: a question's texts of a status, by time.
        Index("ix_contributions_question_status_created", "question_id", "status",
              "created_at"),
        # The moderation queue across many consultations: what waits, concerns first, oldest
        # first, read in index order.
        Index("ix_contributions_status_safeguarding_created", "status", "safeguarding",
              "created_at", "id"),
        # A statements screen: a question's ideas ordered by a permutation of their ids, and
        # the queue's counts per status, without reading rows (status, author and concern
        # carried along on PostgreSQL; SQLite has no INCLUDE). Led by question_id alone, so
        # the queue of a consultation keeps the index above.
        Index("ix_contributions_question_id", "question_id", "id",
              postgresql_include=["status", "participant_id", "safeguarding"]),
        # Also the index for a participant's texts (/me, retention): participant_id leads.
        UniqueConstraint("participant_id", "client_key", name="uq_contributions_client_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE")
    )
    participant: Mapped[Participant] = relationship()
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    question: Mapped[Question] = relationship()
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default=ContributionStatus.PENDING)
    flags: Mapped[list] = mapped_column(JSON, default=list)
    # Translations added by moderators, {"sv": "…"}, so peers who read another language can
    # vote on it; the original text is always kept and shown on request.
    translations: Mapped[dict] = mapped_column(JSON, default=dict)
    # A safeguarding concern goes to the top of the queue and is never published.
    safeguarding: Mapped[bool] = mapped_column(default=False)
    # Set by the phone (offline queue, double taps): the same key never makes a second row.
    client_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Moderation
    hidden_reason: Mapped[str | None] = mapped_column(String(20))
    theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("themes.id", ondelete="SET NULL"), index=True
    )
    theme: Mapped["Theme | None"] = relationship()
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("contributions.id", ondelete="SET NULL"), index=True
    )
    redacted: Mapped[bool] = mapped_column(default=False)
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    moderated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    # Bumped by every moderation action: a second leader acting on what they saw before
    # gets "already handled" instead of overwriting the first leader's decision.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class Vote(db.Model):
    """One participant's answer on one item; changing it replaces the row.

    The item is an option (choice, rank, staff statement), a contribution (a participant's
    idea shown as a statement), or the question itself (scale).
    value: statement +1 agree / -1 disagree / 0 pass; rank: the place (1 = first) or the
    number of dots; choice: 1; scale: 1–5."""

    __tablename__ = "votes"
    __table_args__ = (
        CheckConstraint("NOT (option_id IS NOT NULL AND contribution_id IS NOT NULL)",
                        name="one_item"),
        # One row per participant and item; the answer's upsert names these as its target.
        Index("uq_votes_option", "participant_id", "option_id", unique=True,
              sqlite_where=text("option_id IS NOT NULL"),
              postgresql_where=text("option_id IS NOT NULL")),
        Index("uq_votes_contribution", "participant_id", "contribution_id", unique=True,
              sqlite_where=text("contribution_id IS NOT NULL"),
              postgresql_where=text("contribution_id IS NOT NULL")),
        Index("uq_votes_question", "participant_id", "question_id", unique=True,
              sqlite_where=text("option_id IS NULL AND contribution_id IS NULL"),
              postgresql_where=text("option_id IS NULL AND contribution_id IS NULL")),
        # Results and the live view read a question's votes (and tally them per option).
        Index("ix_votes_question_option", "question_id", "option_id"),
        # Deleting a participant cascades to their votes; /me and equity look them up.
        Index("ix_votes_participant_id", "participant_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE")
    )
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    option_id: Mapped[int | None] = mapped_column(ForeignKey("options.id", ondelete="CASCADE"))
    option: Mapped[Option | None] = relationship()
    contribution_id: Mapped[int | None] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), index=True
    )
    contribution: Mapped[Contribution | None] = relationship()
    value: Mapped[int] = mapped_column(SmallInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
