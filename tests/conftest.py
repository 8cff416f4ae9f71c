"""Shared fixtures: the real fact base, a core on it, and a clean environment."""

import asyncio
import contextlib
import os
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.core import Core
from bot.settings import Settings
from intents import FactBase, load_facts

ROOT = Path(__file__).resolve().parent.parent
FACTS_PATH = ROOT / "facts.yaml"
SETTING_NAMES = tuple(name.upper() for name in Settings.model_fields)
LOOPBACK = {"NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No setting leaks in from the machine running the tests; loopback bypasses any proxy;
    the database is the test's own, never the project's data/.
    """
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)
    for name, value in LOOPBACK.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "bot.sqlite3"))


@pytest.fixture(scope="session")
def base() -> FactBase:
    return load_facts(FACTS_PATH)


@pytest.fixture
def facts_copy(tmp_path: Path) -> Path:
    """A writable copy of the fact base beside its article: what a reload reads."""
    for name in ("facts.yaml", "article.txt"):
        (tmp_path / name).write_text((ROOT / name).read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path / "facts.yaml"


@pytest.fixture
def core(base: FactBase) -> Core:
    return Core(base)


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for a `python -m bot` child: ours, less any setting but the test's
    database, plus `extra`.
    """
    env = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    env["DATABASE_PATH"] = os.environ["DATABASE_PATH"]
    env.update(LOOPBACK)
    env.update(extra)
    return env


@asynccontextmanager
async def bot_process(
    *args: str, output: Path | None = None, **env: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    """`python -m bot ARGS` with `env`; its output piped, or appended to the file `output`;
    killed if a test leaves it running."""
    with contextlib.ExitStack() as files:
        sink = files.enter_context(output.open("ab")) if output else asyncio.subprocess.PIPE
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", *args, cwd=ROOT, env=subprocess_env(**env),
            stdout=sink, stderr=sink,
        )  # fmt: skip
    try:
        yield child
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()


def free_port() -> int:
    """A port free on 127.0.0.1 now, for a server that must be told its port in advance."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
