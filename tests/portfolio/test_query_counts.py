"""The portfolio overview sends as many queries with a few initiatives and priorities as with
forty more (linked, unanswered, decided, with kinds, partners and challenge areas)."""
import itertools
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.coalition.models import ChallengeArea
from app.core.time import utcnow
from app.extensions import db
from app.portfolio import exchange
from app.portfolio.models import (
    DecisionRound,
    DecisionVote,
    Initiative,
    PortfolioPriority,
    PortfolioTerm,
    PriorityLink,
)
from tests import factories
from tests.portfolio.helpers import initiative, published_priorities
from tests.querycount import assert_flat

_batch = itertools.count()


def _more(count: int, voter) -> None:
    """`count` initiatives, each with kinds, partners, challenge areas and a closed decision
    round, and `count` imported priorities, every other one linked to an initiative."""
    b = next(_batch)
    published_priorities([f"Prioritet {b}-{i}" for i in range(count)], code=f"QC{b:04d}")
    exchange.import_here(None, None)
    terms = db.session.scalars(select(PortfolioTerm)).all()
    areas = db.session.scalars(select(ChallengeArea)).all()
    made = []
    for i in range(count):
        found = initiative(f"Initiativ {b}-{i}", owner=factories.organisation(),
                           status="decided")
        found.terms = terms[i % len(terms):][:2]
        found.challenge_areas = areas[i % len(areas):][:2]
        found.partners = [factories.organisation(), factories.organisation()]
        round_ = DecisionRound(initiative_id=found.id, proposal="Ja?", closed_at=utcnow(),
                               opened_at=utcnow() - timedelta(days=3), outcome="A")
        round_.votes = [DecisionVote(user_id=voter.id, choice="A")]
        db.session.add(round_)
        made.append(found)
    db.session.flush()
    fresh = db.session.scalars(select(PortfolioPriority).where(
        ~PortfolioPriority.links.any()).order_by(PortfolioPriority.id)).all()
    for i, priority in enumerate(fresh[::2]):
        db.session.add(PriorityLink(priority_id=priority.id, initiative_id=made[i].id))
    db.session.commit()


@pytest.mark.parametrize("role", ["core_team", "youth_leader"])
def test_overview_does_not_grow_with_initiatives_or_priorities(client, app_ctx, login_as,
                                                               role):
    factories.demo()  # terms and challenge areas
    user = login_as(role)
    assert db.session.scalar(select(Initiative.id).limit(1)) is not None
    _more(3, user)

    def page():
        assert client.get("/portfolio").status_code == 200

    page()
    assert_flat(page, lambda: _more(40, user))
