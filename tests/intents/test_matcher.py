import pytest

from intents import FactBase, Matcher, Outcome, Thresholds
from intents.followup import Context
from intents.matcher import COVERAGE_WEIGHT, FUZZY_CANDIDATES, PHRASING_WEIGHT


@pytest.fixture(scope="module")
def matcher(base: FactBase) -> Matcher:
    return Matcher(base)


@pytest.mark.parametrize(
    ("text", "fact_id"),
    [
        ("When did Albania join NATO?", "nato_2009"),
        ("who is rama", "rama_who"),  # not rama_risk, though WRatio likes both
        ("mek camp", "mek_camp"),
        ("quds force", "quds_force"),
        ("How far is the camp from Tirana?", "camp_distance"),
        ("why were the iranian diplomats kicked out", "diplomats_expelled"),
        ("What is the capital of Albania?", "tirana_capital"),
        ("what is this article about", "article_about"),  # "article" is in many answers
    ],
)
def test_match_answers_plain_questions(matcher, text, fact_id):
    resolution = matcher.resolve(text)
    assert resolution.outcome is Outcome.ANSWER
    assert resolution.top.fact_id == fact_id


@pytest.mark.parametrize(
    ("text", "fact_id"),
    [
        ("wen did albnia jion nato", "nato_2009"),
        ("who is behzad safari", "saffari_who"),
        ("whos stoltenburg", "stoltenberg_who"),
        ("how was soleimany kiled", "soleimani_killing"),
        ("WHERE IS DURRËS", "durres"),
    ],
)
def test_match_tolerates_typos_case_and_accents(matcher, text, fact_id):
    assert matcher.resolve(text).top.fact_id == fact_id


@pytest.mark.parametrize(
    "text",
    [
        "What do Albanians think of Russia?",
        "Who is Albania's foreign minister?",
        "Does Iran have nuclear weapons?",
        "what is the capital of france",
        "when did croatia join the eu",
    ],
)
def test_resolve_declines_what_the_article_does_not_say(matcher, text):
    assert matcher.resolve(text).outcome is Outcome.DECLINE


def test_resolve_names_words_the_article_never_uses(matcher):
    assert "russia" in matcher.resolve("What do Albanians think of Russia?").unknown_terms


def test_resolve_does_not_answer_a_different_kind_of_question(matcher):
    # "when" is known, "where" is not: same words, other question
    assert matcher.resolve("when was soleimani killed").top.fact_id == "soleimani_killing"
    assert matcher.resolve("where was soleimani killed").outcome is not Outcome.ANSWER


@pytest.mark.parametrize("text", ["", "   ", "?!?", "\U0001f642\U0001f525", "\x00\x07", "the of a"])
def test_text_without_content_never_matches(matcher, text):
    assert matcher.match(text) == []
    resolution = matcher.resolve(text)
    assert resolution.outcome is Outcome.DECLINE
    assert resolution.matches == ()


def test_match_scores_are_ranked_and_bounded(matcher):
    matches = matcher.match("mek members in albania", limit=5)
    assert 1 < len(matches) <= 5
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 100 for s in scores)


def small_base(*facts: tuple[str, list[str]]) -> FactBase:
    return FactBase.model_validate(
        {
            "article": {"file": "a", "title": "t", "outlet": "o", "date": "d", "summary": "s"},
            "facts": [
                {"id": i, "topic": "t", "answer": "a", "source": "s", "questions": q * 8}
                for i, q in facts
            ],
        }
    )


def test_resolve_asks_did_you_mean_when_two_facts_are_equally_close():
    base = small_base(
        ("camp_size", ["camp size"]),
        ("camp_area", ["camp area"]),
        ("nato", ["when did albania join nato"]),
    )
    resolution = Matcher(base).resolve("camp")
    assert resolution.outcome is Outcome.CLARIFY
    assert {m.fact_id for m in resolution.matches} == {"camp_size", "camp_area"}


def test_thresholds_decide_the_outcome():
    base = small_base(("nato", ["when did albania join nato"]), ("camp", ["where is the camp"]))
    question = "albania nato membership"
    strict = Matcher(base, Thresholds(answer=100, suggest=99, margin=0)).resolve(question)
    lenient = Matcher(base, Thresholds(answer=10, suggest=5, margin=0)).resolve(question)
    assert strict.outcome is Outcome.DECLINE
    assert lenient.outcome is Outcome.ANSWER


def test_thresholds_must_be_ordered():
    with pytest.raises(ValueError, match="suggest <= answer"):
        Thresholds(answer=30, suggest=50)


@pytest.mark.parametrize(
    ("text", "talk_id"),
    [("hi", "greeting"), ("Hello!!", "greeting"), ("thanks", "thanks"), ("thank you", "thanks"),
     ("who made you?", "creator"), ("what can you do", "capabilities")],
)  # fmt: skip
def test_smalltalk_recognises_whole_messages(matcher, text, talk_id):
    assert matcher.smalltalk(text) == talk_id


@pytest.mark.parametrize("text", ["thanks, who is Rama?", "hi when did albania join nato", ""])
def test_smalltalk_leaves_questions_alone(matcher, text):
    assert matcher.smalltalk(text) is None


@pytest.mark.parametrize(
    ("text", "fact_id"),
    [("wat r the mek", "mek_what"), ("y did they expel em tho", "diplomats_expelled"),
     ("who tf is behzad saffari lol", "saffari_who"), ("wen did albania join nato??", "nato_2009")],
)  # fmt: skip
def test_shorthand_and_filler_do_not_count_against_a_question(matcher, text, fact_id):
    resolution = matcher.resolve(text)
    assert resolution.outcome is Outcome.ANSWER and resolution.top.fact_id == fact_id


def test_a_typo_of_a_word_the_synonyms_map_is_corrected(matcher):
    # "iranain" is a slip of "iranian", which only the synonyms know (-> iran)
    resolution = matcher.resolve("how many iranain diplomats were expelled")
    assert resolution.top.fact_id == "diplomats_expelled" and not resolution.unknown_terms


@pytest.mark.parametrize(
    ("text", "fact_id"),
    [("In which year did the Balkan republic join NATO?", "nato_2009"),
     ("who is iran's supreme cleric", "khamenei_who")],
)  # fmt: skip
def test_descriptions_find_the_entity_they_describe(matcher, text, fact_id):
    resolution = matcher.resolve(text)
    assert resolution.top.fact_id == fact_id and not resolution.unknown_terms


def test_a_detail_the_fact_does_not_give_is_a_partial_outcome(matcher):
    resolution = matcher.resolve("what were the names of the expelled iranian diplomats")
    assert resolution.outcome is Outcome.PARTIAL
    assert resolution.top.fact_id == "diplomats_expelled" and "name" in resolution.asked


def test_the_future_asked_of_a_fact_about_the_present_is_partial(matcher):
    resolution = matcher.resolve("who will replace stoltenberg")
    assert resolution.outcome is Outcome.PARTIAL and "future" in resolution.asked
    assert matcher.resolve("will nato help albania").outcome is Outcome.ANSWER  # it says so


def after(resolution, fact_id: str) -> Context:
    return Context(resolution.terms, resolution.names, (fact_id,))


def test_a_follow_up_reads_the_question_before(matcher):
    first = matcher.resolve("who is michael barbero")
    follow_up = matcher.resolve("what did he say", after(first, "barbero_who"))
    assert follow_up.outcome is Outcome.ANSWER and follow_up.top.fact_id == "barbero_warning"
    assert matcher.resolve("what did he say").outcome is not Outcome.ANSWER


def test_context_never_turns_a_clear_question_into_another(matcher):
    first = matcher.resolve("who is michael barbero")
    clear = matcher.resolve("when did albania join nato", after(first, "barbero_who"))
    assert clear.top.fact_id == "nato_2009"


def test_tell_me_more_is_its_own_outcome(matcher):
    first = matcher.resolve("who is michael barbero")
    assert matcher.resolve("tell me more", after(first, "barbero_who")).outcome is Outcome.MORE


def test_pruned_phrasing_scores_keep_the_shortlist_scoring_every_fact_gives(matcher, base):
    """`_lexical` skips facts that cannot reach the shortlist; it must be the same one."""
    index, skipped = matcher._index, 0
    for text in (q for fact in base.facts for q in fact.questions):
        weights = matcher._query(text).weights
        total = sum(weights.values())
        if total <= 0:
            continue
        covered = index.coverage(weights)
        _, pruned = matcher._lexical(covered, weights, total)
        full = {
            i: COVERAGE_WEIGHT * covered[i] / total
            + PHRASING_WEIGHT * index.best_phrasing(i, weights, total)
            for i in covered
        }
        shortlists = [sorted(s, key=s.__getitem__, reverse=True) for s in (pruned, full)]
        assert shortlists[0][:FUZZY_CANDIDATES] == shortlists[1][:FUZZY_CANDIDATES], text
        skipped += len(covered) - len(pruned)
    assert skipped > 0  # the pruning was put to the test
