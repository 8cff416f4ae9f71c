"""Albanian: definite and case endings stripped, function words read as English cues.

Words arrive normalised: "ë" is "e" and "ç" is "c", so "Shqipërisë" and "shqiperise" are
one word. No stemmer ships for Albanian, so `stem` strips the endings that inflect a
noun (Shqipëria, Shqipërisë, Shqipërinë; Durrësi, Durrësit; diplomatët, diplomatëve):
both sides of every comparison pass through it, so it only has to be consistent.
"""

from functools import lru_cache

MIN_STEM = 4  # letters left after an ending: "iran-it", not "ka-mp"
_VOWELS = "aeiouy"
# Definite, case and plural endings, longest first (after "ë" became "e").
_ENDINGS = sorted(
    """
    ise ine ive eve ave ite ete jen jes jet esh ash it in is ia ie iu ja je ve te ne se en et
    at a e i u t s n
    """.split(),
    key=len,
    reverse=True,
)


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """The word without its inflection ending, and without the vowels left after it.

    The longest ending that does not leave a vowel behind wins: "Tiranë" is "tiran-e", not
    "tira-ne" (a one-letter ending may: "Tiranës" is "tirane-s", then "tiran")."""
    if not word.isalpha() or word in ("who", "when", "where", "why"):
        return word
    for ending in _ENDINGS:
        rest = word[: -len(ending)]
        vowel_left = rest[-1:] in tuple(_VOWELS) and len(ending) > 1  # "-s" may leave "tirane"
        if word.endswith(ending) and len(rest) >= MIN_STEM and not vowel_left:
            word = rest
            break
    while word[-1] in "aei" and len(word) > MIN_STEM:  # "Khameneit" is "khamenei-t": "khamen"
        word = word[:-1]
    return word


# What Albanian function words and chat shorthand mean, as English cue words.
LEXICON = {
    # question words
    "kush": "who", "kujt": "whom", "ke": "whom", "nga kush": "by whom", "prej kujt": "by whom",
    "kur": "when", "qe kur": "since when", "qe prej kur": "since when", "prej kur": "since when",
    "qysh kur": "since when", "qe nga kur": "since when", "deri kur": "when",
    "ku": "where", "nga ku": "where", "prej nga": "where", "ku saktesisht": "where",
    "pse": "why", "perse": "why", "pse ore": "why", "pse more": "why",
    "per cfare arsye": "why", "per cfare": "what for", "si ka mundesi": "how come",
    "cfare": "what", "cfar": "what", "cka": "what", "qka": "what", "qfare": "what",
    "qfar": "what", "c": "what", "cila": "which", "cili": "which", "cilet": "which",
    "cilat": "which", "cilin": "which", "cilen": "which", "ciles": "which", "cilit": "which",
    "cileve": "which", "cilave": "which", "si": "how",
    "sa": "how many", "sa shume": "how many", "numri i": "number of", "numri": "number of",
    "sa vjec": "how old", "sa vjet": "how old", "sa i madh": "how big", "sa e madhe": "how big",
    "sa te medhenj": "how big", "sa larg": "how far", "sa kohe": "how long",
    "per sa kohe": "how long", "sa here": "how often",
    "ne cilin vit": "what year", "cilin vit": "what year", "cili vit": "what year",
    "ne cfare viti": "what year", "viti": "year", "vit": "year", "vitin": "year",
    "ne cilin muaj": "which month", "cili muaj": "which month", "muaj": "month",
    "muajin": "month", "muaji": "month", "cila dite": "what day", "ne cilen dite": "what day",
    "data e sakte": "exact date", "dita e sakte": "exact day", "cila date": "what date",
    "data": "date", "daten": "date", "dite": "day", "dita": "day",
    # what kind of answer is asked for
    "emri": "name", "emrin": "name", "emrat": "names", "emer": "name", "emra": "names",
    "quhet": "called", "quhen": "called", "quhej": "called", "quheshin": "called",
    "quajti": "called", "e quajti": "called", "e quan": "calls", "quan": "calls",
    "quajtur": "called", "shkurtimi": "abbreviation", "shkurtim": "abbreviation",
    "do te thote": "stands for", "domethene": "stands for",
    "roli": "role", "rolin": "role", "rol": "role", "detyra": "role", "detyren": "role",
    "puna": "job", "punen": "job", "profesioni": "job", "pozicioni": "role",
    "funksioni": "role", "perqind": "percent", "popullsia": "population",
    "distanca": "distance", "km": "km", "kilometra": "km", "madhesia": "size",
    "siperfaqja": "area", "siperfaqe": "area", "hektar": "hectares", "hektare": "hectares",
    "mosha": "age", "moshen": "age", "lindur": "born", "ditelindja": "birthday",
    "leke": "money", "kosto": "costs", "kushton": "costs", "kushtoi": "cost",
    "paguan": "pays", "pagoi": "paid", "paguar": "paid", "financon": "funds",
    "financoi": "funded", "financim": "funding", "financimi": "funding", "euro": "euros",
    "dollare": "dollars", "rroga": "salary", "buxheti": "budget",
    "arsyeja": "reason", "arsye": "reason", "arsyet": "reasons", "shkaku": "cause",
    "motivi": "motive", "qellimi": "purpose", "arma": "weapon", "metoda": "method",
    "tha": "said", "thote": "says", "thone": "say", "thane": "said", "thene": "said",
    "deklaroi": "said", "deklarate": "statement", "deklarata": "statement",
    "deklaraten": "statement", "citim": "quote", "citati": "quote", "citimi": "quote",
    "fjalet": "words", "fjale": "words", "fjalen": "words", "pohoi": "claimed",
    "pohim": "claim", "pretendon": "claims", "pretendoi": "claimed",
    "paralajmeroi": "warned", "paralajmerim": "warned",
    "mendon": "think", "mendojne": "think", "mendoi": "thought", "mendim": "view",
    "mendimi": "view", "pikepamje": "view", "pikepamja": "view", "qendrim": "stance",
    "qendrimi": "stance", "reagoi": "reacted", "reagim": "reaction", "reagimi": "reaction",
    "reaguan": "reacted", "si reagoi": "how reacted",
    "cfare mendon ti": "do you think", "si mendon ti": "do you think",
    "mendon ti": "do you think", "sipas teje": "your opinion", "mendimi yt": "your opinion",
    "mire apo keq": "good or bad", "e drejte": "fair", "e padrejte": "unfair",
    "justifikuar": "justified", "e justifikuar": "justified", "e merituar": "deserved",
    "meritonte": "deserved", "morale": "moral", "e ligjshme": "legitimate",
    "e ardhmja": "future", "ne te ardhmen": "future", "te ardhmen": "future",
    "cfare do te ndodhe": "what will happen", "do te ndodhe": "will happen",
    "cfare ndodh tani": "what will happen", "hapi tjeter": "next step",
    # asking past what the article reports
    "ende": "still", "akoma": "still", "tashme": "already", "vertet": "actually",
    "me te vertete": "actually", "ne fakt": "actually", "me vone": "later",
    "pastaj": "afterwards", "me pas": "afterwards", "aktualisht": "currently",
    "ndonjehere": "ever", "konkretisht": "specifically", "saktesisht": "exactly",
    "sakte": "exactly",
    # pronouns and pointing back
    "ai": "he", "ky": "he", "ajo": "she", "kjo": "this", "ata": "they", "ato": "they",
    "keta": "they", "keto": "these", "atij": "him", "tij": "his", "i tij": "his",
    "e tij": "his", "saj": "her", "asaj": "her", "tyre": "their", "i tyre": "their",
    "e tyre": "their", "atje": "there", "aty": "there", "andej": "there",
    "atehere": "then", "per kete": "about that", "per ate": "about that",
    # follow-ups
    "dhe": "and", "edhe": "also", "gjithashtu": "also", "po per": "what about",
    "po me": "what about", "e po": "and", "po": "and", "si eshte puna me": "what about",
    "me shume": "more", "trego me shume": "tell me more", "tregom me shume": "tell me more",
    "na trego me shume": "tell me more", "me trego me shume": "tell me more",
    "me shume te lutem": "more please", "me shume info": "more info",
    "me shume informacion": "more information", "vazhdo": "go on", "vazhdo pak": "go on",
    "cfare tjeter": "what else", "dicka tjeter": "anything else", "tjeter": "else",
    "e me tej": "and then", "me tej": "go on",
    # questions that open with a verb, and framing
    "a": "do", "eshte": "is", "esht": "is", "asht": "is", "osht": "is", "jane": "are",
    "jan": "are", "ishte": "was", "ish": "was", "ishin": "were", "ka": "has", "kane": "have",
    "kan": "have", "kishte": "had", "mund": "can", "a ka": "is there",
    "a e di": "do you know", "a e dini": "do you know", "a di dikush": "do you know",
    "e di dikush": "do you know", "kush e di": "do you know",
    "sipas artikullit": "according to the article", "ne artikull": "in the article",
    "sipas lajmit": "according to the article", "ne lajm": "in the article",
    "thote artikulli": "does the article say", "cfare thote artikulli": "what does the article say",
    # asking how to ask: "dua te di ..." says nothing about the fact
    "dua te di": "", "dua ta di": "", "me intereson": "", "me intereson te di": "",
    "me thuaj": "tell me", "me trego": "tell me", "na trego": "tell me", "shpjegoje": "explain",
    "shpjego": "explain", "me shpjego": "explain", "cdo te thote": "what stands for",
    "c do te thote": "what stands for", "kam degjuar": "", "kam ndegjuar": "",
    # shorthand and filler
    "nuk": "not", "s": "not", "jo": "not", "ore": "", "more": "", "moj": "", "bre": "",
    "lol": "", "ok": "", "okej": "", "hajde": "", "pra": "", "vlla": "", "vella": "",
    "cun": "", "shoku": "", "ej": "", "hej": "", "te lutem": "", "ju lutem": "",
    "pak": "", "dikush": "", "njeri": "",
}  # fmt: skip

STOPWORDS = frozenset(
    """
    e i te ne me per nga nje dhe ose por qe se u do o une ti ju im yt jone juaj mua ty na
    ketu kete ate cdo ndonje disa kam kemi keni jam je jemi jeni isha ishe ishim ishit
    kisha kishe mbi nen tek deri pas prej tani sot keshtu ja pikerisht rreth afersisht gjithe
    gje sende dicka vetem thjesht shume mire ndoshta vete
    """.split()
)
AT_END = {"kete": "this", "ate": "that", "kjo": "this"}  # "kur e tha kete?"

# Places the article does not name, as Albanian writes them; matched by stem too ("Rusisë").
PLACES = {
    "rusia": "russia", "franca": "france", "serbia": "serbia", "greqia": "greece",
    "italia": "italy", "maqedonia": "macedonia", "turqia": "turkey", "spanja": "spain",
    "britania": "britain", "anglia": "england", "siria": "syria", "libani": "lebanon",
    "egjipti": "egypt", "austria": "austria", "zvicra": "switzerland", "hungaria": "hungary",
    "polonia": "poland", "kina": "china", "japonia": "japan", "india": "india",
    "ukraina": "ukraine", "moska": "moscow", "beogradi": "belgrade", "afrika": "africa",
    "azia": "asia", "kosova": "kosovo", "izraeli": "israel", "afganistani": "afghanistan",
    "pakistani": "pakistan", "kanadaja": "canada", "meksika": "mexico", "brazili": "brazil",
    "australia": "australia", "bosnja": "bosnia",
}  # fmt: skip
