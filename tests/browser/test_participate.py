"""A young person on a phone: join, consent, answer every kind of question, see it under
"My answers" — with JavaScript, without it, in Arabic at 320 px, and offline."""
import json

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.consultations.models import Consultation
from app.extensions import db
from app.feedback import services as feedback
from app.participate.models import Contribution, Participant, Vote
from tests import factories
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
    # The question page's deferred scripts (the answer form, the offline queue) have run, as
    # they have by the time a child has read the question: a tap before that is a plain form
    # post, which is right without JavaScript but not what these tests are about.
    page.wait_for_load_state("load")


def stored_soon(page, expected=(1, 0), seconds=10):
    """What the server has stored, once it is `expected` or after `seconds` (the service
    worker sends in the background)."""
    for _ in range(seconds * 10):
        if stored() == expected:
            break
        page.wait_for_timeout(100)
    return stored()


def join_with_service_worker(page, live_server):
    """Joined, with the service worker in control, as on a phone that has visited before."""
    join_and_consent(page, live_server)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("navigator.serviceWorker.controller !== null"):
        page.reload()
    wait_until(page, "navigator.serviceWorker.controller !== null", timeout=20.0)


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
    expect(page.locator("#text-hint")).to_contain_text("Tecken kvar: 489")
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
    expect(page.locator("#text-hint")).to_contain_text("Tecken kvar: 488")
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


def test_back_and_next_again_without_javascript_keeps_the_idea_once(browser, live_server,
                                                                    demo):
    """Back fetches the question again (never stored) with a new key, and the browser puts
    the idea back in the box: Next again must not store it a second time."""
    context = browser.new_context(**PHONE, locale="sv-SE", java_script_enabled=False)
    page = context.new_page()
    try:
        join_and_consent(page, live_server)
        page.locator("#text").fill(IDEA)
        page.locator(".q-nav button[type=submit]").tap()
        expect(page.locator(".progress-text span")).to_have_text("Fråga 2 av 6")
        page.go_back()
        expect(page.locator("#text")).to_have_value(IDEA)
        page.locator(".q-nav button[type=submit]").tap()
        expect(page.locator(".progress-text span")).to_have_text("Fråga 2 av 6")
        db.session.expire_all()
        assert db.session.scalar(select(func.count(Contribution.id))) == 1
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
    join_with_service_worker(page, live_server)
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



def test_try_again_on_the_offline_page_opens_the_question_it_stood_in_for(
        page, context, live_server, demo):
    """A weak classroom wifi drops while moving to the next question: "Try again" on the
    offline page opens that question when the connection is back, not the start page
    (where the child would have to type the code again and begin from question 1)."""
    join_with_service_worker(page, live_server)
    answer_current(page)
    expect(page.locator(".progress-text span")).to_have_text("Fråga 2 av 6")
    context.set_offline(True)
    page.get_by_role("link", name="Hoppa över").tap()
    expect(page.get_by_role("heading", name="Du är offline")).to_be_visible()
    assert page.url.endswith("/q/3")
    context.set_offline(False)
    page.get_by_role("link", name="Försök igen").tap()
    expect(page.locator(".progress-text span")).to_have_text("Fråga 3 av 6")
    assert page.url.endswith("/q/3")


def test_next_with_an_empty_box_offline_keeps_nothing_and_goes_on_like_skip(
        page, context, live_server, demo):
    """Offline, Next with nothing written is not an answer to keep: no "Waiting to be sent"
    that the server would later refuse, but the offline page for the next question."""
    join_with_service_worker(page, live_server)
    expect(page.locator(".progress-text span")).to_have_text("Fråga 1 av 6")
    context.set_offline(True)
    page.locator("#text").fill("   ")
    page.get_by_role("button", name="Nästa").tap()
    expect(page.get_by_role("heading", name="Du är offline")).to_be_visible()
    assert page.url.endswith("/q/2")
    assert page.evaluate("""new Promise(resolve => {
        const open = indexedDB.open('medskapa', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('outbox', {keyPath: 'key'});
        open.onsuccess = () => {
            const all = open.result.transaction('outbox').objectStore('outbox').getAll();
            all.onsuccess = () => resolve(all.result.length);
        };
    })""") == 0
    context.set_offline(False)
    page.get_by_role("link", name="Försök igen").tap()
    expect(page.locator(".progress-text span")).to_have_text("Fråga 2 av 6")
    expect(page.locator("#waiting")).to_be_hidden()
    assert stored() == (0, 0)


def test_an_answer_sent_after_the_session_ended_is_stored_without_form_expired(
        page, context, live_server, demo):
    """The phone was put away and the browser closed (its session cookie gone) with the
    question open: Next still sends the idea and goes on, instead of "The form had expired"."""
    join_and_consent(page, live_server)
    page.locator("#text").fill(IDEA)
    old_token = page.evaluate("document.querySelector('meta[name=csrf-token]').content")
    context.clear_cookies(name="session")
    assert [c["name"] for c in context.cookies()] == ["device"]
    page.get_by_role("button", name="Nästa").tap()
    expect(page.locator(".progress-text span")).to_have_text("Fråga 2 av 6")
    assert stored() == (1, 0)
    assert page.evaluate("document.querySelector('meta[name=csrf-token]').content") != old_token
    # The new session's token works for the next answer as well.
    answer_current(page)
    expect(page.locator(".progress-text span")).to_have_text("Fråga 3 av 6")
    assert stored()[1] >= 1


def test_answers_kept_offline_are_sent_after_the_browser_session_ended(
        page, context, live_server, demo):
    """An idea kept on the phone offline, then the browser closed (its session, and so the
    kept answer's form token, gone): back online, the start page sends it with the new
    session's token instead of leaving it waiting for ever."""
    join_with_service_worker(page, live_server)
    context.set_offline(True)
    page.locator("#text").fill(IDEA)
    page.get_by_role("button", name="Skicka och skriv en idé till").tap()
    expect(page.locator("#waiting [data-count]")).to_have_text("1")
    context.clear_cookies(name="session")
    context.set_offline(False)
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", name="Din röst räknas")).to_be_visible()
    assert stored_soon(page) == (1, 0)


def test_a_refused_answer_sent_with_the_keyboard_puts_the_focus_on_what_to_fix(
        page, live_server, demo):
    """Keyboard only: Next with nothing chosen comes back with the focus on the first face
    (read with the message), not at the top of the page behind the menu."""
    join_and_consent(page, live_server)
    for n in range(1, 5):  # on to the scale question
        expect(page.locator(".progress-text span")).to_have_text(f"Fråga {n} av 6")
        answer_current(page)
    expect(page.locator(".progress-text span")).to_have_text("Fråga 5 av 6")
    page.locator(".q-nav button[type=submit]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#value-error")).to_have_text("Välj ett av svaren.")
    wait_until(page, "document.activeElement.name === 'value'")
    assert page.evaluate("document.activeElement.getAttribute('aria-describedby')") == \
        "value-error"
    page.keyboard.press("ArrowRight")  # the next face, chosen with the keyboard
    page.keyboard.press("Enter")
    expect(page.locator(".progress-text span")).to_have_text("Fråga 6 av 6")


def test_an_answer_kept_offline_is_sent_from_the_start_page_without_background_sync(
        browser, live_server, demo):
    """Safari and Firefox have no Background Sync. A child answers the last question with no
    connection, cannot reach the thank-you page, and later opens Medskapa's start page: the
    kept answer is sent then, not only if a question page is opened again."""
    context = browser.new_context(**PHONE, locale="sv-SE")
    context.add_init_script("Object.defineProperty(ServiceWorkerRegistration.prototype, "
                            "'sync', {get: () => undefined});")
    page = context.new_page()
    page.set_default_timeout(10000)
    try:
        join_and_consent(page, live_server)
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        if not page.evaluate("navigator.serviceWorker.controller !== null"):
            page.reload()
        wait_until(page, "navigator.serviceWorker.controller !== null", timeout=20.0)
        context.set_offline(True)
        page.locator("#text").fill(IDEA)
        page.locator(".q-nav button[type=submit]").tap()
        expect(page.locator("[data-send-status]")).to_contain_text("Ingen anslutning just nu")
        page.get_by_role("link", name="Hoppa över").tap()
        expect(page.get_by_role("heading", name="Du är offline")).to_be_visible()
        assert stored() == (0, 0)
        page.close()  # the child puts the phone away

        context.set_offline(False)
        page = context.new_page()
        page.goto(live_server + "/")
        expect(page.get_by_role("heading", name="Din röst räknas")).to_be_visible()
        assert stored_soon(page) == (1, 0)
        assert page.evaluate("""new Promise(resolve => {
            const open = indexedDB.open('medskapa', 1);
            open.onsuccess = () => {
                const all = open.result.transaction('outbox').objectStore('outbox').getAll();
                all.onsuccess = () => resolve(all.result.length);
            };
        })""") == 0
    finally:
        context.close()


def test_send_and_write_another_shows_the_idea_saved_where_the_child_looks(browser, live_server,
                                                                          demo):
    """On a small phone (320 × 568) the box empties after "Send and write another idea": the
    words that it was saved appear under the box, in sight (not below the buttons), and the
    idea joins "Your ideas so far" at once."""
    context = browser.new_context(**{**PHONE, "viewport": {"width": 320, "height": 568}},
                                  locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(10000)
    try:
        join_and_consent(page, live_server)
        page.locator("#text").fill(IDEA)
        page.get_by_role("button", name="Skicka och skriv en idé till").tap()
        saved = page.get_by_text("Tack! Din idé är sparad. Skriv en till om du vill.")
        expect(saved).to_be_in_viewport()
        expect(page.locator("#text")).to_have_value("")
        box = page.locator("#text").bounding_box()
        words = saved.bounding_box()
        more = page.get_by_role("button", name="Skicka och skriv en idé till").bounding_box()
        assert box["y"] + box["height"] <= words["y"] < more["y"]  # under the box it emptied
        expect(page.get_by_role("heading", name="Dina idéer hittills")).to_be_visible()
        expect(page.locator(".own-list li")).to_have_text([IDEA])
        page.locator("#text").fill("Fler soptunnor")
        page.get_by_role("button", name="Skicka och skriv en idé till").tap()
        expect(page.locator(".own-list li")).to_have_text([IDEA, "Fler soptunnor"])
        assert stored() == (2, 0)
        page.reload()  # what the server lists is the same
        expect(page.locator(".own-list li")).to_have_text([IDEA, "Fler soptunnor"])
    finally:
        context.close()


def test_the_dots_fields_are_big_enough_to_tap(page, live_server, demo):
    """Spreading dots: each number field is a full touch target (44 px high, with the page's
    font), not the browser's small default box."""
    question = next(q for q in demo_consultation().active_questions() if q.kind == "rank")
    question.settings = {"mode": "dots", "dots": 5}
    db.session.commit()
    join_and_consent(page, live_server)
    page.goto(live_server + f"/c/{question.consultation_id}/q/3")
    fields = page.locator(".dots-field input")
    expect(fields.first).to_be_visible()
    for field in fields.all():
        box = field.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, box
    assert fields.first.evaluate("e => getComputedStyle(e).fontSize") == \
        page.locator("main").evaluate("e => getComputedStyle(e).fontSize")
    fields.first.tap()
    page.keyboard.type("3")
    page.locator(".q-nav button[type=submit]").tap()
    expect(page.locator(".progress-text span")).to_have_text("Fråga 4 av 6")

STUB_VOICES = """
window.__spoken = [];
window.__queue = [];
window.__cancels = 0;
const fake = {
  getVoices: () => VOICES,
  speak: u => { window.__spoken.push([u.lang, u.text, u.voice && u.voice.name]);
                window.__queue.push(u); },
  cancel: () => { window.__cancels += 1; window.__queue = []; },
  addEventListener: () => {},
};
Object.defineProperty(window, 'speechSynthesis', {value: fake});
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
// The phone has read everything it was given.
window.__finish = () => { const q = window.__queue; window.__queue = [];
                          q.forEach(u => u.onend && u.onend()); };
"""
SWEDISH = {"lang": "sv-SE", "name": "Alva"}
ENGLISH = {"lang": "en-GB", "name": "Daniel"}
ARABIC = {"lang": "ar-SA", "name": "Maged"}


def phone_with_voices(browser, *voices, locale="sv-SE"):
    context = browser.new_context(**PHONE, locale=locale)
    context.add_init_script(STUB_VOICES.replace("VOICES", json.dumps(list(voices))))
    return context


def read_aloud(page) -> list[tuple[str, str, str]]:
    """Tap "Read aloud"; what the phone was asked to say: (lang, text, voice) per utterance."""
    page.evaluate("window.__spoken = []")
    page.locator("[data-read-aloud-button]").tap()
    return [tuple(item) for item in page.evaluate("window.__spoken")]


def texts(spoken) -> list[str]:
    return [text for _, text, _ in spoken]


def demo_consultation() -> Consultation:
    return db.session.scalar(select(Consultation).where(Consultation.join_code == "DEMO01"))


def join_in_english(page, live_server) -> int:
    page.goto(live_server + "/j/DEMO01?lang=en")
    page.get_by_role("button", name="I understand – start").tap()
    expect(page.locator(".progress-text span")).to_have_text("Question 1 of 6")
    page.wait_for_load_state("load")  # the page's scripts have run
    return demo_consultation().id


def test_read_aloud_uses_the_phones_voice_and_hides_without_one(browser, live_server, demo):
    with_voice = phone_with_voices(browser, SWEDISH, ENGLISH)
    page = with_voice.new_page()
    try:
        page.goto(live_server + "/")  # the start page: where to type the code, read out
        assert texts(read_aloud(page))[:3] == [
            "Din röst räknas", "Skriv koden som du fick av din ungdomsledare.", "Kod"]
        page.locator("#code").fill("demo01")
        page.get_by_role("button", name="Gå med").tap()
        page.locator("[data-read-aloud-button]").tap()
        spoken = page.evaluate("window.__spoken")
        assert spoken and spoken[0][0] == "sv" and "Du svarar utan ditt namn" in spoken[0][1]
        page.get_by_role("button", name="Jag förstår – börja").tap()
        expect(page.locator("[data-question-kind=idea]")).to_be_visible()
        page.evaluate("window.__spoken = []")
        page.locator("[data-read-aloud-button]").tap()
        assert page.evaluate("window.__spoken")[0][1] == "Vad skulle göra din skolgård bättre?"
        # No Arabic voice on this phone: the button is not offered.
        page.goto(live_server + "/j/DEMO01?lang=ar")
        expect(page.locator("[data-read-aloud-button]").first).to_be_hidden()
    finally:
        with_voice.close()


def test_read_aloud_reads_the_question_and_what_the_child_chooses_between(
        browser, live_server, demo):
    context = phone_with_voices(browser, SWEDISH, ENGLISH)
    page = context.new_page()
    try:
        consultation_id = join_in_english(page, live_server)
        page.goto(f"{live_server}/c/{consultation_id}/q/2")
        statements = page.locator("fieldset.statement legend").all_inner_texts()
        assert len(statements) == 4
        spoken = read_aloud(page)
        # Each statement on its own (a pause between them), not "Agree, Disagree, Pass"
        # after every one.
        assert texts(spoken) == ["Do you agree?", "Tap what fits you best. You can pass.",
                                 *statements]
        assert {(lang, voice) for lang, _, voice in spoken} == {("en", "Daniel")}
        assert serious_violations(page) == []

        # While it reads, the button says it stops; a second tap stops, a third reads again.
        stop = page.get_by_role("button", name="Stop reading")
        expect(stop).to_be_visible()
        cancels = page.evaluate("window.__cancels")
        stop.tap()
        assert page.evaluate("window.__cancels") > cancels
        assert len(page.evaluate("window.__spoken")) == len(spoken)
        assert len(read_aloud(page)) == len(spoken)
        page.evaluate("window.__finish()")  # the phone has read it all: the button is back
        expect(page.get_by_role("button", name="Read aloud")).to_be_visible()

        page.goto(f"{live_server}/c/{consultation_id}/q/3")  # ranking: the choices, once
        assert texts(read_aloud(page)) == [
            "What should the coalition do first?",
            "Choose your top 3, with the most important first.",
            "Homework help after school", "More safe adults during breaks",
            "A schoolyard to learn and play in", "Reading at the youth club",
            "Workshops against anti-study culture"]
        page.goto(f"{live_server}/c/{consultation_id}/q/5")  # the scale's labels
        assert texts(read_aloud(page)) == [
            "How safe do you feel at school?", "Choose from 1 to 5",
            "Very bad", "Bad", "OK", "Good", "Very good"]
        page.goto(f"{live_server}/c/{consultation_id}/q/6")  # multiple choice
        assert texts(read_aloud(page)) == [
            "Where would you like to get homework help?", "Choose as many as you like.",
            "Choose one or more", "At school", "At the library", "At the youth club", "Online"]
    finally:
        context.close()


def test_read_aloud_speaks_a_swedish_fallback_with_the_swedish_voice(
        browser, live_server, demo):
    """A statement not yet translated is shown in Swedish; an English or Arabic voice would
    make gibberish of it."""
    question = next(q for q in demo_consultation().questions if q.kind == "statement")
    swedish_only = "Jag läser böcker på min fritid."
    question.options[-1].text = {"sv": swedish_only}
    db.session.commit()
    for voices, lang, expected in [
        ((SWEDISH, ENGLISH), "en", ("en", "Do you agree?", "Daniel")),
        ((SWEDISH, ENGLISH, ARABIC), "ar", ("ar", "هل توافق؟", "Maged")),
        ((SWEDISH, ENGLISH), "ar", None),  # no Arabic voice: only the Swedish is read
    ]:
        context = phone_with_voices(browser, *voices)
        page = context.new_page()
        try:
            page.goto(f"{live_server}/j/DEMO01?lang={lang}")
            page.locator("#consent button[type=submit]").tap()
            expect(page.locator("[data-question-kind=idea]")).to_be_visible()
            page.goto(f"{live_server}/c/{question.consultation_id}/q/2")
            spoken = read_aloud(page)
            assert ("sv", swedish_only, "Alva") in spoken, lang
            if expected:
                assert spoken[0] == expected
                others = [item for item in spoken if item[1] != swedish_only]
                assert {(lang, voice) for lang, _, voice in others} == {expected[::2]}
            else:
                assert spoken == [("sv", swedish_only, "Alva")]
        finally:
            context.close()


def test_read_aloud_on_the_thank_you_my_answers_help_and_feedback_pages(
        browser, live_server, demo, app):
    consultation = demo_consultation()
    leader = factories.user(organisation=consultation.organisation)
    update = feedback.save(leader, None, title={"sv": "Skolgården blir grön"},
                           body={"sv": "Kommunen planterar träd i vår."},
                           consultation_ids=[consultation.id], initiative_id=None)
    feedback.publish(leader, update)
    db.session.commit()
    context = phone_with_voices(browser, SWEDISH, ENGLISH)
    page = context.new_page()
    try:
        consultation_id = join_in_english(page, live_server)
        page.locator("#text").fill(IDEA)
        page.locator(".q-nav button[type=submit]").tap()
        expect(page.locator(".progress-text span")).to_have_text("Question 2 of 6")

        page.goto(f"{live_server}/c/{consultation_id}/done")
        spoken = texts(read_aloud(page))
        assert spoken[:2] == ["Thank you!", "Your answers are saved. Youth leaders will read "
                              "them, and later you can see here what happened with them."]
        assert "Green and safe schoolyards" in spoken  # the youth priorities
        assert "See my answers" not in spoken  # a button, not text to read
        assert serious_violations(page) == []

        page.goto(live_server + "/me")
        spoken = texts(read_aloud(page))
        assert spoken[:2] == ["My answers", "Here is everything you have given from this "
                              "phone. Only you can see this page."]
        assert IDEA in spoken and "Waiting for a youth leader" in spoken
        assert not [text for text in spoken if text.startswith("Delete:")]
        assert serious_violations(page) == []

        page.goto(f"{live_server}/c/{consultation_id}/help")
        spoken = texts(read_aloud(page))
        assert spoken[0] == "You are not alone"
        assert any(text.startswith("If you are in danger right now, call") for text in spoken)
        assert "Continue" not in spoken
        assert serious_violations(page) == []

        page.goto(f"{live_server}/c/{consultation_id}/feedback")
        spoken = read_aloud(page)
        assert spoken[0] == ("en", "What happened with your ideas", "Daniel")
        # The update exists only in Swedish: a Swedish voice reads it, the note stays English.
        assert ("sv", "Skolgården blir grön", "Alva") in spoken
        assert ("sv", "Kommunen planterar träd i vår.", "Alva") in spoken
        assert ("en", "Shown in Swedish – it is not yet translated into your language.",
                "Daniel") in spoken
        assert serious_violations(page) == []
    finally:
        context.close()


def test_an_idea_kept_offline_that_can_no_longer_be_sent_is_shown_to_copy(
        page, context, live_server, demo):
    """Offline, an idea waits on the phone; the consultation ends before the connection is
    back, so the server can never store it. The young person sees what they wrote, to copy,
    on the question page and under "My answers", instead of it vanishing from "Waiting to be
    sent" as if it had been sent; and can remove it from the phone."""
    from app.consultations import services as consultations

    join_with_service_worker(page, live_server)
    context.set_offline(True)
    page.locator("#text").fill(IDEA)
    page.get_by_role("button", name="Skicka och skriv en idé till").tap()
    expect(page.locator("#waiting [data-count]")).to_have_text("1")
    consultation = db.session.scalar(select(Consultation))
    consultations.close_consultation(factories.user(), consultation)
    db.session.commit()

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#waiting")).to_be_hidden(timeout=10000)
    not_sent = page.locator("#not-sent")
    expect(not_sent).to_be_visible()
    expect(not_sent).to_contain_text("Här är det du skrev, så att du kan kopiera det:")
    expect(not_sent.locator("li")).to_have_text([IDEA])
    assert stored() == (0, 0)

    # Kept to copy, but not sent again: each page, each answer and each return of the
    # connection sent it once more, each time counted against the class's shared limit.
    sent_again = []
    context.on("request", lambda request: sent_again.append(request.url)
               if request.method == "POST" and "/q/" in request.url else None)
    page.goto(live_server + "/me")
    expect(not_sent.locator("li")).to_have_text([IDEA])
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.evaluate("MedskapaQueue.flush()")
    page.wait_for_timeout(500)
    assert sent_again == []
    assert serious_violations(page) == []
    not_sent.get_by_role("button").tap()
    expect(not_sent).to_be_hidden()
    assert page.evaluate("MedskapaQueue.all()") == []
    page.reload()
    expect(page.get_by_role("heading", name="Mina svar", exact=True)).to_be_visible()
    expect(not_sent).to_be_hidden()


def test_the_characters_left_count_an_emoji_as_one_as_the_server_does(page, live_server, demo):
    """An emoji is one character for the limit the server checks, but two in JavaScript's
    length: an idea with ten emoji at the limit said "-10 characters left" in red, and a
    child cut words the server would have taken."""
    join_and_consent(page, live_server)
    idea = ("Fler bänkar " * 41)[:490] + "😀" * 10  # 500 characters, the limit
    wait_until(page, "document.readyState === 'complete'")  # answer.js counts from now
    page.locator("#text").fill(idea)
    counter = page.locator("[data-counter]")
    expect(counter).to_have_text("Tecken kvar: 0")
    expect(counter).not_to_have_class("error")
    page.get_by_role("button", name="Nästa").tap()
    expect(page.locator(".progress-text span")).to_have_text("Fråga 2 av 6")
    assert stored() == (1, 0)
