"""Guards for every child's language: complete and fresh catalogs, and no user-facing text
in templates outside the translation functions."""
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def catalog(code: str):
    with (ROOT / "translations" / code / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=code)


def translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(s for s in strings)


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_catalog_is_complete_and_not_fuzzy(code):
    messages = [m for m in catalog(code) if m.id]
    assert messages
    untranslated = [m.id for m in messages if not translated(m)]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert untranslated == [], f"{code}: {len(untranslated)} untranslated, e.g. {untranslated[:3]}"
    assert fuzzy == [], f"{code}: fuzzy {fuzzy[:3]}"


# Words shown side by side on one screen that mean different things: a child must be able to
# tell them apart (a statement's "Pass" vote next to the page's "Skip" link). Compared without
# vowel marks and accents: Arabic's تخطٍّ and تخطَّ are one word to a young reader.
SIDE_BY_SIDE = [("Agree", "Disagree", "Pass", "Skip", "Next", "Back")]


def bare(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word.casefold())
                   if unicodedata.category(c) != "Mn")


@pytest.mark.parametrize("code", [c for c in LANGUAGES if c != "en"])
def test_words_on_one_screen_are_not_the_same_word(code):
    strings = {m.id: m.string for m in catalog(code) if m.id}
    for group in SIDE_BY_SIDE:
        words = [bare(strings[msgid]) for msgid in group]
        same = {w for w in words if words.count(w) > 1}
        assert not same, f"{code}: {same} stands for more than one of {group}"


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_translations_keep_their_placeholders(code):
    for message in catalog(code):
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            wanted = set(PLACEHOLDER.findall(message.id[1]))
            for form in message.string:
                # A singular form may spell out "one" instead of %(num)s.
                assert set(PLACEHOLDER.findall(form)) <= wanted, (code, message.id)
                assert wanted - {"num"} <= set(PLACEHOLDER.findall(form)), (code, message.id)
        elif message.string:
            assert set(PLACEHOLDER.findall(message.string)) == set(
                PLACEHOLDER.findall(message.id)), (code, message.id)


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_catalog_header_says_how_far_it_is_reviewed(code):
    match = re.search(r"Review status: (.+)", catalog(code).header_comment)
    assert match and len(match.group(1)) > 10, f"{code}: name the review status in the header"


def test_catalogs_are_up_to_date_with_the_code(tmp_path):
    """Extract the strings again: every catalog has exactly the messages the code uses."""
    pot = tmp_path / "fresh.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-k", "lazy_pgettext:1c,2",
                    "-k", "N_plural:1,2",  # as the Makefile
                    "--ignore-dirs=.*",  # pybabel skips _macros/ otherwise
                    "-o", str(pot), "."],
                   cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as f:
        fresh = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    for code in LANGUAGES:
        have = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog(code) if m.id}
        missing = sorted(fresh - have)[:5]
        assert missing == [], f"{code} misses {missing}: run make translations"
        assert have - fresh == set(), f"{code} has stale {sorted(have - fresh)[:5]}"


# --- templates: no bare text ------------------------------------------------------------------

JINJA = re.compile(r"{#.*?#}|{%.*?%}|{{.*?}}", re.S)
IGNORED_BLOCKS = re.compile(r"<(script|style|svg)\b.*?</\1>", re.S | re.I)
TAG = re.compile(r"<[^>]+>", re.S)
ATTRIBUTE = re.compile(r'\b(placeholder|aria-label|title|alt)="([^"]*)"', re.I)
# Brand and example values that are the same in every language.
ALLOWED = {"Medskapa", "KX7P4M", "– Medskapa"}


def bare_text(source: str) -> list[str]:
    found = []
    for name, value in ATTRIBUTE.findall(IGNORED_BLOCKS.sub("", source)):
        value = JINJA.sub("", value).strip()
        if re.search(r"[^\W\d_]", value) and value not in ALLOWED:
            found.append(f'{name}="{value}"')
    text = TAG.sub(" ", IGNORED_BLOCKS.sub(" ", JINJA.sub(" ", source)))
    for chunk in re.split(r"\s{2,}|\n", text):
        chunk = chunk.strip()
        if re.search(r"[^\W\d_]{2,}", chunk) and chunk not in ALLOWED:
            found.append(chunk)
    return found


def test_templates_have_no_text_outside_translation_functions():
    problems = {}
    for path in sorted((ROOT / "app").rglob("templates/**/*.html")):
        found = bare_text(path.read_text(encoding="utf-8"))
        if found:
            problems[str(path.relative_to(ROOT))] = found
    assert problems == {}


def test_the_template_scan_finds_bare_text():
    assert bare_text("<p>Hej {{ _('ok') }}</p>") == ["Hej"]
    assert bare_text('<input placeholder="Skriv här">') == ['placeholder="Skriv här"']
    assert bare_text("<p>{{ _('Fine') }}</p><svg><text>x y</text></svg>") == []


def test_arabic_plurals_pick_the_right_form(app):
    from flask_babel import force_locale, ngettext

    with app.test_request_context(), force_locale("ar"):
        def n(count):
            return ngettext("%(num)s participant", "%(num)s participants", count)

        assert "مشاركان" in n(2)
        assert n(5).endswith("مشاركين")  # 3–10
        assert n(15).endswith("مشاركًا")  # 11–99
        assert n(100).endswith("مشارك")  # 100–102
