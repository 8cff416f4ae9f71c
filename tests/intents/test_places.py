from intents import Matcher, Outcome
from intents.places import place_names


def test_place_names_hold_countries_capitals_and_continents():
    names = place_names()
    assert {"russia", "france", "moscow", "europe", "texas"} <= names
    assert all(" " not in name and name == name.lower() for name in names)


def test_a_lower_case_place_the_article_never_names_is_declined(base):
    matcher = Matcher(base)
    resolution = matcher.resolve("how many mek members live in france")
    assert resolution.outcome is Outcome.DECLINE and "franc" in resolution.unknown_terms
    assert matcher.resolve("how many mek members did albania accept").outcome is Outcome.ANSWER
