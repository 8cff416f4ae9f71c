"""Replies as Telegram messages: escaped HTML split under 4096 UTF-16 units, inline keyboards."""

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.adapters.splitting import cut
from bot.core import Option, Reply
from bot.locales import DEFAULT, lines

MAX_MESSAGE = 4096  # Telegram's limit, in UTF-16 code units
MAX_CAPTION = 1024  # a photo's caption, likewise
MAX_INLINE_QUERY = 256  # the text a switch-inline button puts in the user's input field
MAX_CALLBACK_BYTES = 64  # Telegram's limit on callback_data
MAX_BUTTON_LABEL = 60
CALLBACK_PREFIX = "fact:"
_TAGS = {"": ("", ""), "quote": ("<blockquote>", "</blockquote>"), "em": ("<i>", "</i>")}


def render_html(reply: Reply, outlet: str, limit: int = MAX_MESSAGE) -> list[str]:
    """The reply as HTML messages, each at most `limit` UTF-16 units, split between paragraphs.

    Every piece of text is escaped; tags are only ours, and never cut by a split.
    """
    blocks = [(p, "") for p in reply.text.split("\n\n") if p.strip()]
    if reply.source:
        if reply.lang != DEFAULT:  # the quote stays the English original: say so
            blocks.append((f"{lines(reply.lang)('source_label')}:", "em"))
        blocks += [(reply.source, "quote"), (f"— {outlet}", "em")]
    pieces = [piece for text, tag in blocks for piece in _fit(text, tag, limit)]
    messages: list[str] = []
    for piece in pieces:
        joined = f"{messages[-1]}\n\n{piece}" if messages else piece
        if messages and utf16_len(joined) <= limit:
            messages[-1] = joined
        else:
            messages.append(piece)
    return messages


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2  # a lone surrogate: 1 unit


def _fit(text: str, tag: str, limit: int) -> list[str]:
    """`text` escaped and wrapped in `tag`, cut at line breaks, then spaces, to fit `limit`."""
    opening, closing = _TAGS[tag]
    budget = limit - utf16_len(opening + closing)
    pieces = cut(text, budget, _escaped_len)
    return [f"{opening}{escape(p, quote=False)}{closing}" for p in pieces if p.strip()]


def _escaped_len(text: str) -> int:
    return utf16_len(escape(text, quote=False))


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """One button a row for each option of the reply; None when there is nothing to offer."""
    rows = [
        [InlineKeyboardButton(_label(o), callback_data=callback_data(o.fact_id))]
        for o in reply.options
        if len(callback_data(o.fact_id).encode()) <= MAX_CALLBACK_BYTES
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def caption_html(text: str) -> str:
    """A photo's caption: escaped, cut at a word to Telegram's 1024 units."""
    return (_fit(text, "", MAX_CAPTION) or [""])[0]


def card_keyboard(card: Reply) -> InlineKeyboardMarkup | None:
    """A who's-who card sent inline: the bot may not be in that chat to answer a press, so
    each button puts the fact's question into the user's inline search instead."""
    rows = [
        [InlineKeyboardButton(_label(o), switch_inline_query_current_chat=o.label)]
        for o in card.options
        if len(o.label) <= MAX_INLINE_QUERY
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def callback_data(fact_id: str) -> str:
    return f"{CALLBACK_PREFIX}{fact_id}"


def fact_id_of(data: str | None) -> str | None:
    """The fact id a button carries, or None for data that is not ours."""
    if data and data.startswith(CALLBACK_PREFIX):
        return data.removeprefix(CALLBACK_PREFIX) or None
    return None


def _label(option: Option) -> str:
    label = option.label.strip() or option.fact_id
    return label if len(label) <= MAX_BUTTON_LABEL else label[: MAX_BUTTON_LABEL - 1] + "…"
