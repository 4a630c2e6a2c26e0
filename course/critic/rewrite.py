"""How a rewrite of a post compares with the original: what it keeps, what it fixes.

:func:`compare` says whether the rewrite keeps the original's subject (it shares enough of
its content words: the offer, the event, the news), whether it reads as a post rather than
a bare question or a greeting, which of the original's problem tags it clears, which it
adds, and which strengths it shows. The exercise kind that scores rewrites
(:class:`course.exercises.kinds.Rewrite`) and the live view beside the rewrite box both
use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..content.knowledge import DATA_DIR, load_knowledge, load_yaml
from .critic import Critique, analyze
from .tokens import split_words

__all__ = ["MIN_POST_WORDS", "MIN_SHARED_WORDS", "RewriteReview", "compare", "content_words"]

#: A rewrite keeps its subject when it shares this share of the original's content words
#: (the offer, event or news; rounded, at least one), or :data:`MIN_SHARED_WORDS` of them
#: for a long original. Set on the lessons' rewrite items: each honest rewrite in
#: tests/data/rewrites.yaml shares enough; "Thoughts?" or an unrelated post shares none.
MIN_SHARED_SHARE = 0.2
MIN_SHARED_WORDS = 3
#: A post says something: at least this many words, and a sentence that is not a question.
MIN_POST_WORDS = 8
_STOPWORDS = frozenset(load_yaml(DATA_DIR / "critic_words.yaml")["stopwords"].split())


def content_words(text: str) -> set[str]:
    """The words of ``text`` that carry its subject: no stop words, no one- or two-letter
    words, plurals folded ("rooms" counts as "room")."""
    out = set()
    for word in split_words(text):
        if len(word) < 3 or word in _STOPWORDS or not word[0].isalnum():
            continue
        if word.endswith("s") and len(word) > 4 and not word.endswith("ss"):
            word = word[:-1]
        out.add(word)
    return out


@dataclass(frozen=True)
class RewriteReview:
    """The comparison of a rewrite with its original post."""

    before: Critique
    after: Critique
    shared: frozenset[str]  # content words both share
    keeps_subject: bool
    reads_as_post: bool
    cleared: frozenset[str]  # the original's problem tags the rewrite no longer has
    kept: frozenset[str]  # the original's problem tags still there
    added: frozenset[str]  # problem tags the rewrite brings in
    strengths: frozenset[str]  # strength tags the rewrite shows


_SENTENCE_RE = re.compile(r"[^.!?\n]+[.!?]*")


def _reads_as_post(text: str) -> bool:
    """Enough words, and at least one sentence of three words or more that says something
    rather than asks."""
    words = [w for w in split_words(text) if w[0].isalnum()]
    if len(words) < MIN_POST_WORDS:
        return False
    return any(not sentence.rstrip().endswith("?") and len(split_words(sentence)) >= 3
               for sentence in _SENTENCE_RE.findall(text))


def compare(original: str, rewrite: str, platform: str | None = None) -> RewriteReview:
    """Compare ``rewrite`` with ``original`` (see the module doc)."""
    kb = load_knowledge()
    problems = {t for t in kb.tag_ids if kb.tags[t].kind == "problem"}
    before, after = analyze(original, platform), analyze(rewrite, platform)
    theirs, ours = content_words(original), content_words(rewrite)
    shared = theirs & ours
    needed = min(MIN_SHARED_WORDS, max(1, round(MIN_SHARED_SHARE * len(theirs))))
    keeps = len(shared) >= needed
    had, has = before.tags & problems, after.tags & problems
    return RewriteReview(
        before=before, after=after, shared=frozenset(shared), keeps_subject=keeps,
        reads_as_post=_reads_as_post(rewrite), cleared=frozenset(had - has),
        kept=frozenset(had & has), added=frozenset(has - had),
        strengths=frozenset(after.tags - problems))
