"""Who or what a description means: "the Balkan republic" is Albania, "Iran's top cleric" Khamenei.

People rarely name what they ask about; they describe it. facts.yaml lists, per entity,
how the article itself describes it (`entities:`); a question that uses a description's
distinctive words together with a noun of the entity's kind ("republic", "cleric") or
two of those words means that entity. The words so explained no longer count as words
the article lacks.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

# Nouns that stand for an entity of each kind; they say which kind, never which one.
KIND_NOUNS = {
    "country": "country countries nation state republic land kingdom regime government",
    "city": "city town port capital place",
    "person": "man guy person leader head chief boss official figure cleric commander "
    "politician officer",
    "group": "group organization organisation movement outfit faction exiles dissidents "
    "opposition members followers supporters people",
    "force": "unit force forces troops",
    "alliance": "alliance bloc pact",
    "outlet": "broadcaster outlet station network media channel",
}


@dataclass(frozen=True, slots=True)
class Entity:
    term: str  # the fact base's term for it ("albania")
    kind: str
    descriptors: frozenset[str]  # distinctive terms of the article's descriptions of it


class EntityResolver:
    """Finds the entities a question describes without naming them."""

    def __init__(
        self,
        entities: Mapping[str, tuple[str, Sequence[str]]],
        terms: Callable[[str], list[str]],
    ) -> None:
        """`entities`: term -> (kind, descriptions); `terms` analyses text into terms, word by
        word (a description's "legal advisor" must match "the group's legal man")."""
        self._nouns = {kind: frozenset(terms(words)) for kind, words in KIND_NOUNS.items()}
        named = frozenset(t for term in entities for t in terms(term))
        # A description's words that name another entity ("the MEK's advisor in Albania")
        # say nothing about which one is meant: only the rest distinguishes.
        self.entities = [
            Entity(
                term,
                kind,
                frozenset(t for d in descriptions for t in terms(d))
                - self._nouns.get(kind, frozenset())
                - named,
            )
            for term, (kind, descriptions) in entities.items()
        ]
        # per kind, its entities and every term that can count for one of them: a question
        # sharing none of those terms skips the kind
        self._by_kind: dict[str, tuple[list[Entity], frozenset[str]]] = {}
        for kind in self._nouns:
            mine = [e for e in self.entities if e.kind == kind]
            self._by_kind[kind] = (
                mine,
                frozenset(t for e in mine for t in (e.term, *e.descriptors)),
            )

    def resolve(self, query: Sequence[str]) -> tuple[list[str], set[str]]:
        """The entity terms `query` describes, and the query terms its descriptions explain."""
        present = set(query)
        found: list[str] = []
        used: set[str] = set()
        for kind, nouns in self._nouns.items():
            entities, telling = self._by_kind[kind]
            if telling.isdisjoint(present):
                continue
            noun = nouns & present
            best: list[tuple[int, Entity]] = []
            for entity in entities:
                if entity.term in present:  # named, and described too: "the cleric Khamenei"
                    used |= entity.descriptors & present
                    continue
                hits = len(entity.descriptors & present)
                if hits >= 2 or (hits and noun):
                    best.append((hits, entity))
            best.sort(key=lambda pair: pair[0], reverse=True)
            if best and (len(best) == 1 or best[0][0] > best[1][0]):
                entity = best[0][1]
                found.append(entity.term)
                used |= (entity.descriptors | noun) & present
        return found, used
