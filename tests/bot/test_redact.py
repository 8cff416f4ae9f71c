import io
import json
import logging
from collections.abc import Callable

from bot.redact import MASK, JsonFormatter, RedactingFormatter, redact, secret_parts

TOKEN = "123456789:AAFakeTokenForTests_only-0123456789ab"


def test_secret_parts_include_the_token_tail():
    assert secret_parts([TOKEN, ""]) == (TOKEN, TOKEN.split(":")[1])
    discord_token = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.GfAkEt.signature-part_0123456789"
    assert secret_parts([discord_token]) == (discord_token, discord_token.split(".", 1)[1])


def test_redact_masks_every_occurrence():
    text = f"POST https://api.telegram.org/bot{TOKEN}/getMe and {TOKEN.split(':')[1]}"
    assert (
        redact(text, secret_parts([TOKEN]))
        == f"POST https://api.telegram.org/bot{MASK}/getMe and {MASK}"
    )


def test_formatter_scrubs_messages_arguments_and_tracebacks():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingFormatter("%(levelname)s %(message)s", [TOKEN]))
    logger = logging.getLogger("test_redact")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("url %s", f"http://x/bot{TOKEN}/getMe")
        try:
            raise RuntimeError(f"The token `{TOKEN}` was rejected")
        except RuntimeError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert "RuntimeError" in output and MASK in output
    assert TOKEN not in output and TOKEN.split(":")[1] not in output


def test_redact_masks_discord_interaction_tokens_no_setting_names():
    token = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5OmFiY2RlZg"
    lines = [
        f"POST https://discord.com/api/v10/interactions/123456/{token}/callback",
        f"PATCH https://discord.com/api/v10/webhooks/987/{token}/messages/@original",
        f"WebSocket Event: {{'t': 'INTERACTION_CREATE', 'd': {{'token': '{token}', 'id': '1'}}}}",
        f'{{"type": 2, "token": "{token}"}}',
    ]
    for line in lines:
        scrubbed = redact(line, ())
        assert token not in scrubbed and MASK in scrubbed


def json_lines(emit: Callable[[logging.Logger], None]) -> list[dict]:
    """What `emit` logs through a JsonFormatter hiding TOKEN, one parsed object a line."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(secrets=[TOKEN]))
    logger = logging.getLogger("test_redact.json")
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    logger.propagate = False
    try:
        emit(logger)
    finally:
        logger.removeHandler(handler)
    return [json.loads(line) for line in stream.getvalue().splitlines()]  # as any reader splits


def test_json_formatter_writes_one_object_a_line_even_for_multi_line_messages():
    def emit(logger: logging.Logger) -> None:
        logger.info('two\nlines and a quote " and Durrës')
        logger.warning("a line separator\u2028inside")

    first, second = json_lines(emit)
    assert set(first) == {"time", "level", "logger", "message"}
    assert first["level"] == "INFO" and first["logger"] == "test_redact.json"
    assert first["message"] == 'two\nlines and a quote " and Durrës'
    assert first["time"].endswith("+00:00") and second["message"] == "a line separator\u2028inside"


def test_json_formatter_scrubs_messages_and_the_traceback_field():
    interaction = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5OmFiY2RlZg"

    def emit(logger: logging.Logger) -> None:
        logger.warning("url %s", f"http://x/bot{TOKEN}/getMe")
        logger.debug("payload %s", json.dumps({"token": interaction, "id": "1"}))  # as JSON
        try:
            raise RuntimeError(f"The token `{TOKEN}` was rejected")
        except RuntimeError:
            logger.exception("failed")

    url, payload, failure = json_lines(emit)
    assert url["message"] == f"url http://x/bot{MASK}/getMe"
    assert interaction not in payload["message"] and MASK in payload["message"]
    assert failure["message"] == "failed" and failure["level"] == "ERROR"
    assert "Traceback" in failure["traceback"] and "RuntimeError" in failure["traceback"]
    assert MASK in failure["traceback"]
    for entry in (url, payload, failure):
        for value in entry.values():
            assert TOKEN not in value and TOKEN.split(":")[1] not in value
