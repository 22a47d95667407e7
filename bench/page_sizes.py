"""Compressed size of each participant page with the CSS and JS it loads.

    .venv/bin/python -m bench.page_sizes

Budget: HTML + CSS + JS of a question page under 30 KB in total as the app sends it to a
browser that accepts gzip (the app compresses by itself, see Flask-Compress in app/config.py;
browsers that accept brotli get less), no web fonts, no third-party requests.
tests/participate/test_page_budget.py enforces it."""
import gzip
import re
from urllib.parse import urlsplit

BUDGET = 30 * 1024
ASSET = re.compile(r'<(?:script[^>]+src|link[^>]+href)="([^"]+)"')
ACCEPT_GZIP = {"Accept-Encoding": "gzip"}


def sent(client, url: str) -> tuple[int, bytes]:
    """(bytes the app sends for url, the decoded body): the real compressed body, or the
    plain one when the app does not compress it (small responses)."""
    response = client.get(url, headers=ACCEPT_GZIP, follow_redirects=False)
    assert response.status_code == 200, (url, response.status_code)
    data = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    assert encoding in (None, "gzip"), (url, encoding)
    return len(data), gzip.decompress(data) if encoding == "gzip" else data


def page_weight(client, path: str) -> dict:
    """{url: bytes sent} for the page and every stylesheet and script it loads."""
    size, body = sent(client, path)
    sizes = {path: size}
    for url in ASSET.findall(body.decode()):
        if url.startswith(("http:", "https:", "//")):
            raise AssertionError(f"third-party request on {path}: {url}")
        file = urlsplit(url).path  # static URLs carry ?v=<content hash>
        if file.endswith((".woff", ".woff2", ".ttf", ".otf")):
            raise AssertionError(f"web font on {path}: {url}")
        if file.endswith((".css", ".js")):
            sizes[url] = sent(client, url)[0]
    return sizes


def participant_pages(consultation) -> list[str]:
    """The pages a joined phone sees (the welcome page is measured before joining)."""
    pages = ["/"]
    pages += [f"/c/{consultation.id}/q/{n}"
              for n in range(1, len(consultation.active_questions()) + 1)]
    return pages + [f"/c/{consultation.id}/done", "/me"]


def main() -> None:
    import os
    import tempfile

    os.environ.setdefault("SECRET_KEY", "bench")
    from flask_migrate import upgrade

    from app import create_app
    from tests import factories
    from tests.participate.helpers import join

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/bench.db")
        with app.app_context():
            upgrade()
            consultation = factories.demo()
            fresh, client = app.test_client(), app.test_client()
            join(client)
            print(f"{'page':<28} {'html':>7} {'css+js':>7} {'total':>7}  (bytes sent, gzip)")
            pages = [(fresh, f"/j/{consultation.join_code}")]
            pages += [(client, path) for path in participant_pages(consultation)]
            for phone, path in pages:
                sizes = page_weight(phone, path)
                assets = sum(v for k, v in sizes.items() if k != path)
                total = sum(sizes.values())
                flag = "" if total <= BUDGET else "  OVER BUDGET"
                print(f"{path:<28} {sizes[path]:>7} {assets:>7} {total:>7}{flag}")
            print(f"budget: {BUDGET} bytes per page")


if __name__ == "__main__":
    main()
