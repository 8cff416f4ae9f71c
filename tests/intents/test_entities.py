from intents.entities import EntityResolver
from intents.normalize import Analyzer

ENTITIES = {
    "albania": ("country", ["small Adriatic country", "NATO member state in the Balkans"]),
    "iran": ("country", ["the Islamic Republic"]),
    "soleimani": ("person", ["the Iranian general killed by a US drone"]),
    "barbero": ("person", ["the American general at a conference in Tirana"]),
}


def resolver() -> EntityResolver:
    return EntityResolver(ENTITIES, Analyzer().terms)


def test_a_description_with_a_noun_of_its_kind_means_the_entity():
    found, used = resolver().resolve(Analyzer().terms("the balkan republic"))
    assert found == ["albania"] and used == {"balkan", "republ"}
    assert resolver().resolve(Analyzer().terms("the balkan bank")) == ([], set())


def test_two_distinctive_words_are_enough():
    found, _ = resolver().resolve(Analyzer().terms("the one the drone killed"))
    assert found == ["soleimani"]


def test_a_tie_finds_nobody():
    query = Analyzer().terms("the general man")  # Soleimani or Barbero?
    assert resolver().resolve(query)[0] == []
    alone = EntityResolver({"soleimani": ENTITIES["soleimani"]}, Analyzer().terms)
    assert alone.resolve(query)[0] == ["soleimani"]


def test_a_name_already_given_is_not_added_again_but_explains_its_description():
    found, used = resolver().resolve(Analyzer().terms("albania the adriatic country"))
    assert "albania" not in found and "adriat" in used
