"""Taking part: a young person joins a consultation with a code and gives input."""
from flask import Blueprint

bp = Blueprint("participate", __name__, template_folder="templates")
