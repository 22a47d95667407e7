"""Systematic follow-up for the core team: per term and area, how far youth input travelled."""
from flask import Blueprint

bp = Blueprint("followup", __name__, template_folder="templates")
