"""Right-to-left done properly: the layout mirrors, and text keeps its own direction."""
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.participate.models import Contribution
from tests import factories
from tests.participate.helpers import answer, join

SWEDISH_IDEA = "Fler bänkar vid fotbollsplanen, tack!"


def test_arabic_mirrors_navigation_and_keeps_a_swedish_idea_left_to_right(
        page, app, app_ctx, live_server):
    consultation = factories.demo()
    phone = app.test_client()
    join(phone)
    answer(phone, consultation.id, factories.questions_by_kind(consultation)["idea"][0],
           {"text": SWEDISH_IDEA, "client_key": "sv1"})
    idea = db.session.scalar(select(Contribution))
    idea.status = "approved"
    db.session.commit()

    page.goto(live_server + "/j/DEMO01?lang=ar")
    page.locator("#consent button[type=submit]").tap()
    expect(page.locator(".progress-text")).to_be_visible()  # joined, before moving on
    n = factories.questions_by_kind(consultation)["statement"][0]
    page.goto(f"{live_server}/c/{consultation.id}/q/{n}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    back = page.locator(".q-nav a[rel=prev]").bounding_box()
    forward = page.locator(".q-nav button[type=submit]").bounding_box()
    assert forward["x"] < back["x"], "in Arabic, Next sits to the left of Back"

    swedish = page.locator("bdi", has_text=SWEDISH_IDEA)
    expect(swedish).to_have_attribute("lang", "sv")
    # <bdi> isolates the text and takes its direction from its own first strong letter.
    first_char_box = swedish.evaluate("""el => {
        const range = document.createRange();
        range.setStart(el.firstChild, 0); range.setEnd(el.firstChild, 1);
        return range.getBoundingClientRect().x; }""")
    last_char_box = swedish.evaluate("""el => {
        const range = document.createRange(); const n = el.firstChild.length;
        range.setStart(el.firstChild, n - 1); range.setEnd(el.firstChild, n);
        return range.getBoundingClientRect().x; }""")
    assert first_char_box < last_char_box, "a Swedish text reads left to right in Arabic"
