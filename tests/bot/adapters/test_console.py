import asyncio
import io
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.adapters.console import lines_of, render_reply, run_console, wrap
from bot.core import Core, Option, Question, Reply, ReplyKind
from intents import FactBase


def chat(core: Core, text: str) -> str:
    out = io.StringIO()
    run_console(core, lines_of(io.StringIO(text)), out)
    return out.getvalue()


def keys(*lines: str | type[BaseException]) -> Iterator[str]:
    """What a person types at the terminal: lines, then EOFError (Ctrl-D) or KeyboardInterrupt."""
    for line in lines:
        if isinstance(line, str):
            yield line
        else:
            raise line


def on_terminal(core: Core, *typed: str | type[BaseException]) -> str:
    out = io.StringIO()
    typing = keys(*typed)
    try:
        run_console(core, lambda prompt: next(typing), out, terminal=True)
    except KeyboardInterrupt:  # left to pytest, it would end the whole run
        pytest.fail("Ctrl-C went past the console")
    return out.getvalue()


def test_console_answers_each_line_until_eof(core):
    out = chat(core, "When did Albania join NATO?\n\nWho is Edi Rama?\n")
    assert "2009" in out and "Prime Minister" in out
    assert out.count("Source:") == 2


def test_console_number_picks_an_offered_option(core, base):
    out = chat(core, "When did Albania join NATO?\n1\n")
    first_related = base.fact(base.fact("nato_2009").related[0])
    assert first_related.answer in out


def test_console_number_out_of_range_asks_again(core):
    out = chat(core, "When did Albania join NATO?\n9\n")
    assert "Pick a number from 1 to 3" in out


def test_console_number_without_options_says_there_is_nothing_to_pick(core):
    out = chat(core, "7\n")
    assert "A number alone isn't a question" in out


@pytest.mark.parametrize("word", ["exit", "quit", "bye", "Bye!", "/quit"])
def test_console_quit_word_ends_the_chat(core, word):
    out = chat(core, f"{word}\nWhen did Albania join NATO?\n")
    assert out == ""


def test_console_bare_help_and_topics_are_the_commands(core):
    out = chat(core, "help\n\ntopics\n")
    assert "Commands:" in out and "What I can answer, by topic:" in out


@pytest.mark.parametrize(
    ("question", "leave"),
    [
        ("When did Albania join NATO?", "quit, exit or bye - leave the chat"),
        ("Wann ist Albanien der NATO beigetreten?", "quit, exit oder bye - den Chat verlassen"),
        ("kur u anetaresua shqiperia ne nato", "quit, exit ose bye - dil nga biseda"),
    ],
)
def test_console_help_says_how_to_leave_in_the_reply_language(core, question, leave):
    help_reply = chat(core, f"{question}\n/help\n").partition("/help - ")[2]
    assert leave in help_reply


def test_console_greets_prompts_and_says_goodbye_on_a_terminal(core):
    out = on_terminal(core, "hi", "bye")
    assert out.startswith("Ask me about the article")
    assert out.endswith("\n\nBye!\n")  # after the reply's blank line: no newline of its own


@pytest.mark.parametrize("key", [EOFError, KeyboardInterrupt])
def test_console_ctrl_d_and_ctrl_c_leave_on_a_fresh_line(core, key):
    out = on_terminal(core, "Wann ist Albanien der NATO beigetreten?", key)
    assert out.endswith("\n\n\nTschüss!\n")  # the goodbye in the language last spoken


def test_console_ctrl_c_in_a_pipe_goes_on_up(core):
    with pytest.raises(KeyboardInterrupt):
        run_console(core, lambda prompt: next(keys(KeyboardInterrupt)), io.StringIO())


class StuckCore(Core):
    """A core that never finishes an answer, and says when it starts and when it is cancelled."""

    def __init__(self, base: FactBase) -> None:
        super().__init__(base)
        self.answering = threading.Event()
        self.cancelled = threading.Event()

    async def answer(self, question: Question) -> Reply:
        self.answering.set()
        try:
            async with asyncio.timeout(20):  # a bound, so a broken test fails instead of hanging
                await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.cancelled.set()
            raise
        raise AssertionError("Ctrl-C never came")


def test_console_ctrl_c_while_answering_cancels_the_answer_and_leaves(base):
    core = StuckCore(base)

    def press_ctrl_c_once_answering() -> None:
        if core.answering.wait(timeout=20):
            signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)

    threading.Thread(target=press_ctrl_c_once_answering, daemon=True).start()
    out = on_terminal(core, "When did Albania join NATO?")
    assert core.cancelled.is_set()
    assert out.endswith("\nBye!\n")


def test_render_reply_numbers_suggestions():
    reply = Reply(
        ReplyKind.CLARIFY,
        "Did you mean:",
        suggestions=(Option("a", "First?"), Option("b", "Second?")),
    )
    text = render_reply(reply, "DW")
    assert "1. First?" in text and "2. Second?" in text and "Source" not in text


def test_render_reply_lists_options_without_numbers_where_none_can_be_picked():
    reply = Reply(ReplyKind.ANSWER, "Yes.", follow_ups=(Option("a", "First?"),))
    assert render_reply(reply, "DW", pickable=False) == "Yes.\n  Related:\n  - First?"


def test_wrap_folds_at_spaces_and_hangs_under_indentation_and_items():
    text = "one two three four\n  Source: five six seven\n  12. eight nine ten\n- eleven twelve"
    assert wrap(text, 12).split("\n") == [
        "one two",
        "three four",
        "  Source:",
        "    five six",
        "    seven",
        "  12. eight",
        "      nine",
        "      ten",
        "- eleven",
        "  twelve",
    ]


def test_wrap_breaks_neither_a_long_word_nor_at_a_hyphen():
    assert wrap("a well-known supercalifragilistic word", 8).split("\n") == [
        "a",
        "well-known",
        "supercalifragilistic",
        "word",
    ]


def test_console_speaks_the_language_it_is_asked_in(core, base):
    out = chat(core, "Wann ist Albanien der NATO beigetreten?\n9\n")
    assert base.fact("nato_2009").translations["de"].answer in out
    assert 'Quelle (englischer Originaltext): "In 2009 Albania became' in out
    assert "Dazu passend:" in out and "Wähle eine Zahl von 1 bis 3" in out


def picture_path(out: str) -> str:
    return next(line.split(": ", 1)[1] for line in out.splitlines() if "Picture: " in line)


def test_timeline_is_listed_as_text_and_its_picture_written_where_the_console_says(core, base):
    out = chat(core, "/timeline\n1\n")
    path = Path(picture_path(out))
    assert path.read_bytes()[:4] == b"\x89PNG" and path.name == "timeline-en.png"
    assert path.parent.stat().st_mode & 0o777 == 0o700, "a folder only this user can write"
    assert "  1. 2009: Albania joins NATO, with Croatia" in out
    assert "For example:" not in out, "the events are the timeline, not examples"
    assert base.fact("nato_2009").answer in out, "a number picks an event's fact"


def test_ask_writes_the_timeline_picture_too(capsys):
    from bot.cli import main

    assert main(["ask", "/timeline", "--json"]) == 0
    assert '"kind": "show"' in capsys.readouterr().out
    assert main(["ask", "/timeline"]) == 0
    out = capsys.readouterr().out
    assert Path(picture_path(out)).read_bytes()[:4] == b"\x89PNG"
    assert "  - 2009: Albania joins NATO" in out
