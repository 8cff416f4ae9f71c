"""The fake Bot API is as strict as Telegram where the bot can tell: checked with plain httpx."""

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.fakes.telegram_api import TOKEN, FakeTelegram


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


async def call(fake: FakeTelegram, method: str, **params: str) -> tuple[int, dict]:
    async with httpx.AsyncClient(trust_env=False) as client:
        response = await client.post(f"{fake.api_url}{TOKEN}/{method}", data=params)
    try:
        return response.status_code, response.json()
    except ValueError:
        return response.status_code, {"html": response.text}


async def test_envelope_and_wrong_token(fake):
    assert await call(fake, "getMe") == (200, {"ok": True, "result": await fake._api_getme({})})
    async with httpx.AsyncClient(trust_env=False) as client:
        response = await client.post(f"{fake.api_url}1:wrong/getMe")
    assert response.status_code == 401 and response.json()["ok"] is False


async def test_unknown_method_is_400_never_401_or_404(fake):
    status, body = await call(fake, "sendTelepathy")
    assert status == 400 and body["description"] == "Bad Request: method not found"


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("a < b", "can't parse entities"),
        ("<b>bold", "can't parse entities"),
        ("<script>x</script>", "can't parse entities"),
        ("fish & chips", "can't parse entities"),
        ("x" * 4097, "message is too long"),
        ("😀" * 2049, "message is too long"),  # 4,098 UTF-16 units
        ("<b> </b>", "message text is empty"),
    ],
)
async def test_send_message_checks_html_and_length(fake, text, description):
    chat = fake.private_chat(fake.user())
    fake.message("hi", chat=chat)
    status, body = await call(
        fake, "sendMessage", chat_id=str(chat["id"]), text=text, parse_mode="HTML"
    )
    assert status == 400 and description in body["description"]


async def test_send_message_accepts_escaped_html_up_to_the_limit(fake):
    chat = fake.private_chat(fake.user())
    fake.message("hi", chat=chat)
    text = "<b>a &amp; b</b> <blockquote>&lt;q&gt;</blockquote>" + "x" * 4080
    status, body = await call(
        fake, "sendMessage", chat_id=str(chat["id"]), text=text, parse_mode="HTML"
    )
    assert status == 200 and body["result"]["text"].startswith("a & b <q>")


async def test_nested_fields_must_be_json(fake):
    chat = fake.private_chat(fake.user())
    fake.message("hi", chat=chat)
    status, body = await call(
        fake, "sendMessage", chat_id=str(chat["id"]), text="hi", reply_markup="{not json"
    )
    assert status == 400 and "can't parse reply_markup" in body["description"]


async def test_get_updates_offsets_confirm_and_long_poll(fake):
    first = fake.push_text("one")["update_id"]
    fake.push_text("two")
    _, body = await call(fake, "getUpdates")
    assert [u["update_id"] for u in body["result"]] == [first, first + 1]
    _, body = await call(fake, "getUpdates", offset=str(first + 1))
    assert [u["update_id"] for u in body["result"]] == [first + 1]
    waiting = asyncio.create_task(call(fake, "getUpdates", offset=str(first + 2), timeout="5"))
    await fake.wait_polling()
    fake.push_text("three")
    _, body = await asyncio.wait_for(waiting, 5)
    assert [u["message"]["text"] for u in body["result"]] == ["three"]


async def test_stop_releases_a_waiting_poll(fake):
    waiting = asyncio.create_task(call(fake, "getUpdates", timeout="30"))
    await fake.wait_polling()
    await fake.stop()
    status, body = await asyncio.wait_for(waiting, 5)
    assert status == 200 and body["result"] == []


async def test_injected_faults(fake):
    fake.fail("getMe", 429, retry_after=7)
    fake.fail("getMe", 502)
    status, body = await call(fake, "getMe")
    assert status == 429 and body["parameters"] == {"retry_after": 7}
    assert "retry after 7" in body["description"]
    status, body = await call(fake, "getMe")
    assert status == 502 and "html" in body
    assert (await call(fake, "getMe"))[0] == 200


async def test_updates_carry_the_entities_telegram_adds(fake):
    message = fake.message("/ask@ArticleFactBot 😀 hi @SomeOne")
    assert message["entities"] == [
        {"type": "bot_command", "offset": 0, "length": 19},
        {"type": "mention", "offset": 26, "length": 8},
    ]
