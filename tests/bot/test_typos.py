import random

from bot.typos import MIN_LENGTH, add_typos, slip


def test_slip_changes_a_word_by_one_edit():
    rng = random.Random(1)
    for _ in range(200):
        typo = slip("diplomats", rng)
        assert typo != "diplomats"
        assert abs(len(typo) - len("diplomats")) <= 1


def test_add_typos_is_seeded_and_spares_short_words():
    text = "who is the mek legal advisor in albania"
    assert add_typos(text, random.Random(7)) == add_typos(text, random.Random(7))
    changed = [add_typos(text, random.Random(seed)).split() for seed in range(50)]
    for words in changed:
        for original, typed in zip(text.split(), words, strict=True):
            if len(original) < MIN_LENGTH:
                assert typed == original
    assert any(words != text.split() for words in changed)
