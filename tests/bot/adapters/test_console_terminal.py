"""The console on a real (pseudo-)terminal 80 columns wide: line editing, history, wrapping,
and the ways out; and `ask`, which offers no numbers it cannot take."""

import fcntl
import io
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import FACTS_PATH, ROOT, subprocess_env

COLUMNS = 80
WAIT = 20.0  # seconds for one expectation; start-up takes about one
ESCAPES = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|[=>])")  # readline's cursor and mode codes
UP = b"\x1b[A"
SETTLE = 0.5  # seconds for readline to return to waiting for a key after an echo
PICK_HINT = "(type a number to pick one)\n"
# A child of Popen is no session leader; login_tty makes the pty its controlling terminal,
# so Ctrl-C typed there is a SIGINT to it, as in a shell.
LAUNCH = "import os, sys; os.login_tty(0); os.execv(sys.executable, [sys.executable, '-m', 'bot'])"


class Terminal:
    """A person at the pty: types bytes, waits for text to appear."""

    def __init__(self, master: int, slave: int, child: subprocess.Popen[bytes]) -> None:
        self._master = master
        self._slave = slave
        self.child = child
        self._shown = b""
        self.screen = ""  # everything shown, less escape codes and carriage returns
        self._seen = 0

    def type(self, keys: bytes) -> None:
        os.write(self._master, keys)

    def expect(self, text: str) -> str:
        """What was shown since the last expectation, up to and including `text`."""
        deadline = time.monotonic() + WAIT
        while (found := self.screen.find(text, self._seen)) < 0:
            left = deadline - time.monotonic()
            assert left > 0, f"{text!r} never came; the screen ends {self.screen[-400:]!r}"
            if select.select([self._master], [], [], left)[0]:
                self._read()
        shown, self._seen = self.screen[self._seen : found + len(text)], found + len(text)
        return shown

    def wait(self) -> int:
        """The exit status, after reading what is left on the screen."""
        status = self.child.wait(timeout=WAIT)
        while select.select([self._master], [], [], 0)[0] and self._read():
            pass
        return status

    def modes(self) -> list[object]:
        """The terminal's settings (echo, line mode...), as a shell would find them."""
        return termios.tcgetattr(self._slave)

    def _read(self) -> bool:
        try:
            chunk = os.read(self._master, 65536)
        except OSError:  # EIO: every end of the terminal is closed
            return False
        self._shown += chunk  # cleaned whole: a read may end inside a code or a character
        self.screen = ESCAPES.sub(b"", self._shown).replace(b"\r", b"").decode(errors="replace")
        return bool(chunk)


@contextmanager
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    """`python -m bot` on a fresh pty, in an empty directory so no .env applies."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, COLUMNS, 0, 0))
    env = subprocess_env(TERM="xterm", FACTS_PATH=str(FACTS_PATH), PYTHONPATH=str(ROOT))
    for name in ("COLUMNS", "LINES", "TELEGRAM_TOKEN", "DISCORD_TOKEN"):
        env.pop(name, None)  # the window's size is the pty's; the console needs no token
    child = subprocess.Popen(
        [sys.executable, "-c", LAUNCH], stdin=slave, stdout=slave, stderr=slave,
        cwd=tmp_path, env=env,
    )  # fmt: skip
    try:
        yield Terminal(master, slave, child)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        os.close(master)
        os.close(slave)


def test_terminal_wraps_an_answer_at_word_boundaries_to_the_width(tmp_path, base):
    fact = base.fact("khamenei_quote")
    assert len(fact.answer) > COLUMNS  # else there is nothing to wrap
    with terminal(tmp_path) as term:
        term.expect("> ")
        term.type(f"{fact.label}\r".encode())
        term.expect(f"{fact.label}\n")  # readline's echo of the question
        shown = term.expect(PICK_HINT)
        term.expect("> ")
        term.type(b"quit\r")
        assert term.wait() == 0
    lines = shown.splitlines()
    assert max(len(line) for line in lines) <= COLUMNS
    assert len(lines[0]) < len(fact.answer)  # wrapped, not left to the terminal
    assert " ".join(shown.split()).startswith(" ".join(fact.answer.split()))  # no word cut
    assert " ".join(fact.quote.split()) in " ".join(shown.split())


def test_terminal_ctrl_c_leaves_at_once_with_a_goodbye_and_status_0(tmp_path):
    with terminal(tmp_path) as term:
        modes = term.modes()
        term.expect("> ")
        term.type(b"half a question")
        term.expect("half a question")  # echoed: readline has the keys
        # CPython's readline sees a signal only while it waits in select(): one that lands
        # while it is still drawing the echo (a starved CPU) waits for the next key. A person
        # is never that fast; give it time to get back to waiting.
        time.sleep(SETTLE)
        term.type(b"\x03")
        term.expect("Bye!")
        assert term.wait() == 0
        assert term.modes() == modes  # readline gave back echo and line editing to the shell
    assert "Traceback" not in term.screen and "KeyboardInterrupt" not in term.screen


def test_terminal_ctrl_d_leaves_on_a_fresh_line_with_status_0(tmp_path):
    with terminal(tmp_path) as term:
        term.expect("> ")
        term.type(b"\x04")
        assert term.wait() == 0
    assert term.screen.endswith("> \nBye!\n")


def test_terminal_up_arrow_recalls_an_earlier_question(tmp_path, base):
    nato, rama = base.fact("nato_2009"), base.fact("rama_who")
    with terminal(tmp_path) as term:
        for keys in (nato.label.encode(), rama.label.encode(), UP + UP):  # UP UP: the one before
            term.expect("> ")
            term.type(keys + b"\r")
            term.expect(PICK_HINT)
        term.expect("> ")
        term.type(b"\x04")
        assert term.wait() == 0
    words = " ".join(term.screen.split())
    assert words.count(" ".join(nato.answer.split())) == 2
    assert words.count(" ".join(rama.answer.split())) == 1


def test_terminal_bare_help_and_topics_work_and_bye_leaves(tmp_path):
    with terminal(tmp_path) as term:
        term.expect("> ")
        term.type(b"help\r")
        term.expect("quit, exit or bye - leave the chat")
        term.expect("> ")
        term.type(b"topics\r")
        term.expect("What I can answer, by topic:")
        term.expect("> ")
        term.type(b"bye\r")
        term.expect("Bye!")
        assert term.wait() == 0


@pytest.mark.parametrize("stdin", [None, "When did Albania join NATO?\n"])
def test_ask_lists_options_without_numbers_it_cannot_take(stdin, monkeypatch, capsys):
    argv = ["ask"] if stdin else ["ask", "When did Albania join NATO?"]
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin or ""))
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "2009" in out and "Related:\n  - Where is Albania?" in out
    assert "type a number" not in out and not re.search(r"^ *[0-9]+\. ", out, re.MULTILINE)
