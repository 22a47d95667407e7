import re

from tests.conftest import csrf_token


def join(client, code="DEMO01", **profile):
    """Join a consultation as a new phone and give consent; returns the first question URL."""
    page = client.get(f"/j/{code}")
    assert page.status_code == 200, page.status_code
    action = re.search(r'action="(/c/\d+/join)"', page.get_data(as_text=True)).group(1)
    token = csrf_token(client, f"/j/{code}")
    response = client.post(action, data={"csrf_token": token, **profile})
    assert response.status_code == 302
    return response.headers["Location"]


def answer(client, consultation_id: int, n: int, data: dict, json: bool = False):
    url = f"/c/{consultation_id}/q/{n}"
    token = csrf_token(client, url)
    headers = {"Accept": "application/json"} if json else {}
    return client.post(url, data={"csrf_token": token, **data}, headers=headers)
