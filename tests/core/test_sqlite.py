"""SQLite, the embedded default, runs with a write-ahead log, enforced foreign keys and a busy
timeout, so a second writer waits for the first instead of failing. Each test uses its own
SQLite file through a second app, so it runs the same when the suite uses PostgreSQL."""
import sqlite3
import threading
import time

import pytest
from sqlalchemy import text

from app import create_app
from app.extensions import db


@pytest.fixture
def sqlite_app(tmp_path):
    path = tmp_path / "medskapa.db"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("CREATE TABLE answers (who TEXT NOT NULL)"))
        yield app, path
        db.engine.dispose()


def test_sqlite_file_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(sqlite_app):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def _hold_the_write_lock(path):
    """A writer that has written and not committed yet: it holds SQLite's write lock."""
    first = sqlite3.connect(path, isolation_level=None)
    first.execute("BEGIN IMMEDIATE")
    first.execute("INSERT INTO answers VALUES ('first')")
    return first


def test_a_second_writer_waits_for_the_first_and_both_succeed(sqlite_app):
    _app, path = sqlite_app
    first = _hold_the_write_lock(path)
    outcome = {}
    engine = db.engine  # the app's engine, with its pragmas; threads have no app context

    def second_writer():
        start = time.monotonic()
        try:
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO answers VALUES ('second')"))
        except Exception as exc:  # reported below; a thread cannot fail the test itself
            outcome["error"] = exc
        outcome["waited"] = time.monotonic() - start

    thread = threading.Thread(target=second_writer)
    thread.start()
    time.sleep(0.5)
    assert thread.is_alive(), outcome  # still waiting for the lock, not failed
    first.execute("COMMIT")
    first.close()
    thread.join(10)
    assert "error" not in outcome, outcome
    assert outcome["waited"] >= 0.4
    with db.engine.connect() as conn:
        who = conn.execute(text("SELECT who FROM answers ORDER BY who")).scalars().all()
    assert who == ["first", "second"]


def test_without_a_busy_timeout_the_second_writer_would_fail(sqlite_app):
    """The control for the test above: the same race, with a connection that does not wait."""
    _app, path = sqlite_app
    first = _hold_the_write_lock(path)
    impatient = sqlite3.connect(path, timeout=0)
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            impatient.execute("INSERT INTO answers VALUES ('second')")
    finally:
        impatient.close()
        first.execute("ROLLBACK")
        first.close()


def test_readers_are_not_blocked_by_a_writer(sqlite_app):
    _app, path = sqlite_app
    first = _hold_the_write_lock(path)
    try:
        start = time.monotonic()
        with db.engine.connect() as conn:
            seen = conn.execute(text("SELECT count(*) FROM answers")).scalar()
        assert seen == 0  # the uncommitted row is not visible yet
        assert time.monotonic() - start < 0.5
    finally:
        first.execute("ROLLBACK")
        first.close()
