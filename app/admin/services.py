from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.audit.services import record
from app.coalition.models import Area, AreaKind, Organisation, Sector
from app.core.errors import Conflict, DomainError, NotFound
from app.core.text import TextError, check_text, strip_ends
from app.extensions import db


def list_users() -> list[User]:
    return list(db.session.scalars(
        select(User).options(joinedload(User.organisation)).order_by(User.email)
    ))


def list_organisations() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))


def audit_events(limit: int = 200, action: str | None = None):
    """The newest audit events with their actors, for administrators. `action` is an
    action's name (login.failed) or its family, the word before the dot (login: every
    login.*), as typed: the page lists no names to copy."""
    from app.audit.models import AuditEvent

    query = select(AuditEvent, User.email).outerjoin(User, User.id == AuditEvent.actor_id)
    action = (action or "").strip().lower()
    if action:
        query = query.where(or_(AuditEvent.action == action,
                                AuditEvent.action.startswith(action + ".", autoescape=True)))
    return db.session.execute(query.order_by(AuditEvent.id.desc()).limit(limit)).all()


# --- organisations and places ------------------------------------------------------------------
# The coalition's member organisations (every staff account belongs to one; initiatives name
# them as partners) and the places young people go to (municipality → district → school or
# youth club: a consultation is for some of them, a young person may say which one is theirs,
# and the follow-up counts the schools and clubs reached). Names are proper nouns: one name, in
# no particular language.

NAME_MAX = 200  # Organisation.name, Area.name
# What may hold what: a school or a club holds nothing; a municipality is at the top, and
# only a municipality (save_area).
HOLDS = {
    AreaKind.MUNICIPALITY: {AreaKind.DISTRICT, AreaKind.SCHOOL, AreaKind.CLUB},
    AreaKind.DISTRICT: {AreaKind.SCHOOL, AreaKind.CLUB},
    AreaKind.SCHOOL: set(),
    AreaKind.CLUB: set(),
}


class Invalid(DomainError):
    """str(exc) says which rule a name, kind or place broke."""


def _name(name: str) -> str:
    name = strip_ends(name or "")
    if not name:
        raise Invalid("name")
    if len(name) > NAME_MAX:
        raise Invalid("name_long")
    try:
        check_text(name, multiline=False)
    except TextError:
        raise Invalid("text") from None
    return name


def _taken(name: str, rows, current) -> bool:
    """Whether another of the (id, name) rows has this name in any letter case ("Ängsskolan",
    "ÄNGSSKOLAN"; SQLite's lower() knows only A–Z, so this is compared here). The rows are
    one organisation list or one place's places: a few dozen."""
    wanted = name.casefold()
    return any(other.casefold() == wanted and (current is None or id_ != current.id)
               for id_, other in rows)


def organisations_with_counts() -> list[tuple[Organisation, int, int]]:
    """Every organisation with its staff accounts and consultations, in two counting queries."""
    from app.consultations.models import Consultation

    staff = dict(db.session.execute(
        select(User.organisation_id, func.count()).group_by(User.organisation_id)).all())
    held = dict(db.session.execute(
        select(Consultation.organisation_id, func.count())
        .group_by(Consultation.organisation_id)).all())
    return [(o, staff.get(o.id, 0), held.get(o.id, 0)) for o in list_organisations()]


def save_organisation(user, organisation: Organisation | None, name: str,
                      sector: str) -> Organisation:
    """Add an organisation (None) or rename it and change its sector."""
    name = _name(name)
    if sector not in set(Sector):
        raise Invalid("sector")
    if _taken(name, db.session.execute(select(Organisation.id, Organisation.name)),
              organisation):
        raise Invalid("exists")
    if organisation is None:
        organisation = Organisation(name=name, sector=sector)
        db.session.add(organisation)
        db.session.flush()
        record("organisation.created", actor=user, obj=organisation, name=name, sector=sector)
    elif (organisation.name, organisation.sector) != (name, sector):
        record("organisation.changed", actor=user, obj=organisation,
               name=[organisation.name, name], sector=[organisation.sector, sector])
        organisation.name, organisation.sector = name, sector
    return organisation


def area_tree() -> dict[int | None, list[Area]]:
    """Every place by the place it is in (None: the top), each list by name; one query."""
    children: dict[int | None, list[Area]] = {}
    for area in db.session.scalars(select(Area).order_by(Area.name, Area.id)):
        children.setdefault(area.parent_id, []).append(area)
    return children


def holders(children: dict[int | None, list[Area]]) -> list[tuple[Area, str]]:
    """The places that can hold others (municipalities, districts), in tree order, each with
    its path ("Malmö – Rosengård"): the choices for where a place is."""
    found: list[tuple[Area, str]] = []

    def walk(parent_id: int | None, path: list[str]) -> None:
        for area in children.get(parent_id, []):
            if HOLDS[AreaKind(area.kind)]:
                found.append((area, " – ".join([*path, area.name])))
                walk(area.id, [*path, area.name])

    walk(None, [])
    return found


def area_or_404(area_id: int) -> Area:
    area = db.session.get(Area, area_id)
    if area is None:
        raise NotFound("area")
    return area


def save_area(user, area: Area | None, name: str, kind: str,
              parent_id: int | None) -> Area:
    """Add a place (None) or change its name, kind or the place it is in."""
    name = _name(name)
    if kind not in set(AreaKind):
        raise Invalid("kind")
    parent = None
    if parent_id is None and kind != AreaKind.MUNICIPALITY:
        raise Invalid("parent_kind")  # a district, school or club is in a place
    if parent_id is not None:
        parent = db.session.get(Area, parent_id)
        if parent is None:
            raise Invalid("parent")
        if AreaKind(kind) not in HOLDS[AreaKind(parent.kind)]:
            raise Invalid("parent_kind")
        ancestor = parent
        while ancestor is not None and area is not None:
            if ancestor.id == area.id:
                raise Invalid("cycle")  # a place cannot be in itself or in a place inside it
            ancestor = ancestor.parent
    if area is not None:
        below = {AreaKind(c.kind) for c in area.children}
        if not below <= HOLDS[AreaKind(kind)]:
            raise Invalid("holds")
    siblings = db.session.execute(select(Area.id, Area.name).where(
        Area.parent_id == parent_id if parent_id is not None else Area.parent_id.is_(None)))
    if _taken(name, siblings, area):
        raise Invalid("exists")
    if area is None:
        area = Area(name=name, kind=kind, parent=parent)
        db.session.add(area)
        db.session.flush()
        record("area.created", actor=user, obj=area, name=name, kind=kind, parent=parent_id)
    elif (area.name, area.kind, area.parent_id) != (name, kind, parent_id):
        record("area.changed", actor=user, obj=area, name=[area.name, name],
               kind=[area.kind, kind], parent=[area.parent_id, parent_id])
        area.name, area.kind, area.parent = name, kind, parent
    return area


def area_uses(area: Area) -> dict[str, int]:
    """What keeps a place from being deleted: places in it, consultations for it, young
    people who said it is theirs."""
    from app.consultations.models import consultation_areas
    from app.participate.models import Participant

    return {
        "places": db.session.scalar(select(func.count()).where(Area.parent_id == area.id)),
        "consultations": db.session.scalar(select(func.count()).select_from(consultation_areas)
                                           .where(consultation_areas.c.area_id == area.id)),
        "participants": db.session.scalar(select(func.count()).select_from(Participant)
                                          .where(Participant.area_id == area.id)),
    }


def delete_area(user, area: Area) -> None:
    """Only a place nothing uses: the figures of the follow-up stay as they were."""
    if any(area_uses(area).values()):
        raise Conflict("in use")
    record("area.deleted", actor=user, obj=area, name=area.name, kind=area.kind)
    db.session.delete(area)
    db.session.flush()
