from flask import Blueprint

bp = Blueprint("health", __name__)

from app.health import views  # noqa: E402,F401
