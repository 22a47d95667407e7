"""A list of XSS payloads, written where young people and staff write, must come out escaped
everywhere it is shown: pages, the live view's JSON, the word cloud, exports and the
portfolio."""
import csv
import io
import json

import pytest
from sqlalchemy import select

from app.extensions import db
from app.moderate import services as moderation
from app.participate.models import Contribution
from app.portfolio import exchange
from app.results import priorities
from app.results.models import Priority
from tests import factories
from tests.conftest import csrf_token
from tests.participate.helpers import answer, join

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg/onload=alert(1)>",
    "javascript:alert(1)",
    "<a href=\"javascript:alert(1)\">klick</a>",
    "'';!--\"<XSS>=&{()}",
    "<iframe srcdoc='<script>alert(1)</script>'>",
    "{{ 7*7 }}{% raw %}",
]
DANGEROUS = ("<script", "<img", "<svg", "<iframe", "<xss", "onerror=", "onload=",
             'href="javascript')


def _no_raw_payload(text: str, where: str) -> None:
    lowered = text.lower()
    for marker in DANGEROUS:
        # Our own markup has <svg> (icons, charts) and <script src> (no inline scripts):
        # count only occurrences that come from a payload.
        for payload in PAYLOADS:
            if marker in payload.lower() and payload.lower() in lowered:
                raise AssertionError(f"{where}: unescaped payload {payload!r}")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_an_idea_with_a_payload_is_escaped_everywhere_it_is_shown(
        app, client, login_as, app_ctx, payload):
    demo = factories.demo()
    kinds = factories.questions_by_kind(demo)
    phone = app.test_client()
    join(phone)
    response = answer(phone, demo.id, kinds["idea"][0],
                      {"text": f"Idé {payload}", "client_key": "x1"})
    assert response.status_code in (200, 302)
    answer(phone, demo.id, kinds["word"][0], {"text": payload[:30].replace(" ", "")})
    idea = db.session.scalar(select(Contribution).where(Contribution.question_id
                                                        == kinds["idea"][1].id))
    assert idea is not None and payload in idea.text  # kept as written, escaped on output
    leader = login_as("youth_leader", organisation=demo.organisation)
    moderation.approve(leader, idea, version=None)
    moderation.set_theme(leader, idea, theme_id=None, new_theme=f"Tema {payload}"[:80],
                     version=None)
    priority = Priority(consultation_id=demo.id, position=9, title={"sv": f"Prio {payload}"},
                        summary={"sv": payload})
    priority.contributions = [idea]
    db.session.add(priority)
    db.session.flush()
    priorities.publish(leader, priority)
    db.session.commit()

    pages = {
        "/me": phone.get("/me"),
        "moderation": client.get(f"/moderate/c/{demo.id}"),
        "results": client.get(f"/results/c/{demo.id}"),
        "priorities": client.get(f"/results/c/{demo.id}/priorities"),
        "done": phone.get(f"/c/{demo.id}/done"),
        "statement question": phone.get(f"/c/{demo.id}/q/{kinds['statement'][0]}"),
    }
    for where, response in pages.items():
        assert response.status_code == 200, where
        _no_raw_payload(response.get_data(as_text=True), where)
    assert "&lt;" in pages["/me"].get_data(as_text=True) or "<" not in payload

    # The live view's JSON is text for textContent, never HTML: the payload stays a string.
    state = client.get(f"/live/{demo.join_code}/state.json").get_json()
    assert isinstance(state, dict)
    # Exports: a payload starting like a formula is neutralised, HTML is plain text in CSV.
    csv_text = client.get(f"/results/c/{demo.id}/export.csv?what=results").get_data(
        as_text=True)
    for row in csv.reader(io.StringIO(csv_text.lstrip("\ufeff")), delimiter=";"):
        for cell in row:
            assert not cell.startswith(("=", "+", "@")), cell

    # The portfolio: import it and look at every page that shows it.
    exchange.import_here(factories.user(role="core_team"), None)
    db.session.commit()
    for path in ("/portfolio", "/portfolio/export.csv"):
        _no_raw_payload(client.get(path).get_data(as_text=True), path)
    exported = json.loads(client.get("/portfolio/export.json").data)
    assert any(payload in p["title"] for p in exported["priorities"])


def test_a_payload_in_an_imported_file_is_escaped_on_the_import_page(client, login_as):
    login_as("core_team")
    doc = {"format": "medskapa-priorities", "version": 1, "exported_at": "2026-01-01T00:00:00Z",
           "source": {"name": PAYLOADS[0]},
           "priorities": [{"uuid": "not a uuid <script>alert(1)</script>", "revision": 1,
                           "position": 1, "title": {"sv": PAYLOADS[1]},
                           "published_at": "2026-01-01T00:00:00Z",
                           "consultation": {"title": {"sv": "x"}, "organisation": "y"}}]}
    token = csrf_token(client, "/portfolio/import")
    response = client.post("/portfolio/import/file", data={
        "csrf_token": token,
        "file": (io.BytesIO(json.dumps(doc).encode()), "<script>alert(1)</script>.json")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    _no_raw_payload(response.get_data(as_text=True), "import page")
