"""Throughput of the post critic against VADER, on the same posts, in one process.

    .venv/bin/python bench/critique.py [--posts 100000]

Prints posts per second for ``course.critique.analyze`` (tags, scores, evidence and
suggestions) and for ``vaderSentiment``'s ``polarity_scores``, and their ratio.
"""

from __future__ import annotations

import argparse
import itertools
import random
import time

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from course.content.knowledge import load_posts
from course.critique import get_critic


def sample_posts(n: int, seed: int = 7) -> list[tuple[str, str]]:
    """``n`` (text, platform) pairs drawn from the post bank, in a shuffled cycle."""
    bank = [(p.text, p.platform) for p in load_posts()]
    random.Random(seed).shuffle(bank)
    return list(itertools.islice(itertools.cycle(bank), n))


def rate(fn, posts) -> float:
    start = time.perf_counter()
    for text, platform in posts:
        fn(text, platform)
    return len(posts) / (time.perf_counter() - start)


def interleaved(first, second, posts, block: int = 1000) -> tuple[float, float]:
    """Rates of ``first`` and ``second`` over ``posts``, run in alternating blocks, so a
    machine that speeds up or slows down during the run affects both alike."""
    spent = [0.0, 0.0]
    for start in range(0, len(posts), block):
        chunk = posts[start:start + block]
        for k, fn in enumerate((first, second)):
            began = time.perf_counter()
            for text, platform in chunk:
                fn(text, platform)
            spent[k] += time.perf_counter() - began
    return len(posts) / spent[0], len(posts) / spent[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    args = parser.parse_args()
    posts = sample_posts(args.posts)
    critic = get_critic()
    vader = SentimentIntensityAnalyzer()
    # Warm both up on a few posts so one-off set-up is not counted.
    rate(critic.analyze, posts[:200])
    rate(lambda text, _platform: vader.polarity_scores(text), posts[:200])
    ours, theirs = interleaved(critic.analyze,
                               lambda text, _platform: vader.polarity_scores(text), posts)
    print(f"posts:               {len(posts)}")
    print(f"course critic:       {ours:10.0f} posts/s (tags, scores, evidence, suggestions)")
    print(f"VADER polarity:      {theirs:10.0f} posts/s")
    print(f"ratio critic/VADER:  {ours / theirs:10.2f}x")


if __name__ == "__main__":
    main()
