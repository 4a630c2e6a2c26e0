"""A critique as HTML: the post with each piece of evidence marked and explained.

Shared by the learner's cards and the CSV command's report, so both show evidence alike.
"""

from __future__ import annotations

import html
import itertools

from ..content.knowledge import load_knowledge
from .critic import Critique

__all__ = ["MIXED_BG", "PROBLEM_BG", "STRENGTH_BG", "highlight"]

#: Background of problem and strength marks (contrast checked against the text colour).
PROBLEM_BG, STRENGTH_BG = "#fcd5d2", "#cdeed6"
#: Words that are evidence of both: the problem colour above the strength colour.
MIXED_BG = f"linear-gradient(to bottom, {PROBLEM_BG} 50%, {STRENGTH_BG} 50%)"


def highlight(critique: Critique) -> str:
    """The post as HTML, each piece of evidence wrapped in a ``<mark>`` that explains it."""
    kb = load_knowledge()
    text = critique.text
    cuts = sorted({0, len(text), *(e.start for e in critique.evidence),
                   *(e.end for e in critique.evidence)})
    parts = []
    for a, b in itertools.pairwise(cuts):
        covering = [e for e in critique.evidence if e.start <= a and b <= e.end]
        chunk = html.escape(text[a:b])
        if covering:
            tags = sorted({e.tag for e in covering})
            kinds = {kb.tags[t].kind == "problem" for t in tags}
            title = html.escape(" | ".join(f"{e.tag}: {e.explanation}" for e in covering))
            # Words that are evidence of a problem and of a strength show both colours, so
            # the strength is not hidden under the problem.
            background = (MIXED_BG if len(kinds) == 2
                          else PROBLEM_BG if True in kinds else STRENGTH_BG)
            parts.append(
                f'<mark class="tag-{tags[0]}" title="{title}" style="background:'
                f'{background}">{chunk}</mark>'
            )
        else:
            parts.append(chunk)
    return "".join(parts)
