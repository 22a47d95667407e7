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


def test_the_accounts_table_fits_a_320_px_phone_and_keeps_its_words_whole(
        page, live_server, app_ctx):
    """At 320 px the whole page scrolled sideways (the buttons' hidden e-mail addresses
    stuck out of the table's scrolling box), and 'E-post', the addresses and the
    organisations were cut between every few letters, one under the other."""
    organisation = factories.organisation("Rädda Barnen")
    admin = factories.user(role="admin", email="admin@example.org", organisation=organisation)
    factories.user(role="core_team", email="kim.andersson@example.org",
                   organisation=organisation)
    db.session.commit()
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server}/login?lang=sv")
    page.locator("#email").fill(admin.email)
    page.locator("#password").fill(factories.PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/login/code")
    db.session.refresh(admin)
    page.locator("#code").fill(factories.totp_code(admin))
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/staff")

    page.goto(f"{live_server}/admin/users")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # The lines each text takes in the table (a cell is as tall as its row's forms).
    lines = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
        'table th, table td bdi, table td')].flatMap(cell => [...cell.childNodes]
        .filter(n => n.nodeType === 3 && n.textContent.trim()).map(n => {
          const range = document.createRange(); range.selectNodeContents(n);
          const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
          return [n.textContent.trim(), tops.size]; })))""")
    assert lines["E-post"] == 1 and lines["kim.andersson@example.org"] == 1, lines
    assert lines["Rädda Barnen"] <= 2, lines  # between its words, if at all
    assert serious_violations(page) == []
