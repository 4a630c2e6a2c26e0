"""How well the critic agrees with labelled posts, against a trivial baseline.

    .venv/bin/python bench/accuracy.py [--misses SET]

For each set (the course's post bank, which the critic is fitted on; the course's held-out
set, never used for fitting; the real-world development set, fitted on; the real-world
test set, never used for anything but this report) it prints per-tag precision, recall and
F1, the micro and macro averages and how many posts get exactly their labelled tags, for
the critic and for the spec's own phrases (bench/spec_baseline.py) on the same posts.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from course.content.knowledge import load_labelled_posts, load_posts
from course.critic.evaluate import evaluate, format_scores, macro_f1

sys.path.insert(0, str(Path(__file__).parent))
from spec_baseline import spec_tags

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
SETS = {
    "bank": ("post bank (fitted on)", lambda: load_posts()),
    "heldout": ("course held-out set (never fitted on)",
                lambda: load_posts(DATA / "heldout_posts.yaml")),
    "dev": ("real-world dev set (fitted on)",
            lambda: load_labelled_posts(DATA / "realworld" / "dev.yaml")),
    "dev2": ("real-world dev set, round 2 (fitted on)",
             lambda: load_labelled_posts(DATA / "realworld" / "dev2.yaml")),
    "test": ("real-world TEST set (never fitted on)",
             lambda: load_labelled_posts(DATA / "realworld" / "test.yaml")),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", choices=sorted(set(SETS) - {"test", "heldout"}),
                        help="list each disagreement on this set (never on the test sets)")
    parser.add_argument("--brief", action="store_true", help="only the summary table")
    args = parser.parse_args()
    summary = []
    for key, (name, load) in SETS.items():
        posts = load()
        per_tag, micro, misses = evaluate(posts)
        base_tag, base_micro, base_misses = evaluate(posts, tagger=spec_tags)
        summary.append((name, len(posts), micro, macro_f1(per_tag), len(posts) - len(misses),
                        macro_f1(base_tag), len(posts) - len(base_misses)))
        if args.brief:
            continue
        print(f"== {name}: {len(posts)} posts, {len(posts) - len(misses)} tagged exactly")
        print(format_scores(per_tag, micro))
        print(f"spec-phrase baseline: macro F1 {macro_f1(base_tag):.3f}, micro F1 "
              f"{base_micro.f1:.3f}, {len(posts) - len(base_misses)} tagged exactly\n")
        if args.misses == key:
            for d in misses:
                print(f"{d.post.id} [{d.post.platform}] missed={sorted(d.missed)} "
                      f"extra={sorted(d.extra)}\n  {d.post.text!r}")
            print()
    print(f"{'set':40} {'posts':>5} {'P':>6} {'R':>6} {'micro':>6} {'macro':>6} {'exact':>6}"
          f" | {'baseline macro':>14} {'exact':>6}")
    for name, n, micro, macro, exact, base_macro, base_exact in summary:
        print(f"{name:40} {n:5d} {micro.precision:6.3f} {micro.recall:6.3f} {micro.f1:6.3f} "
              f"{macro:6.3f} {exact:6d} | {base_macro:14.3f} {base_exact:6d}")


if __name__ == "__main__":
    main()
