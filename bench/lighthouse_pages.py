"""Lighthouse on the participant pages (run by hand, not a test): `bench/lighthouse`, or

    .venv/bin/python -m bench.lighthouse_pages [--port 5077]

Serves the app the way `make run` does (development settings, `flask run`, the demo data) on
127.0.0.1 with a fresh SQLite database in a temporary folder, joins the demo consultation
over HTTP like a phone (and answers two questions, so /me has content), then runs Lighthouse
(bench/node_modules, from bench/package.json) with Debian's Chromium headless on the join
page, the statements question and /me: mobile form factor with Lighthouse's default
simulated slow 4G and 4× CPU slowdown; categories performance, accessibility and best
practices. The phone's cookies reach Lighthouse with --extra-headers. Prints each score, the
audits that did not pass, and PASS/MISS against 100/100/100. JSON reports: bench/results/."""
import argparse
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

from bench.serving import FLASK, ROOT, migrate_and_load_demo, wait_until_answering

LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
REPORTS = ROOT / "bench" / "results"
CATEGORIES = ("performance", "accessibility", "best-practices")
TARGET = 100
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu"
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
           "cumulative-layout-shift", "speed-index")
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def serve(port: int, folder: str) -> subprocess.Popen:
    """`make run`'s steps: migrate, demo data, the development server."""
    env = {**os.environ, "MEDSKAPA_ENV": "development", "SECRET_KEY": "lighthouse",
           "DATABASE_URL": f"sqlite:///{folder}/lighthouse.db",
           "PUBLIC_URL": f"http://127.0.0.1:{port}"}
    env.pop("REDIS_URL", None)
    migrate_and_load_demo(env, "medskapa-lighthouse")
    log = open(Path(folder) / "server.log", "wb")  # noqa: SIM115 (lives as long as the server)
    server = subprocess.Popen([*FLASK, "run", "--host", "127.0.0.1", "--port", str(port)],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    if wait_until_answering(f"http://127.0.0.1:{port}/healthz", server, 30):
        return server
    server.terminate()
    raise SystemExit(f"the app did not start; see {log.name}")


def join(base: str) -> tuple[str, str]:
    """Join DEMO01 like a phone and answer two questions; returns (Cookie header, the
    statements question's path)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def post(path, data, token):
        body = urllib.parse.urlencode({"csrf_token": token, **data}, doseq=True).encode()
        with opener.open(base + path, data=body, timeout=10) as response:  # noqa: S310
            return response.geturl(), response.read().decode()

    with opener.open(base + "/j/DEMO01", timeout=10) as response:  # noqa: S310
        page = response.read().decode()
    action = re.search(r'action="(/c/\d+/join)"', page).group(1)
    first, page = post(action, {}, CSRF_INPUT.search(page).group(1))
    consultation = re.search(r"/c/(\d+)/q/1", first).group(1)
    # The idea question comes first: one idea, then the scale question.
    key = re.search(r'name="client_key" value="([^"]+)"', page).group(1)
    post(f"/c/{consultation}/q/1", {"text": "Fler bänkar på skolgården", "client_key": key},
         CSRF_INPUT.search(page).group(1))
    with opener.open(f"{base}/c/{consultation}/q/5", timeout=10) as response:  # noqa: S310
        page = response.read().decode()
    post(f"/c/{consultation}/q/5", {"value": "4"}, CSRF_INPUT.search(page).group(1))
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return cookie, f"/c/{consultation}/q/2"


def lighthouse(url: str, report: Path, cookie: str | None) -> dict:
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
               f"--only-categories={','.join(CATEGORIES)}", "--form-factor=mobile",
               "--throttling-method=simulate", f"--chrome-flags={CHROME_FLAGS}"]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run(command, check=True, env=env, timeout=300)
    return json.loads(report.read_text())


def summary(name: str, result: dict) -> list[tuple[bool, str]]:
    audits = result["audits"]
    print(f"\n{name}: {result['finalDisplayedUrl']}")
    if result.get("runtimeError"):
        print(f"  Lighthouse error: {result['runtimeError']}")
    lines = []
    for key in CATEGORIES:
        category = result["categories"][key]
        score = round((category["score"] or 0) * 100)
        print(f"  {category['title']}: {score}")
        for ref in category["auditRefs"]:
            audit = audits[ref["id"]]
            if audit["score"] is None or audit["score"] >= 1 or (
                    key != "performance" and ref["weight"] == 0):
                continue
            if key == "performance" and ref.get("group") != "metrics":
                continue
            shown = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
            print(f"    - {audit['title']}{shown}: score {audit['score']:.2f}")
            for item in (audit.get("details") or {}).get("items", [])[:5]:
                node = item.get("node") or {}
                where = node.get("snippet") or item.get("url") or item.get("source") or ""
                print(f"        {node.get('explanation') or item.get('description') or ''} "
                      f"{where}".strip()[:300])
        lines.append((score >= TARGET, f"{name} {category['title']} {score} (target "
                      f"{TARGET})"))
    metrics = ", ".join(f"{audits[m]['title']} {audits[m]['displayValue']}" for m in METRICS
                        if audits.get(m, {}).get("displayValue"))
    print(f"  metrics: {metrics}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=5077)
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is missing: npm ci --prefix bench")
    REPORTS.mkdir(parents=True, exist_ok=True)
    base = f"http://127.0.0.1:{args.port}"
    version = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True,
                             check=True).stdout.strip()
    print(f"Lighthouse {version}, {os.environ.get('CHROME_PATH', '/usr/bin/chromium')} "
          f"({CHROME_FLAGS}), mobile, simulated slow 4G and 4x CPU slowdown; load average "
          f"{' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    with tempfile.TemporaryDirectory() as folder:
        server = serve(args.port, folder)
        try:
            cookie, question = join(base)
            pages = [("join page", "/j/DEMO01", None), ("question page", question, cookie),
                     ("my answers", "/me", cookie)]
            lines = []
            for name, path, jar in pages:
                report = REPORTS / f"lighthouse-{name.replace(' ', '-')}.json"
                lines += summary(name, lighthouse(base + path, report, jar))
        finally:
            server.terminate()
            server.wait(timeout=10)
    print("\n== targets ==")
    for ok, line in lines:
        print(f"  {'PASS' if ok else 'MISS'}  {line}")
    missed = sum(not ok for ok, _ in lines)
    print(f"\n{len(lines) - missed} PASS, {missed} MISS (reports in {REPORTS})")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
