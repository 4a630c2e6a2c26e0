"""How well the critic's design generalises, estimated on the development posts alone.

    .venv/bin/python bench/nested_cv.py [--folds 5]

Use this, never the test set, to decide whether a change to the lexicon, the rules or the
fitting helps. The bank and the two real-world development rounds are each split into
folds; for each fold the critic's weights and thresholds are fitted (with their own inner
cross-validation, as ``make fit-critic`` does) on the rest of the bank and the rest of the
real posts, and the fold is scored with them. Prints per-tag and macro F1 for the real
posts and for the bank, every post scored once by weights that never saw it. The
lexicon itself was written from the development posts, so this estimate runs higher than
the test set's figure; what it is good for is comparing two versions of the critic. Takes
about a minute and a half on two cores.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from course.content.knowledge import Post, load_labelled_posts, load_posts
from course.critic.critic import Critic
from course.critic.evaluate import evaluate, format_scores
from course.critic.fit import fit_weights
from course.critic.model import Weights

REALWORLD = Path(__file__).resolve().parent.parent / "tests" / "data" / "realworld"
SEED = 7  #: outer fold assignment (the inner folds use course.critic.fit.SEED)


def nested_scores(folds: int) -> dict[str, tuple[list[Post], list[frozenset[str]]]]:
    """Per set ("real", "bank"): its posts and the tags out-of-fold weights give them."""
    sets = {"bank": load_posts(),
            "real": [p for name in ("dev", "dev2")
                     for p in load_labelled_posts(REALWORLD / f"{name}.yaml")]}
    rng = np.random.default_rng(SEED)
    fold_of = {name: rng.permutation(len(posts)) % folds for name, posts in sets.items()}
    unweighted = Critic(weights=Weights(tags={}, fitted={}))
    found: dict[str, list[frozenset[str]]] = {name: [frozenset()] * len(posts)
                                              for name, posts in sets.items()}
    for k in range(folds):
        train = {name: [p for p, f in zip(posts, fold_of[name], strict=True) if f != k]
                 for name, posts in sets.items()}
        weights = fit_weights(train["bank"] + train["real"], course_posts=len(train["bank"]),
                              critic=unweighted)
        critic = Critic(weights=weights)
        for name, posts in sets.items():
            for i, post in enumerate(posts):
                if fold_of[name][i] == k:
                    found[name][i] = critic.analyze(post.text, post.platform).tags
    return {name: (posts, found[name]) for name, posts in sets.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    for name, (posts, found) in nested_scores(args.folds).items():
        per_tag, micro, _ = evaluate(posts, tagger=_lookup(posts, found))
        print(f"== {name}: {len(posts)} posts, out of fold")
        print(format_scores(per_tag, micro), end="\n\n")


def _lookup(posts: list[Post], found: list[frozenset[str]]):
    """A tagger that answers each post with the tags its out-of-fold weights gave it (a
    text said twice in a set gets the tags of its last copy)."""
    by_text = {(p.text, p.platform): tags for p, tags in zip(posts, found, strict=True)}
    return lambda text, platform: by_text[(text, platform)]


if __name__ == "__main__":
    main()
