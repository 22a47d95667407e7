"""Systematic follow-up: per school term and area, how far young people's input travelled —
consultations held, who took part and from where, what became of the published youth
priorities, and how long young people waited for feedback.

Every figure is aggregated in SQL with GROUP BY, so the page makes the same few queries
whether the coalition held three consultations or three thousand.

What counts (docs/core-team.md, "Follow-up", says the same for the core team):
- A consultation is *held* in the term its `opens_at` (else `created_at`) falls in, in the
  coalition's time zone, unless it is still a draft.
- With an area chosen (a municipality or district), a consultation belongs to it when it
  targeted a place in it; a participant counts when they chose a place in it, or chose none
  in a consultation that targeted only places in it.
- A place (a leaf of the area tree: a school or club) is *reached* in a term when at least
  one participant of a consultation held that term chose it.
- The three shares are all of the published youth priorities of the term's consultations,
  so they read as a funnel: imported → linked to an initiative → with a decision (a closed
  decision round with an outcome on a linked initiative).
- A consultation's close is `closed_at`, else `closes_at` once it has passed. The median is
  of whole days from close to the first feedback; closed ones without feedback are waiting.
"""
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo

from sqlalchemy import Integer, String, and_, case, exists, func, literal, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from app.coalition.models import Area, AreaKind
from app.consultations.models import Consultation, Status, consultation_areas
from app.core.errors import NotFound
from app.core.time import YEARS, UTCDateTime, utcnow
from app.extensions import db
from app.participate.models import Participant
from app.portfolio.models import DecisionRound, PortfolioPriority, PriorityLink
from app.results.models import Priority, PriorityStatus

DEFAULT_TERMS = 6  # the last six terms with data: three school years
MAX_TERMS = 40  # a longer range would not fit the chart
TERM_RE = re.compile(r"^\s*(VT|HT)\s*([0-9]{4})\s*$", re.I)
# Years whose terms, and the term after the last, are dates Python and the databases hold
# (a term of year 0 or 9999 was a 500).
TERM_YEARS = YEARS


# --- terms ------------------------------------------------------------------------------------

@dataclass(frozen=True, order=True)
class Term:
    """A Swedish school term: VT (spring, January–June) or HT (autumn, July–December)."""

    year: int
    half: int  # 1 = VT, 2 = HT

    @classmethod
    def of(cls, moment: datetime, zone: tzinfo) -> "Term":
        local = moment.astimezone(zone)
        return cls(local.year, 1 if local.month <= 6 else 2)

    @classmethod
    def parse(cls, text: str) -> "Term | None":
        """"VT2026", "vt 2026" or "HT 2025"; None when it is not a term."""
        match = TERM_RE.match(text or "")
        if not match or int(match.group(2)) not in TERM_YEARS:
            return None
        return cls(int(match.group(2)), 1 if match.group(1).upper() == "VT" else 2)

    @property
    def code(self) -> str:
        return "VT" if self.half == 1 else "HT"

    @property
    def key(self) -> str:
        """For URLs: VT2026."""
        return f"{self.code}{self.year}"

    @property
    def name(self) -> str:
        """For files: VT 2026, as Swedish schools write it."""
        return f"{self.code} {self.year}"

    def next(self) -> "Term":
        return Term(self.year, 2) if self.half == 1 else Term(self.year + 1, 1)

    def start(self, zone: tzinfo) -> datetime:
        """Local midnight on 1 January or 1 July, as an aware datetime."""
        return datetime(self.year, 1 if self.half == 1 else 7, 1, tzinfo=zone)


def terms_between(first: Term, last: Term) -> list[Term]:
    """first … last, oldest first."""
    found, term = [], first
    while term <= last:
        found.append(term)
        term = term.next()
    return found


def school_years(terms: list[Term]) -> list[tuple[Term, Term]]:
    """(HT, VT) pairs of the school years the terms touch, newest first: 2025/26 is HT 2025
    and VT 2026."""
    autumns = sorted({t.year if t.half == 2 else t.year - 1 for t in terms}, reverse=True)
    return [(Term(year, 2), Term(year + 1, 1)) for year in autumns]


# --- days between two moments, in SQL -----------------------------------------------------------

class whole_days(FunctionElement):
    """Whole days from the first argument to the second (for a negative span, some day count
    at or below zero; callers clamp it)."""

    type = Integer()
    name = "whole_days"
    inherit_cache = True


@compiles(whole_days, "sqlite")
def _whole_days_sqlite(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"


@compiles(whole_days, "postgresql")
def _whole_days_postgresql(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(FLOOR(EXTRACT(EPOCH FROM ({end} - {start})) / 86400) AS INTEGER)"


# --- the figures --------------------------------------------------------------------------------

@dataclass(frozen=True)
class AreaChoice:
    """A municipality or district to follow up on."""

    id: int
    label: str  # "Malmö – Rosengård"
    kind: str


@dataclass
class TermRow:
    term: Term
    consultations: int = 0
    participants: int = 0
    areas_total: int = 0
    not_reached: list[str] = field(default_factory=list)  # names of the places not reached
    published: int = 0  # published youth priorities
    imported: int = 0
    linked: int = 0
    decided: int = 0
    median_days: float | None = None  # close → first feedback
    measured: int = 0  # consultations the median is over
    waiting: int = 0  # closed, no feedback yet

    @property
    def areas_reached(self) -> int:
        return self.areas_total - len(self.not_reached)

    def _share(self, count: int) -> float | None:
        return count / self.published if self.published else None

    @property
    def imported_share(self) -> float | None:
        return self._share(self.imported)

    @property
    def linked_share(self) -> float | None:
        return self._share(self.linked)

    @property
    def decided_share(self) -> float | None:
        return self._share(self.decided)


@dataclass
class FollowUp:
    rows: list[TermRow]  # newest first
    area: AreaChoice | None  # None: the whole coalition
    areas: list[AreaChoice]  # what can be chosen
    terms_with_data: list[Term]  # oldest … newest term with a consultation held, no gaps
    custom_range: bool = False  # the terms were asked for, not the default window

    @property
    def trend(self) -> list[TermRow]:
        return list(reversed(self.rows))


def follow_up(zone: tzinfo, *, area_id: int | None = None,
              terms: tuple[Term, Term] | None = None, now: datetime | None = None,
              limit: int = DEFAULT_TERMS) -> FollowUp:
    """The follow-up figures per term, newest first. `terms` is an inclusive range (oldest,
    newest); without it, the `limit` newest terms up to the last one with a consultation held.
    Raises NotFound for an area that is not a municipality or district."""
    now = now or utcnow()
    areas = db.session.execute(select(Area.id, Area.name, Area.kind, Area.parent_id)).all()
    choices, chosen, subtree, leaves = _areas(areas, area_id)

    moment = func.coalesce(Consultation.opens_at, Consultation.created_at)
    in_scope = [Consultation.status != Status.DRAFT,
                # Not a typo such as year 1 or 9999, stored before the form refused them: its
                # terms are beyond what can be counted (it was a 500 for the whole coalition).
                moment >= literal(datetime(TERM_YEARS.start, 1, 2, tzinfo=UTC), UTCDateTime()),
                moment < literal(datetime(TERM_YEARS.stop - 1, 12, 31, tzinfo=UTC),
                                 UTCDateTime())]
    if chosen is not None:
        in_scope.append(exists().where(consultation_areas.c.consultation_id == Consultation.id,
                                       consultation_areas.c.area_id.in_(subtree)))
    first, last = db.session.execute(select(func.min(moment), func.max(moment))
                                     .where(*in_scope)).one()
    with_data = terms_between(Term.of(first, zone), Term.of(last, zone)) if first else []

    if terms is not None:
        window = terms_between(*sorted(terms))[-MAX_TERMS:]
    elif with_data:
        window = with_data[-limit:]
    else:
        window = []
    result = FollowUp([], chosen, choices, with_data, custom_range=terms is not None)
    if not window:
        return result
    rows = {term: TermRow(term, areas_total=len(leaves)) for term in window}

    # One row per consultation held in the window, with its term and its close.
    term_of = case(*[(moment >= literal(t.start(zone), UTCDateTime()), literal(t.key, String()))
                     for t in reversed(window)])
    closed = func.coalesce(Consultation.closed_at, case(
        (Consultation.closes_at <= literal(now, UTCDateTime()), Consultation.closes_at)))
    held = (select(Consultation.id.label("id"), term_of.label("term"),
                   closed.label("closed_at"), Consultation.feedback_given_at)
            .where(*in_scope,
                   moment >= literal(window[0].start(zone), UTCDateTime()),
                   moment < literal(window[-1].next().start(zone), UTCDateTime()))
            .subquery("held"))
    by_key = {t.key: rows[t] for t in window}
    _consultations(held, by_key)
    _participants(held, by_key, subtree if chosen is not None else None)
    _places_reached(held, by_key, leaves)
    _priority_funnel(held, by_key)
    _days_to_feedback(held, by_key)
    result.rows = [rows[t] for t in reversed(window)]
    return result


# Each adds one figure to the rows {term key: TermRow}, with one GROUP BY query over `held`.

def _consultations(held, by_key: dict[str, TermRow]) -> None:
    for key, n in db.session.execute(
            select(held.c.term, func.count()).group_by(held.c.term)):
        by_key[key].consultations = n


def _participants(held, by_key: dict[str, TermRow], subtree: list[int] | None) -> None:
    counted = Participant.consultation_id == held.c.id
    if subtree is not None:
        outside = consultation_areas.c.area_id.not_in(subtree)
        counted = and_(counted, or_(
            Participant.area_id.in_(subtree),
            and_(Participant.area_id.is_(None),
                 ~exists().where(consultation_areas.c.consultation_id == held.c.id, outside))))
    for key, n in db.session.execute(
            select(held.c.term, func.count(Participant.id))
            .select_from(Participant).join(held, counted)
            .group_by(held.c.term)):
        by_key[key].participants = n


def _places_reached(held, by_key: dict[str, TermRow], leaves: dict[int, str]) -> None:
    reached: dict[str, set[int]] = {}
    for key, area in db.session.execute(
            select(held.c.term, Participant.area_id)
            .select_from(Participant).join(held, Participant.consultation_id == held.c.id)
            .where(Participant.area_id.in_(list(leaves)))
            .group_by(held.c.term, Participant.area_id)):
        reached.setdefault(key, set()).add(area)
    for key, row in by_key.items():
        row.not_reached = sorted(name for area, name in leaves.items()
                                 if area not in reached.get(key, set()))


def _priority_funnel(held, by_key: dict[str, TermRow]) -> None:
    linked = exists().where(PriorityLink.priority_id == PortfolioPriority.id)
    decided = exists().where(
        PriorityLink.priority_id == PortfolioPriority.id,
        DecisionRound.initiative_id == PriorityLink.initiative_id,
        DecisionRound.closed_at.is_not(None), DecisionRound.outcome.is_not(None))
    for key, published, imported, n_linked, n_decided in db.session.execute(
            select(held.c.term, func.count(Priority.id), func.count(PortfolioPriority.id),
                   func.sum(case((linked, 1), else_=0)), func.sum(case((decided, 1), else_=0)))
            .select_from(Priority)
            .join(held, Priority.consultation_id == held.c.id)
            .outerjoin(PortfolioPriority, PortfolioPriority.priority_id == Priority.id)
            .where(Priority.status == PriorityStatus.PUBLISHED)
            .group_by(held.c.term)):
        row = by_key[key]
        row.published, row.imported = published, imported
        row.linked, row.decided = int(n_linked or 0), int(n_decided or 0)


def _days_to_feedback(held, by_key: dict[str, TermRow]) -> None:
    """A histogram of whole days per term (no raw row per consultation); NULL = waiting."""
    days = whole_days(held.c.closed_at, held.c.feedback_given_at)
    spans = select(held.c.term, days.label("days")).where(held.c.closed_at.is_not(None)) \
        .subquery("spans")
    histograms: dict[str, dict[int, int]] = {}
    for key, n_days, n in db.session.execute(
            select(spans.c.term, spans.c.days, func.count())
            .group_by(spans.c.term, spans.c.days)):
        if n_days is None:
            by_key[key].waiting += n
        else:
            # Feedback given before the last close (reopened later) counts as no wait.
            histogram = histograms.setdefault(key, {})
            histogram[max(0, n_days)] = histogram.get(max(0, n_days), 0) + n
    for key, histogram in histograms.items():
        by_key[key].measured = sum(histogram.values())
        by_key[key].median_days = median(histogram)


def median(histogram: dict[int, int]) -> float | None:
    """The median of values given as {value: how many}."""
    total = sum(histogram.values())
    if not total:
        return None
    values = sorted(histogram)
    middle = [(total - 1) // 2, total // 2]  # the one or two middle positions

    def at(position: int) -> int:
        seen = 0
        for value in values:
            seen += histogram[value]
            if position < seen:
                return value
        raise AssertionError("position past the end")

    return (at(middle[0]) + at(middle[1])) / 2


def _areas(areas, area_id: int | None):
    """(choices, the chosen one or None, ids in its subtree, its places {id: name}).

    Places are the leaves of the area tree (schools, clubs), as participants choose them."""
    by_id = {a.id: a for a in areas}
    children: dict[int | None, list[int]] = {}
    for a in areas:
        children.setdefault(a.parent_id, []).append(a.id)

    def label(a) -> str:
        path = []
        while a is not None:
            path.append(a.name)
            a = by_id.get(a.parent_id)
        return " – ".join(reversed(path))

    choices = sorted((AreaChoice(a.id, label(a), a.kind) for a in areas
                      if a.kind in (AreaKind.MUNICIPALITY, AreaKind.DISTRICT)),
                     key=lambda c: c.label)
    chosen = None
    if area_id is not None:
        chosen = next((c for c in choices if c.id == area_id), None)
        if chosen is None:
            raise NotFound("no such municipality or district")
        subtree, todo = set(), [area_id]
        while todo:
            current = todo.pop()
            subtree.add(current)
            todo.extend(children.get(current, []))
    else:
        subtree = set(by_id)
    leaves = {i: by_id[i].name for i in subtree if i not in children}
    return choices, chosen, sorted(subtree), leaves
