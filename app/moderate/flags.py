"""Automatic flags raised when a text arrives: personal data, profanity, safeguarding.

Pure functions (no Flask, no database, no request) so they run wherever text arrives and
are tested in isolation. A flag is a hint to a human moderator, never a verdict: the
safeguarding detectors lean towards recall (a missed child in danger costs far more than a
moderator reading one extra text), profanity leans towards precision (words that are also
self-descriptions or diagnoses are only listed in their insulting phrases).

Offsets refer to the NFC-normalised text, which is what `app.core.text.clean_text` stores.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from pathlib import Path

from personnummer import personnummer

PERSONAL_DATA = "personal_data"
PROFANITY = "profanity"
SAFEGUARDING = "safeguarding"

WORDLIST_DIR = Path(__file__).parent / "wordlists"
# Children mix languages, so these lists apply whatever the UI language is.
ALWAYS_LANGUAGES = ("sv", "en")
ELLIPSIS = "…"


@dataclass(frozen=True)
class Flag:
    """One finding: what it is, where it is, and an excerpt safe to show a moderator."""

    category: str  # PERSONAL_DATA | PROFANITY | SAFEGUARDING
    kind: str  # personnummer, coordination_number, phone, email, url, address, profanity, ...
    excerpt: str  # masked for personal data; the words as written otherwise
    start: int
    end: int


def detect(text: str, language: str = "sv") -> list[Flag]:
    """All flags in `text`, ordered by start. `language` is the writer's UI language (sv, en,
    ar, ...); word lists of sv AND en are always applied (children mix languages), plus the
    language's own list if one exists."""
    text = unicodedata.normalize("NFC", text or "")
    languages = _languages(language)
    found = [
        *_personal_data(text),
        *_wordlist_flags(text, "profanity", PROFANITY, languages),
        *_wordlist_flags(text, "safeguarding", SAFEGUARDING, languages),
        *_safeguarding_patterns(text),
    ]
    return sorted(_dedupe(found), key=lambda f: (f.start, f.end, f.category, f.kind))


def has_safeguarding(flags: Iterable[Flag]) -> bool:
    """True if any flag needs the safeguarding routine rather than ordinary moderation."""
    return any(flag.category == SAFEGUARDING for flag in flags)


def categories(flags: Iterable[Flag]) -> set[str]:
    return {flag.category for flag in flags}


# --- languages ---------------------------------------------------------------------------

_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


def _languages(language: str | None) -> tuple[str, ...]:
    """sv and en, plus the writer's language. The code becomes part of a file name, so
    anything but a plain two- or three-letter code ("sv-SE" counts as "sv") is ignored."""
    code = re.split(r"[-_]", (language or "").strip().lower(), maxsplit=1)[0]
    if _LANGUAGE_CODE.fullmatch(code) and code not in ALWAYS_LANGUAGES:
        return (*ALWAYS_LANGUAGES, code)
    return ALWAYS_LANGUAGES


# --- de-duplication ----------------------------------------------------------------------

# Lower wins when two personal-data matches overlap: a valid personnummer is also ten digits
# that may look like a phone number, an e-mail address contains a domain.
_KIND_RANK = {
    "personnummer": 0,
    "coordination_number": 0,
    "email": 1,
    "url": 2,
    "phone": 3,
    "address": 4,
}


def _dedupe(flags: Iterable[Flag]) -> list[Flag]:
    """Drop a flag that overlaps a more specific (or else longer) one of the same category.
    Categories are kept apart: a slur inside a safeguarding phrase is reported as both."""
    kept: list[Flag] = []
    ordered = sorted(flags, key=lambda f: (_KIND_RANK.get(f.kind, 0), f.start - f.end, f.start))
    for flag in ordered:
        if not any(
            k.category == flag.category and k.start < flag.end and flag.start < k.end
            for k in kept
        ):
            kept.append(flag)
    return kept


# --- personal data -----------------------------------------------------------------------


def _ascii_digits(text: str) -> str:
    """Every decimal digit (Arabic-Indic, fullwidth, ...) as ASCII, one char for one char so
    offsets stay valid: "٠٧٠..." is as much a phone number as "070..."."""
    out = []
    for ch in text:
        value = unicodedata.decimal(ch, None)
        out.append(str(value) if value is not None else ch)
    return "".join(out)


def _personal_data(text: str) -> Iterator[Flag]:
    digits = _ascii_digits(text)
    yield from _identity_numbers(digits)
    yield from _phones(digits)
    yield from _emails(text)
    yield from _urls(text)
    yield from _addresses(digits)
    yield from _names(text)


# 10 or 12 digits, optionally with the official "-" or "+" (or a space) before the last four.
_PNR_RE = re.compile(r"(?<![0-9])(?:[0-9]{8}|[0-9]{6})[-+ ]?[0-9]{4}(?![0-9])")


def _identity_numbers(text: str) -> Iterator[Flag]:
    """Personnummer and samordningsnummer. Only numbers the package validates (date and
    Luhn checksum) count, which keeps years, prices and random digit runs out."""
    for match in _PNR_RE.finditer(text):
        candidate = match.group().replace(" ", "-")
        try:
            number = personnummer.parse(candidate)
        except (personnummer.PersonnummerException, ValueError):
            continue
        kind = "coordination_number" if number.is_coordination_number() else "personnummer"
        yield Flag(PERSONAL_DATA, kind, match.group()[:2] + ELLIPSIS, match.start(), match.end())


_PHONE_RES = (
    # +46 / 0046, with or without the national 0 or "(0)": +46 70 123 45 67, +46 8 123 456 78
    re.compile(
        r"(?<![\w+])(?:\+|00) ?46[ \-]?(?:\(0\)[ \-]?)?0?[1-9](?:[ \-]?[0-9]){6,8}(?![0-9])"
    ),
    # Mobiles: 0701234567, 070-123 45 67, 070 123 45 67, 070-1234567
    re.compile(r"(?<![\w+])07[0-9](?:[ \-]?[0-9]){7}(?![0-9])"),
    # Landlines need a separator after the area code (08, or 0 + two or three digits) so
    # that long digit runs such as order numbers are not taken for phone numbers.
    re.compile(r"(?<![\w+])(?:08|0[1-69][0-9]{1,2})[ \-/][1-9](?:[ \-]?[0-9]){4,7}(?![0-9])"),
)
# "08-10 2024" is a date, not Stockholm.
_DATE_LIKE = re.compile(r"[0-9]{2}[-/ ][0-9]{1,2}[-/ ](?:19|20)[0-9]{2}")


def _phones(text: str) -> Iterator[Flag]:
    for pattern in _PHONE_RES:
        for match in pattern.finditer(text):
            if _DATE_LIKE.fullmatch(match.group()):
                continue
            yield Flag(PERSONAL_DATA, "phone", _mask_phone(match.group()), *match.span())


def _mask_phone(number: str) -> str:
    if number.startswith(("+", "00")):
        return "+46" + ELLIPSIS
    return re.sub(r"[^0-9]", "", number)[:3] + ELLIPSIS


_EMAIL_RE = re.compile(r"(?<![\w.+\-])[\w.+\-]+@(?:[^\W_][\w\-]*\.)+[^\W\d_]{2,}(?![\w\-])")


def _emails(text: str) -> Iterator[Flag]:
    for match in _EMAIL_RE.finditer(text):
        yield Flag(PERSONAL_DATA, "email", match.group()[0] + ELLIPSIS + "@" + ELLIPSIS,
                   *match.span())


# Bare domains are only recognised with TLDs children actually use, written in lower or
# upper case; "kul.Nu vill jag" (a missing space after a full stop) is not a link.
_TLDS = ("se", "nu", "com", "org", "net", "io", "eu", "info", "tv", "gg", "app", "dev", "me",
         "co", "uk", "dk", "fi", "ly", "be")
_TLD_ALTERNATIVES = "|".join(sorted((*_TLDS, *(t.upper() for t in _TLDS)), key=len, reverse=True))
_URL_RE = re.compile(
    r"(?<![\w@.\-/])(?:"
    r"(?i:https?://|www\.)[^\s<>\"']+"
    rf"|(?:[^\W_][\w\-]*\.)+(?:{_TLD_ALTERNATIVES})(?![\w\-])(?:/[^\s<>\"']*)?"
    r")"
)
_URL_TRAILING = ".,;:!?)]}'\"…"


def _urls(text: str) -> Iterator[Flag]:
    for match in _URL_RE.finditer(text):
        url = match.group().rstrip(_URL_TRAILING)
        if not url:
            continue
        host = re.sub(r"^(?i:https?://)", "", url)
        host = re.split(r"[/?#]", host, maxsplit=1)[0].rsplit("@", 1)[-1]
        yield Flag(PERSONAL_DATA, "url", host, match.start(), match.start() + len(url))


# Swedish street names are compounds ending in a street word; house numbers are 1-999,
# optionally with a letter (5B), which keeps "handlingsplan 2024" out.
_SV_ADDRESS_RE = re.compile(
    r"(?<!\w)([^\W\d_]{2,}(?:gatan|vägen|gränden|gränd|stigen|allén|allé|torget|backen|leden"
    r"|stråket|plan))\s+[1-9][0-9]{0,2}(?:\s?[a-h])?(?!\w)",
    re.IGNORECASE,
)
# "-plan" is mostly school vocabulary (läroplan, kursplan); only capitalised names count.
_NOT_STREETS = {"läroplan", "kursplan", "studieplan", "handlingsplan", "åtgärdsplan",
                "likabehandlingsplan", "arbetsplan", "veckoplan", "våningsplan", "detaljplan",
                "översiktsplan", "utvecklingsplan", "matchplan", "affärsplan", "verksamhetsplan"}
# English only when properly capitalised: "12 Baker Street"; "5 miles down the road" is not.
_EN_ADDRESS_RE = re.compile(
    r"(?<!\w)[1-9][0-9]{0,3}[A-Za-z]?\s+((?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Road|Rd|Avenue"
    r"|Ave|Lane|Drive|Close|Way|Court|Place|Square|Crescent|Terrace|Grove|Gardens))(?!\w)"
)


def _addresses(text: str) -> Iterator[Flag]:
    for match in _SV_ADDRESS_RE.finditer(text):
        street = match.group(1)
        if street.casefold().endswith("plan") and (
            not street[0].isupper() or street.casefold() in _NOT_STREETS
        ):
            continue
        yield Flag(PERSONAL_DATA, "address", street + " " + ELLIPSIS, *match.span())
    for match in _EN_ADDRESS_RE.finditer(text):
        yield Flag(PERSONAL_DATA, "address", match.group(1) + " " + ELLIPSIS, *match.span())


# A child introducing themself: "jag heter Anna Svensson", "my name is sam". In a
# post-moderated consultation an unflagged text is shown to the others at once, so the
# name is caught here, lower case too; the excerpt keeps only its first letter.
_NAME_INTRO_RE = re.compile(
    r"(?<!\w)(?:jag\s+heter|mitt\s+namn\s+(?:är|e)|jag\s+kallas|my\s+name\s+is|my\s+name's"
    r"|i\s+am\s+called|i'm\s+called|call\s+me)\s+"
    r"(?!(?:inte|typ|som|ju|väl|också|not|also|just|like)(?!\w))([^\W\d_]{2,})",
    re.IGNORECASE)


def _names(text: str) -> Iterator[Flag]:
    for match in _NAME_INTRO_RE.finditer(text):
        yield Flag(PERSONAL_DATA, "name", match.group(1)[0] + ELLIPSIS, *match.span())


# --- word lists: profanity and safeguarding phrases --------------------------------------

# A token is a run of letters/digits, possibly joined by leet symbols, apostrophes
# ("don't") or invisible characters someone slipped in to dodge the filter.
_JOINERS = "@$'’\u200b\u200c\u200d\u2060\u00ad"
_TOKEN_RE = re.compile(rf"[^\W_]+(?:[{_JOINERS}]+[^\W_]+)*")
# What may stand between the words of a phrase: "self harm", "self-harm", "vill   dö".
_PHRASE_GAP_RE = re.compile(r"[\s\-_*~]+")
_STRIP_FROM_TOKEN = str.maketrans("", "", "'’\u200b\u200c\u200d\u2060\u00ad")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t",
                       "@": "a", "$": "s"})

# A token's letters with repeated runs collapsed, and the length of each run.
Shape = tuple[tuple[str, ...], tuple[int, ...]]
Entry = tuple[Shape, ...]


def _fold(text: str) -> str:
    """Casefold one character at a time so that offsets into the result are offsets into
    `text` ("ß" would otherwise become "ss" and shift everything after it)."""
    out = []
    for ch in text:
        folded = ch.casefold()
        if len(folded) != 1:
            folded = ch.lower() if len(ch.lower()) == 1 else ch
        out.append(folded)
    return "".join(out)


def _shape(token: str) -> Shape:
    token = token.translate(_STRIP_FROM_TOKEN)
    if any(ch.isalpha() for ch in token):  # "h0ra" is leet, "2024" is a number
        token = token.translate(_LEET)
    runs = [(ch, len(list(group))) for ch, group in groupby(token)]
    return tuple(ch for ch, _ in runs), tuple(n for _, n in runs)


def _fits(token: Shape, entry: Shape) -> bool:
    """Same letters, each repeated at least as often: "jäävla" fits "jävla", but "as" does
    not fit "ass" and "fita" does not fit "fitta"."""
    return token[0] == entry[0] and all(t >= e for t, e in zip(token[1], entry[1], strict=True))


# Bounded, because the language code comes from the request (sanitised, but still open).
@lru_cache(maxsize=256)
def _load_wordlist(name: str, language: str) -> tuple[Entry, ...]:
    """Entries of `<name>.<language>.txt`, or none if there is no such file. One entry a
    line; "#" starts a comment; an entry may be several words."""
    path = WORDLIST_DIR / f"{name}.{language}.txt"
    if not path.is_file():
        return ()
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        phrase = unicodedata.normalize("NFC", line.split("#", 1)[0].strip())
        shapes = tuple(_shape(m.group()) for m in _TOKEN_RE.finditer(_fold(phrase)))
        if shapes:
            entries.append(shapes)
    return tuple(entries)


@lru_cache(maxsize=64)
def _index(name: str, languages: tuple[str, ...]) -> dict[tuple[str, ...], tuple[Entry, ...]]:
    """Entries of all the languages' lists by their first word, so each token in a text is
    only compared with the phrases that could start there."""
    index: dict[tuple[str, ...], set[Entry]] = defaultdict(set)
    for language in languages:
        for entry in _load_wordlist(name, language):
            index[entry[0][0]].add(entry)
    return {first: tuple(entries) for first, entries in index.items()}


def _wordlist_flags(
    text: str, name: str, category: str, languages: tuple[str, ...]
) -> Iterator[Flag]:
    """Whole-word, whole-phrase matches: never a substring, so "Scunthorpe" and
    "klassrummet" stay clean. Overlapping matches are all yielded; `_dedupe` keeps the
    longest."""
    folded = _fold(text)
    tokens = [(m.start(), m.end(), _shape(m.group())) for m in _TOKEN_RE.finditer(folded)]
    index = _index(name, languages)
    kind = name
    for i, (start, _, shape) in enumerate(tokens):
        for entry in index.get(shape[0], ()):
            end = _phrase_end(folded, tokens, i, entry)
            if end is not None:
                yield Flag(category, kind, text[start:end], start, end)


def _phrase_end(
    folded: str, tokens: list[tuple[int, int, Shape]], i: int, entry: Entry
) -> int | None:
    if i + len(entry) > len(tokens):
        return None
    for k, part in enumerate(entry):
        start, _, shape = tokens[i + k]
        if not _fits(shape, part):
            return None
        if k and not _PHRASE_GAP_RE.fullmatch(folded, tokens[i + k - 1][1], start):
            return None
    return tokens[i + len(entry) - 1][1]


# --- safeguarding patterns ---------------------------------------------------------------

# "<someone> hits me" only with a person as subject: "det slår mig att..." (it strikes me),
# "it beats me" and "it touches me" are ordinary speech. "Hon slår mig i schack" still
# triggers; for safeguarding that false positive is the cheaper mistake.
_SV_SUBJECT = (
    r"(?:(?:min|mitt|mina)\s+)?(?:pappa|pappan|mamma|mamman|styvpappa|styvmamma|farsan|morsan"
    r"|föräldrar|föräldrarna|bror|brorsan|syster|syrran|kille|killen|tjej|pojkvän|flickvän"
    r"|farbror|morbror|farfar|morfar|lärare|läraren|tränaren|han|hon|de|dom)"
)
_SV_VERB = (
    r"(?:slår|slog|slå|slagit|sparkar|sparkade|sparka|misshandlar|misshandlade|misshandla"
    r"|hotar|hotade|hota|hotat|stryper|ströp|strypa|tafsar\s+på|tafsade\s+på|tafsa\s+på"
    r"|rör\s+vid|rörde\s+vid|rör|rörde|tar\s+på|tog\s+på|våldtar|våldtog|våldta|skadar|skadade)"
)
_EN_SUBJECT = (
    r"(?:(?:my|our)\s+)?(?:dad|daddy|father|mum|mom|mother|stepdad|stepfather|stepmum|stepmom"
    r"|stepmother|parents|brother|sister|uncle|boyfriend|girlfriend|teacher|coach|he|she|they)"
)
_EN_VERB = (
    r"(?:hits|hit|hitting|beats|beat|beating|kicks|kicked|kicking|hurts|hurt|hurting|touches"
    r"|touched|touching|threatens|threatened|threatening|chokes|choked|slaps|slapped|abuses"
    r"|abused|rapes|raped|molests|molested)"
)
_SAFEGUARDING_RES = (
    re.compile(
        rf"(?<!\w){_SV_SUBJECT}\s+(?:(?:brukar|har|kan|ska|försöker)\s+)?{_SV_VERB}"
        r"\s+(?:mig|oss)(?!\w)",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?<!\w){_EN_SUBJECT}\s+(?:(?:always|often|sometimes|still|keeps|has|have)\s+)?"
        rf"{_EN_VERB}\s+(?:me|us)(?!\w)",
        re.IGNORECASE,
    ),
    # Honour-related control: "får inte" alone is every school rule, so only with whom.
    re.compile(
        r"(?<!\w)får\s+inte\s+(?:ha|träffa|umgås\s+med|prata\s+med|vara\s+med)\s+"
        r"(?:en\s+)?(?:killar|tjejer|pojkvän|flickvän|kompisar|vänner|svenskar)(?!\w)",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?<!\w)(?:not\s+allowed|can'?t|cannot)\s+(?:to\s+)?(?:have|see|meet|talk\s+to)\s+"
        r"(?:a\s+)?(?:boys|girls|boyfriend|girlfriend|friends)(?!\w)",
        re.IGNORECASE,
    ),
)


def _safeguarding_patterns(text: str) -> Iterator[Flag]:
    for pattern in _SAFEGUARDING_RES:
        for match in pattern.finditer(text):
            yield Flag(SAFEGUARDING, "safeguarding", match.group(), *match.span())
