"""Hostile input at the forms the other hostile-input tests do not reach: the login, its
second step and the password form of an invite link, and the JSON a browser sends to
subscribe to notifications. Never a 500; nothing stored that was not valid."""
import json

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.accounts import services as accounts
from app.accounts.models import User
from app.extensions import db, limiter
from app.push.models import PushSubscription
from tests import factories
from tests.conftest import csrf_token
from tests.participate.helpers import answer, join
from tests.security.test_hostile_input import HOSTILE, SETTINGS

SEEN_5XX = "Något gick fel hos oss"
JSONISH = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), HOSTILE),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(
                                ["endpoint", "keys", "p256dh", "auth", "subscription",
                                 "consultation_id", "x"]), inner, max_size=4)),
    max_leaves=12)


def _ok(response, where):
    assert response.status_code < 500, (where, response.status_code)
    assert SEEN_5XX not in response.get_data(as_text=True), where


@SETTINGS
@given(email=HOSTILE, password=HOSTILE)
def test_the_login_form_never_fails(app, app_ctx, email, password):
    limiter.reset()
    client = app.test_client()
    response = client.post("/login", data={"csrf_token": csrf_token(client, "/login"),
                                           "email": email, "password": password})
    _ok(response, "login")
    assert response.status_code in (200, 400, 429)  # never logged in


@SETTINGS
@given(code=HOSTILE)
def test_the_code_step_never_fails_and_lets_nobody_in(app, app_ctx, code):
    limiter.reset()
    user = db.session.scalar(select(User).where(User.email == "twofactor@example.org")) \
        or factories.user(email="twofactor@example.org", two_factor=True)
    db.session.commit()
    client = app.test_client()
    client.post("/login", data={"csrf_token": csrf_token(client, "/login"),
                                "email": user.email, "password": factories.PASSWORD})
    response = client.post("/login/code", data={
        "csrf_token": csrf_token(client, "/login/code"), "code": code})
    _ok(response, "code")
    assert client.get("/staff").status_code == 302


@SETTINGS
@given(password=HOSTILE)
def test_the_password_form_of_an_invite_never_fails(app, app_ctx, password):
    user = factories.user()
    token = accounts.create_access_link(user, "invite", actor=None,
                                        valid_for=app.config["INVITE_VALID_FOR"])
    db.session.commit()
    before = user.password_hash
    client = app.test_client()
    path = f"/access/{token}"
    response = client.post(path, data={"csrf_token": csrf_token(client, path),
                                       "password": password, "confirm": password})
    _ok(response, "access")
    db.session.expire_all()
    stored = db.session.get(User, user.id).password_hash
    if response.status_code == 302:  # accepted: a new hash, and a password that is usable
        assert stored != before and len(password) >= accounts.MIN_PASSWORD_LENGTH
    else:  # refused: nothing changed
        assert stored == before


@SETTINGS
@given(body=JSONISH)
def test_hostile_subscriptions_never_fail_and_store_nothing(app, app_ctx, body):
    limiter.reset()
    demo = factories.demo()
    phone = app.test_client()
    join(phone)
    n = factories.questions_by_kind(demo)["scale"][0]
    answer(phone, demo.id, n, {"value": "3"})
    token = csrf_token(phone, f"/c/{demo.id}/done")
    for payload in (body, {"consultation_id": demo.id, "subscription": body}):
        response = phone.post("/push/subscribe", data=json.dumps(payload),
                              content_type="application/json",
                              headers={"X-CSRFToken": token})
        _ok(response, "subscribe")
        assert response.status_code in (400, 403, 429)
    assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 0
