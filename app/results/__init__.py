"""Results: aggregation, opinion groups, equity breakdown, youth priorities, live view."""
from flask import Blueprint

bp = Blueprint("results", __name__, template_folder="templates")


