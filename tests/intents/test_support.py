from intents import FactBase
from intents.normalize import Analyzer
from intents.support import support_problems, unsupported


def test_the_fact_base_states_nothing_its_sources_do_not(base: FactBase):
    assert support_problems(base, "facts.yaml") == []


def test_a_name_or_number_beyond_the_source_is_reported(base: FactBase):
    fact = base.fact("nato_2009")
    padded = fact.model_copy(
        update={"answer": "Albania joined NATO in 2009 with Croatia and 12 others, said Putin."}
    )
    assert unsupported(padded, Analyzer(base.synonyms), base.article.date) == ["12", "Putin"]


def test_the_articles_date_may_date_an_answer(base: FactBase):
    fact = base.fact("rama_who")
    assert "January 2020" in fact.answer
    assert unsupported(fact, Analyzer(base.synonyms), base.article.date) == []
    assert unsupported(fact, Analyzer(base.synonyms)) == ["January", "2020"]
