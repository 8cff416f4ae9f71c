from bot.ratelimit import MAX_TRACKED_USERS, RateLimit, Verdict


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
