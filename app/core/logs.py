"""Logging: a request id on every request and every log line, one log line per request, and
JSON lines when LOG_FORMAT=json. Standard library only.

Nothing personal is logged: no address, no cookie, no query string, no form data. The path is
logged with secrets in it (invite and reset links) replaced."""
import json
import logging
import re
import secrets
import sys
import time
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request

from app.config import ConfigError

REQUEST_ID_HEADER = "X-Request-ID"
# An incoming id is kept only if it is a short token that cannot forge or break a log line.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
SECRET_VIEW_ARGS = ("token",)  # /access/<token>: whoever has the link can set a password
REQUEST_LOGGER = "medskapa.request"
# A load balancer asks every few seconds; its successful checks are logged at DEBUG only.
QUIET_ENDPOINTS = ("health.healthz",)
FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# What a record may carry besides the standard fields (given with `extra=`).
EXTRA_FIELDS = ("method", "path", "status", "duration_ms")


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (or "-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = (g.get("request_id") if has_request_context() else None) or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id and, for request
    logs, method, path, status and duration_ms."""

    def format(self, record: logging.LogRecord) -> str:
        body = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or "-",
        }
        for name in EXTRA_FIELDS:
            if hasattr(record, name):
                body[name] = getattr(record, name)
        if record.exc_info:
            body["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            body["stack"] = self.formatStack(record.stack_info)
        return json.dumps(body, ensure_ascii=False, default=str)


class _Handler(logging.StreamHandler):
    """Ours, so that a second create_app() in one process replaces it instead of adding one."""


def configure(log_format: str, level: str) -> None:
    """Send every logger's records to stderr in the chosen format. With "text" the handler is
    added only when nothing else (a test runner, a log config) handles the root logger."""
    # Its INFO lines name the rate-limit key: an address, an e-mail, a phone's token hash.
    logging.getLogger("flask-limiter").setLevel(logging.WARNING)
    root = logging.getLogger()
    ours = [h for h in root.handlers if isinstance(h, _Handler)]
    if log_format == "text" and not ours and root.handlers:
        return
    handler = ours[0] if ours else _Handler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else
                         logging.Formatter(TEXT_FORMAT))
    if not any(isinstance(f, RequestIdFilter) for f in handler.filters):
        handler.addFilter(RequestIdFilter())
    if not ours:
        root.addHandler(handler)
    root.setLevel(level)
    if log_format == "json":
        # The development server's own request lines carry the address and the query string.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)


def init_app(app: Flask) -> None:
    log_format = app.config.get("LOG_FORMAT", "text")
    level = str(app.config.get("LOG_LEVEL", "INFO")).upper()
    if log_format not in FORMATS:
        raise ConfigError(f"LOG_FORMAT is {log_format!r}; use one of: {', '.join(FORMATS)}.")
    if not isinstance(logging.getLevelName(level), int):
        raise ConfigError(f"LOG_LEVEL is {level!r}; use DEBUG, INFO, WARNING or ERROR.")
    if log_format == "json":
        from flask.logging import default_handler

        app.logger.removeHandler(default_handler)  # the root handler writes JSON instead
    configure(log_format, level)
    logger = logging.getLogger(REQUEST_LOGGER)

    @app.before_request
    def start_request():
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if SAFE_REQUEST_ID.fullmatch(incoming) else \
            secrets.token_hex(8)
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response):
        request_id = g.get("request_id")
        if request_id is None:  # a request that failed before start_request ran
            request_id = g.request_id = secrets.token_hex(8)
        response.headers[REQUEST_ID_HEADER] = request_id
        started = g.get("request_started")
        duration = round((time.perf_counter() - started) * 1000, 1) if started else None
        path = loggable_path()
        level = logging.DEBUG if request.endpoint in QUIET_ENDPOINTS \
            and response.status_code < 400 else logging.INFO
        logger.log(level, "%s %s %s", request.method, path, response.status_code, extra={
            "request_id": request_id, "method": request.method, "path": path,
            "status": response.status_code, "duration_ms": duration})
        return response


def loggable_path() -> str:
    """The path without its query string, with secret parts of the URL replaced."""
    path = request.path
    for name in SECRET_VIEW_ARGS:
        value = (request.view_args or {}).get(name)
        if value:
            path = path.replace(str(value), "[redacted]")
    return path
