"""A young person half-way through a consultation: switching language, the page swapped in
without a reload, and what else changes under a phone while it answers."""
from playwright.sync_api import expect

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
    expect(counter).to_contain_text("-3")
    expect(counter).to_have_class("error")
