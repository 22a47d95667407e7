import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.config import ConfigError, database_url, secret_key

ROOT = Path(__file__).resolve().parents[2]


def test_default_database_is_sqlite_in_instance_folder(tmp_path):
    assert database_url(None, str(tmp_path)) == f"sqlite:///{tmp_path / 'medskapa.db'}"


def test_postgresql_url_gets_the_installed_driver():
    assert database_url("postgresql://u@db/medskapa", "/x").startswith("postgresql+psycopg://")


@pytest.mark.parametrize("url", ["mysql://root@localhost/x", "nonsense"])
def test_unsupported_database_is_a_config_error(url):
    with pytest.raises(ConfigError):
        database_url(url, "/x")


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = secret_key(str(tmp_path))
    assert len(first) >= 32
    assert secret_key(str(tmp_path)) == first
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def _start(env_overrides: dict) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_overrides, "MEDSKAPA_ENV": "development", "SECRET_KEY": "x" * 32}
    return subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://root@127.0.0.1/test", "Medskapa supports sqlite:/// and postgresql://"),
        ("postgresql://nobody@127.0.0.1:1/nothing", "cannot be reached"),
    ],
)
def test_wrong_database_stops_start_up_with_one_sentence(url, expected):
    result = _start({"DATABASE_URL": url})
    assert result.returncode == 1
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
