import io
import logging

from bot.redact import MASK, RedactingFormatter, redact, secret_parts

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
