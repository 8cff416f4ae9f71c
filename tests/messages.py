"""What people send, for the adapter tests: plain questions, nasty messages, and a
hypothesis strategy for any text, heavy on what breaks renderers.
"""

from hypothesis import strategies as st

# Markup of both platforms, invisible and direction characters, mentions, line breaks.
TRICKY = (
    "<>&\"'*_~`|\\[]()#@:/\n \u200b\u200c\u200d\u2060\ufeff\u202a\u202e\u2066\u2069\u05d0\u0627"
)


def nasty_text(min_size: int = 0, max_size: int = 1000) -> st.SearchStrategy[str]:
    """Text drawn half from TRICKY and half from all of Unicode."""
    # no lone surrogates: JSON can carry them but the core replaces them before any reply
    alphabet = st.one_of(st.sampled_from(TRICKY), st.characters(exclude_categories=("Cs",)))
    return st.text(alphabet=alphabet, min_size=min_size, max_size=max_size)


# A mix of what the core answers, declines and asks "did you mean" about.
QUESTIONS = (
    "When did Albania join NATO?",
    "where do the MEK live?",
    "What do Albanians think of Russia?",
    "how many diplomats were expelled",
    "albania",
)

# Messages meant to break something; each platform's tests add their own mentions.
NASTY = {
    "100 KB": "When did Albania join NATO? " + "x" * 100_000,
    "thousands of lines": "When did Albania join NATO?\n" + "\n".join(["spam"] * 5000),
    "zero-width": "When\u200b did\u200c Albania\u200d join\u2060 NATO\ufeff?",
    "right-to-left": "\u202eWhen did Albania join NATO?\u202c \u05de\u05d4 \u0645\u0627",
    "html": '<script>alert("x")</script><a href="javascript:x">What</a> does <b>Putin</b> think?',
    "unclosed html": "<b><i>When did Albania join NATO? &lt; &amp &#x; </b",
    "markdown": "What does **Putin** think of `Tirana`? [click](http://evil.example) ||x|| # Big",
    "only symbols": "\u200b\u200b!!!???\u202e",
    "lone surrogates": "/\ud800x \udfff When did Albania join NATO?",
}
