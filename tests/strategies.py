"""Hypothesis strategies for what people send: any text, heavy on what breaks renderers."""

from hypothesis import strategies as st

# Markup of both platforms, invisible and direction characters, mentions, line breaks.
TRICKY = (
    "<>&\"'*_~`|\\[]()#@:/\n \u200b\u200c\u200d\u2060\ufeff\u202a\u202e\u2066\u2069\u05d0\u0627"
)


def nasty_text(min_size: int = 0, max_size: int = 1000) -> st.SearchStrategy[str]:
    """Text drawn half from TRICKY and half from all of Unicode."""
    alphabet = st.one_of(st.sampled_from(TRICKY), st.characters())
    return st.text(alphabet=alphabet, min_size=min_size, max_size=max_size)
