from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.telegram_render import (
    MAX_CALLBACK_BYTES,
    callback_data,
    fact_id_of,
    keyboard,
    render_html,
    utf16_len,
)
from bot.core import Option, Reply, ReplyKind
from tests.fakes.telegram_html import parse_html
from tests.messages import nasty_text

OUTLET = "Deutsche Welle (DW)"


def test_answer_then_quote_then_outlet():
    reply = Reply(ReplyKind.ANSWER, "Tirana & Durrës <near>", source='He said "<no>"')
    (html,) = render_html(reply, OUTLET)
    assert html == (
        "Tirana &amp; Durrës &lt;near&gt;\n\n"
        '<blockquote>He said "&lt;no&gt;"</blockquote>\n\n'
        "<i>— Deutsche Welle (DW)</i>"
    )


def test_split_between_paragraphs_when_too_long():
    paragraphs = ["a" * 3000, "b" * 3000, "c" * 10]
    messages = render_html(Reply(ReplyKind.INFO, "\n\n".join(paragraphs)), OUTLET)
    assert messages == ["a" * 3000, "b" * 3000 + "\n\n" + "c" * 10]


def test_one_huge_paragraph_is_cut_at_spaces():
    text = " ".join(["word"] * 3000)
    messages = render_html(Reply(ReplyKind.INFO, text), OUTLET)
    assert len(messages) == 4
    assert all(utf16_len(m) <= 4096 for m in messages)
    assert " ".join(messages).split() == text.split()


def test_limit_counts_utf16_units_and_escapes():
    text = "😀" * 3000 + "&" * 100  # 6,000 units of emoji, and & grows to &amp;
    messages = render_html(Reply(ReplyKind.INFO, text), OUTLET)
    assert all(utf16_len(m) <= 4096 for m in messages)
    assert "".join(parse_html(m) for m in messages) == text


@settings(max_examples=200, deadline=None)
@given(
    text=nasty_text(min_size=1, max_size=12_000),
    source=st.none() | nasty_text(max_size=6_000),
)
def test_rendering_always_parses_and_fits(text, source):
    reply = Reply(ReplyKind.ANSWER, text, fact_id="x", source=source)
    for message in render_html(reply, OUTLET):
        visible = parse_html(message)  # raises on anything Telegram would refuse
        assert visible.strip()
        assert utf16_len(message) <= 4096


def test_keyboard_offers_suggestions_then_new_follow_ups():
    reply = Reply(
        ReplyKind.ANSWER,
        "x",
        suggestions=(Option("a", "A?"),),
        follow_ups=(Option("a", "A?"), Option("b", "B?")),
    )
    rows = keyboard(reply).inline_keyboard
    assert [[b.callback_data for b in row] for row in rows] == [["fact:a"], ["fact:b"]]


def test_keyboard_skips_ids_too_long_for_callback_data():
    too_long = "x" * MAX_CALLBACK_BYTES
    reply = Reply(ReplyKind.CLARIFY, "x", suggestions=(Option(too_long, "Long?"),))
    assert keyboard(reply) is None


def test_callback_data_round_trip():
    assert fact_id_of(callback_data("nato_2009")) == "nato_2009"
    assert fact_id_of("something-else") is None and fact_id_of(None) is None
