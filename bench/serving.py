"""What the benchmarks share to set up and start the app: `make run`'s setup steps and
waiting until a server answers."""
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]


def migrate_and_load_demo(env: dict, password: str) -> None:
    """`make run`'s setup: the migrations, then the demo coalition with this staff password."""
    quiet = {"cwd": ROOT, "env": env, "check": True, "capture_output": True}
    subprocess.run([*FLASK, "db", "upgrade"], **quiet)
    subprocess.run([*FLASK, "demo", "--password", password], **quiet)


def wait_until_answering(url: str, process: subprocess.Popen, seconds: float,
                         ready: Callable[[], bool] = lambda: True) -> bool:
    """Whether `url` answered (and `ready()` held) within `seconds`; False as soon as the
    server process has stopped."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own loopback server)
                if ready():
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    return False
