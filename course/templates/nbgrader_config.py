# nbgrader configuration for a course made by `python -m course grade init`.
# `{{...}}` placeholders are filled in by `grade init`; edit the copy in your course folder
# (`grade init` never overwrites it).
c = get_config()  # noqa: F821 (nbgrader provides get_config)

c.CourseDirectory.root = r"{{root}}"
c.CourseDirectory.course_id = "smm-course"
# Where release / fetch / submit / collect meet: outside the course folder, which holds
# the keys and the gradebook and only you should reach. On a shared server, point it at a
# folder every student can write to (nbgrader's default is /srv/nbgrader/exchange).
c.Exchange.root = r"{{exchange}}"
# Collect each student's newest submission made before the due date: a late resubmission
# never replaces an on-time one unasked (`grade run --student ID --accept-late` takes it).
c.ExchangeCollect.before_duedate = True

# Score widget items from the answers students saved, inside nbgrader's own process,
# against keys that live in keys/, never in source/ or release/.
c.LoadAnswerKey.keys_dir = r"{{keys_dir}}"
c.GradeSavedAnswers.keys_dir = r"{{keys_dir}}"
c.Autograde.autograde_preprocessors = [
    "course.grade.preprocessors.LoadAnswerKey",
    "course.grade.execute.ExecuteGuarded",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "course.grade.preprocessors.GradeSavedAnswers",
    "nbgrader.preprocessors.SaveAutoGrades",
    "course.grade.preprocessors.RequestHandGrading",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# Items with a version per student: generate_assignment gives each released cell the
# table of who sees which variant (the roster is the gradebook's students: add them with
# `nbgrader db student import roster.csv` first); the course secret in keys/ that decides
# it is never released.
c.ReleaseVariants.keys_dir = r"{{keys_dir}}"
c.GenerateAssignment.preprocessors = [
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.InstantiateTests",
    "nbgrader.preprocessors.LockCells",
    "nbgrader.preprocessors.ClearSolutions",
    "nbgrader.preprocessors.ClearOutput",
    "course.grade.preprocessors.ReleaseVariants",  # before the checksums and SaveCells
    "nbgrader.preprocessors.CheckCellMetadata",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.SaveCells",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# A student who deletes a graded cell gets it back (and is graded on it).
c.OverwriteCells.add_missing_cells = True

# Every grading kernel runs in a bubblewrap sandbox, whoever starts it: `python -m course
# grade run`, `nbgrader autograde` or the formgrader's Autograde button. Where the sandbox
# cannot run, grading refuses with the reason (`grade run --unsafe` grades without it).
# The limits (the defaults shown), and when a cell is interrupted:
c.ExecuteGuarded.kernel_manager_class = "course.grade.sandbox.SandboxedKernelManager"
# c.SandboxedKernelManager.memory_mb = 2048
# c.SandboxedKernelManager.cpu_seconds = 120
# c.SandboxedKernelManager.max_processes = 128
# c.SandboxedKernelManager.max_file_mb = 64
# c.SandboxedKernelManager.hidden_packages = ["debugpy"]  # installed, but not visible
# c.ExecuteGuarded.timeout = 30          # seconds a cell may run
# c.ExecuteGuarded.max_output_mb = 8.0   # output a cell may print

# Feedback explains each question but never shows hidden tests, nor anything the
# student's code printed while it was graded; hand-graded questions say "awaiting
# grading" until a person has graded them; a post with a version per student shows
# theirs only.
c.ShowOwnVariant.keys_dir = r"{{keys_dir}}"
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "course.grade.preprocessors.ShowOwnVariant",  # each student's own post only
    "course.grade.preprocessors.KeepGraderFeedbackOnly",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "course.grade.preprocessors.RecordFeedback",
]
c.GenerateFeedback.exporter_class = "course.grade.preprocessors.FeedbackExporter"
# Releasing feedback (`nbgrader release_feedback`, the formgrader) first brings every page
# up to date with the gradebook (hand grades and comments given since it was written).
c.ExchangeFactory.release_feedback = "course.grade.exchange.ReleaseCurrentFeedback"

# Late submissions: nbgrader records how late each one is against the due date (set it
# with `python -m course grade add ASSIGNMENT --due "2026-12-01 17:00"`, or in the
# formgrader). Take points off with a penalty, for instance a share per day late:
# c.AssignLatePenalties.plugin_class = "course.grade.late.PenaltyPerDay"
# c.PenaltyPerDay.percent_per_day = 10   # of the score, per started day late
# c.PenaltyPerDay.max_percent = 50

# Answer files travel with the notebook: keep answers/ when collecting.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]
