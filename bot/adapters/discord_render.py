"""Replies as Discord messages: one embed each, under every embed limit, markdown escaped."""

from functools import lru_cache
from io import BytesIO

import discord
from discord.utils import escape_markdown

from bot.adapters.splitting import cut
from bot.core import Option, Reply, ReplyKind
from bot.locales import lines

MAX_DESCRIPTION = 4096
MAX_TITLE = 256
MAX_FIELD_VALUE = 1024
MAX_FOOTER = 2048
MAX_EMBED = 6000  # all text in one embed
MAX_BUTTONS = 25  # 5 rows of 5
MAX_BUTTON_LABEL = 80
CUSTOM_ID_PREFIX = "fact:"
MAX_CUSTOM_ID = 100
COLOURS = {
    ReplyKind.ANSWER: discord.Colour.blue(),
    ReplyKind.CLARIFY: discord.Colour.gold(),
    ReplyKind.DECLINE: discord.Colour.light_grey(),
}

# Answers, sources and labels come back reply after reply: each is escaped once (bounded)
_escaped = lru_cache(maxsize=4096)(escape_markdown)


def render_embeds(reply: Reply, outlet: str) -> list[discord.Embed]:
    """The reply as embeds, one a message: the answer, the source quote as fields, the outlet.

    Text from the core is plain: markdown is escaped so a question cannot format or link.
    """
    colour = COLOURS.get(reply.kind, discord.Colour.dark_grey())
    descriptions = [_escaped(p) for p in _pieces(reply.text, MAX_DESCRIPTION)]
    embeds = [discord.Embed(description=d, colour=colour) for d in descriptions or [""]]
    if reply.title:
        embeds[0].title = clip(_escaped(reply.title), MAX_TITLE)
    if reply.picture is not None:  # the file goes with the message (`attachment`)
        embeds[0].title = clip(_escaped(reply.picture.caption), MAX_TITLE)
        embeds[0].set_image(url=f"attachment://{reply.picture.name}")
    footer = clip(outlet, MAX_FOOTER) if reply.kind is ReplyKind.ANSWER else ""
    if reply.source:
        source = lines(reply.lang)("source_label")  # "Quelle (englischer Originaltext)"
        for value in _pieces(reply.source, MAX_FIELD_VALUE - 2):
            field = f"“{_escaped(value)}”"
            if len(embeds[-1]) + len(source) + len(field) + len(footer) > MAX_EMBED:
                embeds.append(discord.Embed(colour=colour))
            embeds[-1].add_field(name=source, value=field, inline=False)
    if footer:
        embeds[-1].set_footer(text=footer)
    return embeds


def attachment(reply: Reply) -> dict[str, discord.File]:
    """The reply's picture as a file for the message that carries its embed, if it has one."""
    picture = reply.picture
    return {"file": discord.File(BytesIO(picture.png), picture.name)} if picture else {}


def custom_id(fact_id: str) -> str:
    return f"{CUSTOM_ID_PREFIX}{fact_id}"


FACT_BUTTON = rf"{CUSTOM_ID_PREFIX}(?P<fact_id>[\w.-]{{1,95}})"  # the custom_ids we make


def button_options(reply: Reply) -> list[Option]:
    """The options that fit on buttons: ids that fit a custom_id, at most 25."""
    fitting = [o for o in reply.options if len(custom_id(o.fact_id)) <= MAX_CUSTOM_ID]
    return fitting[:MAX_BUTTONS]


def button_label(option: Option) -> str:
    return clip(option.label.strip() or option.fact_id, MAX_BUTTON_LABEL)


def _pieces(text: str, limit: int) -> list[str]:
    """Cut so each piece fits `limit` once markdown is escaped (escaping can double a piece)."""
    if 2 * len(text) <= limit:  # fits escaped whatever it holds: no need to escape it twice
        return [text] if text.strip() else []
    return [p for p in cut(text, limit, lambda t: len(escape_markdown(t))) if p.strip()]


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
