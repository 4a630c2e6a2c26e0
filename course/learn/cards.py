"""HTML for posts, principles and critiques: pure functions, shared by lessons and reports.

Each ``*_card`` returns :class:`Card`, which notebooks display as HTML (it has
``_repr_html_``) and everything else can use as a string.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..content.knowledge import load_knowledge
from ..critic.critic import Critique
from ..critic.highlight import PROBLEM_BG, STRENGTH_BG, highlight

__all__ = ["Card", "critique_card", "post_card", "principle_card"]

PLATFORM_STYLE = {
    # platform: (display name, accent colour, note on the format)
    "x": ("X", "#0f1419", "short posts, 280 characters"),
    "facebook": ("Facebook", "#1877f2", "community posts, images, events"),
    "instagram": ("Instagram", "#c13584", "images first; links in captions don't click"),
    "linkedin": ("LinkedIn", "#0a66c2", "professional; a few hashtags at most"),
    "pinterest": ("Pinterest", "#e60023", "visual search: every pin is an image"),
    "threads": ("Threads", "#101010", "conversation first; 500 characters"),
    "tiktok": ("TikTok", "#25292e", "video first; links in captions don't click"),
    "youtube": ("YouTube", "#c4302b", "comments under a video"),
}


@dataclass(frozen=True)
class Card:
    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


def _tag_badges(tag_ids) -> str:
    kb = load_knowledge()
    out = []
    for t in kb.tag_ids:
        if t in tag_ids:
            tag = kb.tags[t]
            bg = PROBLEM_BG if tag.kind == "problem" else STRENGTH_BG
            out.append(f'<span style="background:{bg};border-radius:9px;padding:0 8px;'
                       f'margin-right:4px;font-size:12px">{html.escape(tag.name)}</span>')
    return "".join(out) or '<span style="font-size:12px;color:#555">no tags</span>'


def post_card(text: str, platform: str | None = None, *, author: str = "",
              body_html: str | None = None, footer_html: str = "") -> Card:
    """A post styled after its platform (name, accent, character count on X)."""
    name, accent, note = PLATFORM_STYLE.get(platform or "", ("Post", "#555", ""))
    body = body_html if body_html is not None else html.escape(text)
    count = f" · {len(text)}/280" if platform == "x" else ""
    who = html.escape(author) if author else "a brand account"
    return Card(
        f'<div class="smm-post smm-{platform or "none"}" role="article" '
        f'aria-label="{html.escape(name)} post" style="border:1px solid #d0d7de;'
        f'border-left:5px solid {accent};border-radius:10px;padding:10px 14px;'
        f'margin:6px 0;max-width:640px;font-family:system-ui,sans-serif;background:#fff;'
        f'color:#1d2330">'
        f'<div style="font-size:12px;color:#555"><b style="color:{accent}">{name}</b>'
        f' · {who}{count}<span style="float:right" title="{html.escape(note)}">'
        f'{html.escape(note)}</span></div>'
        f'<div style="white-space:pre-wrap;margin:6px 0;font-size:15px">{body}</div>'
        f"{footer_html}</div>"
    )


def critique_card(critique: Critique, *, author: str = "") -> Card:
    """A post with the critic's evidence highlighted, its tags and the reasons listed."""
    kb = load_knowledge()
    reasons = "".join(
        f"<li><b>{html.escape(kb.tags[e.tag].name)}</b> "
        f"(“{html.escape(critique.text[e.start:e.end][:60])}”): {html.escape(e.explanation)}</li>"
        for e in critique.evidence
    )
    footer = (f'<div>{_tag_badges(critique.tags)}</div>'
              + (f'<ul style="font-size:13px;margin:4px 0 0 0">{reasons}</ul>' if reasons else ""))
    return post_card(critique.text, critique.platform, author=author,
                     body_html=highlight(critique), footer_html=footer)


def principle_card(principle_id: str) -> Card:
    """A principle with its source article, summary, notes and do / don't examples."""
    kb = load_knowledge()
    p = kb.principle(principle_id)
    article = kb.article_of(principle_id)

    def items(xs):
        return "".join(f"<li>{html.escape(x)}</li>" for x in xs)

    return Card(
        f'<div class="smm-principle" data-principle="{p.id}" style="border:1px solid #d0d7de;'
        f'border-radius:10px;padding:10px 14px;margin:8px 0;max-width:720px;'
        f'font-family:system-ui,sans-serif;background:#fbfcfe;color:#1d2330">'
        f'<div style="font-size:12px;color:#555">{html.escape(p.kind.title())} · from '
        f'<i>{html.escape(article.title)}</i></div>'
        f'<h4 style="margin:4px 0">{html.escape(p.name)}</h4>'
        f"<p>{html.escape(p.summary)}</p><p>{html.escape(p.teaching_notes)}</p>"
        f'<div style="display:flex;gap:16px;flex-wrap:wrap"><div style="flex:1;min-width:240px">'
        f"<b>Do</b><ul>{items(p.do)}</ul></div><div style=\"flex:1;min-width:240px\">"
        f"<b>Don't</b><ul>{items(p.dont)}</ul></div></div></div>"
    )
