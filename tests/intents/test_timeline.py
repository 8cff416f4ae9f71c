import pytest

from intents import FactBaseError, load_facts
from intents.timeline import date_key, events
from tests.intents.test_facts import fact, problems_of, write_base


def test_dates_sort_by_year_month_and_part():
    dates = ["early January 2020", "2009", "June 2019", "late January 2020", "January 2020"]
    assert sorted(dates, key=date_key) == [
        "2009", "June 2019", "early January 2020", "January 2020", "late January 2020"
    ]  # fmt: skip


@pytest.mark.parametrize("date", ["3 January 2020", "Jan 2020", "2020-01-03", "soon", "20"])
def test_a_date_in_no_form_the_article_uses_is_not_read(date):
    assert date_key(date) is None


def test_the_real_timeline_runs_in_order_with_the_article_s_sequence(base):
    timeline = events(base.facts, base.article_text, {})
    assert [e.fact_id for e in timeline][:4] == [
        "nato_2009", "humanitarian_contract_2013", "stoltenberg_who", "terror_cell_2019"
    ]  # fmt: skip
    january = [e.fact_id for e in timeline if e.date == "early January 2020"]
    assert january.index("soleimani_killing") < january.index("khamenei_quote")
    assert january.index("albania_welcomed_killing") < january.index("diplomats_expelled")
    assert all(e.date in base.article_text for e in timeline), "only dates the article gives"


def test_same_date_events_follow_after_then_the_article(tmp_path):
    article = "First in 2009. Then in 2009 more. Last in 2009 too.\n"
    facts = [
        fact("last", "Last in 2009 too", date="2009", event="L"),
        fact("then", "Then in 2009 more", date="2009", event="T", after="last"),
        fact("first", "First in 2009", date="2009", event="F"),
    ]
    path = write_base(tmp_path, facts)
    (tmp_path / "article.txt").write_text(article, encoding="utf-8")
    base = load_facts(path)
    timeline = events(base.facts, base.article_text, {"2009": "im Jahr 2009"})
    assert [e.label for e in timeline] == ["F", "L", "T"]
    assert {e.date for e in timeline} == {"im Jahr 2009"}


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ({"date": "3 March 2009", "event": "E"}, "is not a date like"),
        ({"date": "March 2009", "event": "E"}, "is not in the article"),
        ({"date": "2009"}, "needs a short event label"),
        ({"event": "E"}, "needs a date"),
        ({"date": "2009", "event": "E", "after": "nowhere"}, "is not a dated fact"),
        ({"date": "2009", "event": "E", "after": "b"}, "leads back to"),
    ],
)
def test_dates_that_are_not_the_article_s_are_refused(tmp_path, extra, problem):
    facts = [fact("a", **extra), fact("b", date="2009", event="B", after="a")]
    found = problems_of(tmp_path, facts)
    assert any(problem in p and "facts[0]" in p for p in found), found


def test_after_an_event_dated_later_is_refused(tmp_path):
    facts = [fact("a", date="2009", event="A", after="b"), fact("b", date="March 2009", event="B")]
    path = write_base(tmp_path, facts)
    (tmp_path / "article.txt").write_text("Albania joined NATO in 2009, in March 2009.\n")
    with pytest.raises(FactBaseError) as caught:
        load_facts(path)
    assert any("is dated later (March 2009)" in p for p in caught.value.problems)
