"""The projector shows new answers within 3 seconds while the room answers on phones, and
phones on the waiting screen follow the question the leader shows."""
from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from app.consultations.models import Consultation
from app.extensions import db
from tests.browser.conftest import PHONE, log_in, serious_violations


def join_phone(browser, live_server, consultation_id):
    context = browser.new_context(**PHONE, locale="sv-SE")
    phone = context.new_page()
    phone.goto(live_server + "/j/DEMO01")
    phone.get_by_role("button", name="Jag förstår – börja").tap()
    expect(phone.locator(".progress-text span")).to_have_text("Fråga 1 av 6")
    phone.goto(f"{live_server}/c/{consultation_id}/wait")
    return context, phone


def test_projector_counts_follow_two_phones(page, browser, live_server, demo):
    consultation_id = db.session.scalar(
        select(Consultation.id).where(Consultation.join_code == "DEMO01"))
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server, "leader@example.org")
    page.goto(live_server + "/live/DEMO01")
    expect(page.locator("[data-participants]")).to_have_text("0")

    contexts = []
    try:
        first_context, first = join_phone(browser, live_server, consultation_id)
        contexts.append(first_context)
        expect(first.locator("[data-wait-url]")).to_be_visible()
        expect(page.locator("[data-participants]")).to_have_text("1", timeout=3000)

        page.locator(".live-steps form").nth(4).locator("button").click()  # the scale
        expect(page.locator("[data-kind=scale]")).to_be_visible()
        # The waiting phone moves on by itself.
        expect(first.locator(".progress-text span")).to_have_text("Fråga 5 av 6",
                                                                    timeout=5000)
        second_context, second = join_phone(browser, live_server, consultation_id)
        contexts.append(second_context)
        expect(second.locator(".progress-text span")).to_have_text("Fråga 5 av 6")

        for phone, face in ((first, 4), (second, 2)):
            phone.locator("label.face").nth(face - 1).tap()
            phone.locator(".q-nav button[type=submit]").tap()
        values = page.locator("[data-result] .bar-value")
        expect(page.locator("[data-participants]")).to_have_text("2", timeout=3000)
        expect(values.nth(3)).to_have_text("1", timeout=3000)
        expect(values.nth(1)).to_have_text("1", timeout=3000)
    finally:
        for context in contexts:
            context.close()


def test_after_a_step_the_keyboard_goes_on_from_the_button_pressed(page, live_server, demo):
    """The page came back with focus at its top: ~9 header links before the next step."""
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server, "leader@example.org")
    page.goto(live_server + "/live/DEMO01")
    steps = page.locator(".live-steps button")
    steps.nth(1).focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/live/DEMO01#step-2")
    expect(page.locator("[aria-current=step]")).to_have_text("2")
    expect(steps.nth(1)).to_be_focused()
    page.keyboard.press("Tab")
    expect(steps.nth(2)).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/live/DEMO01#step-3")
    expect(steps.nth(2)).to_be_focused()
    expect(page.locator(".live-code")).to_be_in_viewport()  # the projector still shows it


def test_without_javascript_tab_starts_at_the_button_pressed(browser, live_server, demo):
    context = browser.new_context(java_script_enabled=False,
                                  viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        log_in(page, live_server, "leader@example.org")
        page.goto(live_server + "/live/DEMO01")
        page.locator(".live-steps button").nth(1).click()
        page.wait_for_url("**/live/DEMO01#step-2")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('form').id") == "step-2"
    finally:
        context.close()


def test_a_projector_left_open_says_the_session_ended_and_logs_in_again(page, live_server,
                                                                         demo, app,
                                                                         monkeypatch):
    """Its polls do not keep the leader logged in: once the session has ended for lack of
    use, the projector says the figures have stopped, with a way to log in again that comes
    back to the live view."""
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server, "leader@example.org")
    page.goto(live_server + "/live/DEMO01")
    notice = page.locator("[data-logged-out]")
    expect(notice).to_be_hidden()
    monkeypatch.setitem(app.config, "STAFF_IDLE_TIMEOUT", timedelta(seconds=1))
    expect(notice).to_be_visible(timeout=6000)
    expect(notice).to_contain_text("siffrorna här har stannat")
    assert serious_violations(page) == []
    monkeypatch.undo()
    notice.get_by_role("link", name="Logga in igen").click()
    page.locator("#email").fill("leader@example.org")
    page.locator("#password").fill("demo password 1")
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/live/DEMO01")
    expect(page.locator("[data-logged-out]")).to_be_hidden()
