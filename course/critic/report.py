"""The HTML report a marketing team reads after ``python -m course critique --html``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from ..content.knowledge import load_knowledge
from .critic import Critique
from .highlight import highlight

__all__ = ["content_mix", "render_report"]

MAX_POSTS_SHOWN = 1000
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

#: The three headline shares of the content mix: (tag, label).
MIX = (
    ("hard-sell", "sell"),
    ("gives-value", "give value"),
    ("invites-conversation", "invite conversation"),
)


@dataclass(frozen=True)
class TagShare:
    id: str
    name: str
    kind: str
    count: int
    share: float  # 0..1


def content_mix(critiques: list[Critique]) -> list[TagShare]:
    """How many posts carry each tag, in the knowledge base's tag order."""
    kb = load_knowledge()
    n = max(len(critiques), 1)
    out = []
    for tag in kb.tags.values():
        count = sum(1 for c in critiques if tag.id in c.tags)
        out.append(TagShare(tag.id, tag.name, tag.kind, count, count / n))
    return out


def render_report(rows: list[dict[str, str]], critiques: list[Critique], *,
                  title: str = "Post critique") -> str:
    """Render the full report for a batch: summary, chart, then each post with evidence.

    ``rows`` are the input rows (an ``id`` column is shown when present), one per critique.
    """
    kb = load_knowledge()
    shares = content_mix(critiques)
    by_id = {s.id: s for s in shares}
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True,
        lstrip_blocks=True,
    )
    posts = []
    for row, c in list(zip(rows, critiques, strict=True))[:MAX_POSTS_SHOWN]:
        posts.append({
            "id": row.get("id") or "",
            "platform": c.platform or "",
            "html": highlight(c),
            "tags": [kb.tags[t] for t in kb.tag_ids if t in c.tags],
            "evidence": c.evidence,
            "suggestions": c.suggestions,
        })
    return env.get_template("report.html.j2").render(
        title=title,
        total=len(critiques),
        shown=len(posts),
        mix=[(label, by_id[tag]) for tag, label in MIX],
        shares=shares,
        untagged=sum(1 for c in critiques if not c.tags),
        posts=posts,
        tags=kb.tags,
    )
