"""Property-based tests: arbitrary Unicode, huge strings, NULs, bidi overrides, zero-width
characters and HTML at the participant and moderator forms and at the import. Never a 500;
what is stored is exactly the cleaned text (escaped on output); a refusal writes nothing and
says why; valid text is never lost."""
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.core.text import TextError, clean_text
from app.extensions import db
from app.participate.models import Contribution
from app.portfolio.models import PortfolioPriority
from tests import factories
from tests.conftest import csrf_token
from tests.participate.helpers import answer, join

HOSTILE = st.one_of(
    st.text(max_size=600),
    st.text(alphabet=st.sampled_from(
        ["\u202e", "\u2066", "\u200b", "\ufeff", "\x00", "<", ">", "&", "\"", "'", "a", " ",
         "\n", "\r", "é", "ع", "🙂", "\u0301", "\ud7ff"]), max_size=200),
    st.sampled_from(["<script>alert(1)</script>", "x" * 100_000, "\x00" * 10, "   ",
                     "\u202eevil", "a\u200bb", "=1+1", "\u00e9" * 501]),
)
SETTINGS = settings(max_examples=25, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


@SETTINGS
@given(text=HOSTILE)
def test_idea_form_never_fails_and_stores_exactly_the_cleaned_text(app, app_ctx, text):
    demo = factories.demo()  # get-or-create: the same one for every example
    n = factories.questions_by_kind(demo)["idea"][0]
    phone = app.test_client()
    join(phone)
    before = _count(Contribution)
    response = answer(phone, demo.id, n, {"text": text, "client_key": "hyp"})
    assert response.status_code in (302, 422), response.status_code
    try:
        expected = clean_text(text, max_length=500)
    except TextError:
        expected = None
    if expected is None:
        assert response.status_code == 422 and _count(Contribution) == before
        assert "Något gick fel" not in response.get_data(as_text=True)
    else:
        assert response.status_code == 302
        stored = db.session.scalars(select(Contribution.text).order_by(
            Contribution.id.desc())).first()
        assert stored == expected  # nothing valid is lost or altered


def leader_with_an_idea(app, client, login_as):
    """The demo (get-or-create: the same one for every example), a new idea from a phone, and
    a youth leader of the demo logged in on `client` (once per test)."""
    demo = factories.demo()
    phone = app.test_client()
    join(phone)
    answer(phone, demo.id, factories.questions_by_kind(demo)["idea"][0],
           {"text": "En vanlig idé", "client_key": "base"})
    idea = db.session.scalars(select(Contribution).order_by(Contribution.id.desc())).first()
    if not getattr(client, "_logged_in", False):
        login_as("youth_leader", organisation=demo.organisation)
        client._logged_in = True
    return demo, idea


@SETTINGS
@given(text=HOSTILE, language=st.sampled_from(["en", "ar", "xx", ""]))
def test_moderator_actions_never_fail(app, client, login_as, app_ctx, text, language):
    demo, idea = leader_with_an_idea(app, client, login_as)
    token = csrf_token(client, f"/moderate/c/{demo.id}")
    for path, data in (
            (f"/moderate/items/{idea.id}/redact", {"text": text}),
            (f"/moderate/items/{idea.id}/translate", {"language": language, "text": text}),
            (f"/moderate/items/{idea.id}/theme", {"new_theme": text}),
            (f"/moderate/items/{idea.id}/hide", {"reason": text})):
        response = client.post(path, data={"csrf_token": token, **data})
        assert response.status_code < 500, (path, response.status_code)
    db.session.expire_all()
    assert db.session.get(Contribution, idea.id) is not None  # never lost


@SETTINGS
@given(body=st.one_of(st.binary(max_size=2000), st.text(max_size=2000).map(str.encode),
                      st.dictionaries(st.text(max_size=10), st.text(max_size=20)).map(
                          lambda d: json.dumps(d).encode())),
       name=st.sampled_from(["x.json", "x.csv", "x"]))
def test_the_import_never_fails_on_garbage_and_writes_nothing(client, login_as, app_ctx,
                                                              body, name):
    if not getattr(client, "_logged_in", False):
        login_as("core_team")
        client._logged_in = True
    token = csrf_token(client, "/portfolio/import")
    response = client.post("/portfolio/import/file", data={
        "csrf_token": token, "file": (io.BytesIO(body), name)},
        content_type="multipart/form-data")
    assert response.status_code in (200, 400, 422), response.status_code
    if response.status_code != 200:
        assert _count(PortfolioPriority) == 0
