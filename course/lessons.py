"""What a lesson notebook imports: the lesson list, cards for principles and posts,
exercises, and the learner's progress.

    from course.lessons import show_principle, show_post, critique, exercise, show_progress
"""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass

from .cards import Card, critique_card, principle_card
from .critique import analyze
from .errors import DataError
from .exercises import load_items
from .knowledge import DATA_DIR, load_knowledge, load_posts, load_yaml
from .practice import exercise
from .progress import ProgressStore

__all__ = [
    "Lesson",
    "critique",
    "exercise",
    "load_lessons",
    "show_post",
    "show_principle",
    "show_progress",
]


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    notebook: str
    summary: str
    article: str | None = None


@functools.lru_cache(maxsize=1)
def load_lessons() -> tuple[Lesson, ...]:
    """The lessons in order, from ``lessons.yaml``."""
    kb = load_knowledge()
    lessons = tuple(Lesson(**raw) for raw in load_yaml(DATA_DIR / "lessons.yaml"))
    for lesson in lessons:
        if lesson.article is not None and lesson.article not in kb.articles:
            raise DataError(f"lessons.yaml: entry {lesson.id!r}: article: unknown article "
                            f"{lesson.article!r}")
    return lessons


def show_principle(principle_id: str) -> Card:
    """Display a principle from the knowledge base (this is also how coverage finds it)."""
    return principle_card(principle_id)


def show_post(post_id: str) -> Card:
    """A post from the bank with the critic's evidence highlighted."""
    post = {p.id: p for p in load_posts()}[post_id]
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
