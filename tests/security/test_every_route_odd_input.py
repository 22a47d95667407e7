"""Every route of the app (from app.url_map), with odd input where each part of a request
can carry it: every part of the address (letters for an id, numbers beyond any id, unicode,
NUL, control characters, very long values), the query string (repeated and odd parameters),
and the body (empty, not the encoding it says, not UTF-8, files where texts are expected,
repeated and odd fields, too big). Never a 500 or a stack trace: a clean 4xx page, and one
in the user's language (here Arabic, right to left). A new route is walked without being
named here."""
import re
from urllib.parse import quote

import pytest
from werkzeug.datastructures import MultiDict
from werkzeug.routing import IntegerConverter

from app.core.text import MAX_ID
from app.extensions import limiter
from tests.security import test_authorization_matrix as matrix
from tests.security.test_authorization_matrix import _client_for, _csrf, _url

world = matrix.world  # the same fixture: organisation A's consultation and all around it

ROLES = ("anonymous", "participant", "leader_a", "admin", "token")
# Routes that end the session or the data the others are walked with go last.
LAST = ("consultations.delete", "consultations.close", "participate.delete_contribution",
        "participate.delete_everything", "accounts.logout")

ODD_IDS = ["abc", "-1", "0", "1.0", "01", "%00", "%C2%B2", "%D9%A1", str(MAX_ID),
           str(MAX_ID + 1), str(2**63), "9" * 400, "1%0A", "%20"]
ODD_TEXTS = ["%C3%A4%F0%9F%98%80", "%00", "a" * 3000, "%FF%FE", "..%2F..%2Fapp.py", "%20",
             "%0D%0ASet-Cookie:%20x=1", "%E2%80%AE", "%D9%A3", ".", "..", "x%09y"]
ODD_VALUES = ["", "\x00", "a\x00b", "ä😀" * 40, "-1", "0", "9" * 5000, "1,2", "\u202e",
              "//evil.example", "\r\nX: y"]
QUERY_NAMES = ("next", "area", "lang", "langs", "consultation", "what", "v", "terms", "stay",
               "status", "own", "kind", "initiative", "code", "action", "page", "per_page")
FIELDS = ("csrf_token", "text", "title_sv", "body_sv", "prompt_sv", "confirm", "email",
          "password", "code", "direction", "kind", "action", "next", "into", "theme_id",
          "version", "item", "role", "active", "language", "question", "client_key", "value",
          "consultation", "initiative_id", "decision", "name", "seen", "area", "age_band")
ENGLISH_TITLES = ("We could not find that page", "Something was wrong with the request",
                  "You do not have access to this page", "That did not work",
                  "That was too much at once", "Slow down a little",
                  "This link no longer works", "The form had expired")


def _with(rule, values: dict, name: str, raw: str) -> str:
    """The rule's address with valid values, and `raw` (already %-encoded) for `name`."""
    out = rule.rule
    for each in rule.arguments:
        pattern = re.compile(r"<(?:[^:<>]+:)?" + re.escape(each) + ">")
        if each == name:
            value = raw
        else:
            key = ("portfolio_priority_id" if rule.endpoint.startswith("portfolio.")
                   else "results_priority_id") if each == "priority_id" else each
            value = quote(str(values[key]), safe="/")
        out = pattern.sub(lambda _m, v=value: v, out)
    return out


def _rules(app):
    return sorted(app.url_map.iter_rules(),
                  key=lambda r: (r.endpoint in LAST,
                                 LAST.index(r.endpoint) if r.endpoint in LAST else 0, r.rule))


def _methods(rule):
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def _client(world, role):
    client = _client_for(world, role)
    client.set_cookie(world["app"].config["LANGUAGE_COOKIE"], "ar")
    headers = {"Authorization": f"Bearer {world['secret']}"} if role == "token" else {}
    return client, headers


def _check(response, where: str, problems: list) -> None:
    """A clean answer: below 500, no stack trace, an error page in the user's language."""
    body = response.get_data(as_text=True)
    if response.status_code >= 500:
        problems.append(f"{where}: {response.status_code}")
    if "Traceback" in body or "werkzeug" in body.lower():
        problems.append(f"{where}: a stack trace or the server's internals in the answer")
    if 400 <= response.status_code < 500 and response.mimetype == "text/html":
        if '<html lang="ar" dir="rtl"' not in body:
            problems.append(f"{where}: {response.status_code} page not in the user's language")
        english = [t for t in ENGLISH_TITLES if t in body]
        if english:
            problems.append(f"{where}: {response.status_code} page says {english} in English")


@pytest.mark.parametrize("role", ROLES)
def test_odd_values_in_every_part_of_every_address_never_fail(world, role):
    app = world["app"]
    client, headers = _client(world, role)
    token = _csrf(client)
    problems = []
    for rule in _rules(app):
        for name in rule.arguments:
            converter = rule._converters.get(name)
            odd = ODD_IDS if isinstance(converter, IntegerConverter) else ODD_TEXTS
            for raw in odd:
                url = _with(rule, world["values"], name, raw)
                for method in _methods(rule):
                    limiter.reset()
                    response = client.open(url, method=method, data={"csrf_token": token},
                                           headers={**headers, "X-CSRFToken": token})
                    _check(response, f"{method} {url[:120]}", problems)
    assert not problems, "\n".join(problems)


def _odd_queries() -> list[str]:
    one_each = "&".join(f"{n}={quote(v)}" for n in QUERY_NAMES for v in ("\x00", "ä😀"))
    repeated = "&".join(f"{n}=1&{n}=x&{n}=" for n in QUERY_NAMES)
    return [one_each, repeated, "&".join(f"{n}={'9' * 3000}" for n in QUERY_NAMES),
            "&".join(f"{n}[]=1&{n}=%FF" for n in QUERY_NAMES), "%00=%00&&&=&==",
            "next=//evil.example&next=/\\evil.example&next=https:evil.example"]


@pytest.mark.parametrize("role", ROLES)
def test_odd_and_repeated_query_parameters_on_every_page_never_fail(world, role):
    app = world["app"]
    client, headers = _client(world, role)
    problems = []
    for rule in _rules(app):
        if "GET" not in rule.methods or rule.endpoint in LAST:
            continue
        base = _url(rule, world["values"])
        for query in _odd_queries():
            limiter.reset()
            url = f"{base}?{query}"
            response = client.get(url, headers=headers)
            _check(response, f"GET {url[:120]}", problems)
            location = response.headers.get("Location", "")
            if response.status_code in (301, 302, 303, 307, 308) and not (
                    location.startswith("/") and not location.startswith(("//", "/\\"))
                    or location.startswith("http://localhost/")):
                problems.append(f"GET {url[:120]}: redirected off the site to {location}")
    assert not problems, "\n".join(problems)


def _odd_bodies(token: str) -> list[tuple[str, dict]]:
    fields = [(f, v) for f in FIELDS if f != "csrf_token" for v in ODD_VALUES[:4]]
    import io

    return [
        ("empty", {}),
        ("empty form", {"content_type": "application/x-www-form-urlencoded", "data": b""}),
        ("not UTF-8", {"content_type": "application/x-www-form-urlencoded",
                       "data": f"csrf_token={token}&".encode() + b"&".join(
                           f.encode() + b"=%FF%FE%C0%80\xff" for f in FIELDS[1:])}),
        ("repeated and odd fields", {"data": MultiDict([("csrf_token", token), *fields])}),
        ("files for texts", {"content_type": "multipart/form-data", "data": {
            "csrf_token": token, **{f: (io.BytesIO(b"\x00\xff" * 50), "x\x00.txt")
                                    for f in FIELDS[1:]}}}),
        ("broken multipart", {"content_type": "multipart/form-data; boundary=zz",
                              "data": b"--zz\r\nContent-Disposition: form-data; name=\"a\""}),
        ("multipart without boundary", {"content_type": "multipart/form-data",
                                        "data": b"a=1"}),
        ("JSON that is not", {"content_type": "application/json", "data": b"{\"a\": [1,"}),
        ("deep JSON", {"content_type": "application/json", "data": b"[" * 5000}),
        ("JSON of odd fields", {"json": {f: ["x", {"y": None}] for f in FIELDS[1:]}}),
        ("text", {"content_type": "text/plain", "data": "ä\x00😀" * 100}),
        ("XML", {"content_type": "application/xml", "data": b"<!DOCTYPE x [<!ENTITY a "
                 b"SYSTEM \"file:///etc/passwd\">]><x>&a;</x>"}),
        ("charset", {"content_type": "application/x-www-form-urlencoded; charset=nonesuch",
                     "data": f"csrf_token={token}&text=x".encode()}),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_odd_bodies_at_every_form_and_endpoint_never_fail(world, role):
    """With the CSRF token in the header, so that the odd body reaches the view."""
    app = world["app"]
    client, headers = _client(world, role)
    token = _csrf(client)
    problems = []
    for rule in _rules(app):
        url = _url(rule, world["values"]) + (
            "?kind=idea" if rule.endpoint == "consultations.question_create" else "")
        for method in _methods(rule):
            if method == "GET":
                continue
            for label, body in _odd_bodies(token):
                limiter.reset()
                response = client.open(url, method=method,
                                       headers={**headers, "X-CSRFToken": token}, **body)
                _check(response, f"{method} {url} ({label})", problems)
    assert not problems, "\n".join(problems)


def test_too_big_a_body_is_a_413_in_the_users_language_everywhere(world):
    app = world["app"]
    client, headers = _client(world, "participant")
    token = _csrf(client)
    big = b"text=" + b"a" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    problems = []
    for rule in _rules(app):
        url = _url(rule, world["values"])
        for method in _methods(rule):
            if method == "GET":
                continue
            limiter.reset()
            response = client.open(url, method=method, data=big, headers={
                "X-CSRFToken": token, "Content-Type": "application/x-www-form-urlencoded"})
            _check(response, f"{method} {url}", problems)
            if response.status_code not in (404, 405, 413):
                problems.append(f"{method} {url}: {response.status_code}, want 413")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ("anonymous", "admin"))
def test_methods_a_route_does_not_take_are_a_clean_405(world, role):
    app = world["app"]
    client, headers = _client(world, role)
    problems = []
    for rule in _rules(app):
        url = _url(rule, world["values"])
        for method in ("PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND"):
            if method in rule.methods:
                continue
            limiter.reset()
            response = client.open(url, method=method, headers=headers)
            _check(response, f"{method} {url}", problems)
    assert not problems, "\n".join(problems)
