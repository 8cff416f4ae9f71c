"""The deployment files stay true to the code: Dockerfile, .dockerignore, lock file, Procfile.

Nothing is built: the Dockerfile is parsed, and what it runs is checked against the project
(its parser, its health endpoint, its settings) on this machine.
"""

import asyncio
import fnmatch
import json
import shlex
import sys
import tomllib
from importlib import metadata
from pathlib import Path, PurePosixPath

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from bot import cli
from bot.health import HealthServer
from bot.settings import Settings
from intents import load_facts
from tests.conftest import FACTS_PATH, ROOT

LOCK_FILE = ROOT / "requirements.lock"


def instructions() -> list[tuple[str, str]]:
    """The Dockerfile as (INSTRUCTION, arguments), continuation lines joined, comments gone."""
    result: list[tuple[str, str]] = []
    pending = ""
    for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("#") or not line.strip():
            continue
        pending += line.rstrip().removesuffix("\\") + " "
        if not line.rstrip().endswith("\\"):
            keyword, _, arguments = pending.strip().partition(" ")
            result.append((keyword.upper(), arguments.strip()))
            pending = ""
    return result


def exec_form(arguments: str) -> list[str]:
    """CMD ["python", ...] as its list; the shell form would swallow SIGTERM in /bin/sh."""
    command = json.loads(arguments)
    assert isinstance(command, list) and all(isinstance(a, str) for a in command), arguments
    return command


def copies() -> list[tuple[str, PurePosixPath]]:
    """Each COPY source with where it lands in the image, Docker's way: into a folder when the
    destination ends in "/" or several sources share it; a folder's contents into the target.
    """
    workdir = PurePosixPath("/")
    landed = []
    for keyword, arguments in instructions():
        if keyword == "WORKDIR":
            workdir = workdir / arguments
        if keyword == "COPY":
            *sources, dest = [a for a in shlex.split(arguments) if not a.startswith("--")]
            into = dest.endswith("/") or len(sources) > 1
            for source in sources:
                target = workdir / dest
                is_file = (ROOT / source).is_file()
                landed.append((source, target / Path(source).name if into and is_file else target))
    return landed


def image_env() -> dict[str, str]:
    """The ENV the image sets."""
    env = {}
    for keyword, arguments in instructions():
        if keyword == "ENV":
            env.update(pair.split("=", 1) for pair in shlex.split(arguments))
    return env


def dockerignored(relative: str) -> bool:
    """Whether .dockerignore keeps this path (or a folder above it) out of the build context.

    Docker's rules, as far as this project's file uses them: a pattern is matched from the
    context's root, and "**/" before it matches at any depth.
    """
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert not any(p.startswith("!") for p in patterns), "exceptions: extend this matcher"
    parts = PurePosixPath(relative).parts
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    for pattern in patterns:
        if pattern.startswith("**/"):
            if any(fnmatch.fnmatchcase(part, pattern.removeprefix("**/")) for part in parts):
                return True
        elif any(fnmatch.fnmatchcase(prefix, pattern.strip("/")) for prefix in prefixes):
            return True
    return False


def serves(argv: list[str]) -> str:
    """The platforms `python -m bot ARGV` serves ("all": every one configured); fails the test
    when ARGV is not a real subcommand or runs something else (the console would exit at once).
    """
    assert argv[:3] == ["python", "-m", "bot"], argv
    args = cli._parser().parse_args(argv[3:])  # SystemExit(2) for an unknown subcommand
    assert args.run is cli._serve, f"{shlex.join(argv)} serves no chat platform"
    return args.only or "all"


def test_dockerfile_copies_only_what_exists_and_the_context_keeps():
    for source, _ in copies():
        path = ROOT / source
        assert path.exists(), f"COPY {source}: not in the project"
        assert not dockerignored(source), f"COPY {source}: .dockerignore leaves it out"
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        for file in files:  # the package data (locales, calibration) must reach the image
            relative = file.relative_to(ROOT).as_posix()
            if file.suffix in (".py", ".yaml", ".json", ".toml", ".txt", ".lock"):
                assert not dockerignored(relative), f"{relative}: .dockerignore leaves it out"


def test_dockerignore_keeps_secrets_state_and_the_venv_out():
    kept_out = (".env", ".venv/bin/python", ".git/config", "data/bot.sqlite3", "x.sqlite3-wal")
    for path in (*kept_out, "bot/__pycache__/cli.cpython-311.pyc", "tests/conftest.py"):
        assert dockerignored(path), path


def test_dockerfile_cmd_serves_the_chat_platforms():
    (cmd,) = [a for k, a in instructions() if k == "CMD"]
    assert serves(exec_form(cmd)) == "all"


def test_dockerfile_runs_as_a_user_that_is_not_root():
    users = [a for k, a in instructions() if k == "USER"]
    assert users, "no USER: the bot would run as root"
    user, _, group = users[-1].partition(":")
    assert user not in ("root", "0") and group not in ("root", "0"), users[-1]


def test_dockerfile_installs_the_hash_checked_lock_then_the_project_alone():
    runs = [a for k, a in instructions() if k == "RUN"]
    (lock_install,) = [r for r in runs if "-r " in r]
    words = shlex.split(lock_install)
    lock = words[words.index("-r") + 1]
    assert "--require-hashes" in words and lock == LOCK_FILE.name
    assert lock in [s for s, _ in copies()] and LOCK_FILE.is_file()
    (project_install,) = [r for r in runs if "pip install --no-deps ." in r]
    assert runs.index(project_install) > runs.index(lock_install)


def test_dockerfile_environment_is_valid_settings_and_finds_the_fact_base(monkeypatch):
    env = image_env()
    for name, value in env.items():
        if name.lower() in Settings.model_fields:
            monkeypatch.setenv(name, value)
    settings = Settings()
    assert settings.health_port is not None and settings.health_port != settings.port
    landed = {str(target): source for source, target in copies()}
    facts = landed.get(env["FACTS_PATH"])
    assert facts == FACTS_PATH.name, f"FACTS_PATH={env['FACTS_PATH']} is not copied there"
    article = str(PurePosixPath(env["FACTS_PATH"]).parent / load_facts(FACTS_PATH).article.file)
    assert article in landed, f"the article {article} is not beside the fact base"


class Up:
    """An adapter as /healthz sees it."""

    name = "telegram"

    def __init__(self, state: str) -> None:
        self.state = state


async def probe(port: int) -> int:
    """The Dockerfile's HEALTHCHECK command, run here against port `port`: its exit code."""
    (check,) = [a for k, a in instructions() if k == "HEALTHCHECK"]
    _, _, command = check.partition("CMD ")
    argv = exec_form(command)
    assert argv[0] == "python"
    child = await asyncio.create_subprocess_exec(
        sys.executable, *argv[1:], env={"HEALTH_PORT": str(port), "HTTP_PROXY": "http://0.0.0.0:1"},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    return await asyncio.wait_for(child.wait(), 20)


@pytest.mark.parametrize(("state", "healthy"), [("up", True), ("down", False)])
async def test_healthcheck_asks_the_health_endpoint_the_bot_serves(state, healthy):
    adapter = Up(state)
    server = HealthServer([adapter], lambda: 47, host="127.0.0.1", port=0)
    await server.start()
    try:
        code = await probe(server.port)
    finally:
        await server.stop()
    assert (code == 0) is healthy


async def test_healthcheck_fails_when_nothing_listens():
    server = HealthServer([Up("up")], lambda: 47, host="127.0.0.1", port=0)
    await server.start()
    port = server.port
    await server.stop()
    assert await probe(port) != 0


def locked() -> dict[str, tuple[Version, int]]:
    """requirements.lock as name -> (pinned version, number of hashes)."""
    pins: dict[str, tuple[Version, int]] = {}
    name = ""
    for line in LOCK_FILE.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not line.startswith((" ", "#")) and stripped:
            requirement = Requirement(stripped.removesuffix("\\").split(";")[0])
            (spec,) = requirement.specifier
            assert spec.operator == "==", f"{stripped}: not pinned with =="
            name = canonicalize_name(requirement.name)
            pins[name] = (Version(spec.version), 0)
        elif stripped.startswith("--hash=sha256:"):
            pins[name] = (pins[name][0], pins[name][1] + 1)
    return pins


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_lock_pins_every_runtime_dependency_within_its_range():
    pins = locked()
    for line in project()["dependencies"]:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in {LOCK_FILE.name}: make lock"
        version, _ = pins[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{name}=={version} is outside {requirement.specifier}: make lock"
        )
        for extra in requirement.extras:  # python-telegram-bot[webhooks] brings tornado
            for dependency in extra_requirements(requirement.name, extra):
                assert canonicalize_name(dependency.name) in pins, f"{name}[{extra}]: {dependency}"


def extra_requirements(distribution: str, extra: str) -> list[Requirement]:
    """What `distribution[extra]` adds, as the installed distribution's metadata says."""
    requirements = [Requirement(line) for line in metadata.requires(distribution) or []]
    return [
        r
        for r in requirements
        if r.marker and "extra" in str(r.marker) and r.marker.evaluate({"extra": extra})
    ]


def test_lock_holds_hashes_for_every_pin_and_no_dev_tool():
    pins = locked()
    assert all(hashes for _, hashes in pins.values()), "a pin without a hash: --require-hashes"
    for line in project()["optional-dependencies"]["dev"]:
        name = canonicalize_name(Requirement(line).name)
        assert name not in pins, f"{name} is a dev tool, not a runtime dependency"


def test_lock_says_how_to_regenerate_it():
    header = LOCK_FILE.read_text(encoding="utf-8").split("\n", 2)[:2]
    assert "make lock" in "\n".join(header)
    assert "\nlock:" in (ROOT / "Makefile").read_text(encoding="utf-8")


def procfile() -> dict[str, list[str]]:
    """Procfile as process type -> its command words."""
    processes = {}
    for line in (ROOT / "Procfile").read_text(encoding="utf-8").splitlines():
        if line.strip():
            kind, _, command = line.partition(":")
            processes[kind.strip()] = shlex.split(command)
    return processes


def split_env(words: list[str]) -> tuple[dict[str, str], list[str]]:
    """NAME=value words before the command, and the command."""
    env = {}
    while words and "=" in words[0]:
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    return env, words


def test_procfile_commands_are_real_subcommands_and_settings():
    processes = procfile()
    assert set(processes) == {"worker", "web"}
    for kind, words in processes.items():
        env, command = split_env(list(words))
        assert all(name.lower() in Settings.model_fields for name in env), (kind, env)
        assert serves(command) == "all", kind


def test_procfile_web_serves_telegram_by_webhook_and_worker_polls():
    web_env, _ = split_env(procfile()["web"])
    worker_env, _ = split_env(procfile()["worker"])
    assert web_env == {"TELEGRAM_MODE": "webhook"}  # the host routes PORT to web alone
    assert "TELEGRAM_MODE" not in worker_env  # the default: polling
