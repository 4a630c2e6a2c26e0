"""What a lesson notebook calls: cards for principles and posts, the critic on any post
(your own included), exercises, the learner's progress, charts with a text alternative,
and the engagement data set.

Lessons import these through :mod:`course.lessons`, which also calls
:func:`prepare_notebook`: in a notebook, pandas tables then have text in every header
cell, and the course's own errors (a mistyped id, an unknown platform) read as one line
that says what to do, not as a traceback.
"""

from __future__ import annotations

import hashlib
import html
import io
from collections.abc import Iterable
from typing import Any

from ..content.datasets import FACEBOOK_METRICS_CITATION, load_facebook_metrics
from ..content.knowledge import DATA_DIR, Post, find_post, load_knowledge, load_posts
from ..content.platforms import normalize_platform
from ..content.syllabus import Lesson, load_lessons
from ..critic import analyze
from ..errors import CourseError, UnknownPlatformError
from ..exercises import Rewrite, load_items
from .cards import Card, chart_card, critique_card, principle_card, table_html
from .practice import Exercise, exercise
from .progress import ProgressStore

__all__ = [
    "FACEBOOK_METRICS_CITATION",
    "SAMPLE_POSTS_CSV",
    "Lesson",
    "audit_posts",
    "critique",
    "critique_file",
    "exercise",
    "load_facebook_metrics",
    "load_lessons",
    "load_posts",
    "own_rewrite_item",
    "prepare_notebook",
    "rewrite_post",
    "show_chart",
    "show_mix",
    "show_post",
    "show_principle",
    "show_progress",
    "weakest_post",
]

#: The three things a feed's mix is judged by, and the tag behind each.
MIX_TAGS = {"sells": "hard-sell", "gives value": "gives-value",
            "invites conversation": "invites-conversation"}
#: A post's text in an audit table is cut to about this many characters (at a word).
SHORT_POST = 60
#: Twelve posts by a made-up bakery, to try the CSV step of the capstone on.
SAMPLE_POSTS_CSV = DATA_DIR / "sample_posts.csv"
#: Charts are drawn at this resolution (dots per inch): sharp on a laptop screen.
CHART_DPI = 110


def show_principle(principle_id: str) -> Card:
    """Display a principle's examples from the knowledge base (this is also how
    coverage finds that a lesson teaches it)."""
    return principle_card(principle_id)


def show_post(post_id: str) -> Card:
    """A post from the bank with the critic's evidence highlighted."""
    post = find_post(post_id)
    return critique_card(analyze(post.text, post.platform), author=post.author)


def critique(text: str, platform: str | None = None) -> Card:
    """Critique any post (your own, say) and show the evidence. An unknown platform
    gives a one-line note and the critique without platform rules."""
    platform, note = _platform_or_note(platform)
    card = critique_card(analyze(text, platform))
    return Card(_note_html(note) + card.html) if note else card


def _platform_or_note(platform: str | None) -> tuple[str | None, str]:
    try:
        return normalize_platform(platform), ""
    except UnknownPlatformError as error:
        return None, f"{error}. Critiqued without the platform's own rules."


def _note_html(note: str) -> str:
    return f'<p role="note" style="margin:4px 0">⚠ {html.escape(note)}</p>'


def show_progress(store: ProgressStore | None = None) -> Card:
    """Done / to do per lesson (each a link to its notebook), the principles you keep
    missing, and where to go next."""
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
            f'<tr><td><a href="{html.escape(lesson.notebook)}">{html.escape(lesson.title)}'
            f"</a></td><td>{p.done}/{p.total}</td><td>{p.total - p.done}</td>"
            f'<td><progress value="{p.done}" max="{p.total}" '
            f'aria-label="{html.escape(lesson.title)} progress"></progress></td></tr>'
        )
    weak = store.weak_principles()
    weak_html = "".join(
        f"<li>{html.escape(kb.principles[pid].name)} (missed {n}×)</li>"
        for pid, n in weak if pid in kb.principles
    ) or "<li>None yet: keep going.</li>"
    where = (f'Next: <a href="{html.escape(next_lesson.notebook)}">'
             f"{html.escape(next_lesson.title)}</a>"
             if next_lesson else "Every exercise is done. Try the capstone on your own posts.")
    return Card(
        '<div class="smm-progress" style="font-family:system-ui,sans-serif;line-height:1.45">'
        "<table><thead><tr><th>Lesson</th><th>Done</th><th>To do</th><th>Progress</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"<p>{where}</p><p><b>Principles to revisit</b></p><ul>{weak_html}</ul></div>"
    )


def show_chart(fig: Any, alt: str) -> Card:
    """A matplotlib figure as an image with ``alt``, a sentence that says what the chart
    shows (for anyone who cannot see it). The figure is closed, so it is not shown twice."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=CHART_DPI, bbox_inches="tight")
    try:
        import matplotlib.pyplot as plt

        plt.close(fig)
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        pass
    return chart_card(buffer.getvalue(), alt)


# --- your own posts ----------------------------------------------------------------------

def _posts(posts: Any) -> list[tuple[str | None, str]]:
    """``(platform, text)`` pairs from pairs, plain texts, dicts or a DataFrame."""
    if hasattr(posts, "to_dict") and hasattr(posts, "columns"):
        posts = posts.to_dict("records")
    pairs: list[tuple[str | None, str]] = []
    for post in posts or []:
        if isinstance(post, str):
            pairs.append((None, post))
        elif isinstance(post, dict):
            pairs.append((post.get("platform"), str(post.get("text", ""))))
        else:
            platform, text = post
            pairs.append((platform, str(text)))
    return pairs


def _short(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= SHORT_POST:
        return text
    return text[:SHORT_POST].rsplit(" ", 1)[0] + "…"


def audit_posts(posts: Iterable[Any]) -> Any:
    """A table of your posts, one row each (any number of them): its tags, problems and
    strengths, and whether it sells, gives value or invites conversation. ``posts`` are
    ``(platform, text)`` pairs (or plain texts). An unknown platform gets a one-line note
    and the post is critiqued without platform rules."""
    import pandas as pd

    kb = load_knowledge()
    rows = []
    for n, (platform, text) in enumerate(_posts(posts), start=1):
        if not text.strip():
            print(f"Post {n} is empty: left out.")
            continue
        known, note = _platform_or_note(platform)
        if note:
            print(f"Post {n}: {note}")
        result = analyze(text, known)
        problems = [kb.tags[t].name for t in kb.tag_ids
                    if t in result.tags and kb.tags[t].kind == "problem"]
        strengths = [kb.tags[t].name for t in kb.tag_ids
                     if t in result.tags and kb.tags[t].kind == "strength"]
        rows.append({"post": _short(text), "platform": known or "",
                     "problems": ", ".join(problems), "strengths": ", ".join(strengths),
                     **{column: tag in result.tags for column, tag in MIX_TAGS.items()},
                     "text": text})
    if not rows:
        print("No posts yet: put at least one (platform, text) pair in the list above.")
    columns = ["post", "platform", "problems", "strengths", *MIX_TAGS, "text"]
    frame = pd.DataFrame(rows, columns=columns)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="post no.")
    return frame


def weakest_post(audit: Any) -> tuple[str | None, str] | None:
    """The post of an audit with the most problems (then the fewest strengths), as
    ``(platform, text)``; ``None`` for an empty audit."""
    if len(audit) == 0:
        return None

    def count(cell: str) -> int:
        return len([part for part in str(cell).split(",") if part.strip()])

    order = sorted(audit.index, key=lambda i: (-count(audit.at[i, "problems"]),
                                               count(audit.at[i, "strengths"]), i))
    row = audit.loc[order[0]]
    return (row["platform"] or None, row["text"])


def show_mix(audit: Any) -> Card:
    """The share of your posts that sell, give value and invite conversation, as a bar
    chart with its text alternative."""
    if len(audit) == 0:
        return Card("<p>No posts yet, so no mix to show.</p>")
    from matplotlib.figure import Figure

    shares = audit[list(MIX_TAGS)].mean() * 100
    fig = Figure(figsize=(6, 2.4))
    ax = fig.add_subplot()
    ax.barh(list(shares.index), list(shares.values), color=["#b3261e", "#1e7a3c", "#1d4ed8"])
    ax.set_xlabel(f"% of your {len(audit)} posts")
    ax.set_xlim(0, 100)
    ax.invert_yaxis()
    fig.tight_layout()
    alt = "Bar chart of your content mix: " + "; ".join(
        f"{name} {share:.0f}%" for name, share in shares.items()) + "."
    return show_chart(fig, alt)


def rewrite_post(post: tuple[str | None, str] | None, *, store: ProgressStore | None = None):
    """A live rewrite of one of your own posts: the critic follows as you type, and
    Check scores it as the lessons' rewrites are scored. ``post`` is ``(platform, text)``,
    as :func:`weakest_post` gives it. Your rewrite is kept like any other answer."""
    if post is None:
        return Card("<p>No post to rewrite yet: add your posts above and run the cells.</p>")
    platform, text = post
    platform, note = _platform_or_note(platform)
    if note:
        print(note)
    return Exercise(own_rewrite_item(platform, text), store).widget()


def own_rewrite_item(platform: str | None, text: str) -> Rewrite:
    """The rewrite exercise for one of the learner's posts (canonical ``platform``); its
    id follows the post, so the answer comes back when the same post is shown again."""
    digest = hashlib.sha1(f"{platform}\n{text}".encode()).hexdigest()[:10]
    kb = load_knowledge()
    problems = [t for t in analyze(text, platform).tags if kb.tags[t].kind == "problem"]
    prompt = ("Rewrite your post: keep its purpose and subject (the same offer, event or "
              "news), clear its problems, and give the reader something (a tip, a real "
              "question, care or credit to others)." if problems else
              "None of your posts shows a problem the critic can find, so this is the one "
              "with the fewest strengths. Rewrite it to give the reader more (a tip, a real "
              "question, care or credit to others), keeping its purpose and subject.")
    return Rewrite(id=f"own-post-{digest}", points=2, lesson="", prompt=prompt,
                   post=Post(id=f"own-post-{digest}", platform=platform or "", text=text,
                             tags={}, author="you"),
                   hints=("Start from what the reader gains, then say your news in one "
                          "plain sentence.", "End with one question your reader can "
                          "answer from their own experience."))


def critique_file(path: str, *, out: str) -> Any:
    """Critique every post in the CSV file ``path`` (a ``text`` column; ``platform`` and
    ``id`` optional), write the tagged copy to ``out`` and return it as a DataFrame: what
    ``python -m course critique PATH --out OUT`` does, from a notebook."""
    import pandas as pd

    from ..critic.batch import critique_csv

    critique_csv(input_path=path, output_path=out, progress=False)
    return pd.read_csv(out, keep_default_na=False)


# --- the notebook itself -------------------------------------------------------------------

def prepare_notebook() -> None:
    """In a running notebook: tables with text in every header cell, and the course's
    errors as one line. Does nothing outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return
    shell = get_ipython()
    if shell is None:
        return
    import pandas as pd

    shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, table_html)

    def one_line(shell: Any, etype: type, value: BaseException, tb: Any,
                 tb_offset: Any = None) -> None:
        # The hook IPython's kernels override to send an error: here with one line only.
        shell._showtraceback(etype, value, [f"{etype.__name__}: {value}"])

    shell.set_custom_exc((CourseError,), one_line)
