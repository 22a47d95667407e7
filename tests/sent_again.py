"""A create form sent again, as Back and Save again do it: the same body with the same
once-only token (app/core/once.py)."""
import re
from collections.abc import Callable

from tests.conftest import CSRF_RE

ONCE_RE = re.compile(r'name="once_token" value="([^"]+)"')
NOTICE_RE = re.compile(r'<div class="flash flash-error once-notice" role="alert">(.*?)</div>',
                       re.S)


def once_token(html: str) -> str:
    match = ONCE_RE.search(html)
    assert match, "no once-only token on the page"
    return match.group(1)


def notice(html: str) -> str:
    """The "You already saved this" notice at the top of the page ("" if there is none)."""
    match = NOTICE_RE.search(html)
    return match.group(1) if match else ""


def saved_once_then_again(client, form_url: str, data: dict, count: Callable[[], int], *,
                          typed: list[str], link: Callable[[], str], post_url: str | None = None,
                          button: str = "Save"):
    """Open the form, send it, send the very same body again, then once more with the token
    the page now has. Checks: one object, still one (the form again, with what was typed
    and the notice linking to what was saved, and a new token), two. The pages must be in
    English (`?lang=en` or /lang/en first). Returns the response to the second send."""
    page = client.get(form_url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert notice(html) == ""
    match = CSRF_RE.search(html)
    body = {"csrf_token": match.group(1) or match.group(2), "once_token": once_token(html),
            **data}
    post_url = post_url or form_url
    before = count()

    first = client.post(post_url, data=body)
    assert first.status_code in (200, 302), first.get_data(as_text=True)
    assert count() == before + 1
    location = link()

    again = client.post(post_url, data=body)
    assert again.status_code == 200
    assert count() == before + 1  # nothing made the second time
    html = again.get_data(as_text=True)
    said = notice(html)
    assert "You already saved this." in said
    assert f'<a href="{location}">Open what you saved</a>' in said
    assert f"Press “{button}” again if you want to make another one." in said
    for value in typed:
        assert value in html.split("</main>")[0], value  # the form again, as it was typed
    fresh = once_token(html)
    assert fresh != body["once_token"]

    third = client.post(post_url, data={**body, "once_token": fresh})  # on purpose: another
    assert third.status_code in (200, 302)
    assert count() == before + 2
    assert notice(third.get_data(as_text=True)) == ""
    return again
