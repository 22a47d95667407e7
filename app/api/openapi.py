"""The OpenAPI 3.1 document of the API, served at /api/v1/openapi.json. It describes exactly
what app/api/serializers.py produces; tests validate real responses against it."""
from app.api.services import MAX_PAGE, MAX_PER_PAGE

DEFAULT_PER_PAGE = 50


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    return {**schema, "type": [schema["type"], "null"]}


def obj(properties: dict, description: str | None = None, optional: tuple = ()) -> dict:
    """A closed object: every property required unless named in `optional`."""
    schema = {
        "type": "object",
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
        "properties": properties,
    }
    if description:
        schema = {"description": description, **schema}
    return schema


STRING = {"type": "string"}
UUID = {"type": "string", "format": "uuid"}
DATE = {"type": "string", "format": "date"}
DATE_TIME = {"type": "string", "format": "date-time"}
COUNT = {"type": ["integer", "null"], "minimum": 0}
CHOICE = {"type": "string", "enum": ["A", "B", "C"],
          "description": "A approve, B reject, C approve if changed."}


def _schemas() -> dict:
    return {
        "Error": obj({
            "error": {**STRING, "description": (
                "A code for programs: missing_token, invalid_token, insufficient_scope, "
                "invalid_request, not_found, method_not_allowed, rate_limited, server_error.")},
            "message": {**STRING, "description": "For people, in the request's language."},
        }),
        "Texts": {
            "description": "A text in several languages, keyed by language code (sv, en, ar, "
                           "…). Languages without a text are left out.",
            "type": "object",
            "propertyNames": {"pattern": "^[a-z]{2,3}$"},
            "additionalProperties": STRING,
        },
        "Organisation": obj({
            "name": STRING,
            "sector": {"type": "string",
                       "enum": ["public", "civil_society", "business", "academia"]},
        }),
        "Term": obj({
            "key": {**STRING, "description": "Stable across languages and servers."},
            "names": ref("Texts"),
        }, "An entry of a list the coalition keeps: a kind, a change potential or a "
           "challenge area."),
        "Meta": obj({
            "page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "total": {"type": "integer", "minimum": 0,
                      "description": "How many items there are on all pages."},
        }),
        "PageLinks": obj({
            "next": {"type": ["string", "null"], "format": "uri"},
            "prev": {"type": ["string", "null"], "format": "uri"},
        }),
        "Figures": obj({
            "participants": COUNT,
            "ideas": COUNT,
            "supporters": COUNT,
            "agree": COUNT,
            "disagree": COUNT,
            "agreement": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
            "by_age": {"type": "object", "additionalProperties": COUNT},
        }, "What the consultation showed; a figure is left out or null when it is not known "
           "or the group was too small to show.",
            optional=("participants", "ideas", "supporters", "agree", "disagree", "agreement",
                      "by_age")),
        "Priority": obj({
            "id": UUID,
            "revision": {"type": "integer", "minimum": 1,
                         "description": "Grows each time the priority is published again."},
            "position": {"type": "integer", "minimum": 1},
            "title": ref("Texts"),
            "summary": ref("Texts"),
            "consultation_title": ref("Texts"),
            "organisation": {**STRING, "description": "Who held the consultation."},
            "challenge_areas": {"type": "array", "items": STRING,
                                "description": "Keys of challenge areas."},
            "figures": ref("Figures"),
            "source": {**STRING, "description": "local, or the server it was imported from."},
            "published_at": nullable(DATE_TIME),
            "consultation_closed_at": nullable(DATE_TIME),
            "imported_at": DATE_TIME,
            "updated_at": DATE_TIME,
        }, "A youth priority in the portfolio."),
        "Initiative": obj({
            "id": UUID,
            "title": ref("Texts"),
            "description": ref("Texts"),
            "status": {"type": "string", "enum": ["idea", "proposed", "decided", "running",
                                                  "evaluated", "ended"]},
            "owner": {"oneOf": [ref("Organisation"), {"type": "null"}]},
            "kinds": {"type": "array", "items": ref("Term")},
            "change_potentials": {"type": "array", "items": ref("Term")},
            "challenge_areas": {"type": "array", "items": ref("Term")},
            "partners": {"type": "array", "items": ref("Organisation")},
            "starts_on": nullable(DATE),
            "ends_on": nullable(DATE),
            "created_at": DATE_TIME,
            "updated_at": DATE_TIME,
        }, "An initiative of the coalition's portfolio."),
        "Link": obj({
            "priority": {**UUID, "description": "The id of a Priority."},
            "initiative": {**UUID, "description": "The id of an Initiative."},
            "created_at": DATE_TIME,
        }, "An initiative answers a youth priority."),
        "Vote": obj({
            "choice": CHOICE,
            "changes": {**STRING, "description": "What a C vote asks to change."},
            "comment": STRING,
            "organisation": {"oneOf": [ref("Organisation"), {"type": "null"}],
                             "description": "The voter's organisation; voters are not named."},
            "updated_at": DATE_TIME,
        }),
        "Decision": obj({
            "id": {"type": "integer"},
            "initiative": {**UUID, "description": "The id of an Initiative."},
            "proposal": STRING,
            "status": {"type": "string", "enum": ["open", "closed"]},
            "opened_at": DATE_TIME,
            "closes_at": nullable(DATE_TIME),
            "closed_at": nullable(DATE_TIME),
            "outcome": {"oneOf": [CHOICE, {"type": "null"}],
                        "description": "Set when the round is closed; null while it is open."},
            "votes": {"type": "array", "items": ref("Vote")},
        }, "A round in which the core team decides on an initiative."),
        "Feedback": obj({
            "id": UUID,
            "title": ref("Texts"),
            "body": ref("Texts"),
            "initiative": {**nullable(UUID), "description": "The id of an Initiative."},
            "consultations": {"type": "array", "items": obj({
                "title": ref("Texts"),
                "organisation": STRING,
            })},
            "published_at": nullable(DATE_TIME),
        }, "A published update to the young people: what was decided and what happens next."),
    }


# path, operationId, scope, item schema, summary
RESOURCES = (
    ("/priorities", "listPriorities", "priorities", "Priority", "Youth priorities"),
    ("/initiatives", "listInitiatives", "initiatives", "Initiative", "Initiatives"),
    ("/links", "listLinks", "links", "Link", "Links between priorities and initiatives"),
    ("/decisions", "listDecisions", "decisions", "Decision", "Decision rounds and their votes"),
    ("/feedback", "listFeedback", "feedback", "Feedback", "Published feedback updates"),
)


def _page_of(item: str) -> dict:
    return obj({
        "data": {"type": "array", "items": ref(item)},
        "meta": ref("Meta"),
        "links": ref("PageLinks"),
    })


def _error(description: str, headers: dict | None = None) -> dict:
    response = {"description": description,
                "content": {"application/json": {"schema": ref("Error")}}}
    if headers:
        response["headers"] = headers
    return response


def _listing(operation_id: str, scope: str, item: str, summary: str) -> dict:
    return {"get": {
        "operationId": operation_id,
        "summary": summary,
        "description": f"Needs a token with the scope `{scope}`. Ordered by creation, oldest "
                       "first, so pages stay stable.",
        "tags": [scope],
        "security": [{"bearerAuth": [scope]}],
        "parameters": [{"$ref": "#/components/parameters/page"},
                       {"$ref": "#/components/parameters/per_page"}],
        "responses": {
            "200": {"description": "One page.",
                    "content": {"application/json": {"schema": ref(f"{item}Page")}}},
            "400": {"$ref": "#/components/responses/BadRequest"},
            "401": {"$ref": "#/components/responses/Unauthorized"},
            "403": {"$ref": "#/components/responses/Forbidden"},
            "429": {"$ref": "#/components/responses/TooManyRequests"},
        },
    }}


def document() -> dict:
    schemas = _schemas()
    for _path, _op, _scope, item, _summary in RESOURCES:
        schemas[f"{item}Page"] = _page_of(item)
    paths = {path: _listing(op, scope, item, summary)
             for path, op, scope, item, summary in RESOURCES}
    paths["/openapi.json"] = {"get": {
        "operationId": "getOpenApi",
        "summary": "This document",
        "security": [],
        "responses": {"200": {"description": "The OpenAPI document.",
                              "content": {"application/json": {"schema": {"type": "object"}}}}},
    }}
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Medskapa API",
            "version": "1.0.0",
            "description": (
                "Read-only JSON for the coalition's other systems: youth priorities, "
                "initiatives, the links between them, decisions and published feedback. "
                "An administrator creates a token under Administration → API tokens and "
                "chooses what it may read (its scopes). Send it as "
                "`Authorization: Bearer <token>`. Every list is paged with `page` and "
                "`per_page`; follow `links.next` until it is null."),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "tags": [{"name": scope, "description": summary}
                 for _path, _op, scope, _item, summary in RESOURCES],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": "A token an administrator created (it starts with msk_). "
                               "The security requirement of each operation names the scope "
                               "it needs."}},
            "parameters": {
                "page": {"name": "page", "in": "query", "required": False,
                         "description": "Which page, from 1.",
                         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE,
                                    "default": 1}},
                "per_page": {"name": "per_page", "in": "query", "required": False,
                             "description": "Items per page.",
                             "schema": {"type": "integer", "minimum": 1,
                                        "maximum": MAX_PER_PAGE,
                                        "default": DEFAULT_PER_PAGE}},
            },
            "responses": {
                "BadRequest": _error("A parameter is not valid (error: invalid_request)."),
                "Unauthorized": _error(
                    "No token, or one that is unknown or revoked (error: missing_token or "
                    "invalid_token).",
                    {"WWW-Authenticate": {"schema": STRING,
                                          "description": "Bearer, as RFC 6750 says."}}),
                "Forbidden": _error("The token's scopes do not include this list (error: "
                                    "insufficient_scope)."),
                "TooManyRequests": _error(
                    "Too many requests with this token in a short time (error: rate_limited).",
                    {"Retry-After": {"schema": {"type": "integer"},
                                     "description": "Seconds to wait."}}),
            },
            "schemas": schemas,
        },
    }
