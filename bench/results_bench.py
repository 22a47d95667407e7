"""Results and live-view benchmark (run by hand, not a test).

    .venv/bin/python -m bench.results_bench [--participants 2000] [--statements 40]

Seeds a consultation with N participants voting on M statements, then prints: the results
page time, the opinion-group computation time, and the requests/s of the phones' polling
endpoint (with 304s) under 200 concurrent clients on gunicorn with 2 workers, next to a
trivial Flask endpoint on the same server as the baseline. Loopback only, bounded in time."""
import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def seed(url: str, participants: int, statements: int) -> int:
    os.environ["DATABASE_URL"] = url
    from flask_migrate import upgrade
    from sqlalchemy import insert

    from app import create_app
    from app.consultations.models import Option, Question
    from app.extensions import db
    from app.participate.models import Participant, Vote
    from tests import factories

    app = create_app("production", SECRET_KEY="bench", SESSION_COOKIE_SECURE=False,
                     MIGRATIONS=True)
    with app.app_context():
        upgrade()
        consultation = factories.demo()
        question = Question(kind="statement", position=99, prompt={"sv": "Bänk"},
                            consultation=consultation)
        question.options = [Option(position=i, text={"sv": f"Påstående {i}"})
                            for i in range(statements)]
        db.session.add(question)
        db.session.commit()
        rng = random.Random(1)
        rows = [{"device_hash": f"bench-{i}", "consultation_id": consultation.id,
                 "language": "sv", "consent_version": "bench",
                 "age_band": rng.choice(["-12", "13-15", "16-19", None])}
                for i in range(participants)]
        db.session.execute(insert(Participant), rows)
        ids = [p.id for p in db.session.scalars(
            db.select(Participant).where(Participant.consent_version == "bench"))]
        votes = []
        for pid in ids:
            camp = pid % 2
            for j, option in enumerate(question.options):
                if rng.random() < 0.2:
                    continue
                lean = 1 if (j < statements // 2) == (camp == 0) else -1
                value = lean if rng.random() < 0.85 else rng.choice([-1, 0, 1])
                votes.append({"participant_id": pid, "question_id": question.id,
                              "option_id": option.id, "value": value})
        for start in range(0, len(votes), 5000):
            db.session.execute(insert(Vote), votes[start:start + 5000])
        db.session.commit()
        print(f"seeded {participants} participants × {statements} statements: "
              f"{len(votes)} votes")
        return consultation.id


def time_results_page(url: str, consultation_id: int) -> None:
    from app import create_app
    from app.extensions import db
    from tests import factories

    # RESULTS_CACHE_SECONDS=0: every view counts, which is what is timed here (a reused count
    # costs a few milliseconds; bench/run measures the page as served).
    app = create_app("production", SECRET_KEY="bench", SESSION_COOKIE_SECURE=False,
                     WTF_CSRF_ENABLED=False, RESULTS_CACHE_SECONDS=0)
    with app.app_context():
        leader = factories.user(role="core_team", email=f"bench{time.time_ns()}@example.org")
        db.session.commit()
        client = app.test_client()
        client.post("/login", data={"email": leader.email, "password": factories.PASSWORD})
        timings = []
        for _ in range(5):
            start = time.perf_counter()
            assert client.get(f"/results/c/{consultation_id}").status_code == 200
            timings.append(time.perf_counter() - start)
        print(f"results page: median {statistics.median(timings) * 1000:.0f} ms "
              f"(goal < 300 ms)")
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            page = client.get(f"/results/c/{consultation_id}/opinion-groups")
            assert page.status_code == 200
            timings.append(time.perf_counter() - start)
        print(f"opinion groups page: median {statistics.median(timings) * 1000:.0f} ms "
              "(goal < 1000 ms)")


async def hammer(port: int, path: str, clients: int, seconds: float) -> tuple[int, int]:
    """`clients` keep-alive connections polling `path` with If-None-Match; returns
    (responses, 304s)."""
    done = {"n": 0, "not_modified": 0}
    deadline = time.monotonic() + seconds

    async def one():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        etag = None
        while time.monotonic() < deadline:
            extra = f"If-None-Match: {etag}\r\n" if etag else ""
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode().split("\r\n")
            length = 0
            for line in lines:
                name, _, value = line.partition(":")
                if name.lower() == "content-length":
                    length = int(value)
                elif name.lower() == "etag":
                    etag = value.strip()
            if length:
                await reader.readexactly(length)
            done["n"] += 1
            done["not_modified"] += " 304 " in lines[0]
        writer.close()

    await asyncio.gather(*(one() for _ in range(clients)), return_exceptions=True)
    return done["n"], done["not_modified"]


def poll_benchmark(url: str, consultation_id: int, clients: int, seconds: float) -> None:
    port = 18765
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench",
           "MEDSKAPA_ENV": "production"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--worker-class", "gthread",
         "--threads", "4", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         "bench.bench_app:app"], cwd=ROOT, env=env)
    try:
        time.sleep(3)
        results = {}
        for name, path in (("hello (baseline)", "/__hello/"),
                           ("phones' live poll", f"/c/{consultation_id}/now.json")):
            n, not_modified = asyncio.run(hammer(port, path, clients, seconds))
            results[name] = n / seconds
            print(f"{name:<20} {n / seconds:8.0f} req/s  ({not_modified} of {n} were 304)")
        ratio = results["phones' live poll"] / results["hello (baseline)"]
        print(f"live poll at {ratio:.0%} of the trivial endpoint (goal ≥ 50%)")
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--statements", type=int, default=40)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.db"
        consultation_id = seed(url, args.participants, args.statements)
        time_results_page(url, consultation_id)
        poll_benchmark(url, consultation_id, args.clients, args.seconds)


if __name__ == "__main__":
    main()
