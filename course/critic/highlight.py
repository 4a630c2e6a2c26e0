"""A critique as HTML: the post with each piece of evidence marked and explained.

Shared by the learner's cards and the CSV command's report, so both show evidence alike.
"""

from __future__ import annotations

import html
import itertools

from ..content.knowledge import load_knowledge
from .critic import Critique

__all__ = ["PROBLEM_BG", "STRENGTH_BG", "highlight"]

#: Background of problem and strength marks (contrast checked against the text colour).
PROBLEM_BG, STRENGTH_BG = "#fcd5d2", "#cdeed6"


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
            problem = any(kb.tags[t].kind == "problem" for t in tags)
            title = html.escape(" | ".join(f"{e.tag}: {e.explanation}" for e in covering))
            parts.append(
                f'<mark class="tag-{tags[0]}" title="{title}" style="background:'
                f'{PROBLEM_BG if problem else STRENGTH_BG}">{chunk}</mark>'
            )
        else:
            parts.append(chunk)
    return "".join(parts)
