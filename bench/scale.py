"""Scale benchmark (run by hand, not a test): `bench/run`, or

    .venv/bin/python -m bench.scale [--sizes 1000,10000,100000] [--seconds 8] [--clients 50]

For each size it grows the benchmark database (DATABASE_URL, default an SQLite file
instance/bench.db; PostgreSQL recommended) to that many participants (bench/seed.py), starts
gunicorn with 2 workers on 127.0.0.1 serving the app next to a trivial Flask endpoint
(bench/bench_app.py), and measures with an asyncio HTTP client for a bounded time per
endpoint: requests/s and p50/p95 latency of the participant pages, the answer POST (with
CSRF token and device cookie, like a phone), the phones' live poll, and two staff pages as a
logged-in youth leader; the compressed bytes of every participant page with its CSS and JS;
the peak memory (RSS) of each worker. Then it compares with the targets (PASS/MISS).

The database's contents are replaced: give it a database of its own."""
import argparse
import asyncio
import gzip
import logging
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp

from bench import seed
from bench.page_sizes import ASSET, BUDGET
from bench.serving import wait_until_answering

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / "bench" / "results"
DEPLOY_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
SIZES = (1_000, 10_000, 100_000)
SECRET = "bench-secret-not-for-production"
HELLO = "/__hello/"
# Targets (issue #10).
GET_SHARE = 0.5  # participant GET pages: at least half of hello's requests/s
POST_P95_MS = 100  # answer POST p95 at 50 concurrent clients
FLAT = 2.0  # cost per request from the smallest to the largest size: within 2×
RSS_MB = 150  # peak memory per worker
# The paced answer run: each phone answers every PACE seconds (50 phones: 25 answers/s, a
# whole school answering at once; a class of 30 answers a few times a second).
PACE = 2.0
PHONE_ENCODINGS = "gzip, deflate, br"  # what a phone's browser accepts
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


# --- measuring -------------------------------------------------------------------------------

@dataclass
class Endpoint:
    name: str
    clients: int
    participant_page: bool = False  # counts for the ≥ 50 % of hello target
    method: str = "GET"
    baseline: bool = False
    # 0: closed loop (each client sends its next request when the last is answered);
    # otherwise each client starts a request every `pace` seconds, like a phone in a class.
    pace: float = 0


@dataclass
class Measured:
    endpoint: Endpoint
    seconds: float
    latencies: list = field(default_factory=list)
    statuses: dict = field(default_factory=dict)
    rss: float = 0  # the larger worker's peak RSS after this endpoint, MB
    failures: dict = field(default_factory=dict)  # client-side exceptions by name

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds

    def pct(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 400)


def cookie_header(jar: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def set_cookies(jar: dict, response) -> None:
    for name, morsel in response.cookies.items():
        jar[name] = morsel.value


class Load:
    """One server, many phones: each client is a coroutine with its own cookies and address."""

    def __init__(self, base: str, demo: dict, seconds: float):
        self.base, self.demo, self.seconds = base, demo, seconds
        self.phones = demo["phones"]  # participant ids of DEMO01, their tokens are known

    async def run(self, endpoint: Endpoint, request_factory) -> Measured:
        """`request_factory(session, client_no)` → an async callable doing one request and
        returning its status; called in a closed loop by each client until time is up."""
        measured = Measured(endpoint, self.seconds)
        connector = aiohttp.TCPConnector(limit=0, force_close=False)
        timeout = aiohttp.ClientTimeout(total=120)
        async with aiohttp.ClientSession(self.base, connector=connector, timeout=timeout,
                                         cookie_jar=aiohttp.DummyCookieJar(),
                                         auto_decompress=False) as session:
            makers = [await request_factory(session, n) for n in range(endpoint.clients)]
            warm_until = time.monotonic() + min(1.0, self.seconds / 5)
            await asyncio.gather(*(self._loop(m, warm_until, None) for m in makers))
            start = time.monotonic()
            await asyncio.gather(*(self._loop(m, start + self.seconds, measured, endpoint.pace)
                                   for m in makers))
            # Requests begun before the deadline are counted; the window is the real one.
            measured.seconds = max(self.seconds, time.monotonic() - start)
        return measured

    @staticmethod
    async def _loop(one, deadline: float, measured: Measured | None, pace: float = 0) -> None:
        if pace:
            await asyncio.sleep(random.uniform(0, pace))  # phones do not answer in step
        while time.monotonic() < deadline:
            started = time.monotonic()
            t0 = time.perf_counter()
            try:
                status = await one()
            except (TimeoutError, aiohttp.ClientError) as exc:
                # No answer within the client's timeout, or a connection the server closed.
                status = 599
                if measured is not None:
                    measured.failures[type(exc).__name__] = \
                        measured.failures.get(type(exc).__name__, 0) + 1
            if measured is not None:
                measured.latencies.append(time.perf_counter() - t0)
                measured.statuses[status] = measured.statuses.get(status, 0) + 1
            if pace:
                await asyncio.sleep(max(0.0, started + pace - time.monotonic()))

    @staticmethod
    def address(n: int) -> str:
        """Each phone its own address, as nginx reports it (X-Forwarded-For)."""
        return f"127.0.{1 + n // 250}.{1 + n % 250}"

    def phone(self, n: int) -> dict:
        return {self.demo["device_cookie"]: seed.device_token(self.phones[n % len(self.phones)])}

    # -- the endpoints --

    def get(self, path: str, cookies=None):
        """GET path; `cookies(client_no)` gives each request's cookies."""
        async def factory(session, n):
            base = {"X-Forwarded-For": self.address(n), "Accept-Encoding": PHONE_ENCODINGS}

            async def one():
                extra = {"Cookie": cookie_header(cookies(n))} if cookies else {}
                async with session.get(path, headers={**base, **extra},
                                       allow_redirects=False) as response:
                    await response.read()
                    return response.status
            return one
        return factory

    def random_phone(self, n: int) -> dict:
        return {self.demo["device_cookie"]: seed.device_token(random.choice(self.phones))}

    def live_poll(self):
        path = f"/c/{self.demo['id']}/now.json"

        async def factory(session, n):
            etag = {"value": None}
            headers = {"X-Forwarded-For": self.address(n), "Accept-Encoding": PHONE_ENCODINGS}

            async def one():
                extra = {"If-None-Match": etag["value"]} if etag["value"] else {}
                async with session.get(path, headers={**headers, **extra}) as response:
                    await response.read()
                    etag["value"] = response.headers.get("ETag") or etag["value"]
                    return response.status
            return one
        return factory

    def answer(self):
        """A phone answering question after question, as answer.js sends it (JSON)."""
        async def factory(session, n):
            jar = self.phone(n)
            address = self.address(n)
            first = f"/c/{self.demo['id']}/q/1"
            async with session.get(first, headers={"Cookie": cookie_header(jar),
                                                   "Accept-Encoding": "identity",
                                                   "X-Forwarded-For": address}) as page:
                body = await page.text()
                set_cookies(jar, page)
            token = CSRF_META.search(body).group(1)
            questions = list(self.demo["questions"].items())
            state = {"i": n}

            async def one():
                number, (kind, options) = questions[state["i"] % len(questions)]
                state["i"] += 1
                headers = {"Cookie": cookie_header(jar), "X-Forwarded-For": address,
                           "Accept": "application/json", "X-CSRFToken": token,
                           "Accept-Encoding": PHONE_ENCODINGS}
                async with session.post(f"/c/{self.demo['id']}/q/{number}", headers=headers,
                                        data=answer_form(kind, options)) as response:
                    await response.read()
                    return response.status
            return one
        return factory

    async def login(self) -> dict:
        """The benchmark's youth leader, logged in once; staff clients share the session."""
        jar: dict = {}
        async with aiohttp.ClientSession(self.base, cookie_jar=aiohttp.DummyCookieJar()) as s:
            async with s.get("/login", headers={"Accept-Encoding": "identity"}) as page:
                body = await page.text()
                set_cookies(jar, page)
            token = CSRF_INPUT.search(body).group(1)
            async with s.post("/login", allow_redirects=False,
                              headers={"Cookie": cookie_header(jar)},
                              data={"csrf_token": token, "email": seed.LEADER_EMAIL,
                                    "password": seed.LEADER_PASSWORD}) as response:
                await response.read()
                if response.status != 302:
                    raise SystemExit(f"the benchmark's youth leader could not log in "
                                     f"({response.status})")
                set_cookies(jar, response)
        return jar


def answer_form(kind: str, options: list[int]) -> dict | list:
    key = os.urandom(9).hex()
    if kind == "idea":
        return {"text": random.choice(seed.IDEAS["sv"]), "client_key": key}
    if kind == "word":
        return {"text": random.choice(seed.WORDS["sv"]), "client_key": key}
    if kind == "statement":
        a, b = random.sample(options, 2)
        return {f"s_o{a}": "agree", f"s_o{b}": random.choice(["disagree", "pass"])}
    if kind == "rank":
        return {f"place_{i}": str(o) for i, o in enumerate(random.sample(options, 3), 1)}
    if kind == "scale":
        return {"value": str(random.randint(1, 5))}
    return [("option", str(o)) for o in random.sample(options, 2)]


async def page_weights(base: str, demo: dict) -> list[tuple[str, dict]]:
    """(page, {encoding: (HTML bytes, CSS + JS bytes)}) as the server sends them to a phone
    that accepts brotli and to one that accepts only gzip."""
    jar = {demo["device_cookie"]: seed.device_token(demo["phones"][0])}
    pages = [(f"/j/{demo['code']}", False), ("/", True)]
    pages += [(f"/c/{demo['id']}/q/{n}", True) for n in demo["questions"]]
    pages += [(f"/c/{demo['id']}/done", True), ("/me", True)]
    rows = []
    async with aiohttp.ClientSession(base, cookie_jar=aiohttp.DummyCookieJar(),
                                     auto_decompress=False) as session:
        async def sent(path, accept, cookies=False):
            headers = {"Accept-Encoding": accept}
            if cookies:
                headers["Cookie"] = cookie_header(jar)
            async with session.get(path, headers=headers, allow_redirects=False) as r:
                body = await r.read()
                if r.status != 200:
                    raise SystemExit(f"{path} answered {r.status}")
                return len(body), decoded(body, r.headers.get("Content-Encoding"))

        for path, cookies in pages:
            sizes = {}
            for name, accept in (("br", "br, gzip"), ("gzip", "gzip")):
                html, body = await sent(path, accept, cookies)
                assets = 0
                for url in sorted(set(ASSET.findall(body))):
                    if urlsplit(url).path.endswith((".css", ".js")):
                        assets += (await sent(url, accept))[0]
                sizes[name] = (html, assets)
            rows.append((path, sizes))
    return rows


def decoded(body: bytes, encoding: str | None) -> str:
    if encoding == "br":
        import brotli  # Flask-Compress's dependency, there whenever the app sends br

        return brotli.decompress(body).decode()
    return (gzip.decompress(body) if encoding == "gzip" else body).decode()


# --- the server ------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, url: str, worker_class: str | None, threads: int | None, name: str):
        self.port = free_port()
        # As behind one nginx (PROXY_COUNT=1): each simulated phone sends its own address in
        # X-Forwarded-For, so the per-address rate limits count as for phones in many places.
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET,
               "MEDSKAPA_ENV": "production", "PROXY_COUNT": "1"}
        env.pop("REDIS_URL", None)  # rate limits in each worker's memory, as without Redis
        # As deployed (deploy/gunicorn.conf.py: worker class, threads, keep-alive), on a
        # port of our own, with 2 workers.
        command = [sys.executable, "-m", "gunicorn", "--workers", "2",
                   "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"]
        if DEPLOY_CONFIG.exists():
            command += ["--config", str(DEPLOY_CONFIG)]
        if worker_class:
            command += ["--worker-class", worker_class]
        if threads:
            command += ["--threads", str(threads)]
        # The app logs every request; that cost is part of what is measured, the lines are
        # kept out of the report.
        LOGS.mkdir(parents=True, exist_ok=True)
        self.log = LOGS / f"gunicorn-{name}.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen([*command, "bench.bench_app:app"], cwd=ROOT,
                                            env=env, stdout=log, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{self.port}"

    def wait_ready(self) -> None:
        if not wait_until_answering(self.base + HELLO, self.process, 60,
                                    ready=lambda: len(self.workers()) == 2):
            raise SystemExit(f"gunicorn did not start with 2 workers within a minute; see "
                             f"{self.log}")

    def workers(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(p) for p in path.read_text().split()]
        except OSError:
            return []

    def peak_rss_mb(self) -> list[float]:
        """Each worker's peak resident memory so far (VmHWM)."""
        peaks = []
        for pid in self.workers():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return peaks

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --- one size --------------------------------------------------------------------------------

@dataclass
class SizeResult:
    size: int
    counts: dict
    seed_seconds: float
    measured: list
    weights: list
    rss: list


def demo_facts(demo_id: int, sample: int = 5_000) -> dict:
    from flask import current_app

    from app.consultations.models import Consultation
    from app.extensions import db
    from app.participate.models import Participant

    consultation = db.session.get(Consultation, demo_id)
    ids = list(db.session.scalars(db.select(Participant.id).where(
        Participant.consultation_id == demo_id).order_by(Participant.id)))
    random.Random(7).shuffle(ids)
    return {"id": demo_id, "code": consultation.join_code, "phones": ids[:sample],
            "device_cookie": current_app.config["DEVICE_COOKIE"],
            "questions": {n: (q.kind, [o.id for o in q.options]) for n, q in
                          enumerate(consultation.active_questions(), start=1)}}


async def measure(server: Server, demo: dict, seconds: float, clients: int,
                  staff_clients: int) -> list[Measured]:
    load = Load(server.base, demo, seconds)
    staff = await load.login()
    cid = demo["id"]
    plan = [
        (Endpoint("hello (baseline)", clients, baseline=True), load.get(HELLO)),
        (Endpoint(f"join page /j/{demo['code']}", clients, True),
         load.get(f"/j/{demo['code']}")),
        (Endpoint(f"question page /c/{cid}/q/2", clients, True),
         load.get(f"/c/{cid}/q/2", cookies=load.random_phone)),
        (Endpoint("answer POST (JSON)", clients, method="POST"), load.answer()),
        (Endpoint(f"answer POST, paced (1 per {PACE:g} s each)", clients, method="POST",
                  pace=PACE), load.answer()),
        (Endpoint("/me", clients, True), load.get("/me", cookies=load.random_phone)),
        (Endpoint(f"live poll /c/{cid}/now.json", clients, True), load.live_poll()),
        (Endpoint("moderation queue /moderate/", staff_clients),
         load.get("/moderate/", cookies=lambda n: staff)),
        (Endpoint(f"results page /results/c/{cid}", staff_clients),
         load.get(f"/results/c/{cid}", cookies=lambda n: staff)),
        # Again at the end: the machine is shared, its load changes during a run.
        (Endpoint("hello (baseline, again)", clients, baseline=True), load.get(HELLO)),
    ]
    results = []
    for endpoint, factory in plan:
        measured = await load.run(endpoint, factory)
        measured.rss = max(server.peak_rss_mb(), default=0)
        results.append(measured)
        print_row(measured, results[0])
    return results


def rate(rps: float) -> str:
    return f"{rps:.0f}" if rps >= 10 else f"{rps:.2f}"


def print_header() -> None:
    print(f"  {'endpoint':<38} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'errors':>7} {'vs hello':>9} {'peak RSS':>9}")


def print_row(m: Measured, hello: Measured) -> None:
    share = f"{m.rps / hello.rps:.0%}" if not m.endpoint.baseline and hello.rps else ""
    statuses = ",".join([f"{k}×{v}" for k, v in sorted(m.statuses.items()) if 400 <= k < 599]
                        + [f"{k}×{v}" for k, v in sorted(m.failures.items())])
    print(f"  {m.endpoint.name:<38} {m.endpoint.clients:>7} {rate(m.rps):>8} {m.pct(0.5):>8.1f} "
          f"{m.pct(0.95):>8.1f} {m.errors:>7} {share:>9} {m.rss:>6.0f} MB {statuses}",
          flush=True)


def run_size(url: str, demo_id: int, size: int, args) -> SizeResult:
    from app.extensions import db

    t0 = time.monotonic()
    counts = seed.grow(demo_id, size)
    seconds = time.monotonic() - t0
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(db.text("VACUUM ANALYZE"))  # as autovacuum keeps a live database
    demo = demo_facts(demo_id)
    db.session.remove()
    print(f"\n== {counts['participants']:,} participants ({counts['demo_participants']:,} in "
          f"DEMO01, {counts['consultations']} consultations): {counts['contributions']:,} "
          f"ideas and words, {counts['votes']:,} votes; seeded in {seconds:.0f} s ==",
          flush=True)
    server = Server(url, args.worker_class, args.threads, str(size))
    try:
        server.wait_ready()
        print_header()
        measured = asyncio.run(measure(server, demo, args.seconds, args.clients,
                                       args.staff_clients))
        weights = asyncio.run(page_weights(server.base, demo))
        rss = server.peak_rss_mb()
    finally:
        server.stop()
    print(f"  {'participant page, bytes sent':<38} {'HTML':>7} {'CSS+JS':>7} {'br':>7} "
          f"{'gzip':>7}")
    for path, sizes in weights:
        html, assets = sizes["br"]
        flag = "" if sum(sizes["gzip"]) <= BUDGET else "  over budget"
        print(f"  {path:<38} {html:>7} {assets:>7} {html + assets:>7} "
              f"{sum(sizes['gzip']):>7}{flag}")
    print("  peak RSS per worker: " + ", ".join(f"{mb:.0f} MB" for mb in rss), flush=True)
    return SizeResult(size, counts, seconds, measured, weights, rss)


# --- targets ---------------------------------------------------------------------------------

def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def report(results: list[SizeResult]) -> bool:
    print("\n== targets ==")
    lines = []
    for r in results:
        hello = statistics.mean(m.rps for m in r.measured if m.endpoint.baseline)
        for m in r.measured:
            if m.endpoint.participant_page:
                share = m.rps / hello if hello else 0
                lines.append((share >= GET_SHARE, f"{r.size:>7,}  {m.endpoint.name}: "
                              f"{share:.0%} of hello's {hello:.0f} requests/s (mean of the "
                              f"two runs; ≥ {GET_SHARE:.0%})"))
            if m.endpoint.method == "POST":
                p95 = m.pct(0.95)
                how = (f"paced, {m.endpoint.clients} phones × 1 per {m.endpoint.pace:g} s"
                       if m.endpoint.pace else f"closed loop, {m.endpoint.clients} clients")
                lines.append((p95 < POST_P95_MS and not m.errors,
                              f"{r.size:>7,}  answer POST p95 {p95:.0f} ms ({how}), "
                              f"{m.errors} errors (< {POST_P95_MS} ms, none)"))
        biggest, page = max((sum(sizes["gzip"]), path) for path, sizes in r.weights)
        lines.append((biggest <= BUDGET, f"{r.size:>7,}  largest participant page {page}: "
                      f"{biggest:,} bytes with CSS and JS, gzip (≤ {BUDGET:,})"))
        peak = max(r.rss) if r.rss else float("nan")
        lines.append((peak < RSS_MB, f"{r.size:>7,}  peak RSS per worker {peak:.0f} MB "
                      f"(< {RSS_MB} MB)"))
    if len(results) > 1:
        small, large = results[0], results[-1]
        for a, b in zip(small.measured, large.measured, strict=True):
            if a.endpoint.baseline or a.endpoint.pace:
                continue  # a paced run's requests/s is the pace, not a cost
            # Cost per request is 1 / (requests/s) at the same concurrency.
            growth = a.rps / b.rps if b.rps else float("inf")
            lines.append((growth <= FLAT, f"{small.size:,}→{large.size:,}  "
                          f"{a.endpoint.name}: cost ×{growth:.2f} "
                          f"({rate(a.rps)} → {rate(b.rps)} req/s; within ×{FLAT:.0f})"))
    for ok, line in lines:
        print(f"  {verdict(ok)}  {line}")
    missed = sum(not ok for ok, _ in lines)
    print(f"\n{len(lines) - missed} PASS, {missed} MISS")
    return not missed


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown CPU")
    mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return (f"{os.cpu_count()} cores ({cpu}), {mem / 1024 / 1024:.0f} GiB, "
            f"Python {sys.version.split()[0]}, load average {load}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)),
                        help="participants, comma-separated, ascending (default: %(default)s)")
    parser.add_argument("--seconds", type=float, default=8, help="per endpoint (default: 8)")
    parser.add_argument("--clients", type=int, default=50,
                        help="concurrent phones (default: 50)")
    parser.add_argument("--staff-clients", type=int, default=4,
                        help="concurrent youth leaders on the staff pages (default: 4)")
    parser.add_argument("--worker-class",
                        help="gunicorn worker class (default: deploy/gunicorn.conf.py's)")
    parser.add_argument("--threads", type=int,
                        help="threads per gthread worker (default: deploy/gunicorn.conf.py's)")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'instance' / 'bench.db'}"
    (ROOT / "instance").mkdir(exist_ok=True)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", SECRET)

    from app import create_app
    from app.config import database_url

    url = database_url(url, str(ROOT / "instance"))
    print(f"bench/run {time.strftime('%Y-%m-%d %H:%M')}: {machine()}")
    served = (f"{args.worker_class or 'the deploy config'}"
              f"{f' × {args.threads} threads' if args.threads else ''}")
    config = f"{DEPLOY_CONFIG.relative_to(ROOT)} " if DEPLOY_CONFIG.exists() else ""
    print(f"database {url.split('@')[-1]}, gunicorn {config}with 2 workers "
          f"({served}), {args.seconds:g} s per endpoint")
    seed.reset(url)
    app = create_app("production", SQLALCHEMY_DATABASE_URI=url, SESSION_COOKIE_SECURE=False,
                     MIGRATIONS=True)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # no line per migration
    with app.app_context():
        demo_id = seed.prepare()["consultation_id"]
        results = [run_size(url, demo_id, size, args) for size in sizes]
    ok = report(results)
    print(f"load average after the run: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
