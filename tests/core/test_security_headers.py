def test_every_page_has_a_strict_content_security_policy(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_no_inline_scripts_or_styles_in_any_template():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "app"
    for path in root.rglob("templates/**/*.html"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", source), path
        assert " style=" not in source and "<style" not in source, path
        assert not re.search(r"\son[a-z]+=", source), path  # no inline event handlers


def test_staff_pages_are_not_cached(client, login_as):
    login_as("admin")
    for path in ("/staff", "/admin/users", "/portfolio", "/feedback", "/login/code"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path


def test_participant_answer_pages_are_not_cached(app, app_ctx):
    from tests import factories
    from tests.participate.helpers import join

    factories.demo()
    phone = app.test_client()
    first_question = join(phone)
    assert phone.get(first_question).headers["Cache-Control"] == "no-store"
    assert phone.get("/me").headers["Cache-Control"] == "no-store"


def test_every_page_showing_a_phones_own_contributions_is_not_cached(app, app_ctx):
    """A classroom phone is shared: its back button (or a proxy) must not show the next
    child what the last one wrote, also not on the "are you sure?" page that quotes it."""
    from sqlalchemy import select

    from app.extensions import db
    from app.participate.models import Contribution
    from tests import factories
    from tests.participate.helpers import answer, join

    demo = factories.demo()
    phone = app.test_client()
    join(phone)
    position, _question = factories.questions_by_kind(demo)["idea"]
    answer(phone, demo.id, position, {"text": "Min hemliga idé", "client_key": "k1"})
    idea = db.session.scalar(select(Contribution))
    for path in ("/me", f"/me/contributions/{idea.id}/delete", "/me/delete"):
        response = phone.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path


def test_a_response_that_gives_a_phone_its_device_token_is_never_cached(app, app_ctx):
    """A school's caching proxy that kept the join page would hand its Set-Cookie (the first
    phone's device token) to every phone after it, each then seeing, and able to delete, the
    others' answers. (Vary: Cookie does not help: new phones all send no cookie.)"""
    from tests import factories

    factories.demo()
    phone = app.test_client()
    response = phone.get("/j/DEMO01")
    assert response.status_code == 200
    assert any(c.startswith("device=") for c in response.headers.getlist("Set-Cookie"))
    assert response.headers["Cache-Control"] == "no-store"
    # A page that first gives a phone its session (its CSRF token) neither.
    fresh = app.test_client()
    response = fresh.get("/privacy")
    if response.headers.getlist("Set-Cookie"):
        assert response.headers["Cache-Control"] == "no-store"
