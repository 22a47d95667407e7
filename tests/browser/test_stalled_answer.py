"""Weak school wifi: an answer that is sent but not answered for a long time. The child is told
it is on its way, and after a while it is kept on the phone as if offline — and stored once
when it is sent again, also when the first try had reached the server. In English: the new
words are not translated yet."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.participate.models import Contribution, Vote
from tests.browser.conftest import PHONE, QUEUE_EMPTY, serious_violations, wait_until
from tests.browser.test_participate import IDEA, stored

QUEUED = "No connection right now. Your answer is saved on your phone"
SAVED = "Thank you! Your idea is saved. Write another one if you like."


@pytest.fixture
def phone(browser, live_server, demo):
    # No service worker: its Background Sync would send the queue behind the test's back.
    context = browser.new_context(**PHONE, locale="en-GB", service_workers="block")
    context.add_init_script("window.MedskapaGiveUpAfter = 3000;")  # instead of 12 s
    page = context.new_page()
    page.goto(live_server + "/j/DEMO01?lang=en")
    page.get_by_role("button", name="I understand – start").tap()
    expect(page.locator(".progress-text span")).to_have_text("Question 1 of 6")
    page.wait_for_load_state("load")  # the page's scripts have run: the answer form is theirs
    yield page
    context.close()


def hold_posts(page, pattern, deliver=False):
    """Answer POSTs to `pattern` get no answer until released; with `deliver` each has
    reached the server first (the answer is lost on its way back)."""
    held = []

    def handler(route):
        if route.request.method != "POST":
            route.continue_()
            return
        if deliver:
            route.fetch()
        held.append(route)

    page.route(pattern, handler)
    return held


def test_a_slow_answer_says_sending_until_it_arrives(phone):
    page = phone
    # Slow, not stalled: the held answers must not be given up on while axe checks the page
    # (3 s in these tests; a busy CI machine took longer).
    page.evaluate("window.MedskapaGiveUpAfter = 30000")
    status = page.locator("[data-send-status]")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_attribute("aria-live", "polite")
    held = hold_posts(page, "**/c/*/q/*")

    page.locator("#text").fill(IDEA)
    page.get_by_role("button", name="Send and write another idea").tap()
    expect(status).to_have_text("Sending…")
    assert serious_violations(page) == []
    held.pop().continue_()
    expect(status).to_have_text(SAVED)

    page.get_by_role("button", name="Next").tap()  # an empty box moves on
    expect(status).to_have_text("Sending…")
    held.pop().continue_()
    expect(page.locator(".progress-text span")).to_have_text("Question 2 of 6")
    expect(page.locator("[data-send-status]")).to_have_text("")
    assert stored() == (1, 0)


def test_a_stalled_answer_is_kept_and_stored_once_when_the_connection_is_back(phone):
    page = phone
    status = page.locator("[data-send-status]")
    more = page.get_by_role("button", name="Send and write another idea")
    hold_posts(page, "**/c/*/q/1", deliver=True)

    page.locator("#text").fill(IDEA)
    more.tap()
    expect(status).to_have_text("Sending…")
    expect(status).to_contain_text(QUEUED, timeout=8000)
    expect(more).to_be_enabled()
    expect(page.get_by_role("button", name="Next")).to_be_enabled()
    expect(page.locator("#text")).to_have_value("")
    expect(page.locator("#waiting [data-count]")).to_have_text("1")
    assert stored() == (1, 0)  # it did reach the server
    assert [i["label"] for i in page.evaluate("MedskapaQueue.all()")] == [IDEA]

    # The connection is back: the next answer gets through, and the waiting one is sent
    # after it — the server knows its key and stores nothing new.
    page.unroute("**/c/*/q/1")
    page.locator("#text").fill("Fler cykelställ")
    more.tap()
    expect(status).to_have_text(SAVED)
    expect(page.locator("#waiting")).to_be_hidden()
    assert page.evaluate("MedskapaQueue.all()") == []
    texts = db.session.scalars(select(Contribution.text).order_by(Contribution.id)).all()
    assert texts == [IDEA, "Fler cykelställ"]

    # A vote that reached the server, given up on and sent again, is one vote (an upsert).
    page.get_by_role("button", name="Next").tap()
    expect(page.locator(".progress-text span")).to_have_text("Question 2 of 6")
    hold_posts(page, "**/c/*/q/2", deliver=True)
    for fieldset in page.locator("fieldset.statement").all()[:2]:
        fieldset.locator("label.vote-agree").tap()
    page.get_by_role("button", name="Next").tap()
    expect(status).to_contain_text(QUEUED, timeout=8000)
    assert stored() == (2, 2)
    page.unroute("**/c/*/q/2")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#waiting")).to_be_hidden()
    assert page.evaluate("MedskapaQueue.all()") == []
    assert stored() == (2, 2)


def test_a_stalled_vote_does_not_overwrite_the_answer_given_after_it(phone):
    page = phone
    page.get_by_role("link", name="Skip", exact=True).tap()  # past the idea
    expect(page.locator(".progress-text span")).to_have_text("Question 2 of 6")
    hold_posts(page, "**/c/*/q/2")  # never reaches the server
    first = page.locator("fieldset.statement").first
    first.locator("label.vote-agree").tap()
    page.get_by_role("button", name="Next").tap()
    expect(page.locator("[data-send-status]")).to_contain_text(QUEUED, timeout=8000)
    assert len(page.evaluate("MedskapaQueue.all()")) == 1

    # Back online the child changes their mind and sends again: that answer counts.
    page.unroute("**/c/*/q/2")
    first.locator("label.vote-disagree").tap()
    page.get_by_role("button", name="Next").tap()
    expect(page.locator(".progress-text span")).to_have_text("Question 3 of 6")
    wait_until(page, QUEUE_EMPTY)
    db.session.expire_all()
    assert db.session.scalars(select(Vote.value)).all() == [-1]


def test_answers_kept_on_the_phone_are_sent_in_the_order_they_were_given(phone):
    page = phone
    page.get_by_role("link", name="Skip", exact=True).tap()  # past the idea
    expect(page.locator(".progress-text span")).to_have_text("Question 2 of 6")
    page.wait_for_load_state("load")
    page.context.set_offline(True)
    first = page.locator("fieldset.statement").first
    for vote in ("label.vote-agree", "label.vote-disagree"):  # a change of mind, offline
        first.locator(vote).tap()
        page.get_by_role("button", name="Next").tap()
        expect(page.locator("[data-send-status]")).to_contain_text(QUEUED)
        page.evaluate("document.querySelector('[data-send-status]').textContent = ''")
    # The keys are random: make the later answer's key sort first, as may happen.
    page.evaluate("""() => MedskapaQueue.all().then(items => {
        items.sort((a, b) => a.created - b.created);
        return Promise.all(items.map(i => MedskapaQueue.remove(i.key))).then(() =>
          Promise.all(items.map((i, n) => MedskapaQueue.add(
            Object.assign({}, i, {key: (n ? "a-" : "z-") + i.key})))));
      })""")
    page.context.set_offline(False)
    left = page.evaluate(
        "MedskapaQueue.flush(document.querySelector('meta[name=csrf-token]').content)")
    assert left == 0
    db.session.expire_all()
    assert db.session.scalars(select(Vote.value)).all() == [-1]  # the later answer counts


def test_a_stalled_next_page_says_so_and_opens_as_a_whole_page(phone):
    page = phone
    page.get_by_role("link", name="Skip", exact=True).tap()  # past the idea
    expect(page.locator(".progress-text span")).to_have_text("Question 2 of 6")
    status = page.locator("[data-send-status]")
    held = []

    def hold_fetched_page(route):  # the next page as answer.js fetches it; not a navigation
        if route.request.resource_type == "fetch" and route.request.method == "GET":
            held.append(route)
        else:
            route.continue_()

    page.route("**/c/*/q/3", hold_fetched_page)
    page.locator("fieldset.statement").first.locator("label.vote-agree").tap()
    page.get_by_role("button", name="Next").tap()
    expect(status).to_have_text("Saved. The next page is on its way…")
    assert stored() == (0, 1)  # the answer is in, only the next page is slow
    # Given up after 3 s (12 s outside tests): the browser opens the page itself.
    expect(page.locator(".progress-text span")).to_have_text("Question 3 of 6", timeout=8000)
    assert len(held) == 1
    page.wait_for_load_state("domcontentloaded")  # the new page's deferred scripts have run
    assert page.evaluate("MedskapaQueue.all()") == []  # nothing was kept to send again


def test_a_poll_that_stalls_does_not_stop_the_waiting_screen(browser, live_server, demo):
    from app.consultations.models import Consultation
    from app.results import live

    context = browser.new_context(**PHONE, locale="en-GB")
    context.add_init_script("window.MedskapaPollTimeout = 1000;")  # instead of 10 s
    page = context.new_page()
    try:
        page.goto(live_server + "/j/DEMO01?lang=en")
        page.get_by_role("button", name="I understand – start").tap()
        expect(page.locator(".progress-text span")).to_have_text("Question 1 of 6")
        consultation = db.session.scalar(
            select(Consultation).where(Consultation.join_code == "DEMO01"))
        polls = []

        def first_poll_never_answers(route):
            polls.append(route)
            if len(polls) > 1:
                route.continue_()

        page.route("**/now.json", first_poll_never_answers)
        page.goto(f"{live_server}/c/{consultation.id}/wait")
        expect(page.get_by_role("heading", name="Wait a moment")).to_be_visible()
        expect(page.locator("[data-wait-url]")).to_be_visible()
        # The leader shows the scale on the projector: the phone follows even though its
        # first poll got no reply.
        live.set_live_question(consultation, consultation.active_questions()[4])
        db.session.commit()
        expect(page.locator(".progress-text span")).to_have_text("Question 5 of 6",
                                                                 timeout=8000)
        assert len(polls) >= 2
    finally:
        context.close()


def test_one_stalled_send_does_not_hold_up_the_other_kept_answers(phone):
    page = phone
    page.evaluate("window.MedskapaSendTimeout = 1000;")  # instead of 20 s
    page.context.set_offline(True)
    more = page.get_by_role("button", name="Send and write another idea")
    for idea in (IDEA, "Fler cykelställ"):
        page.locator("#text").fill(idea)
        more.tap()
        expect(page.locator("#waiting [data-count]")).to_have_text(
            "1" if idea == IDEA else "2")
    posts = []

    def first_send_never_answers(route):
        if route.request.method == "POST":
            posts.append(route)
            if len(posts) == 1:
                return
        route.continue_()

    page.route("**/c/*/q/1", first_send_never_answers)
    page.context.set_offline(False)  # the page starts sending by itself, too
    left = page.evaluate(
        "MedskapaQueue.flush(document.querySelector('meta[name=csrf-token]').content)")
    assert left == 1  # the stalled one waits for the next try; the other got through
    texts = db.session.scalars(select(Contribution.text)).all()
    assert texts == ["Fler cykelställ"]
    assert [i["label"] for i in page.evaluate("MedskapaQueue.all()")] == [IDEA]


def test_kept_answers_are_sent_by_the_next_question_page_of_a_new_session(phone):
    """Without a service worker: an idea kept offline, the browser session ended, and the
    question page opened again sends it with its own fresh token."""
    page = phone
    page.context.set_offline(True)
    page.locator("#text").fill(IDEA)
    page.get_by_role("button", name="Send and write another idea").tap()
    expect(page.locator("#waiting [data-count]")).to_have_text("1")
    page.context.clear_cookies(name="session")
    page.context.set_offline(False)
    page.reload()
    expect(page.locator("#waiting")).to_be_hidden()
    wait_until(page, QUEUE_EMPTY)
    assert stored() == (1, 0)
