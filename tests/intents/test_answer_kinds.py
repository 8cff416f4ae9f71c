import pytest

from intents.answer_kinds import asked_kinds, asks_beyond, counted


@pytest.mark.parametrize(
    ("question", "kind"),
    [("what were the names of the diplomats", "name"), ("how far is the camp", "number"),
     ("how many diplomats were expelled", "number"), ("when did albania join nato", "date"),
     ("where do the mek live", "place"), ("why did albania expel them", "reason"),
     ("is the mek good or bad", "opinion"), ("will the mek stay in albania", "future"),
     ("what did rama say", "quote"), ("who is saffari", "person"),
     ("what jobs did the diplomats have", "role"), ("on what exact date was he killed", "day"),
     ("how big is the camp", "size"), ("how old is rama", "age"),
     ("what month in 2013 did they arrive", "month"), ("how much did the us pay", "money")],
)  # fmt: skip
def test_asked_kinds_reads_what_a_question_wants(question, kind):
    assert kind in asked_kinds(question.split())


def test_a_question_that_does_not_say_asks_no_kind():
    assert asked_kinds("mek camp".split()) == frozenset()


def test_a_date_to_the_day_is_not_any_date():
    assert asked_kinds("what day was soleimani killed".split()) == {"day"}


def test_counted_is_what_how_many_counts():
    assert counted("how many people live in albania".split()) == ["people", "live", "in"]
    assert counted("when did albania join nato".split()) == []


def test_next_is_the_future_only_when_it_asks_what_comes():
    assert "future" in asked_kinds("what happens next for the mek".split())
    assert "future" not in asked_kinds("who stands next to rama".split())


def test_asks_beyond_spots_a_later_state_or_a_finer_detail():
    assert asks_beyond("is rama still prime minister".split())
    assert not asks_beyond("who is rama".split())


def test_should_asks_an_opinion_only_when_it_opens_the_question():
    assert "opinion" in asked_kinds("should albania have taken them in".split())
    assert "opinion" not in asked_kinds("why should albania be vigilant".split())


def test_talking_to_someone_asks_whom_not_what_was_said():
    assert "quote" not in asked_kinds("which outlet did saffari talk to".split())
    assert "quote" in asked_kinds("what did saffari talk about".split())
