"""The core team's portfolio: initiatives, imported youth priorities, links and decisions."""
from flask import Blueprint

bp = Blueprint("portfolio", __name__, template_folder="templates")
