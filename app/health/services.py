from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db


class DatabaseUnavailable(Exception):
    pass


def database_ok() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        db.session.rollback()
        return False


def check_database(app) -> None:
    """At start-up: fail with one sentence if the database cannot be reached."""
    with app.app_context():
        try:
            with db.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            url = db.engine.url.render_as_string(hide_password=True)
            reason = str(getattr(exc, "orig", exc) or exc).strip().splitlines()[0]
            raise DatabaseUnavailable(
                f"the database at {url} cannot be reached ({reason})."
            ) from None
        finally:
            db.engine.dispose()
