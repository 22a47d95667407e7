"""The results page on a laptop: a young person's long unbroken text does not push the
figures beside it out of sight (nor make a box that scrolls without a keyboard)."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.consultations.models import Consultation
from app.extensions import db
from app.participate import services as participate
from app.participate.models import Contribution
from tests import factories
from tests.browser.conftest import serious_violations

LAPTOP = {"width": 1280, "height": 800}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_long_word_in_an_idea_breaks_inside_the_statements_table(
        browser, live_server, demo, lang):
    consultation = db.session.scalar(select(Consultation).where(
        Consultation.join_code == "DEMO01"))
    questions = factories.questions_by_kind(consultation)
    phone = participate.join(consultation, "a-device-token-for-this-test", language="sv",
                             age_band=None, area_id=None)
    participate.submit_answer(phone, questions["idea"][1],
                              {"text": ["a" * 300], "client_key": ["long"]})
    db.session.scalar(select(Contribution).where(
        Contribution.participant_id == phone.id)).status = "approved"
    db.session.commit()

    context = browser.new_context(viewport=LAPTOP, locale="sv-SE")
    page = context.new_page()
    page.goto(f"{live_server}/login?lang={lang}")
    page.locator("input[name=email]").fill("leader@example.org")
    page.locator("input[name=password]").fill("demo password 1")
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url("**/staff")
    page.goto(f"{live_server}/results/c/{consultation.id}")
    table = page.locator(f'section[aria-labelledby="result-{questions["statement"][1].id}"]'
                         " .table-wrap")
    expect(table).to_be_visible()
    assert table.evaluate("box => box.scrollWidth <= box.clientWidth"), "scrolls sideways"
    assert serious_violations(page) == []
    context.close()
