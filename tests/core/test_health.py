"""/healthz: 200 while the database answers, "degraded" (still 200) when Redis does not,
503 when the database does not."""
import os
import socket
import time
from unittest import mock

import pytest
import redis
from sqlalchemy.exc import OperationalError

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture
def closed_port():
    """A loopback port that is bound but never listens: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.fixture
def redis_url(app, monkeypatch):
    def use(url):
        monkeypatch.setitem(app.config, "REDIS_URL", url)

    return use


def database_down():
    error = OperationalError("SELECT 1", {}, Exception("connection refused"))
    return mock.patch("app.health.services.db.session.execute", side_effect=error)


def test_healthz_reports_ok_without_redis(client, redis_url):
    redis_url(None)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok",
                                   "redis": "not configured"}
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_reports_ok_with_a_live_redis(client, redis_url):
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL} (set TEST_REDIS_URL)")
    redis_url(REDIS_URL)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_redis_down_is_degraded_but_still_serving(client, redis_url, closed_port):
    redis_url(f"redis://127.0.0.1:{closed_port}/0")
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 3
    assert response.status_code == 200  # the load balancer keeps this server
    assert response.get_json() == {"status": "degraded", "database": "ok", "redis": "down"}


def test_healthz_reports_503_when_database_is_down(client, redis_url):
    redis_url(None)
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "down", "database": "down",
                                   "redis": "not configured"}


def test_database_down_is_down_whatever_redis_says(client, redis_url, closed_port):
    redis_url(f"redis://127.0.0.1:{closed_port}/0")
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "down", "database": "down", "redis": "down"}
