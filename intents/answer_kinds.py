"""The kind of answer a question asks for (a name, a number, a date, a reason...).

A fact lists the kinds it gives (`gives` in facts.yaml); a question whose kinds the
fact does not give asks for a detail the article may not hold: the matcher then says
so, with what the article does say, instead of answering something else.
"""

from collections.abc import Sequence

KINDS = (
    "person", "role", "name", "number", "size", "age", "money", "date", "month", "day",
    "place", "reason", "method", "quote", "view", "event", "opinion", "future",
)  # fmt: skip

# Cue words, matched on normalised words with shorthand spelt out.
_WORD_CUES = {
    "role": {"job", "jobs", "role", "roles", "occupation", "profession", "rank"},
    "name": {"name", "names", "named", "nickname", "acronym", "stand", "stands", "abbreviation",
             "call", "called", "calls", "known", "agency", "agencies", "country", "city"},
    "number": {"population", "percent", "percentage", "figure", "amount", "km", "kilometers",
               "kilometres", "miles", "distance"},
    "size": {"size", "hectares", "acres", "area", "square"},
    "age": {"age", "aged", "born", "birthday"},
    "money": {"pay", "paid", "pays", "money", "cost", "costs", "price", "dollars", "euros",
              "funding", "funded", "salary", "budget", "fee", "fees"},
    "date": {"when", "year", "month", "date", "day"},
    "place": {"where", "location", "located", "city", "town", "region", "country"},
    "reason": {"why", "reason", "reasons", "cause", "caused", "grounds", "motive", "purpose"},
    "method": {"weapon", "method"},
    "quote": {"say", "said", "says", "saying", "quote", "quoted", "words", "call", "called",
              "calls", "remark", "comment", "statement", "claim", "claims", "claimed", "told",
              "line", "warn", "warned", "discuss", "discussed", "talk", "talked"},
    "view": {"think", "thinks", "thought", "view", "views", "see", "sees", "consider",
             "considers", "regard", "regards", "feel", "feels", "react", "reacted", "reaction",
             "respond", "responded", "response", "welcome", "welcomed", "opinion", "stance"},
    "opinion": {"good", "bad", "justified", "unjustified", "fair", "unfair", "moral",
                "immoral", "deserve", "deserved", "legit", "legitimate", "ethical"},
    "day": {"weekday"},
    "future": {"will", "future", "eventually", "upcoming", "forecast", "predict"},
}  # fmt: skip
_PHRASE_CUES = {
    "person": ("by whom", "which person", "who is", "who was", "who are", "who were"),
    "number": ("how many", "how much", "how far", "how long", "how often", "number of"),
    "size": ("how big", "how large", "how small", "how tall", "how wide"),
    "age": ("how old",),
    "date": ("how long ago", "what time", "since when", "how long"),
    "month": ("what month", "which month", "month"),
    "day": ("exact date", "what date", "which date", "what day", "which day", "exact day",
            "date exactly", "exact time", "what time"),
    "reason": ("how come", "what for"),
    "method": ("how did he die", "how was he killed", "by what means", "how did soleimani die",
               "how was soleimani killed"),
    "opinion": ("do you think", "you think", "your opinion", "your view"),
    "future": ("is going to", "are going to", "what next", "happens next", "happen next",
               "what will happen", "next step", "next steps"),
}  # fmt: skip


# Words asking past what a report holds: a later state, a finer detail ("what specific
# measures", "is he still", "did iran actually attack"). The model weighs them.
BEYOND_CUES = frozenset(
    "specific specifically precise precisely actually still already afterwards currently "
    "later ever anymore".split()
)
# they ask, not name
CUE_WORDS = BEYOND_CUES | frozenset(w for cues in _WORD_CUES.values() for w in cues)
HONEST = frozenset({"opinion", "future"})  # asked of the bot itself: no fact gives them


def asked_kinds(words: Sequence[str]) -> frozenset[str]:
    """The kinds of answer normalised `words` ask for; empty when they do not say."""
    # "talk to dw" asks whom, not what: talking to someone is no quote
    following = [*words[1:], ""][: len(words)]
    cues_in = {w for w, after in zip(words, following, strict=True) if after not in _TO.get(w, ())}
    kinds = {kind for word in cues_in for kind in _KINDS_CUED_BY.get(word, ())}
    text = f" {' '.join(words)} "
    kinds |= {kind for kind, cues in _PADDED_PHRASE_CUES.items() if any(c in text for c in cues)}
    if (words and words[0] in ("who", "whom")) or words[-1:] == ["who"]:
        kinds.add("person")
    if words[:1] == ["should"]:  # "should albania have...", not "why should albania..."
        kinds.add("opinion")
    if words[:1] == ["how"] and words[1:2] and words[1] in _AUXILIARIES:
        kinds |= {"method", "reason", "view", "quote"}  # "how did the police find out"
    if "money" in kinds:
        kinds.discard("number")
    # A date asked to the month or the day: a fact dated only by year does not give it.
    if kinds & {"month", "day"}:
        kinds.discard("date")
    if "day" in kinds:
        kinds.discard("month")
    return frozenset(kinds)


_KINDS_CUED_BY = {  # a cue word -> the kinds it asks for
    cue: [kind for kind, cues in _WORD_CUES.items() if cue in cues]
    for cue in set().union(*_WORD_CUES.values())
}
_PADDED_PHRASE_CUES = {kind: [f" {c} " for c in cues] for kind, cues in _PHRASE_CUES.items()}
_TO = dict.fromkeys(("talk", "talked", "talking"), ("to", "with"))
_AUXILIARIES = frozenset("did does do was were is are has have had can could".split())
_COUNTING = ("how many", "how much", "number of")


def asks_beyond(words: Sequence[str]) -> bool:
    """Whether the question asks past what the article reports (BEYOND_CUES)."""
    return not BEYOND_CUES.isdisjoint(words)


def counted(words: Sequence[str]) -> list[str]:
    """The words after "how many" / "number of": what a number question counts."""
    text = " ".join(words)
    for cue in _COUNTING:
        _, found, rest = f" {text} ".partition(f" {cue} ")
        if found:
            return rest.split()[:3]
    return []
