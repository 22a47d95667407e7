"""The chair closes a decision round on the outcome the confirmation page showed."""
from sqlalchemy import select

from app.extensions import db
from app.portfolio.models import DecisionRound
from tests import factories
from tests.conftest import csrf_token, log_in
from tests.portfolio.helpers import initiative


def _post(client, path, data, page):
    return client.post(path, data={"csrf_token": csrf_token(client, page), **data})


def test_a_vote_after_the_confirmation_was_shown_asks_the_chair_again(app, client, login_as):
    """The page said 'Outcome: A – approved'; a member's B vote came in before the chair
    pressed Yes, and the round closed as B (a tie) without the chair seeing it."""
    login_as("core_team")
    target = initiative()
    member_user = factories.user(role="core_team")
    db.session.commit()
    base = f"/portfolio/initiatives/{target.id}"
    _post(client, f"{base}/rounds", {"proposal": "Starta i Rosengård"}, base)
    round_ = db.session.scalar(select(DecisionRound))
    vote_url, close_url = f"{base}/rounds/{round_.id}/vote", f"{base}/rounds/{round_.id}/close"
    _post(client, vote_url, {"choice": "A"}, base)
    asked = _post(client, close_url + "?lang=en", {}, base).get_data(as_text=True)
    assert "Outcome: A – approved" in asked
    seen = asked.split('name="seen" value="')[1].split('"')[0]

    member = app.test_client()
    log_in(member, member_user)
    _post(member, vote_url, {"choice": "B", "comment": "För dyrt"}, base)

    again = _post(client, close_url + "?lang=en", {"confirm": "1", "seen": seen}, base)
    html = again.get_data(as_text=True)
    assert again.status_code == 409
    assert "The votes changed since you opened this page" in html
    assert "Outcome: B – rejected" in html
    db.session.expire_all()
    assert db.session.get(DecisionRound, round_.id).closed_at is None
    fresh = html.split('name="seen" value="')[1].split('"')[0]
    assert _post(client, close_url, {"confirm": "1", "seen": fresh}, base).status_code == 302
    db.session.expire_all()
    assert db.session.get(DecisionRound, round_.id).outcome == "B"
