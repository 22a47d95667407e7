"""Staff sessions (OWASP ASVS level 2): a new session on login, logout ends it on the
server, an idle timeout and an absolute lifetime, __Host- cookies in production, and
login throttling per account and per address."""
import re

import pytest

from app import create_app
from app.accounts import views
from app.accounts.models import User
from app.extensions import db
from tests import factories
from tests.conftest import csrf_token, log_in


def _later(monkeypatch, seconds):
    real = views.time.time
    monkeypatch.setattr(views.time, "time", lambda: real() + seconds)


def test_a_new_session_on_login(client, app_ctx):
    leader = factories.user()
    db.session.commit()
    client.get("/login")
    before = client.get_cookie("session").value
    log_in(client, leader)
    assert client.get_cookie("session").value != before


def test_logout_ends_the_session_on_the_server(app, client, login_as):
    leader = login_as("youth_leader")
    stolen = client.get_cookie("session").value
    client.post("/logout", data={"csrf_token": csrf_token(client, "/staff")})
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/staff").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, leader.id).session_version == 2


def test_a_password_change_ends_older_sessions(app, client, login_as):
    from app.accounts import services

    leader = login_as("youth_leader")
    token = services.create_access_link(db.session.get(User, leader.id), "reset", actor=None,
                                        valid_for=app.config["INVITE_VALID_FOR"])
    db.session.commit()
    services.redeem_access_link(token, "another long password")
    db.session.commit()
    assert client.get("/staff").status_code == 302


def test_idle_sessions_end(client, login_as, monkeypatch, app):
    login_as("youth_leader")
    assert client.get("/staff").status_code == 200
    idle = app.config["STAFF_IDLE_TIMEOUT"].total_seconds()
    _later(monkeypatch, idle + 1)
    response = client.get("/staff/consultations")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Du loggades ut" in page
    assert client.get("/staff").status_code == 302


def test_after_an_idle_logout_login_returns_to_the_page_or_the_form_being_saved(
        client, login_as, monkeypatch, app):
    """A page asked for comes back with its query; a form sent after the session ended
    comes back as its own page (app.js puts back what was typed), never another site."""
    login_as("youth_leader")
    idle = app.config["STAFF_IDLE_TIMEOUT"].total_seconds()
    _later(monkeypatch, idle + 1)
    asked = client.get("/staff/consultations/1/questions/new?kind=choice")
    assert asked.headers["Location"] == \
        "/login?next=/staff/consultations/1/questions/new?kind%3Dchoice"
    for referrer, location in (
            ("http://localhost/feedback/new?initiative=3",
             "/login?next=/feedback/new?initiative%3D3"),
            ("https://evil.example/feedback/new", "/login"),
            (None, "/login")):
        monkeypatch.undo()
        login_as("youth_leader")
        token = csrf_token(client, "/feedback/new")
        _later(monkeypatch, idle + 1)
        headers = {"Referer": referrer} if referrer else {}
        sent = client.post("/feedback/new", data={"csrf_token": token, "title_sv": "X"},
                           headers=headers)
        assert sent.status_code == 302 and sent.headers["Location"] == location, referrer


def test_activity_keeps_a_session_but_not_past_its_lifetime(client, login_as, monkeypatch, app):
    login_as("youth_leader")
    idle = app.config["STAFF_IDLE_TIMEOUT"].total_seconds()
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    real = views.time.time
    start = real()
    elapsed = 0
    while elapsed + idle / 2 < lifetime:
        elapsed += idle / 2
        monkeypatch.setattr(views.time, "time", lambda e=elapsed: start + e)
        assert client.get("/staff").status_code == 200, elapsed
    monkeypatch.setattr(views.time, "time", lambda: start + lifetime + 1)
    assert client.get("/staff").status_code == 302


def test_failed_logins_are_throttled_per_account(app, client, app_ctx):
    target = factories.user(email="target@example.org")
    other = factories.user(email="other@example.org")
    db.session.commit()
    token = csrf_token(client, "/login")
    for _ in range(10):
        response = client.post("/login", data={"csrf_token": token, "email": target.email,
                                               "password": "wrong password!"})
        assert response.status_code == 200
    blocked = client.post("/login", data={"csrf_token": token, "email": target.email,
                                          "password": factories.PASSWORD})
    assert blocked.status_code == 429
    assert "Ta det lite lugnt" in blocked.get_data(as_text=True) or \
        "För många försök" in blocked.get_data(as_text=True)
    assert blocked.headers.get("Retry-After")
    # A colleague at the same school still gets in.
    log_in(app.test_client(), other)


def test_a_staff_room_behind_one_address_is_not_blocked(app, app_ctx):
    staff = [factories.user() for _ in range(25)]
    db.session.commit()
    for user in staff:
        log_in(app.test_client(), user)


def test_common_passwords_are_refused_with_a_clear_message(client, app_ctx):
    from app.accounts import services

    user = factories.user()
    token = services.create_access_link(user, "invite", actor=None,
                                        valid_for=client.application.config["INVITE_VALID_FOR"])
    db.session.commit()
    path = f"/access/{token}"
    for weak in ("Password1234", "lösenord1234", "aaaaaaaaaaaaa", "123456789012"):
        response = client.post(path, data={"csrf_token": csrf_token(client, path),
                                           "password": weak, "confirm": weak})
        assert response.status_code == 200, weak
        assert "gissar först" in response.get_data(as_text=True), weak
    good = "three rivers under snow"
    assert client.post(path, data={"csrf_token": csrf_token(client, path), "password": good,
                                   "confirm": good}).status_code == 302


@pytest.fixture
def production(app, tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "production-test-" + "x" * 32)
    prod = create_app("production",
                      SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    yield prod
    with prod.app_context():
        db.engine.dispose()


def test_production_cookies_use_the_host_prefix(production, app_ctx):
    factories.demo()
    client = production.test_client()
    response = client.get("/j/DEMO01", base_url="https://medskapa.example")
    cookies = response.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("__Host-session="))
    device = next(c for c in cookies if c.startswith("__Host-device="))
    for cookie in (session, device):
        assert "Secure" in cookie and "HttpOnly" in cookie and "Path=/" in cookie
        assert "Domain=" not in cookie and re.search(r"SameSite=Lax", cookie)


def test_a_page_fetched_while_logging_in_does_not_log_the_leader_out(app, client, app_ctx):
    """The service worker caches the offline page with the login page's cookie while the
    login is sent: that response must not overwrite the new session cookie."""
    leader = factories.user()
    db.session.commit()
    client.get("/login")
    before_login = client.get_cookie("session").value
    log_in(client, leader)
    logged_in = client.get_cookie("session").value

    background = app.test_client()  # the same browser, a request started before the login
    background.set_cookie("session", before_login)
    for path in ("/offline", "/login", "/"):
        response = background.get(path)
        assert response.status_code == 200
        cookies = response.headers.getlist("Set-Cookie")
        assert not any(c.startswith("session=") for c in cookies), path

    client.set_cookie("session", logged_in)
    assert client.get("/staff").status_code == 200


def test_a_projector_left_open_does_not_keep_the_session_alive(client, login_as, monkeypatch,
                                                                app):
    """The live view polls every two seconds with nobody at the laptop: that is not use.
    Past the idle time the poll is told the session ended (the page says so), and the laptop
    left in the classroom is logged out like any other."""
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    idle = app.config["STAFF_IDLE_TIMEOUT"].total_seconds()
    real = views.time.time
    start = real()
    for elapsed in range(0, int(idle), 300):  # a poll every five minutes of the idle time
        monkeypatch.setattr(views.time, "time", lambda e=elapsed: start + e)
        poll = client.get("/live/DEMO01/state.json", headers={"Accept": "application/json"})
        assert poll.status_code == 200 and "participants" in poll.get_json(), elapsed
    monkeypatch.setattr(views.time, "time", lambda: start + idle + 1)
    poll = client.get("/live/DEMO01/state.json", headers={"Accept": "application/json"})
    assert poll.status_code == 401 and poll.get_json() == {"logged_out": True}
    assert client.get("/staff").status_code == 302
    assert "Du loggades ut" in client.get("/login").get_data(as_text=True)


def test_the_projector_page_says_when_the_session_has_ended(client, login_as, app_ctx):
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    page = client.get("/live/DEMO01").get_data(as_text=True)
    notice = re.search(r"<p [^>]*data-logged-out hidden>(.*?)</p>", page, re.S).group(1)
    assert "Du loggades ut" in notice and 'href="/login?next=/live/DEMO01"' in notice
