"""Entry point: `gunicorn wsgi:app` in production, `flask --app wsgi …` for commands."""
import sys

from app import create_app
from app.config import ConfigError
from app.health.services import DatabaseUnavailable, check_database

try:
    app = create_app()
    check_database(app)
except (ConfigError, DatabaseUnavailable) as exc:
    sys.exit(f"Medskapa cannot start: {exc}")
