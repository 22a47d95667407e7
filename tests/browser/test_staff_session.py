"""A youth leader's session ends while they write ("you said, we did" takes a while): Save
sends them to the login page, and after logging in the form is back as they typed it."""
from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import func, select

from app.extensions import db
from app.feedback.models import FeedbackUpdate
from tests.browser.conftest import log_in


def test_what_was_typed_is_back_after_logging_in_again(page, app, live_server, demo):
    log_in(page, live_server, "leader@example.org")
    page.goto(live_server + "/feedback/new")
    page.locator("#title_sv").fill("Fler bänkar på skolgården")
    page.locator("#body_sv").fill("Ni bad om bänkar i skuggan. Nu är de beställda.")
    page.locator("#title_en").fill("More benches in the schoolyard")
    first = page.locator('input[name="consultation"]').first
    first.check()
    default = app.config["STAFF_IDLE_TIMEOUT"]
    app.config["STAFF_IDLE_TIMEOUT"] = timedelta(0)  # the coffee break was too long
    try:
        page.wait_for_timeout(1100)
        page.get_by_role("button", name="Spara utkast").click()
        expect(page.get_by_text("Du loggades ut")).to_be_visible()
    finally:
        app.config["STAFF_IDLE_TIMEOUT"] = default
    assert db.session.scalar(select(func.count()).select_from(FeedbackUpdate)) == 0

    page.locator("#email").fill("leader@example.org")
    page.locator("#password").fill("demo password 1")
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/feedback/new")
    expect(page.get_by_role("status").filter(has_text="det här sparades inte")).to_be_visible()
    expect(page.locator("#title_sv")).to_have_value("Fler bänkar på skolgården")
    expect(page.locator("#body_sv")).to_have_value(
        "Ni bad om bänkar i skuggan. Nu är de beställda.")
    expect(page.locator("#title_en")).to_have_value("More benches in the schoolyard")
    expect(page.locator('input[name="consultation"]').first).to_be_checked()
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.locator("#title_sv")).to_have_count(0)  # saved: on to the update's page
    db.session.expire_all()
    assert db.session.scalar(select(FeedbackUpdate.title)) == {
        "sv": "Fler bänkar på skolgården", "en": "More benches in the schoolyard"}

    # Another page later does not get the text again.
    page.goto(live_server + "/feedback/new")
    expect(page.locator("#title_sv")).to_have_value("")
