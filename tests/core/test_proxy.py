"""Behind nginx every request comes from nginx's address: with PROXY_COUNT the app limits by
the client's address that the proxy passes on, and only then."""
import pytest

from app import create_app
from app.extensions import db, limiter
from app.participate.views import WRONG_CODE_LIMIT_ADDRESS
from tests.conftest import FreshContextClient

# Guessing join codes: the first limit's amount ("120 per minute" → 120).
WRONG_CODES_PER_MINUTE = int(WRONG_CODE_LIMIT_ADDRESS.split()[0])


@pytest.fixture
def behind_nginx(app):
    """A second app on the same database, configured as if behind one nginx."""
    proxied = create_app("testing", PROXY_COUNT=1,
                         SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    proxied.test_client_class = FreshContextClient
    yield proxied
    with proxied.app_context():
        limiter.reset()
        db.engine.dispose()


def guess(client, address: str):
    return client.get("/j/WRONG1", headers={"X-Forwarded-For": address},
                      environ_base={"REMOTE_ADDR": "127.0.0.1"})  # nginx on the same host


def test_each_client_behind_the_proxy_has_its_own_limit(behind_nginx):
    client = behind_nginx.test_client()
    for _ in range(WRONG_CODES_PER_MINUTE):
        assert guess(client, "198.51.100.1").status_code == 404
    assert guess(client, "198.51.100.1").status_code == 429
    assert guess(client, "198.51.100.2").status_code == 404  # another phone, another school


def test_proxy_scheme_and_address_reach_the_app(behind_nginx):
    from flask import request, url_for

    behind_nginx.add_url_rule("/_seen", "seen", lambda: {
        "address": request.remote_addr,
        "link": url_for("participate.join", code="ABC234", _external=True)})
    seen = behind_nginx.test_client().get(
        "/_seen", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.1"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_json()
    assert seen == {"address": "198.51.100.1", "link": "https://localhost/j/ABC234"}


def test_without_proxy_count_forwarded_headers_are_ignored(client):
    """Directly on the internet a client could forge X-Forwarded-For to dodge the limit."""
    for n in range(WRONG_CODES_PER_MINUTE):
        assert guess(client, f"198.51.100.{n + 1}").status_code == 404
    assert guess(client, "198.51.100.200").status_code == 429
