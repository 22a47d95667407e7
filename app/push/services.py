"""Web Push: VAPID keys, opt-in subscriptions, the outbox and its worker.

The only module that imports pywebpush. Publishing an update only writes outbox rows
(`enqueue`), in the publisher's transaction; `flask push worker` sends them later, so
publishing never waits on a push service.
"""
import base64
import binascii
import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError

from app.core.errors import DomainError
from app.core.text import whole_number
from app.core.time import utcnow
from app.extensions import db
from app.feedback.models import FeedbackUpdate, feedback_consultations
from app.push.models import JobStatus, PushJob, PushSubscription

KEY_FILE = "vapid.json"
ENDPOINT_MAX = 1000
TTL_SECONDS = 7 * 24 * 3600  # a phone that is off for a week still gets the news
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
LEASE = timedelta(minutes=5)  # a claimed job is left alone this long by other workers
SEND_TIMEOUT = 10  # seconds


class InvalidSubscription(DomainError):
    pass


class NotConfigured(DomainError):
    pass


# --- keys -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class VapidKeys:
    private: str  # the raw 32-byte key, base64url
    public: str  # the uncompressed P-256 point, base64url (the browser's applicationServerKey)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_keys() -> VapidKeys:
    from cryptography.hazmat.primitives import serialization
    from py_vapid import Vapid  # here, not at import: cryptography costs every process 9 MB

    vapid = Vapid()
    vapid.generate_keys()
    private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    public = vapid.public_key.public_bytes(serialization.Encoding.X962,
                                           serialization.PublicFormat.UncompressedPoint)
    return VapidKeys(private=_b64url(private), public=_b64url(public))


def init_keys(instance_path: str) -> tuple[VapidKeys, bool]:
    """Create the key pair once, in the instance folder. Returns (keys, created)."""
    path = Path(instance_path) / KEY_FILE
    if path.exists():
        return read_key_file(path), False
    keys = new_keys()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump({"private_key": keys.private, "public_key": keys.public}, f)
    return keys, True


def read_key_file(path: Path) -> VapidKeys:
    data = json.loads(path.read_text())
    return VapidKeys(private=data["private_key"], public=data["public_key"])


def keys(config: dict, instance_path: str) -> VapidKeys | None:
    """The environment's keys if set, else the instance folder's, else None (push is off)."""
    if config.get("VAPID_PRIVATE_KEY") and config.get("VAPID_PUBLIC_KEY"):
        return VapidKeys(private=config["VAPID_PRIVATE_KEY"], public=config["VAPID_PUBLIC_KEY"])
    path = Path(instance_path) / KEY_FILE
    return read_key_file(path) if path.exists() else None


# --- subscriptions --------------------------------------------------------------------------

def endpoint_allowed(endpoint: str, allowed_hosts, allow_loopback: bool = False) -> bool:
    """Only the known push services, over HTTPS: the server POSTs to this URL, so it must
    never be a way to reach internal addresses."""
    try:
        parts = urlsplit(endpoint)
        host = (parts.hostname or "").lower().rstrip(".")
        parts.port  # noqa: B018 -- raises on a malformed port
    except ValueError:
        return False
    if parts.username or parts.password or not host:
        return False
    if allow_loopback and parts.scheme in ("http", "https") and host in ("127.0.0.1",
                                                                          "localhost"):
        return True
    if parts.scheme != "https":
        return False
    return any(host == h or host.endswith("." + h) for h in allowed_hosts)


def _valid_key(text: str, size: int, first: int | None = None) -> bool:
    try:
        raw = _unb64url(text)
    except (binascii.Error, ValueError):
        return False
    return len(raw) == size and (first is None or raw[0] == first)


def subscribe(participant, *, endpoint: str, p256dh: str, auth: str, locale: str,
              allowed_hosts, allow_loopback: bool = False) -> PushSubscription:
    """Store (or refresh) this device's subscription for its consultation."""
    endpoint = (endpoint or "").strip()
    if len(endpoint) > ENDPOINT_MAX or not endpoint_allowed(endpoint, allowed_hosts,
                                                            allow_loopback):
        raise InvalidSubscription("endpoint")
    if not _valid_key(p256dh or "", 65, first=4) or not _valid_key(auth or "", 16):
        raise InvalidSubscription("keys")
    mine = select(PushSubscription).where(PushSubscription.participant_id == participant.id,
                                          PushSubscription.endpoint == endpoint)
    found = db.session.scalar(mine)
    values = {"p256dh": p256dh, "auth": auth, "locale": locale, "confirmed_at": utcnow()}
    if found is None:
        try:
            with db.session.begin_nested():
                found = PushSubscription(participant_id=participant.id,
                                         consultation_id=participant.consultation_id,
                                         endpoint=endpoint, **values)
                db.session.add(found)
            return found
        except IntegrityError:
            # A second tap on "Yes, tell me" while the first was on its way stored it
            # meanwhile: refreshed, as any renewal is.
            found = db.session.scalar(mine)
    for name, value in values.items():
        setattr(found, name, value)
    db.session.flush()
    return found


def relocalise(participant_ids: list[int], locale: str) -> int:
    """The phone chose another language: its notifications come in that one from now on."""
    if not participant_ids:
        return 0
    return db.session.execute(update(PushSubscription).where(
        PushSubscription.participant_id.in_(participant_ids),
        PushSubscription.locale != locale).values(locale=locale)).rowcount


def confirm(participant_ids: list[int], endpoint: str) -> int:
    """The device still has this subscription: keep it from expiring."""
    if not participant_ids or not endpoint:
        return 0
    return db.session.execute(update(PushSubscription).where(
        PushSubscription.participant_id.in_(participant_ids),
        PushSubscription.endpoint == endpoint).values(confirmed_at=utcnow())).rowcount


def subscriptions_of(participant_ids: list[int]) -> list[PushSubscription]:
    if not participant_ids:
        return []
    return list(db.session.scalars(_SUBSCRIPTIONS_OF, {"ids": list(participant_ids)}))


# /me and the thank-you page ask on every visit; built once, as the participant pages'
# statements are (app/participate/cache.py says why).
_SUBSCRIPTIONS_OF = (select(PushSubscription)
                     .where(PushSubscription.participant_id.in_(bindparam("ids", expanding=True)))
                     .order_by(PushSubscription.id))


def _delete_subscriptions(where) -> int:
    ids = select(PushSubscription.id).where(where)
    db.session.execute(delete(PushJob).where(PushJob.subscription_id.in_(ids),
                                             PushJob.status == JobStatus.PENDING))
    return db.session.execute(delete(PushSubscription).where(where)).rowcount


def turn_off(participant_ids: list[int], consultation_id: int | None = None) -> int:
    """Delete this device's subscriptions (for one consultation, or all) and their queued
    jobs. Returns how many were removed."""
    if not participant_ids:
        return 0
    where = PushSubscription.participant_id.in_(participant_ids)
    if consultation_id is not None:
        where = where & (PushSubscription.consultation_id == consultation_id)
    return _delete_subscriptions(where)


def forget(participant_ids: list[int]) -> None:
    """Everything push knows of these participants goes (self-service delete, retention)."""
    turn_off(participant_ids)


def expire_unconfirmed(months: int, now: datetime | None = None) -> int:
    """Apple's push service may accept pushes to a subscription the device dropped long ago:
    subscriptions no device has confirmed for `months` are removed."""
    cutoff = (now or utcnow()) - timedelta(days=30 * months)
    return _delete_subscriptions(PushSubscription.confirmed_at < cutoff)


# --- the outbox -----------------------------------------------------------------------------

def _subscriptions(update_: FeedbackUpdate) -> list[tuple[int, str]]:
    return db.session.execute(
        select(PushSubscription.id, PushSubscription.endpoint)
        .join(feedback_consultations,
              feedback_consultations.c.consultation_id == PushSubscription.consultation_id)
        .where(feedback_consultations.c.feedback_id == update_.id)
        .order_by(PushSubscription.id)).all()


def reach(update_: FeedbackUpdate) -> int:
    """How many phones publishing `update_` would notify (each device once)."""
    return len({endpoint for _, endpoint in _subscriptions(update_)})


def enqueue(update_: FeedbackUpdate) -> int:
    """One job per device subscribed to any consultation the update concerns; a device
    subscribed to two of them gets it once. Returns how many were queued."""
    rows = _subscriptions(update_)
    have = set(db.session.scalars(select(PushJob.subscription_id).where(
        PushJob.feedback_id == update_.id)))
    endpoints = set()
    queued = 0
    for subscription_id, endpoint in rows:
        if subscription_id in have or endpoint in endpoints:
            continue
        endpoints.add(endpoint)
        db.session.add(PushJob(feedback_id=update_.id, subscription_id=subscription_id))
        queued += 1
    db.session.flush()
    return queued


def claim_due(now: datetime | None = None, limit: int = 100) -> list[int]:
    """Take up to `limit` due jobs for this worker: each is leased (its next attempt moved
    on) by a conditional UPDATE, so two workers never take the same job at once."""
    now = now or utcnow()
    candidates = db.session.execute(
        select(PushJob.id, PushJob.next_attempt_at)
        .where(PushJob.status == JobStatus.PENDING, PushJob.next_attempt_at <= now)
        .order_by(PushJob.next_attempt_at, PushJob.id).limit(limit)).all()
    claimed = []
    for job_id, due in candidates:
        taken = db.session.execute(
            update(PushJob).where(PushJob.id == job_id, PushJob.status == JobStatus.PENDING,
                                  PushJob.next_attempt_at == due)
            .values(next_attempt_at=now + LEASE, attempts=PushJob.attempts + 1)).rowcount
        if taken:
            claimed.append(job_id)
    return claimed


def payload(update_: FeedbackUpdate, consultation_id: int, locale: str) -> dict:
    """What the notification shows: the update's title in the device's language and where a
    tap leads. Nothing about the young person."""
    from app.i18n import localized

    with force_locale(locale):
        text = _("There is news about your ideas. Tap to read it.")
    return {"title": localized(update_.title, locale), "body": text,
            "url": f"/c/{consultation_id}/feedback", "tag": f"feedback-{update_.uuid}",
            "lang": locale}


def _retry_delay(attempts: int, retry_after: str | None) -> timedelta:
    if (seconds := whole_number(retry_after or "", maximum=10**12)) is not None:
        return min(timedelta(seconds=seconds), LONGEST_RETRY)
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


@dataclass
class Report:
    sent: int = 0
    gone: int = 0
    retry: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: "Report") -> None:
        self.sent += other.sent
        self.gone += other.gone
        self.retry += other.retry
        self.failed += other.failed
        self.errors += other.errors


def _session():
    import requests

    session = requests.Session()
    session.trust_env = False  # no proxies from the environment
    session.max_redirects = 0  # a push service never redirects; following one could go inward
    return session


def deliver(job_id: int, keys_: VapidKeys, subject: str, *, allowed_hosts,
            allow_loopback: bool = False, now: datetime | None = None) -> Report:
    """Send one claimed job and record the outcome."""
    # Imported here, in the push worker: pywebpush and requests (with the aiohttp that
    # pywebpush loads) would cost every web worker ~15 MB.
    import requests
    from pywebpush import WebPushException, webpush

    now = now or utcnow()
    report = Report()
    job = db.session.get(PushJob, job_id)
    if job is None or job.status != JobStatus.PENDING:
        return report
    subscription = job.subscription
    if subscription is None or not endpoint_allowed(subscription.endpoint, allowed_hosts,
                                                    allow_loopback):
        job.status, job.last_error = JobStatus.GONE, "subscription removed"
        report.gone += 1
        return report
    update_ = db.session.get(FeedbackUpdate, job.feedback_id)
    data = json.dumps(payload(update_, subscription.consultation_id, subscription.locale),
                      ensure_ascii=False)
    status, retry_after, error = None, None, ""
    try:
        response = webpush(
            {"endpoint": subscription.endpoint,
             "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}},
            data=data, vapid_private_key=keys_.private, vapid_claims={"sub": subject},
            content_encoding="aes128gcm", ttl=TTL_SECONDS, timeout=SEND_TIMEOUT,
            headers={"Urgency": "normal"}, requests_session=_session())
        status = response.status_code
    except WebPushException as exc:
        status, retry_after = exc.status_code, exc.retry_after
        error = str(exc.message)[:200]
    except requests.RequestException as exc:
        error = type(exc).__name__
    job.last_status = status
    job.last_error = error
    if status is not None and 200 <= status < 300:
        job.status, job.sent_at = JobStatus.SENT, now
        report.sent += 1
    elif status in (404, 410):
        # The browser dropped the subscription: forget it (its other queued jobs go too).
        job.status = JobStatus.GONE
        job.subscription_id = None
        db.session.flush()
        _delete_subscriptions(PushSubscription.id == subscription.id)
        report.gone += 1
    elif status is not None and 400 <= status < 500 and status != 429:
        job.status = JobStatus.FAILED  # a request the service will never take
        report.failed += 1
        report.errors.append(f"job {job.id}: {status}")
    elif job.attempts >= MAX_ATTEMPTS:
        job.status = JobStatus.FAILED
        report.failed += 1
        report.errors.append(f"job {job.id}: gave up after {job.attempts} attempts")
    else:
        job.next_attempt_at = now + _retry_delay(job.attempts, retry_after)
        report.retry += 1
    return report
