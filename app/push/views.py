"""Routes of the push feature: a participant device turns notifications on (after its first
answer, from JavaScript), confirms it still has them, and turns them off from /me."""
from flask import (
    current_app,
    flash,
    jsonify,
    redirect,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _

from app.core.text import MAX_ID, whole_number
from app.extensions import db, limiter
from app.participate import services as participate
from app.participate.views import device_token
from app.push import bp, services

SUBSCRIBE_LIMIT = "10 per minute;60 per day"


def _device_key() -> str:
    token = device_token()
    return "push:" + (participate.device_hash(token)[:32] if token else
                      request.remote_addr or "")


def public_key() -> str | None:
    """The server's VAPID public key for the page (None: push is not set up here)."""
    cached = current_app.extensions.get("medskapa_vapid_public")
    if cached is None:
        keys = services.keys(current_app.config, current_app.instance_path)
        cached = keys.public if keys else ""
        current_app.extensions["medskapa_vapid_public"] = cached
    return cached or None


@bp.app_template_global()
def push_offer(participant, answered: bool):
    """What the thank-you page needs to offer notifications: the key and whether this
    device is already subscribed. None when there is nothing to offer."""
    key = public_key()
    if key is None or participant is None or not answered:
        return None
    subscribed = any(s.consultation_id == participant.consultation_id
                     for s in services.subscriptions_of([participant.id]))
    return {"key": key, "subscribed": subscribed, "consultation_id": participant.consultation_id}


@bp.app_template_global()
def push_subscriptions(participants):
    by_id = {p.id: p for p in participants}
    return [(s, by_id[s.participant_id].consultation)
            for s in services.subscriptions_of(list(by_id))]


def _error(message: str, status: int = 400):
    return jsonify({"ok": False, "error": message}), status


@bp.post("/push/subscribe")
@limiter.limit(SUBSCRIBE_LIMIT, key_func=_device_key)
def subscribe():
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("subscription"), dict):
        return _error(_("Something went wrong. Please try again."))
    consultation_id = data.get("consultation_id")
    # A JSON number that can be an id: not true/false (bool is an int to Python; PostgreSQL
    # refused comparing it with an integer column: a 500), not beyond the column.
    is_id = type(consultation_id) is int and 0 < consultation_id <= MAX_ID
    participant = participate.participant_for(device_token(), consultation_id) \
        if is_id else None
    if participant is None or not participate.has_answered(participant):
        return _error(_("Answer a question first, then you can turn on notifications."), 403)
    subscription = data["subscription"]
    keys = subscription.get("keys") if isinstance(subscription.get("keys"), dict) else {}
    try:
        services.subscribe(
            participant, endpoint=str(subscription.get("endpoint") or ""),
            p256dh=str(keys.get("p256dh") or ""), auth=str(keys.get("auth") or ""),
            locale=str(get_locale()), allowed_hosts=current_app.config["PUSH_ALLOWED_HOSTS"],
            allow_loopback=current_app.config["PUSH_ALLOW_LOOPBACK"])
    except services.InvalidSubscription:
        return _error(_("This browser cannot get notifications from Medskapa."))
    db.session.commit()
    return jsonify({"ok": True, "message": _(
        "Done! We will tell you when there is news about this consultation.")}), 201


@bp.post("/push/confirm")
@limiter.limit(SUBSCRIBE_LIMIT, key_func=_device_key)
def confirm():
    """The phone still has its subscription (push.js says so at most once a day)."""
    data = request.get_json(silent=True) or {}
    endpoint = data.get("endpoint") if isinstance(data, dict) else None
    count = services.confirm(participate.participant_ids(device_token()),
                             endpoint if isinstance(endpoint, str) else "")
    db.session.commit()
    return jsonify({"ok": True, "subscriptions": count})


@bp.post("/push/off")
def turn_off():
    """From /me: stop notifications for one consultation, or all (works without JS)."""
    raw = request.form.get("consultation_id")
    consultation = whole_number(raw) if raw else None
    if raw and consultation is None:  # not an id (a tampered form): never read as "all"
        return redirect(url_for("participate.me"))
    removed = services.turn_off(participate.participant_ids(device_token()), consultation)
    db.session.commit()
    if removed:
        flash(_("Notifications are turned off."), "success")
    return redirect(url_for("participate.me"))
