"""Staff accounts at /admin/users, as an administrator uses them."""
import re

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from tests import factories
from tests.conftest import csrf_token


def _select(html: str, name: str) -> str:
    return re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)


def test_new_account_form_preselects_no_organisation(client, login_as):
    factories.organisation("Aaa första föreningen")
    login_as("admin")
    options = _select(client.get("/admin/users?lang=en").get_data(as_text=True),
                      "organisation_id")
    first = re.search(r"<option[^>]*>[^<]*</option>", options).group(0)
    assert 'value=""' in first and "Choose an organisation…" in first
    assert "selected" in first
    assert options.count("selected") == 1


def test_an_account_needs_a_chosen_organisation_and_keeps_what_was_typed(client, login_as):
    login_as("admin")
    response = client.post("/admin/users?lang=en", data={
        "csrf_token": csrf_token(client, "/admin/users"), "email": "kim@example.org",
        "role": "core_team", "organisation_id": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Choose the organisation the account belongs to." in html
    assert 'value="kim@example.org"' in html
    assert re.search(r'<option selected value="core_team"|<option value="core_team" selected',
                     _select(html, "role"))
    assert db.session.scalar(select(User).where(User.email == "kim@example.org")) is None


def test_an_account_is_made_in_the_chosen_organisation(client, login_as):
    login_as("admin")
    factories.organisation("Aaa första föreningen")
    chosen = factories.organisation("Zzz sista föreningen")
    db.session.commit()
    response = client.post("/admin/users", data={
        "csrf_token": csrf_token(client, "/admin/users"), "email": "kim@example.org",
        "role": "youth_leader", "organisation_id": str(chosen.id)})
    assert response.status_code == 200 and 'class="copy-field"' in response.get_data(as_text=True)
    made = db.session.scalar(select(User).where(User.email == "kim@example.org"))
    assert made.organisation_id == chosen.id


def test_own_row_has_no_role_or_deactivate_buttons(client, login_as):
    admin = login_as("admin", email="me@example.org")
    other = factories.user(role="youth_leader", email="kim@example.org")
    db.session.commit()
    html = client.get("/admin/users?lang=en").get_data(as_text=True)
    own_row = html.split("<bdi>me@example.org</bdi>")[1].split("</tr>")[0]
    assert "This is you" in own_row
    assert f"/admin/users/{admin.id}/role" not in html
    assert f"/admin/users/{admin.id}/active" not in html
    assert f"/admin/users/{other.id}/role" in html and f"/admin/users/{other.id}/active" in html
    assert "This is you" not in html.split("<bdi>kim@example.org</bdi>")[1].split("</tr>")[0]


def test_the_server_still_refuses_to_deactivate_oneself(client, login_as):
    admin = login_as("admin")
    client.post(f"/admin/users/{admin.id}/active",
                data={"csrf_token": csrf_token(client, "/admin/users")})
    db.session.expire_all()
    assert db.session.get(User, admin.id).active


def test_the_invitation_link_uses_the_public_address(app, client, login_as):
    """The link is sent by e-mail or chat: it must work from outside, not carry the address
    the administrator's request came in on (behind a proxy, an internal one)."""
    login_as("admin")
    chosen = factories.organisation("Zzz sista föreningen")
    db.session.commit()
    app.config["PUBLIC_URL"] = "https://medskapa.example.org"
    try:
        html = client.post("/admin/users", data={
            "csrf_token": csrf_token(client, "/admin/users"), "email": "kim@example.org",
            "role": "youth_leader", "organisation_id": str(chosen.id)}).get_data(as_text=True)
    finally:
        app.config["PUBLIC_URL"] = ""
    assert re.search(r'value="https://medskapa\.example\.org/access/[\w-]+"', html)
    assert "http://localhost/access/" not in html


def test_deactivate_from_an_older_page_keeps_the_account_deactivated(client, login_as):
    """Two administrators (or one in two tabs, or after Back) both press Deactivate on a
    leaver's account: the second press used to switch it back on, so the leaver could log
    in again, and the page only said so in a green message."""
    login_as("admin")
    leaver = factories.user(role="core_team", email="leaver@example.org")
    db.session.commit()
    token = csrf_token(client, "/admin/users")
    html = client.get("/admin/users").get_data(as_text=True)
    row = html.split("<bdi>leaver@example.org</bdi>")[1].split("</tr>")[0]
    form = re.search(rf'<form[^>]*action="/admin/users/{leaver.id}/active".*?</form>', row,
                     re.S).group(0)
    sent = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    sent["csrf_token"] = token
    for _ in range(2):  # the same page's button, twice
        response = client.post(f"/admin/users/{leaver.id}/active?lang=en", data=sent,
                               follow_redirects=True)
    db.session.expire_all()
    assert not db.session.get(User, leaver.id).active
    assert "leaver@example.org is deactivated and can no longer log in." in \
        response.get_data(as_text=True)
    # Activate on a page that still shows it deactivated does not deactivate it again.
    again = {**sent, "active": "1"}
    for _ in range(2):
        client.post(f"/admin/users/{leaver.id}/active", data=again)
    db.session.expire_all()
    assert db.session.get(User, leaver.id).active


def test_deactivating_an_admin_says_which_api_tokens_they_made_still_work(client, login_as):
    """The systems' tokens keep working when the admin who made them leaves (the systems
    are the coalition's), but the administrator is told, and the list shows it."""
    from app.api import services as api

    login_as("admin")
    leaver = factories.user(role="admin", email="leaver@example.org")
    _, value = api.create_token(leaver, "Portföljen", ["priorities"])
    old, _ = api.create_token(leaver, "Gamla systemet", ["priorities"])
    api.revoke_token(leaver, old)
    db.session.commit()
    token = csrf_token(client, "/admin/users")
    response = client.post(f"/admin/users/{leaver.id}/active?lang=en",
                           data={"csrf_token": token, "active": "0"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "leaver@example.org is deactivated and can no longer log in." in html
    assert "1 API token that leaver@example.org created still works." in html
    tokens = client.get("/admin/api-tokens?lang=en").get_data(as_text=True)
    row = tokens.split("<bdi>Portföljen</bdi>")[1].split("</tr>")[0]
    assert "leaver@example.org</bdi> (deactivated)" in row
    assert client.get("/api/v1/priorities", headers={
        "Authorization": f"Bearer {value}"}).status_code == 200


def test_deactivating_someone_without_api_tokens_says_nothing_of_them(client, login_as):
    login_as("admin")
    leaver = factories.user(role="youth_leader", email="leaver@example.org")
    db.session.commit()
    response = client.post(f"/admin/users/{leaver.id}/active?lang=en", data={
        "csrf_token": csrf_token(client, "/admin/users"), "active": "0"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "is deactivated and can no longer log in." in html and "still work" not in html
