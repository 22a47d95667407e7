"""The lists: paged, in a stable order, in the documented shapes, with only what may be shown,
and with a number of queries per page that does not grow with the data."""
import pytest

from app.extensions import db
from tests.api import helpers
from tests.api.helpers import BUILDERS, bearer
from tests.querycount import assert_flat


@pytest.fixture
def api_token(app_ctx):
    value, _made = helpers.token()
    db.session.commit()
    return bearer(value)


def test_pagination_walks_every_item_once(client, api_token):
    made = [helpers.priority() for _ in range(7)]
    db.session.commit()

    first = client.get("/api/v1/priorities?per_page=3", headers=api_token).json
    assert first["meta"] == {"page": 1, "per_page": 3, "total": 7}
    assert first["links"]["prev"] is None
    assert first["links"]["next"].endswith("/api/v1/priorities?page=2&per_page=3")
    assert first["links"]["next"].startswith("http")

    seen, url, pages = [], "/api/v1/priorities?per_page=3", 0
    while url:
        body = client.get(url, headers=api_token).json
        seen += [item["id"] for item in body["data"]]
        url, pages = body["links"]["next"], pages + 1
    assert pages == 3
    assert seen == [p.uuid for p in made]  # oldest first, each once

    last = client.get("/api/v1/priorities?page=3&per_page=3", headers=api_token).json
    assert len(last["data"]) == 1 and last["links"]["next"] is None
    assert last["links"]["prev"].endswith("page=2&per_page=3")

    beyond = client.get("/api/v1/priorities?page=9&per_page=3", headers=api_token).json
    assert beyond["data"] == [] and beyond["meta"]["total"] == 7


def test_page_links_use_the_public_address_not_the_host_sent(app, client, api_token):
    """Behind a proxy the request's Host can be an internal name, or whatever a client sent:
    the links an integration follows carry PUBLIC_URL."""
    for _ in range(3):
        helpers.priority()
    db.session.commit()
    app.config["PUBLIC_URL"] = "https://medskapa.example.org/"
    try:
        body = client.get("/api/v1/priorities?per_page=2", headers={
            **api_token, "Host": "evil.example.com"}).json
    finally:
        app.config["PUBLIC_URL"] = ""
    assert body["links"]["next"] == (
        "https://medskapa.example.org/api/v1/priorities?page=2&per_page=2")


def test_default_page_size_is_50(client, api_token):
    body = client.get("/api/v1/priorities", headers=api_token).json
    assert body["meta"] == {"page": 1, "per_page": 50, "total": 0}
    assert body["links"] == {"next": None, "prev": None}


@pytest.mark.parametrize("query", ["page=0", "page=-1", "page=abc", "page=1.5", "page=",
                                   "per_page=0", "per_page=201", "per_page=x",
                                   "page=99999999999"])
def test_bad_paging_parameters_are_refused(client, api_token, query):
    response = client.get(f"/api/v1/initiatives?{query}", headers=api_token)
    assert response.status_code == 400
    assert response.json["error"] == "invalid_request"
    assert response.json["message"]


def test_per_page_200_is_allowed(client, api_token):
    response = client.get("/api/v1/initiatives?per_page=200", headers=api_token)
    assert response.status_code == 200


def test_only_published_feedback_is_listed(client, api_token):
    published = helpers.feedback(published=True)
    helpers.feedback(published=False)
    db.session.commit()
    body = client.get("/api/v1/feedback", headers=api_token).json
    assert [f["id"] for f in body["data"]] == [published.uuid]
    assert body["meta"]["total"] == 1


def test_votes_show_the_organisation_not_the_person(client, api_token):
    round_ = helpers.decision(voters=1)
    db.session.commit()
    voter = round_.votes[0].user
    body = client.get("/api/v1/decisions", headers=api_token)
    text = body.get_data(as_text=True)
    vote = body.json["data"][0]["votes"][0]
    assert vote["organisation"]["name"] == voter.organisation.name
    assert voter.email not in text
    assert body.json["data"][0]["outcome"] == "C"
    assert body.json["data"][0]["status"] == "closed"


def test_initiative_shape(client, api_token):
    made = helpers.initiative()
    db.session.commit()
    item = client.get("/api/v1/initiatives", headers=api_token).json["data"][0]
    assert item["id"] == made.uuid
    assert item["title"] == {"sv": made.title["sv"]}
    assert [k["key"] for k in item["kinds"]] == [made.kinds[0].key]
    assert [c["key"] for c in item["change_potentials"]] == [made.change_potentials[0].key]
    assert item["owner"]["name"] == made.owner.name
    assert item["starts_on"] == "2025-03-01" and item["ends_on"] is None
    assert item["created_at"].endswith("Z")


def test_links_name_both_ends_by_uuid(client, api_token):
    made = helpers.link()
    db.session.commit()
    item = client.get("/api/v1/links", headers=api_token).json["data"][0]
    assert item["priority"] == made.priority.uuid
    assert item["initiative"] == made.initiative.uuid


def test_empty_language_texts_are_left_out(client, api_token):
    helpers.priority()  # its Arabic title is empty
    db.session.commit()
    item = client.get("/api/v1/priorities", headers=api_token).json["data"][0]
    assert set(item["title"]) == {"sv", "en"}


@pytest.mark.parametrize("scope", list(BUILDERS))
def test_queries_per_page_do_not_grow_with_data(app, client, api_token, scope):
    def page():
        assert client.get(f"/api/v1/{scope}", headers=api_token).status_code == 200

    def grow(count: int):
        for _ in range(count):
            BUILDERS[scope]()
        db.session.commit()

    grow(3)
    page()  # the token's last use is written once
    assert_flat(page, lambda: grow(37))
    assert client.get(f"/api/v1/{scope}", headers=api_token).json["meta"]["total"] == 40
