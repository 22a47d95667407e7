"""Every route of the authoring blueprint × role × own or other organisation: a youth
leader never reaches another organisation's consultation (404), the core team reads but
changes nothing (403), and someone not logged in is sent to the login page."""
import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.consultations.models import Consultation, Question
from app.extensions import db
from tests import factories
from tests.conftest import csrf_token

BASE = "/staff/consultations"


@pytest.fixture
def demo(app_ctx):
    return factories.demo()


def reading_routes(c) -> list[str]:
    return [f"{BASE}/{c.id}", f"{BASE}/{c.id}/share", f"{BASE}/{c.id}/poster",
            f"{BASE}/{c.id}/poster?area={c.areas[0].id}", f"{BASE}/{c.id}/preview/1"]


def editing_routes(c) -> list[tuple[str, str, dict]]:
    q = c.active_questions()[-1]  # choice
    o = q.options[0]
    data = {"prompt_sv": "Ändrad", "options-0-id": str(o.id), "options-0-text_sv": "X",
            "options-1-text_sv": "Y"}
    return [
        ("GET", f"{BASE}/{c.id}/edit", {}),
        ("POST", f"{BASE}/{c.id}/edit", {"title_sv": "Ändrad", "moderation": "post"}),
        ("GET", f"{BASE}/{c.id}/questions/new?kind=idea", {}),
        ("POST", f"{BASE}/{c.id}/questions/new?kind=word", {"prompt_sv": "Nytt"}),
        ("GET", f"{BASE}/{c.id}/questions/{q.id}", {}),
        ("POST", f"{BASE}/{c.id}/questions/{q.id}", data),
        ("POST", f"{BASE}/{c.id}/questions/{q.id}/move", {"direction": "up"}),
        ("POST", f"{BASE}/{c.id}/questions/{q.id}/remove", {"confirm": "1"}),
        ("POST", f"{BASE}/{c.id}/questions/{q.id}/options/{o.id}/remove", {"confirm": "1"}),
        ("POST", f"{BASE}/{c.id}/close", {}),
        ("POST", f"{BASE}/{c.id}/open", {}),
        ("POST", f"{BASE}/{c.id}/duplicate", {}),
        ("POST", f"{BASE}/{c.id}/delete", {}),  # refused for an open one in any case
    ]


def _request(client, method, path, data):
    if method == "GET":
        return client.get(path)
    return client.post(path, data={"csrf_token": csrf_token(client, "/"), **data})


def _unchanged(demo_id: int):
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Consultation.id))) == 1
    consultation = db.session.get(Consultation, demo_id)
    assert consultation.status == "open" and consultation.title["sv"].startswith("Hur blir")
    assert db.session.scalar(select(func.count(Question.id))) == 6
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.object_type.in_(["consultations", "questions", "options"]))) == 0


def test_leader_of_another_organisation_gets_404_everywhere(client, login_as, demo):
    login_as("youth_leader")
    assert demo.join_code not in client.get(BASE).get_data(as_text=True)
    for path in reading_routes(demo):
        assert client.get(path).status_code == 404, path
    for method, path, data in editing_routes(demo):
        assert _request(client, method, path, data).status_code == 404, (method, path)
    _unchanged(demo.id)


def test_core_team_reads_but_cannot_change(client, login_as, demo):
    login_as("core_team")
    listing = client.get(BASE).get_data(as_text=True)
    assert demo.join_code in listing and f"{BASE}/new" not in listing
    for path in reading_routes(demo):
        assert client.get(path).status_code == 200, path
    show = client.get(f"{BASE}/{demo.id}").get_data(as_text=True)
    assert f"{BASE}/{demo.id}/edit" not in show and f"{BASE}/{demo.id}/close" not in show
    assert client.get(f"{BASE}/new").status_code == 403
    assert _request(client, "POST", f"{BASE}/new", {"title_sv": "X"}).status_code == 403
    for method, path, data in editing_routes(demo):
        assert _request(client, method, path, data).status_code == 403, (method, path)
    _unchanged(demo.id)


def test_not_logged_in_goes_to_the_login_page(client, demo):
    paths = [("GET", BASE, {}), ("GET", f"{BASE}/new", {})] + \
        [("GET", path, {}) for path in reading_routes(demo)] + editing_routes(demo)
    for method, path, data in paths:
        response = _request(client, method, path, data)
        assert response.status_code == 302, (method, path)
        assert response.headers["Location"].startswith("/login"), (method, path)
    _unchanged(demo.id)


def test_leader_and_admin_reach_every_page(client, login_as, demo):
    login_as("admin")  # of another organisation: administrators may do everything
    for path in [BASE, f"{BASE}/new"] + reading_routes(demo):
        assert client.get(path).status_code == 200, path
    for method, path, _data in editing_routes(demo):
        if method == "GET":
            assert client.get(path).status_code == 200, path
