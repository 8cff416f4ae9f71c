import pytest

from intents.noise import is_gibberish, is_insult, other_language


@pytest.mark.parametrize("word", ["asdfgh", "qwrtz", "xkcdvb", "hjklo"])
def test_gibberish_words(word):
    assert is_gibberish(word)


@pytest.mark.parametrize("word", ["putin", "russia", "strengths", "abc", "2009"])
def test_real_words_are_not_gibberish(word):
    assert not is_gibberish(word)


def test_insults():
    assert is_insult("you are a stupid bot".split()) and is_insult("shut up".split())
    assert not is_insult("who is stoltenberg".split())


@pytest.mark.parametrize(
    ("words", "code"),
    [("wer ist edi rama", "de"), ("warum ist iran wuetend auf albanien", "de"),
     ("kush eshte edi rama", "sq"), ("pse iran eshte i zemeruar me shqiperine", "sq"),
     ("who is edi rama", None), ("how did soleimani die in the war", None)],
)  # fmt: skip
def test_other_language(words, code):
    assert other_language(words.split()) == code
