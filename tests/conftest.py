"""Fixtures: one app per test session on a freshly migrated database (SQLite by default,
PostgreSQL when TEST_DATABASE_URL is set), emptied after every test."""
import os
import re
import time
import warnings

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app import create_app
from app.extensions import db, limiter
from app.participate import cache as consultation_cache
from app.results import cache as results_cache
from app.results import live
from tests import factories

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|name="csrf-token" content="([^"]+)"')


class FreshContextClient(FlaskClient):
    """Each request gets its own app context, as in production. Without this a request
    made while a test holds an app context would share `g` (and so the CSRF token cache
    and the database session) with the test and with every other request."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    overrides = {}
    if not os.environ.get("TEST_DATABASE_URL"):
        path = tmp_path_factory.mktemp("db") / "test.db"
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    app = create_app("testing", **overrides)
    app.test_client_class = FreshContextClient
    with app.app_context():
        _reset_schema()
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def _reset_schema() -> None:
    """Start from an empty database, so the migrations are tested from scratch."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(autouse=True)
def _clean_tables(request):
    """Every test starts with empty tables (the schema stays)."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        limiter.reset()  # rate-limit counters are per test too
        live._current.clear()  # so is the live view's one-second memory
        results_cache.forget_all()  # and the counted results (ids start again at 1)
        consultation_cache.forget_all()  # and the participant pages' questions
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.connect() as conn:
            if db.engine.dialect.name == "postgresql":
                _truncate(conn, tables)
            else:
                # Self-references (area → parent area) make row order matter; skip the checks.
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                for name in tables:
                    conn.execute(text(f'DELETE FROM "{name}"'))
                conn.commit()
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()


def _truncate(conn, tables: list[str]) -> None:
    """TRUNCATE waits for every open transaction on those tables. A browser test's server
    thread may still be answering the page the test just closed, and if that thread then
    waits for a thread-lock held by another request that is itself queued behind the
    TRUNCATE, nothing moves again (PostgreSQL cannot see a Python lock, so it finds no
    deadlock). Give up the lock after a few seconds, let the requests finish, try again;
    in the end, end the sessions that still block it, and say so."""
    statement = text("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE")
    for attempt in range(10):
        try:
            conn.execute(text("SET LOCAL lock_timeout = '3s'"))
            conn.execute(statement)
            return
        except OperationalError as error:
            if getattr(error.orig, "sqlstate", None) != "55P03":  # lock_not_available
                raise
            conn.rollback()
            if attempt == 8:
                blockers = conn.execute(text(
                    "SELECT pid, state, left(query, 200) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    " AND state <> 'idle'")).all()
                conn.execute(text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"))
                conn.commit()
                warnings.warn(f"TRUNCATE was blocked; ended these sessions: {blockers}",
                              stacklevel=1)
            time.sleep(0.5)
    conn.execute(statement)


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app, app_ctx):
    return app.test_client()


def csrf_token(client, path: str = "/") -> str:
    html = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


@pytest.fixture
def login_as(client, app_ctx):
    """login_as("youth_leader") → a logged-in staff user of that role (a new organisation
    unless one is given)."""

    def login(role: str = "youth_leader", organisation=None, email=None):
        user = factories.user(role=role, organisation=organisation, email=email)
        db.session.commit()
        log_in(client, user)
        return user

    return login


def log_in(client, user, password: str = factories.PASSWORD):
    """Log a staff member in as they would: password, then the authenticator code if they
    have two-factor authentication."""
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"csrf_token": token, "email": user.email,
                                           "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    if response.headers["Location"].startswith("/login/code"):
        db.session.refresh(user)
        response = client.post("/login/code", data={
            "csrf_token": csrf_token(client, "/login/code"), "code": factories.totp_code(user)})
        assert response.status_code == 302, response.get_data(as_text=True)
    return response
