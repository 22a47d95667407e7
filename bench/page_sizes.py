"""Compressed size of each participant page with the CSS and JS it loads.

    .venv/bin/python -m bench.page_sizes

Budget: HTML + CSS + JS of a question page under 30 KB gzip-compressed in total, no web
fonts, no third-party requests. tests/participate/test_page_budget.py enforces it."""
import gzip
import re

BUDGET = 30 * 1024
ASSET = re.compile(r'<(?:script[^>]+src|link[^>]+href)="([^"]+)"')


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def page_weight(client, path: str) -> dict:
    """{url: compressed bytes} for the page and every stylesheet/script/icon it loads."""
    html = client.get(path, follow_redirects=False)
    assert html.status_code == 200, (path, html.status_code)
    body = html.get_data()
    sizes = {path: gzipped(body)}
    for url in ASSET.findall(body.decode()):
        if url.startswith(("http:", "https:", "//")):
            raise AssertionError(f"third-party request on {path}: {url}")
        if url.endswith((".woff", ".woff2", ".ttf", ".otf")):
            raise AssertionError(f"web font on {path}: {url}")
        if url.endswith((".css", ".js")):
            sizes[url] = gzipped(client.get(url).get_data())
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
            print(f"{'page':<28} {'html':>7} {'css+js':>7} {'total':>7}  (gzip bytes)")
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
