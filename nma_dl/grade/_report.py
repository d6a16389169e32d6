"""What the grader hands back: the grades table, one feedback file per notebook, a summary.

``grades.csv`` has one row per notebook and the columns ``notebook``, ``tutorial``, one column
per exercise (named after the name its check checks, e.g. ``RDM``, ``loss_choice``; for a
mix of tutorials, the exercises of each tutorial present, in the course's order), then
``passed``, ``total``, ``seconds`` and ``status``. The README's "Grading" section says what each
value means.
"""

from __future__ import annotations

import csv
import os
import re
from collections import Counter
from dataclasses import dataclass, field

from nma_dl.checks._tutorials import TUTORIALS
from nma_dl.grade._inkernel import PASS

FIXED_BEFORE, FIXED_AFTER = ("notebook", "tutorial"), ("passed", "total", "seconds", "status")
# Notebooks that never reached a kernel: the file's problem is the row's status.
NOT_A_NOTEBOOK, NO_CELLS, UNKNOWN_TUTORIAL = "not a notebook", "no cells", "unknown tutorial"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet would run as a formula


@dataclass
class NotebookGrade:
    """The grades of one notebook.

    Attributes
    ----------
    notebook : str
        Its name (:class:`nma_dl.grade._submissions.Submission`).
    tutorial : nma_dl.checks._tutorials.Tutorial or None
        Its tutorial, None if not found.
    found_by : str
        ``"title"`` or ``"code"``: how the tutorial was found; empty if it was not.
    status : str
        The row's status (README, "Grading").
    verdicts : dict
        ``{exercise name: (value, message)}``: the value of each exercise and the line its
        check printed (or the grader's reason, for ``not reached`` and ``timeout``).
    seconds : float
        Wall time spent on it.
    detail : str
        Why the status is not ``graded``, in a few words.
    """

    notebook: str
    tutorial: object = None
    found_by: str = ""
    status: str = ""
    verdicts: dict = field(default_factory=dict)
    seconds: float = 0.0
    detail: str = ""

    @property
    def passed(self):
        """Number of exercises that pass."""
        return sum(value == PASS for value, _ in self.verdicts.values())

    @property
    def total(self):
        """Number of exercises of its tutorial (0 if none was found)."""
        return len(self.tutorial.exercises) if self.tutorial is not None else 0


def exercise_columns(grades):
    """Return the exercise columns: those of each tutorial in ``grades``, in course order."""
    present = {g.tutorial.notebook for g in grades if g.tutorial is not None}
    columns = []
    for key, tutorial in TUTORIALS.items():
        if key in present:
            columns.extend(e.name for e in tutorial.exercises if e.name not in columns)
    return columns


def _cell_text(text):
    # A student names their file: never let a spreadsheet read the name as a formula.
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def row(grade, columns):
    """Return the CSV row of ``grade``, a dict over the fixed and the exercise ``columns``."""
    values = {
        "notebook": _cell_text(grade.notebook),
        "tutorial": grade.tutorial.notebook if grade.tutorial is not None else "",
    }
    for name in columns:
        values[name] = grade.verdicts.get(name, ("", ""))[0]
    known = grade.tutorial is not None
    values["passed"] = grade.passed if known else ""
    values["total"] = grade.total if known else ""
    values["seconds"] = f"{grade.seconds:.1f}"
    values["status"] = grade.status
    return values


def write_csv(grades, path):
    """Write ``grades`` to the CSV file ``path``, replacing it in one step.

    Parameters
    ----------
    grades : list of NotebookGrade
    path : str or os.PathLike

    Raises
    ------
    OSError
        If the file cannot be written.
    """
    columns = exercise_columns(grades)
    partial = f"{os.fspath(path)}.part"
    with open(partial, "w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, [*FIXED_BEFORE, *columns, *FIXED_AFTER])
        writer.writeheader()
        writer.writerows(row(grade, columns) for grade in grades)
    os.replace(partial, path)  # a reader never sees half a table


# --------------------------------------------------------------------------- notes


def notes_name(notebook, taken):
    """Return a file name for the notes on ``notebook``, not in ``taken`` (then added)."""
    stem = re.sub(r"\.ipynb$", "", notebook, flags=re.IGNORECASE)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem.replace("/", "__"))
    stem = re.sub(r"_{3,}", "__", re.sub(r"\.{2,}", "_", stem)).strip("._")[:120]
    stem, name, number = stem or "notebook", "", 1
    while not name or name in taken:
        name = f"{stem}.md" if number == 1 else f"{stem}-{number}.md"
        number += 1
    taken.add(name)
    return name


def notes(grade):
    """Return the Markdown notes on one notebook (``--feedback``): each exercise's verdict."""
    lines = [f"# Self-checks of {grade.notebook}", ""]
    if grade.tutorial is None:
        why = f" ({grade.detail})" if grade.detail else ""
        return "\n".join([*lines, f"Not graded: {grade.status}{why}.", ""])
    lines.append(f"{grade.tutorial.title} ({grade.tutorial.notebook}).")
    lines.append(f"{grade.passed} of {grade.total} exercises pass.")
    if grade.detail:
        lines.append(f"{grade.status.capitalize()}: {grade.detail}.")
    lines.append("")
    for exercise in grade.tutorial.exercises:
        value, message = grade.verdicts.get(exercise.name, ("not checked", ""))
        lines.append(f"- **{exercise.name}**: {value}. {message}".rstrip())
    return "\n".join([*lines, ""])


def write_notes(grades, folder):
    """Write one Markdown file per notebook into ``folder``; return their paths."""
    taken, paths = set(), []
    for grade in grades:
        path = os.path.join(folder, notes_name(grade.notebook, taken))
        with open(path, "w", encoding="utf-8") as file:
            file.write(notes(grade))
        paths.append(path)
    return paths


# --------------------------------------------------------------------------- summary


def summary(grades):
    """Return a table: per exercise, how many notebooks pass it, of how many of its tutorial.

    The last line counts the notebooks by status.
    """
    per_tutorial = Counter(g.tutorial.notebook for g in grades if g.tutorial is not None)
    passed = Counter(
        name for g in grades for name, (value, _) in g.verdicts.items() if value == PASS
    )
    table = [("tutorial", "exercise", "passed")]
    for key, tutorial in TUTORIALS.items():
        if per_tutorial[key]:
            table.extend(
                (key, e.name, f"{passed[e.name]} of {per_tutorial[key]}")
                for e in tutorial.exercises
            )
    widths = [max(len(line[i]) for line in table) for i in range(3)]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
        for line in table
    ]
    statuses = Counter(g.status for g in grades)
    counts = ", ".join(f"{n} {status}" for status, n in statuses.most_common())
    lines.append(f"{len(grades)} notebook{'s' if len(grades) != 1 else ''}: {counts}")
    return "\n".join(lines)
