"""A youth leader's session ends while a form is open in one tab, and they log in again in
another tab: the form's Save is then refused as expired (its token belonged to the session
that ended), and what was typed comes back when they reload the form."""
from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import func, select

from app.extensions import db
from app.feedback.models import FeedbackUpdate
from tests.browser.conftest import log_in


def test_a_form_refused_as_expired_gets_its_text_back_on_reload(page, app, live_server, demo):
    """'Go back, reload the page and try again' brought back an empty form."""
    log_in(page, live_server, "leader@example.org")
    page.goto(live_server + "/feedback/new")
    page.locator("#title_sv").fill("Fler bänkar på skolgården")
    page.locator("#body_sv").fill("Ni bad om bänkar i skuggan. Nu är de beställda.")
    page.locator('input[name="consultation"]').first.check()

    default = app.config["STAFF_IDLE_TIMEOUT"]
    app.config["STAFF_IDLE_TIMEOUT"] = timedelta(0)  # a long workshop
    other = page.context.new_page()
    try:
        page.wait_for_timeout(1100)
        other.goto(live_server + "/moderate/")  # the other tab finds the session ended
        expect(other.locator("#email")).to_be_visible()
    finally:
        app.config["STAFF_IDLE_TIMEOUT"] = default
    other.locator("#email").fill("leader@example.org")
    other.locator("#password").fill("demo password 1")
    other.locator("form button[type=submit]").click()
    other.wait_for_url("**/moderate/")

    page.get_by_role("button", name="Spara utkast").click()
    expect(page.get_by_role("heading", name="Formuläret hade gått ut")).to_be_visible()
    assert db.session.scalar(select(func.count()).select_from(FeedbackUpdate)) == 0
    page.go_back()  # the form's page again (no-store: loaded anew, with a fresh token)
    expect(page.get_by_role("status").filter(has_text="det här sparades inte")).to_be_visible()
    expect(page.locator("#title_sv")).to_have_value("Fler bänkar på skolgården")
    expect(page.locator("#body_sv")).to_have_value(
        "Ni bad om bänkar i skuggan. Nu är de beställda.")
    expect(page.locator('input[name="consultation"]').first).to_be_checked()
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.locator("#title_sv")).to_have_count(0)
    db.session.expire_all()
    assert db.session.scalar(select(FeedbackUpdate.title)) == {"sv": "Fler bänkar på skolgården"}
