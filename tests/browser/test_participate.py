"""A young person on a phone: join, consent, answer every kind of question, see it under
"My answers" — with JavaScript, without it, in Arabic at 320 px, and offline."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.extensions import db
from app.participate.models import Contribution, Participant, Vote
from tests.browser.conftest import PHONE, serious_violations, wait_until

IDEA = "Bänkar med tak så vi kan sitta ute när det regnar"


def answer_current(page, check_axe=False):
    """Answer whatever question is on screen, the way a child would: by tapping."""
    kind = page.locator("[data-question-kind]").get_attribute("data-question-kind")
    if check_axe:
        assert serious_violations(page) == [], kind
    if kind == "idea":
        page.locator("#text").fill(IDEA)
    elif kind == "word":
        page.locator("#text").fill("pirrigt")
    elif kind == "statement":
        for fieldset in page.locator("fieldset.statement").all()[:2]:
            fieldset.locator("label.vote-agree").tap()
    elif kind == "rank":
        for place in (1, 2):
            select = page.locator(f"#place_{place}")
            select.select_option(index=place)
    elif kind == "scale":
        page.locator("label.face").nth(3).tap()
    elif kind == "choice":
        page.locator("label.choice").first.tap()
    page.locator(".q-nav button[type=submit]").tap()
    return kind


def join_and_consent(page, live_server, via="qr"):
    if via == "code":
        page.goto(live_server + "/")
        page.get_by_label("Kod").fill("demo01")
        page.get_by_role("button", name="Gå med").tap()
    else:
        page.goto(live_server + "/j/DEMO01")
    expect(page.get_by_role("heading", name="Vad händer med dina svar?")).to_be_visible()
    page.get_by_role("button", name="Jag förstår – börja").tap()
    expect(page.locator(".progress-text span")).to_have_text("Fråga 1 av 6")


def answer_all(page, check_axe=False):
    kinds = []
    for n in range(1, 7):
        expect(page.locator(".progress-text span")).to_have_text(f"Fråga {n} av 6")
        kinds.append(answer_current(page, check_axe))
    expect(page.get_by_role("heading", name="Tack!")).to_be_visible()
    return kinds


def stored():
    db.session.expire_all()
    return (db.session.scalar(select(func.count()).select_from(Contribution)),
            db.session.scalar(select(func.count()).select_from(Vote)))


@pytest.mark.parametrize("via", ["code", "qr"])
def test_join_answer_everything_and_see_it(page, live_server, demo, via):
    join_and_consent(page, live_server, via)
    kinds = answer_all(page, check_axe=(via == "qr"))
    assert sorted(kinds) == ["choice", "idea", "rank", "scale", "statement", "word"]
    assert stored() == (2, 2 + 2 + 1 + 1)  # idea+word; 2 statements, 2 places, scale, choice
    page.get_by_role("link", name="Se mina svar").tap()
    expect(page.get_by_text(IDEA)).to_be_visible()
    expect(page.get_by_text("Väntar på en ungdomsledare").first).to_be_visible()
    assert serious_violations(page) == []


def test_a_worrying_idea_leads_to_help_whichever_button_sends_it(page, live_server, demo):
    """With JavaScript the idea is sent without a reload; a text that sounds like the child
    is not safe still opens the help page, also from "Send and write another idea"."""
    join_and_consent(page, live_server)
    box = page.locator("#text")
    box.fill("Fler bänkar")
    expect(page.locator("#text-hint")).to_contain_text("489 tecken kvar")
    expect(page.locator("#text-hint")).to_contain_text("Skriv inga namn")
    page.get_by_role("button", name="Skicka och skriv en idé till").tap()
    expect(page.locator("[data-send-status]")).to_contain_text("Din idé är sparad")
    box.fill("jag vill inte leva längre")
    page.get_by_role("button", name="Skicka och skriv en idé till").tap()
    expect(page.get_by_role("heading", name="Du är inte ensam")).to_be_visible()
    assert stored()[0] == 2


def test_a_half_written_idea_survives_a_reload_until_it_is_sent(page, live_server, demo):
    join_and_consent(page, live_server)
    page.locator("#text").fill("Ett tak över")
    page.reload()
    expect(page.locator("#text")).to_have_value("Ett tak över")
    expect(page.locator("#text-hint")).to_contain_text("488 tecken kvar")
    page.get_by_role("button", name="Skicka och skriv en idé till").tap()
    expect(page.locator("[data-send-status]")).to_contain_text("Din idé är sparad")
    page.reload()
    expect(page.locator("#text")).to_have_value("")
    assert stored()[0] == 1


def test_everything_works_without_javascript(browser, live_server, demo):
    context = browser.new_context(**PHONE, locale="sv-SE", java_script_enabled=False)
    page = context.new_page()
    try:
        join_and_consent(page, live_server, "code")
        answer_all(page)
        assert stored() == (2, 6)
        # A mistake is explained next to the field and the text is kept.
        consultation_id = db.session.scalar(select(Participant.consultation_id))
        page.goto(f"{live_server}/c/{consultation_id}/q/1")
        page.locator("#text").fill("x" * 501)
        page.locator(".q-nav button[type=submit]").tap()
        expect(page.locator("#text-error")).to_contain_text("högst 500 tecken")
        expect(page.locator("#text")).to_have_value("x" * 501)
        page.goto(live_server + "/me")
        expect(page.get_by_text(IDEA)).to_be_visible()
    finally:
        context.close()


def test_arabic_at_320_pixels_has_no_sideways_scrolling(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 320, "height": 640}, is_mobile=True,
                                  has_touch=True, locale="ar")
    page = context.new_page()
    try:
        page.goto(live_server + "/j/DEMO01?lang=ar")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        fits = "document.documentElement.scrollWidth <= window.innerWidth"
        assert page.evaluate(fits)
        assert serious_violations(page) == []
        page.locator("#consent button[type=submit]").tap()
        for n in range(1, 7):
            expect(page.locator(".progress-text span")).to_have_text(f"السؤال {n} من 6")
            assert page.evaluate(fits), f"question {n} scrolls sideways"
            assert serious_violations(page) == [], n
            answer_current(page)
        page.goto(live_server + "/me")
        assert page.evaluate(fits)
        assert serious_violations(page) == []
    finally:
        context.close()


def test_offline_answer_is_kept_and_sent_exactly_once(page, context, live_server, demo):
    join_and_consent(page, live_server)
    # With the service worker in control, as on a phone that has visited before.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("navigator.serviceWorker.controller !== null"):
        page.reload()
    wait_until(page, "navigator.serviceWorker.controller !== null", timeout=20.0)
    url = page.url
    context.set_offline(True)
    page.locator("#text").fill(IDEA)
    page.get_by_role("button", name="Skicka och skriv en idé till").tap()
    expect(page.locator("[data-send-status]")).to_contain_text("Ingen anslutning just nu")
    expect(page.locator("#waiting")).to_be_visible()
    expect(page.locator("#waiting [data-count]")).to_have_text("1")
    assert stored() == (0, 0)
    queued = page.evaluate("MedskapaQueue.all()")
    assert len(queued) == 1 and queued[0]["label"] == IDEA

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#waiting")).to_be_hidden(timeout=10000)
    expect(page.locator("[data-send-status]")).not_to_contain_text("Ingen anslutning")
    assert stored() == (1, 0)
    assert page.evaluate("MedskapaQueue.all()") == []

    # Sending the same queued answer twice on purpose stores nothing new.
    item = dict(queued[0])
    page.evaluate("item => MedskapaQueue.add(item)", item)
    page.evaluate("item => MedskapaQueue.add(item)", item)
    left = page.evaluate(
        "MedskapaQueue.flush(document.querySelector('meta[name=csrf-token]').content)")
    assert left == 0
    page.evaluate(
        """item => fetch(item.url, {method: 'POST', body: item.body, credentials: 'same-origin',
            headers: {'Content-Type': 'application/x-www-form-urlencoded',
                      'Accept': 'application/json',
                      'X-CSRFToken': document.querySelector('meta[name=csrf-token]').content}})
            .then(r => r.json())""", item)
    assert stored() == (1, 0)
    assert page.url == url


STUB_VOICES = """
window.__spoken = [];
const fake = {
  getVoices: () => [{lang: 'sv-SE', name: 'Alva'}, {lang: 'en-GB', name: 'Daniel'}],
  speak: u => window.__spoken.push([u.lang, u.text]),
  cancel: () => {}, addEventListener: () => {},
};
Object.defineProperty(window, 'speechSynthesis', {value: fake});
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
"""


def test_read_aloud_uses_the_phones_voice_and_hides_without_one(browser, live_server, demo):
    with_voice = browser.new_context(**PHONE, locale="sv-SE")
    with_voice.add_init_script(STUB_VOICES)
    page = with_voice.new_page()
    try:
        page.goto(live_server + "/j/DEMO01")
        page.get_by_role("button", name="Läs upp").tap()
        spoken = page.evaluate("window.__spoken")
        assert spoken and spoken[0][0] == "sv" and "Du svarar utan ditt namn" in spoken[0][1]
        page.get_by_role("button", name="Jag förstår – börja").tap()
        page.get_by_role("button", name="Läs upp").tap()
        assert "Vad skulle göra din skolgård bättre?" in page.evaluate("window.__spoken")[-1][1]
        # No Arabic voice on this phone: the button is not offered.
        page.goto(live_server + "/j/DEMO01?lang=ar")
        expect(page.locator("[data-read-aloud-button]").first).to_be_hidden()
    finally:
        with_voice.close()
