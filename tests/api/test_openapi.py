"""The OpenAPI document is a valid 3.1 document, describes every route, and real responses
(data and errors) validate against it."""
import re
from datetime import datetime
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from app.api.models import SCOPES
from app.extensions import db
from tests.api import helpers
from tests.api.helpers import BUILDERS, bearer

DOC_URI = "https://medskapa.test/api/v1/openapi.json"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    if not RFC3339.match(value):
        raise ValueError(value)
    datetime.fromisoformat(value)
    return True


@FORMATS.checks("uri")
def _uri(value) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme in ("http", "https") and parts.netloc)


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.is_json
    return response.json


def pointer_escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def validator(document: dict, path: str, status: int) -> Draft202012Validator:
    """A validator for the JSON body the document promises for GET `path` → `status`."""
    registry = Registry().with_resource(
        DOC_URI, Resource.from_contents(document, default_specification=DRAFT202012))
    response = document["paths"][path]["get"]["responses"][str(status)]
    location = f"#/paths/{pointer_escape(path)}/get/responses/{status}"
    if "$ref" in response:
        location = response["$ref"]
    schema = {"$ref": f"{DOC_URI}{location}/content/application~1json/schema"}
    return Draft202012Validator(schema, registry=registry, format_checker=FORMATS)


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def resolve(document: dict, ref: str):
    assert ref.startswith("#/"), ref
    node = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def test_document_is_openapi_3_1_and_public(document):
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] and document["info"]["version"]
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        **document["components"]["securitySchemes"]["bearerAuth"],
        "type": "http", "scheme": "bearer"}


def test_every_ref_resolves_and_every_schema_is_valid(document):
    for ref in set(refs(document)):
        assert resolve(document, ref) is not None
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def test_every_route_is_documented_with_its_responses(app, document):
    routes = {rule.rule.removeprefix("/api/v1") for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("api.") and rule.endpoint != "api.unknown"}
    assert routes == set(document["paths"])
    for scope in SCOPES:
        operation = document["paths"][f"/{scope}"]["get"]
        assert operation["security"] == [{"bearerAuth": [scope]}]
        assert {"200", "400", "401", "403", "429"} <= set(operation["responses"])
        for status in operation["responses"]:
            validator(document, f"/{scope}", int(status))  # the schema exists and resolves
        parameters = [resolve(document, p["$ref"])["name"] for p in operation["parameters"]]
        assert parameters == ["page", "per_page"]
    assert document["paths"]["/openapi.json"]["get"]["security"] == []


@pytest.mark.parametrize("scope", list(SCOPES))
def test_real_responses_validate_against_the_document(client, app_ctx, document, scope):
    for _ in range(2):
        BUILDERS[scope]()
    helpers.feedback(published=True, initiative_=helpers.initiative())
    helpers.decision(closed=False, voters=0)
    db.session.commit()
    value, _made = helpers.token(scopes=[scope])
    other, _ = helpers.token(scopes=[s for s in SCOPES if s != scope])
    db.session.commit()

    path = f"/{scope}"
    ok = client.get(f"/api/v1{path}", headers=bearer(value))
    assert ok.status_code == 200 and ok.json["data"]
    validator(document, path, 200).validate(ok.json)

    cases = {
        400: client.get(f"/api/v1{path}?page=0", headers=bearer(value)),
        401: client.get(f"/api/v1{path}"),
        403: client.get(f"/api/v1{path}", headers=bearer(other)),
    }
    for status, response in cases.items():
        assert response.status_code == status
        validator(document, path, status).validate(response.json)


def test_rate_limit_response_validates(app, client, app_ctx, document):
    value, _made = helpers.token()
    db.session.commit()
    app.config["API_RATE_LIMIT"] = "1 per minute"
    try:
        client.get("/api/v1/links", headers=bearer(value))
        response = client.get("/api/v1/links", headers=bearer(value))
    finally:
        del app.config["API_RATE_LIMIT"]
    assert response.status_code == 429
    validator(document, "/links", 429).validate(response.json)


def test_the_document_would_catch_a_wrong_response(client, app_ctx, document):
    """The schemas are closed and typed: an extra field or a wrong type fails."""
    helpers.priority()
    value, _made = helpers.token()
    db.session.commit()
    body = client.get("/api/v1/priorities", headers=bearer(value)).json
    check = validator(document, "/priorities", 200)
    check.validate(body)

    extra = {**body, "data": [{**body["data"][0], "email": "x@example.org"}]}
    with pytest.raises(ValidationError):
        check.validate(extra)
    wrong_date = {**body, "data": [{**body["data"][0], "imported_at": "yesterday"}]}
    with pytest.raises(ValidationError):
        check.validate(wrong_date)
    missing = {**body, "meta": {"page": 1, "per_page": 50}}
    with pytest.raises(ValidationError):
        check.validate(missing)
