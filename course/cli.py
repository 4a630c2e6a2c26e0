"""Command line: ``python -m course <verb>``. Thin: each verb parses and calls a function.

A :class:`~course.errors.CourseError` prints one line, ``course: error: ...``, and exits
with its class's code (2 for usage errors, 1 for failures); never a traceback.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .content.platforms import PLATFORMS
from .errors import CourseError, UsageError

if TYPE_CHECKING:
    from .critic import Critique
    from .grade.pipeline import RunSummary

__all__ = ["main"]

#: Where the repository keeps its sample assessments and lessons (relative to the
#: folder the command runs in: the repository root).
SAMPLE_ASSIGNMENTS = "grading/assignments"
SAMPLE_SOURCES = "exercises"
NOTEBOOKS = "notebooks"


def _critique(args: argparse.Namespace) -> int:
    if args.text is not None:
        if args.input or args.out or args.html:
            raise UsageError("give either --text or INPUT.csv, not both")
        from .critic import analyze

        print(format_critique(analyze(args.text, args.platform)))
        return 0
    if not args.input or not (args.out or args.html):
        raise UsageError("critique needs INPUT.csv and --out OUTPUT.csv and/or --html "
                         "REPORT.html (or --text 'a post')")
    for option, given in (("--out", args.out), ("--html", args.html)):
        if given and Path(given).resolve() == Path(args.input).resolve():
            raise UsageError(f"{option} {given} is the input file; write to another name so "
                             "your posts are kept")
    if args.platform:
        raise UsageError("--platform goes with --text; in a CSV use a 'platform' column")
    from .critic.batch import critique_csv

    result = critique_csv(
        input_path=args.input, output_path=args.out, html_path=args.html,
        progress=not args.quiet,
    )
    if not args.quiet:
        tagged = sum(1 for c in result.critiques if c.tags)
        where = " and ".join(str(p) for p in (args.out, args.html) if p)
        count = len(result.critiques)
        print(f"critiqued {count} post{'' if count == 1 else 's'} ({tagged} with tags); "
              f"wrote {where}", file=sys.stderr)
    return 0


def _coverage(args: argparse.Namespace) -> int:
    from .learn.coverage import coverage, format_coverage

    rows = coverage(notebooks=args.notebooks)
    print(format_coverage(rows))
    gaps = [r.principle for r in rows if not r.taught_in or not r.practised_by]
    if gaps:
        print(f"not taught or not practised: {', '.join(gaps)}", file=sys.stderr)
        return 1
    return 0


def _grade_init(args: argparse.Namespace) -> int:
    from .grade.folder import CourseFolder, init_course

    kept: list[str] = []
    folder = init_course(folder=args.folder, assignments=args.assignments, force=args.force,
                         exchange=args.exchange, kept=kept)
    exchange = CourseFolder.open(folder).exchange_inbound.parent.parent
    if kept:
        print(f"Kept as they were (never overwritten): {', '.join(kept)}")
    print(f"""Course folder ready: {folder}
  source/   the assignments (nbgrader source form, solutions included)
  keys/     answer keys and the course secret, for the course grader (only you can read
            them): never copy these into source/ or release/
  exchange: {exchange} (outside the course folder; on a shared server, set
            c.Exchange.root in nbgrader_config.py to a folder students can reach)
Next:
  cd {folder}
  nbgrader db student import roster.csv   # the roster first: it decides each version
  python -m course grade add keys/wants.yaml --due "2026-12-01 17:00"   # release/ and due date
  nbgrader release_assignment wants       # or hand out release/wants/ your own way
  ... students fetch, answer and submit ...
  python -m course grade run wants        # collect, autograde (parallel, sandboxed), feedback
  jupyter lab   # then open the Formgrader to hand-grade rewrites
  python -m course grade feedback wants --release   # feedback up to date, then released
  python -m course grade report           # class analytics, grades.csv, canvas-grades.csv""")
    return 0


def _grade_add(args: argparse.Namespace) -> int:
    from .grade.folder import add_assignment

    result = add_assignment(course_dir=args.course, file=args.file, due=args.due)
    print(f"Wrote {', '.join(result.written) or 'nothing new'}; the assignment is generated "
          "(release/ and the gradebook). Grades already given stay; the next `grade run` "
          "regrades what a changed key affects.")
    return 0


def _grade_run(args: argparse.Namespace) -> int:
    from .grade.pipeline import grade_run

    summary = grade_run(course_dir=args.course, assignment=args.assignment,
                        workers=args.workers, unsafe=args.unsafe, force=args.force,
                        timeout=args.timeout, progress=not args.quiet,
                        students=args.student, accept_late=args.accept_late)
    print(format_run_summary(summary))
    return 0


def _late(seconds: float) -> str:
    if seconds < 3600:
        return f"{math.ceil(seconds / 60)} min late"
    hours = seconds / 3600
    return f"{hours:.1f} h late" if hours < 48 else f"{hours / 24:.1f} days late"


def format_run_summary(summary: RunSummary, *, next_step: bool = True) -> str:
    """What a grading run did, for the instructor's terminal (students in name order,
    whatever order the workers finished in)."""
    outcomes = sorted(summary.outcomes, key=lambda o: (o.student.lower(), o.student))
    n = len(outcomes)
    lines = []
    if summary.collected:
        lines.append(f"Collected {len(summary.collected)} new submission"
                     f"{'s' * (len(summary.collected) != 1)} from the exchange.")
    if not summary.sandboxed:
        lines.append("WARNING: graded WITHOUT a sandbox (--unsafe): students' code ran "
                     "with your rights.")
    if n:
        lines.append(f"Graded {n} submission{'s' * (n != 1)} of {summary.assignment} in "
                     f"{summary.seconds:.1f} s with {summary.workers} worker(s); "
                     f"{len(summary.already_graded)} already graded.")
        why: dict[str, list[str]] = {}
        for student, reason in summary.reasons.items():
            why.setdefault(reason, []).append(student)
        lines += [f"  {reason}: {_names(students)}" for reason, students in why.items()
                  if reason != "new"]
    else:
        lines.append(f"Nothing new to grade: {len(summary.already_graded)} submissions of "
                     f"{summary.assignment} already graded (--force grades them again).")
    for student, what in sorted(summary.held_late.items()):
        lines.append(f"Held back: {student} {what}; to grade the late one instead: "
                     f"python -m course grade run {summary.assignment} --student {student} "
                     "--accept-late")
    late = [o for o in outcomes if o.late_seconds > 0]
    if late:
        lines.append(f"{len(late)} late (due {summary.due} UTC): " + ", ".join(
            f"{o.student} {_late(o.late_seconds)}"
            + (f", penalty {o.late_penalty:g}" if o.late_penalty else "") for o in late))
    troubled = [o for o in outcomes if o.problems]
    if troubled:
        lines.append(f"{len(troubled)} had problems (zero for the items affected):")
        lines += [f"  {o.student}: {p}" for o in troubled for p in o.problems]
    regrade = [o for o in outcomes if o.regrade]
    if regrade:
        lines.append(f"{len(regrade)} hand grade(s) kept but flagged for you to look again "
                     "(the answer changed since you graded it): " + ", ".join(
                         f"{o.student} {'/'.join(o.regrade)}" for o in regrade))
    hand = [o for o in outcomes if o.hand_grading]
    if hand:
        lines.append(f"{len(hand)} wait for hand grading (open the Formgrader): "
                     + _names([o.student for o in hand]))
    if summary.refreshed:
        lines.append(f"Feedback written again for {len(summary.refreshed)} whose grades "
                     f"changed since (hand grades): "
                     f"{_names(sorted(summary.refreshed, key=str.lower))}")
    lines.append(f"Details: grade-runs/{summary.assignment}/ (one record per student) and "
                 f"grade-runs/{summary.assignment}.log (nbgrader's log).")
    if next_step:
        lines.append("Next: python -m course grade report")
    return "\n".join(lines)


def _names(students: list[str], shown: int = 10) -> str:
    return ", ".join(students[:shown]) + (" ..." if len(students) > shown else "")


def _grade_feedback(args: argparse.Namespace) -> int:
    from .grade.feedback import grade_feedback

    result = grade_feedback(course_dir=args.course, assignment=args.assignment,
                            release=args.release)
    if result.refreshed:
        print(f"Feedback written again for {len(result.refreshed)} whose grades changed: "
              f"{_names(result.refreshed)}")
    else:
        print(f"Every feedback page of {args.assignment} matches the gradebook.")
    for student, why in sorted(result.failed.items()):
        print(f"  {student}: not written: {why}")
    if result.released:
        print("Released to the students (nbgrader release_feedback).")
    return 1 if result.failed else 0


def _grade_report(args: argparse.Namespace) -> int:
    from .grade.report import write_class_report

    files = write_class_report(course_dir=args.course, out_dir=args.out)
    print(f"Class report: {files.html}\nGrades: {files.grades_csv}\n"
          f"Canvas gradebook import: {files.canvas_csv}")
    if files.without_canvas_id:
        print(f"Note: no Canvas id for {', '.join(files.without_canvas_id)}: Canvas's import "
              "matches those columns by title, and makes a new assignment of a title it "
              "does not know. Set c.CanvasExport.assignment_ids = {\"wants\": 123456} in "
              "nbgrader_config.py (the number in the assignment's Canvas address).")
    return 0


def _grade_demo(args: argparse.Namespace) -> int:
    from .grade.demo import run_demo

    result = run_demo(assignments=args.assignments, folder=args.folder,
                      students=args.students)
    print(format_run_summary(result.summary, next_step=False))
    print(f"\nOpen the report: {result.report}\nThe course folder: {result.course}")
    return 0


def _grade_pool(args: argparse.Namespace) -> int:
    from .grade.pool import check_pool, update_course

    summaries = check_pool(pool=args.pool)
    print(format_pool(summaries))
    if args.course:
        ids = update_course(pool=args.pool, course_dir=args.course)
        print(f"Added or updated {', '.join(ids)} in {args.course} (keys/, source/, "
              "release/ and the gradebook). Next: `nbgrader release_assignment ASSIGNMENT` "
              "for one not yet released; a changed key of a released one is applied by the "
              "next `grade run`.")
    return 0


def format_pool(summaries) -> str:
    """A checked pool: one line per assignment, with what copying the critic earns."""
    lines = ["assignment      items  with variants  points  hand-graded  copying the critic"]
    lines += [f"{s.id:<15} {s.items:>5}  {s.variant_items:>13}  {s.points:>6g}  "
              f"{s.hand_points:>11g}  {s.copy_points:g} ({100 * s.copy_share:.0f}%)"
              for s in summaries]
    lines.append("Every file is valid. Copying the critic: the points a student earns by "
                 "ticking the critic's tags on each critique item (the critic is open book).")
    return "\n".join(lines)


def _bundle(args: argparse.Namespace) -> int:
    from .grade.bundle import build_bundle

    bundle = build_bundle(repository=args.repository, out=args.out)
    print(f"Student bundle: {bundle.folder}\nArchive: {bundle.archive}\n"
          f"Install on the class server: sh {bundle.folder / 'install.sh'} [LESSONS_DIR]")
    return 0


def _grade_build(args: argparse.Namespace) -> int:
    from .grade.assignments import write_sources

    for path in write_sources(assignments=args.assignments, out=args.out):
        print(f"wrote {path}")
    return 0


def format_critique(critique: Critique) -> str:
    """A critique as plain text for the terminal."""
    from .content.knowledge import load_knowledge

    kb = load_knowledge()
    lines = []
    if not critique.tags:
        lines.append("No tags: the post breaks no rule and shows no strength the critic knows.")
    for tag_id in kb.tag_ids:
        if tag_id not in critique.tags:
            continue
        tag = kb.tags[tag_id]
        lines.append(f"{tag.name} [{tag.kind}] score {critique.scores[tag_id]:.2f}")
        for e in critique.evidence_for(tag_id):
            lines.append(f'  "{critique.text[e.start:e.end]}" - {e.explanation}')
    if critique.suggestions:
        lines.append("Suggestions:")
        lines.extend(f"  - {s}" for s in critique.suggestions)
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="course", description="Social-media marketing course toolkit."
    )
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")
    verbs.required = True

    p = verbs.add_parser(
        "critique", help="critique posts: a CSV with a 'text' column, or one post with --text",
        description="Tag posts with the course's critique tags and explain the evidence.",
    )
    p.add_argument("input", nargs="?", metavar="INPUT.csv",
                   help="CSV with a 'text' column; optional 'platform' and 'id' columns")
    p.add_argument("--out", metavar="OUTPUT.csv", help="where to write the tagged CSV")
    p.add_argument("--html", metavar="REPORT.html",
                   help="write a report for people (with or without --out)")
    p.add_argument("--text", help="critique this one post and print the result")
    p.add_argument("--platform", help="platform of --text: " + ", ".join(PLATFORMS)
                   + " (twitter means x)")
    p.add_argument("--quiet", action="store_true", help="no progress or summary on stderr")
    p.set_defaults(run=_critique)

    grade = verbs.add_parser("grade", help="instructor tools: course folders and grading")
    grade_verbs = grade.add_subparsers(dest="grade_verb", metavar="STEP")
    grade_verbs.required = True
    p = grade_verbs.add_parser("init", help="create a ready nbgrader course folder")
    p.add_argument("folder", metavar="DIR", help="a new folder outside this repository")
    p.add_argument("--assignments", default=SAMPLE_ASSIGNMENTS, metavar="SRC",
                   help="folder of assignment files with their keys (default: the "
                        f"repository's samples, {SAMPLE_ASSIGNMENTS})")
    p.add_argument("--force", action="store_true", help="use DIR even if it is not empty, "
                   "adding what is missing; nothing there is ever overwritten")
    p.add_argument("--exchange", metavar="EXCHANGE", help="where students fetch and submit "
                   "(default: DIR-exchange beside the course folder)")
    p.set_defaults(run=_grade_init)
    p = grade_verbs.add_parser(
        "add", help="add or update one assignment in a live course",
        description="Copy an assignment file (its key) to keys/, build its source notebook, "
                    "generate it (release/ and the gradebook) and set its due date. Grades "
                    "already given stay; the next `grade run` regrades what a changed key "
                    "affects. To apply an edit made in keys/ itself, give that file.")
    p.add_argument("file", metavar="FILE.yaml", help="the assignment file, key included")
    p.add_argument("--course", default=".", metavar="DIR",
                   help="the course folder (default: the current folder)")
    p.add_argument("--due", metavar="WHEN", help='due date and time, e.g. "2026-12-01 17:00" '
                   "(UTC unless a zone follows)")
    p.set_defaults(run=_grade_add)
    p = grade_verbs.add_parser(
        "run", help="collect, autograde (in parallel, sandboxed) and write feedback",
        description="Grade every submission of ASSIGNMENT in a course folder: collect from "
                    "the exchange, autograde in parallel worker processes with each kernel "
                    "in a bubblewrap sandbox, and generate feedback. Run it again after an "
                    "interruption: it grades only what is missing.")
    p.add_argument("assignment", metavar="ASSIGNMENT")
    p.add_argument("--course", default=".", metavar="DIR",
                   help="the course folder (default: the current folder)")
    p.add_argument("--workers", type=int, metavar="N", help="grading processes (default: "
                   "two per CPU)")
    p.add_argument("--timeout", type=int, metavar="SECONDS",
                   help="longest a cell may run before it is interrupted (default 30)")
    p.add_argument("--force", action="store_true", help="regrade every submission (hand "
                   "grades and comments are kept)")
    p.add_argument("--student", action="append", metavar="ID",
                   help="regrade this student's submission only (repeat for more)")
    p.add_argument("--accept-late", action="store_true",
                   help="with --student: grade the student's late resubmission instead of "
                        "the on-time one")
    p.add_argument("--unsafe", action="store_true",
                   help="grade without a sandbox where bubblewrap cannot run (students' "
                        "code then runs with your rights)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=_grade_run)
    p = grade_verbs.add_parser(
        "feedback", help="write again feedback older than its grades; --release hands it out",
        description="Bring every feedback page of ASSIGNMENT up to date with the gradebook "
                    "(hand grades and comments given in the formgrader since), then, with "
                    "--release, release them to the students.")
    p.add_argument("assignment", metavar="ASSIGNMENT")
    p.add_argument("--course", default=".", metavar="DIR",
                   help="the course folder (default: the current folder)")
    p.add_argument("--release", action="store_true", help="then release feedback to students")
    p.set_defaults(run=_grade_feedback)
    p = grade_verbs.add_parser(
        "report", help="class analytics of the gradebook (HTML with plots) and grade CSVs",
        description="Write reports/class-report.html (score distributions, per-student "
                    "totals, item difficulty and discrimination, mastery per principle, "
                    "most-missed tags, hand-grading queue, problems) plus grades.csv and "
                    "canvas-grades.csv for Canvas's gradebook import.")
    p.add_argument("--course", default=".", metavar="DIR",
                   help="the course folder (default: the current folder)")
    p.add_argument("--out", metavar="DIR", help="where to write (default: DIR/reports)")
    p.set_defaults(run=_grade_report)
    p = grade_verbs.add_parser(
        "demo", help="build a course, simulate a class, grade it and write the report")
    p.add_argument("--folder", metavar="DIR", help="course folder (default: a new temporary "
                   "one)")
    p.add_argument("--students", type=int, default=30, metavar="N")
    p.add_argument("--assignments", default=SAMPLE_ASSIGNMENTS, metavar="SRC",
                   help=f"folder of assignment files (default: {SAMPLE_ASSIGNMENTS})")
    p.set_defaults(run=_grade_demo)
    p = grade_verbs.add_parser(
        "pool", help="check a private item pool (assignment files with keys); with "
                     "--course, put it into a course folder",
        description="Validate every assignment file in POOL (one line per problem: file, "
                    "entry, field), say what copying the open-book critic would earn on "
                    "each, and with --course copy the files into the course's keys/ and "
                    "rebuild their source/ notebooks (config, secret and gradebook stay).")
    p.add_argument("pool", metavar="POOL", help="your folder of assignment files (*.yaml)")
    p.add_argument("--course", metavar="DIR", help="a course folder made by `grade init`")
    p.set_defaults(run=_grade_pool)
    p = grade_verbs.add_parser(
        "build", help=f"regenerate {SAMPLE_SOURCES}/ from {SAMPLE_ASSIGNMENTS}/*.yaml")
    p.add_argument("--assignments", default=SAMPLE_ASSIGNMENTS, metavar="SRC",
                   help=f"folder of assignment files (default: {SAMPLE_ASSIGNMENTS})")
    p.add_argument("--out", default=SAMPLE_SOURCES, metavar="DIR",
                   help=f"where the nbgrader sources go (default: {SAMPLE_SOURCES})")
    p.set_defaults(run=_grade_build)

    p = verbs.add_parser(
        "bundle", help="build the student bundle for a class server (no keys inside)",
        description="Build DIR/student-bundle/ and DIR/student-bundle.tar.gz: the course "
                    "package as a wheel, the lesson notebooks, requirements.txt and "
                    "install.sh. No assessment key, hidden test or solution is in it.")
    p.add_argument("--out", default="dist", metavar="DIR", help="where to write (default: "
                   "dist)")
    p.add_argument("--repository", default=".", metavar="DIR",
                   help="the course repository (default: the current folder)")
    p.set_defaults(run=_bundle)
    p = verbs.add_parser(
        "coverage", help="which lesson teaches each principle and which exercises practise it",
    )
    p.add_argument("--notebooks", default=NOTEBOOKS, metavar="DIR",
                   help=f"the lesson notebooks (default: {NOTEBOOKS})")
    p.set_defaults(run=_coverage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except CourseError as exc:
        # One line per problem: an error may gather several (every bad file of a pool).
        for line in str(exc).splitlines() or [""]:
            print(f"course: error: {line}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("course: interrupted (files are written whole or not at all; `grade run` "
              "resumes where it stopped)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
