"""School-morning load test (run by hand, not a test).

    .venv/bin/python -m bench.school_morning --db sqlite
    .venv/bin/python -m bench.school_morning --db postgresql [--database-url URL]

A whole school answers at once, behind one address (everything comes from 127.0.0.1, as a
school's phones come from its one public address): 300 phones join the demo consultation
(DEMO01) within a minute and answer its six questions the way a phone does — the join page for
the device cookie and CSRF token, consent, then each question's page and form, half of them as
plain forms and half as answer.js does (JSON, X-CSRFToken), with the client_key idempotency key;
some mistype the code first, some write several ideas, some resend an answer (the offline
queue). Meanwhile two youth leaders log in and moderate (the queue, publish or hide with CSRF)
and a projector polls the live view.

It starts gunicorn with 2 workers on a fresh database (a temporary SQLite file, or the
PostgreSQL database named by --database-url, which is DROPPED and recreated), migrated and
loaded with the demo data, and prints: requests, statuses, 429s, p50/p95 latency per kind of
request, and then compares the rows in the database with what the phones were told was saved
(participants, contributions, votes): lost and duplicated answers. Exits non-zero on any 5xx,
429, lost or duplicated answer. Loopback only; every loop is bounded and it stops by itself
(about two minutes)."""
import argparse
import asyncio
import hashlib
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from bench.serving import ROOT, migrate_and_load_demo, wait_until_answering

CODE = "DEMO01"
PASSWORD = "school-morning-load-7"
LEADERS = ("leader@example.org", "leader2@example.org")
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/load"

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
META_CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')
KIND_RE = re.compile(r'data-question-kind="(\w+)"')
CLIENT_KEY_RE = re.compile(r'name="client_key" value="([^"]+)"')
MOD_FORM_RE = re.compile(
    r'action="/moderate/items/(\d+)/(approve|hide)"[^>]*>\s*'
    r'<input type="hidden" name="csrf_token" value="([^"]+)">\s*'
    r'<input type="hidden" name="version" value="(\d+)">')
REASON_RE = re.compile(r'<option value="(\w+)">')
BULK_REASONS_RE = re.compile(r'id="bulk-reason" name="reason">(.*?)</select>', re.S)

IDEAS = [
    "Fler bänkar och tak på skolgården så man kan sitta ute när det regnar",
    "Läxhjälp på fritidsgården efter skolan, också på fredagar",
    "En lugn plats att läsa på under rasterna",
    "Fler vuxna ute på rasterna som man kan prata med",
    "Träd och blommor i stället för bara asfalt",
    "Pingisbord och basketkorgar på skolgården",
    "أريد مكتبة أكبر في المدرسة مع كتب بالعربية",
    "مساعدة في الرياضيات بعد المدرسة",
    "Bättre skolmat och mer tid att äta 🙂",
    "More places to charge your phone and study together",
    "Att lärarna frågar oss vad vi tycker om lektionerna",
    "Öppet bibliotek på helgerna",
]
WORDS = ["glad", "trött", "nyfiken", "okej", "spännande", "sömnig", "kul", "lugnt", "fint",
         "سعيد", "happy", "stressigt"]


# --- measuring ---------------------------------------------------------------------------------

@dataclass
class Stats:
    latency: dict = field(default_factory=lambda: defaultdict(list))  # kind → seconds
    statuses: dict = field(default_factory=lambda: defaultdict(Counter))  # kind → status
    failures: Counter = field(default_factory=Counter)  # kind → timeouts, broken connections
    started: float = field(default_factory=time.monotonic)

    async def call(self, session, kind: str, method: str, url: str, **kwargs):
        """One request: (status, body, headers), or (None, "", {}) when it never answered."""
        start = time.perf_counter()
        try:
            async with session.request(method, url, allow_redirects=False, **kwargs) as r:
                body = await r.text()
        except (TimeoutError, aiohttp.ClientError):
            self.failures[kind] += 1
            return None, "", {}
        self.latency[kind].append(time.perf_counter() - start)
        self.statuses[kind][r.status] += 1
        return r.status, body, r.headers


@dataclass
class Ledger:
    """What the phones were told was stored: the truth the database is compared with."""

    joined: set = field(default_factory=set)  # device hashes whose consent got a 302
    texts: dict = field(default_factory=dict)  # (device hash, client_key) → text
    resends: int = 0  # answers sent twice with the same client_key
    votes: dict = field(default_factory=dict)  # (device hash, question kind) → vote rows
    unknown: int = 0  # answers whose response never came (stored or not: can't tell)
    moderated: Counter = field(default_factory=Counter)  # actions answered with a 302
    moderated_items: set = field(default_factory=set)  # the ideas they were about


def _csrf(html: str) -> str | None:
    match = CSRF_RE.search(html) or META_CSRF_RE.search(html)
    return match.group(1) if match else None


def _device_hash(session) -> str | None:
    for cookie in session.cookie_jar:
        if cookie.key == "device":
            return hashlib.sha256(cookie.value.encode()).hexdigest()
    return None


def _ok(status: int | None, body: str, as_json: bool) -> bool:
    if as_json:
        return status == 200 and '"ok":true' in body.replace(" ", "")
    return status == 302


# --- a phone -----------------------------------------------------------------------------------

async def phone(i: int, base: str, start_at: float, think: float, typos: float, stats: Stats,
                ledger: Ledger, rng: random.Random) -> None:
    await asyncio.sleep(start_at)
    language = rng.choices(["sv-SE,sv;q=0.9", "ar", "en-GB,en;q=0.8"], [70, 15, 15])[0]
    as_json = i % 2 == 0  # half the phones have JavaScript (answer.js), half send plain forms
    jar = aiohttp.CookieJar(unsafe=True)  # accept cookies from an IP address (127.0.0.1)
    timeout = aiohttp.ClientTimeout(total=30)
    headers = {"Accept-Language": language, "User-Agent": f"school-morning phone {i}"}

    async def pause(scale: float = 1.0):
        await asyncio.sleep(think * scale * rng.uniform(0.5, 1.5))

    async with aiohttp.ClientSession(base, cookie_jar=jar, timeout=timeout,
                                     headers=headers) as s:
        if rng.random() < typos:  # types the code wrong first
            await stats.call(s, "join page (wrong code)", "GET", "/j/DEM0O1")
            await pause(0.5)
        status, html, _ = await stats.call(s, "join page", "GET", f"/j/{CODE}")
        action = re.search(r'action="(/c/\d+/join)"', html)
        if status != 200 or not action:
            return
        await pause()
        profile = {"csrf_token": _csrf(html), "age_band": rng.choice(["", "13-15", "16-19"])}
        status, _, head = await stats.call(s, "consent", "POST", action.group(1), data=profile)
        if status != 302:
            return
        device = _device_hash(s)
        ledger.joined.add(device)
        url = head["Location"]
        while url and "/q/" in url:
            status, html, _ = await stats.call(s, "question page", "GET", url)
            if status != 200:
                return
            kind = KIND_RE.search(html).group(1)
            token = _csrf(html)
            data, votes = _answer(kind, html, rng)
            more = kind == "idea" and rng.random() < 0.3  # writes another idea after this one
            if more:
                data["more"] = "1"
            await pause(2 if kind == "idea" else 1)
            extra = {"Accept": "application/json", "X-CSRFToken": token} if as_json else {}
            body = {"csrf_token": token, **data}
            status, answer, head = await stats.call(s, f"answer {kind}", "POST", url,
                                                    data=body, headers=extra)
            if status is None:
                ledger.unknown += 1
                return
            if not _ok(status, answer, as_json):
                return
            if kind in ("idea", "word"):
                ledger.texts[(device, data["client_key"])] = data["text"]
                if rng.random() < 0.1:  # the offline queue sends it again: stored once
                    ledger.resends += 1
                    await stats.call(s, f"answer {kind}", "POST", url, data=body,
                                     headers=extra)
            else:
                ledger.votes[(device, kind)] = votes
            if more:
                continue  # the same question again, with a fresh client_key
            if as_json:
                url = re.search(r'"next":\s*"([^"]+)"', answer).group(1)
            else:
                url = head["Location"]
        if url:
            await stats.call(s, "done page", "GET", url)


def _answer(kind: str, html: str, rng: random.Random) -> tuple[dict, int]:
    """The form a child fills in on this page, and how many vote rows it makes."""
    if kind == "idea":
        text = f"{rng.choice(IDEAS)} ({rng.randrange(1000)})"
        return {"text": text, "client_key": CLIENT_KEY_RE.search(html).group(1)}, 0
    if kind == "word":
        return {"text": rng.choice(WORDS), "client_key": CLIENT_KEY_RE.search(html).group(1)}, 0
    if kind == "statement":
        keys = sorted(set(re.findall(r'name="(s_[oc]\d+)"', html)))
        chosen = [k for k in keys if rng.random() < 0.8] or keys[:1]
        return {k: rng.choice(["agree", "agree", "disagree", "pass"]) for k in chosen}, \
            len(chosen)
    if kind == "rank":
        places = sorted(set(re.findall(r'name="(place_\d+)"', html)))
        options = list(dict.fromkeys(re.findall(r'<option value="(\d+)"', html)))
        picked = rng.sample(options, len(places))
        return dict(zip(places, picked, strict=True)), len(places)
    if kind == "scale":
        return {"value": str(rng.randint(1, 5))}, 1
    if kind == "choice":
        options = re.findall(r'name="option" value="(\d+)"', html)
        picked = rng.sample(options, rng.randint(1, 2))
        return {"option": picked}, len(picked)
    raise ValueError(kind)


# --- staff -------------------------------------------------------------------------------------

async def _login(s, stats: Stats, email: str) -> bool:
    _, html, _ = await stats.call(s, "login page", "GET", "/login")
    status, _, _ = await stats.call(s, "login", "POST", "/login", data={
        "csrf_token": _csrf(html), "email": email, "password": PASSWORD})
    return status == 302


async def leader(email: str, base: str, consultation_id: int, until: asyncio.Event,
                 stats: Stats, ledger: Ledger, rng: random.Random) -> None:
    """A youth leader on a laptop: reads the queue, publishes most ideas, hides a few."""
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(base, cookie_jar=jar,
                                     timeout=aiohttp.ClientTimeout(total=30)) as s:
        if not await _login(s, stats, email):
            return
        queue = f"/moderate/c/{consultation_id}"
        while not until.is_set():
            status, html, _ = await stats.call(s, "moderation queue", "GET", queue)
            if status == 200:
                reasons = REASON_RE.findall(BULK_REASONS_RE.search(html).group(1)) \
                    if "bulk-reason" in html else []
                forms = {}
                for item, action, token, version in MOD_FORM_RE.findall(html):
                    forms.setdefault(item, {})[action] = (token, version)
                items = list(forms.items())
                rng.shuffle(items)
                for item, actions in items[:rng.randint(3, 8)]:
                    hide = rng.random() < 0.15 or "approve" not in actions
                    action = "hide" if hide else "approve"
                    token, version = actions[action]
                    data = {"csrf_token": token, "version": version, "next": queue}
                    if hide:
                        data["reason"] = rng.choice(reasons)
                    status, _, _ = await stats.call(s, action, "POST",
                                                    f"/moderate/items/{item}/{action}",
                                                    data=data)
                    if status == 302:
                        ledger.moderated[action] += 1
                        ledger.moderated_items.add(int(item))
                    await asyncio.sleep(rng.uniform(0.5, 1.5))
            await asyncio.sleep(rng.uniform(2, 4))


async def projector(base: str, until: asyncio.Event, stats: Stats) -> None:
    """The live view on the projector polls every two seconds with its ETag."""
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(base, cookie_jar=jar,
                                     timeout=aiohttp.ClientTimeout(total=30)) as s:
        if not await _login(s, stats, LEADERS[0]):
            return
        etag = None
        while not until.is_set():
            status, _, head = await stats.call(
                s, "live state.json", "GET", f"/live/{CODE}/state.json",
                headers={"If-None-Match": etag} if etag else {})
            etag = head.get("ETag", etag) if status in (200, 304) else etag
            await asyncio.sleep(2)


async def morning(base: str, consultation_id: int, args) -> tuple[Stats, Ledger, float]:
    stats, ledger, rng = Stats(), Ledger(), random.Random(args.seed)
    until = asyncio.Event()
    staff = [asyncio.create_task(leader(email, base, consultation_id, until, stats, ledger,
                                        random.Random(args.seed + n)))
             for n, email in enumerate(LEADERS)]
    staff.append(asyncio.create_task(projector(base, until, stats)))
    phones = [phone(i, base, args.ramp * i / args.participants, args.think, args.typos, stats,
                    ledger, random.Random(args.seed * 1000 + i))
              for i in range(args.participants)]
    start = time.monotonic()
    try:
        await asyncio.wait_for(asyncio.gather(*phones), timeout=args.max_seconds)
    except TimeoutError:
        print(f"!! stopped after {args.max_seconds} s: some phones had not finished")
    elapsed = time.monotonic() - start
    until.set()
    await asyncio.wait_for(asyncio.gather(*staff, return_exceptions=True), timeout=40)
    del rng
    return stats, ledger, elapsed


# --- the server and the database ---------------------------------------------------------------

def fresh_database(kind: str, tmp: str, url: str | None) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp}/school-morning.db"
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url or DEFAULT_PG)
    name = parsed.database
    if name in (None, "", "postgres", "test", "template0", "template1"):
        sys.exit(f"refusing to drop and recreate the database {name!r}: name your own")
    admin = parsed.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False),
                         autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return parsed.render_as_string(hide_password=False)


def prepare(env: dict) -> None:
    migrate_and_load_demo(env, PASSWORD)
    # A second youth leader of the demo organisation, so two people moderate at once.
    os.environ["DATABASE_URL"] = env["DATABASE_URL"]
    from sqlalchemy import select

    from app import create_app
    from app.accounts import services
    from app.accounts.models import User
    from app.core.roles import Role
    from app.extensions import db

    app = create_app("development", SECRET_KEY=env["SECRET_KEY"])
    with app.app_context():
        first = db.session.scalar(select(User).where(User.email == LEADERS[0]))
        services.create_user(email=LEADERS[1], role=Role.YOUTH_LEADER,
                             organisation=first.organisation, password=PASSWORD)
        db.session.commit()
        db.engine.dispose()


def start_server(env: dict, port: int, threads: int, log_path: Path) -> subprocess.Popen:
    log = open(log_path, "w")  # noqa: SIM115 (closed with the process)
    workers = ["--worker-class", "gthread", "--threads", str(threads)] if threads > 1 else []
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", *workers,
         "--bind", f"127.0.0.1:{port}", "--timeout", "60", "--log-level", "warning",
         "wsgi:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    if wait_until_answering(f"http://127.0.0.1:{port}/healthz", server, 30):
        return server
    server.terminate()
    sys.exit("gunicorn did not answer /healthz within 30 s; see " + str(log_path))


def worker_cpu_seconds(master: int) -> float:
    """CPU time the gunicorn workers used so far (Linux /proc; 0 elsewhere)."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:  # ppid
            total += (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    return total


def consultation_id(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        found = conn.execute(text("SELECT id FROM consultations WHERE join_code = :c"),
                             {"c": CODE}).scalar_one()
    engine.dispose()
    return found


def compare(url: str, cid: int, ledger: Ledger) -> dict:
    """The rows in the database against what the phones were told was saved."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        devices = set(conn.execute(text(
            "SELECT device_hash FROM participants WHERE consultation_id = :c"),
            {"c": cid}).scalars())
        texts = conn.execute(text(
            "SELECT p.device_hash, c.client_key, c.text FROM contributions c "
            "JOIN participants p ON p.id = c.participant_id WHERE p.consultation_id = :c"),
            {"c": cid}).all()
        votes = conn.execute(text(
            "SELECT p.device_hash, q.kind, count(*) FROM votes v "
            "JOIN participants p ON p.id = v.participant_id "
            "JOIN questions q ON q.id = v.question_id "
            "WHERE p.consultation_id = :c GROUP BY p.device_hash, q.kind"),
            {"c": cid}).all()
        statuses = dict(conn.execute(text(
            "SELECT c.status, count(*) FROM contributions c JOIN participants p "
            "ON p.id = c.participant_id WHERE p.consultation_id = :c GROUP BY c.status"),
            {"c": cid}).all())
    engine.dispose()
    stored_texts = Counter((d, k) for d, k, _ in texts)
    text_of = {(d, k): t for d, k, t in texts}
    stored_votes = {(d, kind): n for d, kind, n in votes}
    return {
        "participants": (len(ledger.joined), len(devices), len(ledger.joined - devices),
                         len(devices - ledger.joined)),
        "contributions": (len(ledger.texts), len(texts),
                          sum(1 for key in ledger.texts if key not in stored_texts),
                          sum(n - 1 for n in stored_texts.values() if n > 1)),
        "altered texts": sum(1 for key, t in ledger.texts.items()
                             if key in text_of and text_of[key] != t),
        "votes": (sum(ledger.votes.values()), sum(stored_votes.values()),
                  sum(max(0, n - stored_votes.get(key, 0)) for key, n in ledger.votes.items()),
                  sum(max(0, n - ledger.votes.get(key, 0)) for key, n in stored_votes.items())),
        "statuses": statuses,
    }


# --- the report --------------------------------------------------------------------------------

def _ms(values: list[float], q: float) -> str:
    if not values:
        return "-"
    if len(values) == 1:
        return f"{values[0] * 1000:.0f}"
    return f"{statistics.quantiles(values, n=100, method='inclusive')[int(q) - 1] * 1000:.0f}"


def report(stats: Stats, ledger: Ledger, elapsed: float, db: dict, log: str, label: str,
           machine: dict) -> bool:
    total = sum(sum(c.values()) for c in stats.statuses.values())
    overall = Counter()
    for counts in stats.statuses.values():
        overall.update(counts)
    print(f"\n== school morning on {label}: {total} requests in {elapsed:.0f} s "
          f"({total / elapsed:.1f} req/s)")
    print(f"server CPU: {machine['cpu']:.0f} s for both workers "
          f"({machine['cpu'] / max(total, 1) * 1000:.1f} ms per request; the phones and "
          f"leaders took {machine['client']:.0f} s); load average "
          f"{machine['load_before']:.1f} before, {machine['load_after']:.1f} after "
          f"({os.cpu_count()} cores, shared with the clients)")
    print("statuses: " + ", ".join(f"{code}: {n}" for code, n in sorted(overall.items())))
    print(f"{'request':<26}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}  statuses")
    for kind in sorted(stats.latency):
        values = stats.latency[kind]
        codes = ", ".join(f"{c}×{n}" for c, n in sorted(stats.statuses[kind].items()))
        print(f"{kind:<26}{len(values):>6}{_ms(values, 50):>9}{_ms(values, 95):>9}"
              f"{max(values) * 1000:>9.0f}  {codes}")
    server_errors = sum(n for code, n in overall.items() if code >= 500)
    limited = overall.get(429, 0)
    failures = sum(stats.failures.values())
    print(f"5xx: {server_errors}   429: {limited}   no answer (timeout/connection): "
          f"{failures}   answers of unknown fate: {ledger.unknown}")
    tracebacks = log.count("Traceback")
    print(f"server log: {tracebacks} tracebacks")
    handled = db["statuses"].get("approved", 0) + db["statuses"].get("hidden", 0)
    print(f"moderation: {dict(ledger.moderated)} on {len(ledger.moderated_items)} ideas "
          f"(the same idea by both leaders: the second is told it was handled); "
          f"contributions now {db['statuses']}")
    print(f"{'rows':<14}{'told saved':>11}{'in database':>12}{'lost':>6}{'extra/dup':>10}")
    for what in ("participants", "contributions", "votes"):
        told, stored, lost, extra = db[what]
        print(f"{what:<14}{told:>11}{stored:>12}{lost:>6}{extra:>10}")
    print(f"resent answers (same client_key): {ledger.resends}; stored texts altered: "
          f"{db['altered texts']}")
    lost_moderation = len(ledger.moderated_items) != handled
    if lost_moderation:
        print(f"!! {len(ledger.moderated_items)} ideas moderated but {handled} are published "
              "or hidden")
    bad = (lost_moderation or server_errors or limited or failures or tracebacks
           or db["altered texts"]
           or any(db[w][2] or db[w][3] for w in ("participants", "contributions", "votes")))
    print("RESULT: " + ("FAIL" if bad else "ok — no 5xx, no 429, nothing lost, no duplicates"))
    return not bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url", default=None,
                        help=f"PostgreSQL database to drop and recreate (default {DEFAULT_PG})")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL"),
                        help="share the rate limits through this Redis (else per worker)")
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--ramp", type=float, default=60, help="seconds over which they join")
    parser.add_argument("--think", type=float, default=4,
                        help="average seconds a child spends on a screen")
    parser.add_argument("--typos", type=float, default=0.08,
                        help="share of phones that type a wrong code first")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per worker (1: sync workers, as in the README)")
    parser.add_argument("--max-seconds", type=float, default=240)
    parser.add_argument("--port", type=int, default=18766)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = fresh_database(args.db, tmp, args.database_url)
        env = {**os.environ, "DATABASE_URL": url, "MEDSKAPA_ENV": "development",
               "SECRET_KEY": "school-morning"}
        env.pop("REDIS_URL", None)
        if args.redis_url:
            env["REDIS_URL"] = args.redis_url
            import redis

            redis.Redis.from_url(args.redis_url).flushdb()  # the limits start at zero
        prepare(env)
        cid = consultation_id(url)
        log_path = Path(tmp) / "gunicorn.log"
        server = start_server(env, args.port, args.threads, log_path)
        machine = {"load_before": os.getloadavg()[0]}
        cpu_before, client_before = worker_cpu_seconds(server.pid), time.process_time()
        try:
            stats, ledger, elapsed = asyncio.run(
                morning(f"http://127.0.0.1:{args.port}", cid, args))
            machine["cpu"] = worker_cpu_seconds(server.pid) - cpu_before
            machine["client"] = time.process_time() - client_before
            machine["load_after"] = os.getloadavg()[0]
        finally:
            server.terminate()
            server.wait(timeout=20)
        log = log_path.read_text()
        if "Traceback" in log:
            print(log[-4000:])
        limits = "Redis" if args.redis_url else "memory, per worker"
        workers = f"2 × {args.threads} threads" if args.threads > 1 else "2 sync workers"
        ok = report(stats, ledger, elapsed, compare(url, cid, ledger), log,
                    f"{args.db}, {workers}, rate limits in {limits}", machine)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
