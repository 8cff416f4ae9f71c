"""Chat shorthand and filler: "wat r u" means "what are you"; "lol", "bruh" mean nothing.

Applied to normalised words on both sides of every comparison, before stopwords and
stemming, so shorthand never counts as a word the article lacks.
"""

from collections.abc import Iterable

SHORTHAND = {
    "wat": "what", "wut": "what", "wot": "what", "wht": "what", "wats": "what",
    "whats": "what", "wth": "what", "wen": "when", "wens": "when", "y": "why",
    "hw": "how", "whr": "where", "wer": "where", "r": "are", "u": "you", "ur": "your",
    "ya": "you", "da": "the", "teh": "the", "dat": "that", "dis": "this", "dem": "them",
    "em": "them", "n": "and", "nd": "and", "b4": "before", "abt": "about",
    "bout": "about", "re": "about", "acc": "according", "w": "with", "wo": "without",
    "ppl": "people", "peeps": "people", "smth": "something", "sth": "something",
    "rly": "really", "pls": "please", "plz": "please", "bc": "because", "cuz": "because",
    "coz": "because", "cos": "because", "bcs": "because", "tho": "",
    "thx": "thanks", "thnx": "thanks", "ty": "thanks", "gonna": "going to",
    "wanna": "want to", "gotta": "got to", "tryna": "trying to", "kinda": "kind of",
    "sorta": "sort of", "lemme": "let me", "gimme": "give me", "dunno": "do not know",
    "rn": "right now", "atm": "at the moment", "yr": "year", "yrs": "years",
    "govt": "government", "gov": "government", "reps": "representatives",
    "pic": "picture", "pics": "pictures", "info": "information", "prez": "president",
    "ok": "", "k": "",
}  # fmt: skip
FILLER = frozenset(
    """
    lol lmao lmfao rofl tf wtf yo bruh bro dude nah yeah yea yep yup ok okay hey wait
    hmm hm ngl fr idk omg tbh imo smh huh eh ah oh oof ugh pls like um uh so anyway
    btw fyi lil ayy yall guys mate though anyways
    """.split()
)
_NUMBER_WORDS = {"2": ("two", "to"), "4": ("four", "for")}


def expand(words: Iterable[str]) -> list[str]:
    """Shorthand spelt out, filler dropped; "2"/"4" read as numbers before a plural."""
    words = list(words)
    out: list[str] = []
    for i, word in enumerate(words):
        if word in FILLER:
            continue
        if word in _NUMBER_WORDS:
            following = words[i + 1] if i + 1 < len(words) else ""
            number, preposition = _NUMBER_WORDS[word]
            out.append(number if following.endswith("s") and len(following) > 3 else preposition)
            continue
        expanded = SHORTHAND.get(word)
        if expanded is None:
            out.append(word)
        elif expanded:
            out.extend(expanded.split())
    return out
