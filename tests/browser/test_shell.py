"""The app shell on a phone: it loads, installs its service worker, survives going offline,
and has no serious accessibility problems, in Swedish and in Arabic."""
import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests import factories
from tests.browser.conftest import serious_violations, wait_until


def test_start_page_loads_on_a_phone(page, live_server):
    page.goto(live_server + "/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Din röst räknas")
    code = page.get_by_label("Kod")
    expect(code).to_be_visible()
    box = page.get_by_role("button", name="Gå med").bounding_box()
    assert box["height"] >= 44
    no_scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_scroll


def test_service_worker_registers_and_offline_page_shows(page, context, live_server):
    page.goto(live_server + "/?lang=ar")
    wait_until(page, "navigator.serviceWorker.controller !== null "
                           "|| document.documentElement.dataset.swReady === '1'", timeout=10.0)
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()  # now controlled by the worker
    wait_until(page, "navigator.serviceWorker.controller !== null", timeout=10.0)
    context.set_offline(True)
    try:
        page.goto(live_server + "/login")
        expect(page.locator("#offline-page h1")).to_have_text("أنت غير متصل")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
    finally:
        context.set_offline(False)


def test_language_menu_works_by_keyboard(page, live_server):
    page.goto(live_server + "/")
    page.keyboard.press("Tab")  # skip link
    expect(page.get_by_role("link", name="Hoppa till innehållet")).to_be_focused()
    summary = page.locator(".lang-menu summary")
    summary.focus()
    page.keyboard.press("Enter")
    link = page.get_by_role("link", name="العربية")
    expect(link).to_be_visible()
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("صوتك مهم")


@pytest.mark.parametrize("lang", ["sv", "ar"])
def test_no_serious_accessibility_violations(page, live_server, app_ctx, lang):
    admin = factories.user(role="admin", email="admin@example.org")
    db.session.commit()
    public = ["/", "/login", "/offline", "/nothing-here"]
    for path in public:
        page.goto(f"{live_server}{path}?lang={lang}")
        assert serious_violations(page) == [], path

    page.goto(f"{live_server}/login?lang={lang}")
    page.locator("#email").fill(admin.email)
    page.locator("#password").fill(factories.PASSWORD)
    page.locator("form button[type=submit]").click()
    # Administrators always give the code from their authenticator app too.
    page.wait_for_url("**/login/code")
    assert serious_violations(page) == [], "/login/code"
    db.session.refresh(admin)
    page.locator("#code").fill(factories.totp_code(admin))
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/staff")
    for path in ["/staff", "/admin/users"]:
        page.goto(f"{live_server}{path}")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        assert serious_violations(page) == [], path


def test_the_accessibility_check_does_catch_problems(page):
    """Guards the guard: a page with an unlabelled field and an image without text fails."""
    page.set_content('<html lang="sv"><body><main><img src="x.png"><input></main></body></html>')
    found = " ".join(serious_violations(page))
    assert "image-alt" in found and "label" in found
