import pytest

from bot import wording


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
    assert wording.decline_lead(text, unknown).endswith(lead)


def test_partial_says_the_most_telling_missing_kind_first():
    text = wording.partial(frozenset({"place", "size"}), "It is near Durres.", "January 2020")
    assert text == "The article gives no figure for that. What it does say: It is near Durres."
    future = wording.partial(frozenset({"future"}), "A.", "January 2020")
    assert "as of January 2020" in future
