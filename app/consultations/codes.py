"""Join codes: six characters that are easy to read aloud and type on a phone."""
import secrets
import unicodedata

# No look-alikes: no 0/O, no 1/I/L.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6

# A code read off a poster and typed on a Ukrainian (Cyrillic) or Greek keyboard: the
# capitals that look the same as the Latin ones on the wall.
LOOK_ALIKES = str.maketrans("АВСЕНІКМОРТХУΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABCEHIKMOPTXYABEZHIKMNOPTYX")
LATIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(raw: str) -> str:
    """Forgiving of case, spaces and dashes, as people type codes they read on a wall; and of
    the keyboard: full-width letters, Arabic and Persian digits (٤ and ۴ are 4), Cyrillic and
    Greek capitals that look like Latin ones. Anything else a code cannot hold is left out:
    punctuation (a full stop, a # copied from a message, quotes) and the invisible characters
    that come along when a code is pasted from a chat (zero-width space, direction marks)."""
    text = unicodedata.normalize("NFKC", raw).upper().translate(LOOK_ALIKES)
    digits = (str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)
    return "".join(ch for ch in digits if ch in LATIN)
