"""Question and Reply: what adapters and the core exchange, in no platform's words."""

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Question:
    """A message as every platform can describe it."""

    text: str
    user_id: str = ""
    chat_id: str = ""
    platform: str = "console"
    private: bool = True
    lang: str | None = None  # the platform's hint: Telegram's language_code, Discord's locale


class ReplyKind(StrEnum):
    ANSWER = "answer"  # a fact from the article
    CLARIFY = "clarify"  # "did you mean" with suggestions
    DECLINE = "decline"  # the article does not say; suggestions
    SMALLTALK = "smalltalk"  # greetings, thanks: never a fact
    INFO = "info"  # commands: help, topics, source, about
    SHOW = "show"  # the timeline (a picture) and who's who: the options are the content
    LIMITED = "limited"  # the user asks too fast: one notice, then empty (send nothing)


@dataclass(frozen=True, slots=True)
class Option:
    """A fact a user can pick: adapters make buttons of these."""

    fact_id: str
    label: str


@dataclass(frozen=True, slots=True)
class Picture:
    """A PNG to show with a reply; `caption` says what it shows, in the reply's language."""

    png: bytes
    name: str  # a file name: "timeline.png"
    caption: str


@dataclass(frozen=True, slots=True)
class Reply:
    """What to say, platform-neutral: adapters escape, split and add buttons."""

    kind: ReplyKind
    text: str
    fact_id: str | None = None
    title: str | None = None  # for a fact: the question it answers (its label)
    score: float = 0.0
    source: str | None = None
    suggestions: tuple[Option, ...] = ()
    follow_ups: tuple[Option, ...] = ()
    lang: str = "en"  # the language it is written in (the source quote stays English)
    picture: Picture | None = None  # sent with the text: a photo, an attachment, a file

    @property
    def options(self) -> tuple[Option, ...]:
        """Everything to offer as a pick: suggestions, then follow-ups not already suggested."""
        offered = {o.fact_id for o in self.suggestions}
        return self.suggestions + tuple(o for o in self.follow_ups if o.fact_id not in offered)

    @property
    def silent(self) -> bool:
        """Nothing to send: a user over the rate limit who was already told."""
        return not self.text

    @property
    def intent(self) -> str | None:
        """The fact this reply answers; None for anything that is not a fact answer."""
        return self.fact_id if self.kind is ReplyKind.ANSWER else None
