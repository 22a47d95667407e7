"""A youth leader on a phone writes a consultation in Swedish and English, opens it and
shares it; the authoring pages have no serious accessibility problems."""
from playwright.sync_api import expect
from sqlalchemy import select

from app.consultations.models import Consultation
from app.extensions import db
from tests.browser.conftest import serious_violations

FITS = "document.documentElement.scrollWidth <= window.innerWidth"


def _check(page, what, heading):
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)  # arrived
    assert page.evaluate(FITS), f"{what} scrolls sideways"
    assert serious_violations(page) == [], what


def _texts(page, legend, sv, en):
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Svenska").fill(sv)
    group.get_by_label("English").fill(en)


def _add_question(page, kind_label, sv, en):
    page.get_by_label("Kind of question").select_option(label=kind_label)
    page.get_by_role("button", name="Add question").tap()
    _texts(page, "The question", sv, en)


def test_leader_writes_opens_and_shares_a_consultation(page, live_server, demo):
    page.goto(live_server + "/login?lang=en")  # the new pages' words, before translation
    page.get_by_label("E-mail").fill("leader@example.org")
    page.get_by_label("Password").fill("demo password 1")
    page.get_by_role("button", name="Log in").tap()
    page.get_by_role("navigation", name="Staff menu").get_by_role(
        "link", name="Consultations").tap()
    _check(page, "list", "Consultations")

    page.get_by_role("link", name="New consultation").tap()
    _check(page, "new consultation form", "New consultation")
    _texts(page, "Title", "Läxhjälp i Vivalla", "Homework help in Vivalla")
    page.get_by_label("Vivallaskolan").check()
    page.get_by_role("button", name="Save").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Homework help in Vivalla")

    _add_question(page, "Ideas (free text)", "Vad behöver du hjälp med?",
                  "What do you need help with?")
    _check(page, "new idea question", "New question")
    page.get_by_role("button", name="Save question").tap()

    _add_question(page, "Choice (one or several)", "När passar det?", "When does it suit you?")
    for n, (sv, en) in enumerate([("Efter skolan", "After school"),
                                  ("På helgen", "At the weekend")], start=1):
        row = page.get_by_role("group", name=f"Option {n}", exact=True)
        row.get_by_label("Svenska").fill(sv)
        row.get_by_label("English").fill(en)
    _check(page, "new choice question", "New question")
    page.get_by_role("button", name="Save question").tap()

    _check(page, "consultation page", "Homework help in Vivalla")
    page.get_by_role("button", name="Open it").tap()
    expect(page.locator(".flash-success")).to_contain_text("The consultation is open")
    db.session.expire_all()
    consultation = db.session.scalar(select(Consultation).where(
        Consultation.title["sv"].as_string() == "Läxhjälp i Vivalla"))
    assert consultation.status == "open" and len(consultation.active_questions()) == 2

    page.get_by_role("link", name="Edit question 2").tap()
    _check(page, "edit choice question", "Edit question")
    page.go_back()
    page.get_by_role("link", name="Preview question 1").tap()
    expect(page.get_by_text("Preview – answers are not saved.")).to_be_visible()
    _check(page, "preview", "What do you need help with?")
    page.go_back()
    page.get_by_role("link", name="Share: link, QR code, posters").tap()
    expect(page.locator(".code-big")).to_have_text(consultation.join_code)
    _check(page, "share", "Share")
    page.get_by_role("link", name="Poster for Vivallaskolan").tap()
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    _check(page, "poster", "Läxhjälp i Vivalla")
    # Print and Back are two targets a thumb can tell apart (WCAG 2.5.8: 24 px apart at least).
    button = page.get_by_role("button", name="Print").bounding_box()
    back = page.get_by_role("link", name="Back to sharing").bounding_box()
    apart = max(back["x"] - (button["x"] + button["width"]),
                back["y"] - (button["y"] + button["height"]))
    assert apart >= 8 and back["height"] >= 24, (button, back)


def test_a_refused_form_on_a_small_phone_jumps_to_the_field_to_fix(browser, live_server, demo):
    """320 px wide: the summary at the top of the long consultation form names what to fix;
    tapping it puts the cursor in that field, ready to type."""
    from tests.browser.conftest import PHONE, log_in
    context = browser.new_context(**{**PHONE, "viewport": {"width": 320, "height": 640}},
                                  locale="en-GB")
    page = context.new_page()
    try:
        log_in(page, live_server, "leader@example.org", lang="en")
        page.goto(live_server + "/staff/consultations/new")
        group = page.get_by_role("group", name="Title", exact=True)
        group.get_by_label("English").fill("Homework help")
        page.get_by_label("Opens").fill("2026-03-02T08:00")
        page.get_by_label("Closes").fill("2026-03-01T08:00")
        page.get_by_role("button", name="Save").tap()
        summary = page.locator(".error-summary")
        expect(summary).to_contain_text("Please check the fields marked below.")
        assert page.evaluate(FITS) and serious_violations(page) == []
        summary.get_by_role("link", name="Closes: The closing time must be after the opening "
                                          "time.").tap()
        expect(page.get_by_label("Closes")).to_be_focused()
        summary.get_by_role("link", name="Title – Svenska: Write the title in Swedish.").tap()
        title_sv = group.get_by_label("Svenska")
        expect(title_sv).to_be_focused()
        expect(title_sv).to_be_in_viewport()
        expect(group.get_by_label("English")).to_have_value("Homework help")  # kept
        page.keyboard.type("Läxhjälp")
        page.get_by_role("button", name="Save").tap()
        expect(page.locator(".error-summary")).not_to_contain_text("Title")
    finally:
        context.close()
