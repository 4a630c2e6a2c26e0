# nbgrader configuration for a course made by `python -m course grade init`.
# `{{...}}` placeholders are filled in by `grade init`; edit the copy in your course folder.
c = get_config()  # noqa: F821 (nbgrader provides get_config)

c.CourseDirectory.root = r"{{root}}"
c.CourseDirectory.course_id = "smm-course"
# Where release / fetch / submit / collect meet. A folder inside the course suits one
# machine; on a shared server, point it at a folder every student can write to.
c.Exchange.root = r"{{root}}/exchange"

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

# Feedback explains each item but never shows hidden tests, nor anything the student's
# code printed while it was graded; a post with a version per student shows theirs only.
c.ShowOwnVariant.keys_dir = r"{{keys_dir}}"
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "course.grade.preprocessors.ShowOwnVariant",  # each student's own post only
    "course.grade.preprocessors.KeepGraderFeedbackOnly",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# Answer files travel with the notebook: keep answers/ when collecting.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]

# `python -m course grade run` runs every grading kernel in a bubblewrap sandbox with
# these limits (the defaults shown), and interrupts a cell that runs or prints too much.
# c.SandboxedKernelManager.memory_mb = 2048
# c.SandboxedKernelManager.cpu_seconds = 120
# c.SandboxedKernelManager.max_processes = 128
# c.SandboxedKernelManager.max_file_mb = 64
# c.SandboxedKernelManager.hidden_packages = ["debugpy"]  # installed, but not visible
# c.ExecuteGuarded.timeout = 30          # seconds a cell may run
# c.ExecuteGuarded.max_output_mb = 8.0   # output a cell may print
