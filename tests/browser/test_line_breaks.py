"""Texts staff write in a box with several lines (a consultation's introduction, a question's
help, a youth priority's summary, a "you said, we did" update) keep their line breaks on the
young person's phone: a list of steps or short paragraphs is not run together into one long
line, which is hard to read for anyone and harder still with reading difficulties."""
from playwright.sync_api import expect
from sqlalchemy import select

from app.consultations.models import Consultation
from app.extensions import db
from app.feedback import services as feedback
from app.results.models import Priority
from tests import factories
from tests.browser.test_participate import join_and_consent

LINES = "Vi har bestämt:\n– fler bänkar\n– ett tak över cykelstället"


def shown_lines(locator) -> list[str]:
    """The lines as the page shows them (innerText follows the CSS that keeps breaks)."""
    return [line.strip() for line in locator.inner_text().split("\n") if line.strip()]


def test_texts_written_on_several_lines_keep_their_lines(page, live_server, demo):
    consultation = db.session.scalar(select(Consultation))
    consultation.intro = {"sv": LINES}
    question = consultation.active_questions()[0]
    question.help = {"sv": LINES}
    priority = db.session.scalars(select(Priority).where(
        Priority.consultation_id == consultation.id)).first()
    priority.summary = {"sv": LINES}
    leader = factories.user(organisation=consultation.organisation)
    update = feedback.save(leader, None, title={"sv": "Nytt"}, body={"sv": LINES},
                           consultation_ids=[consultation.id], initiative_id=None)
    feedback.publish(leader, update)
    db.session.commit()
    expected = ["Vi har bestämt:", "– fler bänkar", "– ett tak över cykelstället"]

    page.goto(live_server + "/j/DEMO01")
    assert shown_lines(page.locator("section.card .lead")) == expected
    join_and_consent(page, live_server)
    assert shown_lines(page.locator("#read-question .hint").first) == expected
    page.goto(f"{live_server}/c/{consultation.id}/feedback")
    expect(page.locator(".feedback-item")).to_contain_text("fler bänkar")
    assert shown_lines(page.locator(".feedback-item p[dir=auto]")) == expected
    assert shown_lines(page.locator(".priority-list li").first)[1:] == expected
