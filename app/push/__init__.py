"""Web Push: opt-in subscriptions per device and consultation, and an outbox the worker sends."""
from flask import Blueprint

bp = Blueprint("push", __name__, template_folder="templates")
