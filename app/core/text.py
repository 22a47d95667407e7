"""Cleaning what people type, before anything is stored.

Text is normalised to NFC; control characters, direction overrides and other invisible
formatting characters are refused with a reason the view can explain, rather than silently
stored in a form that could spoof or break a page."""
import re
import unicodedata

from app.core.errors import DomainError

# Bidirectional embeddings/overrides/isolates: they can make text display in a misleading
# order. Legitimate right-to-left text never needs them.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Invisible characters that are fine inside words (emoji sequences, Persian/Arabic joiners)
# but meaningless alone; removed at the ends.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def _unstorable(ch: str) -> bool:
    """Control characters, lone surrogates, private-use and noncharacters. Code points that
    are merely unassigned in this Python's Unicode database are kept: phones get new emoji
    (🩷, 🫨) years before a server's Python knows them."""
    category = unicodedata.category(ch)
    if category in ("Cc", "Cs", "Co"):
        return True
    code = ord(ch)
    return category == "Cn" and (0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE)


class TextError(DomainError):
    """`code` says what is wrong: empty, too_long, control, bidi, not_one_line."""

    def __init__(self, code: str, limit: int | None = None):
        super().__init__(code)
        self.code = code
        self.limit = limit


def clean_text(raw: str | None, *, max_length: int, multiline: bool = True) -> str:
    text = unicodedata.normalize("NFC", raw or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    for ch in text:
        if ch in _BIDI_CONTROLS:
            raise TextError("bidi")
        if ch == "\n":
            if not multiline:
                raise TextError("not_one_line")
            continue
        if _unstorable(ch):
            raise TextError("control")
    lines = [_SPACES.sub(" ", line).strip(" " + _INVISIBLE) for line in text.split("\n")]
    # At most one empty line in a row; no empty lines at the ends.
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    if not text.strip(_INVISIBLE + " \n"):
        raise TextError("empty")
    if len(text) > max_length:
        raise TextError("too_long", max_length)
    return text


def one_newline(raw: str) -> str:
    """A browser sends a textarea's line breaks as CR LF, and its maxlength counts each as one
    character: count them so too, or a text the page allowed is refused or cut at the end."""
    return raw.replace("\r\n", "\n").replace("\r", "\n")


def strip_ends(raw: str) -> str:
    """Spaces and invisible characters off both ends, so that a text of only a zero-width
    space counts as empty (str.strip() keeps U+200B, U+2060, U+FEFF); what is inside stays."""
    text, before = raw, None
    while text != before:
        before, text = text, text.strip().strip(_INVISIBLE)
    return text


def filled(values: dict[str, str | None]) -> dict[str, str]:
    """A text per language as stored: each trimmed (strip_ends), the empty ones left out."""
    return {key: text for key, value in values.items() if value and (text := strip_ends(value))}


def check_text(raw: str, *, multiline: bool = True) -> str:
    """For texts stored as written (what staff write, imported files): refuse what
    clean_text refuses — control characters (line breaks and tabs aside), direction
    overrides, lone surrogates, private-use and noncharacters — and change nothing else.
    A NUL would also make PostgreSQL refuse the row while SQLite stored it."""
    for ch in raw or "":
        if ch in _BIDI_CONTROLS:
            raise TextError("bidi")
        if ch in "\n\r":
            if not multiline:
                raise TextError("not_one_line")
        elif ch != "\t" and _unstorable(ch):
            raise TextError("control")
    return raw


# The largest id an integer column holds on every database the app runs on (PostgreSQL's
# `integer`; SQLite's is larger).
MAX_ID = 2**31 - 1


def whole_number(raw, maximum: int = MAX_ID) -> int | None:
    """A non-negative whole number sent in a form or a URL, or None when `raw` is not one.

    Only ASCII digits: str.isdigit() also says yes to "²" (int() refuses it: a 500) and to
    "١" (int() reads it), and int() refuses more than 4300 digits. A number beyond
    `maximum` is None too, as the database would refuse it as a parameter."""
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        return None
    value = int(raw)
    return value if value <= maximum else None
