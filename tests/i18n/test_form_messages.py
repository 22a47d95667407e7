"""WTForms' own messages ("This field is required.") come in the page's language, and each
language's catalog is read from disk once per process, not on every request."""
from babel import support

from app.core import forms
from tests.conftest import csrf_token


def empty_login(client, lang: str) -> str:
    client.set_cookie("lang", lang)
    response = client.post("/login", data={"csrf_token": csrf_token(client, "/login"),
                                           "email": "", "password": "x"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_missing_field_is_named_in_the_page_language(client):
    assert "Det här fältet är obligatoriskt." in empty_login(client, "sv")
    assert "هذا الحقل مطلوب." in empty_login(client, "ar")
    assert "This field is required." in empty_login(client, "en")


def test_the_catalog_is_read_once_per_language(client, monkeypatch):
    reads = []
    real_load = support.Translations.load

    def counting_load(*args, **kwargs):
        reads.append(kwargs.get("domain"))
        return real_load(*args, **kwargs)

    forms.wtforms_catalog.cache_clear()
    monkeypatch.setattr(support.Translations, "load", counting_load)
    for _ in range(3):
        empty_login(client, "sv")
    empty_login(client, "ar")
    assert reads.count("wtforms") == 2  # Swedish once, Arabic once


def test_wtforms_messages_its_catalogs_lack_come_from_the_apps_catalogs(client):
    """WTForms has no Bosnian, Somali or Tigrinya, and its Arabic lacks most plural forms
    ("… than 254 characters" stayed English): those messages are in the app's catalogs."""
    assert "Ovo polje je obavezno." in empty_login(client, "bs")
    assert "This field is required." not in empty_login(client, "so")
    assert "This field is required." not in empty_login(client, "ti")
    for lang, expected in (("ar", "لا يمكن أن يكون هذا الحقل أطول من 254 حرفًا."),
                           ("sv", "Fältet får inte vara längre än 254 tecken."),
                           ("en", "Field cannot be longer than 254 characters.")):
        client.set_cookie("lang", lang)
        page = client.post("/login", data={"csrf_token": csrf_token(client, "/login"),
                                           "email": "a" * 300 + "@example.org",
                                           "password": "x"}).get_data(as_text=True)
        assert expected in page, lang
