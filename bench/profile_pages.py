"""Milliseconds per request of the participant pages, one request at a time in one process
(run by hand, not a test):

    .venv/bin/python -m bench.profile_pages [-n 200] [--profile join] [--sort tottime]

Builds the app with production settings (`create_app("production")`, HTTPS cookies, the
request log formatted but written to /dev/null) on the demo data in a fresh SQLite file, joins
DEMO01 with Flask test clients as phones do (the consent POST), and times N requests of each
page after a warm-up: a trivial Flask app's "hello" (the baseline, same test client), the join
page, every question page, /me and the answer POSTs answer.js sends (JSON with X-CSRFToken,
each kind; rotated over a few phones so the per-phone rate limit never answers 429). This
separates what a page costs from queueing under load (bench/run measures that).

`--profile PAGE` runs the page under cProfile and prints the top functions by cumulative and
by own time. Pages: hello, join, q1 … q6 (the question's kind in brackets), me, post-<kind>."""
import argparse
import cProfile
import json
import logging
import os
import pstats
import re
import statistics
import tempfile
import time

from werkzeug.datastructures import MultiDict

CSRF_META = re.compile(r'name="csrf-token" content="([^"]+)"')
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# Production cookies are Secure (and __Host-); over HTTPS the CSRF check also wants a
# same-site Referer, which browsers send.
HTTPS = "https://localhost/"
PHONES = 20
PHONE_HEADERS = {"Accept-Encoding": "gzip, deflate, br",
                 "Accept-Language": "sv-SE,sv;q=0.9,en;q=0.8",
                 "User-Agent": "Mozilla/5.0 (Linux; Android 12) Mobile"}


def build(**settings):
    """(the app, its demo consultation's id and its questions as [(n, kind, option ids)])."""
    os.environ.setdefault("SECRET_KEY", "bench-profile")
    from flask_migrate import upgrade

    from app import create_app
    from app.core.logs import _Handler
    from tests import factories

    folder = tempfile.mkdtemp(prefix="medskapa-profile-")
    app = create_app("production", SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/profile.db",
                     MIGRATIONS=True, **settings)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        if isinstance(handler, _Handler):  # the request log line is made, not shown
            handler.setStream(open(os.devnull, "w"))  # noqa: SIM115 (lives with the process)
    with app.app_context():
        upgrade()
        consultation = factories.demo()
        questions = [(n, q.kind, [o.id for o in q.options]) for n, q in
                     enumerate(consultation.active_questions(), start=1)]
        return app, consultation.id, questions


def hello_app():
    from flask import Flask

    hello = Flask("hello")
    hello.get("/")(lambda: "hello")
    return hello


class Phone:
    """A test client that has joined DEMO01, with its own address and its CSRF token."""

    def __init__(self, app, number: int):
        self.client = app.test_client()
        self.environ = {"REMOTE_ADDR": f"10.0.{number // 250}.{number % 250 + 1}"}
        page = self.get("/j/DEMO01", plain=True).get_data(as_text=True)
        action = re.search(r'action="(/c/\d+/join)"', page).group(1)
        response = self.client.post(action, base_url=HTTPS, environ_base=self.environ,
                                    headers={"Referer": HTTPS + "j/DEMO01"},
                                    data={"csrf_token": CSRF_INPUT.search(page).group(1)})
        assert response.status_code == 302, response.status_code
        me = self.get("/me", plain=True).get_data(as_text=True)
        self.token = CSRF_META.search(me).group(1)

    def get(self, path: str, plain: bool = False):
        headers = {**PHONE_HEADERS, "Accept-Encoding": "identity"} if plain else PHONE_HEADERS
        return self.client.get(path, base_url=HTTPS, environ_base=self.environ,
                               headers=headers)

    def answer(self, path: str, data):
        return self.client.post(path, base_url=HTTPS, environ_base=self.environ, data=data,
                                headers={**PHONE_HEADERS, "Accept": "application/json",
                                         "X-CSRFToken": self.token,
                                         "Referer": HTTPS + path.lstrip("/")})


def answer_form(kind: str, options: list[int], i: int):
    """What answer.js sends for a question of this kind (the i-th time: values vary)."""
    key = f"profile{i:08d}"
    if kind == "idea":
        return {"text": f"Fler bänkar på skolgården {i}", "client_key": key}
    if kind == "word":
        return {"text": ("glad", "trött", "okej")[i % 3], "client_key": key}
    if kind == "statement":
        return {f"s_o{options[i % len(options)]}": ("agree", "disagree", "pass")[i % 3]}
    if kind == "rank":
        order = options[i % len(options):] + options[:i % len(options)]
        return {f"place_{n}": str(o) for n, o in enumerate(order[:3], 1)}
    if kind == "scale":
        return {"value": str(i % 5 + 1)}
    return MultiDict([("option", str(options[i % len(options)]))])


def pages(app, consultation_id: int, questions) -> dict:
    """{name: a function making one request and checking its status}."""
    hello = hello_app().test_client()
    visitor = app.test_client()  # has been to the join page (device cookie, session) once
    visitor.get("/j/DEMO01", base_url=HTTPS, headers=PHONE_HEADERS)
    # One phone reads the pages; it wrote an idea and answered the scale, as in
    # bench/lighthouse_pages.py, so /me has content. The others post the answers.
    phone, *phones = [Phone(app, n) for n in range(PHONES + 1)]
    for n, kind, options in questions:
        if kind in ("idea", "scale"):
            phone.answer(f"/c/{consultation_id}/q/{n}", answer_form(kind, options, 0))
    counter = iter(range(10**9))

    def check(response, status=200):
        assert response.status_code == status, response.status_code
        response.close()

    made = {
        "hello": lambda: check(hello.get("/")),
        "join": lambda: check(visitor.get("/j/DEMO01", base_url=HTTPS,
                                          headers=PHONE_HEADERS)),
    }
    for n, kind, _ in questions:
        path = f"/c/{consultation_id}/q/{n}"
        made[f"q{n}"] = (kind, lambda path=path: check(phone.get(path)))
    made["me"] = lambda: check(phone.get("/me"))
    for n, kind, options in questions:
        path = f"/c/{consultation_id}/q/{n}"

        def post(path=path, kind=kind, options=options):
            i = next(counter)
            check(phones[i % PHONES].answer(path, answer_form(kind, options, i)))

        made[f"post-{kind}"] = post
    return made


def timed(one, n: int) -> tuple[float, float]:
    """(median wall-clock, mean CPU) milliseconds per request over n requests, after a
    warm-up. The CPU time of this process is what a page costs a worker; it moves less than
    the wall clock when other programs share the machine."""
    for _ in range(max(10, n // 10)):
        one()
    times = []
    cpu = time.process_time()
    for _ in range(n):
        start = time.perf_counter()
        one()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), (time.process_time() - cpu) * 1000 / n


def profile(one, n: int, sort: str, lines: int) -> None:
    for _ in range(20):
        one()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        one()
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs()
    for key in (sort,) if sort else ("cumulative", "tottime"):
        stats.sort_stats(key).print_stats(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=200, help="requests per page (default: 200)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="time every page this many times, keep the best (default: 3)")
    parser.add_argument("--profile", metavar="PAGE", help="cProfile this page instead")
    parser.add_argument("--sort", help="cProfile sort key (default: cumulative, then tottime)")
    parser.add_argument("--pages", help="only these pages, comma-separated (hello is kept)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting for the app, VALUE as JSON (COMPRESS_BR_LEVEL=5)")
    parser.add_argument("--lines", type=int, default=40, help="cProfile lines (default: 40)")
    args = parser.parse_args()
    settings = {name: json.loads(value) for name, value in
                (setting.split("=", 1) for setting in args.set)}
    app, consultation_id, questions = build(**settings)
    made = pages(app, consultation_id, questions)
    if args.pages:
        wanted = {"hello", *args.pages.split(",")}
        made = {name: one for name, one in made.items() if name in wanted}
    if args.profile:
        one = made[args.profile]
        profile(one[1] if isinstance(one, tuple) else one, args.n, args.sort, args.lines)
        return
    print(f"ms per request, one at a time, n={args.n}, best of {args.rounds} rounds; "
          "production settings, SQLite, demo data")
    print(f"{'page':<20} {'median':>7} {'CPU':>7}   median / hello's")
    best: dict = {}
    for _ in range(args.rounds):  # rounds, not one long run: another program's burst of
        for name, one in made.items():  # work spoils one round of a page, not all of them
            median, cpu = timed(one[1] if isinstance(one, tuple) else one, args.n)
            old = best.get(name, (median, cpu))
            best[name] = (min(old[0], median), min(old[1], cpu))
    hello = best["hello"][0]
    for name, one in made.items():
        label = f"{name} ({one[0]})" if isinstance(one, tuple) else name
        median, cpu = best[name]
        print(f"{label:<20} {median:7.2f} {cpu:7.2f}   ×{median / hello:5.1f}")


if __name__ == "__main__":
    main()
