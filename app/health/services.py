from functools import lru_cache

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db

REDIS_TIMEOUT = 1.0  # seconds: a load balancer's health check must get an answer quickly


class DatabaseUnavailable(Exception):
    pass


def database_ok() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        db.session.rollback()
        return False


@lru_cache(maxsize=4)
def _redis_client(url: str):
    """One client (and so one small connection pool) per URL and process. redis is imported
    here: a server without Redis need not load it."""
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=REDIS_TIMEOUT,
                                socket_timeout=REDIS_TIMEOUT)


def redis_status(url: str | None) -> str:
    """"ok", "down", or "not configured" when the app runs without Redis."""
    if not url:
        return "not configured"
    from redis import RedisError

    try:
        return "ok" if _redis_client(url).ping() else "down"
    except (RedisError, OSError):
        return "down"


def health(redis_url: str | None) -> tuple[dict, bool]:
    """The health report, and whether this server should get traffic. Only the database
    decides that: without Redis the app still works (each process then keeps its own rate
    limits), and a Redis that blinks must not take every server out of the load balancer."""
    database = "ok" if database_ok() else "down"
    cache = redis_status(redis_url)
    if database == "down":
        status = "down"
    elif cache == "down":
        status = "degraded"
    else:
        status = "ok"
    return {"status": status, "database": database, "redis": cache}, database == "ok"


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
