"""Two-factor authentication for staff with time-based one-time codes (TOTP, RFC 6238),
the six-digit codes of any authenticator app. Optional for youth leaders and the core team,
required for administrators. No request objects here."""
import hmac
import time

import pyotp
import segno

from app.accounts.models import User
from app.audit.services import record
from app.core.roles import Role

ISSUER = "Medskapa"
STEP = 30  # seconds per code
DRIFT = 1  # accept the code before and after, for phones whose clock is a little off


def required(user: User) -> bool:
    return user.role == Role.ADMIN


def enabled(user: User) -> bool:
    return bool(user.totp_secret)


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The setup QR code as inline SVG (no external request, allowed by the CSP)."""
    return segno.make(uri, error="m").svg_inline(scale=5, dark="#111", light="#fff",
                                                  omitsize=False)


def _matching_step(secret: str, code: str, now: float) -> int | None:
    # ASCII digits only: "²" and "١" are digits to str.isdigit(), and compare_digest refuses
    # to compare a str with non-ASCII characters (a 500).
    code = "".join(ch for ch in (code or "") if ch in "0123456789")
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    current = int(now // STEP)
    for step in range(current - DRIFT, current + DRIFT + 1):
        if hmac.compare_digest(totp.at(step * STEP), code):
            return step
    return None


def verify(user: User, code: str, now: float | None = None) -> bool:
    """Whether the code is right for the user's secret and not used before (each code
    works once: the step it belongs to is remembered)."""
    if not user.totp_secret:
        return False
    step = _matching_step(user.totp_secret, code, time.time() if now is None else now)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    user.totp_last_step = step
    return True


def enable(user: User, secret: str, code: str, now: float | None = None) -> bool:
    """Turn two-factor on with a secret the user's app has just shown a code for."""
    step = _matching_step(secret, code, time.time() if now is None else now)
    if step is None:
        return False
    user.totp_secret, user.totp_last_step = secret, step
    user.session_version += 1  # other sessions, logged in without the second factor, end
    record("user.two_factor_enabled", actor=user, obj=user)
    return True


def disable(user: User, *, actor: User) -> None:
    user.totp_secret, user.totp_last_step = None, None
    user.session_version += 1
    record("user.two_factor_disabled", actor=actor, obj=user)
