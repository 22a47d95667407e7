"""Tokens and portfolio data for API tests; each helper adds and flushes, the test commits."""
import itertools
import uuid
from datetime import date, timedelta

from app.api import services
from app.api.models import SCOPES
from app.coalition.models import ChallengeArea
from app.consultations.models import Consultation, Status
from app.core.time import utcnow
from app.extensions import db
from app.feedback.models import FeedbackStatus, FeedbackUpdate
from app.portfolio.models import (
    DecisionRound,
    DecisionVote,
    Initiative,
    PortfolioPriority,
    PortfolioTerm,
    PriorityLink,
)
from tests import factories

_seq = itertools.count(1)


def token(scopes=SCOPES, admin=None) -> tuple[str, object]:
    """(value, ApiToken) made by an admin."""
    admin = admin or factories.user(role="admin")
    made, value = services.create_token(admin, f"System {next(_seq)}", list(scopes))
    return value, made


def bearer(value: str) -> dict:
    return {"Authorization": f"Bearer {value}"}


def priority(**kwargs) -> PortfolioPriority:
    n = next(_seq)
    now = utcnow()
    found = PortfolioPriority(
        uuid=str(uuid.uuid4()), position=1,
        title={"sv": f"Prioritering {n}", "en": f"Priority {n}", "ar": ""},
        summary={"sv": "Gröna skolgårdar"}, consultation_title={"sv": "Samråd"},
        organisation="Fritidsgården", challenge_areas=["health"],
        figures={"participants": 40, "agreement": 0.75, "by_age": {"13-15": 12, "16-18": None}},
        published_at=now, consultation_closed_at=now - timedelta(days=1), **kwargs)
    db.session.add(found)
    db.session.flush()
    return found


def initiative(**kwargs) -> Initiative:
    n = next(_seq)
    owner = factories.organisation()
    kind = PortfolioTerm(vocabulary="kind", key=f"pilot{n}", names={"sv": "Pilot"})
    potential = PortfolioTerm(vocabulary="change_potential", key=f"safety{n}",
                              names={"sv": "Trygghet", "en": "Safety"})
    area = ChallengeArea(key=f"health{n}", names={"sv": "Hälsa"})
    found = Initiative(title={"sv": f"Initiativ {n}"}, description={"sv": "Beskrivning"},
                       status="running", owner=owner, terms=[kind, potential],
                       challenge_areas=[area], partners=[factories.organisation()],
                       starts_on=date(2025, 3, 1), **kwargs)
    db.session.add(found)
    db.session.flush()
    return found


def link(priority_=None, initiative_=None) -> PriorityLink:
    found = PriorityLink(priority=priority_ or priority(), initiative=initiative_ or initiative())
    db.session.add(found)
    db.session.flush()
    return found


def decision(initiative_=None, closed: bool = True, voters: int = 2) -> DecisionRound:
    now = utcnow()
    found = DecisionRound(initiative=initiative_ or initiative(), proposal="Starta piloten",
                          closes_at=now + timedelta(days=7))
    for _ in range(voters):
        found.votes.append(DecisionVote(user=factories.user(role="core_team"), choice="C",
                                        changes="Mindre budget", comment="Bra idé"))
    if closed:
        found.closed_at, found.outcome = now, "C"
    db.session.add(found)
    db.session.flush()
    return found


def feedback(published: bool = True, initiative_=None) -> FeedbackUpdate:
    consultation = Consultation(organisation=factories.organisation(), status=Status.CLOSED,
                                join_code=f"F{next(_seq):05d}", title={"sv": "Samråd"})
    found = FeedbackUpdate(title={"sv": "Det här hände"}, body={"sv": "Vi bygger."},
                           initiative=initiative_,
                           consultations=[consultation])
    if published:
        found.status, found.published_at = FeedbackStatus.PUBLISHED, utcnow()
    db.session.add(found)
    db.session.flush()
    return found


# One builder per endpoint, for tests that go through all of them.
BUILDERS = {
    "priorities": priority,
    "initiatives": initiative,
    "links": link,
    "decisions": decision,
    "feedback": feedback,
}
