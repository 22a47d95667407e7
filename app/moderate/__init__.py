"""Moderation: the queue, actions, and automatic flags."""
from flask import Blueprint

bp = Blueprint("moderate", __name__, url_prefix="/moderate", template_folder="templates")
