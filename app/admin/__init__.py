"""Administration: staff accounts (and, later, organisations, areas, retention)."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")
