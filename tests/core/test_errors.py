import pytest


@pytest.fixture
def broken_start_page(app):
    original = app.view_functions["participate.index"]

    def boom():
        raise RuntimeError("database on fire")

    app.view_functions["participate.index"] = boom
    yield
    app.view_functions["participate.index"] = original


def test_500_page_is_kind_and_in_the_users_language(client, broken_start_page):
    response = client.get("/?lang=ar")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert 'dir="rtl"' in html and "حدث خطأ من جهتنا" in html
    assert "database on fire" not in html and "Traceback" not in html


def test_500_answers_json_to_scripts(client, broken_start_page):
    response = client.get("/", headers={"Accept": "application/json"})
    assert response.status_code == 500 and response.get_json()["error"] == 500


def test_404_page_in_swedish_and_english(client):
    assert "Vi hittade inte sidan" in client.get("/nope").get_data(as_text=True)
    assert "We could not find that page" in client.get("/nope?lang=en").get_data(as_text=True)


def test_a_wrong_method_gets_the_kind_page_and_says_what_is_allowed(client):
    """Posting to a page that only shows something: the 405 page in Swedish, with the Allow
    header a 405 must carry (RFC 9110), so a client can tell what the page takes."""
    response = client.post("/me")
    assert response.status_code == 405
    assert "Det fungerade inte" in response.get_data(as_text=True)
    assert "GET" in response.headers["Allow"]
