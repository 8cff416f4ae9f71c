from bot.conversation import Conversations

ABOUT_RAMA = (("rama",), ("rama",))


def test_each_person_in_a_chat_has_their_own_conversation():
    memory = Conversations()
    memory.remember(("tg", "group", "ana"), *ABOUT_RAMA, "rama_who")
    assert memory.last_fact(("tg", "group", "ana")) == "rama_who"
    assert memory.context(("tg", "group", "ben")) is None


def test_facts_are_kept_most_recent_first_without_repeats():
    memory = Conversations()
    key = ("tg", "c", "u")
    for fact in ("a", "b", "a"):
        memory.remember(key, *ABOUT_RAMA, fact)
    assert memory.context(key).facts == ("a", "b")


def test_a_quiet_conversation_is_forgotten():
    now = [0.0]
    memory = Conversations(forget_after=60, clock=lambda: now[0])
    memory.remember(("tg", "c", "u"), *ABOUT_RAMA, "rama_who")
    now[0] = 59
    assert memory.context(("tg", "c", "u")) is not None
    now[0] = 200
    assert memory.context(("tg", "c", "u")) is None and len(memory) == 0


def test_memory_is_bounded_oldest_first():
    memory = Conversations(size=2)
    for user in ("a", "b", "c"):
        memory.remember(("tg", "c", user), *ABOUT_RAMA, "rama_who")
    assert memory.context(("tg", "c", "a")) is None
    assert memory.context(("tg", "c", "c")) is not None and len(memory) == 2


def test_a_new_topic_leans_on_nothing_but_source_still_shows_the_last_answer():
    memory = Conversations()
    key = ("tg", "c", "u")
    memory.remember(key, *ABOUT_RAMA, "rama_who")
    memory.new_topic(key)
    assert memory.context(key).terms == () and memory.context(key).facts == ()
    assert memory.last_fact(key) == "rama_who"
