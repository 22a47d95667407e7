"""A small coalition with consultations across two terms, for the follow-up tests.

Places (leaves): Skola A and Skola B in Malmö – Rosengård, Klubb C directly in Malmö, Skola D
in Lund. What the page should say about it is spelled out in test_followup.py."""
import itertools
from datetime import UTC, datetime

from app.coalition.models import Area, AreaKind
from app.consultations.models import Consultation, Status
from app.extensions import db
from app.participate.models import Participant
from app.portfolio.models import DecisionRound, Initiative, PortfolioPriority, PriorityLink
from app.results.models import Priority, PriorityStatus
from tests import factories

_seq = itertools.count(1)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def area(name: str, kind: str, parent: Area | None = None) -> Area:
    made = Area(name=name, kind=kind, parent=parent)
    db.session.add(made)
    db.session.flush()
    return made


def consultation(organisation, status=Status.FEEDBACK_GIVEN, areas=(), **times) -> Consultation:
    made = Consultation(organisation=organisation, status=status, join_code=f"F{next(_seq):05d}",
                        title={"sv": "Samråd"}, areas=list(areas), **times)
    db.session.add(made)
    db.session.flush()
    return made


def participants(consultation: Consultation, count: int, place: Area | None = None) -> None:
    for _ in range(count):
        db.session.add(Participant(device_hash=f"device-{next(_seq)}",
                                   consultation_id=consultation.id, language="sv",
                                   consent_version="1", area_id=place.id if place else None))
    db.session.flush()


def priority(consultation: Consultation, *, published=True, imported=False,
             initiative: Initiative | None = None) -> Priority:
    made = Priority(consultation_id=consultation.id, title={"sv": "Prioritering"},
                    status=PriorityStatus.PUBLISHED if published else PriorityStatus.DRAFT,
                    published_at=at(2026, 1, 1) if published else None)
    db.session.add(made)
    db.session.flush()
    if imported or initiative:
        kept = PortfolioPriority(uuid=made.uuid, priority_id=made.id, title=made.title)
        db.session.add(kept)
        db.session.flush()
        if initiative:
            db.session.add(PriorityLink(priority_id=kept.id, initiative_id=initiative.id))
            db.session.flush()
    return made


def initiative(decided: bool) -> Initiative:
    made = Initiative(title={"sv": "Initiativ"})
    db.session.add(made)
    db.session.flush()
    db.session.add(DecisionRound(initiative_id=made.id, opened_at=at(2025, 12, 1),
                                 closed_at=at(2025, 12, 10) if decided else None,
                                 outcome="A" if decided else None))
    db.session.flush()
    return made


def coalition() -> dict:
    """The constructed dataset (see test_followup.py for the figures it should give)."""
    org = factories.organisation()
    malmo = area("Malmö", AreaKind.MUNICIPALITY)
    rosengard = area("Rosengård", AreaKind.DISTRICT, malmo)
    a = area("Skola A", AreaKind.SCHOOL, rosengard)
    b = area("Skola B", AreaKind.SCHOOL, rosengard)
    c = area("Klubb C", AreaKind.CLUB, malmo)
    lund = area("Lund", AreaKind.MUNICIPALITY)
    d = area("Skola D", AreaKind.SCHOOL, lund)
    decided, undecided = initiative(True), initiative(False)

    # HT 2025
    c1 = consultation(org, areas=[a, b], opens_at=at(2025, 9, 1), closed_at=at(2025, 9, 30, 10),
                      feedback_given_at=at(2025, 10, 10, 12))  # 10 days
    participants(c1, 3, a)
    participants(c1, 1)  # no place said; c1 was for Rosengård alone
    priority(c1, initiative=decided)
    priority(c1, imported=True)
    priority(c1, published=False)  # a draft is not counted
    c2 = consultation(org, Status.CLOSED, areas=[c, d], opens_at=at(2025, 11, 1),
                      closes_at=at(2025, 11, 20))  # closed by its time, no feedback: waiting
    participants(c2, 2, d)
    participants(c2, 1)  # no place said; c2 was for Malmö and Lund: only coalition-wide
    consultation(org, Status.DRAFT, areas=[a], opens_at=at(2025, 10, 1))  # not held

    # VT 2026
    c4 = consultation(org, areas=[c], opens_at=at(2025, 12, 31, 23, 30),  # 00:30 in Sweden
                      closed_at=at(2026, 2, 28), feedback_given_at=at(2026, 3, 4, 8))  # 4 days
    participants(c4, 1, c)
    c5 = consultation(org, areas=[a], opens_at=at(2026, 3, 1), closed_at=at(2026, 3, 20),
                      feedback_given_at=at(2026, 3, 26, 9))  # 6 days
    participants(c5, 2, a)
    priority(c5, initiative=undecided)
    priority(c5)
    c6 = consultation(org, Status.OPEN, areas=[b], created_at=at(2026, 4, 1),
                      closes_at=at(2999, 1, 1))  # still open: neither measured nor waiting
    participants(c6, 1, b)
    return {"organisation": org, "malmo": malmo, "rosengard": rosengard, "lund": lund,
            "places": (a, b, c, d)}
