"""Per-tag precision, recall and F1 of the critic on the post bank and the held-out set.

    .venv/bin/python bench/accuracy.py [--misses]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from course.content.knowledge import load_posts
from course.critic.evaluate import evaluate, format_scores

HELD_OUT = Path(__file__).parent.parent / "tests" / "data" / "heldout_posts.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list each disagreement")
    args = parser.parse_args()
    for name, posts in (("post bank", load_posts()), ("held-out set", load_posts(HELD_OUT))):
        per_tag, micro, misses = evaluate(posts)
        print(f"== {name}: {len(posts)} posts, {len(posts) - len(misses)} tagged exactly")
        print(format_scores(per_tag, micro))
        if args.misses:
            for d in misses:
                print(f"\n{d.post.id} [{d.post.platform}] missed={sorted(d.missed)} "
                      f"extra={sorted(d.extra)}\n  {d.post.text!r}")
        print()


if __name__ == "__main__":
    main()
