import pytest

from intents import load_facts
from intents.detection import LanguageGuesser, choose, vocabulary
from intents.languages import LANGUAGES
from intents.normalize import normalize
from tests.conftest import FACTS_PATH


@pytest.fixture(scope="module")
def guesser() -> LanguageGuesser:
    base = load_facts(FACTS_PATH)
    return LanguageGuesser(
        {c: vocabulary(base.in_language(c), lang) for c, lang in LANGUAGES.items()},
        {c: lang.fold for c, lang in LANGUAGES.items()},
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [("wer ist edi rama", "de"), ("warum ist iran wuetend auf albanien", "de"),
     ("wann trat albanien der nato bei", "de"), ("kush eshte edi rama", "sq"),
     ("pse eshte irani i zemeruar me shqiperine", "sq"), ("kur u anetaresua shqiperia", "sq"),
     ("who is edi rama", "en"), ("how did soleimani die", "en")],
)  # fmt: skip
def test_a_message_says_its_language(guesser, text, code):
    assert guesser.guess(normalize(text).split()) == code


@pytest.mark.parametrize("text", ["rama nato", "mek", "soleimani 2020"])
def test_names_alone_decide_nothing(guesser, text):
    assert guesser.guess(normalize(text).split()) is None


def test_the_message_then_the_conversation_then_the_hint_then_the_leaning_then_english():
    known = ("en", "de", "sq")
    assert choose("sq", "de", "de", None, known) == "sq"
    assert choose(None, "de", "sq", None, known) == "de"
    assert choose(None, None, "sq", "de", known) == "sq"
    assert choose(None, None, "fr", "de", known) == "de"
    assert choose(None, None, "fr", None, known) == "en"
    assert choose(None, None, None, "de", ("en",)) == "en"
