"""Word-cloud answers: the same word written differently counts once."""
import string
import unicodedata
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

STOPWORDS = Path(__file__).parent / "stopwords"
_STRIP = string.punctuation + "«»“”‘’„…–—¡¿!?"


@lru_cache
def stopwords(language: str) -> frozenset[str]:
    path = STOPWORDS / f"{language[:2]}.txt"
    if not path.exists():
        return frozenset()
    return frozenset(line.strip().casefold() for line in path.read_text(encoding="utf-8")
                     .splitlines() if line.strip() and not line.startswith("#"))


def _stem(word: str, language: str) -> str:
    """A cautious plural/definite fold: only where the stem stays long enough."""
    if language == "sv":
        for suffix in ("orna", "arna", "erna", "or", "ar", "er", "en", "et", "na"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                return word[: -len(suffix)]
    elif language == "en" and len(word) > 3 and not word.endswith("ss"):
        if word.endswith("ies"):
            return word[:-3] + "y"
        if word.endswith("es") and word[-3] in "sxz":
            return word[:-2]
        if word.endswith("s"):
            return word[:-1]
    return word


def normalise_word(text: str, language: str) -> str | None:
    text = unicodedata.normalize("NFC", text).casefold()
    words = [w.strip(_STRIP) for w in text.split()]
    words = [w for w in words if w and any(ch.isalnum() for ch in w)]
    if not words:
        return None
    if len(words) == 1 and words[0] in stopwords(language):
        return None
    if all(w in stopwords(language) for w in words):
        return None
    return " ".join(_stem(w, language) for w in words)


def count_words(answers: list[tuple[str, str]]) -> list[tuple[str, int]]:
    """(label, count) per normalised word, most frequent first; the label is the most
    common way it was written."""
    counts: Counter = Counter()
    forms: dict[str, Counter] = defaultdict(Counter)
    for text, language in answers:
        key = normalise_word(text, language or "sv")
        if key is None:
            continue
        counts[key] += 1
        forms[key][" ".join(w.strip(_STRIP) for w in text.casefold().split())] += 1
    labelled = []
    for key, n in counts.items():
        label = sorted(forms[key].items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0][0]
        labelled.append((label, n))
    return sorted(labelled, key=lambda item: (-item[1], item[0]))
