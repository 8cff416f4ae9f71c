"""The console chat: the core on stdin and stdout, no token needed."""

import asyncio
from typing import TextIO

from bot.core import Core, Option, Question, Reply, ReplyKind

QUIT_WORDS = frozenset({"quit", "exit", "/quit", "/exit"})


SUGGESTION_HEADINGS = {
    ReplyKind.ANSWER: "  Or did you mean:",
    ReplyKind.DECLINE: "  You could ask:",
    ReplyKind.INFO: "  For example:",
}


def render_reply(reply: Reply, outlet: str) -> str:
    """Plain text: the answer, its source line, then numbered options (`Reply.options`)."""
    lines = [reply.text]
    if reply.source:
        lines.append(f'  Source: "{reply.source}" - {outlet}')
    number = 0
    for heading, options in (
        (SUGGESTION_HEADINGS.get(reply.kind), reply.suggestions),
        ("  Related:", reply.options[len(reply.suggestions) :]),
    ):
        if options and heading:
            lines.append(heading)
        for option in options:
            number += 1
            lines.append(f"  {number}. {option.label}")
    if number:
        lines.append("  (type a number to pick one)")
    return "\n".join(lines)


async def run_console(core: Core, infile: TextIO, outfile: TextIO, *, prompt: bool) -> None:
    """Answer line by line until EOF or "quit"; a number picks an option of the last reply."""
    outlet = core.base.article.outlet
    options: tuple[Option, ...] = ()
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
                outfile.write(f"Pick a number from 1 to {len(options)}, or ask a question.\n\n")
                continue
            reply = await core.answer_fact(options[int(text) - 1].fact_id, question)
        else:
            reply = await core.answer(question)
        options = reply.options
        outfile.write(render_reply(reply, outlet) + "\n\n")
        outfile.flush()
