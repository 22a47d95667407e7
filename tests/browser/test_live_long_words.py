"""The projector view with a long Swedish compound word (or a web address) in the title or the
question: the QR code and the code stay on the screen."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.consultations.models import Consultation
from app.extensions import db
from tests.browser.conftest import log_in

WORD = "Fritidsgårdsverksamhetsutvecklingsarbetet"  # 41 letters, a real compound


@pytest.mark.parametrize("width", [360, 1280])
def test_a_long_word_in_the_title_keeps_the_qr_code_in_view(page, live_server, demo, width):
    """The grid column grew to the word's width: at 360 px the page was 3 000 px wide with the
    QR code and the code off the screen, at 1280 px the title ran off its edge."""
    consultation = db.session.scalar(select(Consultation).where(
        Consultation.join_code == "DEMO01"))
    consultation.title = {**consultation.title, "sv": f"{WORD}: vad tycker du?"}
    db.session.commit()
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, live_server, "leader@example.org")
    page.goto(live_server + "/live/DEMO01")
    expect(page.locator(".live h1")).to_contain_text(WORD)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for part in (".live-qr svg", ".live-code", ".live h1"):
        box = page.locator(part).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (part, box)
