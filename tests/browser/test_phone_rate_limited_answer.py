"""An answer refused by the rate limit (429): it is kept on the phone, the child is told
there were too many answers at once (not that there is no connection), and it is sent again
by itself once the wait is over. In English: the new words are not translated yet."""
import json

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, QUEUE_EMPTY, serious_violations, wait_until
from tests.browser.test_participate import IDEA, stored

LIMITED = "Too many answers at once. Your answer is saved on your phone"
QUEUED = "No connection right now"


@pytest.fixture
def phone(browser, live_server, demo):
    # No service worker: its Background Sync would send the queue behind the test's back.
    context = browser.new_context(**PHONE, locale="en-GB", service_workers="block")
    page = context.new_page()
    page.goto(live_server + "/j/DEMO01?lang=en")
    page.get_by_role("button", name="I understand – start").tap()
    expect(page.locator(".progress-text span")).to_have_text("Question 1 of 6")
    page.wait_for_load_state("load")  # the page's scripts have run: the answer form is theirs
    yield page
    context.close()


def refuse_posts(page, pattern, times=1):
    """The next `times` answer POSTs to `pattern` are refused as the limiter does."""
    left = [times]

    def handler(route):
        if route.request.method != "POST" or left[0] <= 0:
            route.continue_()
            return
        left[0] -= 1
        route.fulfill(status=429, headers={"Retry-After": "2"},
                      content_type="application/json",
                      body=json.dumps({"error": 429, "message": "Slow down a little"}))

    page.route(pattern, handler)
    return left


def test_a_limited_idea_says_so_is_kept_and_sent_again_later(phone):
    page = phone
    status = page.locator("[data-send-status]")
    left = refuse_posts(page, "**/c/*/q/1")

    page.locator("#text").fill(IDEA)
    page.get_by_role("button", name="Send and write another idea").tap()
    expect(status).to_contain_text(LIMITED)
    expect(status).not_to_contain_text(QUEUED)
    expect(page.locator(".progress-text span")).to_have_text("Question 1 of 6")  # no error page
    expect(page.locator("#waiting")).to_be_visible()
    expect(page.locator("#waiting [data-count]")).to_have_text("1")
    assert [i["label"] for i in page.evaluate("MedskapaQueue.all()")] == [IDEA]
    assert left[0] == 0 and stored() == (0, 0)
    assert serious_violations(page) == []

    # After Retry-After (2 s) it is sent by itself: no "online" event, no new answer.
    wait_until(page, QUEUE_EMPTY)
    expect(page.locator("#waiting")).to_be_hidden()
    expect(status).to_have_text("")
    assert stored() == (1, 0)


def test_a_limited_vote_is_kept_and_sent_again_after_a_second_refusal(phone):
    page = phone
    page.get_by_role("link", name="Skip", exact=True).tap()  # past the idea
    expect(page.locator(".progress-text span")).to_have_text("Question 2 of 6")
    left = refuse_posts(page, "**/c/*/q/2", times=2)  # the first retry is refused too
    page.locator("fieldset.statement").first.locator("label.vote-agree").tap()
    page.get_by_role("button", name="Next").tap()
    expect(page.locator("[data-send-status]")).to_contain_text(LIMITED)
    expect(page.locator(".progress-text span")).to_have_text("Question 2 of 6")
    assert len(page.evaluate("MedskapaQueue.all()")) == 1
    wait_until(page, QUEUE_EMPTY, timeout=15)
    assert left[0] == 0 and stored() == (0, 1)


def test_answers_waiting_on_the_phone_stop_at_the_first_refusal_and_go_after_the_wait(
        phone):
    """Three ideas kept offline; back online, the first is refused for too many answers at
    once. The other two are not sent into the same limit (each refusal counts against the
    whole class's address): all three go by themselves once Retry-After is over."""
    page = phone
    page.context.set_offline(True)
    for n in range(3):
        page.locator("#text").fill(f"{IDEA} {n}")
        page.get_by_role("button", name="Send and write another idea").tap()
        expect(page.locator("#waiting [data-count]")).to_have_text(str(n + 1))
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    left = refuse_posts(page, "**/c/*/q/1")  # only the first: the limit's window then ends
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    for _ in range(50):  # the first send, refused
        if left[0] == 0:
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(800)  # long enough for the other two, had they been sent
    assert left[0] == 0 and len(posts) == 1
    assert stored() == (0, 0) and len(page.evaluate("MedskapaQueue.all()")) == 3
    expect(page.locator("#waiting [data-count]")).to_have_text("3")

    wait_until(page, QUEUE_EMPTY, timeout=15)
    expect(page.locator("#waiting")).to_be_hidden()
    assert stored() == (3, 0) and len(posts) == 4
