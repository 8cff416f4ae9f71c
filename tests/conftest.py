"""Shared fixtures: the real fact base, a core on it, and a clean environment."""

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
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


class RedisServer:
    """A real redis-server on 127.0.0.1, a free port, nothing written to disk; it can be
    stopped and started again on the same port, as an operator's Redis restarts."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._directory = directory
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self._directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return
            time.sleep(0.02)
        raise RuntimeError(f"redis-server did not listen on {self.port} within 10 s")

    def stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A Redis of the test's own; .ci/run installs redis-server (Debian's package)."""
    if shutil.which("redis-server") is None:
        pytest.skip("no redis-server here (.ci/run installs it: apt-get install redis-server)")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()
