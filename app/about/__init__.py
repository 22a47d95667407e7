"""Pages about the app itself: privacy (written for children) and the accessibility statement."""
from flask import Blueprint

bp = Blueprint("about", __name__, template_folder="templates")
