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
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when it last closed
    feedback_given_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # first update
    # Raw answers (participants, ideas, votes) are deleted this many months after closing;
    # the aggregated results are kept in results_archive (see app/retention).
    retention_months: Mapped[int] = mapped_column(default=12, server_default="12")
    raw_data_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    results_archive: Mapped[dict | None] = mapped_column(JSON)
    # The question the youth leader shows on the projector; waiting phones follow it.
    live_question_id: Mapped[int | None] = mapped_column(
        ForeignKey("questions.id", ondelete="SET NULL", use_alter=True))
    # Goes up whenever staff change what the results show (moderation, questions, themes,
    # deletions), so counted results are not reused past it (app/results/cache.py).
    results_version: Mapped[int] = mapped_column(default=0, server_default="0")
    areas: Mapped[list[Area]] = relationship(secondary=consultation_areas,
                                             order_by=Area.name)
    challenge_areas: Mapped[list[ChallengeArea]] = relationship(
        secondary=consultation_challenge_areas, order_by=ChallengeArea.position
    )
    questions: Mapped[list["Question"]] = relationship(
        back_populates="consultation", order_by="Question.position",
        foreign_keys="Question.consultation_id",
        cascade="all, delete-orphan",
    )

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    def active_questions(self) -> list["Question"]:
        return [q for q in self.questions if q.archived_at is None]

    def result_questions(self) -> list["Question"]:
        """What the results count: the active questions, then the removed ones (a question
        is only archived, not deleted, when it has answers; those answers still count)."""
        return self.active_questions() + [q for q in self.questions if q.archived_at]

    def __repr__(self) -> str:
        return f"<Consultation {self.join_code}>"


class QuestionKind(enum.StrEnum):
    IDEA = "idea"  # free text, moderated
    STATEMENT = "statement"  # agree / disagree / pass on statements
    RANK = "rank"  # order your top N, or spread N dots
    WORD = "word"  # one word or a short phrase, for a word cloud
    SCALE = "scale"  # 1–5 with faces
    CHOICE = "choice"  # single or multiple choice


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('idea', 'statement', 'rank', 'word', 'scale', 'choice')", name="kind"
        ),
        Index("ix_questions_consultation_position", "consultation_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE")
    )
    consultation: Mapped[Consultation] = relationship(back_populates="questions",
                                                      foreign_keys=[consultation_id])
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20))
    prompt: Mapped[dict] = mapped_column(JSON, default=dict)  # {"sv": …, "en": …}
    help: Mapped[dict] = mapped_column(JSON, default=dict)
    # Per kind: rank {"mode": "order"|"dots", "top_n": 3, "dots": 5};
    # choice {"multiple": bool}; statement {"source_question_id": id of an idea question}.
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    # Questions with answers are archived, never deleted, so no answer is lost.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    options: Mapped[list["Option"]] = relationship(
        back_populates="question", order_by="Option.position", cascade="all, delete-orphan"
    )

    def setting(self, key: str, default=None):
        return (self.settings or {}).get(key, default)


class Option(db.Model):
    """A choice or rank option, or a staff-written statement of a statement question."""

    __tablename__ = "options"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    question: Mapped[Question] = relationship(back_populates="options")
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[dict] = mapped_column(JSON, default=dict)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

