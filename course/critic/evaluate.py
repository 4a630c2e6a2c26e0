"""How well the critic agrees with labelled posts: per-tag precision, recall and F1, their
macro average, and how many posts get exactly their labelled tags."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..content.knowledge import Post
from .critic import Critic, get_critic

__all__ = ["Disagreement", "TagScore", "evaluate", "format_scores", "macro_f1"]


@dataclass(frozen=True)
class TagScore:
    tag: str
    true_pos: int
    false_pos: int
    false_neg: int

    @property
    def precision(self) -> float:
        found = self.true_pos + self.false_pos
        return self.true_pos / found if found else 1.0

    @property
    def recall(self) -> float:
        labelled = self.true_pos + self.false_neg
        return self.true_pos / labelled if labelled else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Disagreement:
    post: Post
    missed: frozenset[str]  # labelled, not found
    extra: frozenset[str]  # found, not labelled


Tagger = Callable[[str, "str | None"], frozenset[str]]


def evaluate(
    posts: list[Post], critic: Critic | None = None, *, tagger: Tagger | None = None
) -> tuple[dict[str, TagScore], TagScore, list[Disagreement]]:
    """Score ``critic`` (or any ``tagger``: text and platform in, tag ids out) against
    labelled posts: per tag, micro-averaged, and the misses."""
    critic = critic or get_critic()
    tag = tagger or (lambda text, platform: critic.analyze(text, platform).tags)
    counts = {t: [0, 0, 0] for t in critic.tag_ids}
    misses = []
    for post in posts:
        found = frozenset(tag(post.text, post.platform))
        labelled = frozenset(post.tags)
        for t in found & labelled:
            counts[t][0] += 1
        for t in found - labelled:
            counts[t][1] += 1
        for t in labelled - found:
            counts[t][2] += 1
        if found != labelled:
            misses.append(Disagreement(post, labelled - found, found - labelled))
    per_tag = {t: TagScore(t, *c) for t, c in counts.items()}
    micro = TagScore("all", *(sum(c[i] for c in counts.values()) for i in range(3)))
    return per_tag, micro, misses


def macro_f1(per_tag: dict[str, TagScore]) -> float:
    """The mean F1 over the tags that occur in the labels or the predictions (a tag no
    post carries and none is given says nothing either way)."""
    scored = [s.f1 for s in per_tag.values() if s.true_pos + s.false_pos + s.false_neg]
    return sum(scored) / len(scored) if scored else 1.0


def format_scores(per_tag: dict[str, TagScore], micro: TagScore) -> str:
    """A fixed-width table of precision, recall and F1 per tag, micro and macro."""
    lines = [f"{'tag':22} {'prec':>6} {'recall':>6} {'F1':>6} {'TP':>4} {'FP':>4} {'FN':>4}"]
    for s in [*per_tag.values(), micro]:
        lines.append(
            f"{s.tag:22} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} "
            f"{s.true_pos:4d} {s.false_pos:4d} {s.false_neg:4d}"
        )
    lines.append(f"{'macro F1':22} {'':6} {'':6} {macro_f1(per_tag):6.3f}")
    return "\n".join(lines)
