"""Consultations: question rounds owned by an organisation, joined with a short code.

The blueprint is where youth leaders author them: details, questions, opening and closing,
sharing with a link, a QR code and posters."""
from flask import Blueprint

bp = Blueprint("consultations", __name__, url_prefix="/staff/consultations",
               template_folder="templates")
