"""Colab forms: the setup cells of the student and with-solutions notebooks open folded.

Part of the notebook pipeline of ``tools/nbtools.py``. Colab shows a code cell whose first line
is ``# @title <Title>`` and whose metadata has ``"cellView": "form"`` as its title alone, the
code hidden until the reader opens it; the original course folds its setup cells that way.
Jupyter and Kaggle show the same cell as code under a comment line. The setup cells are

* the install cell of the header (tag ``nma-header``), titled by its first comment line, the
  line the book's toggle shows for it too;
* the code cells right after the tutorial's ``Setup`` heading (the imports, the course style,
  the device), up to the next Markdown cell: titled by their first comment line when they open
  with one, else :data:`SETUP_TITLE`.

Exercise cells and the teaching code are never folded. Only the Colab views get forms: the
sources, the book and the reference notebook (the Jupytext pair of a source) stay as they are.
"""

from __future__ import annotations

import copy
import re

FORM = "# @title "
CELL_VIEW = {"cellView": "form"}
SETUP_TITLE = "Imports and setup"
# The heading that opens a tutorial's setup section, at any level ("## Setup"), in English or
# in Japanese (the Japanese notebooks: tools/translate_book.py).
SETUP_HEADING = re.compile(r"^#{1,6}[ \t]+(Setup|セットアップ)[ \t]*#*[ \t]*$", re.IGNORECASE)
_HEADING = re.compile(r"^#{1,6}[ \t]")
# Cells a student works on: never behind a form.
EXERCISE_TAGS = ("exercise-stub", "exercise-solution")


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _opens_setup(cell) -> bool:
    """Whether a Markdown cell's last heading is the setup heading (the code after it is setup)."""
    if cell.cell_type != "markdown":
        return False
    fence, last = None, None
    for line in cell.source.splitlines():
        mark = re.match(r"\s*(`{3,}|~{3,})", line)
        if mark:  # a '# Setup' inside a code block is no heading
            fence = None if fence and mark.group(1).startswith(fence) else (fence or mark.group(1))
        elif fence is None and _HEADING.match(line):
            last = line.strip()
    return last is not None and bool(SETUP_HEADING.match(last))


def setup_cells(nb, header_tag: str = "nma-header") -> list[int]:
    """Indices of the cells a student just runs: the install cell, the setup section's code."""
    found = []
    in_setup = False
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            in_setup = _opens_setup(cell)
            continue
        if any(tag in _tags(cell) for tag in EXERCISE_TAGS):
            in_setup = False
        elif header_tag in _tags(cell) or in_setup:
            found.append(i)
    return found


def titled(source: str, default: str = SETUP_TITLE) -> str:
    """``source`` opening with a Colab form title: its first comment line, or ``default``."""
    first, newline, rest = source.partition("\n")
    if first.startswith(FORM.rstrip()):
        return source
    if first.startswith("# ") and first[2:].strip():
        return f"{FORM}{first[2:].strip()}{newline}{rest}"
    return f"{FORM}{default}\n{source}"


def fold_setup_cells(nb, header_tag: str = "nma-header"):
    """A copy of ``nb`` whose setup cells (:func:`setup_cells`) are Colab forms."""
    nb = copy.deepcopy(nb)
    for i in setup_cells(nb, header_tag):
        cell = nb.cells[i]
        cell.source = titled(cell.source)
        cell.metadata.update(CELL_VIEW)
    return nb


def is_form(cell) -> bool:
    """Whether Colab shows ``cell`` folded behind its title."""
    return (
        cell.cell_type == "code"
        and cell.get("metadata", {}).get("cellView") == "form"
        and cell.source.startswith(FORM)
    )
