"""Text features the critic's counting rules share: emoji, hashtags, links, capitals,
questions, you/we words, visual words. Pure regular expressions, computed once per post."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

__all__ = ["Features", "questions"]

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


@dataclass(frozen=True)
class Features:
    """One post, its platform, and the evidence weight the lexicon found per tag (the
    counting rules that weigh questions against a sales pitch read it)."""

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


YES_NO_RE = re.compile(
    r"\W*(?:is|are|was|were|do|does|did|can|could|will|would|should|have|has|had|need|want"
    r"|got|ever)\b", re.IGNORECASE)
WH_RE = re.compile(
    r"\W*(?:which|what|what's|how|who|who's|where|when|why|would you rather|name|favou?rite"
    r"|yes or no|true or false|team)\b|.*\bor\b", re.IGNORECASE)


def questions(text: str) -> Iterator[tuple[int, int, str]]:
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
