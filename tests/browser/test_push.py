"""Notifications on a phone: after answering, a young person is offered them, opts in, and
later sees the news on "My answers"; a push message delivered to the service worker shows
the update's title and leads to the consultation's feedback.

Headless Chromium cannot reach a real push service, so pushManager.subscribe is stubbed in
the opt-in test (the subscribe request to the app is real)."""
import base64
import json
import os
from contextlib import contextmanager

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from playwright.sync_api import expect
from sqlalchemy import select

from app.consultations.models import Consultation
from app.extensions import db
from app.feedback import services as feedback
from app.feedback.models import FeedbackUpdate
from app.push import services as push
from app.push.models import PushSubscription
from tests import factories
from tests.browser.conftest import PHONE, serious_violations, wait_until
from tests.browser.test_participate import answer_all, join_and_consent

ENDPOINT = "https://fcm.googleapis.com/fcm/send/browser-test"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.fixture
def vapid(app, monkeypatch):
    keys = push.new_keys()
    monkeypatch.setitem(app.config, "VAPID_PRIVATE_KEY", keys.private)
    monkeypatch.setitem(app.config, "VAPID_PUBLIC_KEY", keys.public)
    app.extensions.pop("medskapa_vapid_public", None)
    yield keys
    app.extensions.pop("medskapa_vapid_public", None)


def _stub_push_manager() -> str:
    public = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    subscription = {"endpoint": ENDPOINT, "keys": {"p256dh": _b64(public),
                                                   "auth": _b64(os.urandom(16))}}
    return """
      (function () {
        var sub = SUBSCRIPTION;
        var made = null;
        function wrap(s) {
          return { endpoint: s.endpoint, toJSON: function () { return s; },
                   unsubscribe: function () { made = null; return Promise.resolve(true); } };
        }
        PushManager.prototype.getSubscription = function () { return Promise.resolve(made); };
        PushManager.prototype.subscribe = function (options) {
          window.__pushOptions = { userVisibleOnly: options.userVisibleOnly,
                                   keyLength: options.applicationServerKey.length };
          made = wrap(sub);
          return Promise.resolve(made);
        };
      })();
    """.replace("SUBSCRIPTION", json.dumps(subscription))


@contextmanager
def _answered_phone(browser, live_server, *, allowed: bool = True):
    """A phone with the push manager stubbed that has joined DEMO01 and answered every
    question (notifications allowed, or not yet asked); closed afterwards."""
    context = browser.new_context(**PHONE, locale="sv-SE")
    if allowed:
        context.grant_permissions(["notifications"], origin=live_server)
    context.add_init_script(_stub_push_manager())
    page = context.new_page()
    page.set_default_timeout(10000)
    try:
        join_and_consent(page, live_server)
        answer_all(page)
        yield page
    finally:
        context.close()


def _publish(title_sv: str) -> tuple[FeedbackUpdate, int]:
    """A youth leader publishes an update on the demo consultation."""
    consultation = db.session.scalar(
        select(Consultation).where(Consultation.join_code == "DEMO01"))
    leader = factories.user(organisation=consultation.organisation)
    update = feedback.save(leader, None, title={"sv": title_sv}, body={"sv": "Mer i vår."},
                           consultation_ids=[consultation.id], initiative_id=None)
    queued = feedback.publish(leader, update)
    db.session.commit()
    return update, queued


def test_a_young_person_opts_in_after_answering_and_sees_the_news_on_me(
        browser, live_server, demo, vapid):
    with _answered_phone(browser, live_server) as page:
        offer = page.locator("[data-push-offer]")
        expect(offer).to_be_visible()
        expect(page.get_by_role("heading", name="Vill du veta vad som händer sen?")).to_be_visible()
        assert serious_violations(page) == []
        page.get_by_role("button", name="Ja, säg till mig").tap()
        expect(page.get_by_text("Aviseringar är på för den här frågerundan.")).to_be_visible()
        assert page.evaluate("window.__pushOptions") == {"userVisibleOnly": True,
                                                        "keyLength": 65}
        db.session.expire_all()
        stored = db.session.scalar(select(PushSubscription))
        assert stored is not None and stored.endpoint == ENDPOINT and stored.locale == "sv"

        # The thank-you page remembers it; /me lists it with a way to turn it off.
        page.reload()
        expect(page.get_by_text("Aviseringar är på för den här frågerundan.")).to_be_visible()
        expect(page.get_by_role("button", name="Ja, säg till mig")).to_be_hidden()

        _update, queued = _publish("Skolgården blir grön")
        assert queued == 1
        page.goto(live_server + "/me")
        news = page.locator("section[aria-labelledby=news-heading]")
        expect(news.get_by_text("Skolgården blir grön")).to_be_visible()
        expect(news.locator(".tag-new").first).to_be_visible()
        expect(page.get_by_role("heading", name="Aviseringar")).to_be_visible()
        assert serious_violations(page) == []
        page.get_by_role("button", name="Stäng av").tap()
        expect(page.get_by_text("Aviseringarna är avstängda.")).to_be_visible()
        db.session.expire_all()
        assert db.session.scalar(select(PushSubscription)) is None


def test_a_blocked_phone_is_told_kindly(browser, live_server, demo, vapid):
    with _answered_phone(browser, live_server, allowed=False) as page:
        # The offer appears once push.js has run; wait for it rather than race it.
        expect(page.locator("[data-push-offer]")).to_be_visible()
        # Some Chromium builds say "denied" straight away when nobody may be asked (the
        # offer then says so without a tap); others say "default" and would ask: the young
        # person says no.
        if page.evaluate("Notification.permission") != "denied":
            page.evaluate("""Notification.requestPermission = function () {
                               return Promise.resolve('denied'); }""")
            page.get_by_role("button", name="Ja, säg till mig").tap()
        expect(page.get_by_text("Aviseringar är blockerade på den här telefonen")).to_be_visible()
        db.session.expire_all()
        assert db.session.scalar(select(PushSubscription)) is None


def test_a_push_message_shows_the_title_and_leads_to_the_feedback(
        browser, live_server, demo, vapid):
    context = browser.new_context(**PHONE, locale="sv-SE")
    context.grant_permissions(["notifications"], origin=live_server)
    page = context.new_page()
    try:
        page.goto(live_server + "/")
        wait_until(page, "document.documentElement.dataset.swReady === '1'", timeout=20.0)
        cdp = context.new_cdp_session(page)
        registrations = []
        cdp.on("ServiceWorker.workerRegistrationUpdated",
               lambda event: registrations.extend(event["registrations"]))
        cdp.send("ServiceWorker.enable")
        for _ in range(50):
            if any(r["scopeURL"] == live_server + "/" for r in registrations):
                break
            page.wait_for_timeout(100)
        registration = next(r for r in registrations if r["scopeURL"] == live_server + "/")
        message = push.payload(
            FeedbackUpdate(title={"sv": "Skolgården blir grön", "ar": "ساحة خضراء"},
                           uuid="u-1"), 7, "ar")
        cdp.send("ServiceWorker.deliverPushMessage", {
            "origin": live_server, "registrationId": registration["registrationId"],
            "data": json.dumps(message, ensure_ascii=False)})
        shown = []
        for _ in range(50):
            shown = page.evaluate("""navigator.serviceWorker.ready
                .then(r => r.getNotifications())
                .then(list => list.map(n => ({title: n.title, body: n.body, lang: n.lang,
                                              url: n.data && n.data.url})))""")
            if shown:
                break
            page.wait_for_timeout(100)
        assert shown == [{"title": "ساحة خضراء", "body": message["body"], "lang": "ar",
                          "url": "/c/7/feedback"}]
    finally:
        context.close()


def test_a_failed_opt_in_is_told_in_the_childs_language_and_can_be_tried_again(
        browser, live_server, demo, vapid):
    """The browser's own error ("Registration failed - …", in English) is never shown to a
    young person, and the "Yes" button stays so they can try again."""
    context = browser.new_context(**PHONE, locale="sv-SE")
    context.grant_permissions(["notifications"], origin=live_server)
    context.add_init_script(_stub_push_manager() + """
      (function () {
        var subscribe = PushManager.prototype.subscribe;
        var failures = 1;
        PushManager.prototype.subscribe = function (options) {
          if (failures-- > 0) {
            return Promise.reject(new DOMException(
              "Registration failed - push service error", "AbortError"));
          }
          return subscribe.call(this, options);
        };
      })();
    """)
    page = context.new_page()
    page.set_default_timeout(10000)
    try:
        join_and_consent(page, live_server)
        answer_all(page)
        yes = page.get_by_role("button", name="Ja, säg till mig")
        yes.tap()
        expect(page.get_by_text("Något gick fel. Försök igen.")).to_be_visible()
        expect(page.get_by_text("Registration failed")).to_have_count(0)
        expect(yes).to_be_visible()
        yes.tap()
        expect(page.get_by_text("Aviseringar är på för den här frågerundan.")).to_be_visible()
        expect(page.get_by_text("Något gick fel. Försök igen.")).to_be_hidden()
        expect(yes).to_be_hidden()
        db.session.expire_all()
        assert db.session.scalar(select(PushSubscription)) is not None
    finally:
        context.close()


def test_a_refused_subscription_shows_no_status_number(browser, live_server, demo, vapid):
    """A refusal whose JSON carries no words of ours (a rate limit answers {"error": 429})
    shows the kind fallback, not "429"."""
    with _answered_phone(browser, live_server) as page:
        page.route("**/push/subscribe", lambda route: route.fulfill(
            status=429, content_type="application/json",
            body=json.dumps({"error": 429, "message": "Slow down"})))
        page.get_by_role("button", name="Ja, säg till mig").tap()
        error = page.locator("[data-push-state=error]")
        expect(error).to_have_text("Något gick fel. Försök igen.")
