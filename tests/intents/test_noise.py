import pytest

from intents.noise import is_gibberish, is_insult


@pytest.mark.parametrize("word", ["asdfgh", "qwrtz", "xkcdvb", "hjklo"])
def test_gibberish_words(word):
    assert is_gibberish(word)


@pytest.mark.parametrize("word", ["putin", "russia", "strengths", "abc", "2009"])
def test_real_words_are_not_gibberish(word):
    assert not is_gibberish(word)


def test_insults():
    assert is_insult("you are a stupid bot".split()) and is_insult("shut up".split())
    assert not is_insult("who is stoltenberg".split())
