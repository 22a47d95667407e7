"""Caching and compression: static URLs carry their content hash and may be kept for a year,
/sw.js changes whenever a file of the app shell does, and text answers are compressed."""
import gzip
import hashlib
import re
import shutil

import brotli
import pytest
from flask import url_for

from app.config import ROOT
from app.pwa import static
from tests import factories
from tests.conftest import csrf_token

STATIC_URL = re.compile(r'(?:src|href)="(/static/[^"]+)"')
IMMUTABLE = "public, max-age=31536000, immutable"


def content_hash(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def worker(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    source = response.get_data(as_text=True)
    version = re.search(r'^var VERSION = "([^"]+)";$', source, re.MULTILINE).group(1)
    shell = re.search(r"var SHELL_FILES = \[(.*?)\];", source, re.DOTALL).group(1)
    return response, source, version, re.findall(r'"([^"]+)"', shell)


@pytest.fixture
def static_copy(app, tmp_path, monkeypatch):
    """The app serving a copy of static/ that the test may change, noticing changes as in
    development (the checkout's own files are never touched)."""
    folder = tmp_path / "static"
    shutil.copytree(ROOT / "static", folder)
    monkeypatch.setattr(app, "static_folder", str(folder))
    monkeypatch.setitem(app.config, "STATIC_RECHECK", True)
    return folder


def test_a_pages_static_urls_carry_the_content_hash(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    urls = STATIC_URL.findall(html)
    assert any("/static/css/app.css?" in url for url in urls)
    assert any("/static/js/app.js?" in url for url in urls)
    for url in urls:
        path, _, query = url.partition("?")
        file = ROOT / path.lstrip("/")
        assert query == f"v={content_hash(file)}", url


def test_the_hashed_url_is_immutable_and_others_must_revalidate(client, app):
    with app.test_request_context():
        versioned = url_for("static", filename="css/app.css")
    stylesheet = (ROOT / "static/css/app.css").read_bytes()

    response = client.get(versioned)
    assert response.status_code == 200 and response.get_data() == stylesheet
    assert response.headers["Cache-Control"] == IMMUTABLE

    for url in ("/static/css/app.css", "/static/css/app.css?v=0123456789ab"):
        response = client.get(url)
        assert response.status_code == 200 and response.get_data() == stylesheet
        assert response.headers["Cache-Control"] == "no-cache", url
        # Revalidating costs an empty 304.
        again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304 and again.headers["Cache-Control"] == "no-cache"


def test_changing_a_file_changes_its_url(client, app, static_copy):
    stylesheet = static_copy / "css" / "app.css"
    with app.test_request_context():
        before = url_for("static", filename="css/app.css")
    assert before == f"/static/css/app.css?v={content_hash(stylesheet)}"

    stylesheet.write_text(stylesheet.read_text() + "\n.new-rule { color: red; }\n")
    with app.test_request_context():
        after = url_for("static", filename="css/app.css")
    assert after == f"/static/css/app.css?v={content_hash(stylesheet)}" and after != before

    assert b".new-rule" in client.get(after).get_data()
    assert client.get(after).headers["Cache-Control"] == IMMUTABLE
    # A page still pointing at the old version gets the new file, but not to keep.
    assert client.get(before).headers["Cache-Control"] == "no-cache"


def test_in_production_a_files_hash_is_computed_once(app, static_copy, monkeypatch):
    monkeypatch.setitem(app.config, "STATIC_RECHECK", False)
    script = static_copy / "js" / "app.js"
    with app.test_request_context():
        first = static.file_hash("js/app.js")
        script.write_text("// changed without a restart\n")
        assert static.file_hash("js/app.js") == first
    assert first != content_hash(script)


def test_the_service_worker_is_no_cache_and_lists_the_hashed_shell(client, app):
    response, source, version, shell = worker(client)
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.mimetype == "text/javascript"
    assert version != "dev"
    with app.test_request_context():
        queue = url_for("static", filename="js/offline-queue.js")
        assert url_for("static", filename="css/app.css") in shell
        assert url_for("static", filename="js/answer.js") in shell
    assert f'importScripts("{queue}");' in source
    # Every static URL in the worker is versioned, and every shell file is there to cache.
    assert not re.search(r'"/static/[^"?]+"', source)
    for url in shell:
        assert "?v=" in url, url
        assert client.get(url).headers["Cache-Control"] == IMMUTABLE, url
    # Checking for an update is an empty 304 while nothing changed.
    same = client.get("/sw.js", headers={"If-None-Match": response.headers["ETag"]})
    assert same.status_code == 304


@pytest.mark.parametrize("shell_file", ["css/app.css", "js/offline-queue.js"])
def test_the_service_worker_changes_when_a_shell_file_changes(client, static_copy, shell_file):
    response, source, version, shell = worker(client)
    assert worker(client)[2] == version  # stable while nothing changes

    changed = static_copy / shell_file
    changed.write_text(changed.read_text() + "\n/* next version */\n")
    new_response, new_source, new_version, new_shell = worker(client)
    assert new_version != version
    assert f"/static/{shell_file}?v={content_hash(changed)}" in new_shell
    assert new_response.headers["ETag"] != response.headers["ETag"]
    assert client.get("/sw.js", headers={
        "If-None-Match": response.headers["ETag"]}).status_code == 200


def test_the_service_worker_changes_when_its_own_source_does(client, static_copy):
    version = worker(client)[2]
    source = static_copy / "js" / "sw.js"
    source.write_text(source.read_text() + "\n// a fix\n")
    assert worker(client)[2] != version


def _decode(response):
    encoding = response.headers.get("Content-Encoding")
    data = response.get_data()
    return {"gzip": gzip.decompress, "br": brotli.decompress}.get(encoding, bytes)(data)


@pytest.mark.parametrize("encoding", ["gzip", "br"])
@pytest.mark.parametrize("url", ["/?lang=en", "css/app.css", "js/answer.js", "/sw.js",
                                 "/manifest.webmanifest"])
def test_text_is_compressed_when_the_browser_accepts_it(client, app, encoding, url):
    if not url.startswith("/"):
        with app.test_request_context():
            url = url_for("static", filename=url)
    plain = client.get(url)
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers

    response = client.get(url, headers={"Accept-Encoding": f"{encoding}, deflate"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert len(response.get_data()) < len(plain.get_data())
    assert int(response.headers["Content-Length"]) == len(response.get_data())
    # (The page's form token carries the second it was made in: two requests may straddle
    # one, so it is left out of the comparison.)
    assert _untokened(_decode(response)) == _untokened(plain.get_data())


def _untokened(body: bytes) -> bytes:
    return re.sub(rb'(name="csrf-token" content=")[^"]*', rb"\1", body)


def test_a_browser_offering_both_gets_brotli(client):
    response = client.get("/?lang=en", headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert response.headers["Content-Encoding"] == "br"


def test_images_and_tiny_answers_are_not_compressed(client, app, app_ctx):
    with app.test_request_context():
        png = url_for("static", filename="icons/icon-512.png")
    image = client.get(png, headers={"Accept-Encoding": "gzip, br"})
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert "Content-Encoding" not in image.headers
    assert image.headers["Cache-Control"] == IMMUTABLE

    tiny = client.get("/healthz", headers={"Accept-Encoding": "gzip, br"})
    assert tiny.status_code == 200 and len(tiny.get_data()) < 500
    assert "Content-Encoding" not in tiny.headers


def test_compressed_live_state_still_answers_an_empty_304(client, app_ctx, login_as,
                                                           monkeypatch):
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    n = factories.questions_by_kind(demo)["statement"][0]
    client.post("/live/DEMO01/question",
                data={"csrf_token": csrf_token(client, "/live/DEMO01"), "n": str(n)})
    compressed = {"Accept-Encoding": "gzip, br"}
    first = client.get("/live/DEMO01/state.json", headers=compressed)
    assert first.status_code == 200 and first.headers["Content-Encoding"] == "br"
    assert _decode(first) == client.get("/live/DEMO01/state.json").get_data()

    from app.results import live

    def not_again(*args):
        raise AssertionError("the state was built again for an unchanged view")

    monkeypatch.setattr(live, "state", not_again)
    for headers in (compressed, {}):
        same = client.get("/live/DEMO01/state.json",
                          headers={**headers, "If-None-Match": first.headers["ETag"]})
        assert same.status_code == 304 and same.get_data() == b""
        assert same.headers["ETag"] == first.headers["ETag"]
