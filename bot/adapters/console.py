"""The console chat: the core on a terminal or a pipe, no token needed."""

import asyncio
import contextlib
import logging
import re
import shutil
import signal
import tempfile
import textwrap
import threading
from collections.abc import Callable, Coroutine
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any, Self, TextIO, TypeVar

from bot import locales
from bot.core import Core, Option, Question, Reply, ReplyKind
from bot.messages import Picture

log = logging.getLogger(__name__)

QUIT_WORDS = frozenset({"quit", "exit", "bye", "/quit", "/exit", "/bye"})
BARE_COMMANDS = {"help": "/help", "topics": "/topics"}  # typed without the slash
HELP_COMMANDS = frozenset({"/help", "/start"})  # the console adds how to leave to their reply
PROMPT = "> "
GREETING = "Ask me about the article ({outlet}). /help for help, quit to leave."

Read = Callable[[str], str]
"""input()'s contract: show the prompt, return the line without its newline; EOFError at the end."""

T = TypeVar("T")

SUGGESTION_HEADINGS = {  # lines of bot/locales, in the reply's language
    ReplyKind.ANSWER: "console.or_did_you_mean",
    ReplyKind.DECLINE: "console.you_could_ask",
    ReplyKind.INFO: "console.for_example",
}
_LIST_ITEM = re.compile(r"\s*(?:\d+\.|-) ")  # "  1. " or "- ": a wrapped item hangs under its text


def render_reply(
    reply: Reply, outlet: str, *, pickable: bool = True, saved: Path | None = None
) -> str:
    """Plain text: the answer, its source line, then the options (`Reply.options`), numbered
    with a hint where a number picks one (the chat), or a plain list where nothing can (`ask`).
    `saved`: where the reply's picture was written (`save_picture`), said first.
    """
    said = locales.lines(reply.lang)
    lines = [reply.text]
    if saved is not None:
        lines.append(f"  {said('console.picture', path=saved)}")
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
            lines.append(f"  {number}. {option.label}" if pickable else f"  - {option.label}")
    if number and pickable:
        lines.append(f"  {said('console.pick_hint')}")
    return "\n".join(lines)


def save_picture(picture: Picture, lang: str) -> Path | None:
    """Write a reply's picture where a terminal user can open it, or None (logged) when it
    cannot be written: the reply is still shown. One file per picture and language, in a
    folder this process made for itself (mode 0700: no one else can plant a link there)."""
    name = f"{Path(picture.name).stem}-{lang}{Path(picture.name).suffix}"
    try:
        path = _pictures() / name
        path.write_bytes(picture.png)
    except OSError as exc:  # a full or read-only temporary directory
        log.warning("console: could not write the picture %s: %s", name, exc)
        return None
    return path


@cache
def _pictures() -> Path:
    return Path(tempfile.mkdtemp(prefix="factbot-pictures-"))


def wrap(text: str, width: int) -> str:
    """`text` folded at spaces to `width` columns, never inside a word (one longer than the
    width stays whole). A folded line keeps its indentation; its continuation hangs under a
    list item's text, or deeper than an indented note (the source line) so it does not read
    as the next note.
    """
    return "\n".join(_fold(line, width) for line in text.split("\n"))


def _fold(line: str, width: int) -> str:
    if len(line) <= width:
        return line
    indent = line[: len(line) - len(line.lstrip())]
    item = _LIST_ITEM.match(line)
    if item:
        hang = " " * item.end()
    elif indent:
        hang = f"{indent}  "
    else:
        hang = ""
    return textwrap.fill(
        line, width, subsequent_indent=hang, break_long_words=False, break_on_hyphens=False
    )


def terminal_width() -> int:
    """The terminal's columns now: asked before each reply, as the window may be resized."""
    return shutil.get_terminal_size().columns


def keyboard() -> Read:
    """The terminal's reader: input(), with line editing and this session's history in memory
    from readline where the platform has it (nothing is written to disk).
    """
    with contextlib.suppress(ImportError):  # Windows: its console edits lines by itself
        import readline  # noqa: F401  importing it is what makes input() use it
    return input


def lines_of(infile: TextIO) -> Read:
    """A stream read the way input() reads the terminal, less the prompt: for pipes."""

    def read(prompt: str) -> str:
        line = infile.readline()
        if not line:
            raise EOFError
        return line.rstrip("\r\n")

    return read


def _leaves(text: str) -> bool:
    """A quit word, "bye!" and "quit." too: the chat ends."""
    return text.casefold().rstrip("!.") in QUIT_WORDS


class Chat:
    """One console conversation: the options a number can pick, and the language spoken."""

    def __init__(self, core: Core) -> None:
        self._core = core
        self._options: tuple[Option, ...] = ()
        self.lang = locales.DEFAULT  # of the last reply: a hint or goodbye is said in it

    async def respond(self, text: str) -> str:
        """The text to show for one line that is neither blank nor a quit word."""
        text = BARE_COMMANDS.get(text.casefold(), text)
        question = Question(text, user_id="console", chat_id="console")
        if text.isascii() and text.isdigit() and self._options:
            if not 1 <= int(text) <= len(self._options):
                return locales.lines(self.lang)("console.pick_range", count=len(self._options))
            reply = await self._core.answer_fact(self._options[int(text) - 1].fact_id, question)
        else:
            reply = await self._core.answer(question)
        if text.split(maxsplit=1)[0].casefold() in HELP_COMMANDS:
            leave = locales.lines(reply.lang)("console.quit_help")
            reply = replace(reply, text=f"{reply.text}\n{leave}")
        self._options, self.lang = reply.options, reply.lang
        saved = None
        if reply.picture is not None:
            saved = await asyncio.to_thread(save_picture, reply.picture, reply.lang)
        return render_reply(reply, self._core.base.article.outlet, saved=saved)


class _CoreThread:
    """The core's event loop on a thread of its own, so the main thread can wait in input():
    Ctrl-C lands in the main thread, and readline restores the terminal only when interrupted
    there. The loop stays free while a person types.
    """

    def __enter__(self) -> Self:
        started = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(started,), name="console-core", daemon=True
        )
        self._thread.start()
        started.wait()
        return self

    def _run(self, started: threading.Event) -> None:
        # Ctrl-C must reach the main thread: a signal the kernel hands to this thread (or the
        # workers it starts, which inherit the mask) would leave input() waiting on a key
        if hasattr(signal, "pthread_sigmask"):  # Windows sends it to the main thread
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        asyncio.run(self._serve(started))

    async def _serve(self, started: threading.Event) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        started.set()
        await self._stop.wait()

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        """`work`'s result from the loop; Ctrl-C meanwhile goes on up, and leaving the
        `with` cancels the work."""
        return asyncio.run_coroutine_threadsafe(work, self._loop).result()

    def __exit__(self, *exc_info: object) -> None:
        """Stop the loop: asyncio.run cancels unfinished work and waits for it to wind up."""
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join()


def run_console(
    core: Core,
    read: Read,
    outfile: TextIO,
    *,
    terminal: bool = False,
    width: Callable[[], int] | None = None,
) -> None:
    """Answer line by line until the end of input or a quit word; a number picks an option
    of the last reply. On a `terminal`: a greeting, a prompt, and Ctrl-C or Ctrl-D leave at
    once with a goodbye (in a pipe Ctrl-C goes on up). `width`: the columns to wrap to.
    """
    chat = Chat(core)

    def write(text: str) -> None:
        outfile.write((wrap(text, width()) if width else text) + "\n")
        outfile.flush()

    if terminal:
        write(GREETING.format(outlet=core.base.article.outlet))
    with _CoreThread() as answers:
        try:
            while not _leaves(text := read(PROMPT if terminal else "").strip()):
                if text:
                    write(answers.run(chat.respond(text)) + "\n")  # a blank line after each
            ending = ""
        except EOFError:
            ending = "\n"  # Ctrl-D leaves the cursor after the prompt
        except KeyboardInterrupt:
            if not terminal:
                raise
            ending = "\n"
    if terminal:
        write(ending + locales.lines(chat.lang)("console.goodbye"))
