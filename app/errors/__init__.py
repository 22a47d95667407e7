"""Error pages in the user's language; JSON for clients that ask for it."""
from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException

from app.core.errors import Forbidden, NotFound
from app.extensions import db


def _wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    accept = request.accept_mimetypes
    return accept["application/json"] > accept["text/html"]


def _messages(code: int) -> tuple[str, str]:
    return {
        400: (_("Something was wrong with the request"),
              _("Please go back and try again.")),
        403: (_("You do not have access to this page"),
              _("If you think you should have access, ask your administrator.")),
        404: (_("We could not find that page"),
              _("Check the address, or start again from the first page.")),
        405: (_("That did not work"), _("Please go back and try again.")),
        410: (_("This link no longer works"), _("Ask for a new link.")),
        413: (_("That was too much at once"), _("Please send something smaller.")),
        429: (_("Slow down a little"),
              _("Too many tries in a short time. Wait a minute and try again.")),
        500: (_("Something went wrong on our side"),
              _("Nothing you did caused this. Please try again in a moment.")),
    }.get(code, (_("Something went wrong"), _("Please try again.")))


def render_error(code: int, title: str | None = None, text: str | None = None, **json_extra):
    default_title, default_text = _messages(code)
    title, text = title or default_title, text or default_text
    if _wants_json():
        return jsonify({"error": code, "message": title, **json_extra}), code
    return render_template("errors/error.html", code=code, title=title, text=text,
                           expired=bool(json_extra.get("csrf"))), code


def register_error_handlers(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        app.logger.info("CSRF refused: %s", exc.description)
        return render_error(400, _("The form had expired"),
                            _("For your safety, forms stop working after a while. "
                              "Go back, reload the page and try again."),
                            csrf=True)  # in JSON: answer.js fetches a fresh token, sends again

    @app.errorhandler(HTTPException)
    def http_error(exc):
        if request.path.startswith("/api/v1/"):
            # An error found while routing (a method no rule takes, such as TRACE) reaches
            # no blueprint's handler: the API still answers in its own format.
            from app.api.views import http_error as api_error
            return api_error(exc)
        body, code = render_error(exc.code or 500)
        # Keep what the exception says about itself: Allow on a 405 (RFC 9110 requires it).
        headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
        if exc.code == 429 and getattr(exc, "retry_after", None):
            headers["Retry-After"] = str(exc.retry_after)
        return body, code, headers

    @app.errorhandler(NotFound)
    def not_found(exc):
        return render_error(404)

    @app.errorhandler(Forbidden)
    def forbidden(exc):
        return render_error(403)

    @app.errorhandler(DataError)
    @app.errorhandler(OverflowError)
    def refused_by_the_database(exc):
        """The database refused a value the request carried: an id beyond its integer
        range (PostgreSQL; SQLite's driver raises OverflowError), a NUL in a text. The
        request was wrong, not the server; nothing was written."""
        db.session.rollback()
        app.logger.warning("Value refused by the database on %s %s: %s", request.method,
                           request.path, type(getattr(exc, "orig", exc)).__name__)
        return render_error(400)

    @app.errorhandler(Exception)
    def unexpected_error(exc):
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(500)
