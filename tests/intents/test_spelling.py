import pytest

from intents.spelling import Speller

VOCABULARY = ["albania", "join", "nato", "khamenei", "stoltenberg", "carry", "think", "tirana",
              "place", "rama", "ousted", "danger"]  # fmt: skip


@pytest.fixture(scope="module")
def speller() -> Speller:
    return Speller(VOCABULARY)


@pytest.mark.parametrize(
    ("typo", "word"),
    [("albnia", "albania"), ("jion", "join"), ("naot", "nato"), ("khameni", "khamenei"),
     ("stoltenburg", "stoltenberg"), ("tiranna", "tirana"), ("ramma", "rama"), ("plcae", "place"),
     ("lbania", "albania"), ("adnger", "danger"), ("iusted", "ousted")],
)  # fmt: skip
def test_correct_finds_the_word_meant(speller, typo, word):
    assert speller.correct(typo) == word


@pytest.mark.parametrize(
    "word", ["marry", "plane", "thank", "russia", "nuclear", "abc", "2009", "x-ray", "busted"]
)
def test_correct_leaves_other_words_alone(speller, word):
    assert speller.correct(word) is None
