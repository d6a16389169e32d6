"""The student notebook's last cells: where the student stands, by ``nma_dl.checks.summary``.

Part of the notebook pipeline of ``tools/nbtools.py``. The student notebook of a tutorial with
self-checked exercises (a key of ``nma_dl.checks._tutorials.TUTORIALS``) ends with a Markdown
cell "Where you stand" and one line of code, ``nma_dl.checks.summary("<notebook>")``, which
lists the tutorial's exercises with ✓ / ✗ / ○ and says what to do next, never an answer. The
notebook is named in the call, so the cell needs no check to have run. ``nma_dl`` is bound by
the install cell and ``nma_dl.checks`` by the setup's import of a check, as in every tutorial.

Only the student notebook gets these cells: in the with-solutions notebook every check passes,
and the reference notebook stays the exact Jupytext pair of its source. They are written here,
not in the sources, so the book does not show them.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from nma_dl.checks._tutorials import TUTORIALS

HEADING = "## Where you stand"
TEXT = (
    "Run the cell below at any time: it lists this tutorial's exercises, ✓ for one whose check "
    "passes, ✗ for one whose check fails, ○ for one not checked yet or not finished, and says "
    "what to do next. It never shows an answer."
)


def summary_cells(notebook: str) -> list:
    """The two cells that end the student notebook ``notebook`` (e.g. ``"W1D5_Tutorial1"``)."""
    import nbformat

    return [
        nbformat.v4.new_markdown_cell(f"{HEADING}\n\n{TEXT}"),
        nbformat.v4.new_code_cell(f'nma_dl.checks.summary("{notebook}")'),
    ]


def with_summary(nb, slug: str):
    """Append the summary cells to ``nb``, the student notebook of ``slug``, if it is self-checked.

    A tutorial that ``nma_dl.checks.summary`` does not know (no self-checked exercise) is left
    as it is: the call would only raise.
    """
    notebook = PurePosixPath(slug).name
    if notebook in TUTORIALS:
        nb.cells = [*nb.cells, *summary_cells(notebook)]
    return nb
