import pytest

from intents.shorthand import expand


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("wat r the mek", "what are the mek"),
     ("y did they expel em tho", "why did they expel them"),
     ("lol who dat saffari guy bruh", "who that saffari guy"), ("wen n where", "when and where"),
     ("how did albania react 2 it", "how did albania react to it"),
     ("2 diplomats", "two diplomats"), ("tryna find em a place", "trying to find them a place")],
)  # fmt: skip
def test_expand_spells_out_shorthand_and_drops_filler(typed, meant):
    assert " ".join(expand(typed.split())) == meant


def test_expand_keeps_ordinary_words():
    words = "who is the mek legal advisor".split()
    assert expand(words) == words
