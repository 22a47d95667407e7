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
