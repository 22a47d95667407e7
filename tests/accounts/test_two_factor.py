"""Two-factor authentication (TOTP): required for administrators, optional for other staff;
each code works once; a lost phone is reset by an administrator."""
import re
import time

import pyotp
from sqlalchemy import select

from app.accounts import views
from app.accounts.models import User
from app.audit.models import AuditEvent
from app.extensions import db
from tests import factories
from tests.conftest import csrf_token, log_in


def _password_step(client, user):
    response = client.post("/login", data={"csrf_token": csrf_token(client, "/login"),
                                           "email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    return response.headers["Location"]


def _code(client, code):
    return client.post("/login/code", data={"csrf_token": csrf_token(client, "/login/code"),
                                            "code": code})


def test_an_admin_without_an_authenticator_sets_one_up_before_getting_in(client, app_ctx):
    admin = factories.user(role="admin", two_factor=False)
    db.session.commit()
    assert _password_step(client, admin) == "/login/code"
    assert client.get("/staff").status_code == 302  # the password alone is not enough
    page = client.get("/login/code").get_data(as_text=True)
    assert "<svg" in page and "Tvåstegsverifiering" in page
    secret = re.search(r'data-totp-secret>([A-Z2-7]+)<', page).group(1)

    wrong = _code(client, "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    assert "Koden stämmer inte" in wrong.get_data(as_text=True)
    assert client.get("/staff").status_code == 302

    assert _code(client, pyotp.TOTP(secret).now()).status_code == 302
    assert client.get("/staff").status_code == 200
    db.session.expire_all()
    assert db.session.get(User, admin.id).totp_secret == secret
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "user.two_factor_enabled")) is not None


def test_a_code_works_once(app, app_ctx):
    leader = factories.user(two_factor=True)
    db.session.commit()
    code = factories.totp_code(leader)
    first = app.test_client()
    _password_step(first, leader)
    assert _code(first, code).status_code == 302
    assert first.get("/staff").status_code == 200

    second = app.test_client()
    assert _password_step(second, leader) == "/login/code"
    replay = _code(second, code)
    assert replay.status_code == 200 and "Koden stämmer inte" in replay.get_data(as_text=True)
    assert second.get("/staff").status_code == 302


def test_the_code_step_expires_and_is_throttled(client, app_ctx, monkeypatch):
    leader = factories.user(two_factor=True)
    db.session.commit()
    _password_step(client, leader)
    for _ in range(10):
        assert _code(client, "123 456").status_code == 200
    assert _code(client, factories.totp_code(leader)).status_code == 429
    later = time.time() + views.PENDING_SECONDS + 1
    monkeypatch.setattr(views.time, "time", lambda: later)
    response = client.get("/login/code")
    assert response.status_code == 302 and response.headers["Location"] == "/login"


def test_staff_turn_it_on_and_off_themselves(client, login_as):
    leader = login_as("youth_leader")
    assert "Tvåstegsverifiering: slå på den" in client.get("/staff").get_data(as_text=True)
    page = client.get("/staff/two-factor").get_data(as_text=True)
    secret = re.search(r'data-totp-secret>([A-Z2-7]+)<', page).group(1)
    response = client.post("/staff/two-factor", data={
        "csrf_token": csrf_token(client, "/staff/two-factor"), "code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert client.get("/staff").status_code == 200  # still logged in here
    db.session.expire_all()
    leader = db.session.get(User, leader.id)
    assert leader.totp_secret == secret

    other = client.application.test_client()
    assert _password_step(other, leader) == "/login/code"

    response = client.post("/staff/two-factor", data={
        "csrf_token": csrf_token(client, "/staff/two-factor"),
        "code": factories.totp_code(leader)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, leader.id).totp_secret is None


def test_admins_cannot_turn_it_off_but_can_reset_someone_who_lost_their_phone(
        client, login_as, app_ctx):
    admin = login_as("admin")
    page = client.get("/staff/two-factor").get_data(as_text=True)
    assert "Administratörer kan inte stänga av den." in page
    response = client.post("/staff/two-factor", data={
        "csrf_token": csrf_token(client, "/staff/two-factor"),
        "code": factories.totp_code(admin)})
    db.session.expire_all()
    assert db.session.get(User, admin.id).totp_secret is not None

    leader = factories.user(two_factor=True, email="lost.phone@example.org")
    db.session.commit()
    response = client.post(f"/admin/users/{leader.id}/two-factor-off",
                           data={"csrf_token": csrf_token(client, "/admin/users")})
    assert response.status_code == 302
    db.session.expire_all()
    leader = db.session.get(User, leader.id)
    assert leader.totp_secret is None
    fresh = client.application.test_client()
    assert _password_step(fresh, leader) == "/staff"


def test_every_admin_login_in_the_suite_goes_through_the_code(client, app_ctx):
    admin = factories.user(role="admin")
    db.session.commit()
    log_in(client, admin)
    assert client.get("/admin/users").status_code == 200
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "login.second_factor")) is not None
