"""Security headers for every response, in one small module of our own (Flask-Talisman is
no longer maintained). The pages use no inline scripts or styles, so the policy can be strict."""
from flask import Flask, request, session

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
PERMISSIONS = ("camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
               "interest-cohort=()")
STAFF_PREFIXES = ("/staff", "/moderate", "/results", "/live", "/admin", "/login", "/access",
                  "/portfolio", "/feedback", "/api/")


def _personal(path: str) -> bool:
    """A phone's own pages: what it gave, and the pages that delete it."""
    return path == "/me" or path.startswith("/me/")


def _gives_a_cookie(response) -> bool:
    """Sets a cookie: in the view (the device token), or Flask's session cookie, written
    after these hooks, when the view changed the session (a first CSRF token)."""
    return "Set-Cookie" in response.headers or session.modified


def init_app(app: Flask) -> None:
    @app.after_request
    def add_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", PERMISSIONS)
        headers.setdefault("X-Frame-Options", "DENY")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security",
                               "max-age=31536000; includeSubDomains")
        if (request.path.startswith(STAFF_PREFIXES) or _personal(request.path)
                or _gives_a_cookie(response)) and "Cache-Control" not in headers:
            # Staff pages hold children's texts; a phone's own pages its child's answers
            # (a classroom phone is shared: its back button must not show them to the next).
            # A response that hands out a cookie (a device token, a session) must not be
            # kept by a school's proxy and handed to the next phones with the same cookie.
            headers["Cache-Control"] = "no-store"
        return response
