"""Staff accounts: login, logout, invite and reset links."""
from flask import Blueprint

bp = Blueprint("accounts", __name__, template_folder="templates")
