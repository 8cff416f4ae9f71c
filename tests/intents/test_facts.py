from pathlib import Path

import pytest
import yaml

from intents import FactBaseError, load_facts
from tests.conftest import ROOT

ARTICLE = "Albania joined NATO in 2009. Tirana is the capital.\n"


def fact(fact_id: str, source: str = "Albania joined NATO in 2009", **extra) -> dict:
    prefix = extra.pop("prefix", fact_id)
    questions = [f"{prefix} question {n}" for n in range(8)]
    return {"id": fact_id, "topic": "T", "answer": "A.", "source": source,
            "questions": questions, **extra}  # fmt: skip


def write_base(tmp_path: Path, facts: list[dict], **top) -> Path:
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    data = {
        "article": {"file": "article.txt", "title": "T", "outlet": "O", "date": "D",
                    "summary": "S"},
        "facts": facts,
        **top,
    }  # fmt: skip
    path = tmp_path / "facts.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def problems_of(tmp_path: Path, facts: list[dict]) -> list[str]:
    with pytest.raises(FactBaseError) as caught:
        load_facts(write_base(tmp_path, facts))
    return caught.value.problems


def test_load_facts_reads_the_real_fact_base(base):
    assert len(base.facts) >= 40
    assert all(len(f.questions) >= 8 for f in base.facts)
    assert all(q in base.article_text for f in base.facts for q in f.sources)
    assert base.article.outlet.startswith("Deutsche Welle")


def test_article_copy_matches_the_shared_article():
    shared = ROOT.parent / "shared" / "article.txt"
    if not shared.exists():
        pytest.skip("no shared/ beside this checkout")
    assert (ROOT / "article.txt").read_text() == shared.read_text()


def test_load_facts_accepts_a_minimal_base(tmp_path):
    base = load_facts(write_base(tmp_path, [fact("nato"), fact("capital", related=["nato"])]))
    assert [f.id for f in base.facts] == ["nato", "capital"]
    assert base.fact("capital").label == "capital question 0"


def test_load_facts_reports_every_problem_with_its_place(tmp_path):
    facts = [
        fact("nato", related=["missing"]),
        fact("nato", prefix="second"),
        fact("capital", source="Not in the article"),
        {**fact("short"), "questions": ["only one"]},
        {**fact("dup"), "questions": ["nato question 0", *fact("dup")["questions"][1:]]},
        {**fact("empty"), "questions": ["?!", *fact("empty")["questions"][1:]]},
    ]
    problems = problems_of(tmp_path, facts)
    text = "\n".join(problems)
    assert "facts.yaml: facts[0].related: unknown fact id 'missing'" in text
    assert "facts.yaml: facts[1].id: duplicate id 'nato'" in text
    assert "facts.yaml: facts[2].source: not found verbatim in the article" in text
    assert "facts.yaml: facts[3].questions:" in text
    duplicate = "facts[4].questions[0]: 'nato question 0' is already listed under 'nato'"
    assert f"facts.yaml: {duplicate}" in text
    assert "facts.yaml: facts[5].questions[0]: '?!' has no words" in text
    assert len(problems) == 6


def test_load_facts_reports_bad_types_and_unknown_fields(tmp_path):
    facts = [{**fact("ok"), "keys": [1], "colour": "red"}, {**fact("BAD ID")}]
    problems = "\n".join(problems_of(tmp_path, facts))
    assert "facts[0].keys[0]: Input should be a valid string" in problems
    assert "facts[0].colour: Extra inputs are not permitted" in problems
    assert "facts[1].id: String should match pattern" in problems


def test_load_facts_names_the_line_of_a_yaml_error(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text("article:\n  title: [unclosed\nfacts: []\n", encoding="utf-8")
    with pytest.raises(FactBaseError, match=r"facts.yaml: line \d+, column \d+: YAML error"):
        load_facts(path)


def test_load_facts_refuses_a_key_given_twice(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text("synonyms:\n  pm: prime minister\n  pm: rama\nfacts: []\n", encoding="utf-8")
    with pytest.raises(FactBaseError, match=r"line 3, column 3: .*duplicate key 'pm'"):
        load_facts(path)


def test_load_facts_names_a_missing_file(tmp_path):
    with pytest.raises(FactBaseError, match=r"nowhere\.yaml: cannot read"):
        load_facts(tmp_path / "nowhere.yaml")


def test_load_facts_names_a_missing_article(tmp_path):
    path = write_base(tmp_path, [fact("nato")])
    (tmp_path / "article.txt").unlink()
    with pytest.raises(FactBaseError, match=r"facts\.yaml: article\.file: cannot read"):
        load_facts(path)


def test_load_facts_rejects_a_top_level_that_is_not_a_mapping(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(FactBaseError, match="expected a mapping"):
        load_facts(path)


def test_people_cards_need_a_described_person_the_article_s_role_and_real_facts(tmp_path):
    people = [
        {"entity": "rama", "name": "Edi Rama", "role": "the capital", "facts": ["a"]},
        {"entity": "rama", "name": "Edi Rama", "role": "Prime Minister", "facts": ["zz"]},
        {"entity": "nobody", "name": "X", "role": "the capital", "facts": ["a"]},
    ]
    entities = {"rama": {"kind": "person", "described": ["Edi"]}}
    with pytest.raises(FactBaseError) as caught:
        load_facts(write_base(tmp_path, [fact("a")], people=people, entities=entities))
    found = caught.value.problems
    assert not any("people[0]" in p for p in found), found
    assert any("people[1].entity: 'rama' has a card already" in p for p in found)
    assert any("people[1].role: 'Prime Minister' is not in the article" in p for p in found)
    assert any("people[1].facts: unknown fact id 'zz'" in p for p in found)
    assert any("people[2].entity: 'nobody' is no person in entities" in p for p in found)
