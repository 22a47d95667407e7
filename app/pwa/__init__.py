"""The installable app: manifest, service worker at the root scope, offline page."""
from flask import Blueprint

bp = Blueprint("pwa", __name__, template_folder="templates")
