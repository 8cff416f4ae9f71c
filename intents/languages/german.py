"""German: Snowball stems, umlauts and ß in any spelling, function words read as English cues.

Words arrive normalised (lower case, accents stripped: "über" is "uber", "ß" is "ss"); `fold`
makes the typed "ueber", "fuer", "groesse" the same words.
"""

from functools import lru_cache

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("german")
_DIGRAPHS = (("ae", "a"), ("oe", "o"), ("ue", "u"))


def fold(word: str) -> str:
    """ "ueber", "über" and "uber" are one word; so are "groesse" and "größe"."""
    for digraph, vowel in _DIGRAPHS:
        word = word.replace(digraph, vowel)
    return word


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """The Snowball German stem of a folded word; numbers and question words stay whole."""
    if not word.isalpha() or word in ("who", "when", "where", "why"):
        return word
    return _STEMMER.stemWord(word)


# What German function words and chat shorthand mean, as English cue words (folded forms).
LEXICON = {
    # question words
    "wer": "who", "wen": "whom", "wem": "whom", "wessen": "whose", "von wem": "by whom",
    "wann": "when", "seit wann": "since when", "ab wann": "since when", "bis wann": "when",
    "wo": "where", "woher": "where", "wohin": "where", "wo genau": "where",
    "warum": "why", "wieso": "why", "weshalb": "why", "weswegen": "why", "wozu": "why",
    "wofur": "what for", "wofur steht": "what stands for", "wofur stehen": "what stand for",
    "wie kommt es": "how come", "wieso denn": "why", "warum denn": "why",
    "was": "what", "wat": "what", "was fur": "what", "was fuer": "what",
    "welche": "which", "welcher": "which", "welches": "which", "welchen": "which",
    "welchem": "which", "wie": "how",
    "wie viele": "how many", "wieviele": "how many", "wie viel": "how many",
    "wieviel": "how many", "anzahl der": "number of", "anzahl": "number of",
    "wie alt": "how old", "wie gross": "how big", "wie lange": "how long",
    "wie lange her": "how long ago", "wie weit": "how far", "wie oft": "how often",
    "in welchem jahr": "what year", "welches jahr": "what year", "welchem jahr": "what year",
    "in welchem monat": "which month", "welcher monat": "which month",
    "welchen monat": "which month", "monat": "month",
    "an welchem tag": "what day", "welcher tag": "what day", "welches datum": "what date",
    "genaues datum": "exact date", "genauer tag": "exact day", "genau wann": "exact date",
    "datum": "date", "jahr": "year",
    # what kind of answer is asked for
    "name": "name", "namen": "name", "heisst": "called", "heissen": "called",
    "hiess": "called", "hiessen": "called", "genannt": "called", "nennt": "calls",
    "nannte": "called", "bezeichnet": "called", "bezeichnete": "called",
    "abkurzung": "abbreviation", "steht fur": "stands for", "bedeutet": "stands for",
    "rolle": "role", "job": "job", "beruf": "job", "funktion": "role", "amt": "role",
    "posten": "role", "prozent": "percent", "zahl": "figure", "bevolkerung": "population",
    "einwohner": "population", "entfernung": "distance", "kilometer": "km",
    "grosse": "size", "flache": "area", "hektar": "hectares", "quadratmeter": "square",
    "alter": "age", "geboren": "born", "geburtstag": "birthday",
    "geld": "money", "kosten": "costs", "kostet": "costs", "kostete": "cost",
    "bezahlt": "paid", "zahlt": "pays", "zahlte": "paid", "finanziert": "funded",
    "finanzierung": "funding", "dollar": "dollars", "gehalt": "salary", "budget": "budget",
    "grund": "reason", "grunde": "reasons", "ursache": "cause", "motiv": "motive",
    "zweck": "purpose", "waffe": "weapon", "methode": "method",
    "sagte": "said", "sagt": "says", "sagen": "say", "gesagt": "said", "zitat": "quote",
    "zitiert": "quoted", "worte": "words", "wortlaut": "words", "aussage": "statement",
    "ausserung": "remark", "ausserte": "said", "erklarte": "said", "erklarung": "statement",
    "behauptet": "claims", "behauptete": "claimed", "behauptung": "claim", "meinte": "said",
    "warnte": "warned", "gewarnt": "warned",
    "denkt": "think", "denken": "think", "dachte": "thought", "meinung": "opinion",
    "sicht": "view", "ansicht": "view", "haltung": "stance", "reaktion": "reaction",
    "reagiert": "reacted", "reagierte": "reacted", "reagieren": "react",
    "findest du": "do you think", "findet ihr": "do you think", "meinst du": "do you think",
    "deiner meinung": "your opinion", "deine meinung": "your opinion",
    "gerecht": "fair", "ungerecht": "unfair", "fair": "fair", "unfair": "unfair",
    "berechtigt": "justified", "gerechtfertigt": "justified", "moralisch": "moral",
    "legitim": "legitimate", "verdient": "deserved", "gut oder schlecht": "good or bad",
    "zukunft": "future", "kunftig": "future", "zukunftig": "future",
    "was passiert jetzt": "what will happen", "was wird passieren": "what will happen",
    "wie geht es weiter": "what next", "wie gehts weiter": "what next",
    "als nachstes": "next step", "demnachst": "upcoming",
    # asking past what the article reports
    "immer noch": "still", "noch immer": "still", "schon": "already", "bereits": "already",
    "tatsachlich": "actually", "wirklich": "actually", "spater": "later",
    "danach": "afterwards", "anschliessend": "afterwards", "inzwischen": "currently",
    "mittlerweile": "currently", "jemals": "ever", "konkret": "specific",
    "genau": "exactly", "eigentlich": "",
    # pronouns and pointing back
    "er": "he", "ihn": "him", "ihm": "him", "sein": "his", "seine": "his", "seinen": "his",
    "seinem": "his", "seiner": "his", "seines": "his", "sie": "they", "ihnen": "them",
    "ihr": "their", "ihre": "their", "ihren": "their", "ihrem": "their", "ihrer": "their",
    "es": "it", "dort": "there", "dorthin": "there", "damals": "then", "davon": "that",
    "daruber": "that", "dazu": "that", "dabei": "that", "darauf": "that", "dafur": "that",
    "dagegen": "that",
    # follow-ups
    "und": "and", "u": "and", "auch": "also", "ausserdem": "also",
    "was ist mit": "what about", "und was ist mit": "what about", "wie ist es mit": "what about",
    "wie siehts mit": "what about", "wie sieht es mit": "what about",
    "und wie ist es mit": "what about", "was ist denn mit": "what about",
    "mehr": "more", "noch mehr": "more", "erzahl mehr": "tell me more",
    "erzahl mir mehr": "tell me more", "erzahle mehr": "tell me more",
    "erzahlen sie mehr": "tell me more", "sag mehr": "say more", "mehr bitte": "more please",
    "bitte mehr": "more please", "mehr infos": "more info", "mehr info": "more info",
    "mehr dazu": "more about that", "mehr daruber": "more about that", "weiter": "go on",
    "mach weiter": "go on", "und weiter": "go on", "was noch": "what else",
    "sonst noch was": "anything else", "noch was": "anything else", "und sonst": "what else",
    "was gibts noch": "what else", "was gibt es noch": "what else",
    # questions that open with a verb, and framing
    "ist": "is", "is": "is", "isses": "is it", "sind": "are", "war": "was", "waren": "were",
    "hat": "has", "haben": "have", "hatte": "had", "hatten": "had", "hab": "have",
    "ham": "have", "kann": "can", "konnen": "can", "gibt es": "is there", "gibts": "is there",
    "gab es": "was there", "stimmt es": "is it true", "weisst du": "do you know",
    "weiss jemand": "do you know", "wisst ihr": "do you know", "wissen sie": "do you know",
    "laut artikel": "according to the article", "laut dem artikel": "according to the article",
    "laut text": "according to the article", "im artikel": "in the article",
    "steht im artikel": "does the article say", "sagt der artikel": "does the article say",
    # asking how to ask: "mich würde interessieren, ..." says nothing about the fact
    "mich wurde interessieren": "", "mich interessiert": "", "ich wurde gern wissen": "",
    "ich mochte wissen": "", "ich will wissen": "", "sag mal": "", "sag mir": "tell me",
    "erklar mal": "explain", "erklar mir": "explain", "kannst du mir sagen": "tell me",
    "konnt ihr mir sagen": "tell me", "zu tun": "",
    "ich hab gehort": "", "ich habe gehort": "", "kurz erklart": "explain",
    # shorthand and filler
    "nich": "not", "net": "not", "nicht": "not", "kp": "", "keine ahnung": "",
    "iwie": "", "irgendwie": "", "eig": "", "halt": "", "mal": "", "denn": "", "doch": "",
    "ja": "", "ne": "", "nee": "", "na": "", "also": "", "hm": "", "hmm": "", "lol": "",
    "ok": "", "okay": "", "digga": "", "bitte": "", "bzw": "", "bro": "",
    "weil": "because", "weils": "because", "nen": "", "n": "",
    "leute": "", "jemand": "", "eigtl": "",
}  # fmt: skip

STOPWORDS = frozenset(
    """
    der die das den dem des ein eine einer eines einem einen und oder aber doch nein kein
    keine keinen keiner keinem im in ins am an auf aus bei beim mit nach seit von vom zu
    zum zur uber unter vor hinter neben zwischen durch fur gegen ohne um als so dass ob
    wenn da dann nur sehr ich du wir mich dich sich uns euch mir dir mein meine dein deine
    unser euer bin bist seid gewesen wird werden wurde wurden habe hast habt konnte
    konnten muss mussen soll sollen sollte will wollen mochte mag gab geben man etwas alles
    alle dies diese dieser dieses diesem diesen jene jener hier jetzt heute eben gerade
    wieder immer einmal gar uberhaupt zwar sowie beziehungsweise gibt wegen ausgerechnet
    ungefahr etwa ganz ganze ganzen ganzes sache sachen ding dinge irgendwas irgendein bloss
    sowieso damit darum gestern kurz moglich vielleicht wohl echt eher
    """.split()
)
AT_END = {"das": "that", "dies": "this", "diese": "these"}  # "wann war das?"

# Places the article does not name, as German writes them: named in a decline, never matched.
PLACES = {
    "russland": "russia", "frankreich": "france", "serbien": "serbia", "griechenland": "greece",
    "italien": "italy", "nordmazedonien": "macedonia", "mazedonien": "macedonia",
    "turkei": "turkey", "spanien": "spain", "grossbritannien": "britain", "england": "england",
    "syrien": "syria", "libanon": "lebanon", "saudi": "saudi", "agypten": "egypt",
    "osterreich": "austria", "schweiz": "switzerland", "ungarn": "hungary", "polen": "poland",
    "china": "china", "japan": "japan", "indien": "india", "ukraine": "ukraine",
    "moskau": "moscow", "belgrad": "belgrade", "afrika": "africa", "asien": "asia",
    "kosovo": "kosovo", "montenegro": "montenegro", "bosnien": "bosnia", "israel": "israel",
    "afghanistan": "afghanistan", "pakistan": "pakistan", "kanada": "canada",
    "mexiko": "mexico", "brasilien": "brazil", "australien": "australia",
}  # fmt: skip
