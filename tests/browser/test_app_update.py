"""A new version of the app reaches an installed phone at once: when a file of the app shell
changes, the service worker updates and the old version's cache is gone."""
import shutil

import pytest

from app.config import ROOT
from tests.browser.conftest import wait_until

CACHES = "caches.keys().then(keys => keys.filter(k => k.startsWith('medskapa-')))"


@pytest.fixture
def static_copy(app, tmp_path, monkeypatch):
    folder = tmp_path / "static"
    shutil.copytree(ROOT / "static", folder)
    monkeypatch.setattr(app, "static_folder", str(folder))
    monkeypatch.setitem(app.config, "STATIC_RECHECK", True)
    return folder


def shell_cache(page) -> list[str]:
    return page.evaluate(CACHES)


def cached_urls(page) -> list[str]:
    return page.evaluate(
        "caches.keys().then(keys => caches.open(keys.find(k => k.startsWith('medskapa-'))))"
        ".then(cache => cache.keys()).then(requests => requests.map(r => r.url))")


def test_a_changed_shell_file_updates_the_worker_and_drops_the_old_cache(
        page, live_server, static_copy):
    page.goto(live_server + "/")
    wait_until(page, "document.documentElement.dataset.swReady === '1'")
    page.reload()
    wait_until(page, "navigator.serviceWorker.controller !== null")
    [old] = shell_cache(page)
    assert any("/static/css/app.css?v=" in url for url in cached_urls(page))

    stylesheet = static_copy / "css" / "app.css"
    stylesheet.write_text(stylesheet.read_text() + "\n.next-version { color: red; }\n")
    page.reload()  # a navigation makes the browser check /sw.js, past its HTTP cache
    wait_until(page, f"{CACHES}.then(keys => keys.length === 1 && keys[0] !== '{old}')",
               timeout=15.0)
    urls = cached_urls(page)
    stylesheets = [url for url in urls if "/static/css/app.css?v=" in url]
    assert len(stylesheets) == 1
    new_css = page.evaluate(f"caches.match('{stylesheets[0]}').then(r => r.text())")
    assert ".next-version" in new_css

    # Offline, the new version's offline page is there.
    page.context.set_offline(True)
    try:
        page.goto(live_server + "/login")
        assert page.locator("#offline-page h1").is_visible()
    finally:
        page.context.set_offline(False)
