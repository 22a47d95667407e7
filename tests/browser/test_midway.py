"""A young person half-way through a consultation: switching language, the page swapped in
without a reload, and what else changes under a phone while it answers."""
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, QUEUE_EMPTY, wait_until
from tests.browser.test_participate import join_and_consent


def test_a_language_chosen_after_some_answers_keeps_the_question_on_screen(page, live_server,
                                                                           demo):
    join_and_consent(page, live_server)
    page.locator("#text").fill("Fler bänkar på skolgården")
    page.locator(".q-nav button[type=submit]").tap()
    expect(page.locator(".progress-text span")).to_have_text("Fråga 2 av 6")
    page.locator(".lang-menu summary").tap()
    page.locator(".lang-menu a[hreflang=en]").tap()
    expect(page.locator(".progress-text span")).to_have_text("Question 2 of 6")
    assert page.url.endswith("/q/2")


def test_an_idea_sent_back_as_too_long_says_at_once_how_much_to_take_away(page, live_server,
                                                                          demo):
    join_and_consent(page, live_server)
    page.locator("#text").fill("x" * 499 + "🏳️‍🌈")  # a rainbow flag is four characters
    page.locator(".q-nav button[type=submit]").tap()
    expect(page.locator("#text-error")).to_be_visible()
    counter = page.locator("[data-counter]")
    expect(counter).to_have_text("För många tecken: 3")
    expect(counter).to_have_class("error")


def test_the_skip_link_on_a_question_moves_the_focus_and_back_still_opens_the_last_one(
        page, live_server, demo):
    join_and_consent(page, live_server)
    page.locator("#text").fill("Fler bänkar på skolgården")
    page.locator(".q-nav button[type=submit]").tap()
    expect(page.locator(".progress-text span")).to_have_text("Fråga 2 av 6")
    page.locator(".skip-link").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # On to the question, not the page opened again with the focus at the top.
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
    page.go_back()  # from #main: the same question
    expect(page.locator(".progress-text span")).to_have_text("Fråga 2 av 6")
    page.go_back()  # the question before, as it is now
    expect(page.locator(".progress-text span")).to_have_text("Fråga 1 av 6")
    expect(page.locator("[data-own-list]")).to_contain_text("Fler bänkar på skolgården")
    page.go_forward()
    expect(page.locator(".progress-text span")).to_have_text("Fråga 2 av 6")


def test_a_phone_on_the_waiting_screen_moves_on_when_the_leader_closes_the_consultation(
        page, live_server, demo):
    from sqlalchemy import select

    from app.consultations.models import Consultation
    from app.extensions import db

    join_and_consent(page, live_server)
    consultation = db.session.scalar(select(Consultation))
    page.goto(f"{live_server}/c/{consultation.id}/wait")
    expect(page.locator("[data-wait-url]")).to_be_visible()
    consultation.status = "closed"
    db.session.commit()
    # Not "Wait a moment … this page moves on by itself" for ever.
    expect(page.get_by_role("heading", name="Tack!")).to_be_visible(timeout=8000)


def test_ideas_kept_offline_join_your_ideas_so_far_once_they_are_sent(browser, live_server,
                                                                      demo):
    # Without the service worker, so that the page itself sends them when the connection
    # is back (the worker's background sync may beat it to it).
    context = browser.new_context(**PHONE, locale="sv-SE", service_workers="block")
    page = context.new_page()
    try:
        join_and_consent(page, live_server)
        context.set_offline(True)
        for idea in ("Fler bänkar", "Frukt på rasten"):
            page.locator("#text").fill(idea)
            page.locator("button[name=more]").tap()
            expect(page.locator("#waiting [data-count]")).to_have_text(
                "1" if idea == "Fler bänkar" else "2")
        own = page.locator("[data-own-list]")
        expect(own).to_be_hidden()
        context.set_offline(False)
        expect(page.locator("#waiting")).to_be_hidden()
        expect(own.locator("li")).to_have_text(["Fler bänkar", "Frukt på rasten"])
        page.reload()  # the same as the server has them
        expect(own.locator("li")).to_have_text(["Fler bänkar", "Frukt på rasten"])
    finally:
        context.close()


def test_delete_everything_also_deletes_what_waits_on_the_phone(browser, live_server, demo):
    context = browser.new_context(**PHONE, locale="sv-SE", service_workers="block")
    page = context.new_page()
    try:
        join_and_consent(page, live_server)
        # An idea that cannot get through (the school wifi lets nothing out) waits on the
        # phone; another is half written.
        page.route("**/c/*/q/1", lambda route: route.abort() if route.request.method == "POST"
                   else route.continue_())
        page.locator("#text").fill("Mitt namn är Sara och jag vill ha fler bänkar")
        page.locator("button[name=more]").tap()
        expect(page.locator("#waiting [data-count]")).to_have_text("1")
        page.locator("#text").fill("Halvskriven")
        page.goto(live_server + "/me/delete")
        page.get_by_role("button", name="Ja, radera").tap()
        expect(page.locator(".flash-success")).to_be_visible()
        wait_until(page, QUEUE_EMPTY)
        assert page.evaluate("Object.keys(sessionStorage).filter("
                             "k => k.startsWith('medskapa-draft:'))") == []
        page.goto(live_server + "/me")
        expect(page.locator("#not-sent")).to_be_hidden()
    finally:
        context.close()


def test_send_and_write_another_with_an_empty_box_asks_for_a_text(page, live_server, demo):
    """After one idea, "Send and write another idea" with nothing written: the server's
    'write something first', on the same question (the plain send lost which button was
    pressed and went on to the next question)."""
    join_and_consent(page, live_server)
    page.locator("#text").fill("Fler bänkar på skolgården")
    page.locator("button[name=more]").tap()
    expect(page.locator("[data-own-list]")).to_contain_text("Fler bänkar på skolgården")
    expect(page.locator("#text")).to_have_value("")
    page.locator("button[name=more]").tap()
    expect(page.locator("#text-error")).to_contain_text("Skriv något först.")
    expect(page.locator(".progress-text span")).to_have_text("Fråga 1 av 6")
