import pytest

from intents import FactBaseError, load_facts
from intents.translations import translation_problems
from tests.conftest import FACTS_PATH


def test_the_fact_base_is_translated_whole_and_faithfully(base):
    assert translation_problems(base, "facts.yaml") == []


def test_a_missing_translation_and_one_that_says_more_are_reported(base):
    rama = base.fact("rama_who")
    german = rama.translations["de"]
    added = german.model_copy(update={"answer": german.answer + " Er war 2015 in Frankreich."})
    changed = rama.model_copy(update={"translations": {"de": added}})  # and no Albanian
    facts = [changed if f.id == "rama_who" else f for f in base.facts]
    problems = translation_problems(base.model_copy(update={"facts": facts}), "facts.yaml")
    where = f"facts[{base.facts.index(rama)}] (rama_who)"
    assert f"facts.yaml: {where}: no Shqip (sq) translation" in problems
    assert any(where in p and "names differ" in p and "adds franc" in p for p in problems)
    assert any(where in p and "figures differ" in p and "2015" in p for p in problems)
    assert len(problems) == 3


def test_a_phrasing_listed_twice_in_one_language_is_refused(tmp_path):
    text = FACTS_PATH.read_text(encoding="utf-8")
    first = "Wann ist Albanien der NATO beigetreten?"
    assert first in text
    broken = text.replace("- Wer ist Edi Rama?", f"- {first.lower()}", 1)
    assert broken != text
    path = tmp_path / "facts.yaml"
    path.write_text(broken, encoding="utf-8")
    (tmp_path / "article.txt").write_text(
        (FACTS_PATH.parent / "article.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(FactBaseError) as caught:
        load_facts(path)
    (problem,) = caught.value.problems
    assert (
        ".translations.de.questions[" in problem and "already listed under 'nato_2009'" in problem
    )


def test_a_timeline_label_date_or_role_missing_in_a_language_is_reported(base):
    nato = base.fact("nato_2009")
    german = nato.translations["de"].model_copy(update={"event": None})
    june = base.fact("stoltenberg_who")
    moved = june.model_copy(update={"date": "late June 2019"})  # no German form for it yet
    facts = [
        {"nato_2009": nato.model_copy(update={"translations": {**nato.translations, "de": german}}),
         "stoltenberg_who": moved}.get(f.id, f)
        for f in base.facts
    ]  # fmt: skip
    rama = base.people[2].model_copy(update={"translations": {}})
    people = [rama if p.entity == "rama" else p for p in base.people]
    changed = base.model_copy(update={"facts": facts, "people": people})
    problems = translation_problems(changed, "facts.yaml")
    assert any("(nato_2009).translations.de.event: no label" in p for p in problems)
    assert "facts.yaml: languages.de.dates: no form for the date 'late June 2019'" in problems
    assert "facts.yaml: people[2] (rama): no Deutsch (de) role" in problems
    assert "facts.yaml: people[2] (rama): no Shqip (sq) role" in problems
    assert len(problems) == 5  # the Albanian date too
