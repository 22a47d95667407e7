import re
from datetime import timedelta

from sqlalchemy import select

from app.accounts import services
from app.accounts.models import User
from app.audit.models import AuditEvent
from app.extensions import db
from tests import factories
from tests.conftest import csrf_token


def events(action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_login_and_logout(client, app_ctx):
    user = factories.user(email="leader@example.org")
    db.session.commit()
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"csrf_token": token, "email": " Leader@Example.org ",
                                           "password": factories.PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/staff"
    assert "leader@example.org" in client.get("/staff").get_data(as_text=True)
    assert len(events("login.succeeded")) == 1
    assert db.session.get(User, user.id).last_login_at is not None

    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/staff")})
    assert response.status_code == 302
    assert client.get("/staff").status_code == 302  # back to the login page
    assert len(events("logout")) == 1


def test_staff_pages_need_login(client):
    response = client.get("/staff")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_wrong_password_is_refused_and_audited(client, app_ctx):
    factories.user(email="leader@example.org")
    db.session.commit()
    response = client.post("/login", data={"csrf_token": csrf_token(client, "/login"),
                                           "email": "leader@example.org",
                                           "password": "not the password"})
    assert response.status_code == 200
    assert "Fel e-post eller lösenord." in response.get_data(as_text=True)
    assert client.get("/staff").status_code == 302
    failed = events("login.failed")
    assert len(failed) == 1 and failed[0].details["email"] == "leader@example.org"
    assert "not the password" not in str(failed[0].details)


def test_unknown_email_is_refused_with_the_same_message(client):
    response = client.post("/login", data={"csrf_token": csrf_token(client, "/login"),
                                           "email": "nobody@example.org", "password": "whatever"})
    assert "Fel e-post eller lösenord." in response.get_data(as_text=True)
    assert len(events("login.failed")) == 1


def test_post_without_csrf_token_is_refused(client, app_ctx):
    factories.user(email="leader@example.org")
    db.session.commit()
    response = client.post("/login", data={"email": "leader@example.org",
                                           "password": factories.PASSWORD})
    assert response.status_code == 400
    assert "Formuläret hade gått ut" in response.get_data(as_text=True)
    assert client.get("/staff").status_code == 302


def test_logout_without_csrf_token_keeps_the_session(client, login_as):
    login_as("youth_leader")
    client.post("/logout")
    assert client.get("/staff").status_code == 200


def test_deactivated_user_cannot_log_in(client, app_ctx):
    user = factories.user(email="gone@example.org")
    user.active = False
    db.session.commit()
    client.post("/login", data={"csrf_token": csrf_token(client, "/login"),
                                "email": "gone@example.org", "password": factories.PASSWORD})
    assert client.get("/staff").status_code == 302


def test_login_redirects_only_to_local_next(client, app_ctx):
    factories.user(email="leader@example.org")
    db.session.commit()
    response = client.post("/login?next=https://evil.example/",
                           data={"csrf_token": csrf_token(client, "/login"),
                                 "email": "leader@example.org", "password": factories.PASSWORD})
    assert response.headers["Location"] == "/staff"


def test_session_cookie_flags(client, app_ctx, app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    from app.config import ProductionConfig

    assert ProductionConfig.SESSION_COOKIE_SECURE is True


def test_admin_invites_a_user_who_sets_a_password_once(client, login_as):
    admin = login_as("admin")
    token = csrf_token(client, "/admin/users")
    response = client.post("/admin/users", data={
        "csrf_token": token, "email": " new.leader@example.org ", "role": "youth_leader",
        "organisation_id": admin.organisation_id})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    link = html.split('class="copy-field" readonly value="')[1].split('"')[0]
    path = link.split("localhost", 1)[1]
    client.post("/logout", data={"csrf_token": csrf_token(client, "/staff")})

    page = client.get(path)
    assert page.status_code == 200 and "new.leader@example.org" in page.get_data(as_text=True)
    form_token = csrf_token(client, path)
    short = client.post(path, data={"csrf_token": form_token, "password": "short",
                                    "confirm": "short"})
    assert "has-error" in short.get_data(as_text=True)
    own_email = client.post(path, data={"csrf_token": form_token,
                                        "password": "New.Leader@example.org",
                                        "confirm": "New.Leader@example.org"})
    assert "Välj något annat." in own_email.get_data(as_text=True)
    done = client.post(path, data={"csrf_token": form_token, "password": "a long new password",
                                   "confirm": "a long new password"})
    assert done.status_code == 302
    assert client.get(path).status_code == 410  # single use

    client.post("/login", data={"csrf_token": csrf_token(client, "/login"),
                                "email": "new.leader@example.org",
                                "password": "a long new password"})
    assert client.get("/staff").status_code == 200


def test_expired_link_does_not_work(client, app_ctx):
    user = factories.user()
    token = services.create_access_link(user, "reset", actor=None, valid_for=timedelta(seconds=-1))
    db.session.commit()
    assert client.get(f"/access/{token}").status_code == 410


def test_new_reset_link_replaces_the_old_one(client, app_ctx):
    user = factories.user()
    first = services.create_access_link(user, "reset", actor=None, valid_for=timedelta(days=1))
    second = services.create_access_link(user, "reset", actor=None, valid_for=timedelta(days=1))
    db.session.commit()
    assert client.get(f"/access/{first}").status_code == 410
    assert client.get(f"/access/{second}").status_code == 200


def test_password_reset_ends_other_sessions(client, app, login_as):
    user = login_as("youth_leader")
    token = services.create_access_link(user, "reset", actor=None, valid_for=timedelta(days=1))
    db.session.commit()
    other = app.test_client()
    other.post(f"/access/{token}", data={"csrf_token": csrf_token(other, f"/access/{token}"),
                                         "password": "another long password",
                                         "confirm": "another long password"})
    assert client.get("/staff").status_code == 302


def test_role_change_is_audited_and_only_for_admins(client, login_as, app_ctx):
    admin = login_as("admin")
    leader = factories.user(role="youth_leader", organisation=admin.organisation)
    db.session.commit()
    response = client.post(f"/admin/users/{leader.id}/role",
                           data={"csrf_token": csrf_token(client, "/admin/users"),
                                 "role": "core_team"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, leader.id).role == "core_team"
    [event] = events("user.role_changed")
    assert event.actor_id == admin.id
    assert event.details == {"before": "youth_leader", "after": "core_team"}


def test_non_admins_cannot_manage_accounts(client, login_as):
    login_as("core_team")
    assert client.get("/admin/users").status_code == 403


def test_admin_is_told_what_happened_to_an_account(client, login_as, app_ctx):
    login_as("admin")
    leader = factories.user(role="youth_leader", email="kim@example.org")
    db.session.commit()
    token = csrf_token(client, "/admin/users")
    off = client.post(f"/admin/users/{leader.id}/active", data={"csrf_token": token},
                      follow_redirects=True)
    assert "kim@example.org är avaktiverad" in off.get_data(as_text=True)
    on = client.post(f"/admin/users/{leader.id}/active", data={"csrf_token": token},
                     follow_redirects=True)
    assert "kim@example.org kan logga in igen" in on.get_data(as_text=True)
    tampered = client.post(f"/admin/users/{leader.id}/role", follow_redirects=True,
                           data={"csrf_token": token, "role": "god"})
    assert "Välj en roll i listan." in tampered.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(leader), leader.id).role == "youth_leader"


def test_admin_cannot_demote_themselves(client, login_as):
    admin = login_as("admin")
    client.post(f"/admin/users/{admin.id}/role",
                data={"csrf_token": csrf_token(client, "/admin/users"), "role": "youth_leader"})
    db.session.expire_all()
    assert db.session.get(User, admin.id).role == "admin"


def test_passwords_are_hashed_with_argon2id(app_ctx):
    user = factories.user()
    assert user.password_hash.startswith("$argon2id$")
    assert factories.PASSWORD not in user.password_hash


def _password_input(html: str) -> str:
    return re.search(r'<input[^>]*id="password"[^>]*>', html).group(0)


def test_a_pasted_password_over_the_limit_is_too_long_not_different(client, app_ctx):
    """The browser cut the new password at its maxlength but not the repeated one, so a
    long pasted password was refused as 'The passwords differ.'"""
    user = factories.user()
    token = services.create_access_link(user, "reset", actor=None, valid_for=timedelta(days=1))
    db.session.commit()
    path = f"/access/{token}?lang=en"
    assert "maxlength" not in _password_input(client.get(path).get_data(as_text=True))
    long = "correct horse battery staple " * 40  # 1160 characters
    response = client.post(path, data={"csrf_token": csrf_token(client, path),
                                       "password": long, "confirm": long})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The password is too long: it can have at most 1000 characters." in html
    assert "The passwords differ." not in html
    assert client.get(path).status_code == 200  # the link still works


def test_login_with_a_password_over_the_limit_says_it_is_too_long(client, app_ctx):
    factories.user(email="leader@example.org")
    db.session.commit()
    assert "maxlength" not in _password_input(client.get("/login").get_data(as_text=True))
    response = client.post("/login?lang=en", data={
        "csrf_token": csrf_token(client, "/login"), "email": "leader@example.org",
        "password": "x" * 1001})
    assert "The password is too long: it can have at most 1000 characters." in \
        response.get_data(as_text=True)


def test_a_deactivated_accounts_links_stop_working(client, login_as):
    """An invitation or reset link handed out before the account was deactivated still
    set a password ('Your password is saved. Log in with it now.'), then the login said
    'Wrong e-mail or password.'; and the link stayed good for whoever held it, should the
    account be activated again. Deactivating ends the links; a deactivated account is
    offered no new one."""
    login_as("admin")
    leaver = factories.user(role="core_team", email="leaver@example.org")
    token = services.create_access_link(leaver, "invite", actor=None,
                                        valid_for=timedelta(days=7))
    db.session.commit()
    password_before = leaver.password_hash
    admin_token = csrf_token(client, "/admin/users")
    client.post(f"/admin/users/{leaver.id}/active", data={"csrf_token": admin_token,
                                                          "active": "0"})
    assert client.get(f"/access/{token}").status_code == 410
    response = client.post(f"/access/{token}", data={
        "csrf_token": admin_token, "password": "lång nog och ovanlig 42",
        "confirm": "lång nog och ovanlig 42"})
    assert response.status_code == 410
    db.session.expire_all()
    assert db.session.get(User, leaver.id).password_hash == password_before
    # Activated again: the old link stays dead; a new link works.
    client.post(f"/admin/users/{leaver.id}/active", data={"csrf_token": admin_token,
                                                          "active": "1"})
    assert client.get(f"/access/{token}").status_code == 410
    html = client.get("/admin/users").get_data(as_text=True)
    assert f"/admin/users/{leaver.id}/link" in html
    client.post(f"/admin/users/{leaver.id}/active", data={"csrf_token": admin_token,
                                                          "active": "0"})
    html = client.get("/admin/users").get_data(as_text=True)
    assert f"/admin/users/{leaver.id}/link" not in html
    response = client.post(f"/admin/users/{leaver.id}/link",
                           data={"csrf_token": admin_token}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "/access/" not in html
    assert "leaver@example.org är avaktiverad: aktivera kontot först" in html
