"""What a lesson notebook calls: cards for principles and posts, the critic on any post,
exercises, the learner's progress, and the engagement data set.

Lessons import these through :mod:`course.lessons`.
"""

from __future__ import annotations

import html

from ..content.datasets import FACEBOOK_METRICS_CITATION, load_facebook_metrics
from ..content.knowledge import find_post, load_knowledge, load_posts
from ..content.syllabus import Lesson, load_lessons
from ..critic import analyze
from ..exercises import load_items
from .cards import Card, critique_card, principle_card
from .practice import exercise
from .progress import ProgressStore

__all__ = [
    "FACEBOOK_METRICS_CITATION",
    "Lesson",
    "critique",
    "exercise",
    "load_facebook_metrics",
    "load_lessons",
    "load_posts",
    "show_post",
    "show_principle",
    "show_progress",
]


def show_principle(principle_id: str) -> Card:
    """Display a principle from the knowledge base (this is also how coverage finds it)."""
    return principle_card(principle_id)


def show_post(post_id: str) -> Card:
    """A post from the bank with the critic's evidence highlighted."""
    post = find_post(post_id)
    return critique_card(analyze(post.text, post.platform), author=post.author)


def critique(text: str, platform: str | None = None) -> Card:
    """Critique any post (your own, say) and show the evidence."""
    return critique_card(analyze(text, platform))


def show_progress(store: ProgressStore | None = None) -> Card:
    """Done / to do per lesson, the principles you keep missing, and where to go next."""
    store = store or ProgressStore()
    progress = {p.lesson: p for p in store.by_lesson(load_items())}
    kb = load_knowledge()
    rows, next_lesson = [], None
    for lesson in load_lessons():
        p = progress.get(lesson.id)
        if p is None:
            continue
        if next_lesson is None and p.done < p.total:
            next_lesson = lesson
        rows.append(
            f"<tr><td>{html.escape(lesson.title)}</td><td>{p.done}/{p.total}</td>"
            f"<td>{p.total - p.done}</td>"
            f'<td><progress value="{p.done}" max="{p.total}" '
            f'aria-label="{html.escape(lesson.title)} progress"></progress></td></tr>'
        )
    weak = store.weak_principles()
    weak_html = "".join(
        f"<li>{html.escape(kb.principles[pid].name)} (missed {n}×)</li>"
        for pid, n in weak if pid in kb.principles
    ) or "<li>None yet: keep going.</li>"
    where = (f"Next: <b>{html.escape(next_lesson.title)}</b> "
             f"(<code>notebooks/{html.escape(next_lesson.notebook)}</code>)"
             if next_lesson else "Every exercise is done. Try the capstone on your own posts.")
    return Card(
        '<div class="smm-progress" style="font-family:system-ui,sans-serif">'
        '<table><thead><tr><th>Lesson</th><th>Done</th><th>To do</th><th></th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
        f"<p>{where}</p><p><b>Principles to revisit</b></p><ul>{weak_html}</ul></div>"
    )
