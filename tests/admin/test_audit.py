"""The audit log at /admin/audit, as an administrator searches it."""
import re

from app.audit.services import record
from app.extensions import db


def _actions(html: str) -> list[str]:
    return re.findall(r"<td><code>([^<]+)</code></td>", html)


def test_the_action_box_finds_a_whole_family_of_actions(client, login_as):
    """Typing 'login' (or 'Login ') showed 'Nothing here right now.': only an exact action
    name such as login.failed matched, and the page lists none of them."""
    login_as("admin")  # login.succeeded, login.second_factor…
    record("login.failed", email="kim@example.org")
    record("user.invite_link_created")
    record("userXinvite_link_created")  # "_" is not a wildcard
    db.session.commit()
    found = _actions(client.get("/admin/audit?action=login").get_data(as_text=True))
    assert "login.failed" in found and "login.succeeded" in found
    assert not any(not a.startswith("login.") for a in found)
    assert _actions(client.get("/admin/audit?action=+Login+").get_data(as_text=True)) == found
    assert _actions(client.get("/admin/audit?action=login.failed").get_data(
        as_text=True)) == ["login.failed"]
    assert _actions(client.get("/admin/audit?action=user.invite_link").get_data(
        as_text=True)) == []  # a family is a whole word before the dot
    assert _actions(client.get("/admin/audit?action=user.invite_link_created").get_data(
        as_text=True)) == ["user.invite_link_created"]
    assert _actions(client.get("/admin/audit?action=log").get_data(as_text=True)) == []
