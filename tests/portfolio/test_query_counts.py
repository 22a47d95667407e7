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


def test_an_initiatives_page_does_not_grow_with_rounds_and_voters(client, app_ctx, login_as):
    """Every vote shows its voter's organisation and every round its chair's: with core team
    members from ten more organisations voting in ten more rounds, the page sends no more
    queries."""
    login_as("core_team")
    found = initiative("Pedagogiska skolgårdar")
    db.session.commit()
    path = f"/portfolio/initiatives/{found.id}"

    def decided(n: int) -> list[str]:
        voters = [factories.user(role="core_team") for _ in range(n)]
        for i, chair in enumerate(voters):
            round_ = DecisionRound(initiative_id=found.id, proposal=f"Runda {i}", chair=chair,
                                   closed_at=utcnow(), opened_at=utcnow() - timedelta(days=3),
                                   outcome="A")
            round_.votes = [DecisionVote(user_id=v.id, choice="A") for v in voters]
            db.session.add(round_)
        db.session.commit()
        return [v.organisation.name for v in voters]

    decided(1)

    def page():
        assert client.get(path).status_code == 200

    page()
    more: list[str] = []
    assert_flat(page, lambda: more.extend(decided(10)))
    html = client.get(path).get_data(as_text=True)
    assert all(name in html for name in more)


@pytest.mark.parametrize("fmt", ["xlsx", "json"])
def test_the_portfolio_export_does_not_grow_with_voters(client, app_ctx, login_as, fmt):
    """The decisions sheet names every voter's organisation: with core team members from
    ten more organisations voting, the download sends no more queries."""
    login_as("core_team")
    found = initiative("Pedagogiska skolgårdar")
    db.session.commit()

    def decided(n: int) -> None:
        voters = [factories.user(role="core_team") for _ in range(n)]
        round_ = DecisionRound(initiative_id=found.id, proposal="Ja?", closed_at=utcnow(),
                               opened_at=utcnow() - timedelta(days=3), outcome="A")
        round_.votes = [DecisionVote(user_id=v.id, choice="A") for v in voters]
        db.session.add(round_)
        db.session.commit()

    decided(1)

    def download():
        response = client.get(f"/portfolio/export.{fmt}")
        assert response.status_code == 200

    download()
    assert_flat(download, lambda: decided(10))
