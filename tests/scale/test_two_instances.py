"""Two real app servers (two gunicorn processes) on one PostgreSQL database and one Redis act
as one: what a phone does through one is counted by the other, sessions and CSRF tokens work
on both, rate limits are counted together, the live view's ETag follows on both, and a count
of results or a consultation's questions reused on one is dropped when a leader changes
something through the other.

Needs PostgreSQL (TEST_DATABASE_URL; the servers use their own database, `<name>_scale`) and
Redis (TEST_REDIS_URL, default redis://127.0.0.1:6379/13, flushed by these tests)."""
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
import redis
import requests
from psycopg import sql
from sqlalchemy.engine import make_url

from app.accounts.views import LOGIN_LIMIT_ACCOUNT
from app.participate.views import WRONG_CODE_LIMIT_ADDRESS
from tests.conftest import CSRF_RE

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
PASSWORD = "scale test password"
LEADER = "leader@example.org"
CODE = "DEMO01"
IDEA_QUESTION = 1
SCALE_QUESTION = 5  # the demo's questions: idea, statement, rank, word, scale, choice
WORD_QUESTION = 4
TIMEOUT = 10  # seconds, for every HTTP request
WRONG_CODES_PER_MINUTE = int(WRONG_CODE_LIMIT_ADDRESS.split()[0])  # "120 per minute"
FAILED_LOGINS_PER_ACCOUNT = int(LOGIN_LIMIT_ACCOUNT.split()[0])  # "10 per 15 minutes"


def _test_database_url():
    raw = os.environ.get("TEST_DATABASE_URL", "")
    try:
        url = make_url(raw) if raw else None
    except Exception:
        return None
    return url if url is not None and url.get_backend_name() == "postgresql" else None


pytestmark = pytest.mark.skipif(
    _test_database_url() is None,
    reason="two app servers need a shared PostgreSQL database: set TEST_DATABASE_URL to a "
           "postgresql:// URL (CI does, in its PostgreSQL run)")


# --- the servers ---------------------------------------------------------------------------

@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def log_lines(self) -> list[str]:
        return [line for line in self.log.read_text().splitlines() if line.strip()]


@dataclass
class Cluster:
    env: dict
    tmp: Path
    servers: list[Server] = field(default_factory=list)

    def start(self, name: str, **env) -> Server:
        port = _free_port()
        log = self.tmp / f"{name}.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py",
                 "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2",
                 "wsgi:app"],
                cwd=ROOT, env={**self.env, **env}, stdout=out, stderr=subprocess.STDOUT)
        server = Server(f"http://127.0.0.1:{port}", process, log)
        self.servers.append(server)
        _wait_until_up(server)
        return server

    def stop(self, server: Server) -> None:
        if server.process.poll() is None:
            server.process.terminate()
            try:
                server.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait(timeout=5)
        if server in self.servers:
            self.servers.remove(server)

    def stop_all(self) -> None:
        for server in list(self.servers):
            self.stop(server)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(server: Server, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"the server exited ({server.process.returncode}):\n"
                        + server.log.read_text()[-3000:])
        try:
            if requests.get(server.url + "/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or the worker still booting
            pass
        time.sleep(0.2)
    pytest.fail(f"the server did not answer within {seconds} s:\n"
                + server.log.read_text()[-3000:])


def _own_database() -> str:
    """`<test database>_scale`, created if missing and emptied: the in-process test app
    resets TEST_DATABASE_URL's schema, so the servers must not share it."""
    base = _test_database_url()
    url = base.set(database=f"{base.database}_scale")
    libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)
    maintenance = base.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False)
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=10) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                        (url.database,)).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(url.database)))
    with psycopg.connect(libpq, autocommit=True, connect_timeout=10) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    return url.render_as_string(hide_password=False)


def _redis() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis at {REDIS_URL} (set TEST_REDIS_URL): {exc}")
    return client


def _flask(env: dict, *args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    store = _redis()
    store.flushdb()
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "REDIS_URL", "PROXY_COUNT", "LOG_LEVEL")}
    env.update(DATABASE_URL=_own_database(), REDIS_URL=REDIS_URL,
               MEDSKAPA_ENV="development",  # cookies without Secure, over http
               SECRET_KEY=secrets.token_hex(32),  # one key for all servers
               # Every count of results is reused for the full 30 s (counts of the demo are
               # too quick for 20 × counting time to last through a test).
               RESULTS_REUSE_FACTOR="1000000",
               LOG_FORMAT="json")
    _flask(env, "db", "upgrade")
    _flask(env, "demo", "--password", PASSWORD)
    group = Cluster(env=env, tmp=tmp_path_factory.mktemp("servers"))
    try:
        group.start("a")
        group.start("b")
        yield group
    finally:
        group.stop_all()


@pytest.fixture
def a(cluster):
    return cluster.servers[0]


@pytest.fixture
def b(cluster):
    return cluster.servers[1]


@pytest.fixture(autouse=True)
def _fresh_limits(cluster):
    """Each test starts with no rate-limit counts (they live in Redis, shared)."""
    _redis().flushdb()


# --- what people do ------------------------------------------------------------------------

def token_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def get(session, url, **kwargs):
    return session.get(url, timeout=TIMEOUT, allow_redirects=False, **kwargs)


def post(session, url, **kwargs):
    return session.post(url, timeout=TIMEOUT, allow_redirects=False, **kwargs)


def join(server: Server) -> tuple[requests.Session, int]:
    """A new phone scans the QR code and says "I understand – start"."""
    phone = requests.Session()
    page = get(phone, f"{server.url}/j/{CODE}")
    assert page.status_code == 200
    consultation_id = int(re.search(r'action="/c/(\d+)/join"', page.text).group(1))
    started = post(phone, f"{server.url}/c/{consultation_id}/join",
                   data={"csrf_token": token_from(page.text)})
    assert started.status_code == 302, started.text
    assert started.headers["Location"].endswith(f"/c/{consultation_id}/q/1")
    return phone, consultation_id


def answer_scale(phone, server: Server, consultation_id: int, value: int) -> None:
    url = f"{server.url}/c/{consultation_id}/q/{SCALE_QUESTION}"
    page = get(phone, url)
    assert page.status_code == 200  # joined: no redirect to the join page
    sent = post(phone, url, data={"csrf_token": token_from(page.text), "value": str(value)})
    assert sent.status_code == 302, sent.text


def login(server: Server) -> tuple[requests.Session, str]:
    staff = requests.Session()
    page = get(staff, f"{server.url}/login")
    token = token_from(page.text)
    response = post(staff, f"{server.url}/login",
                    data={"csrf_token": token, "email": LEADER, "password": PASSWORD})
    assert response.status_code == 302, response.text
    return staff, token_from(get(staff, f"{server.url}/live/{CODE}").text)


def show_question(staff, token, server: Server, n: int) -> None:
    response = post(staff, f"{server.url}/live/{CODE}/question",
                    data={"csrf_token": token, "n": str(n)})
    assert response.status_code == 302, response.text


def live_state(staff, server: Server, etag: str | None = None) -> requests.Response:
    headers = {"If-None-Match": etag} if etag else {}
    response = get(staff, f"{server.url}/live/{CODE}/state.json", headers=headers)
    assert response.status_code in (200, 304), response.text
    return response


def scale_count(state: dict, value: int) -> int:
    return state["question"]["bars"][value - 1]["count"]


# --- the tests -----------------------------------------------------------------------------

def test_a_phone_that_joins_and_answers_on_a_is_counted_on_b(a, b):
    staff, token = login(b)
    show_question(staff, token, b, SCALE_QUESTION)
    before = live_state(staff, b).json()

    phone, consultation_id = join(a)
    answer_scale(phone, a, consultation_id, 4)

    after = live_state(staff, b).json()
    assert after["participants"] == before["participants"] + 1
    assert after["question"]["n"] == SCALE_QUESTION
    assert after["question"]["respondents"] == before["question"]["respondents"] + 1
    assert scale_count(after, 4) == scale_count(before, 4) + 1
    # The phone's cookie works on B too: it is joined there, and sees its own answer.
    page = get(phone, f"{b.url}/c/{consultation_id}/q/{SCALE_QUESTION}")
    assert page.status_code == 200
    assert re.search(r'name="value" value="4"\s+checked', page.text)


def test_a_staff_session_and_its_csrf_token_work_on_both(a, b):
    staff, token = login(a)
    show_question(staff, token, b, WORD_QUESTION)  # logged in on A, acting on B
    assert live_state(staff, a).json()["question"]["n"] == WORD_QUESTION
    assert live_state(staff, b).json()["question"]["n"] == WORD_QUESTION


def test_the_live_etag_changes_on_both_after_a_new_answer(a, b):
    staff, token = login(a)
    show_question(staff, token, a, SCALE_QUESTION)
    phone, consultation_id = join(b)

    tag = live_state(staff, a).headers["ETag"]
    assert live_state(staff, b).headers["ETag"] == tag  # one version, wherever it is asked
    assert live_state(staff, a, tag).status_code == 304
    assert live_state(staff, b, tag).status_code == 304

    answer_scale(phone, b, consultation_id, 2)

    on_a, on_b = live_state(staff, a, tag), live_state(staff, b, tag)
    assert on_a.status_code == on_b.status_code == 200
    assert on_a.headers["ETag"] == on_b.headers["ETag"] != tag
    assert on_a.json() == on_b.json()
    new_tag = on_a.headers["ETag"]
    assert live_state(staff, a, new_tag).status_code == 304
    assert live_state(staff, b, new_tag).status_code == 304


def test_a_waiting_phone_on_a_follows_the_question_shown_through_b(a, b):
    staff, token = login(b)
    phone, consultation_id = join(a)
    now = f"{a.url}/c/{consultation_id}/now.json"

    def shown_on_a(n: int) -> None:
        """A remembers the live question for a second, then asks the database again."""
        deadline = time.monotonic() + 5
        while get(phone, now).json()["n"] != n:
            assert time.monotonic() < deadline, f"A never showed question {n}"
            time.sleep(0.2)

    show_question(staff, token, b, WORD_QUESTION)
    shown_on_a(WORD_QUESTION)
    show_question(staff, token, b, SCALE_QUESTION)
    shown_on_a(SCALE_QUESTION)


def participants_on_results(staff, server: Server, consultation_id: int) -> tuple[int, str]:
    page = get(staff, f"{server.url}/results/c/{consultation_id}")
    assert page.status_code == 200
    return int(re.search(r'class="lead">(\d+) deltagare', page.text).group(1)), page.text


def test_a_count_reused_on_a_ends_when_a_leader_publishes_through_b(a, b):
    staff, _token = login(a)
    phone, consultation_id = join(a)
    url = f"{a.url}/c/{consultation_id}/q/{IDEA_QUESTION}"
    page = get(phone, url)
    idea = f"Ett tak över cykelstället {secrets.token_hex(3)}"
    sent = post(phone, url, data={"csrf_token": token_from(page.text), "text": idea,
                                  "client_key": secrets.token_urlsafe(12)})
    assert sent.status_code == 302, sent.text

    counted, html = participants_on_results(staff, a, consultation_id)
    assert idea not in html  # waiting for a moderator
    join(b)  # a new phone through B: answers do not end the reuse
    assert participants_on_results(staff, a, consultation_id)[0] == counted

    queue = get(staff, f"{b.url}/moderate/c/{consultation_id}").text
    [card] = [part for part in queue.split("<article")[1:] if idea in part]
    action = re.search(r'action="(/moderate/items/\d+/approve)"', card).group(1)
    version = re.search(r'name="version" value="(\d+)"', card).group(1)
    published = post(staff, f"{b.url}{action}",
                     data={"csrf_token": token_from(queue), "version": version})
    assert published.status_code == 302, published.text

    now, html = participants_on_results(staff, a, consultation_id)
    assert idea in html and now == counted + 1  # counted again on A, at once


def test_a_consultation_closed_through_b_takes_no_answers_through_a(a, b):
    """A keeps the consultation's questions between requests (app/participate/cache.py);
    closing it through B still shows on A's very next answer."""
    staff, token = login(b)
    phone, consultation_id = join(a)
    answer_scale(phone, a, consultation_id, 3)  # A now keeps the consultation
    url = f"{a.url}/c/{consultation_id}/q/{SCALE_QUESTION}"
    page_token = token_from(get(phone, url).text)
    closed = post(staff, f"{b.url}/staff/consultations/{consultation_id}/close",
                  data={"csrf_token": token})
    assert closed.status_code == 302, closed.text
    try:
        refused = post(phone, url, data={"csrf_token": page_token, "value": "4"})
        assert refused.status_code == 409
    finally:
        opened = post(staff, f"{b.url}/staff/consultations/{consultation_id}/open",
                      data={"csrf_token": token})
        assert opened.status_code == 302, opened.text
    answer_scale(phone, a, consultation_id, 4)  # open again, on A as well


def test_wrong_join_codes_are_counted_across_both_servers(a, b):
    guesser = requests.Session()
    for n in range(WRONG_CODES_PER_MINUTE):
        server = (a, b)[n % 2]  # half to each: neither alone reaches the limit
        assert get(guesser, f"{server.url}/j/WRONG{n % 10}").status_code == 404
    assert get(guesser, f"{a.url}/j/WRONG1").status_code == 429
    assert get(guesser, f"{b.url}/j/WRONG1").status_code == 429
    # The limit is on guessing from this address, not on the app: the count is in Redis.
    assert _redis().dbsize() > 0


def test_failed_logins_are_counted_across_both_servers(a, b):
    guesser = requests.Session()
    token = token_from(get(guesser, f"{a.url}/login").text)
    wrong = {"csrf_token": token, "email": LEADER, "password": "not the password"}
    for n in range(FAILED_LOGINS_PER_ACCOUNT):
        server = (a, b)[n % 2]
        assert post(guesser, f"{server.url}/login", data=wrong).status_code == 200
    assert post(guesser, f"{b.url}/login", data=wrong).status_code == 429
    right = dict(wrong, password=PASSWORD)
    assert post(guesser, f"{a.url}/login", data=right).status_code == 429  # locked on A too


def test_servers_log_json_lines_with_request_ids_and_no_query_strings(a, b):
    response = requests.get(f"{a.url}/j/NOPE42?secret=query-value", timeout=TIMEOUT,
                            headers={"X-Request-ID": "scale-test-42"})
    assert response.headers["X-Request-ID"] == "scale-test-42"
    requests.get(f"{b.url}/j/NOPE43", timeout=TIMEOUT)
    deadline = time.monotonic() + 5
    while "scale-test-42" not in a.log.read_text():
        assert time.monotonic() < deadline, "the request was not logged"
        time.sleep(0.1)
    for server in (a, b):
        entries = [json.loads(line) for line in server.log_lines()]  # every line is JSON
        assert any(e["logger"] == "gunicorn.error" for e in entries)  # gunicorn's own too
        assert any(e["logger"] == "medskapa.request" for e in entries)
    [entry] = [json.loads(line) for line in a.log_lines() if "scale-test-42" in line]
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/j/NOPE42", 404)
    assert "query-value" not in a.log.read_text()


@pytest.fixture
def without_redis(cluster):
    """A third server whose Redis is gone (a port that refuses connections)."""
    with socket.socket() as refusing:
        refusing.bind(("127.0.0.1", 0))
        server = cluster.start("no-redis",
                               REDIS_URL=f"redis://127.0.0.1:{refusing.getsockname()[1]}/0")
        try:
            yield server
        finally:
            cluster.stop(server)


def test_a_server_without_redis_keeps_serving_and_limiting(without_redis):
    health = requests.get(without_redis.url + "/healthz", timeout=TIMEOUT)
    assert health.status_code == 200  # the load balancer keeps it
    assert health.json() == {"status": "degraded", "database": "ok", "redis": "down"}
    phone, _ = join(without_redis)
    for _ in range(WRONG_CODES_PER_MINUTE):
        assert get(phone, f"{without_redis.url}/j/WRONG1").status_code == 404
    # It limits on its own until Redis is back.
    assert get(phone, f"{without_redis.url}/j/WRONG1").status_code == 429
