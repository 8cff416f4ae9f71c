import pytest

from bot import wording
from bot.locales import lines
from intents import load_facts
from intents.languages import GERMAN
from intents.matcher import Matcher
from tests.conftest import FACTS_PATH

ENGLISH = lines("en")


@pytest.fixture(scope="module")
def german() -> Matcher:
    return Matcher(load_facts(FACTS_PATH), language=GERMAN)


def english_terms(text: str) -> list[str]:
    from intents.normalize import Analyzer

    return Analyzer().terms(text)


@pytest.mark.parametrize(
    ("text", "unknown", "lead"),
    [("what do albanians think of russia", ("russia",), "it never mentions Russia."),
     ("When did Croatia join the EU?", ("eu",), "it never mentions EU."),
     ("does iran have nuclear weapons", ("nuclear", "weapon"), "The article doesn't say."),
     ("how quickly did it happen", ("quick",), "The article doesn't say."),
     ("what's the more common name of the mek", ("common",), "The article doesn't say."),
     ("what does merkel think", ("merkel",), "it never mentions Merkel.")],
)  # fmt: skip
def test_decline_lead_names_what_the_article_never_mentions(text, unknown, lead):
    assert wording.decline_lead(text, unknown, ENGLISH, english_terms).endswith(lead)


def test_a_capitalised_german_noun_is_no_name_but_a_place_is(german):
    said = lines("de")
    noun = wording.decline_lead("Was kostet der Schutz?", ("kost",), said, german.terms, True)
    assert noun == said("doesnt_say")
    place = wording.decline_lead("Was denkt Russland?", ("russia",), said, german.terms, True)
    assert place == said("never_mentions", names="Russland")
    stemmed = wording.decline_lead("Und Frankreich?", ("franc",), said, german.terms, True)
    assert stemmed == said("never_mentions", names="Frankreich")


def test_partial_says_the_most_telling_missing_kind_first():
    answer = "It is near Durres."
    text = wording.partial(frozenset({"place", "size"}), answer, "January 2020", ENGLISH)
    assert text == "The article gives no figure for that. What it does say: It is near Durres."
    future = wording.partial(frozenset({"future"}), "A.", "January 2020", ENGLISH)
    assert "as of January 2020" in future
