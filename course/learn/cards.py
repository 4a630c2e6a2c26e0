"""HTML for posts, principles, critiques, tables and charts: pure functions, shared by
lessons and reports.

Each ``*_card`` returns :class:`Card`, which notebooks display as HTML (it has
``_repr_html_``) and everything else can use as a string. Cards use no headings (a
card sits under the lesson's own headings, wherever that is) and never say "problem"
or "strength" by colour alone: the words are there, and problem marks in a post are
underlined with a wavy line, strengths with a straight one.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass
from typing import Any

from ..content.knowledge import load_knowledge
from ..critic.critic import Critique, Evidence
from ..critic.highlight import PROBLEM_BG, STRENGTH_BG, highlight

__all__ = ["Card", "chart_card", "critique_card", "post_card", "principle_card", "table_html"]

PLATFORM_STYLE = {
    # platform: (display name, accent colour, note on the format)
    "x": ("X", "#0f1419", "short posts, 280 characters"),
    "facebook": ("Facebook", "#1877f2", "community posts, images, events"),
    "instagram": ("Instagram", "#c13584", "images first; links in captions don't click"),
    "linkedin": ("LinkedIn", "#0a66c2", "professional; a few hashtags at most"),
    "pinterest": ("Pinterest", "#e60023", "visual search: every pin is an image"),
    "threads": ("Threads", "#101010", "conversation first, 500 characters"),
    "tiktok": ("TikTok", "#111111", "video first; links in captions don't click"),
    "youtube": ("YouTube", "#cc0000", "video, with a description and comments"),
}
#: At most this many quotes of evidence per tag, and words per quote, in a card.
QUOTES_PER_TAG = 3
WORDS_PER_QUOTE = 8

#: Problem marks get a wavy underline, strength marks a straight one, so the two differ
#: without colour.
_MARK_STYLE = """<style>
.smm-post mark { color: inherit; padding: 0; }
.smm-post mark.smm-problem { text-decoration: underline wavy #8a1c15; }
.smm-post mark.smm-strength { text-decoration: underline solid #14532d; }
</style>"""


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
            problem = tag.kind == "problem"
            out.append(
                f'<span style="background:{PROBLEM_BG if problem else STRENGTH_BG};'
                f'border-radius:9px;padding:0 8px;margin-right:4px;font-size:12px">'
                f"{'⚠ problem' if problem else '✓ strength'}: {html.escape(tag.name)}</span>")
    return "".join(out) or '<span style="font-size:12px;color:#4a4a4a">no tags</span>'


def post_card(text: str, platform: str | None = None, *, author: str = "",
              body_html: str | None = None, footer_html: str = "") -> Card:
    """A post styled after its platform (name, accent, character count on X)."""
    name, accent, note = PLATFORM_STYLE.get(platform or "", ("Post", "#4a4a4a", ""))
    body = body_html if body_html is not None else html.escape(text)
    count = f" · {len(text)}/280" if platform == "x" else ""
    who = html.escape(author) if author else "a brand account"
    return Card(
        f'<div class="smm-post smm-{platform or "none"}" role="article" '
        f'aria-label="{html.escape(name)} post" style="border:1px solid #d0d7de;'
        f'border-left:5px solid {accent};border-radius:10px;padding:10px 14px;'
        f'margin:6px 0;max-width:640px;font-family:system-ui,sans-serif;background:#fff;'
        f'color:#1d2330;line-height:1.45">'
        f'<div style="font-size:12px;color:#4a4a4a"><b style="color:{accent}">{name}</b>'
        f' · {who}{count}<span style="float:right">{html.escape(note)}</span></div>'
        f'<div style="white-space:pre-wrap;margin:6px 0;font-size:15px">{body}</div>'
        f"{footer_html}</div>"
    )


def _word_span(text: str, start: int, end: int) -> str:
    """The evidence at ``text[start:end]`` widened to whole words (a handle or a numbered
    step included) and cut to :data:`WORDS_PER_QUOTE` words."""
    def inner(i: int) -> bool:  # text[i] continues a word
        return 0 <= i < len(text) and (text[i].isalnum() or text[i] in "_@#'’"
                                       or (text[i] in ".-" and i + 1 < len(text)
                                           and text[i + 1].isalnum()
                                           and i > 0 and text[i - 1].isalnum()))
    while start > 0 and inner(start - 1) and inner(start):
        start -= 1
    while end < len(text) and inner(end) and (end == 0 or inner(end - 1) or
                                              text[end - 1] in ". "):
        end += 1
    words = " ".join(text[start:end].split()).lstrip(":;,.!?-–— ").rstrip(",;:-–— ").split(" ")
    quote = " ".join(words[:WORDS_PER_QUOTE])
    return quote + ("…" if len(words) > WORDS_PER_QUOTE else "")


def _evidence_lines(critique: Critique) -> str:
    """One line per tag the post carries: the tag and its kind in words, then up to
    :data:`QUOTES_PER_TAG` quotes in whole words, each group of quotes followed by the
    reason they earn the tag (quotes that share a reason are listed together)."""
    kb = load_knowledge()
    by_tag: dict[str, list[Evidence]] = {}
    for e in critique.evidence:
        by_tag.setdefault(e.tag, []).append(e)
    lines = []
    for t in kb.tag_ids:
        if t not in critique.tags or t not in by_tag:
            continue
        quotes: list[str] = []
        reasons: dict[str, list[str]] = {}  # reason -> its quotes, in order of first quote
        for e in sorted(by_tag[t], key=lambda e: e.start):
            # punctuation alone ("!!!") has no whole words: quote it as it stands
            quote = (_word_span(critique.text, e.start, e.end)
                     or critique.text[e.start:e.end].strip())
            if len(quotes) == QUOTES_PER_TAG:
                break
            if quote and quote not in quotes and not any(quote in q for q in quotes):
                quotes.append(quote)
                reasons.setdefault(e.explanation, []).append(quote)
        said = " ".join(
            ", ".join(f"“{html.escape(q)}”" for q in group) + f": {html.escape(reason)}"
            for reason, group in reasons.items())
        kind = "problem" if kb.tags[t].kind == "problem" else "strength"
        lines.append(f"<li><b>{html.escape(kb.tags[t].name)}</b> ({kind}): {said}</li>")
    return "".join(lines)


def critique_card(critique: Critique, *, author: str = "") -> Card:
    """A post with the critic's evidence highlighted, its tags and one line of evidence
    per tag."""
    kb = load_knowledge()
    body = highlight(critique)
    # Mark each highlight with its kind, for the underline that does not rely on colour.
    body = re.sub(r'<mark class="tag-([\w-]+)"', lambda m: (
        f'<mark class="tag-{m.group(1)} smm-'
        f'{"problem" if kb.tags[m.group(1)].kind == "problem" else "strength"}"'), body)
    reasons = _evidence_lines(critique)
    footer = (f'<div>{_tag_badges(critique.tags)}</div>'
              + (f'<ul style="font-size:13px;margin:4px 0 0 0;padding-left:20px">{reasons}</ul>'
                 if reasons else ""))
    card = post_card(critique.text, critique.platform, author=author, body_html=body,
                     footer_html=footer)
    return Card(_MARK_STYLE + card.html)


def principle_card(principle_id: str) -> Card:
    """A principle's examples, to sit under the lesson's own explanation of it: its name,
    kind and source article, then what doing it well and badly looks like."""
    kb = load_knowledge()
    p = kb.principle(principle_id)
    article = kb.article_of(principle_id)

    def items(xs):
        return "".join(f"<li>{html.escape(x)}</li>" for x in xs)

    return Card(
        f'<div class="smm-principle" data-principle="{p.id}" style="border:1px solid #d0d7de;'
        f'border-radius:10px;padding:8px 14px;margin:8px 0;max-width:720px;'
        f'font-family:system-ui,sans-serif;background:#fbfcfe;color:#1d2330;line-height:1.45">'
        f'<div style="font-size:13px;color:#4a4a4a"><b style="color:#1d2330">'
        f"{html.escape(p.name)}</b> · {html.escape(p.kind)} from "
        f"<i>{html.escape(article.title)}</i></div>"
        f'<div style="display:flex;gap:16px;flex-wrap:wrap;font-size:14px">'
        f'<div style="flex:1;min-width:240px"><b>✓ Do</b><ul style="padding-left:20px">'
        f"{items(p.do)}</ul></div>"
        f'<div style="flex:1;min-width:240px"><b>✗ Don\'t</b><ul style="padding-left:20px">'
        f"{items(p.dont)}</ul></div></div></div>"
    )


def table_html(frame: Any) -> str:
    """A pandas DataFrame as an HTML table in which every header cell has text (the
    corner names the index; pandas leaves it empty), as pandas would show it otherwise."""
    import pandas as pd

    html_text = frame.to_html(max_rows=pd.get_option("display.max_rows"),
                              max_cols=pd.get_option("display.max_columns"),
                              index_names=False, border=0)
    names = [str(n) for n in frame.index.names if n is not None] or ["row"]
    corner = html.escape(", ".join(names))
    html_text = html_text.replace("<th></th>", f"<th>{corner}</th>", 1)
    return html_text.replace("<th></th>", '<th><span style="font-weight:400">·</span></th>')


def chart_card(png: bytes, alt: str) -> Card:
    """A chart (PNG bytes) with its text alternative, which says what it shows."""
    data = base64.b64encode(png).decode("ascii")
    return Card(f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}" '
                'style="max-width:100%">')
