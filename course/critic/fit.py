"""Fitting the critic's weights and thresholds to labelled posts, by cross-validation.

    python -m course.critic.fit POSTS.yaml [POSTS.yaml ...] [--out data/critic_weights.yaml]

For each tag, a logistic model over the features the critic finds (its own lexicon and
counting rules, present or not, plus whether each other tag has evidence) is fitted with
an L2 penalty. The penalty and the tag's threshold are chosen by :data:`FOLDS`-fold
cross-validation on the given posts: for each penalty in :data:`PENALTIES`, the
out-of-fold probabilities pick the threshold with the best F1 (a tag counts as given only
with its own evidence, as in the critic); the penalty with the best F1 wins, and the model
is refitted on every post. Weights keep the sign the lexicon gives them: a rule is
evidence *for* its tag (weight >= 0) unless it is marked ``against`` (weight <= 0).

Deterministic: the same posts and lexicon give the same file (the test suite checks that
the committed weights are what this produces). Never pass the real-world test set.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from ..content.knowledge import Post, load_labelled_posts, load_posts
from ..content.platforms import normalize_platform
from ..files import write_atomically
from .critic import Critic
from .model import WEIGHTS_FILE, TagModel, Weights

__all__ = ["FOLDS", "PENALTIES", "fit_weights", "main"]

FOLDS = 5  #: cross-validation folds
PENALTIES = (0.001, 0.003, 0.01, 0.03)  #: L2 penalties tried (per post, on the mean loss)
THRESHOLDS = tuple(round(0.1 + 0.05 * i, 2) for i in range(15))  #: 0.10 .. 0.80
ITERATIONS = 1500  #: projected-gradient steps per fit (converged well before, on 500 posts)
SEED = 2026  #: fold assignment
#: How much a post of the course's bank counts against a real post: the lessons show
#: these posts with their labels, so the critic must agree with them.
COURSE_WEIGHT = 3.0


@dataclass(frozen=True)
class _Design:
    """The posts as 0/1 feature rows, and the labels."""

    features: list[str]
    rows: np.ndarray  # posts x features
    evidenced: np.ndarray  # posts x tags: the tag has evidence (a non-against feature)
    labels: np.ndarray  # posts x tags


def _design(critic: Critic, posts: Sequence[Post]) -> _Design:
    features = sorted(critic._tag_of)
    index = {f: i for i, f in enumerate(features)}
    tags = critic.tag_ids
    rows = np.zeros((len(posts), len(features)))
    evidenced = np.zeros((len(posts), len(tags)))
    labels = np.zeros((len(posts), len(tags)))
    for n, post in enumerate(posts):
        _, found = critic.signals(post.text, normalize_platform(post.platform))
        for feature, tag, *_ in found:
            rows[n, index[feature]] = 1
            rows[n, index[feature.partition(":")[0]]] = 1  # its rule's feature
            if feature not in critic._against:
                evidenced[n, tags.index(tag)] = 1
        for tag in post.tags:
            labels[n, tags.index(tag)] = 1
    return _Design(features, rows, evidenced, labels)


def _fit_one(x: np.ndarray, y: np.ndarray, signs: np.ndarray, penalty: float,
             weight: np.ndarray) -> tuple[float, np.ndarray]:
    """Bias and weights of an L2-penalised logistic model (posts weighted by ``weight``),
    with ``w * signs >= 0`` where ``signs`` is +1 or -1 (0: free). Accelerated projected
    gradient descent."""
    k = x.shape[1]
    w = np.zeros(k)
    b = 0.0
    v_w, v_b = w.copy(), 0.0
    share = weight / weight.sum()
    # Step size from the Lipschitz constant of the weighted mean logistic loss.
    step = 1.0 / (0.25 * (np.linalg.norm(x * np.sqrt(share)[:, None], 2) ** 2 + 1) + penalty)
    t = 1.0
    for _ in range(ITERATIONS):
        p = 1 / (1 + np.exp(-(x @ v_w + v_b)))
        grad_w = x.T @ ((p - y) * share) + penalty * v_w
        grad_b = float(np.sum((p - y) * share))
        new_w = v_w - step * grad_w
        new_w = np.where(signs > 0, np.maximum(new_w, 0), np.where(signs < 0,
                                                                    np.minimum(new_w, 0), new_w))
        new_b = float(v_b - step * grad_b)
        t_next = (1 + math.sqrt(1 + 4 * t * t)) / 2
        v_w = new_w + (t - 1) / t_next * (new_w - w)
        v_b = float(new_b + (t - 1) / t_next * (new_b - b))
        w, b, t = new_w, new_b, t_next
    return b, w


def _f1(predicted: np.ndarray, truth: np.ndarray) -> float:
    tp = float(np.sum(predicted & truth))
    found, labelled = float(np.sum(predicted)), float(np.sum(truth))
    return 2 * tp / (found + labelled) if found + labelled else 1.0


def fit_weights(posts: Sequence[Post], *, course_posts: int = 0, critic: Critic | None = None,
                sources: Sequence[str] = ()) -> Weights:
    """Fit every tag's model to ``posts`` (see the module doc). The first
    ``course_posts`` posts (the course's own bank) count :data:`COURSE_WEIGHT` times, so
    the critic agrees with what the lessons teach."""
    critic = critic or Critic(weights=Weights(tags={}, fitted={}))
    design = _design(critic, posts)
    tags = critic.tag_ids
    folds = np.random.default_rng(SEED).permutation(len(posts)) % FOLDS
    weight = np.ones(len(posts))
    weight[:course_posts] = COURSE_WEIGHT
    models, cv = {}, {}
    for ti, tag in enumerate(tags):
        own = [i for i, f in enumerate(design.features) if critic._tag_of[f] == tag]
        others = [u for u in range(len(tags)) if u != ti]
        x = np.hstack([design.rows[:, own], design.evidenced[:, others]])
        signs = np.array([(-1.0 if design.features[i] in critic._against else 1.0)
                          for i in own] + [0.0] * len(others))
        positive_own = np.array([design.features[i] not in critic._against for i in own])
        backed = (design.rows[:, own][:, positive_own].sum(axis=1) > 0) if own else \
            np.zeros(len(posts), dtype=bool)
        definite = np.array([design.features[i] in critic.definite for i in own], dtype=bool)
        forced = (design.rows[:, own][:, definite].sum(axis=1) > 0) if definite.any() else \
            np.zeros(len(posts), dtype=bool)
        y = design.labels[:, ti]
        truth = y > 0
        best = (-1.0, PENALTIES[0], 0.5)
        for penalty in PENALTIES:
            out_of_fold = np.zeros(len(posts))
            for fold in range(FOLDS):
                train, held = folds != fold, folds == fold
                b, w = _fit_one(x[train], y[train], signs, penalty, weight[train])
                out_of_fold[held] = 1 / (1 + np.exp(-(x[held] @ w + b)))
            for threshold in THRESHOLDS:
                predicted = ((out_of_fold >= threshold) & backed) | forced
                score = _f1(predicted, truth)
                if score > best[0] + 1e-9:
                    best = (score, penalty, threshold)
        f1, penalty, threshold = best
        b, w = _fit_one(x, y, signs, penalty, weight)
        weights = {design.features[i]: round(float(v), 3) for i, v in zip(own, w[:len(own)],
                                                                             strict=True)
                   if abs(v) >= 0.0005}
        cross = {tags[u]: round(float(v), 3) for u, v in zip(others, w[len(own):],
                                                              strict=True)
                 if abs(v) >= 0.0005}
        models[tag] = TagModel(bias=round(float(b), 3), threshold=threshold,
                               weights=weights, cross=cross)
        cv[tag] = {"f1": round(f1, 3), "penalty": penalty, "positives": int(truth.sum())}
    fitted = {"by": "python -m course.critic.fit", "posts": len(posts),
              "course_posts": course_posts, "course_weight": COURSE_WEIGHT,
              "sources": list(sources), "folds": FOLDS, "cv": cv}
    return Weights(tags=models, fitted=fitted)


def dump(weights: Weights) -> str:
    """The weights file's text (stable order, a header saying how it was made)."""
    data = {"fitted": weights.fitted,
            "tags": {t: {"bias": m.bias, "threshold": m.threshold, "weights": m.weights,
                         "cross": m.cross} for t, m in weights.tags.items()}}
    head = ("# The critic's weights and thresholds, fitted by cross-validation. Generated: do "
            "not edit by hand;\n# change data/lexicon.yaml or the labelled posts and run "
            "`make fit-critic` (python -m course.critic.fit).\n")
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.critic.fit",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("posts", nargs="*", metavar="POSTS.yaml",
                        help="labelled real posts (tests/data/realworld/dev.yaml); the course's "
                             "post bank is always used")
    parser.add_argument("--out", default=str(WEIGHTS_FILE), metavar="FILE")
    args = parser.parse_args(argv)
    posts = list(load_posts())
    course_posts = len(posts)
    for path in args.posts:
        if "test" in Path(path).stem:
            print("course.critic.fit: refusing a test set: the critic is never fitted on it",
                  file=sys.stderr)
            return 2
        posts += load_labelled_posts(path)
    sources = ["course/data/posts.yaml", *(Path(p).as_posix() for p in args.posts)]
    weights = fit_weights(posts, course_posts=course_posts, sources=sources)
    write_atomically(args.out, lambda f: f.write(dump(weights)))
    for tag, note in weights.fitted["cv"].items():
        print(f"{tag:22} cv F1 {note['f1']:.3f}  penalty {note['penalty']}  "
              f"threshold {weights.tags[tag].threshold}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
