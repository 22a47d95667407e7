"""Every moderation route × every role × own / other organisation: 403, 404 or back to the
queue, never data."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.participate.models import Contribution
from tests import factories
from tests.conftest import csrf_token, log_in
from tests.participate.helpers import answer, join

SECRET = "Hemlig text från en elev"


@pytest.fixture
def world(app, app_ctx):
    consultation = factories.demo()
    phone = app.test_client()
    join(phone)
    n = factories.questions_by_kind(consultation)["idea"][0]
    answer(phone, consultation.id, n, {"text": SECRET, "client_key": "s"})
    other_idea_text = "Den andra idén"
    answer(phone, consultation.id, n, {"text": other_idea_text, "client_key": "t"})
    items = db.session.scalars(select(Contribution).order_by(Contribution.id)).all()
    return {"consultation": consultation, "item": items[0], "other": items[1], "phone": phone}


def routes(world):
    c, item, other = world["consultation"], world["item"], world["other"]
    return [
        ("GET", "/moderate/", {}),
        ("GET", f"/moderate/c/{c.id}", {}),
        ("GET", f"/moderate/items/{item.id}/redact", {}),
        ("GET", f"/moderate/items/{item.id}/merge", {}),
        ("POST", f"/moderate/items/{item.id}/approve", {"version": "1"}),
        ("POST", f"/moderate/items/{item.id}/hide", {"version": "1", "reason": "other"}),
        ("POST", f"/moderate/items/{item.id}/theme", {"version": "1", "new_theme": "X"}),
        ("POST", f"/moderate/items/{item.id}/redact", {"version": "1", "text": "x"}),
        ("POST", f"/moderate/items/{item.id}/merge", {"version": "1", "into": str(other.id)}),
        ("POST", "/moderate/bulk", {"action": "approve", "item": str(item.id),
                                    "version_1": "1"}),
    ]


def call(client, method, path, data):
    if method == "GET":
        return client.get(path)
    return client.post(path, data={"csrf_token": csrf_token(client, "/"), **data})


def unchanged(world):
    db.session.expire_all()
    item = db.session.get(Contribution, world["item"].id)
    return item.status == "pending" and item.text == SECRET and item.theme_id is None


def test_anonymous_and_participants_are_sent_to_login(client, world):
    for who in (client, world["phone"]):
        for method, path, data in routes(world):
            response = call(who, method, path, data)
            assert response.status_code == 302, (method, path)
            assert response.headers["Location"].startswith("/login")
    assert unchanged(world)


def test_leader_of_another_organisation_sees_nothing(client, login_as, world):
    login_as("youth_leader")  # a new organisation
    for method, path, data in routes(world):
        response = call(client, method, path, data)
        body = response.get_data(as_text=True)
        assert SECRET not in body, (method, path)
        if path == "/moderate/":
            assert response.status_code == 200  # their own (empty) queue
        elif method == "POST" and path == "/moderate/bulk":
            assert response.status_code == 302  # nothing they may touch was touched
        elif path.startswith("/moderate/items/"):
            # The answer for a text that is not there: no telling it is somebody else's.
            assert response.status_code == 302, (method, path)
            assert response.headers["Location"] == "/moderate/", (method, path)
        else:
            assert response.status_code == 404, (method, path)
    assert unchanged(world)


def test_core_team_can_read_but_not_act(client, login_as, world):
    login_as("core_team")
    for method, path, data in routes(world):
        response = call(client, method, path, data)
        if method == "GET" and path.startswith("/moderate/items"):
            assert response.status_code == 403  # action pages
        elif method == "GET":
            assert response.status_code == 200 and SECRET in response.get_data(as_text=True)
        elif path == "/moderate/bulk":
            assert response.status_code == 302
        else:
            assert response.status_code == 403, (method, path)
    assert unchanged(world)


def test_own_leader_and_admin_may_act(client, app, login_as, world):
    login_as("youth_leader", organisation=world["consultation"].organisation)
    assert client.get(f"/moderate/c/{world['consultation'].id}").status_code == 200
    response = call(client, "POST", f"/moderate/items/{world['item'].id}/approve",
                    {"version": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Contribution, world["item"].id).status == "approved"

    admin_client = app.test_client()
    admin = factories.user(role="admin")
    db.session.commit()
    log_in(admin_client, admin)
    response = call(admin_client, "POST", f"/moderate/items/{world['other'].id}/hide",
                    {"version": "1", "reason": "other"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Contribution, world["other"].id).status == "hidden"


def test_core_team_reads_the_queue_without_buttons_that_would_be_refused(
        client, login_as, world):
    """Publish, Hide, Set theme, the bulk bar and the keyboard hint all ended in 403 for
    the core team; the texts and their flags are still there to read."""
    login_as("core_team")
    html = client.get(f"/moderate/c/{world['consultation'].id}").get_data(as_text=True)
    assert SECRET in html
    for action in ("approve", "hide", "theme", "redact", "merge", "bulk", "translate"):
        assert f"/{action}" not in html.split("<main", 1)[1], action
    assert 'data-select' not in html and "moderate.js" not in html
