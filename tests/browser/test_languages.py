"""Every UI language: the key pages are in that language, with the right direction, and fit
a 320 px phone without sideways scrolling."""
import pytest
from playwright.sync_api import expect

from app.i18n import LANGUAGES
from tests.browser.conftest import serious_violations

# Source texts that must not leak into another language's pages.
SWEDISH = ["Din röst räknas", "Mina svar", "Inloggning för personal", "Hoppa till innehållet"]
ENGLISH = ["Your voice counts", "My answers", "Staff login", "Skip to content"]
FITS = "document.documentElement.scrollWidth <= window.innerWidth"


def check(page, code, what):
    html = page.locator("html")
    expect(html).to_have_attribute("lang", code)
    expect(html).to_have_attribute("dir", "rtl" if LANGUAGES[code].rtl else "ltr")
    text = page.locator("body").inner_text()
    leaked = [s for s in (SWEDISH if code != "sv" else []) + (ENGLISH if code != "en" else [])
              if s in text]
    assert leaked == [], f"{code} {what}: untranslated {leaked}"
    assert page.evaluate(FITS), f"{code} {what} scrolls sideways at 320 px"


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_key_pages_in_every_language_at_320_px(browser, live_server, demo, code):
    context = browser.new_context(viewport={"width": 320, "height": 640}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/?lang={code}")
        check(page, code, "join page")
        page.goto(f"{live_server}/j/DEMO01")
        check(page, code, "welcome")
        page.locator("#consent button[type=submit]").tap()
        expect(page.locator(".progress-text")).to_be_visible()
        check(page, code, "question page")
        page.goto(f"{live_server}/me")
        check(page, code, "my answers")
        page.goto(f"{live_server}/login")
        check(page, code, "login")
        page.locator("#email").fill("leader@example.org")
        page.locator("#password").fill("demo password 1")
        page.locator("form button[type=submit]").tap()
        page.wait_for_url("**/staff")
        page.goto(f"{live_server}/moderate/")
        check(page, code, "moderation queue")
        assert serious_violations(page) == [], code
    finally:
        context.close()
