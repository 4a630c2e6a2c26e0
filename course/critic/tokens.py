"""A post as tokens: one pass of one regular expression, then one loop that classes each
token and counts what the rules need (you/we words, hashtags, links, questions).

Token kinds: ``word`` (lower-cased), ``name`` (a capitalised given name from
``data/first_names.txt``, lower-cased), ``num``, ``price`` ("$5", "£20", "25p", "150p"),
``pct`` ("40%"), ``url`` (a scheme or ``www.``, or a domain with a path), ``domain`` (a
bare domain such as ``nike.com``), ``at`` (@mention), ``tag`` (#hashtag), ``end`` (., !,
?, ;, a line break), ``comma`` (, and :). A phrase in the lexicon matches words and kinds
(:mod:`course.critic.phrases`); hyphens split words ("behind-the-scenes" is three words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..content.knowledge import DATA_DIR

__all__ = ["Tokens", "split_words", "tokenize"]

TLDS = ("com|org|net|io|co|ly|shop|store|app|uk|us|eu|de|fr|info|biz|me|tv|link|page|site"
        "|online|gg|ai|ca|au|in|nz|ie|es|it|nl|to")
_TOKEN_RE = re.compile(
    r"https?://[^\s<>\"')\]]+|www\.[^\s<>\"')\]]+"
    rf"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:{TLDS})(?:/[^\s<>\"')\]]*)?(?![\w.])"
    r"|[$£€]\s?\d[\d,]*(?:\.\d+)?[km]?\b|\d+(?:\.\d+)?p\b|\d[\d,]*(?:\.\d+)?\s?%"
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?\b|\d+\.\d+\b"
    r"|[@#]?\w+(?:['’]\w+)*|[.!?;]+|\n|[,:]"
    "|[\U0001f300-\U0001faff\u2600-\u27bf\u2b50\u2b55\u231a-\u23ff]",
    re.IGNORECASE,
)
#: Pence prices as UK texts and ads write them: "25p", "150ppm", "1.50p".
_PENCE_RE = re.compile(r"\d+(?:\.\d+)?(?:p|ppm|pence)")
_DOMAIN_RE = re.compile(rf"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:{TLDS})", re.IGNORECASE)
#: you/we words for the audience rule ("thank you" and "see you" are not counted).
YOU = frozenset({"you", "your", "yours", "yourself", "yourselves", "you're", "you'll",
                 "you've", "you'd", "u", "ur"})
WE = frozenset({"we", "our", "ours", "ourselves", "us", "me", "my", "mine", "myself", "i",
                "we're", "we'll", "we've", "we'd", "i'm", "i'll", "i've", "i'd"})
_NOT_YOU_BEFORE = frozenset({"thank", "see"})
#: Given names: a capitalised one in a post is most likely a person (a customer, a member).
NAMES = frozenset(line.strip() for line in
                  (DATA_DIR / "first_names.txt").read_text(encoding="utf-8").splitlines()
                  if line.strip() and not line.startswith("#"))


@dataclass
class Tokens:
    """The tokens of one post, their kinds and spans, and counts the rules share."""

    text: str
    raw: list[str]
    words: list[str]
    kinds: list[str]
    you: list[int] = field(default_factory=list)  # token indices of you/your words
    we: int = 0
    hashtags: list[int] = field(default_factory=list)
    links: list[int] = field(default_factory=list)  # url and domain tokens
    _starts: list[int] | None = None

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Character span of tokens ``first`` to ``last`` (inclusive)."""
        starts = self._starts
        if starts is None:
            starts, pos, text = [], 0, self.text
            for raw in self.raw:
                pos = text.find(raw, pos)
                starts.append(pos)
                pos += len(raw)
            self._starts = starts
        return starts[first], starts[last] + len(self.raw[last])


def split_words(text: str) -> list[str]:
    """The lower-cased tokens of ``text``, as :func:`tokenize` would split them."""
    return [t.lower() for t in _TOKEN_RE.findall(text.replace("’", "'"))]


def _classify(tok: str) -> tuple[str, str, int]:
    """(lower-cased token, kind, voice: 1 for a you-word, -1 for a we-word, else 0)."""
    low = tok.lower()
    if tok.isalpha():
        kind = "name" if low in NAMES and tok[0].isupper() and not tok.isupper() else "word"
        voice = 1 if low in YOU else (-1 if low in WE and tok != "US" else 0)
        return low, kind, voice
    first = tok[0]
    if first == "#" and len(tok) > 1:
        return low, "tag", 0
    if first == "@" and len(tok) > 1:
        return low, "at", 0
    if first in ".!?;\n":
        return first, "end", 0
    if first in ",:":
        return low, "comma", 0
    if len(tok) == 1 and not first.isalnum():
        return low, "emoji", 0
    if first in "$£€" or _PENCE_RE.fullmatch(low):
        return low, "price", 0
    if low[-1] == "%":
        return low, "pct", 0
    if ("." in low and ("/" in low or low.startswith("www"))) or "://" in low:
        return low, "url", 0
    if "." in low and _DOMAIN_RE.fullmatch(low):
        return low, "domain", 0
    if first.isdigit():
        return low, "num", 0
    # a word with an apostrophe or digits inside ("don't", "covid19")
    return low, "word", 1 if low in YOU else (-1 if low in WE else 0)


#: Token -> its class, filled as posts are read (the same words come back in every post).
_CLASSES: dict[str, tuple[str, str, int]] = {}
_CACHE_LIMIT = 200_000


def tokenize(text: str) -> Tokens:
    """Split ``text`` into tokens and class them (see the module doc)."""
    raw = _TOKEN_RE.findall(text.replace("’", "'"))
    words, kinds = [], []
    you: list[int] = []
    we = 0
    hashtags, links = [], []
    previous = ""
    classes = _CLASSES
    for i, tok in enumerate(raw):
        known = classes.get(tok)
        if known is None:
            known = _classify(tok)
            if len(classes) < _CACHE_LIMIT:
                classes[tok] = known
        low, kind, voice = known
        words.append(low)
        kinds.append(kind)
        if voice:
            if voice > 0:
                if previous not in _NOT_YOU_BEFORE:
                    you.append(i)
            else:
                we += 1
        elif kind == "tag":
            hashtags.append(i)
        elif kind == "url" or kind == "domain":
            links.append(i)
        previous = low
    return Tokens(text, raw, words, kinds, you, we, hashtags, links)

