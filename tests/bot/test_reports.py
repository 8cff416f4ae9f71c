from datetime import UTC, datetime, timedelta

import pytest

from bot.journal import Event, Journal, connect
from bot.reports import (
    NoJournal,
    format_stats,
    format_unanswered,
    group_questions,
    stats,
    unanswered,
)

LABELS = {"nato_2009": "When did Albania join NATO?", "mek_camp": "Where is the MEK camp?"}


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "bot.sqlite3"
    old = datetime.now(UTC) - timedelta(days=10)
    journal = Journal(path)
    for text in (
        "what do albanians think of russia",
        "what do albanians think about russia",
        "what do albanians think of russia",
    ):
        journal.record(Event("telegram", "decline", "", text, (("nato_2009", 30.0),)))
    journal.record(Event("discord", "clarify", "", "the camp", (("mek_camp", 62.0),)))
    journal.record(Event("discord", "decline", "", "who won the world cup", at=old))
    for _ in range(3):
        journal.record(Event("telegram", "answer", "nato_2009"))
    journal.record(Event("discord", "answer", "mek_camp", at=old))
    journal.close()
    return path


def test_unanswered_groups_similar_wordings_most_asked_first(path):
    groups = unanswered([path])
    assert [g.count for g in groups] == [3, 1, 1]
    russia = groups[0]
    assert russia.text == "what do albanians think of russia"
    assert russia.kinds == {"decline": 3}
    assert russia.closest == ("nato_2009", 30.0)
    report = format_unanswered(groups, LABELS, None)
    assert report.startswith("5 unanswered question(s), 3 group(s)")
    assert "also: what do albanians think about russia" in report
    assert "closest fact: nato_2009 (30): When did Albania join NATO?" in report
    assert "closest fact: none" in report  # the world cup matched nothing


def test_since_leaves_out_older_questions(path):
    texts = [g.text for g in unanswered([path], since_days=7)]
    assert "who won the world cup" not in texts and len(texts) == 2
    assert "in the last 7 day(s)" in format_unanswered(unanswered([path], 7), LABELS, 7)


def test_different_questions_stay_apart():
    rows = [("when did albania join nato", "clarify", []), ("who leads the mek", "decline", [])]
    assert len(group_questions(rows)) == 2


def test_stats_count_answers_per_fact_and_outcomes_per_day(path):
    report = stats([path])
    assert report.answers == {"nato_2009": 3, "mek_camp": 1}
    assert report.totals == {"answer": 4, "decline": 4, "clarify": 1}
    assert len(report.days) == 2
    recent = stats([path], since_days=1)
    assert recent.answers == {"nato_2009": 3} and len(recent.days) == 1
    text = format_stats(report, LABELS, None)
    assert text.startswith("9 question(s): 4 answered (44%), 1 did you mean (11%), 4 declined")
    assert "3  nato_2009: When did Albania join NATO?" in text
    today = datetime.now(UTC).date().isoformat()
    assert report.facts["nato_2009"] == {today: 3}
    assert f"({today} 3)" in text


def test_a_missing_database_is_a_clear_error(tmp_path):
    with pytest.raises(NoJournal, match=r"no database at .*DATABASE_PATH"):
        unanswered([tmp_path / "nothing.sqlite3"])


def test_empty_reports_say_so(tmp_path):
    path = tmp_path / "bot.sqlite3"
    connect(path, create=True).close()
    assert format_unanswered(unanswered([path]), LABELS, None) == "No unanswered questions."
    assert format_stats(stats([path]), LABELS, 3) == "No questions recorded in the last 3 day(s)."


def test_the_journals_of_several_processes_are_reported_as_one(path, tmp_path):
    other = tmp_path / "worker-2.sqlite3"
    journal = Journal(other)
    journal.record(Event("telegram", "decline", "", "what do albanians think of russia"))
    journal.record(Event("telegram", "answer", "mek_camp"))
    journal.close()
    assert [g.count for g in unanswered([path, other])] == [4, 1, 1]
    assert stats([path, other]).answers == {"nato_2009": 3, "mek_camp": 2}
