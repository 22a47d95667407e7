"""An administrator's pages in a real browser: each account's buttons say whose account they
change, so a screen reader's list of buttons is not "Change role" ten times."""
import re
from collections import Counter

from playwright.sync_api import expect

from app.extensions import db
from tests import factories
from tests.browser.conftest import serious_violations


def test_each_accounts_buttons_name_the_account(page, live_server, app_ctx):
    admin = factories.user(role="admin", email="admin@example.org")
    factories.user(role="core_team", email="kim@example.org")
    factories.user(role="youth_leader", email="sam@example.org")
    db.session.commit()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server}/login?lang=en")
    page.locator("#email").fill(admin.email)
    page.locator("#password").fill(factories.PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/login/code")
    db.session.refresh(admin)
    page.locator("#code").fill(factories.totp_code(admin))
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/staff")

    page.goto(f"{live_server}/admin/users")
    table = page.locator("table")
    for email in ("kim@example.org", "sam@example.org"):
        for action in ("Change role", "Deactivate", "New link"):
            name = re.compile(rf"^{action}\W+{re.escape(email)}$")
            expect(table.get_by_role("button", name=name)).to_have_count(1)
    names = [b.text_content() for b in table.get_by_role("button").all()]
    assert not [n for n, times in Counter(names).items() if times > 1]
    # The e-mail is for screen readers only: the button looks as before.
    button = table.get_by_role("button", name=re.compile("^New link.*kim@example.org$"))
    assert button.bounding_box()["width"] < 200
    assert serious_violations(page) == []
