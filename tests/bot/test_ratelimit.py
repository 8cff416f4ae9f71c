from bot.ratelimit import MAX_TRACKED_USERS, ChatLimits, RateLimit, Verdict


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_limit_then_one_notice_then_silence_until_the_window_passes():
    clock = Clock()
    limit = RateLimit(3, window=60, clock=clock)
    assert [limit.hit("ana") for _ in range(3)] == [Verdict.ALLOW] * 3
    assert limit.hit("ana") is Verdict.NOTIFY
    assert limit.hit("ana") is Verdict.SILENT
    assert limit.hit("ben") is Verdict.ALLOW, "each user has their own window"
    assert limit.wait("ana") == 60
    clock.now += 60
    assert limit.hit("ana") is Verdict.ALLOW
    assert limit.wait("ana") == 0


def test_window_slides():
    clock = Clock()
    limit = RateLimit(2, window=60, clock=clock)
    limit.hit("ana")
    clock.now += 30
    limit.hit("ana")
    assert limit.hit("ana") is Verdict.NOTIFY
    clock.now += 30  # the first question leaves the window, the second stays
    assert limit.hit("ana") is Verdict.ALLOW
    assert limit.hit("ana") is Verdict.NOTIFY, "told again: the limit was hit anew"


def test_memory_is_bounded():
    limit = RateLimit(1, clock=Clock())
    for user in range(MAX_TRACKED_USERS + 10):
        limit.hit(user)
    assert len(limit._hits) == MAX_TRACKED_USERS


def test_in_a_group_one_user_gets_only_a_share_and_the_rest_of_the_limit_elsewhere():
    limits = ChatLimits(per_user=20, in_group=5, clock=Clock())
    group = [limits.hit("ana", "readers")[0] for _ in range(7)]
    assert group == [Verdict.ALLOW] * 5 + [Verdict.NOTIFY, Verdict.SILENT]
    assert limits.hit("ben", "readers")[0] is Verdict.ALLOW, "others in the group go on"
    assert limits.hit("ana", None)[0] is Verdict.ALLOW, "her own chat with the bot goes on"
    assert [limits.hit("ana", None)[0] for _ in range(15)][-1] is Verdict.NOTIFY  # 5+1+14 > 20


def test_the_notice_counts_down_from_the_limit_that_refused():
    clock = Clock()
    limits = ChatLimits(per_user=3, in_group=2, clock=clock)
    for _ in range(3):
        limits.hit("ana", None)  # her own limit used up in private
    verdict, limit, key = limits.hit("ana", "readers")
    assert verdict is Verdict.NOTIFY and limit is limits.per_user and limit.wait(key) == 60
    assert limits.in_group.allows(("readers", "ana")), "the refused one did not count there"
    clock.now += 60
    assert limits.hit("ana", "readers")[0] is Verdict.ALLOW
