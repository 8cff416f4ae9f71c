"""The console chat: the core on stdin and stdout, no token needed."""

import asyncio
from typing import TextIO

from bot.core import Core, Option, Question, Reply, ReplyKind

QUIT_WORDS = frozenset({"quit", "exit", "/quit", "/exit"})


def render_reply(reply: Reply, outlet: str) -> str:
    """Plain text: the answer, its source line, then numbered options to pick."""
    lines = [reply.text]
    if reply.source:
        lines.append(f'  Source: "{reply.source}" - {outlet}')
    options = numbered_options(reply)
    if options:
        heading = "  Related:" if reply.kind is ReplyKind.ANSWER else "  You could ask:"
        if reply.kind is ReplyKind.CLARIFY:
            heading = ""
        if heading:
            lines.append(heading)
        lines += [f"  {n}. {o.label}" for n, o in enumerate(options, 1)]
        lines.append("  (type a number to pick one)")
    return "\n".join(lines)


def numbered_options(reply: Reply) -> tuple[Option, ...]:
    return reply.suggestions or reply.follow_ups


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
        if text.isdigit() and 1 <= int(text) <= len(options):
            reply = await core.answer_fact(options[int(text) - 1].fact_id, question)
        else:
            reply = await core.answer(question)
        options = numbered_options(reply)
        outfile.write(render_reply(reply, outlet) + "\n\n")
        outfile.flush()
