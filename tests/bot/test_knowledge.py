"""Answering in German and Albanian: which language, and everything said in it."""

import pytest

from bot.core import Core, Question, ReplyKind
from bot.locales import lines


def ask(text: str, user: str = "u1", lang: str | None = None) -> Question:
    return Question(text, user_id=user, chat_id="c1", platform="test", lang=lang)


@pytest.mark.parametrize(
    ("text", "code"),
    [("Wann ist Albanien der NATO beigetreten?", "de"), ("wann trat albanien der nato bei", "de"),
     ("Kur u anëtarësua Shqipëria në NATO?", "sq"), ("kur hyri shqiperia ne nato", "sq"),
     ("When did Albania join NATO?", "en")],
)  # fmt: skip
async def test_answered_in_the_language_asked_with_the_english_source(core, base, text, code):
    reply = await core.answer(ask(text))
    fact = base.fact("nato_2009")
    assert reply.intent == "nato_2009" and reply.lang == code
    assert reply.text == (fact.answer if code == "en" else fact.translations[code].answer)
    assert reply.source == fact.quote  # always the article's English sentence
    related = [base.fact(r) for r in fact.related]
    labels = [
        f.questions[0] if code == "en" else f.translations[code].questions[0] for f in related
    ]
    assert [o.label for o in reply.follow_ups] == labels[: len(reply.follow_ups)]


async def test_a_follow_up_keeps_the_conversations_language(core):
    first = await core.answer(ask("wer ist behzad saffari"))
    then = await core.answer(ask("und rama?"))  # "und" is German, and English too
    short = await core.answer(ask("nato?"))
    assert first.intent == "saffari_who" and then.intent == "rama_who"
    assert first.lang == then.lang == short.lang == "de"


async def test_the_user_switches_language_and_the_bot_follows(core):
    assert (await core.answer(ask("kush eshte edi rama"))).lang == "sq"
    english = await core.answer(ask("who is jens stoltenberg"))
    assert english.lang == "en" and english.intent == "stoltenberg_who"


async def test_the_platform_hint_decides_a_message_without_a_language(core):
    german = await core.answer(ask("rama nato", user="a", lang="de-DE"))
    albanian = await core.answer(ask("rama nato", user="b", lang="sq"))
    none = await core.answer(ask("rama nato", user="c"))
    assert (german.lang, albanian.lang, none.lang) == ("de", "sq", "en")
    assert german.text == lines("de")("clarify") and none.text == lines("en")("clarify")


@pytest.mark.parametrize(
    ("text", "code", "name"),
    [("Was denken die Albaner über Russland?", "de", "Russland"),
     ("Çfarë mendojnë shqiptarët për Rusinë?", "sq", "Rusinë"),
     ("What do Albanians think of Russia?", "en", "Russia")],
)  # fmt: skip
async def test_russia_is_named_as_missing_in_each_language(core, text, code, name):
    reply = await core.answer(ask(text))
    assert reply.kind is ReplyKind.DECLINE and reply.lang == code
    assert reply.text.startswith(lines(code)("never_mentions", names=name))


async def test_commands_small_talk_and_partial_answers_in_the_conversations_language(core):
    assert (await core.answer(ask("danke"))).text.startswith("Gern geschehen")
    help_ = await core.answer(ask("/help"))
    topics = await core.answer(ask("/topics"))
    assert help_.lang == topics.lang == "de" and topics.text.startswith(lines("de")("topics_head"))
    named = await core.answer(ask("wie heissen die zwei ausgewiesenen diplomaten"))
    assert named.kind is ReplyKind.DECLINE and named.lang == "de"
    assert named.text.startswith(lines("de")("missing.name"))


async def test_the_rate_limit_notice_is_in_the_users_language(base):
    core = Core(base, questions_per_minute=1)
    await core.answer(ask("kush eshte edi rama"))
    notice = await core.answer(ask("kush eshte saffari"))
    assert notice.kind is ReplyKind.LIMITED and notice.lang == "sq"
    assert notice.text.startswith(lines("sq")("too_fast").split("{")[0])


async def test_a_button_answers_in_the_conversations_language(core, base):
    await core.answer(ask("wer ist edi rama"))
    reply = await core.answer_fact("nato_2009", ask(""))
    assert reply.text == base.fact("nato_2009").translations["de"].answer


@pytest.mark.parametrize(
    "text", ["is tirana in albania", "durres albania", "camp 30 km", "albania", "mek camp"]
)
async def test_english_words_that_other_languages_share_stay_english(core, text):
    assert (await core.answer(ask(text))).lang == "en"


async def test_a_greeting_in_any_language_is_answered_in_the_users(core):
    reply = await core.answer(ask("hi", lang="sq"))
    assert reply.kind is ReplyKind.SMALLTALK and reply.lang == "sq"
    assert reply.text == core.base.in_language("sq").smalltalk[0].reply


async def test_a_long_german_compound_is_no_gibberish(core):
    await core.answer(ask("wer ist edi rama"))
    reply = await core.answer(ask("Geschichtsschreibung?"))
    assert reply.lang == "de" and reply.text != lines("de")("not_understood")
