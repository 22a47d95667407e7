"""Word-cloud normalisation: the same word written differently counts once, different words
never do."""
import pytest

from app.results.words import count_word_groups, count_words, normalise_word, stopwords


@pytest.mark.parametrize("text", ["Läxhjälp", " läxhjälp ", "LÄXHJÄLP!", "läxhjälp…", "«Läxhjälp»"])
def test_swedish_spellings_of_one_word(text):
    assert normalise_word(text, "sv") == "läxhjälp"


def test_nfc_and_nfd_are_one_word():
    decomposed = "la\u0308xhja\u0308lp"  # ä written as a + combining diaeresis
    assert normalise_word(decomposed, "sv") == normalise_word("läxhjälp", "sv")


def test_whitespace_inside_is_collapsed():
    assert normalise_word("  trygga \t  vuxna \n", "sv") == "trygga vuxna"


@pytest.mark.parametrize("text", ["rast", "raster", "Rasterna", "rasten"])
def test_swedish_plural_and_definite_fold(text):
    assert normalise_word(text, "sv") == "rast"


@pytest.mark.parametrize("text", ["läxa", "läxan", "läxor", "läxorna"])
def test_swedish_nouns_in_a_fold_to_the_a_form(text):
    assert normalise_word(text, "sv") == "läxa"


@pytest.mark.parametrize(("forms", "key"), [
    (["kompis", "kompisar", "kompisen", "kompisarna"], "kompis"),
    (["lärare", "läraren", "lärarna"], "lärar"),
    (["kille", "killen", "killar", "killarna"], "kill"),
    (["mobil", "mobilen", "mobiler", "mobilerna"], "mobil"),
    (["samhälle", "samhället"], "samhäll"),
    (["trygghet", "tryggheten"], "trygghet"),
    (["aktivitet", "aktiviteter"], "aktivitet"),
    (["kvinna", "kvinnor"], "kvinna"),
    (["dator", "datorer", "datorerna"], "dator"),
])
def test_swedish_word_families(forms, key):
    assert {normalise_word(form, "sv") for form in forms} == {key}


@pytest.mark.parametrize("word", ["mat", "dag", "barn", "bra", "doktor", "humor", "vuxna",
                                  "station", "respekt", "trygga"])
def test_swedish_short_or_unsuffixed_words_are_left_alone(word):
    assert normalise_word(word, "sv") == word


def test_swedish_different_words_stay_apart():
    assert normalise_word("barn", "sv") != normalise_word("bar", "sv")
    assert normalise_word("dator", "sv") != normalise_word("data", "sv")
    assert normalise_word("humor", "sv") != normalise_word("human", "sv")


@pytest.mark.parametrize("word", ["och", "att", "jag", "Och", "ATT!", "det"])
def test_swedish_stop_words_are_dropped(word):
    assert normalise_word(word, "sv") is None


def test_meaningful_short_words_are_not_stop_words():
    for word in ["bra", "mer", "nej", "ja", "inget"]:
        assert normalise_word(word, "sv") == word
    for word in ["yes", "no", "more"]:
        assert normalise_word(word, "en") == word


@pytest.mark.parametrize(("forms", "key"), [
    (["teacher", "teachers", "Teachers!", "teacher's"], "teacher"),
    (["class", "classes"], "class"),
    (["box", "boxes"], "box"),
    (["lunch", "lunches"], "lunch"),
    (["house", "houses"], "house"),
    (["party", "parties"], "parti"),
    (["movie", "movies"], "movi"),
    (["day", "days"], "day"),
])
def test_english_plurals(forms, key):
    assert {normalise_word(form, "en") for form in forms} == {key}


@pytest.mark.parametrize("word", ["class", "glass", "kindness", "focus", "tennis", "bus", "gas"])
def test_english_words_ending_in_s_survive(word):
    assert normalise_word(word, "en") == word


@pytest.mark.parametrize("word", ["the", "and", "it's", "The.", "I"])
def test_english_stop_words_are_dropped(word):
    assert normalise_word(word, "en") is None


def test_arabic_diacritics_tatweel_and_hamza_are_spelling():
    plain = normalise_word("امان", "ar")
    assert plain == "امان"
    assert normalise_word("أَمان", "ar") == plain
    assert normalise_word("أمـــان", "ar") == plain


def test_arabic_stop_words_match_with_or_without_hamza():
    assert normalise_word("في", "ar") is None
    assert normalise_word("إلى", "ar") is None
    assert normalise_word("الى", "ar") is None


def test_arabic_is_not_stemmed():
    assert normalise_word("المدرسة", "ar") == "المدرسة"
    assert normalise_word("المدرسة", "ar") != normalise_word("مدرسة", "ar")


def test_other_languages_are_only_cleaned():
    assert normalise_word(" Schools! ", "de") == "schools"
    assert normalise_word("Läxor", "") == "läxor"
    assert normalise_word("Läxor", None) == "läxor"


def test_language_with_region():
    assert normalise_word("Rasterna", "sv-SE") == "rast"
    assert normalise_word("Teachers", "en_GB") == "teacher"


def test_unknown_language_has_no_stop_words():
    assert stopwords("xx") == frozenset()
    assert stopwords("../sv") == frozenset()  # never a path outside the word lists


@pytest.mark.parametrize("text", ["", "   ", "!!!", "…", "😀", "❤️❤️", "👍🏽", "🏳️‍🌈", "- -"])
def test_nothing_to_count(text):
    assert normalise_word(text, "sv") is None


def test_emoji_around_a_word_are_removed():
    assert normalise_word("😀 läxhjälp 👍🏽", "sv") == "läxhjälp"
    assert normalise_word("❤️rasterna❤️", "sv") == "rast"


def test_phrases_stay_phrases():
    assert normalise_word("Trygga vuxna!", "sv") == "trygga vuxna"
    assert normalise_word("fler raster", "sv") == "fler rast"
    assert normalise_word("more teachers", "en") == "more teacher"


def test_stop_words_are_kept_inside_a_phrase():
    # "inte mobiler" must not become "mobiler", the opposite of what was said.
    assert normalise_word("inte mobiler", "sv") == "inte mobil"
    assert normalise_word("not homework", "en") == "not homework"


def test_phrase_of_only_stop_words():
    assert normalise_word("och att", "sv") is None
    assert normalise_word("it is the", "en") is None


def test_count_words_groups_spellings_and_drops_stop_words():
    answers = [
        ("Läxhjälp", "sv"), (" läxhjälp ", "sv"), ("LÄXHJÄLP!", "sv"),
        ("raster", "sv"), ("Rasterna", "sv"), ("rast", "sv"),
        ("och", "sv"), ("😀", "sv"), ("", "sv"),
        ("trygga vuxna", "sv"),
    ]
    assert count_words(answers) == [("läxhjälp", 3), ("rast", 3), ("trygga vuxna", 1)]


def test_count_words_label_is_the_most_common_surface_form():
    answers = [("Rasterna", "sv"), ("rasterna", "sv"), ("raster", "sv")]
    assert count_words(answers) == [("rasterna", 3)]


def test_count_words_label_tie_goes_to_the_shortest():
    answers = [("Teachers", "en"), ("teacher", "en")]
    assert count_words(answers) == [("teacher", 2)]


def test_count_words_label_keeps_the_spelling_that_was_written():
    answers = [("Teacher's", "en"), ("teacher's", "en"), ("teacher", "en")]
    assert count_words(answers) == [("teacher's", 3)]


def test_count_words_sorted_by_count_then_label():
    answers = [("b", "xx"), ("a", "xx"), ("c", "xx"), ("c", "xx")]
    assert count_words(answers) == [("c", 2), ("a", 1), ("b", 1)]


def test_count_words_keeps_languages_apart_where_they_differ():
    # "man" is a Swedish stop word ("one"), but a real answer in English.
    answers = [("man", "sv"), ("man", "en"), ("men", "en")]
    assert count_words(answers) == [("man", 1), ("men", 1)]


def test_count_words_of_nothing():
    assert count_words([]) == []
    assert count_words([("och", "sv"), ("   ", "en")]) == []


def test_counting_groups_of_spellings_equals_counting_every_answer():
    """The results page lets the database count identical spellings; the cloud must be the
    same as counting each young person's word one by one."""
    answers = [("Roligt!", "sv"), ("roligt", "sv"), ("ROLIGT", "sv"), ("Tråkigt", "sv"),
               ("tråkigt", "sv"), ("och", "sv"), ("مرح", "ar"), ("مرح", "ar"), ("fun", "en")]
    groups: dict[tuple[str, str], int] = {}
    for answer in answers:
        groups[answer] = groups.get(answer, 0) + 1
    assert count_word_groups((t, lang, n) for (t, lang), n in groups.items()) == \
        count_words(answers)
    assert count_words(answers)[0] == ("roligt", 3)
