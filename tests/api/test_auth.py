"""Bearer tokens: required, refused when unknown or revoked, limited to their scopes."""
from datetime import timedelta

import pytest

from app.api import services
from app.api.models import SCOPES, ApiToken
from app.extensions import db
from tests import factories
from tests.api.helpers import bearer, token

ENDPOINTS = [f"/api/v1/{scope}" for scope in SCOPES]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_token_is_required(client, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response.is_json and response.json["error"] == "missing_token"
    assert response.json["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer ")
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("header", ["Bearer", "Bearer msk_made-up", "Basic bXNrXzEyMzQ=",
                                    "Bearer not-even-our-prefix"])
def test_unknown_or_malformed_token_is_refused(client, app_ctx, header):
    token()
    db.session.commit()
    response = client.get("/api/v1/priorities", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json["error"] in ("missing_token", "invalid_token")
    assert response.headers["WWW-Authenticate"].startswith("Bearer ")


def test_revoked_token_is_refused(client, app_ctx):
    value, made = token()
    db.session.commit()
    assert client.get("/api/v1/priorities", headers=bearer(value)).status_code == 200

    services.revoke_token(factories.user(role="admin"), made)
    db.session.commit()
    response = client.get("/api/v1/priorities", headers=bearer(value))
    assert response.status_code == 401
    assert response.json["error"] == "invalid_token"
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_token_sees_only_its_scopes(client, app_ctx):
    value, _made = token(scopes=["priorities", "links"])
    db.session.commit()
    for scope in SCOPES:
        response = client.get(f"/api/v1/{scope}", headers=bearer(value))
        if scope in ("priorities", "links"):
            assert response.status_code == 200, scope
        else:
            assert response.status_code == 403, scope
            assert response.json["error"] == "insufficient_scope"
            assert f'scope="{scope}"' in response.headers["WWW-Authenticate"]


def test_only_the_hash_is_stored(app_ctx):
    value, made = token()
    db.session.commit()
    assert value.startswith("msk_") and len(value) > 40
    stored = db.session.get(ApiToken, made.id)
    assert stored.token_hash == ApiToken.hash(value) and value not in stored.token_hash
    assert stored.prefix == value[:12]
    assert services.authenticate(value) == stored
    assert services.authenticate(value + "x") is None


def test_last_used_is_written_at_most_once_a_minute(client, app_ctx):
    value, made = token()
    db.session.commit()
    assert made.last_used_at is None
    client.get("/api/v1/priorities", headers=bearer(value))
    db.session.expire_all()
    first = db.session.get(ApiToken, made.id).last_used_at
    assert first is not None

    client.get("/api/v1/priorities", headers=bearer(value))
    db.session.expire_all()
    assert db.session.get(ApiToken, made.id).last_used_at == first

    assert not services.mark_used(made, first + timedelta(seconds=59))
    assert services.mark_used(made, first + timedelta(seconds=61))


def test_api_sets_no_cookies_and_needs_no_csrf(client, app_ctx):
    value, _made = token()
    db.session.commit()
    response = client.get("/api/v1/priorities", headers=bearer(value))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    # Writes are refused as writes (405), not as a missing CSRF token (400).
    response = client.post("/api/v1/priorities", headers=bearer(value))
    assert response.status_code == 405 and response.json["error"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_a_method_no_route_takes_gets_the_apis_own_405(client, app_ctx):
    """TRACE is refused while routing, before any blueprint: still the API's error body, in
    the request's language, with the Allow header a 405 must carry."""
    value, _made = token()
    db.session.commit()
    response = client.open("/api/v1/priorities", method="TRACE", headers={
        **bearer(value), "Accept-Language": "en"})
    assert response.status_code == 405
    assert response.json == {"error": "method_not_allowed",
                             "message": "The API only reads: use GET."}
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_options_lists_only_what_the_api_takes(client, app_ctx):
    response = client.options("/api/v1/initiatives")
    assert response.status_code == 200
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("page,status", [("1000000", 200), ("1000001", 400),
                                         ("4990782839186699264", 400)])
def test_page_numbers_up_to_the_documented_maximum_are_taken(client, app_ctx, page, status):
    """The OpenAPI document says how far page goes, and the refusal names that limit."""
    value, _made = token()
    db.session.commit()
    response = client.get(f"/api/v1/priorities?page={page}",
                          headers={**bearer(value), "Accept-Language": "en"})
    assert response.status_code == status
    if status == 200:
        assert response.json["data"] == [] and response.json["links"]["next"] is None
    else:
        assert response.json["message"] == (
            "The parameter page must be a whole number from 1 to 1000000.")
    schema = client.get("/api/v1/openapi.json").json["components"]["parameters"]["page"]
    assert schema["schema"]["maximum"] == 1000000


def test_unknown_address_answers_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json["error"] == "not_found"


def test_requests_are_rate_limited_per_token(app, client, app_ctx):
    value, _made = token()
    other, _ = token()
    db.session.commit()
    app.config["API_RATE_LIMIT"] = "3 per minute"
    try:
        for _ in range(3):
            assert client.get("/api/v1/priorities", headers=bearer(value)).status_code == 200
        response = client.get("/api/v1/links", headers=bearer(value))
        assert response.status_code == 429
        assert response.json["error"] == "rate_limited"
        assert "Retry-After" in response.headers
        # Another system's token has its own allowance.
        assert client.get("/api/v1/priorities", headers=bearer(other)).status_code == 200
    finally:
        del app.config["API_RATE_LIMIT"]
