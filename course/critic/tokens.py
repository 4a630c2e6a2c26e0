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
#: A space before a token, skipped as part of the match. Without it the regex tries every
#: alternative at each space between words before moving on (a third of its time). One
#: character only (a run of spaces is rare), so a long run of blanks stays linear; no
#: alternative starts with a blank, so giving the skip back never finds another token
#: (and Python 3.10 has no possessive ``?+``). A line break is a token and is not skipped.
_SKIP_SPACE = r"[^\S\n]?"
_TOKEN_RE = re.compile(
    # findall returns the one group: the token without the whitespace before it.
    _SKIP_SPACE + "("
    # A plain word first (most tokens are): letters, whole, and not the start of a link or
    # a domain; then punctuation (no other alternative starts with it); the rest is tried
    # only where those fail.
    r"[^\W\d_]\w*(?:['’]\w+)*(?![\w'’])(?![./:][\w/])"
    r"|[.!?;]+|\n|[,:]"
    r"|https?://[^\s<>\"')\]]+|www\.[^\s<>\"')\]]+"
    rf"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:{TLDS})(?:/[^\s<>\"')\]]*)?(?![\w.])"
    r"|[$£€]\s?\d[\d,]*(?:\.\d+)?[km]?\b|\d+(?:\.\d+)?p\b|\d[\d,]*(?:\.\d+)?\s?%"
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?\b|\d+\.\d+\b"
    r"|[@#]?\w+(?:['’]\w+)*"
    "|[\U0001f300-\U0001faff\u2600-\u27bf\u2b50\u2b55\u231a-\u23ff])",
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
#: "3+ all-caps words in a row" (the spec's spam rule).
MIN_CAPS_RUN = 3
#: Given names: a capitalised one in a post is most likely a person (a customer, a member).
NAMES = frozenset(line.strip() for line in
                  (DATA_DIR / "first_names.txt").read_text(encoding="utf-8").splitlines()
                  if line.strip() and not line.startswith("#"))


@dataclass
class Tokens:
    """The tokens of one post, their kinds and spans, and counts the rules share.

    ``text`` is the post with each curly apostrophe read as a straight one, as the tokens
    are; it has the post's length, so a span in it is the same span in the post."""

    text: str
    raw: list[str]
    words: list[str]
    kinds: list[str]
    you: list[int] = field(default_factory=list)  # token indices of you/your words
    we: int = 0
    hashtags: list[int] = field(default_factory=list)
    links: list[int] = field(default_factory=list)  # url and domain tokens
    #: (first, last) token of each run of capitalised words with 3+ of two letters or more
    caps_runs: list[tuple[int, int]] = field(default_factory=list)
    emoji: int = 0  # emoji tokens
    _starts: list[int] = field(default_factory=list)

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Character span of tokens ``first`` to ``last`` (inclusive)."""
        starts = self._starts
        if len(starts) <= last:
            text, raw = self.text, self.raw
            pos = starts[-1] + len(raw[len(starts) - 1]) if starts else 0
            for k in range(len(starts), last + 1):
                pos = text.find(raw[k], pos)
                starts.append(pos)
                pos += len(raw[k])
        return starts[first], starts[last] + len(self.raw[last])


def split_words(text: str) -> list[str]:
    """The lower-cased tokens of ``text``, as :func:`tokenize` would split them."""
    return [t.lower() for t in _TOKEN_RE.findall(text.replace("’", "'"))]


#: Capitals of a token: a word of two or more capitals counts towards a run, "I" and "A"
#: carry a run on without counting, anything else ends it.
CAPS, CAPS_GLUE, NO_CAPS = 2, 1, 0


def _caps(tok: str) -> int:
    if tok in ("I", "A"):
        return CAPS_GLUE
    return CAPS if len(tok) > 1 and tok.isupper() and tok[0].isalpha() else NO_CAPS


def _classify(tok: str) -> tuple[str, str, int, int]:
    """(lower-cased token, kind, voice: 1 for a you-word, -1 for a we-word, else 0,
    capitals: :data:`CAPS`, :data:`CAPS_GLUE` or :data:`NO_CAPS`)."""
    low, kind, voice = _kind(tok)
    return low, kind, voice, _caps(tok) if kind in ("word", "name", "num") else (
        CAPS_GLUE if kind == "comma" else NO_CAPS)


def _kind(tok: str) -> tuple[str, str, int]:
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
_CLASSES: dict[str, tuple[str, str, int, int]] = {}
_CACHE_LIMIT = 200_000


def _learn(tok: str) -> tuple[str, str, int, int]:
    known = _classify(tok)
    if len(_CLASSES) < _CACHE_LIMIT:
        _CLASSES[tok] = known
    return known


def tokenize(text: str) -> Tokens:
    """Split ``text`` into tokens and class them (see the module doc)."""
    text = text.replace("’", "'")
    raw = _TOKEN_RE.findall(text)
    get = _CLASSES.get
    known = [get(tok) or _learn(tok) for tok in raw]
    words = [k[0] for k in known]
    kinds = [k[1] for k in known]
    voices = [k[2] for k in known]
    you = [i for i, v in enumerate(voices)
           if v == 1 and (i == 0 or words[i - 1] not in _NOT_YOU_BEFORE)] if 1 in voices \
        else []
    we = voices.count(-1)
    hashtags = [i for i, k in enumerate(kinds) if k == "tag"] if "#" in text else []
    links = [i for i, k in enumerate(kinds) if k == "url" or k == "domain"] \
        if "." in text else []
    caps_runs: list[tuple[int, int]] = []
    caps = [k[3] for k in known]
    if caps.count(CAPS) >= MIN_CAPS_RUN:
        run_start, run_last, run_size = -1, -1, 0
        for i, c in enumerate(caps):
            if c == CAPS:
                if run_size == 0:
                    run_start = i
                run_size += 1
                run_last = i
            elif c == NO_CAPS and run_size:
                if run_size >= MIN_CAPS_RUN:
                    caps_runs.append((run_start, run_last))
                run_size = 0
        if run_size >= MIN_CAPS_RUN:
            caps_runs.append((run_start, run_last))
    emoji = kinds.count("emoji") if not text.isascii() else 0
    return Tokens(text, raw, words, kinds, you, we, hashtags, links, caps_runs, emoji)
