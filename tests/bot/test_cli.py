import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from bot.adapters.discord_adapter import COMMANDS
from bot.cli import main
from bot.journal import Event, Journal
from tests.conftest import FACTS_PATH, ROOT, bot_process, free_port, subprocess_env
from tests.fakes.discord_api import TOKEN as DISCORD_TOKEN
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.telegram_api import TOKEN, FakeTelegram

JSON_KEYS = {"intent", "score", "answer", "suggestions", "kind", "text", "lang"}


def run_bot(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=subprocess_env(**env),
        timeout=60,
    )


def test_console_chat_answers_in_a_pipe():
    result = run_bot(stdin="When did Albania join NATO?\n")
    assert result.returncode == 0, result.stderr
    assert "2009" in result.stdout and "Croatia" in result.stdout
    assert 'Source: "In 2009 Albania became a member of NATO together with Croatia"' in (
        result.stdout
    )
    assert result.stderr == ""


def test_console_chat_stops_at_quit():
    result = run_bot(stdin="hi\nquit\nWhen did Albania join NATO?\n")
    assert result.returncode == 0
    assert "Hello" in result.stdout and "2009" not in result.stdout


def test_ask_json_gives_one_object_per_line():
    questions = [
        "When did Albania join NATO?",
        "What do Albanians think of Russia?",
        "thanks",
        "albania",
        "",
    ]
    result = run_bot("ask", "--json", stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(questions)
    replies = [json.loads(line) for line in lines]
    assert all(set(r) == JSON_KEYS for r in replies)
    assert all(0 <= r["score"] <= 100 for r in replies)
    answer, decline, thanks, clarify, empty = replies
    assert answer["intent"] == "nato_2009" and "2009" in answer["answer"]
    for reply in (decline, thanks, clarify, empty):
        assert reply["intent"] is None and reply["answer"] == ""
    assert len(clarify["suggestions"]) >= 2
    assert 1 <= len(decline["suggestions"]) <= 3
    kinds = [r["kind"] for r in replies]
    assert kinds == ["answer", "decline", "smalltalk", "clarify", "decline"]
    assert "Russia" in decline["text"] and answer["text"] == answer["answer"]


def test_ask_json_answers_in_the_language_asked_and_honours_the_lang_hint():
    lines = [
        {"text": "Wann ist Albanien der NATO beigetreten?"},
        {"text": "kur u anetaresua shqiperia ne nato"},
        {"text": "rama nato", "lang": "sq-AL"},
        {"text": "rama nato", "lang": "de"},
        {"text": "rama nato"},
    ]
    stdin = "\n".join(json.dumps(x) for x in lines) + "\n"
    result = run_bot("ask", "--json", stdin=stdin)
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["lang"] for r in replies] == ["de", "sq", "sq", "de", "en"]
    assert replies[0]["intent"] == replies[1]["intent"] == "nato_2009"
    assert replies[0]["answer"] != replies[1]["answer"] and "2009" in replies[1]["answer"]


def test_ask_json_lines_of_one_chat_share_a_conversation():
    lines = [
        {"text": "who is michael barbero", "chat": "a"},
        {"text": "who is edi rama", "chat": 7, "lang": "en"},
        {"text": "what did he say", "chat": "a"},
        {"text": "what did he say", "chat": 7},
        {"text": "what did he say"},  # no chat: a message on its own
        "what did he say",  # a plain line: on its own too
    ]
    stdin = "\n".join(json.dumps(x) if isinstance(x, dict) else x for x in lines) + "\n"
    result = run_bot("ask", "--json", stdin=stdin)
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    intents = [r["intent"] for r in replies]
    assert intents[:4] == ["barbero_who", "rama_who", "barbero_warning", "unshakable_alliance"]
    assert not {"barbero_warning", "unshakable_alliance"} & set(intents[4:])


@pytest.mark.parametrize(
    ("line", "problem"),
    [('{"text": 5}', '"text", a string'), ('{"text": "hi", "chat": [1]}', '"chat" must be'),
     ('{"text": "hi", "chat": true}', '"chat" must be'), ('{"text": "hi", "chat": 1.5}', "integer"),
     ('{"text": "hi", "lang": 2}', '"lang" must be'), ("{oops", "not valid JSON")],
)  # fmt: skip
def test_ask_json_names_what_is_wrong_with_a_line(line, problem):
    result = run_bot("ask", "--json", stdin=f"{line}\nwhen did albania join nato\n")
    bad, good = (json.loads(x) for x in result.stdout.splitlines())
    assert bad["kind"] == "info" and problem in bad["text"] and bad["intent"] is None
    assert good["intent"] == "nato_2009"


def test_ask_json_answers_each_line_before_the_next_arrives():
    child = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "--json"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=subprocess_env(),
    )
    try:
        for question, intent in (
            ("When did Albania join NATO?", "nato_2009"),
            ("who is rama", "rama_who"),
        ):
            child.stdin.write(question + "\n")
            child.stdin.flush()
            assert json.loads(child.stdout.readline())["intent"] == intent
    finally:
        child.stdin.close()
        assert child.wait(timeout=30) == 0
        child.stdout.close()


def test_ask_json_survives_bytes_that_are_not_utf8():
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json"],
        input=b"\xff\xfe\x00 who is rama\nWhen did Albania join NATO?\n",
        capture_output=True,
        cwd=ROOT,
        env=subprocess_env(),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 2
    assert json.loads(lines[1])["intent"] == "nato_2009"


def test_ask_takes_the_question_as_arguments(capsys):
    assert main(["ask", "--json", "who", "is", "edi", "rama"]) == 0
    reply = json.loads(capsys.readouterr().out)
    assert reply["intent"] == "rama_who"


def test_ask_plain_prints_the_answer_and_source(capsys):
    assert main(["ask", "What does Quds mean?"]) == 0
    out = capsys.readouterr().out
    assert "Jerusalem" in out and "Source:" in out


def test_check_accepts_the_fact_base(capsys):
    assert main(["check"]) == 0
    assert f"{FACTS_PATH}: OK" in capsys.readouterr().out


def test_check_lists_every_problem_and_exits_1(tmp_path, capsys):
    bad = tmp_path / "facts.yaml"
    bad.write_text("article: {file: missing.txt}\nfacts: [{id: x}]\n")
    assert main(["check", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "problem(s)" in err
    assert "facts.yaml: article.title: Field required" in err
    assert "facts.yaml: facts[0].answer: Field required" in err


def test_check_fails_an_answer_its_sources_do_not_support(facts_copy, capsys):
    text = facts_copy.read_text(encoding="utf-8")
    claim = "Albania became a member of NATO in 2009, together with Croatia."
    assert claim in text
    facts_copy.write_text(text.replace(claim, claim[:-1] + " and Serbia."), encoding="utf-8")
    assert main(["check", str(facts_copy)]) == 1
    assert "(nato_2009).answer: not in its source: Serbia" in capsys.readouterr().err


def test_check_fails_a_translation_that_says_more_than_the_english(facts_copy, capsys):
    text = facts_copy.read_text(encoding="utf-8")
    german = "answer: Albanien wurde 2009 gemeinsam mit Kroatien Mitglied der NATO."
    assert german in text
    changed = german.replace("Kroatien", "Serbien").replace("2009", "2008")
    facts_copy.write_text(text.replace(german, changed), encoding="utf-8")
    assert main(["check", str(facts_copy)]) == 1
    err = capsys.readouterr().err
    where = "(nato_2009).translations.de.answer"
    assert f"{where}: names differ from the English answer (missing croatia; adds serbia)" in err
    assert (
        f"{where}: figures differ from the English answer (English ['2009'], here ['2008'])" in err
    )


def test_eval_prints_accuracy_and_rejection(capsys):
    assert main(["eval", "--split", "dev"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("dev ") and "in scope" in out and "declined" in out
    assert "batch shorthand" in out and "follow-ups" in out


def test_eval_exits_non_zero_under_its_minimums(tmp_path, capsys):
    questions = tmp_path / "q.yaml"
    questions.write_text('dev:\n  - ["who is edi rama", rama_who]\n  - ["who is putin", ~]\n')
    assert main(["eval", str(questions), "--min-accuracy", "0.9", "--min-rejection", "1"]) == 0
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text('dev:\n  - ["who is edi rama", khamenei_who]\n')
    assert main(["eval", str(wrong), "--min-accuracy", "0.5"]) == 1
    assert "accuracy 0.0% is under 50.0%" in capsys.readouterr().err
    assert main(["eval", str(wrong)]) == 0  # no minimum, no failure
    answered = tmp_path / "answered.yaml"  # out of scope, but the bot answers it
    answered.write_text('dev:\n  - ["who is edi rama", ~]\n')
    assert main(["eval", str(answered), "--min-rejection", "0.5"]) == 1
    assert "rejection 0.0% is under 50.0%" in capsys.readouterr().err


def test_eval_minimums_hold_for_every_language(tmp_path, capsys):
    german = tmp_path / "de.yaml"
    german.write_text('lang: de\ndev:\n  - ["wer ist edi rama", khamenei_who]\n', encoding="utf-8")
    assert main(["eval", str(german), "--min-accuracy", "0.5"]) == 1
    assert "de all: accuracy 0.0% is under 50.0%" in capsys.readouterr().err


def test_eval_with_typos_is_seeded(capsys):
    outputs = []
    for seed in ("3", "3", "4"):
        main(["eval", "tests/batches/shorthand.yaml", "--typos", seed])
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] != outputs[2]


def test_eval_names_a_bad_question_file(tmp_path, capsys):
    bad = tmp_path / "q.yaml"
    bad.write_text("nonsense: []\n")
    assert main(["eval", str(bad)]) == 2
    assert "expected top-level keys" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("env", "named"),
    [({"ANSWER_THRESHOLD": "lots"}, "ANSWER_THRESHOLD"), ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
     ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
     ({"FACTS_PATH": "/nowhere/facts.yaml"}, "/nowhere/facts.yaml")],
)  # fmt: skip
def test_bad_setting_is_one_clear_line_and_exit_2(env, named):
    result = run_bot("ask", "hi", **env)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert named in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_bench_prints_latency_and_throughput():
    result = run_bot("bench", "--quick")
    assert result.returncode == 0, result.stderr
    for label in ("1x:", "10x:", "p50", "p99", "q/s", "de: p50", "sq: p50", "ask --json:"):
        assert label in result.stdout


def test_run_without_a_token_names_the_variable_and_exits_2():
    result = run_bot("run")
    assert result.returncode == 2
    assert "TELEGRAM_TOKEN" in result.stderr and "Traceback" not in result.stderr


def test_telegram_with_a_malformed_token_never_echoes_it():
    result = run_bot("telegram", TELEGRAM_TOKEN="not-a-token-value-xyz")
    assert result.returncode == 2
    assert "TELEGRAM_TOKEN" in result.stderr and "not-a-token-value-xyz" not in result.stderr


async def stop_with_sigterm(child: asyncio.subprocess.Process) -> str:
    """SIGTERM, then everything the process wrote."""
    child.send_signal(signal.SIGTERM)
    stdout, stderr = await asyncio.wait_for(child.communicate(), 10)
    return stderr.decode() + stdout.decode()


async def test_run_serves_telegram_and_stops_on_sigterm_without_leaking_the_token():
    async with (
        FakeTelegram() as fake,
        bot_process(
            "run", TELEGRAM_TOKEN=TOKEN, TELEGRAM_API_URL=fake.api_url, LOG_LEVEL="DEBUG"
        ) as child,
    ):
        await fake.wait_polling(timeout=30)
        fake.push_text("When did Albania join NATO?")
        (sent,) = await fake.wait_for("sendMessage", timeout=30)
        log = await stop_with_sigterm(child)
    assert "2009" in sent.params["text"]
    assert child.returncode == 0, log[-2000:]
    assert "DEBUG" in log and "stopped" in log
    assert TOKEN not in log and TOKEN.split(":")[1] not in log


async def test_json_logs_are_one_object_a_line_and_never_carry_the_token():
    async with FakeTelegram() as fake:
        env = {"TELEGRAM_API_URL": fake.api_url, "LOG_LEVEL": "DEBUG", "LOG_FORMAT": "JSON"}
        async with bot_process("telegram", TELEGRAM_TOKEN=TOKEN, **env) as child:
            await fake.wait_polling(timeout=30)
            fake.push_text("When did Albania join NATO?")
            await fake.wait_for("sendMessage", timeout=30)
            child.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(child.communicate(), 10)
    assert child.returncode == 0, stderr.decode()[-2000:]
    entries = [json.loads(line) for line in stderr.decode().splitlines()]
    assert all({"time", "level", "logger", "message"} <= set(e) for e in entries)
    assert {"DEBUG", "INFO"} <= {e["level"] for e in entries}
    assert any(e["logger"].startswith("telegram") for e in entries)
    assert any(e["message"] == "stopped" for e in entries)
    assert TOKEN not in stderr.decode() and TOKEN.split(":")[1] not in stderr.decode()


async def test_run_both_platforms_at_debug_through_faults_reload_and_health_leaks_no_token():
    """Operations end to end: both adapters on one loop at DEBUG, a failed send on each,
    SIGHUP, /healthz, SIGTERM; then the decline is in `unanswered`. No token is ever printed,
    error paths included.
    """
    async with FakeTelegram() as telegram, FakeDiscord() as discord_fake:
        health_port = free_port()
        env = {
            "TELEGRAM_TOKEN": TOKEN,
            "TELEGRAM_API_URL": telegram.api_url,
            "DISCORD_TOKEN": DISCORD_TOKEN,
            "DISCORD_API_URL": discord_fake.api_base,
            "DISCORD_GATEWAY_URL": discord_fake.gateway_url,
            "LOG_LEVEL": "DEBUG",
            "HEALTH_PORT": str(health_port),
            "HEALTH_HOST": "127.0.0.1",
        }
        async with bot_process("run", **env) as child:
            await telegram.wait_polling(timeout=30)
            await discord_fake.wait_connected(timeout=30)
            telegram.fail("sendMessage", 502)
            discord_fake.fail("POST /channels/{id}/messages", 500)
            telegram.push_text("When did Albania join NATO?")
            telegram.push_text("What do Albanians think of Russia?")
            await discord_fake.push_message("where do the MEK live?", dm=True)
            sent = await telegram.wait_for("sendMessage", 2, timeout=30)
            (posted,) = await discord_fake.wait_sent(1, timeout=30)
            child.send_signal(signal.SIGHUP)
            health = await healthy(health_port)
            log = await stop_with_sigterm(child)
    assert health.status_code == 200, health.text
    assert health.json() == {
        "status": "ok",
        "adapters": {"telegram": "up", "discord": "up"},
        "facts": 47,
    }
    assert sorted("2009" in s.params["text"] for s in sent) == [False, True]
    assert len(telegram.faulted) == 1 and len(discord_fake.faulted) == 1
    assert "Durrës" in posted["embeds"][0]["description"]
    assert child.returncode == 0, log[-2000:]
    assert "serving on telegram, discord" in log and "stopped" in log
    assert "reload: " in log and "retrying" in log
    for secret in (TOKEN, TOKEN.split(":")[1], DISCORD_TOKEN, DISCORD_TOKEN.split(".", 1)[1]):
        assert secret not in log
    report = run_bot("unanswered")
    assert report.returncode == 0, report.stderr
    assert "what do albanians think of russia" in report.stdout
    assert "1 unanswered question(s)" in report.stdout


async def healthy(port: int, timeout: float = 15) -> httpx.Response:
    """/healthz once it answers 200 (Discord is ready a moment after it first answers), or
    its last answer when `timeout` runs out.
    """
    async with httpx.AsyncClient(trust_env=False) as client:
        for _ in range(int(timeout / 0.1)):
            response = await client.get(f"http://127.0.0.1:{port}/healthz")
            if response.status_code == 200:
                break
            await asyncio.sleep(0.1)
    return response


def test_unanswered_and_stats_read_the_database():
    journal = Journal(Path(os.environ["DATABASE_PATH"]))
    journal.record(Event("telegram", "decline", "", "who won the cup", (("nato_2009", 20.0),)))
    journal.record(Event("discord", "answer", "nato_2009"))
    journal.close()
    missed = run_bot("unanswered", "--since", "1")
    assert missed.returncode == 0, missed.stderr
    assert "who won the cup" in missed.stdout
    assert "closest fact: nato_2009 (20): When did Albania join NATO?" in missed.stdout
    counts = run_bot("stats")
    assert counts.returncode == 0, counts.stderr
    assert counts.stdout.startswith("2 question(s): 1 answered (50%)")
    assert "1  nato_2009: When did Albania join NATO?" in counts.stdout


def test_reports_without_a_database_say_where_it_should_be(tmp_path):
    result = run_bot("stats", DATABASE_PATH=str(tmp_path / "none.sqlite3"))
    assert result.returncode == 1
    assert "error: no database at" in result.stderr and "DATABASE_PATH" in result.stderr
    assert "Traceback" not in result.stderr
    bad = run_bot("unanswered", "--since", "soon")
    assert bad.returncode == 2 and "not a number of days" in bad.stderr


@pytest.mark.parametrize(("args", "scope"), [((), "global"), (("--guild", "42"), "42")])
async def test_discord_sync_registers_commands_without_the_gateway(args, scope):
    async with FakeDiscord() as discord_fake:
        env = {
            "DISCORD_TOKEN": DISCORD_TOKEN,
            "DISCORD_API_URL": discord_fake.api_base,
            "DISCORD_GATEWAY_URL": discord_fake.gateway_url,
        }
        async with bot_process("discord-sync", *args, **env) as child:
            stdout, stderr = await asyncio.wait_for(child.communicate(), 30)
    assert child.returncode == 0, stderr.decode()[-2000:]
    commands = len(COMMANDS) + 1  # and /ask
    assert stdout.decode().startswith(f"synced {commands} slash commands to ")
    assert len(discord_fake.commands[scope]) == commands and not discord_fake.identified


async def test_discord_authentication_failure_ends_the_process_with_one_clear_line():
    async with FakeDiscord() as discord_fake:
        env = {
            "DISCORD_TOKEN": DISCORD_TOKEN,
            "DISCORD_API_URL": discord_fake.api_base,
            "DISCORD_GATEWAY_URL": discord_fake.gateway_url,
            "LOG_LEVEL": "WARNING",
        }
        async with bot_process("discord", **env) as child:
            await discord_fake.wait_connected(20)
            await asyncio.sleep(3)  # serving: past the wait for servers' GUILD_CREATE
            await discord_fake.disconnect(4004)  # the token was reset in the Developer Portal
            _, stderr = await asyncio.wait_for(child.communicate(), 15)
    errors = [line for line in stderr.decode().splitlines() if " ERROR " in line]
    assert child.returncode == 3, stderr.decode()[-3000:]
    assert len(errors) == 1 and "discord" in errors[0] and "4004" in errors[0], errors
    assert DISCORD_TOKEN not in stderr.decode()


async def test_discord_sync_without_discord_is_one_line_and_no_traceback():
    closed = free_port()  # nothing listens there: connection refused, as with no network
    env = {"DISCORD_TOKEN": DISCORD_TOKEN, "DISCORD_API_URL": f"http://127.0.0.1:{closed}/api"}
    async with bot_process("discord-sync", LOG_LEVEL="WARNING", **env) as child:
        stdout, stderr = await asyncio.wait_for(child.communicate(), 30)
    assert child.returncode == 1
    assert stderr.decode().startswith("error: cannot reach Discord: ")
    assert stderr.decode().count("\n") == 1 and stdout == b""
    assert DISCORD_TOKEN.split(".", 1)[1] not in stderr.decode()


async def test_discord_sync_to_a_server_the_bot_is_not_in_is_one_line():
    async with FakeDiscord() as discord_fake:
        discord_fake.fail("PUT /applications/{id}/guilds/{id}/commands", 403)
        env = {"DISCORD_TOKEN": DISCORD_TOKEN, "DISCORD_API_URL": discord_fake.api_base}
        async with bot_process(
            "discord-sync", "--guild", "42", LOG_LEVEL="WARNING", **env
        ) as child:
            _, stderr = await asyncio.wait_for(child.communicate(), 30)
    assert child.returncode == 1
    assert stderr.decode().startswith("error: Discord did not take the slash commands: 403")
    assert stderr.decode().count("\n") == 1 and not discord_fake.commands
