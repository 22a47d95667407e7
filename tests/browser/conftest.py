"""Browser tests: Debian's Chromium driven by Playwright at a phone's size, against the
app served on loopback from a thread."""
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app.extensions import db

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        message = f"no Chromium at {CHROMIUM} (set CHROMIUM_PATH, or apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-quic", "--no-first-run",
                 "--disable-sync"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, **PHONE, "locale": "sv-SE"}


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def demo(app, app_ctx):
    from app.demo import services

    services.load("demo password 1")
    db.session.commit()
    return services


def log_in(page, live_server, email: str, lang: str = "sv") -> None:
    """Log a demo staff member in, the way they do: the login form, then the staff start page."""
    page.goto(f"{live_server}/login?lang={lang}")
    page.locator("#email").fill(email)
    page.locator("#password").fill("demo password 1")
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/staff")


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page, as readable lines."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


# The phone's queue of answers waiting to be sent is empty. The page's scripts are deferred, so
# right after a navigation the queue's script may not have run yet: that counts as not yet.
QUEUE_EMPTY = "window.MedskapaQueue && MedskapaQueue.all().then(items => items.length === 0)"


def wait_until(page, expression: str, timeout: float = 10.0) -> None:
    """Poll a JavaScript expression until it is true. (Playwright's wait_for_function evals a
    string inside the page, which our Content-Security-Policy rightly forbids.)"""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        page.wait_for_timeout(100)
