"""Telegram's HTML parse mode, checked as strictly as the Bot API does: tags, entities, nesting."""

import re
from html import unescape

# The tags the Bot API accepts, with the attributes each may carry.
TAGS = {
    "b": (),
    "strong": (),
    "i": (),
    "em": (),
    "u": (),
    "ins": (),
    "s": (),
    "strike": (),
    "del": (),
    "tg-spoiler": (),
    "span": ("class",),
    "a": ("href",),
    "code": ("class",),
    "pre": (),
    "blockquote": ("expandable",),
    "tg-emoji": ("emoji-id",),
}
_TOKEN = re.compile(
    r"<(?P<close>/)?(?P<tag>[a-zA-Z][a-zA-Z0-9-]*)(?P<attrs>(?:\s[^<>]*)?)>"
    r"|&(?P<entity>#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|lt|gt|amp|quot);"
    r"|(?P<bare>[<>&])"
)
_ATTR = re.compile(r"\s+([a-zA-Z-]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")


class EntityError(ValueError):
    """The text is not valid Telegram HTML; the message is the Bot API's description."""


def parse_html(text: str) -> str:
    """The visible text of a Telegram HTML message, or EntityError as the Bot API reports it."""
    visible: list[str] = []
    stack: list[str] = []
    position = 0
    for token in _TOKEN.finditer(text):
        visible.append(text[position : token.start()])
        position = token.end()
        offset = len(text[: token.start()].encode())
        if token["bare"]:
            raise EntityError(f"Unexpected {token['bare']!r} at byte offset {offset}")
        if token["entity"]:
            visible.append(unescape(token.group()))
            continue
        tag = token["tag"].lower()
        if tag not in TAGS:
            raise EntityError(f'Unsupported start tag "{tag}" at byte offset {offset}')
        if token["close"]:
            if not stack or stack[-1] != tag:
                raise EntityError(f"Unexpected end tag at byte offset {offset}")
            stack.pop()
            continue
        for name, _ in _ATTR.findall(token["attrs"]):
            if name.lower() not in TAGS[tag]:
                raise EntityError(f'Unsupported attribute "{name}" at byte offset {offset}')
        stack.append(tag)
    if stack:
        raise EntityError(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    visible.append(text[position:])
    return "".join(visible)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2  # a lone surrogate: 1 unit
