"""gunicorn settings for Medskapa:  gunicorn -c deploy/gunicorn.conf.py wsgi:app

Options given on the command line win over these (e.g. --bind 127.0.0.1:8001 --workers 4).
See docs/deploy.md."""
import os

bind = "127.0.0.1:8000"  # nginx in front; never expose gunicorn itself
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))  # about one per core
worker_class = "gthread"
threads = 4  # each thread may hold one database connection
timeout = 30
graceful_timeout = 30
keepalive = 5  # nginx keeps connections to gunicorn open (upstream keepalive)
# No access log: the app logs every request itself, with its request id and without the
# client's address or the query string (app/core/logs.py).
accesslog = None
# gunicorn's control socket (gunicornc) lives in $HOME, which systemd keeps read-only, and two
# servers on one machine would share it. Stop and reload with signals instead (HUP, TERM).
control_socket_disable = True

if os.environ.get("LOG_FORMAT", "").strip().lower() == "json":
    # gunicorn's own lines (start, workers, timeouts) as JSON too, on stderr. The app's lines
    # get their handler from create_app(), so the root logger gets none here.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "app.core.logs.JsonFormatter"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json",
                                "stream": "ext://sys.stderr"}},
        "root": {"level": os.environ.get("LOG_LEVEL", "INFO").upper(), "handlers": []},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
        },
    }
