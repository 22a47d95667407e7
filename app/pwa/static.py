"""Static files with their content hash in the URL, so browsers may keep them for a year.

`url_for("static", filename="css/app.css")` gives `/static/css/app.css?v=<hash>`, the hash being
the start of the file's SHA-256. A request whose `v` is the file's current hash is answered as
immutable: the next version of the file has another URL. Anything else (no `v`, or a `v` from
another version, e.g. a page from a server not yet updated) must be revalidated, so nothing stale
outlives a deploy. No build step: the hash is computed once per file per process (and again when
the file's mtime or size changes, with STATIC_RECHECK on, as in development).

The service worker (/sw.js) is served from its source with every "/static/…" string in it
replaced by the versioned URL and its VERSION set from the result, so it changes, and phones
update, whenever any file of the app shell changes."""
import hashlib
import json
import os
import re

from flask import Flask, current_app, request, url_for
from werkzeug.security import safe_join

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
HASH_LENGTH = 12
WORKER_SOURCE = "js/sw.js"
STATIC_STRING = re.compile(r'"/static/([^"?#]+)"')
VERSION_LINE = re.compile(r'^var VERSION = "[^"]*";$', re.MULTILINE)


def init_app(app: Flask) -> None:
    app.extensions["static_hashes"] = {}
    app.url_defaults(_add_version)
    app.after_request(_cache_headers)


def file_hash(filename: str) -> str | None:
    """The short content hash of a file in the static folder; None when there is no such file."""
    app = current_app
    path = safe_join(app.static_folder, filename)
    if path is None:
        return None
    hashes = app.extensions["static_hashes"]
    known = hashes.get(path)
    if known is not None and not app.config["STATIC_RECHECK"]:
        return known[1]
    try:
        stat = os.stat(path)
    except OSError:
        return None
    stamp = (stat.st_mtime_ns, stat.st_size)
    if known is not None and known[0] == stamp:
        return known[1]
    with open(path, "rb") as f:
        digest = hashlib.file_digest(f, "sha256").hexdigest()[:HASH_LENGTH]
    hashes[path] = (stamp, digest)
    return digest


def _add_version(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "v" not in values and "filename" in values:
        if digest := file_hash(values["filename"]):
            values["v"] = digest


def _cache_headers(response):
    if request.endpoint != "static" or response.status_code not in (200, 304):
        return response
    version = request.args.get("v")
    current = file_hash(request.view_args["filename"])
    response.headers["Cache-Control"] = (
        IMMUTABLE if version and version == current else REVALIDATE)
    return response


def worker_source() -> str:
    """static/js/sw.js with its static URLs versioned and VERSION derived from them."""
    recheck = current_app.config["STATIC_RECHECK"]
    if not recheck and (cached := current_app.extensions.get("static_worker")):
        return cached
    with open(os.path.join(current_app.static_folder, WORKER_SOURCE), encoding="utf-8") as f:
        source = f.read()
    source = STATIC_STRING.sub(
        lambda m: json.dumps(url_for("static", filename=m.group(1))), source)
    version = hashlib.sha256(source.encode()).hexdigest()[:HASH_LENGTH]
    source, found = VERSION_LINE.subn(f'var VERSION = "{version}";', source, count=1)
    if not found:  # without it phones would keep an old app shell: fail loudly instead
        raise RuntimeError(f'{WORKER_SOURCE} has no line `var VERSION = "…";`')
    if not recheck:
        current_app.extensions["static_worker"] = source
    return source
