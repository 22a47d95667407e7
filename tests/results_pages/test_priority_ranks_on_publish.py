"""Unpublishing or publishing a youth priority renumbers the ones after it for the young
people; the portfolio is offered those as newer versions, as after Move up or down."""
from sqlalchemy import select

from app.extensions import db
from app.portfolio import exchange
from app.portfolio.models import PortfolioPriority
from app.results.models import Priority
from tests import factories
from tests.conftest import csrf_token


def _positions():
    db.session.expire_all()
    return dict(db.session.execute(select(PortfolioPriority.priority_id,
                                          PortfolioPriority.position)).all())


def test_unpublishing_the_first_offers_the_others_with_their_new_places(
        client, app_ctx, login_as):
    """The portfolio kept saying 'place 2' and 'place 3' while the young people read 1
    and 2: an unpublished priority's place went to the next ones unseen."""
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    page = f"/results/c/{demo.id}/priorities"
    core_member = factories.user(role="core_team")
    exchange.import_here(core_member, None)
    db.session.commit()
    first, second, third = db.session.scalars(
        select(Priority).where(Priority.consultation_id == demo.id, Priority.status ==
                               "published").order_by(Priority.position)).all()[:3]
    assert _positions()[second.id] == 2

    client.post(f"{page}/{first.id}/unpublish", data={"csrf_token": csrf_token(client, page)})
    db.session.expire_all()
    offered = {p.id for p, _ in exchange.importable_here()}
    assert {second.id, third.id} <= offered and first.id not in offered
    exchange.import_here(core_member, None)
    db.session.commit()
    assert _positions()[second.id] == 1 and _positions()[third.id] == 2

    client.post(f"{page}/{first.id}/publish", data={"csrf_token": csrf_token(client, page)})
    db.session.expire_all()
    assert {second.id, third.id} <= {p.id for p, _ in exchange.importable_here()}
    exchange.import_here(core_member, None)
    db.session.commit()
    assert [_positions()[p.id] for p in (first, second, third)] == [1, 2, 3]
