"""The command line, and the only place that configures logging.

python -m bot                      console chat (the default; no token needed)
python -m bot run                  every chat platform whose token is set
python -m bot telegram             Telegram alone
python -m bot discord              Discord alone
python -m bot discord-sync         register the slash commands with Discord
python -m bot unanswered          what people asked that the fact base lacks
python -m bot stats                answers per fact and per day
python -m bot ask [--json] [Q...]  one question, or one per stdin line
python -m bot check [FILE]         validate a fact base; answers supported by sources
python -m bot eval [FILE...]       accuracy on labelled question sets
python -m bot fit                  re-fit the decision model on the dev questions
python -m bot bench                latency and throughput figures
"""

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from bot.adapters import AdapterError
from bot.app import build_adapters, build_core, health_server, serve
from bot.core import Core, Question, Reply, ReplyKind
from bot.evaluation import SPLITS
from bot.redact import JsonFormatter, RedactingFormatter, redact, secret_parts
from bot.reports import NoJournal
from bot.settings import ConfigError, Settings, load_settings
from intents import FactBaseError, load_facts

JOURNALS = "journal files, one per process (default: DATABASE_PATH), read as one"
EXIT_PROBLEMS = 1
EXIT_CONFIG = 2
EXIT_PLATFORM = 3  # a platform could no longer be served (a revoked token): restart or look
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
QUIET_LOGGERS = ("httpx", "httpcore")  # request lines at INFO carry the Telegram token in the URL

log = logging.getLogger("bot")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    secrets: tuple[str, ...] = ()
    try:
        settings = load_settings()
        secrets = secret_parts(settings.secrets)
        configure_logging(settings.log_level, secrets, settings.log_format)
        return args.run(args, settings)
    except (ConfigError, FactBaseError) as exc:
        print(f"error: {redact(str(exc), secrets)}", file=sys.stderr)
        return EXIT_CONFIG
    except (AdapterError, NoJournal) as exc:
        print(f"error: {redact(str(exc), secrets)}", file=sys.stderr)
        return EXIT_PROBLEMS
    except Exception:  # a library's error may quote a token: log it through the scrubber
        log.exception("unexpected error")
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130


def configure_logging(level: str, secrets: tuple[str, ...], log_format: str = "text") -> None:
    """One stderr handler whose every line, tracebacks included, is scrubbed of `secrets`;
    `log_format` "json" makes each line one JSON object, for a log collector."""
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter(secrets=secrets))
    else:
        handler.setFormatter(RedactingFormatter(LOG_FORMAT, secrets))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    logging.captureWarnings(True)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="A fact bot answering questions about one news article. "
        "With no command: the console chat.",
    )
    parser.set_defaults(run=_console)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    run = commands.add_parser("run", help="serve every chat platform whose token is set")
    run.set_defaults(run=_serve, only=None)

    telegram = commands.add_parser("telegram", help="serve Telegram alone (TELEGRAM_TOKEN)")
    telegram.set_defaults(run=_serve, only="telegram")

    discord = commands.add_parser("discord", help="serve Discord alone (DISCORD_TOKEN)")
    discord.set_defaults(run=_serve, only="discord")

    sync = commands.add_parser("discord-sync", help="register the slash commands with Discord")
    sync.add_argument(
        "--guild", type=int, help="only in this server, at once (default: DISCORD_GUILD_ID)"
    )
    sync.add_argument(
        "--everywhere", action="store_true", help="globally, ignoring DISCORD_GUILD_ID"
    )
    sync.set_defaults(run=_discord_sync)

    missed = commands.add_parser(
        "unanswered", help="questions the bot declined or was unsure of, grouped (DATABASE_PATH)"
    )
    missed.add_argument("--since", type=_days, metavar="DAYS", help="only the last DAYS days")
    missed.add_argument("journal", nargs="*", type=Path, help=JOURNALS)
    missed.set_defaults(run=_unanswered)

    counts = commands.add_parser("stats", help="answers per fact and per day (DATABASE_PATH)")
    counts.add_argument("--since", type=_days, metavar="DAYS", help="only the last DAYS days")
    counts.add_argument("journal", nargs="*", type=Path, help=JOURNALS)
    counts.set_defaults(run=_stats)

    ask = commands.add_parser("ask", help="answer one question, or one per stdin line")
    ask.add_argument("question", nargs="*", help="the question; omit to read stdin")
    ask.add_argument(
        "--json",
        action="store_true",
        help='one JSON object per line; an input line may be {"text", "chat", "lang"}',
    )
    ask.set_defaults(run=_ask)

    check = commands.add_parser(
        "check",
        help="validate a fact base, that its answers are in its sources and that every "
        "translation is there and says the same (exit 1)",
    )
    check.add_argument("file", nargs="?", type=Path, help="default: FACTS_PATH")
    check.set_defaults(run=_check)

    evaluate = commands.add_parser(
        "eval", help="accuracy on labelled question sets, per split and language"
    )
    evaluate.add_argument(
        "file", nargs="*", type=Path, help="default: tests/questions.yaml and tests/batches/"
    )
    evaluate.add_argument("--split", choices=SPLITS, help="only this part of the sets")
    evaluate.add_argument(
        "--typos", type=int, metavar="SEED", help="add seeded keyboard slips to every question"
    )
    evaluate.add_argument(
        "--min-accuracy",
        type=_share,
        metavar="SHARE",
        help="exit 1 below this (0-1) in scope, in any language",
    )
    evaluate.add_argument(
        "--min-rejection",
        type=_share,
        metavar="SHARE",
        help="exit 1 below this out of scope, in any language",
    )
    evaluate.add_argument(
        "--hide-holdout", action="store_true", help="list no holdout misses (while tuning)"
    )
    evaluate.set_defaults(run=_eval)

    fit = commands.add_parser(
        "fit", help="re-fit each language's decision model on its dev questions"
    )
    fit.set_defaults(run=_fit)

    bench = commands.add_parser("bench", help="matching latency and throughput")
    bench.add_argument("--quick", action="store_true", help="fewer rounds, for a smoke run")
    bench.set_defaults(run=_bench)
    return parser


def _console(args: argparse.Namespace, settings: Settings) -> int:
    """The chat: a terminal gets line editing and a goodbye; a pipe is read line by line."""
    from bot.adapters.console import keyboard, lines_of, run_console, terminal_width

    core = build_core(settings)
    terminal = sys.stdin.isatty()
    read = keyboard() if terminal else lines_of(sys.stdin)
    width = terminal_width if sys.stdout.isatty() else None  # pipes get whole lines
    run_console(core, read, sys.stdout, terminal=terminal, width=width)
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    core = build_core(settings, chat=True)
    try:
        adapters = build_adapters(settings, core, only=args.only)
        health = health_server(settings, core, adapters)
        failure = asyncio.run(
            serve(adapters, core=core, health=health, stop_timeout=settings.stop_timeout)
        )
    finally:
        core.close()
    return EXIT_PLATFORM if failure else 0


def _days(value: str) -> float:
    try:
        days = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of days: {value!r}") from None
    if not 0 < days < 100_000:
        raise argparse.ArgumentTypeError("DAYS must be more than 0")
    return days


def _unanswered(args: argparse.Namespace, settings: Settings) -> int:
    from bot.reports import format_unanswered, unanswered

    groups = unanswered(_journals(args, settings), args.since)
    print(format_unanswered(groups, _labels(settings), args.since))
    return 0


def _stats(args: argparse.Namespace, settings: Settings) -> int:
    from bot.reports import format_stats, stats

    report = stats(_journals(args, settings), args.since)
    print(format_stats(report, _labels(settings), args.since))
    return 0


def _journals(args: argparse.Namespace, settings: Settings) -> list[Path]:
    """The journals named, or DATABASE_PATH's."""
    if args.journal:
        return args.journal
    if settings.database_path is None:
        raise ConfigError("DATABASE_PATH is empty: the bot records nothing, so there is no report")
    return [settings.database_path]


def _labels(settings: Settings) -> dict[str, str]:
    """Fact id -> its question, to name facts in reports; none if the fact base is broken."""
    try:
        return {f.id: f.label for f in load_facts(settings.facts_path).facts}
    except FactBaseError:
        return {}


def _discord_sync(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import discord_adapter

    guild = None if args.everywhere else args.guild or settings.discord_guild_id
    adapter = discord_adapter(settings, build_core(settings))
    count = asyncio.run(adapter.sync_commands(guild))
    where = f"server {guild}" if guild else "every server and DM (global)"
    print(f"synced {count} slash commands to {where}")
    return 0


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.adapters.console import render_reply, save_picture, terminal_width, wrap

    core = build_core(settings)
    questions: Iterable[str] = [" ".join(args.question)] if args.question else sys.stdin
    outlet = core.base.article.outlet

    def emit(reply: Reply) -> str:
        if args.json:
            return json.dumps(as_json(reply), ensure_ascii=False)
        saved = save_picture(reply.picture, reply.lang) if reply.picture else None
        text = render_reply(reply, outlet, pickable=False, saved=saved)  # no number to type
        if sys.stdout.isatty():
            text = wrap(text, terminal_width())
        return text + "\n"  # a blank line between plain replies

    asyncio.run(_answer_all(core, questions, emit))
    return 0


async def _answer_all(core: Core, questions: Iterable[str], emit: Callable[[Reply], str]) -> None:
    """One reply per line, flushed at once: a caller may wait for each before the next."""
    for n, line in enumerate(questions):
        question = read_line(line.rstrip("\r\n"), n)
        if isinstance(question, str):  # a JSON line that is not a message: say what is wrong
            reply = Reply(ReplyKind.INFO, question)
        else:
            reply = await core.answer(question)
        sys.stdout.write(emit(reply) + "\n")
        sys.stdout.flush()


def read_line(line: str, n: int) -> Question | str:
    """A line of `ask` input as a Question, or what is wrong with it.

    A plain line is one question on its own; a JSON object {"text", "chat", "lang"} is a
    message in chat `chat`, so lines of one chat share a conversation as on a platform.
    """
    if not line.lstrip().startswith("{"):
        return Question(line, user_id=f"line{n}", chat_id=f"line{n}", platform="cli")
    try:
        message = json.loads(line)
    except json.JSONDecodeError as exc:
        return f"line {n + 1}: not valid JSON ({exc.msg}); send a plain line or a JSON object"
    text, chat, lang = (message.get(k) if isinstance(message, dict) else None for k in MESSAGE)
    if not isinstance(text, str):
        return f'line {n + 1}: a JSON line needs "text", a string'
    if chat is not None and (isinstance(chat, bool) or not isinstance(chat, str | int)):
        return f'line {n + 1}: "chat" must be a string or an integer'
    if lang is not None and not isinstance(lang, str):
        return f'line {n + 1}: "lang" must be a string such as "en"'
    conversation = f"chat:{chat}" if chat is not None else f"line{n}"
    return Question(text, user_id=conversation, chat_id=conversation, platform="cli", lang=lang)


MESSAGE = ("text", "chat", "lang")  # the keys of a JSON input line


def as_json(reply: Reply) -> dict[str, object]:
    """The stable protocol of `ask --json`: intent is null whenever the reply is not a fact."""
    intent = reply.intent
    return {
        "intent": intent,
        "score": round(reply.score, 1),
        "answer": reply.text if intent else "",
        "suggestions": [o.fact_id for o in reply.suggestions],
        "kind": str(reply.kind),
        "text": reply.text,
        "lang": reply.lang,
    }


def _check(args: argparse.Namespace, settings: Settings) -> int:
    from intents.support import support_problems
    from intents.translations import translation_problems

    path = args.file or settings.facts_path
    try:
        base = load_facts(path)
        problems = support_problems(base, path.name) + translation_problems(base, path.name)
    except FactBaseError as exc:
        problems = exc.problems
    if problems:
        print(f"{len(problems)} problem(s) in {path}:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_PROBLEMS
    counts = {"en": sum(len(f.questions) for f in base.facts)}
    for fact in base.facts:
        for code, translation in fact.translations.items():
            counts[code] = counts.get(code, 0) + len(translation.questions)
    phrasings = ", ".join(f"{n} {code}" for code, n in counts.items())
    print(f"{path}: OK, {len(base.facts)} facts, phrasings: {phrasings}")
    return 0


def _share(value: str) -> float:
    try:
        share = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0 <= share <= 1:
        raise argparse.ArgumentTypeError("a share is between 0 and 1, for example 0.9")
    return share


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    from bot.evaluation import QuestionSetError, default_sets, evaluate, format_report, load_cases

    try:
        cases = [
            c
            for path in args.file or default_sets()
            for c in load_cases(path)
            if args.split in (None, c.split)
        ]
    except QuestionSetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    report = asyncio.run(evaluate(build_core(settings), cases, typos=args.typos))
    print(format_report(report, holdout_misses=not args.hide_holdout))
    failed = []
    for group, score in report.scores.items():  # "all" is English, "de all" German...
        if group != "all" and not group.endswith(" all"):
            continue
        if args.min_accuracy is not None and score.accuracy < args.min_accuracy:
            failed.append(
                f"{group}: accuracy {score.accuracy:.1%} is under {args.min_accuracy:.1%}"
            )
        if args.min_rejection is not None and score.rejection < args.min_rejection:
            failed.append(
                f"{group}: rejection {score.rejection:.1%} is under {args.min_rejection:.1%}"
            )
    for problem in failed:
        print(f"eval: {problem}", file=sys.stderr)
    return EXIT_PROBLEMS if failed else 0


def _fit(args: argparse.Namespace, settings: Settings) -> int:
    from bot.fitting import refit
    from intents.calibration import weights_file

    for code, (calibration, rows) in refit(load_facts(settings.facts_path)).items():
        print(f"{code}: fitted on {rows} candidate rows; wrote {weights_file(code)}")
        for name, weight in calibration.weights.items():
            print(f"  {name:24} {weight:+.3f}")
        print(f"  {'bias':24} {calibration.bias:+.3f}")
    return 0


def _bench(args: argparse.Namespace, settings: Settings) -> int:
    from bot.bench import run_bench

    run_bench(settings, quick=args.quick)
    return 0
