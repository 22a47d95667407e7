"""Routes of the api feature: read-only JSON for the coalition's other systems, behind bearer
tokens that admins create (app/admin). No cookies, no CSRF: every request carries its token."""
from functools import wraps

from flask import current_app, jsonify, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from app.api import bp, openapi, serializers, services
from app.api.models import ApiToken
from app.api.services import MAX_PAGE, MAX_PER_PAGE
from app.core.urls import public_url
from app.extensions import csrf, db, limiter

REALM = "Medskapa API"
DEFAULT_LIMIT = "120 per minute"
ADDRESS_LIMIT = "600 per minute"
ERROR_CODES = {400: "invalid_request", 401: "invalid_token", 403: "insufficient_scope",
               404: "not_found", 405: "method_not_allowed", 429: "rate_limited"}

csrf.exempt(bp)


def _bearer() -> str | None:
    scheme, _sep, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


def _rate_key() -> str:
    """Per token when one is sent (several systems may share an address), else per address."""
    value = _bearer()
    return f"token:{ApiToken.hash(value)}" if value else get_remote_address()


limiter.shared_limit(lambda: current_app.config.get("API_RATE_LIMIT", DEFAULT_LIMIT),
                     scope="api", key_func=_rate_key)(bp)
# Made-up tokens each get a counter of their own above; this one bounds an address's guessing.
limiter.shared_limit(lambda: current_app.config.get("API_ADDRESS_RATE_LIMIT", ADDRESS_LIMIT),
                     scope="api-address", key_func=get_remote_address)(bp)


def _problem(status: int, error: str, message: str, headers: dict | None = None):
    response = jsonify({"error": error, "message": message})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def _unauthorized(error: str, message: str):
    challenge = f'Bearer realm="{REALM}"'
    if error == "invalid_token":
        challenge += ', error="invalid_token"'
    return _problem(401, error, message, {"WWW-Authenticate": challenge})


def scope_required(scope: str):
    """Let the view run only for a live token whose scopes include `scope`."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            value = _bearer()
            if value is None:
                return _unauthorized("missing_token", _(
                    "Send an API token in the Authorization header: Bearer <token>."))
            token = services.authenticate(value)
            if token is None:
                return _unauthorized("invalid_token", _(
                    "This API token is not valid. It may have been revoked."))
            if scope not in token.scopes:
                return _problem(403, "insufficient_scope", _(
                    "This API token may not read %(scope)s.", scope=scope),
                    {"WWW-Authenticate":
                     f'Bearer realm="{REALM}", error="insufficient_scope", scope="{scope}"'})
            if services.mark_used(token):
                db.session.commit()
            return view(*args, **kwargs)

        return wrapped

    return decorator


class InvalidParameter(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _number(name: str, default: int, maximum: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    value = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else 0
    if not 1 <= value <= maximum:
        raise InvalidParameter(_("The parameter %(name)s must be a whole number from 1 to "
                                 "%(max)s.", name=name, max=maximum))
    return value


def _listing(fetch, shape):
    try:
        page = _number("page", 1, MAX_PAGE)
        per_page = _number("per_page", openapi.DEFAULT_PER_PAGE, MAX_PER_PAGE)
    except InvalidParameter as exc:
        return _problem(400, "invalid_request", exc.message)
    result = fetch(page, per_page)

    def page_url(n: int) -> str:
        return public_url(request.endpoint, page=n, per_page=per_page)

    return jsonify({
        "data": [shape(item) for item in result.items],
        "meta": {"page": page, "per_page": per_page, "total": result.total},
        "links": {"next": page_url(page + 1) if result.has_next else None,
                  "prev": page_url(page - 1) if page > 1 else None},
    })


@bp.get("/priorities")
@scope_required("priorities")
def priorities():
    return _listing(services.priorities, serializers.priority)


@bp.get("/initiatives")
@scope_required("initiatives")
def initiatives():
    return _listing(services.initiatives, serializers.initiative)


@bp.get("/links")
@scope_required("links")
def links():
    return _listing(services.links, serializers.link)


@bp.get("/decisions")
@scope_required("decisions")
def decisions():
    return _listing(services.decisions, serializers.decision)


@bp.get("/feedback")
@scope_required("feedback")
def feedback():
    return _listing(services.feedback, serializers.feedback)


@bp.get("/openapi.json")
def openapi_document():
    """Public: it says what the API offers, not what the data is."""
    response = jsonify(openapi.document())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


EVERY_METHOD = ["GET", "POST", "PUT", "PATCH", "DELETE"]
ALLOWED = "GET, HEAD, OPTIONS"  # what every address of the API takes


@bp.route("/", methods=EVERY_METHOD, defaults={"_unknown": ""})
@bp.route("/<path:_unknown>", methods=EVERY_METHOD)
def unknown(_unknown: str):
    """Unknown addresses and methods under /api/v1/ get the API's own error body (a rule
    that matches every method also takes writes to the known addresses)."""
    if request.method not in ("GET", "HEAD"):
        raise MethodNotAllowed(valid_methods=["GET", "HEAD"])
    raise NotFound()


@bp.after_request
def no_store(response):
    response.headers.setdefault("Cache-Control", "no-store")
    if request.method == "OPTIONS":  # Flask's answer would list the methods of unknown()
        response.headers["Allow"] = ALLOWED
    return response


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException):
    code = exc.code or 500
    messages = {
        404: _("There is nothing at this address. See /api/v1/openapi.json."),
        405: _("The API only reads: use GET."),
        429: _("Too many requests in a short time. Wait a minute and try again."),
    }
    headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    if code == 405:
        headers["Allow"] = ALLOWED
    return _problem(code, ERROR_CODES.get(code, "error"),
                    messages.get(code, _("Something was wrong with the request.")), headers)


@bp.errorhandler(Exception)
def unexpected_error(exc: Exception):
    db.session.rollback()
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    return _problem(500, "server_error", _("Something went wrong on our side. Please try again "
                                           "in a moment."))
