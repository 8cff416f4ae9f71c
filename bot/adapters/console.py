"""The console chat: the core on stdin and stdout, no token needed."""

import asyncio
from typing import TextIO

from bot import locales
from bot.core import Core, Option, Question, Reply, ReplyKind

QUIT_WORDS = frozenset({"quit", "exit", "/quit", "/exit"})


SUGGESTION_HEADINGS = {  # lines of bot/locales, in the reply's language
    ReplyKind.ANSWER: "console.or_did_you_mean",
    ReplyKind.DECLINE: "console.you_could_ask",
    ReplyKind.INFO: "console.for_example",
}


def render_reply(reply: Reply, outlet: str) -> str:
    """Plain text: the answer, its source line, then numbered options (`Reply.options`)."""
    said = locales.lines(reply.lang)
    lines = [reply.text]
    if reply.source:
        lines.append(f'  {said("source_label")}: "{reply.source}" - {outlet}')
    number = 0
    for heading, options in (
        (SUGGESTION_HEADINGS.get(reply.kind), reply.suggestions),
        ("console.related", reply.options[len(reply.suggestions) :]),
    ):
        if options and heading:
            lines.append(f"  {said(heading)}")
        for option in options:
            number += 1
            lines.append(f"  {number}. {option.label}")
    if number:
        lines.append(f"  {said('console.pick_hint')}")
    return "\n".join(lines)


async def run_console(core: Core, infile: TextIO, outfile: TextIO, *, prompt: bool) -> None:
    """Answer line by line until EOF or "quit"; a number picks an option of the last reply."""
    outlet = core.base.article.outlet
    options: tuple[Option, ...] = ()
    lang = locales.DEFAULT  # the language of the last reply: the next hint is in it
    if prompt:
        outfile.write(f"Ask me about the article ({outlet}). /help for help, quit to leave.\n")
    while True:
        if prompt:
            outfile.write("> ")
            outfile.flush()
        line = await asyncio.to_thread(infile.readline)
        if not line or line.strip().casefold() in QUIT_WORDS:
            break
        text = line.strip()
        if not text:
            continue
        question = Question(text, user_id="console", chat_id="console")
        if text.isascii() and text.isdigit() and options:
            if not 1 <= int(text) <= len(options):
                pick = locales.lines(lang)("console.pick_range", count=len(options))
                outfile.write(f"{pick}\n\n")
                continue
            reply = await core.answer_fact(options[int(text) - 1].fact_id, question)
        else:
            reply = await core.answer(question)
        options, lang = reply.options, reply.lang
        outfile.write(render_reply(reply, outlet) + "\n\n")
        outfile.flush()
