""""You said, we did": updates that tell young people what became of their input."""
from flask import Blueprint

bp = Blueprint("feedback", __name__, template_folder="templates")
