import io

from bot.adapters.console import render_reply, run_console
from bot.core import Option, Reply, ReplyKind


async def chat(core, text: str, *, prompt: bool = False) -> str:
    out = io.StringIO()
    await run_console(core, io.StringIO(text), out, prompt=prompt)
    return out.getvalue()


async def test_console_answers_each_line_until_eof(core):
    out = await chat(core, "When did Albania join NATO?\n\nWho is Edi Rama?\n")
    assert "2009" in out and "Prime Minister" in out
    assert out.count("Source:") == 2


async def test_console_number_picks_an_offered_option(core, base):
    out = await chat(core, "When did Albania join NATO?\n1\n")
    first_related = base.fact(base.fact("nato_2009").related[0])
    assert first_related.answer in out


async def test_console_number_out_of_range_asks_again(core):
    out = await chat(core, "When did Albania join NATO?\n9\n")
    assert "Pick a number from 1 to 3" in out


async def test_console_number_without_options_says_there_is_nothing_to_pick(core):
    out = await chat(core, "7\n")
    assert "A number alone isn't a question" in out


async def test_console_quit_ends_the_chat(core):
    out = await chat(core, "exit\nWhen did Albania join NATO?\n")
    assert out == ""


async def test_console_prompts_only_on_a_terminal(core):
    out = await chat(core, "hi\n", prompt=True)
    assert out.startswith("Ask me about the article") and "> " in out


def test_render_reply_numbers_suggestions():
    reply = Reply(
        ReplyKind.CLARIFY,
        "Did you mean:",
        suggestions=(Option("a", "First?"), Option("b", "Second?")),
    )
    text = render_reply(reply, "DW")
    assert "1. First?" in text and "2. Second?" in text and "Source" not in text


async def test_console_speaks_the_language_it_is_asked_in(core, base):
    out = await chat(core, "Wann ist Albanien der NATO beigetreten?\n9\n")
    assert base.fact("nato_2009").translations["de"].answer in out
    assert 'Quelle (englischer Originaltext): "In 2009 Albania became' in out
    assert "Dazu passend:" in out and "Wähle eine Zahl von 1 bis 3" in out
