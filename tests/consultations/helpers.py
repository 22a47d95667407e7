"""Driving the authoring pages through the test client, with real CSRF tokens."""
import re

from tests.conftest import csrf_token

BASE = "/staff/consultations"


def in_english(client):
    """Staff pages in English: the new strings are English msgids until they are translated,
    so English keeps these tests true before and after the catalogs catch up."""
    client.get("/lang/en")


def post(client, path: str, data: dict | None = None):
    token = csrf_token(client, BASE)
    return client.post(path, data={"csrf_token": token, **(data or {})})


def create(client, **fields) -> int:
    """A new consultation through the form; returns its id."""
    data = {"title_sv": "Fritid efter skolan", "title_en": "Free time after school",
            "moderation": "pre", **fields}
    response = post(client, f"{BASE}/new", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/(\d+)$", response.headers["Location"]).group(1))


def option_fields(rows: list[dict], start: int = 0) -> dict:
    """Option rows as the form names them: options-0-text_sv, options-0-id, …"""
    data = {}
    for index, row in enumerate(rows, start=start):
        for name, value in row.items():
            data[f"options-{index}-{name}"] = value
    return data


def add_question(client, consultation_id: int, kind: str, prompt_sv: str, **fields):
    response = post(client, f"{BASE}/{consultation_id}/questions/new?kind={kind}",
                    {"prompt_sv": prompt_sv, **fields})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def missing_marker(html: str) -> str:
    """The first "not translated yet" marker on a page."""
    match = re.search(r'<p class="missing-langs">.*?</p>', html, re.S)
    return match.group(0) if match else ""
