"""Once-only tokens for the forms that create something (a consultation, a question, an
initiative, …), so that Back and Save again does not make a second one.

Every render of a create form carries a fresh random token (`{{ once_field() }}`). The view
asks `already_saved(button)` before it creates: a token that an earlier save used means
nothing is created; the form is shown again with what was typed (the view renders it as after
a refused save), a notice at the top of the page links to what was saved (base.html), and the
page carries a fresh token, so that pressing the button again makes another one on purpose.
Otherwise the token is claimed for this request, and `saved(location)` records where the save
led before the view commits. A claimed token is kept only if the request commits; a refused
save rolls it back with everything else. A form sent without a token (an older page, a script)
is saved as before.

The used tokens are kept in the database, so that every app server knows them, and forgotten
after KEEP_FOR by the retention job. Staff pages are never stored by the browser (no-store),
so Back fetches the form again, with a new token, while the browser puts the typed values
back: app.js keeps the token a page first had in its history entry and puts it back."""
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import g, request
from markupsafe import Markup
from sqlalchemy import String, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from app.core.time import UTCDateTime, utcnow
from app.extensions import db

FIELD = "once_token"
TOKEN_MAX = 64
KEEP_FOR = timedelta(days=2)


class UsedFormToken(db.Model):
    """The token of a create form that was saved, and the page the save led to."""

    __tablename__ = "used_form_tokens"

    token: Mapped[str] = mapped_column(String(TOKEN_MAX), primary_key=True)
    location: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


@dataclass(frozen=True)
class Repeat:
    """A create form sent again: where its first save led, and the button that saves."""

    location: str
    button: str


def field() -> Markup:
    """The hidden field of a create form, with a fresh token (a template global)."""
    return Markup('<input type="hidden" name="%s" value="%s">') % (
        FIELD, secrets.token_urlsafe(16))


def repeat() -> Repeat | None:
    """What base.html tells: this request sent a form that was saved before (a template
    global)."""
    return g.get("once_repeat")


def _sent() -> str | None:
    token = request.form.get(FIELD, "")
    # The page makes it (URL-safe characters); anything else is not ours, and a NUL would
    # make PostgreSQL refuse the query.
    if not token or len(token) > TOKEN_MAX or not token.isprintable():
        return None
    return token


def _location(token: str) -> str | None:
    return db.session.scalar(select(UsedFormToken.location).where(
        UsedFormToken.token == token))


def already_saved(button: str) -> bool:
    """Before a create form is saved: True when this form was saved before (then nothing is
    to be created, and the page says so, naming `button`, the label of its save button);
    False when it is to be saved, with its token claimed for this request."""
    token = _sent()
    if token is None:
        return False
    location = _location(token)
    if location is None:
        claim = UsedFormToken(token=token)
        db.session.add(claim)
        try:
            # Not in a savepoint: on SQLite, releasing one that began the transaction
            # commits it, and a refused save would have used up its token.
            db.session.flush()
        except IntegrityError:
            # The same form sent twice at once: the other request has saved it (the
            # database made this one wait for it). Nothing of this one is to be kept.
            db.session.rollback()
            location = _location(token) or ""
        else:
            g.once_claim = claim
            return False
    g.once_repeat = Repeat(location=location, button=button)
    return True


def saved(location: str) -> None:
    """After a create form is saved, before the commit: the page the save leads to (the
    created object's), shown as "Open what you saved" if the form comes again."""
    claim = g.pop("once_claim", None)
    if claim is not None:
        claim.location = location


def _old(now: datetime | None):
    return UsedFormToken.created_at < (now or utcnow()) - KEEP_FOR


def forgettable(now: datetime | None = None) -> int:
    """How many tokens are older than KEEP_FOR (`flask retention run --dry-run`)."""
    return db.session.scalar(select(func.count()).select_from(UsedFormToken).where(_old(now)))


def forget(now: datetime | None = None) -> int:
    """Forget the tokens older than KEEP_FOR (`flask retention run`); returns how many."""
    return db.session.execute(delete(UsedFormToken).where(_old(now))).rowcount or 0
