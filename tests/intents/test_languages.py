import pytest

from intents.languages import ALBANIAN, ENGLISH, GERMAN, language
from intents.languages.albanian import stem as albanian_stem
from intents.matcher import Matcher
from intents.normalize import Analyzer, normalize


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("ueber", "über"), ("groesse", "Größe"), ("fuer", "für"), ("MÄRZ", "maerz")],
)
def test_german_umlauts_and_sharp_s_in_any_spelling_are_one_word(typed, meant):
    assert GERMAN.expand(normalize(typed).split()) == GERMAN.expand(normalize(meant).split())


@pytest.mark.parametrize(
    "forms",
    [("Shqipëria", "Shqipërisë", "Shqipërinë", "shqiperi"), ("Tirana", "Tiranës", "Tiranë"),
     ("diplomatët", "diplomatëve", "diplomatin"), ("kërcënim", "kërcënimesh"),
     ("Khamenei", "Khameneit")],
)  # fmt: skip
def test_albanian_case_and_definite_endings_meet(forms):
    assert len({albanian_stem(normalize(f)) for f in forms}) == 1


def test_names_keep_their_english_term_in_every_case(base):
    albanian = Matcher(base, language=ALBANIAN)
    german = Matcher(base, language=GERMAN)
    for text in ("Durrës", "Durrësi", "Durrësit", "durres"):
        assert albanian.terms(text) == Matcher(base).terms("Durrës")
    assert albanian.terms("Shqipërisë") == german.terms("Albaniens") == ["albania"]


def test_albanian_endings_leave_a_stem_of_four_letters():
    assert albanian_stem("kampi") == "kamp" and albanian_stem("nato") == "nato"


@pytest.mark.parametrize(
    ("lang", "text", "words"),
    [(GERMAN, "wer ist er", ["who", "is", "he"]),
     (GERMAN, "wie viele diplomaten", ["how", "many", "diplomaten"]),
     (GERMAN, "erzähl mir mehr", ["tell", "me", "more"]),
     (GERMAN, "und was ist mit saffari", ["what", "about", "saffari"]),
     (GERMAN, "wer ist das überhaupt", ["who", "is", "that", "uberhaupt"]),
     (GERMAN, "ist das lager sicher", ["is", "das", "lager", "sicher"]),
     (ALBANIAN, "kush eshte ai", ["who", "is", "he"]),
     (ALBANIAN, "sa diplomate", ["how", "many", "diplomate"]),
     (ALBANIAN, "po saffari", ["and", "saffari"]),
     (ALBANIAN, "me shume", ["more"])],
)  # fmt: skip
def test_function_words_read_as_the_english_cues(lang, text, words):
    assert lang.expand(normalize(text).split()) == words


def test_english_keeps_its_own_shorthand():
    assert ENGLISH.expand("wat r u".split()) == ["what", "are", "you"]


def test_cue_words_are_stemmed_as_english_whatever_the_language():
    analyzer = Analyzer(language=GERMAN)
    assert analyzer.terms("nennt") == analyzer.terms("bezeichnete")  # calls / called


@pytest.mark.parametrize(
    ("code", "expected"), [("de", "de"), ("de-AT", "de"), ("sq_AL", "sq"), ("fr", None), ("", None)]
)
def test_language_of_a_platform_locale(code, expected):
    found = language(code)
    assert (found.code if found else None) == expected
