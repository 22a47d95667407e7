"""Word-cloud answers: the same word written differently counts once.

"Läxhjälp", " läxhjälp " and "LÄXHJÄLP!" are one answer; so are "raster" and "rasterna",
and "teachers" and "teacher". Folding is deliberately cautious: two different words counted
as one would misreport what young people said, while one word split in two only makes the
cloud a little less tidy. The label shown is always a form somebody actually wrote.
"""
import re
import unicodedata
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

STOPWORDS_DIR = Path(__file__).parent / "stopwords"

# Emoji glue that is not a symbol by itself: variation selectors, zero-width joiner,
# combining enclosing keycap, skin-tone modifiers and tag characters.
_EMOJI_GLUE = re.compile("[\ufe00-\ufe0f\u200d\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]")
_APOSTROPHE_S = re.compile("['’]s$")

# Arabic: harakat, superscript alef and tatweel are writing style, not different words;
# so is the hamza people often leave out when typing alef.
_ARABIC_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")
_ARABIC_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"})

# Swedish noun endings as (ending, replacement, shortest stem left). First match wins,
# longest endings first. Nouns in -a (läxa, skola) make -an, -or, -orna: those fold back to
# the -a form, except after the stems of singular nouns in -or (doktor, dator, humor). Other
# endings are cut off only when at least four letters are left, so short words (mat, dag,
# barn) are never touched.
_SV_RULES: tuple[tuple[str, str, int], ...] = (
    ("orna", "a", 3),  # läxorna → läxa
    ("arna", "", 4),  # killarna → kill
    ("erna", "", 4),  # rasterna → rast
    ("or", "a", 3),  # läxor → läxa
    ("ar", "", 4),  # killar → kill
    ("er", "", 4),  # raster → rast
    ("na", "", 4),  # lärarna → lärar (only after r, see _sv_fold)
    ("en", "", 4),  # rasten → rast
    ("et", "", 4),  # samhället → samhäll (not -het, -itet)
    ("an", "a", 3),  # läxan → läxa
    ("e", "", 4),  # kille → kill, lärare → lärar
)


@lru_cache
def stopwords(language: str) -> frozenset[str]:
    """The stop words of a language, normalised like the answers they are compared with."""
    path = STOPWORDS_DIR / f"{language}.txt"
    if not language.isalpha() or not path.exists():
        return frozenset()
    words = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(
        _clean(w, language) for w in words if w and not w.startswith("#")
    ) - {""}


def _language(language: str | None) -> str:
    """The bare language code: sv, sv-SE and SV_se all mean Swedish."""
    return re.split("[-_]", (language or "").strip().lower(), maxsplit=1)[0]


def _is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LNM"


def _strip(word: str) -> str:
    """The word without the punctuation, symbols and emoji around it."""
    word = _EMOJI_GLUE.sub("", word)
    start, end = 0, len(word)
    # A mark (category M) belongs to the letter before it, so never start on one.
    while start < end and unicodedata.category(word[start])[0] not in "LN":
        start += 1
    while end > start and not _is_word_char(word[end - 1]):
        end -= 1
    return word[start:end]


def _clean(word: str, language: str) -> str:
    """A word as it is compared: stripped, case-folded, Arabic spelling variants unified,
    an English possessive 's dropped."""
    word = _strip(word).casefold()
    if language == "ar":
        word = _ARABIC_MARKS.sub("", word).translate(_ARABIC_ALEF)
    elif language == "en":
        word = _APOSTROPHE_S.sub("", word)
    return word


def _sv_fold(word: str) -> str:
    for ending, replacement, shortest in _SV_RULES:
        if not word.endswith(ending):
            continue
        stem = word[: -len(ending)]
        if len(stem) < shortest:
            continue
        if replacement == "a" and ending in ("or", "orna") and _singular_or(stem):
            continue
        if ending == "na" and not stem.endswith("r"):
            continue  # kvinna, vuxna: the -na is not an ending
        if ending == "et" and stem.endswith(("h", "it")):
            continue  # trygghet, aktivitet: -het and -itet are the word itself
        return stem + replacement
    return word


def _singular_or(stem: str) -> bool:
    """True when stem + "or" is a singular noun, not the plural of a noun in -a:
    doktor, dator, mentor, humor, junior, professor, major."""
    if stem.endswith(("i", "s", "m", "j")):
        return True
    return stem.endswith("t") and not stem.endswith(("tt", "rt", "st"))


def _en_fold(word: str) -> str:
    """Plural to singular, and a final -y / -ie spelled alike, so "parties" meets "party"
    and "movies" meets "movie". Words of three letters or fewer (bus, gas, yes) are left."""
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "i"  # parties → parti; but ties → tie below
    elif word.endswith(("sses", "xes", "ches", "shes")):
        word = word[:-2]  # classes → class, boxes → box, matches → match
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]  # teachers → teacher, houses → house; not class, focus, tennis
    if len(word) <= 3:
        return word
    if word.endswith("ie"):
        return word[:-1]  # movie → movi, like movies
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "i"  # party → parti, like parties; day stays day
    return word


def _fold(word: str, language: str) -> str:
    if language == "sv":
        return _sv_fold(word)
    if language == "en":
        return _en_fold(word)
    return word


def _words(text: str, language: str) -> list[str]:
    """The words of an answer as they are compared."""
    text = unicodedata.normalize("NFC", text)
    words = (_clean(w, language) for w in text.split())
    return [w for w in words if any(ch.isalnum() for ch in w)]


def _label(text: str) -> str:
    """An answer as written, for display: lowercased, punctuation and emoji removed."""
    words = (_strip(w) for w in unicodedata.normalize("NFC", text).lower().split())
    return " ".join(w for w in words if any(ch.isalnum() for ch in w))


def normalise_word(text: str, language: str | None) -> str | None:
    """The key an answer is counted under, or None if there is nothing to count (empty,
    only emoji or punctuation, or a single stop word such as "och" or "the").

    Each word is cleaned and folded; a phrase ("trygga vuxna") stays a phrase, its stop
    words kept ("inte mobiler" must not become "mobiler"), unless it is only stop words.
    """
    language = _language(language)
    words = _words(text, language)
    if not words or all(w in stopwords(language) for w in words):
        return None
    return " ".join(_fold(w, language) for w in words)


def count_words(answers: list[tuple[str, str]]) -> list[tuple[str, int]]:
    """(label, count) per normalised answer, most frequent first, then by label.

    The label is the most common way the answer was written (lowercased, punctuation
    removed); on a tie the shortest, then the first alphabetically, so it is stable.
    """
    return count_word_groups((text, language, 1) for text, language in answers)


def count_word_groups(groups) -> list[tuple[str, int]]:
    """The same as count_words for (text, language, how many wrote exactly that) groups, as
    the database counts them: each distinct spelling is normalised once, however many
    young people wrote it."""
    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for text, language, n in groups:
        key = normalise_word(text, language)
        if key is None:
            continue
        counts[key] += n
        forms[key][_label(text)] += n
    labelled = []
    for key, n in counts.items():
        label = min(forms[key].items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0]
        labelled.append((label, n))
    return sorted(labelled, key=lambda item: (-item[1], item[0]))
