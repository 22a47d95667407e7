import enum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import UTCDateTime, utcnow
from app.extensions import db


class Sector(enum.StrEnum):
    PUBLIC = "public"
    CIVIL_SOCIETY = "civil_society"
    BUSINESS = "business"
    ACADEMIA = "academia"


class AreaKind(enum.StrEnum):
    MUNICIPALITY = "municipality"
    DISTRICT = "district"
    SCHOOL = "school"
    CLUB = "club"


class Organisation(db.Model):
    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint(
            "sector IN ('public', 'civil_society', 'business', 'academia')", name="sector"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    sector: Mapped[str] = mapped_column(String(20))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    def __repr__(self) -> str:
        return f"<Organisation {self.name}>"


class Area(db.Model):
    """A local context (municipality → district/school/club), used for equity reporting."""

    __tablename__ = "areas"
    __table_args__ = (
        UniqueConstraint("parent_id", "name", name="uq_areas_parent_name"),
        CheckConstraint(
            "kind IN ('municipality', 'district', 'school', 'club')", name="kind"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("areas.id", ondelete="RESTRICT"), index=True
    )
    parent: Mapped["Area | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Area"]] = relationship(back_populates="parent", order_by="Area.name")

    def __repr__(self) -> str:
        return f"<Area {self.name}>"


class ChallengeArea(db.Model):
    """One of the coalition's challenge areas (health, equal conditions, …); admins extend it."""

    __tablename__ = "challenge_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(50), unique=True)
    names: Mapped[dict] = mapped_column(JSON, default=dict)  # {"sv": "Hälsa", "en": "Health"}
    position: Mapped[int] = mapped_column(default=0)
