"""Web Push end to end: a phone subscribes through the app after answering, an update is
published, the worker sends it to a fake push service on loopback, and the message decrypts
to the update's title in the phone's language."""
import base64
import json
import os
from datetime import timedelta

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.consultations.models import Consultation, Status
from app.core.time import utcnow
from app.extensions import db
from app.feedback.models import FeedbackUpdate
from app.push import services
from app.push.models import PushJob, PushSubscription
from tests import factories
from tests.conftest import csrf_token
from tests.participate.helpers import answer, join
from tests.push.fake_service import FakePushService


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Device:
    """A browser's push subscription: its own P-256 key pair and auth secret."""

    def __init__(self, endpoint: str):
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.endpoint = endpoint

    def subscription(self) -> dict:
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        return {"endpoint": self.endpoint, "keys": {"p256dh": b64(public), "auth": b64(self.auth)}}

    def decrypt(self, body: bytes) -> dict:
        return json.loads(http_ece.decrypt(body, private_key=self.private_key,
                                           auth_secret=self.auth, version="aes128gcm"))


@pytest.fixture
def push_service(app, monkeypatch):
    keys = services.new_keys()
    monkeypatch.setitem(app.config, "VAPID_PRIVATE_KEY", keys.private)
    monkeypatch.setitem(app.config, "VAPID_PUBLIC_KEY", keys.public)
    monkeypatch.setitem(app.config, "VAPID_SUBJECT", "mailto:push-test@example.org")
    monkeypatch.setitem(app.config, "PUSH_ALLOW_LOOPBACK", True)
    app.extensions.pop("medskapa_vapid_public", None)
    fake = FakePushService().start()
    fake.public_key = keys.public
    yield fake
    fake.stop()
    app.extensions.pop("medskapa_vapid_public", None)


def _phone_that_answered(app, demo, lang="sv"):
    phone = app.test_client()
    phone.get(f"/?lang={lang}")
    join(phone)
    position = factories.questions_by_kind(demo)["idea"][0]
    assert answer(phone, demo.id, position, {"text": "Fler träd", "client_key": "k1"}
                  ).status_code in (200, 302)
    return phone


def _subscribe(phone, demo, device: Device):
    token = csrf_token(phone, f"/c/{demo.id}/done")
    return phone.post("/push/subscribe", json={"consultation_id": demo.id,
                                               "subscription": device.subscription()},
                      headers={"X-CSRFToken": token, "Accept": "application/json"})


def _publish_update(client, demo, **titles):
    data = {"title_sv": "Skolgården blir grön", "body_sv": "Kommunen planterar träd.",
            "consultation": str(demo.id), **titles}
    data["csrf_token"] = csrf_token(client, "/feedback/new")
    assert client.post("/feedback/new", data=data).status_code == 302
    update = db.session.scalar(select(FeedbackUpdate).order_by(FeedbackUpdate.id.desc()))
    response = client.post(f"/feedback/{update.id}/publish",
                           data={"csrf_token": csrf_token(client, "/feedback")})
    assert response.status_code == 302
    return update


def _worker(app):
    result = app.test_cli_runner().invoke(args=["push", "worker", "--once"])
    assert result.exit_code == 0, result.output
    return result.output


def _verify_vapid(header: str, public_key: str, audience: str) -> None:
    assert header.startswith("vapid t="), header
    assert Vapid02.verify(header), "the VAPID signature does not verify"
    token = header.split("t=", 1)[1].split(",", 1)[0]
    claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    assert claims["aud"] == audience and claims["sub"] == "mailto:push-test@example.org"
    assert header.rsplit("k=", 1)[1] == public_key


def test_a_published_update_reaches_the_phone_in_its_language(
        app, client, login_as, app_ctx, push_service):
    demo = factories.demo()
    phone = _phone_that_answered(app, demo, lang="ar")
    # The offer is on the thank-you page only now that the phone has answered.
    done = phone.get(f"/c/{demo.id}/done").get_data(as_text=True)
    assert f'data-key="{push_service.public_key}"' in done
    device = Device(push_service.endpoint("phone-1"))
    response = _subscribe(phone, demo, device)
    assert response.status_code == 201, response.get_data(as_text=True)

    login_as("youth_leader", organisation=demo.organisation)
    _publish_update(client, demo, title_ar="ساحة المدرسة تصبح خضراء")
    assert push_service.received == []  # publishing does not wait for the push service

    assert "sent 1" in _worker(app)
    assert len(push_service.received) == 1
    request = push_service.received[0]
    assert request.path == "/push/phone-1"
    assert request.headers["content-encoding"] == "aes128gcm"
    assert int(request.headers["ttl"]) > 0
    _verify_vapid(request.headers["authorization"], push_service.public_key,
                  push_service.origin)
    message = device.decrypt(request.body)
    assert message["title"] == "ساحة المدرسة تصبح خضراء"
    assert message["url"] == f"/c/{demo.id}/feedback"
    assert message["lang"] == "ar" and "Tap" not in message["body"]
    # No personal data: no device token, no participant id, no idea text.
    assert set(message) == {"title", "body", "url", "tag", "lang"}
    assert "Fler träd" not in json.dumps(message, ensure_ascii=False)

    # Running the worker again sends nothing twice.
    _worker(app)
    assert len(push_service.received) == 1
    db.session.expire_all()
    job = db.session.scalar(select(PushJob))
    assert job.status == "sent" and job.last_status == 201 and job.sent_at is not None


def test_a_phone_that_changes_language_gets_its_notification_in_the_new_one(
        app, client, login_as, app_ctx, push_service):
    """A young person answered and asked for news in Swedish, then chose Arabic in the menu:
    the news comes in Arabic, as "My answers" shows it."""
    demo = factories.demo()
    phone = _phone_that_answered(app, demo, lang="sv")
    device = Device(push_service.endpoint("phone-1"))
    assert _subscribe(phone, demo, device).status_code == 201
    assert phone.get("/lang/ar?next=/me").status_code == 302

    login_as("youth_leader", organisation=demo.organisation)
    _publish_update(client, demo, title_ar="ساحة المدرسة تصبح خضراء")
    assert "sent 1" in _worker(app)
    message = device.decrypt(push_service.received[0].body)
    assert message["title"] == "ساحة المدرسة تصبح خضراء" and message["lang"] == "ar"


def test_a_410_removes_the_subscription(app, client, login_as, app_ctx, push_service):
    demo = factories.demo()
    phone = _phone_that_answered(app, demo)
    assert _subscribe(phone, demo, Device(push_service.endpoint("gone"))).status_code == 201
    login_as("youth_leader", organisation=demo.organisation)
    push_service.status = 410
    _publish_update(client, demo)
    assert "subscriptions removed 1" in _worker(app)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 0
    assert db.session.scalar(select(PushJob.status)) == "gone"
    # Nothing is tried again.
    _worker(app)
    assert len(push_service.received) == 1


def test_a_500_leaves_the_job_for_a_retry_with_back_off(
        app, client, login_as, app_ctx, push_service):
    demo = factories.demo()
    phone = _phone_that_answered(app, demo)
    device = Device(push_service.endpoint("flaky"))
    assert _subscribe(phone, demo, device).status_code == 201
    login_as("youth_leader", organisation=demo.organisation)
    push_service.status = 500
    _publish_update(client, demo)
    assert "retry later 1" in _worker(app)
    db.session.expire_all()
    job = db.session.scalar(select(PushJob))
    assert job.status == "pending" and job.attempts == 1 and job.last_status == 500
    first_wait = job.next_attempt_at
    # Not due yet: the worker leaves it alone.
    _worker(app)
    assert len(push_service.received) == 1
    # When it is due and the service is back, it is sent, once.
    push_service.status = 201
    job.next_attempt_at = first_wait - timedelta(hours=1)
    db.session.commit()
    assert "sent 1" in _worker(app)
    _worker(app)
    assert len(push_service.received) == 2
    assert device.decrypt(push_service.received[-1].body)["title"] == "Skolgården blir grön"


def test_the_worker_gives_up_after_the_last_attempt(app, client, login_as, app_ctx,
                                                    push_service):
    demo = factories.demo()
    phone = _phone_that_answered(app, demo)
    assert _subscribe(phone, demo, Device(push_service.endpoint("down"))).status_code == 201
    login_as("youth_leader", organisation=demo.organisation)
    push_service.status = 503
    _publish_update(client, demo)
    for _ in range(services.MAX_ATTEMPTS):
        db.session.execute(PushJob.__table__.update().values(
            next_attempt_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
        _worker(app)
    db.session.expire_all()
    job = db.session.scalar(select(PushJob))
    assert job.status == "failed" and job.attempts == services.MAX_ATTEMPTS
    assert len(push_service.received) == services.MAX_ATTEMPTS


def test_no_offer_and_no_subscription_before_the_first_answer(app, app_ctx, push_service):
    demo = factories.demo()
    phone = app.test_client()
    join(phone)
    page = phone.get(f"/c/{demo.id}/done").get_data(as_text=True)
    assert "data-push-offer" not in page
    response = _subscribe(phone, demo, Device(push_service.endpoint("early")))
    assert response.status_code == 403
    assert "Svara på en fråga först" in response.get_json()["error"]
    assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 0


def test_a_second_tap_on_yes_while_the_first_is_on_its_way_is_no_error(
        app, app_ctx, push_service):
    """Two "Yes, tell me" requests of one phone at once: the other stores the subscription
    between this one's looking and its storing. That was 'Something went wrong' on a phone
    that was in fact subscribed."""
    from sqlalchemy import event, insert

    from app.participate.models import Participant

    demo = factories.demo()
    phone = _phone_that_answered(app, demo)
    device = Device(push_service.endpoint("twice"))
    raced = []

    participant = db.session.scalar(select(Participant))
    keys = device.subscription()["keys"]

    def other_request_first(conn, cursor, statement, parameters, context, executemany):
        # Right after this request found no subscription, the first tap's stores it.
        if "push_subscriptions.endpoint =" in statement and not raced:
            raced.append(True)
            conn.execute(insert(PushSubscription.__table__).values(
                participant_id=participant.id, consultation_id=demo.id,
                endpoint=device.endpoint, p256dh=keys["p256dh"], auth=keys["auth"],
                locale="sv", created_at=utcnow(), confirmed_at=utcnow()))

    event.listen(db.engine, "after_cursor_execute", other_request_first)
    try:
        response = _subscribe(phone, demo, device)
    finally:
        event.remove(db.engine, "after_cursor_execute", other_request_first)
    assert raced and response.status_code == 201, response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 1


def test_only_known_push_services_over_https_are_accepted(app, app_ctx, push_service,
                                                          monkeypatch):
    demo = factories.demo()
    phone = _phone_that_answered(app, demo)
    monkeypatch.setitem(app.config, "PUSH_ALLOW_LOOPBACK", False)
    for endpoint in ("http://127.0.0.1:6379/", "https://169.254.169.254/latest",
                     "https://fcm.googleapis.com.evil.example/x", "http://fcm.googleapis.com/x",
                     "https://user:pw@fcm.googleapis.com/x", "file:///etc/passwd",
                     "https://10.0.0.1/fcm.googleapis.com"):
        response = _subscribe(phone, demo, Device(endpoint))
        assert response.status_code == 400, endpoint
        assert "kan inte få aviseringar" in response.get_json()["error"]
    good = _subscribe(phone, demo, Device("https://fcm.googleapis.com/fcm/send/abc"))
    assert good.status_code == 201
    assert _subscribe(phone, demo, Device(
        "https://wns2-par02p.notify.windows.com/w/?token=x")).status_code == 201
    # Broken keys are refused too.
    bad = Device("https://fcm.googleapis.com/fcm/send/def").subscription()
    bad["keys"]["p256dh"] = "bm90IGEga2V5"
    token = csrf_token(phone, f"/c/{demo.id}/done")
    response = phone.post("/push/subscribe", json={"consultation_id": demo.id,
                                                   "subscription": bad},
                          headers={"X-CSRFToken": token})
    assert response.status_code == 400


def test_subscribing_needs_the_csrf_token(app, app_ctx, push_service):
    demo = factories.demo()
    phone = _phone_that_answered(app, demo)
    response = phone.post("/push/subscribe", json={
        "consultation_id": demo.id,
        "subscription": Device(push_service.endpoint("x")).subscription()})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 0


def test_turning_off_on_me_deletes_the_subscription_and_its_queued_jobs(
        app, client, login_as, app_ctx, push_service):
    demo = factories.demo()
    phone = _phone_that_answered(app, demo)
    assert _subscribe(phone, demo, Device(push_service.endpoint("me"))).status_code == 201
    me = phone.get("/me").get_data(as_text=True)
    assert "Aviseringar" in me and 'action="/push/off"' in me
    login_as("youth_leader", organisation=demo.organisation)
    _publish_update(client, demo)
    assert db.session.scalar(select(func.count()).select_from(PushJob)) == 1

    response = phone.post("/push/off", data={"csrf_token": csrf_token(phone, "/me"),
                                             "consultation_id": demo.id})
    assert response.status_code == 302
    assert "Aviseringarna är avstängda." in phone.get("/me").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 0
    assert db.session.scalar(select(func.count()).select_from(PushJob)) == 0
    _worker(app)
    assert push_service.received == []


def test_a_consultation_id_that_is_no_id_turns_nothing_off(app, app_ctx, push_service):
    demo = factories.demo()
    phone = _phone_that_answered(app, demo)
    assert _subscribe(phone, demo, Device(push_service.endpoint("keep"))).status_code == 201
    for bad in ("x", "²", str(2**63), "-1"):
        response = phone.post("/push/off", data={"csrf_token": csrf_token(phone, "/me"),
                                                 "consultation_id": bad})
        assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 1


def test_deleting_everything_on_me_removes_push_data_too(app, app_ctx, push_service):
    demo = factories.demo()
    phone = _phone_that_answered(app, demo)
    assert _subscribe(phone, demo, Device(push_service.endpoint("del"))).status_code == 201
    response = phone.post("/me/delete", data={"csrf_token": csrf_token(phone, "/me/delete")})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 0


def test_unconfirmed_subscriptions_expire_and_confirmed_ones_stay(app, app_ctx, push_service):
    demo = factories.demo()
    phone = _phone_that_answered(app, demo)
    old, fresh = Device(push_service.endpoint("old")), Device(push_service.endpoint("fresh"))
    assert _subscribe(phone, demo, old).status_code == 201
    assert _subscribe(phone, demo, fresh).status_code == 201
    long_ago = utcnow() - timedelta(days=30 * app.config["PUSH_CONFIRM_MONTHS"] + 1)
    db.session.execute(PushSubscription.__table__.update().values(confirmed_at=long_ago))
    db.session.commit()
    token = csrf_token(phone, "/me")
    confirmed = phone.post("/push/confirm", json={"endpoint": fresh.endpoint},
                           headers={"X-CSRFToken": token})
    assert confirmed.get_json()["subscriptions"] == 1
    _worker(app)
    db.session.expire_all()
    assert db.session.scalars(select(PushSubscription.endpoint)).all() == [fresh.endpoint]


def test_a_device_in_two_consultations_gets_one_message_per_update(
        app, client, login_as, app_ctx, push_service):
    demo = factories.demo()
    phone = _phone_that_answered(app, demo)
    device = Device(push_service.endpoint("twice"))
    assert _subscribe(phone, demo, device).status_code == 201
    # The same browser subscription, also for a second consultation of the organisation.
    other = Consultation(organisation=demo.organisation, join_code="PUSH02",
                         status=Status.OPEN, title={"sv": "Andra samrådet"})
    db.session.add(other)
    db.session.commit()
    participant = db.session.scalar(select(PushSubscription)).participant_id
    from app.participate.models import Participant

    first = db.session.get(Participant, participant)
    second = Participant(device_hash=first.device_hash, consultation_id=other.id,
                         language="sv", consent_version=first.consent_version)
    db.session.add(second)
    db.session.flush()
    services.subscribe(second, endpoint=device.endpoint, p256dh=device.subscription()[
        "keys"]["p256dh"], auth=device.subscription()["keys"]["auth"], locale="sv",
        allowed_hosts=(), allow_loopback=True)
    db.session.commit()
    login_as("youth_leader", organisation=demo.organisation)
    data = {"title_sv": "Båda samråden", "body_sv": "Text.", "csrf_token": csrf_token(
        client, "/feedback/new")}
    response = client.post("/feedback/new", data=MultiDict(
        [*data.items(), ("consultation", demo.id), ("consultation", other.id)]))
    assert response.status_code == 302
    update = db.session.scalar(select(FeedbackUpdate))
    client.post(f"/feedback/{update.id}/publish",
                data={"csrf_token": csrf_token(client, "/feedback")})
    _worker(app)
    assert len(push_service.received) == 1


def test_push_init_creates_the_keys_once(app, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    monkeypatch.setitem(app.config, "VAPID_PRIVATE_KEY", "")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["push", "init"])
    assert first.exit_code == 0 and "Created VAPID keys" in first.output
    keys = services.read_key_file(tmp_path / services.KEY_FILE)
    assert (tmp_path / services.KEY_FILE).stat().st_mode & 0o077 == 0
    second = runner.invoke(args=["push", "init"])
    assert "exist already" in second.output
    assert services.read_key_file(tmp_path / services.KEY_FILE) == keys
    assert keys.public in second.output


def test_the_worker_without_keys_says_what_to_do(app, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    monkeypatch.setitem(app.config, "VAPID_PRIVATE_KEY", "")
    result = app.test_cli_runner().invoke(args=["push", "worker", "--once"])
    assert result.exit_code != 0 and "push init" in result.output
