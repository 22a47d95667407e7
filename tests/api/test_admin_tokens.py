"""Admins create API tokens (shown once), see them listed and revoke them; nobody else can."""
import re

import pytest
from sqlalchemy import select

from app.admin.forms import SCOPE_LABELS
from app.api.models import SCOPES, ApiToken
from app.audit.models import AuditEvent
from app.extensions import db
from tests.api.helpers import bearer
from tests.conftest import csrf_token
from tests.sent_again import saved_once_then_again

TOKEN_RE = re.compile(r'value="(msk_[A-Za-z0-9_-]+)"')


def events(action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_admin_creates_a_token_that_is_shown_once_and_works(client, login_as):
    login_as("admin")
    response = client.post("/admin/api-tokens", data={
        "csrf_token": csrf_token(client, "/admin/api-tokens"),
        "name": "Kommunens dashboard", "scopes": ["priorities", "initiatives"]})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    value = TOKEN_RE.search(html).group(1)
    assert response.headers["Cache-Control"] == "no-store"

    token = db.session.scalar(select(ApiToken))
    assert token.name == "Kommunens dashboard"
    assert token.scopes == ["priorities", "initiatives"]
    assert token.token_hash == ApiToken.hash(value)
    [event] = events("api_token.created")
    assert event.details == {"name": "Kommunens dashboard",
                             "scopes": ["priorities", "initiatives"]}
    assert value not in str(event.details)

    listing = client.get("/admin/api-tokens").get_data(as_text=True)
    assert "Kommunens dashboard" in listing and token.prefix in listing
    assert value not in listing  # never shown again

    assert client.get("/api/v1/initiatives", headers=bearer(value)).status_code == 200
    assert client.get("/api/v1/decisions", headers=bearer(value)).status_code == 403


def test_admin_revokes_a_token(client, login_as):
    login_as("admin")
    client.post("/admin/api-tokens", data={
        "csrf_token": csrf_token(client, "/admin/api-tokens"), "name": "Gammalt system",
        "scopes": ["links"]})
    value = TOKEN_RE.search(client.post("/admin/api-tokens", data={
        "csrf_token": csrf_token(client, "/admin/api-tokens"), "name": "Nytt system",
        "scopes": ["links"]}).get_data(as_text=True)).group(1)
    token = db.session.scalar(select(ApiToken).where(ApiToken.name == "Nytt system"))

    response = client.post(f"/admin/api-tokens/{token.id}/revoke",
                           data={"csrf_token": csrf_token(client, "/admin/api-tokens")})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked_at is not None
    assert len(events("api_token.revoked")) == 1
    assert client.get("/api/v1/links", headers=bearer(value)).status_code == 401

    # Revoking again changes nothing and audits nothing.
    client.post(f"/admin/api-tokens/{token.id}/revoke",
                data={"csrf_token": csrf_token(client, "/admin/api-tokens")})
    assert len(events("api_token.revoked")) == 1
    other = db.session.scalar(select(ApiToken).where(ApiToken.name == "Gammalt system"))
    assert other.revoked_at is None


def test_revoke_needs_csrf(client, login_as):
    login_as("admin")
    client.post("/admin/api-tokens", data={
        "csrf_token": csrf_token(client, "/admin/api-tokens"), "name": "System",
        "scopes": ["links"]})
    token = db.session.scalar(select(ApiToken))
    assert client.post(f"/admin/api-tokens/{token.id}/revoke").status_code == 400
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked_at is None


@pytest.mark.parametrize("data", [{"name": "", "scopes": ["links"]},
                                  {"name": "Utan behörighet"},
                                  {"name": "Okänd", "scopes": ["everything"]}])
def test_a_token_needs_a_name_and_known_scopes(client, login_as, data):
    login_as("admin")
    response = client.post("/admin/api-tokens", data={
        "csrf_token": csrf_token(client, "/admin/api-tokens"), **data})
    assert response.status_code == 200
    assert 'class="error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(ApiToken)) is None


def test_page_is_in_swedish_by_default(client, login_as):
    login_as("admin")
    html = client.get("/admin/api-tokens").get_data(as_text=True)
    assert "API-nycklar" in html


@pytest.mark.parametrize("role", ["youth_leader", "core_team"])
def test_only_admins_manage_tokens(client, login_as, role):
    login_as(role)
    assert client.get("/admin/api-tokens").status_code == 403
    token = csrf_token(client, "/staff")
    assert client.post("/admin/api-tokens", data={
        "csrf_token": token, "name": "X", "scopes": ["links"]}).status_code == 403
    assert client.post("/admin/api-tokens/1/revoke",
                       data={"csrf_token": token}).status_code == 403
    assert db.session.scalar(select(ApiToken)) is None


def test_logged_out_visitors_are_sent_to_login(client):
    response = client.get("/admin/api-tokens")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_every_scope_has_a_label():
    assert set(SCOPE_LABELS) == set(SCOPES)


def test_a_token_name_with_a_direction_override_is_refused(client, login_as):
    """It showed reversed in the list of tokens ("Dash\u202eboard")."""
    login_as("admin")
    response = client.post("/admin/api-tokens", data={
        "csrf_token": csrf_token(client, "/admin/api-tokens"),
        "name": "Dash\u202eboard", "scopes": ["priorities"]})
    assert "dolt tecken" in response.get_data(as_text=True)
    assert db.session.scalar(select(ApiToken)) is None


def test_back_and_create_again_makes_no_second_token(client, login_as):
    login_as("admin")
    again = saved_once_then_again(
        client, "/admin/api-tokens?lang=en",
        {"name": "Kommunens dashboard", "scopes": ["priorities", "decisions"]},
        lambda: len(db.session.scalars(select(ApiToken.id)).all()),
        typed=['value="Kommunens dashboard"', 'value="priorities" checked',
               'value="decisions" checked'],
        link=lambda: f"/admin/api-tokens#token-{db.session.scalar(select(ApiToken.id))}",
        button="Create token")
    assert not TOKEN_RE.search(again.get_data(as_text=True))  # a value is shown only once
