"""Read-only JSON API for the coalition's other systems, with bearer tokens."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
