"""Logs: a request id on every response and log line, one line per request, JSON lines with
LOG_FORMAT=json, and nothing personal in them (no address, cookie, query string or form)."""
import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.core.logs import REQUEST_LOGGER, JsonFormatter

ROOT = Path(__file__).resolve().parents[2]
CLIENT_IP = "203.0.113.77"


def test_a_safe_incoming_request_id_is_kept(client):
    response = client.get("/", headers={"X-Request-ID": "lb-7f3a.42_x"})
    assert response.headers["X-Request-ID"] == "lb-7f3a.42_x"


@pytest.mark.parametrize("incoming", ["", "has space", "x" * 65, '"}{"level":"ERROR"',
                                      "ÅÄÖ-id"])
def test_an_unsafe_request_id_is_replaced(client, incoming):
    response = client.get("/", headers={"X-Request-ID": incoming})
    generated = response.headers["X-Request-ID"]
    assert generated != incoming
    assert len(generated) == 16 and int(generated, 16) >= 0


def test_every_response_gets_its_own_id(client):
    assert client.get("/").headers["X-Request-ID"] != client.get("/").headers["X-Request-ID"]


def test_request_log_has_the_fields_and_nothing_personal(client, caplog):
    caplog.set_level(logging.INFO, logger=REQUEST_LOGGER)
    client.set_cookie("device", "secret-device-token")
    response = client.get("/j/NOPE23?code=secret-query", headers={"X-Request-ID": "abc12345"},
                          environ_base={"REMOTE_ADDR": CLIENT_IP})
    [record] = [r for r in caplog.records if r.name == REQUEST_LOGGER]
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["level"] == "INFO"
    assert entry["logger"] == REQUEST_LOGGER
    assert entry["request_id"] == "abc12345" == response.headers["X-Request-ID"]
    assert entry["method"] == "GET"
    assert entry["path"] == "/j/NOPE23"
    assert entry["status"] == response.status_code == 404
    assert isinstance(entry["duration_ms"], float) and entry["duration_ms"] >= 0
    assert entry["message"] == "GET /j/NOPE23 404"
    assert entry["time"].endswith("Z")
    for personal in (CLIENT_IP, "secret-query", "secret-device-token"):
        assert personal not in line


def test_secret_links_are_not_logged(client, caplog):
    caplog.set_level(logging.INFO, logger=REQUEST_LOGGER)
    client.get("/access/SomeInviteToken123")
    [record] = [r for r in caplog.records if r.name == REQUEST_LOGGER]
    assert record.path == "/access/[redacted]"
    assert "SomeInviteToken123" not in record.getMessage()


def test_successful_health_checks_are_quiet(client, caplog):
    caplog.set_level(logging.INFO, logger=REQUEST_LOGGER)
    client.get("/healthz")
    assert not [r for r in caplog.records if r.name == REQUEST_LOGGER]


APP_SCRIPT = textwrap.dedent("""
    import logging
    from app import create_app
    from app.extensions import csrf

    app = create_app("testing")

    @app.post("/boom")
    @csrf.exempt
    def boom():
        logging.getLogger("app.somewhere").warning("about to fail")
        raise RuntimeError("boom")

    client = app.test_client()
    client.set_cookie("device", "secret-device-token")
    client.get("/?code=secret-query", environ_base={"REMOTE_ADDR": "CLIENT_IP"},
               headers={"X-Request-ID": "req-one-1"})
    client.post("/boom?q=secret-query", data={"text": "secret form text"},
                environ_base={"REMOTE_ADDR": "CLIENT_IP"}, headers={"X-Request-ID": "req-two-2"})
""").replace("CLIENT_IP", CLIENT_IP)


def test_with_log_format_json_every_line_is_one_json_object(tmp_path):
    env = {**os.environ, "LOG_FORMAT": "json", "LOG_LEVEL": "INFO",
           "TEST_DATABASE_URL": f"sqlite:///{tmp_path / 'logs.db'}"}
    env.pop("REDIS_URL", None)
    result = subprocess.run([sys.executable, "-c", APP_SCRIPT], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # fails on any line that is not JSON
    for entry in entries:
        assert {"time", "level", "logger", "message", "request_id"} <= entry.keys()
    requests = [e for e in entries if e["logger"] == REQUEST_LOGGER]
    assert [(e["request_id"], e["method"], e["path"], e["status"]) for e in requests] == [
        ("req-one-1", "GET", "/", 302), ("req-two-2", "POST", "/boom", 500)]
    # Lines written during a request carry its id; so does the traceback of its failure.
    warning = next(e for e in entries if e["message"] == "about to fail")
    assert warning["request_id"] == "req-two-2" and warning["level"] == "WARNING"
    failure = next(e for e in entries if e["level"] == "ERROR")
    assert failure["request_id"] == "req-two-2"
    assert "RuntimeError: boom" in failure["exception"]
    for personal in (CLIENT_IP, "secret-query", "secret-device-token", "secret form text"):
        assert personal not in result.stderr


def test_an_unknown_log_format_stops_start_up_with_one_sentence():
    env = {**os.environ, "LOG_FORMAT": "yaml", "MEDSKAPA_ENV": "development",
           "SECRET_KEY": "x" * 32}
    result = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip() == ("Medskapa cannot start: LOG_FORMAT is 'yaml'; use one of: "
                                      "text, json.")
