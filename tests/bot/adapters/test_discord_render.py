import discord
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.discord_render import (
    MAX_BUTTONS,
    MAX_EMBED,
    button_label,
    button_options,
    render_embeds,
)
from bot.core import Option, Reply, ReplyKind
from tests.messages import nasty_text

OUTLET = "Deutsche Welle (DW)"


def within_limits(embed: discord.Embed) -> bool:
    data = embed.to_dict()
    fields = data.get("fields", [])
    return (
        len(data.get("title", "")) <= 256
        and len(data.get("description", "")) <= 4096
        and len(fields) <= 25
        and all(len(f["name"]) <= 256 and len(f["value"]) <= 1024 for f in fields)
        and len(data.get("footer", {}).get("text", "")) <= 2048
        and len(embed) <= MAX_EMBED
    )


def test_answer_embed_has_title_source_and_outlet():
    reply = Reply(
        ReplyKind.ANSWER, "In 2009.", fact_id="nato", title="When?", source="In 2009 Albania"
    )
    (embed,) = render_embeds(reply, OUTLET)
    assert (embed.title, embed.description) == ("When?", "In 2009.")
    assert [(f.name, f.value) for f in embed.fields] == [("Source", "“In 2009 Albania”")]
    assert embed.footer.text == OUTLET


def test_markdown_in_text_is_escaped():
    (embed,) = render_embeds(Reply(ReplyKind.DECLINE, "**bold** _it_ `code` ||spoiler||"), OUTLET)
    assert embed.description == r"\*\*bold\*\* \_it\_ \`code\` \|\|spoiler\|\|"
    assert embed.footer.text is None, "only answers carry the outlet"


def test_long_text_spreads_over_embeds_under_every_limit():
    text = "\n\n".join(f"Paragraph {i}: " + "word " * 300 for i in range(8))
    embeds = render_embeds(Reply(ReplyKind.INFO, text, source="s " * 2000), OUTLET)
    assert len(embeds) >= 3 and all(within_limits(e) for e in embeds)
    joined = " ".join(e.description or "" for e in embeds)
    assert joined.split() == text.split()


@settings(max_examples=200, deadline=None)
@given(
    text=nasty_text(min_size=1, max_size=12_000),
    title=st.none() | nasty_text(max_size=400),
    source=st.none() | nasty_text(max_size=6_000),
    kind=st.sampled_from(list(ReplyKind)),
)
def test_rendering_always_fits_discord(text, title, source, kind):
    reply = Reply(kind, text, fact_id="x", title=title, source=source)
    embeds = render_embeds(reply, OUTLET)
    assert embeds and all(within_limits(e) for e in embeds)


def test_buttons_at_most_25_with_short_labels():
    options = tuple(Option(f"f{i}", "A very long question label " * 5) for i in range(40))
    reply = Reply(ReplyKind.CLARIFY, "?", suggestions=options)
    offered = button_options(reply)
    assert len(offered) == MAX_BUTTONS
    assert all(len(button_label(o)) <= 80 for o in offered)


def test_ids_too_long_for_a_custom_id_get_no_button():
    reply = Reply(ReplyKind.CLARIFY, "?", suggestions=(Option("x" * 100, "Long?"),))
    assert button_options(reply) == []
