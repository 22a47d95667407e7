"""Staff roles and the decorator views use to require them."""
import enum
from functools import wraps

from flask import abort
from flask_login import current_user


class Role(enum.StrEnum):
    ADMIN = "admin"
    CORE_TEAM = "core_team"
    YOUTH_LEADER = "youth_leader"


def role_required(*roles: Role):
    """Allow the view only to logged-in staff with one of `roles` (admins always pass)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from app.extensions import login_manager

                return login_manager.unauthorized()
            if current_user.role != Role.ADMIN and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
