from unittest import mock

from sqlalchemy.exc import OperationalError


def test_healthz_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_503_when_database_is_down(client):
    error = OperationalError("SELECT 1", {}, Exception("connection refused"))
    with mock.patch("app.health.services.db.session.execute", side_effect=error):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "down"
