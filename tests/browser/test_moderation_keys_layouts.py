"""The queue's keyboard shortcuts with a non-Latin keyboard layout: a youth leader who
writes Arabic translations in the queue has the Arabic layout on."""
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.participate.models import Contribution
from tests.browser.conftest import log_in

PRESS = """([key, code]) => document.activeElement.dispatchEvent(new KeyboardEvent("keydown",
    {key: key, code: code, bubbles: true, cancelable: true}))"""


def test_shortcuts_follow_the_keys_place_with_an_arabic_layout(page, app, app_ctx,
                                                               live_server):
    """j gave "ت" and nothing happened: the shortcuts looked broken."""
    from tests import factories
    from tests.participate.helpers import answer, join

    consultation = factories.demo()
    n = factories.questions_by_kind(consultation)["idea"][0]
    for i, text in enumerate(["Första idén", "Andra idén"]):
        phone = app.test_client()
        join(phone)
        answer(phone, consultation.id, n, {"text": text, "client_key": f"ar{i}"})
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server, "leader@example.org", lang="ar")
    page.goto(f"{live_server}/moderate/c/{consultation.id}")
    page.evaluate(PRESS, ["ت", "KeyJ"])
    page.evaluate(PRESS, ["ت", "KeyJ"])  # the second text
    expect(page.locator("article.mod-item.is-current")).to_contain_text("Andra idén")
    page.evaluate(PRESS, ["ش", "KeyA"])  # publish
    expect(page.locator(".flash-success")).to_be_visible()
    db.session.expire_all()
    statuses = dict(db.session.execute(select(Contribution.text, Contribution.status)).all())
    assert statuses == {"Första idén": "pending", "Andra idén": "approved"}
