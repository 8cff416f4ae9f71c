"""Fact-base models, and loading facts.yaml with every problem reported at once."""

import contextlib
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from intents.answer_kinds import KINDS
from intents.entities import KIND_NOUNS
from intents.languages import LANGUAGES, SOURCE_LANGUAGE
from intents.normalize import normalize
from intents.timeline import date_problems

# Fact ids travel in Telegram callback_data (64 bytes) and Discord custom_id
# (100 characters) with a prefix, so keep them short and plain.
FactId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,48}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
MIN_QUESTIONS = 8
MIN_TRANSLATED_QUESTIONS = 10
# The languages a fact may be translated into: every one known but the fact base's own.
Translated = Literal[tuple(c for c in LANGUAGES if c != SOURCE_LANGUAGE)]  # type: ignore[valid-type]
Kind = Literal[KINDS]  # type: ignore[valid-type]
EntityKind = Literal[tuple(KIND_NOUNS)]  # type: ignore[valid-type]

try:  # the C parser is several times faster, and start-up time counts
    _BaseLoader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader


class _Loader(_BaseLoader):
    """Safe YAML that refuses a key given twice, which YAML would silently overwrite."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class FactBaseError(Exception):
    """A fact base that cannot be used; `problems` lists each one with its place."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Article(_Model):
    """The article the facts come from; `file` is relative to the YAML file."""

    file: Text
    title: Text
    outlet: Text
    date: Text
    summary: Text


class Translation(_Model):
    """A fact in another language: the same answer, and how people ask for it there."""

    answer: Text
    questions: list[Text] = Field(min_length=MIN_TRANSLATED_QUESTIONS)
    keys: list[Text] = []  # the fact's keys as this language writes them
    event: Text | None = None  # the timeline's label, if the fact is dated


class Fact(_Model):
    """One fact of the article, the sentence it rests on and the ways people ask for it."""

    id: FactId
    topic: Text
    answer: Text
    source: Text | list[Text]
    questions: list[Text] = Field(min_length=MIN_QUESTIONS)
    keys: list[Text] = []
    gives: list[Kind] = []  # the kinds of answer it gives (intents/answer_kinds.py)
    related: list[FactId] = []
    date: Text | None = None  # as the article gives it: "2009", "early January 2020"
    event: Text | None = None  # a short label for the timeline (intents/timeline.py)
    after: FactId | None = None  # an event of the same date the article says came first
    translations: dict[Translated, Translation] = {}  # the source stays the English sentence

    @property
    def label(self) -> str:
        """The canonical question, shown on buttons and in suggestions."""
        return self.questions[0]

    @property
    def sources(self) -> list[str]:
        """The source passages, one or several."""
        return [self.source] if isinstance(self.source, str) else list(self.source)

    @property
    def quote(self) -> str:
        """The source passages as one quotation."""
        return " ... ".join(self.sources)


class Entity(_Model):
    """Someone or something the article describes, and how it describes them."""

    kind: EntityKind
    described: list[Text] = Field(min_length=1)


class PersonTranslation(_Model):
    role: Text


class Person(_Model):
    """A who's-who card: someone the article names, the role it gives them, their facts
    (the first answers "who is")."""

    entity: Text
    name: Text
    role: Text  # verbatim from the article
    facts: list[FactId] = Field(min_length=1)
    translations: dict[Translated, PersonTranslation] = {}


class TalkTranslation(_Model):
    reply: Text
    phrasings: list[Text] = Field(min_length=1)


class SmallTalk(_Model):
    """Greetings, thanks and the like: answered, but never counted as a fact."""

    id: FactId
    reply: Text
    phrasings: list[Text] = Field(min_length=1)
    translations: dict[Translated, TalkTranslation] = {}


class ArticleTexts(_Model):
    """The article's title, date and summary in another language (the outlet stays)."""

    title: Text
    date: Text
    summary: Text


class LanguageTexts(_Model):
    """What a language needs beyond its facts: the article's title and summary, topic labels,
    its own synonyms, and the forms it gives the article's names ("Albanien", "Shqipërisë")."""

    article: ArticleTexts | None = None
    topics: dict[Text, Text] = {}  # English topic -> its label in this language
    dates: dict[Text, Text] = {}  # a fact's date -> as this language writes it
    synonyms: dict[Text, Text] = {}
    names: dict[Text, list[Text]] = {}  # English name -> the forms this language writes


class FactBase(_Model):
    """The whole fact base, validated; `article_text` is the article it quotes."""

    article: Article
    entities: dict[Text, Entity] = {}
    people: list[Person] = []
    synonyms: dict[Text, Text] = {}
    smalltalk: list[SmallTalk] = []
    languages: dict[Translated, LanguageTexts] = {}
    facts: list[Fact] = Field(min_length=1)
    article_text: str = ""

    def fact(self, fact_id: str) -> Fact | None:
        return next((f for f in self.facts if f.id == fact_id), None)

    def in_language(self, code: str) -> "FactBase":
        """The fact base as one language sees it: its answers, phrasings, synonyms and topics
        (English where a translation is missing); sources and the article stay English.

        Entities keep their kind (what "he" can stand for) but not their English descriptions;
        keys are the translation's own.
        """
        if code == SOURCE_LANGUAGE:
            return self
        texts = self.languages.get(code, LanguageTexts())
        facts = []
        for fact in self.facts:
            t = fact.translations.get(code)
            topic = texts.topics.get(fact.topic, fact.topic)
            change = {"topic": topic}
            if t is not None:
                change |= {"answer": t.answer, "questions": t.questions, "keys": t.keys}
                change |= {"event": t.event or fact.event}
            facts.append(fact.model_copy(update=change))
        talk = [
            s.model_copy(update=s.translations[code].model_dump()) if code in s.translations else s
            for s in self.smalltalk
        ]
        entities = {k: Entity(kind=e.kind, described=[k]) for k, e in self.entities.items()}
        people = [
            p.model_copy(update=p.translations[code].model_dump()) if code in p.translations else p
            for p in self.people
        ]
        article = self.article
        if texts.article is not None:
            article = article.model_copy(update=texts.article.model_dump())
        return self.model_copy(
            update={
                "article": article,
                "facts": facts,
                "smalltalk": talk,
                "synonyms": texts.synonyms,
                "entities": entities,
                "people": people,
            }
        )


def load_facts(path: str | Path) -> FactBase:
    """Read and validate a fact base; raise FactBaseError listing every problem."""
    path = Path(path)
    name = path.name
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except OSError as exc:
        raise FactBaseError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    except UnicodeDecodeError as exc:
        raise FactBaseError([f"{path}: not UTF-8 text: {exc.reason}"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or exc
        raise FactBaseError([f"{name}:{where}: YAML error: {problem}"]) from None
    if not isinstance(raw, dict):
        raise FactBaseError([f"{name}: expected a mapping with article and facts at the top"])

    problems = _schema_problems(name, raw)
    article_text = _read_article(path, raw, problems)
    problems += _content_problems(name, raw, article_text)
    if problems:
        raise FactBaseError(problems)
    return FactBase.model_validate({**raw, "article_text": article_text})


def _schema_problems(name: str, raw: dict[str, Any]) -> list[str]:
    try:
        FactBase.model_validate(raw)
    except ValidationError as exc:
        return [f"{name}: {_place(err['loc'])}: {err['msg']}" for err in exc.errors()]
    return []


def _place(loc: tuple[int | str, ...]) -> str:
    """('facts', 12, 'questions') -> 'facts[12].questions'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif "[" not in part:  # pydantic adds union branch names like 'list[str]'
            out += f".{part}" if out else part
    return out or "(top)"


def _read_article(path: Path, raw: dict[str, Any], problems: list[str]) -> str:
    article = raw.get("article")
    file = article.get("file") if isinstance(article, dict) else None
    if not isinstance(file, str) or not file.strip():
        return ""
    article_path = path.parent / file.strip()
    try:
        return article_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path.name}: article.file: cannot read {article_path}: {exc}")
        return ""


def _valid_items(raw: dict[str, Any], key: str, model: type[_Model]) -> list[tuple[int, Any]]:
    """The entries of raw[key] that validate on their own, with their index."""
    items = raw.get(key)
    valid = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        with contextlib.suppress(ValidationError):  # already reported by _schema_problems
            valid.append((i, model.model_validate(item)))
    return valid


def _content_problems(name: str, raw: dict[str, Any], article_text: str) -> list[str]:
    """Checks across facts: unique ids, related ids exist, verbatim sources, phrasings."""
    problems: list[str] = []
    facts: list[tuple[int, Fact]] = _valid_items(raw, "facts", Fact)
    talk: list[tuple[int, SmallTalk]] = _valid_items(raw, "smalltalk", SmallTalk)
    ids = {item.get("id") for item in raw.get("facts") or [] if isinstance(item, dict)}
    seen_ids: set[str] = set()
    for i, fact in facts:
        place = f"{name}: facts[{i}]"
        if fact.id in seen_ids:
            problems.append(f"{place}.id: duplicate id {fact.id!r}")
        seen_ids.add(fact.id)
        for r in fact.related:
            if r not in ids:
                problems.append(f"{place}.related: unknown fact id {r!r}")
            elif r == fact.id:
                problems.append(f"{place}.related: a fact cannot be related to itself")
        for j, quote in enumerate(fact.sources):
            if article_text and quote not in article_text:
                where = f"source[{j}]" if isinstance(fact.source, list) else "source"
                problems.append(
                    f"{place}.{where}: not found verbatim in the article: {quote[:60]!r}"
                )
    problems += date_problems(facts, article_text, name)
    problems += _people_problems(name, raw, ids, article_text)
    owners: dict[tuple[str, str], str] = {}  # (language, phrasing) -> the fact that has it
    phrasings = [(f"facts[{i}].questions", f.id, SOURCE_LANGUAGE, f.questions) for i, f in facts]
    phrasings += [
        (f"smalltalk[{i}].phrasings", s.id, SOURCE_LANGUAGE, s.phrasings) for i, s in talk
    ]
    for where, items in (("facts", facts), ("smalltalk", talk)):
        field = "questions" if where == "facts" else "phrasings"
        phrasings += [
            (f"{where}[{i}].translations.{code}.{field}", item.id, code, getattr(t, field))
            for i, item in items
            for code, t in item.translations.items()
        ]
    for place, owner, code, texts in phrasings:
        fold = LANGUAGES[code].fold
        for j, text in enumerate(texts):
            key = (code, " ".join(map(fold, normalize(text).split())))
            if not key[1]:
                problems.append(f"{name}: {place}[{j}]: {text!r} has no words")
            elif key in owners:
                problems.append(
                    f"{name}: {place}[{j}]: {text!r} is already listed under {owners[key]!r}"
                )
            else:
                owners[key] = owner
    return problems


def _people_problems(name: str, raw: dict[str, Any], ids: set[Any], article: str) -> list[str]:
    """Each card names a described person once, gives the role as the article words it,
    and lists facts that exist."""
    problems = []
    entities = raw.get("entities") if isinstance(raw.get("entities"), dict) else {}
    seen: set[str] = set()
    for i, person in _valid_items(raw, "people", Person):
        place = f"{name}: people[{i}]"
        kind = (entities.get(person.entity) or {}).get("kind")
        if kind != "person":
            problems.append(f"{place}.entity: {person.entity!r} is no person in entities")
        elif person.entity in seen:
            problems.append(f"{place}.entity: {person.entity!r} has a card already")
        seen.add(person.entity)
        if article and person.role.casefold() not in article.casefold():
            problems.append(f"{place}.role: {person.role!r} is not in the article")
        problems += [f"{place}.facts: unknown fact id {f!r}" for f in person.facts if f not in ids]
    return problems
