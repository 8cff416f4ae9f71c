from intents import FactBase
from intents.index import FactIndex
from intents.normalize import Analyzer


def small_base(article: str = "Albania joined NATO. The MEK camp is near Durrës.") -> FactBase:
    facts = [
        ("nato", "Albania joined NATO in 2009.", ["when did albania join nato"] * 4
         + ["albania nato"] * 4),
        ("rama", "Edi Rama is the prime minister.", ["who is rama"] * 8),
        ("camp", "The MEK camp is near Durrës.", ["where is the mek camp"] * 8),
    ]  # fmt: skip
    return FactBase.model_validate(
        {
            "article": {"file": "a", "title": "t", "outlet": "o", "date": "d", "summary": "s"},
            "facts": [
                {"id": i, "topic": "t", "answer": a, "source": "s", "questions": q}
                for i, a, q in facts
            ],
            "article_text": article,
        }
    )


def test_index_weighs_rare_terms_above_common_ones(base):
    index = FactIndex(base, Analyzer(base.synonyms))
    assert index.idf["saffari"] > index.idf["albania"]
    assert min(index.idf.values()) >= 1.0


def test_index_knows_each_fact_kind_of_question_and_names():
    index = FactIndex(small_base(), Analyzer())
    assert index.typical_question_word == ["when", "who", "where"]
    assert {"nato", "mek", "durr"} <= index.names


def test_coverage_and_phrasing_overlap():
    index = FactIndex(small_base(), Analyzer())
    weights = {"albania": 1.0, "nato": 2.0}
    covered = index.coverage(weights)
    assert covered[0] == 3.0 and 1 not in covered
    assert index.best_phrasing(0, weights, 3.0) > 0.9
    assert index.best_phrasing(1, weights, 3.0) == 0.0
