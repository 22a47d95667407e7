import pytest

from app.core.text import TextError, clean_text, strip_ends


def test_text_is_normalised_to_nfc_and_trimmed():
    decomposed = "Sko\u0308lga\u030arden  \t ar   bra  "  # ö and å as combining marks
    assert clean_text(decomposed, max_length=100) == "Skölgården ar bra"


@pytest.mark.parametrize(("raw", "code"), [
    ("", "empty"), ("   \n\t ", "empty"), ("\u200b\u200b", "empty"),
    ("a" * 501, "too_long"), ("hej\x00då", "control"), ("hej\x07", "control"),
    ("abc\u202edcba", "bidi"), ("\u2067rtl\u2069", "bidi"),
])
def test_bad_text_is_refused_with_a_reason(raw, code):
    with pytest.raises(TextError) as caught:
        clean_text(raw, max_length=500)
    assert caught.value.code == code


def test_one_line_fields_refuse_line_breaks():
    with pytest.raises(TextError) as caught:
        clean_text("två\nord", max_length=40, multiline=False)
    assert caught.value.code == "not_one_line"


def test_html_is_kept_as_text_and_emoji_and_arabic_survive():
    assert clean_text("<b>hej</b> 👩‍👩‍👧 مرحبا", max_length=100) == "<b>hej</b> 👩‍👩‍👧 مرحبا"


def test_blank_lines_are_collapsed():
    assert clean_text("a\n\n\n\n\nb\n", max_length=100) == "a\n\nb"


def test_strip_ends_takes_invisible_characters_off_the_ends_only():
    assert strip_ends("\u200b \u2060\ufeff") == ""
    assert strip_ends(" \u200bHej\u00a0") == "Hej"
    assert strip_ends("👩\u200d💻 kod") == "👩\u200d💻 kod"  # a joiner inside stays
