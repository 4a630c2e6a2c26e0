"""The course's text is written in a small part of Markdown: this renders it as HTML.

Prompts, hints, explanations and feedback in the data files use ``*emphasis*``,
``**strong**``, ```code``` and ``[links](url)``, and sometimes a list (lines starting with
``- ``), a fenced block of code or several paragraphs. Widgets show them as HTML with
:func:`markdown_html`; Jupyter renders the same text itself where it shows Markdown.
Everything else is escaped, so data text can never inject markup.
"""

from __future__ import annotations

import html
import re

__all__ = ["markdown_html", "sentence"]

_CODE = re.compile(r"`([^`]+)`")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EM = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_SAFE_URL = re.compile(r"^(https?://|[\w./#-]+$)")
_FENCE = re.compile(r"^```[\w-]*\n(.*?)^```\s*$", re.S | re.M)


def _inline(text: str) -> str:
    """One line or paragraph: escape, then code spans, links, strong and emphasis."""
    codes: list[str] = []

    def keep_code(m: re.Match) -> str:
        codes.append(f"<code>{html.escape(m.group(1), quote=False)}</code>")
        return f"\x00{len(codes) - 1}\x00"

    text = _CODE.sub(keep_code, text)
    text = html.escape(text, quote=False)

    def link(m: re.Match) -> str:
        url = html.unescape(m.group(2))
        if not _SAFE_URL.match(url):
            return m.group(0)
        return f'<a href="{html.escape(url)}">{m.group(1)}</a>'

    text = _LINK.sub(link, text)
    text = _STRONG.sub(r"<strong>\1</strong>", text)
    text = _EM.sub(r"<em>\1</em>", text)
    return re.sub("\x00(\\d+)\x00", lambda m: codes[int(m.group(1))], text)


def markdown_html(text: str, *, block: bool = False) -> str:
    """``text`` as HTML. Inline marks only, unless ``block``: then blank lines make
    paragraphs and ``- `` lines make lists."""
    if not block:
        return _inline(" ".join(text.split("\n")))
    out = []
    fences: list[str] = []

    def keep_fence(m: re.Match) -> str:
        fences.append(f"<pre><code>{html.escape(m.group(1).strip(chr(10)))}</code></pre>")
        return f"\n\n\x01{len(fences) - 1}\x01\n\n"

    text = _FENCE.sub(keep_fence, text)
    for para in re.split(r"\n\s*\n", text.strip()):
        lines = para.strip().split("\n")
        if re.fullmatch("\x01(\\d+)\x01", para.strip()):
            out.append(fences[int(para.strip()[1:-1])])
        elif all(line.lstrip().startswith("- ") for line in lines):
            out.append("<ul>" + "".join(f"<li>{_inline(line.lstrip()[2:])}</li>"
                                        for line in lines) + "</ul>")
        else:
            out.append(f"<p>{_inline(' '.join(lines))}</p>")
    return "".join(out)


def sentence(text: str) -> str:
    """``text`` stripped and ending with one full stop (or its own ``?``, ``!``, ``:``):
    no doubled punctuation when sentences are joined."""
    text = text.strip()
    if not text:
        return ""
    text = re.sub(r"\s*([.!?])[.\s]*$", r"\1", text)
    if re.search(r"[.!?][”’\"')]+$", text):  # a quotation that ends its own sentence
        return text
    return text if text[-1] in ".!?:" else text + "."
