"""What a web worker loads: the heavy libraries that only some requests or commands need are
imported where they are used, so each gunicorn worker starts small (docs/performance.md)."""
import json
import os
import subprocess
import sys

from app.config import ROOT

# Only exports, opinion groups, push sending, the exchange format, migrations and Redis
# (when configured) use these.
LAZY = ("alembic", "mako", "numpy", "openpyxl", "pywebpush", "py_vapid", "jsonschema", "redis",
        "requests", "aiohttp")

# VmHWM, not ru_maxrss: that one is kept across exec, so it would be pytest's own peak.
PROBE = """
import json, sys
import wsgi
status = dict(line.split(":", 1) for line in open("/proc/self/status"))
print(json.dumps({"modules": sorted({m.split(".")[0] for m in sys.modules}),
                  "peak_mb": int(status["VmHWM"].split()[0]) / 1024}))
"""


def _start_web_process(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "FLASK_APP")}
    env.update(MEDSKAPA_ENV="production", SECRET_KEY="x" * 40,
               DATABASE_URL=f"sqlite:///{tmp_path / 'web.db'}",
               PUBLIC_URL="https://medskapa.example.org", LOG_FORMAT="json")
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_web_worker_does_not_load_what_only_some_requests_need(tmp_path):
    loaded = _start_web_process(tmp_path)
    assert not set(LAZY) & set(loaded["modules"])
    # Flask, SQLAlchemy, Babel, WTForms, the app: about 80 MB at start on the development
    # machine; the target for a worker under load is < 150 MB.
    assert loaded["peak_mb"] < 110, loaded["peak_mb"]
