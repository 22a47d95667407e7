"""PostgreSQL connection pool sizes come from the environment (docs/database.md), reach the
app's engine, and a wrong value stops start-up with one sentence."""
import pytest

from app import create_app
from app.config import ConfigError, pool_options
from app.extensions import db

PG = "postgresql+psycopg://medskapa@127.0.0.1:1/medskapa"
NAMES = ("DB_POOL_SIZE", "DB_MAX_OVERFLOW", "DB_POOL_TIMEOUT", "DB_POOL_RECYCLE")


@pytest.fixture(autouse=True)
def _no_pool_settings(monkeypatch):
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)


def test_postgresql_gets_the_documented_defaults():
    assert pool_options(PG) == {"pool_size": 5, "max_overflow": 5, "pool_timeout": 10,
                                "pool_recycle": 1800}


def test_sqlite_keeps_sqlalchemys_own_pool(monkeypatch):
    monkeypatch.setenv("DB_POOL_SIZE", "50")
    assert pool_options("sqlite:////tmp/medskapa.db") == {}


def test_the_environment_sizes_the_engines_pool(monkeypatch):
    monkeypatch.setenv("TEST_DATABASE_URL", PG)  # never connected to: engines connect lazily
    for name, value in zip(NAMES, ("3", "2", "7", "-1"), strict=True):
        monkeypatch.setenv(name, value)
    app = create_app("testing")
    with app.app_context():
        pool = db.engine.pool
        assert (pool.size(), pool._max_overflow, pool.timeout(), pool._recycle) == (3, 2, 7, -1)
        assert db.engine.dialect.name == "postgresql"
        db.engine.dispose()


@pytest.mark.parametrize(("name", "value"), [("DB_POOL_SIZE", "0"), ("DB_POOL_SIZE", "many"),
                                             ("DB_MAX_OVERFLOW", "-1"),
                                             ("DB_POOL_TIMEOUT", "1.5")])
def test_a_wrong_pool_setting_is_a_config_error(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        pool_options(PG)
