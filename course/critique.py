"""The post critic: which critique tags a social-media post carries, and why.

Explainable in the way of VADER: a readable lexicon (``data/lexicon.yaml``) plus a few
counting rules in this module, each naming the tag it supports. Every piece of evidence
adds a weight to its tag; a tag is given when its evidence adds up to ``THRESHOLD``.
A tag's score is ``w / (w + THRESHOLD)`` for total weight ``w`` (0 when ``w <= 0``), so
a score of 0.5 or more means the tag is given.

>>> result = analyze("Flash sale!!! 40% off today only, use code SAVE40")
>>> sorted(result.tags)
['hard-sell', 'pressure', 'spam']
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .knowledge import DATA_DIR, KnowledgeBase, load_knowledge
from .lexicon import Lexicon
from .platforms import normalize_platform

__all__ = ["Critic", "Critique", "Evidence", "analyze", "get_critic"]

THRESHOLD = 0.9  # total evidence weight at which a tag is given (its score is then 0.5)
DEFINITE = 3.0  # weight of a rule that matches a tag's definition to the letter


@dataclass(frozen=True)
class Evidence:
    """One reason for a tag: the words at ``text[start:end]`` and what to do about them."""

    tag: str
    start: int
    end: int
    explanation: str
    weight: float = 1.0

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass(frozen=True)
class Critique:
    """What the critic found in one post."""

    text: str
    platform: str | None
    tags: frozenset[str]
    scores: dict[str, float]
    evidence: tuple[Evidence, ...]
    suggestions: tuple[str, ...] = field(default=())

    def evidence_for(self, tag: str) -> list[Evidence]:
        return [e for e in self.evidence if e.tag == tag]

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "platform": self.platform,
            "tags": sorted(self.tags),
            "scores": dict(self.scores),
            "evidence": [
                {"tag": e.tag, "span": [e.start, e.end], "text": self.text[e.start : e.end],
                 "explanation": e.explanation}
                for e in self.evidence
            ],
            "suggestions": list(self.suggestions),
        }


# --- Text features shared by the counting rules -------------------------------------------

_EMOJI_BASE = (
    "[\U0001f1e6-\U0001f1ff\U0001f300-\U0001faff\u2600-\u27bf\u2b00-\u2bff"
    "\u2300-\u23ff\u203c\u2049\u2122\u2139\u2194-\u2199\u3030\u303d\u3297\u3299]"
)
_EMOJI_UNIT = f"{_EMOJI_BASE}(?:[\ufe0f\u20e3]|\u200d{_EMOJI_BASE})*"
EMOJI_RE = re.compile(_EMOJI_UNIT)
EMOJI_RUN_RE = re.compile(f"{_EMOJI_UNIT}(?:[ \t]?{_EMOJI_UNIT}){{4,}}")
HASHTAG_RE = re.compile(r"(?<![\w&])#\w*[^\W\d_]\w*")
URL_RE = re.compile(
    r"\bhttps?://[^\s<>\"')]+|\bwww\.[^\s<>\"')]+"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|co|ly|shop|store|app|uk|us|eu|de|fr"
    r"|info|biz|me|tv|link|page|site|online|gg)(?:/[^\s<>\"')]*)?(?![\w.])",
    re.IGNORECASE,
)
CAPS_RUN_RE = re.compile(
    r"(?<![#@\w'’])(?:[A-Z][A-Z0-9'’]+|I|A)(?:[ \t,&/+-]+(?:[A-Z][A-Z0-9'’]+|I|A)){2,}(?![\w'’])"
)
BANG_RE = re.compile(r"!{3,}|(?:![ \t]*){3,}")
WORD_RE = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
QUESTION_MARKS_RE = re.compile(r"\?+")
YOU_RE = re.compile(
    r"\b(?:you|your|yours|yourself|yourselves|you['’](?:re|ll|ve|d))\b", re.IGNORECASE
)
VOICE_RE = re.compile(
    r"\b(?:(?P<not>(?:thank|thanks|see) you)|(?P<you>you|your|yours|yourself|yourselves"
    r"|you['’](?:re|ll|ve|d))|(?P<we>we|our|ours|ourselves|us|me|my|mine|myself|i"
    r"|we['’](?:re|ll|ve|d)|i['’](?:m|ll|ve|d)))\b",
    re.IGNORECASE,
)
VISUAL_RE = re.compile(
    r"\b(?:photo|photos|photograph\w*|pic|pics|picture|pictures|image|images|pin|pins|pinned"
    r"|pinboard|board|video|videos|infographic|infographics|illustration|illustrations"
    r"|illustrated|sketch|sketches|drawing|drawings|graphic|graphics|diagram|chart|snapshot"
    r"|shot|shots|gallery|mood ?board|visual|visuals|printable|poster|render|collage"
    r"|slideshow|carousel|swatch|swatches|look ?book|gif|watercolou?r|painting|print|prints"
    r"|pictured|shown|time-?lapse|close-?up|mock-?up|photographed|filmed|animation|reel)\b",
    re.IGNORECASE,
)
# A question that opens like these is a sales hook or a lead-in, not an invitation to talk.
RHETORICAL_RE = re.compile(
    r"^\W*(?:tired|sick|fed up|need|needs|want|wanna|looking|ready|struggling|craving|wish"
    r"|ever (?:wish|wanted|wondered|dreamed)|why (?:pay|wait|settle|not|put up|stress|struggle)"
    r"|who (?:says|doesn['’]t|wouldn['’]t|needs)|what are you waiting|isn['’]t it time"
    r"|did you know|can['’]t decide|still (?:using|paying|waiting|struggling|stuck|searching)"
    r"|hate|worried|running (?:low|late|out)|in need|having trouble|dreaming of|got a"
    r"|thinking (?:about|of) (?:buying|switching|upgrading|getting)|planning a|short on"
    r"|missing|out of|bored of|stuck|had enough|time for (?:a|an) (?:upgrade|change|new)"
    r"|how would you like|what if you could|imagine|remember when|guess what|know what"
    r"|starting|planning|moving|heading|going|getting|buying|hosting|travel+ing|launching"
    r"|renovating|trying|learning|new to|first time)\b",
    re.IGNORECASE,
)
X_LIMIT = 280


@dataclass
class _Features:
    text: str
    platform: str | None
    lexicon_totals: dict[str, float] = field(default_factory=dict)

    @functools.cached_property
    def hashtags(self) -> list[re.Match]:
        return list(HASHTAG_RE.finditer(self.text))

    @functools.cached_property
    def urls(self) -> list[re.Match]:
        return list(URL_RE.finditer(self.text))

    @functools.cached_property
    def voice(self) -> tuple[list[re.Match], int]:
        """The you/your words (not "thank you", "see you") and the count of we/our/I words."""
        you, we = [], 0
        for m in VOICE_RE.finditer(self.text):
            if m.lastgroup == "you":
                you.append(m)
            elif m.lastgroup == "we" and m.group() != "US":
                we += 1
        return you, we


# A signal is (tag, weight, start, end, explanation).
Signal = tuple[str, float, int, int, str]


# --- Counting rules, each naming its tag --------------------------------------------------

def _spam_rules(f: _Features) -> Iterator[Signal]:
    for m in CAPS_RUN_RE.finditer(f.text):
        if sum(1 for w in WORD_RE.findall(m.group()) if len(w) > 1) >= 2:
            yield ("spam", DEFINITE, m.start(), m.end(),
                   "Three or more words in capitals read as shouting; write in sentence case.")
    for m in BANG_RE.finditer(f.text):
        yield ("spam", DEFINITE, m.start(), m.end(),
               "Three or more exclamation marks read as shouting; one is plenty.")
    if len(f.hashtags) >= 6:
        first, last = f.hashtags[0], f.hashtags[-1]
        yield ("spam", DEFINITE, first.start(), last.end(),
               f"{len(f.hashtags)} hashtags stuff the post; keep the one or two that matter.")
    for m in EMOJI_RUN_RE.finditer(f.text):
        yield ("spam", DEFINITE, m.start(), m.end(),
               "Five or more emoji in a row look like spam; keep one that adds meaning.")
    seen: dict[str, re.Match] = {}
    for m in f.urls:
        key = m.group().lower().rstrip("/.,!?")
        if key in seen:
            yield ("spam", DEFINITE, m.start(), m.end(),
                   "The same link appears more than once; give it once, where it helps.")
        seen[key] = m
    yield from _repeated_phrase(f.text)


def _repeated_phrase(text: str) -> Iterator[Signal]:
    """A two-word phrase used 3+ times, or a four-word phrase used twice, is spam."""
    tokens = WORD_RE.findall(text.lower())
    if len(tokens) < 6:
        return
    for n, times in ((2, 3), (4, 2)):
        grams = Counter(zip(*(tokens[i:] for i in range(n)), strict=False))
        gram, count = grams.most_common(1)[0]
        if count >= times and sum(map(len, gram)) >= 3 * n:
            phrase = re.compile(r"\W+".join(map(re.escape, gram)), re.IGNORECASE)
            last = list(phrase.finditer(text))[-1]
            yield ("spam", DEFINITE, last.start(), last.end(),
                   f'"{" ".join(gram)}" is repeated {count} times; say it once.')
            return


def _channel_rules(f: _Features) -> Iterator[Signal]:
    text, platform = f.text, f.platform
    if platform == "x" and len(text) > X_LIMIT:
        yield ("channel-misfit", DEFINITE, X_LIMIT, len(text),
               f"At {len(text)} characters this is over X's {X_LIMIT}; cut it or make a thread.")
    elif platform == "instagram":
        for m in f.urls:
            yield ("channel-misfit", DEFINITE, m.start(), m.end(),
                   "Links in Instagram captions are not clickable; point to your profile link.")
    elif platform == "pinterest" and not VISUAL_RE.search(text):
        yield ("channel-misfit", DEFINITE, 0, len(text),
               "Pinterest is a visual search engine; say what the image or video shows.")
    elif platform in ("linkedin", "facebook") and len(f.hashtags) >= 6:
        first, last = f.hashtags[0], f.hashtags[-1]
        yield ("channel-misfit", DEFINITE, first.start(), last.end(),
               f"{len(f.hashtags)} hashtags are too many for {platform.title()}; use two or three.")
    if platform == "linkedin":
        emoji = list(EMOJI_RE.finditer(text))
        if len(emoji) >= 5:
            yield ("channel-misfit", DEFINITE, emoji[0].start(), emoji[-1].end(),
                   f"{len(emoji)} emoji feel out of place on LinkedIn; keep one or two.")


YES_NO_RE = re.compile(
    r"\W*(?:is|are|was|were|do|does|did|can|could|will|would|should|have|has|had|need|want"
    r"|got|ever)\b", re.IGNORECASE)
WH_RE = re.compile(
    r"\W*(?:which|what|what's|how|who|who's|where|when|why|would you rather|name|favou?rite"
    r"|yes or no|true or false|team)\b|.*\bor\b", re.IGNORECASE)


def _questions(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, question) for each sentence ending in a question mark."""
    previous_end = 0
    for m in QUESTION_MARKS_RE.finditer(text):
        head = text[previous_end:m.start()]
        cut = max(head.rfind(c) for c in ".!?\n:")  # "Settle a debate: is it X?" asks "is it X?"
        body_start = previous_end + cut + 1
        question = text[body_start:m.end()]
        previous_end = m.end()
        stripped = question.lstrip()
        if any(c.isalpha() for c in stripped):
            yield m.end() - len(stripped), m.end(), stripped


def _question_rules(f: _Features) -> Iterator[Signal]:
    selling = f.lexicon_totals.get("hard-sell", 0.0) >= THRESHOLD
    for start, end, body in _questions(f.text):
        if RHETORICAL_RE.search(body):
            if body.lower().lstrip("🤔 ").startswith("did you know"):
                continue
            yield ("invites-conversation", -0.3, start, end,
                   "A question that leads into a pitch is rhetorical; ask one you want answered.")
            continue
        if selling and YES_NO_RE.match(body) and not WH_RE.match(body):
            # "Is your onboarding costing you hires? Book a demo" answers itself.
            yield ("invites-conversation", -0.3, start, end,
                   "A yes/no question before a pitch is rhetorical; ask one you want answered.")
            continue
        weight = 1.1 if YOU_RE.search(body) or WH_RE.match(body) or YES_NO_RE.match(body) else 0.8
        yield ("invites-conversation", weight, start, end,
               "A genuine question invites replies; answer the people who respond.")


def _voice_rules(f: _Features) -> Iterator[Signal]:
    you_words, we = f.voice
    you = len(you_words)
    if you >= 2 and you > we:
        first, last = you_words[0], you_words[-1]
        weight = 0.7 + 0.15 * min(you - we, 4)
        yield ("audience-first", weight, first.start(), last.end(),
               f"Speaks to the reader ({you} you/your words against {we} we/I words), "
               "about their situation.")
    if we >= 3 and you <= 1:
        yield ("about-us", 0.4 + 0.1 * min(we - 3, 4), 0, len(f.text),
               f"{we} we/our/I words and almost no you: turn the post toward the reader.")


COUNTING_RULES: tuple[Callable[[_Features], Iterator[Signal]], ...] = (
    _spam_rules,
    _channel_rules,
    _question_rules,
    _voice_rules,
)


# --- The critic ---------------------------------------------------------------------------

def _score(weight: float) -> float:
    """0 for no evidence, 0.5 at the threshold, towards 1 as evidence grows."""
    return round(weight / (weight + THRESHOLD), 3) if weight > 0 else 0.0


class Critic:
    """Applies the lexicon and counting rules. Build once, call :meth:`analyze` many times."""

    def __init__(self, *, lexicon_path: Path | str = DATA_DIR / "lexicon.yaml",
                 knowledge: KnowledgeBase | None = None):
        self.knowledge = knowledge or load_knowledge()
        self.tag_ids = self.knowledge.tag_ids
        self.lexicon = Lexicon(lexicon_path, self.tag_ids)

    def _signals(self, f: _Features) -> Iterator[Signal]:
        """Lexicon matches (a rule's repeats add less each time: w, w*r, w*r*r, ... for
        its ``repeat`` r), then the counting rules, which may look at the lexicon's totals."""
        totals = f.lexicon_totals
        rules = self.lexicon.rules
        seen: Counter[int] = Counter()
        for m in sorted(self.lexicon.find(f.text), key=lambda m: (m.start, m.rule)):
            rule = rules[m.rule]
            weight = rule.weight * rule.repeat ** seen[m.rule]
            seen[m.rule] += 1
            totals[rule.tag] = totals.get(rule.tag, 0.0) + weight
            yield (rule.tag, weight, m.start, m.end, rule.says)
        for counting_rule in COUNTING_RULES:
            yield from counting_rule(f)

    def analyze(self, text: str, platform: str | None = None) -> Critique:
        """Critique one post. ``platform`` is optional; channel rules need it."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        platform = normalize_platform(platform)
        f = _Features(text, platform)
        totals = dict.fromkeys(self.tag_ids, 0.0)
        signals = list(self._signals(f))
        for tag, weight, *_ in signals:
            totals[tag] += weight
        _adjust(totals)
        tags = frozenset(t for t, w in totals.items() if w >= THRESHOLD)
        evidence = tuple(
            Evidence(tag, start, end, says, weight)
            for tag, weight, start, end, says in sorted(signals, key=lambda s: (s[2], s[3]))
            if tag in tags and weight >= 0
        )
        return Critique(
            text=text,
            platform=platform,
            tags=tags,
            scores={t: _score(w) for t, w in totals.items()},
            evidence=evidence,
            suggestions=self._suggest(tags),
        )

    def _suggest(self, tags: frozenset[str]) -> tuple[str, ...]:
        kb = self.knowledge.tags
        out = [kb[t].fix for t in self.tag_ids if t in tags and kb[t].kind == "problem"]
        if out or not tags:
            # A post with problems, or with nothing going for it: suggest the two habits
            # the course leans on most, unless the post already has them.
            for t in ("invites-conversation", "gives-value"):
                if t in kb and t not in tags:
                    out.append(kb[t].fix)
        return tuple(out)


def _adjust(totals: dict[str, float]) -> None:
    """Interactions between tags that the definitions call for."""
    pitch = totals["hard-sell"] >= THRESHOLD
    threat = totals["pressure"] >= THRESHOLD
    # A pitch or threat aimed at "you" is not audience-first.
    if threat:
        totals["audience-first"] -= 1.0
    elif pitch:
        totals["audience-first"] -= 0.5
    # About-us means the post offers the reader nothing: a post that gives value,
    # invites talk or celebrates other people is not about-us.
    offers = max(totals["gives-value"], totals["invites-conversation"], totals["community"])
    if offers >= THRESHOLD:
        totals["about-us"] -= 0.6
    if pitch:
        totals["about-us"] -= 0.3


@functools.lru_cache(maxsize=1)
def get_critic() -> Critic:
    """The course's critic, built once from the shipped data."""
    return Critic()


def analyze(text: str, platform: str | None = None) -> Critique:
    """Critique ``text`` with the course's critic; see :class:`Critique`."""
    return get_critic().analyze(text, platform)
