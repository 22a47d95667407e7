"""Absolute links that leave the browser: printed on posters, shown as QR codes on a
projector, sent in invitations. They use PUBLIC_URL when it is set, not the address the
request came in on (behind a proxy that can be an internal one, or whatever Host a
client sent)."""
from flask import current_app, url_for


def public_url(endpoint: str, **values) -> str:
    public = current_app.config.get("PUBLIC_URL")
    if public:
        return public.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
