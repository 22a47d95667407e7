"""A refused answer comes back with the focus on what needs fixing: the first control of
the question with the message (or the message itself), named by its aria-describedby, so
a keyboard or screen-reader user is not put back at the top of the page with no word of
what went wrong. `autofocus` does it without JavaScript too."""
import re
from html.parser import HTMLParser

from app.extensions import db
from tests.participate.helpers import answer
from tests.participate.test_answers import setup_demo


class _Page(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.autofocus: list[dict] = []
        self.by_id: dict[str, str] = {}
        self._open: list[tuple[str, str]] = []  # (id, text so far) of elements with an id
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "autofocus" in attrs:
            self.autofocus.append({"tag": tag, **attrs})
        if attrs.get("id") and tag in ("p", "div"):
            self._open.append((attrs["id"], ""))

    def handle_data(self, data):
        self._open = [(i, text + data) for i, text in self._open]

    def handle_endtag(self, tag):
        if tag in ("p", "div") and self._open:
            element_id, text = self._open.pop()
            self.by_id[element_id] = " ".join(text.split())


def focused_on(response) -> tuple[dict, list[str]]:
    """The one element that gets the focus, and the texts it is described by."""
    assert response.status_code == 422
    page = _Page(response.get_data(as_text=True))
    assert len(page.autofocus) == 1, page.autofocus
    element = page.autofocus[0]
    described = [page.by_id.get(i, "") for i in (element.get("aria-describedby") or "").split()]
    if element["tag"] == "p":  # the message itself
        described.append(page.by_id[element["id"]])
    return element, described


def test_an_empty_idea_puts_the_focus_in_the_box_with_the_message(client, app_ctx):
    consultation, q = setup_demo(client)
    element, described = focused_on(answer(client, consultation.id, q["idea"][0],
                                           {"text": "", "client_key": "k1"}))
    assert element["tag"] == "textarea" and element["name"] == "text"
    assert "Skriv något först." in described


def test_a_word_on_two_lines_puts_the_focus_in_the_field(client, app_ctx):
    consultation, q = setup_demo(client)
    element, described = focused_on(answer(client, consultation.id, q["word"][0],
                                           {"text": "ett\ntvå", "client_key": "k1"}))
    assert element["tag"] == "input" and element["name"] == "text"
    assert any("en rad" in text for text in described)


def test_no_face_chosen_puts_the_focus_on_the_first_face_described_by_the_message(
        client, app_ctx):
    consultation, q = setup_demo(client)
    element, described = focused_on(answer(client, consultation.id, q["scale"][0], {}))
    assert element["name"] == "value" and element["value"] == "1"
    assert described == ["Välj ett av svaren."]


def test_no_choice_puts_the_focus_on_the_first_option_described_by_the_message(
        client, app_ctx):
    consultation, q = setup_demo(client)
    n, question = q["choice"]
    element, described = focused_on(answer(client, consultation.id, n, {}))
    assert element["name"] == "option" and element["value"] == str(question.options[0].id)
    assert described and described[0].startswith("Välj")


def test_a_place_chosen_twice_puts_the_focus_on_that_place(client, app_ctx):
    consultation, q = setup_demo(client)
    n, question = q["rank"]
    a = question.options[0].id
    element, described = focused_on(answer(client, consultation.id, n,
                                           {"place_1": str(a), "place_2": str(a)}))
    assert element["tag"] == "select" and element["name"] == "place_2"
    assert any("samma sak två gånger" in text for text in described)


def test_dots_that_are_not_a_number_put_the_focus_on_that_field(client, app_ctx):
    consultation, q = setup_demo(client)
    n, question = q["rank"]
    question.settings = {"mode": "dots", "dots": 5}
    db.session.commit()
    b = question.options[1].id
    element, described = focused_on(answer(client, consultation.id, n, {f"dots_{b}": "två"}))
    assert element["name"] == f"dots_{b}" and element.get("aria-invalid") == "true"
    assert "Skriv en siffra." in described


def test_no_statement_voted_puts_the_focus_on_the_message(client, app_ctx):
    consultation, q = setup_demo(client)
    element, described = focused_on(answer(client, consultation.id, q["statement"][0], {}))
    assert element["tag"] == "p" and element.get("tabindex") == "-1"
    assert described == ["Välj minst ett svar."]


def test_a_page_without_a_refusal_takes_no_focus(client, app_ctx):
    consultation, q = setup_demo(client)
    for n, _question in q.values():
        html = client.get(f"/c/{consultation.id}/q/{n}").get_data(as_text=True)
        assert not re.search(r"\bautofocus\b", html), n
