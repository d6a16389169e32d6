"""Grade a class's notebooks with the course's self-checks, in one command and with no server.

::

    python -m nma_dl.grade SUBMISSIONS... [--out grades.csv] [--feedback DIR] [--timeout S]

Each notebook (a file, the ``.ipynb`` files under a folder, or those of a ``.zip`` archive as a
learning platform exports it) is read, its tutorial found from its content
(:mod:`nma_dl.grade._detect`), and its code cells run, on a copy in a temporary folder, in a fresh
Jupyter kernel without network (:mod:`nma_dl.grade._run`). Every cell runs, errors or not, and
right after the cell that sets each exercise the grader checks it with the tutorial's own
self-check, imported afresh and called by the grader (:mod:`nma_dl.grade._plan`): the grades
depend neither on the check cells the student ran, edited or deleted, nor on the outputs saved
in the file. The results (:mod:`nma_dl.grade._report`): ``grades.csv``, one row per notebook;
with ``--feedback``, one Markdown file per notebook with the line each check printed; a summary
on the terminal. The README's "Grading" section says what every value of the table means.

The grader needs nbclient, nbformat and ipykernel (``pip install "nma-dl[grade]"``); importing
this package imports none of them, since part of it (:mod:`nma_dl.grade._inkernel`) runs inside
the students' kernels.

It is no sandbox: the notebooks run as the user who runs the grader, offline but with that
user's files within reach. Run it in a container or as a user with nothing to lose when the
submissions may be hostile.
"""

from importlib import import_module

# Public names, loaded on first use (PEP 562): nbclient is imported only by the grader itself.
_WHERE = {
    "grade": "nma_dl.grade._grader",
    "DEFAULT_TIMEOUT": "nma_dl.grade._grader",
    "NotebookGrade": "nma_dl.grade._report",
    "write_csv": "nma_dl.grade._report",
    "write_notes": "nma_dl.grade._report",
    "summary": "nma_dl.grade._report",
    "main": "nma_dl.grade._cli",
}
__all__ = sorted(_WHERE)


def __getattr__(name):
    """Load a public name from its module on first use."""
    if name not in _WHERE:
        raise AttributeError(f"module 'nma_dl.grade' has no attribute {name!r}")
    return getattr(import_module(_WHERE[name]), name)


def __dir__():
    """List the public names with the module's own."""
    return sorted(set(globals()) | set(__all__))
