"""The book's coding exercises, read from the pages: what the twin tests and the checks run.

Every coding exercise ends with a solution cell (tag ``exercise-solution``) that defines a
function or a class; the cell before it, if tagged ``exercise-stub``, is the student's stub.
:data:`EXERCISES` lists them all, for every tutorial under ``book/`` (found by content, so moving
a tutorial needs no change here); :func:`namespace` runs one, with its page's setup cell before
it, in a fresh namespace and with the session's global state put back afterwards.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import _pages

ROOT, BOOK = _pages.ROOT, _pages.BOOK

SOLUTION = "exercise-solution"
STUB, HEADER = _pages.STUB, _pages.HEADER
_DEFINITIONS = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True)
class Exercise:
    """One solution cell of a tutorial, with what is needed to run its definitions."""

    source: str  # path of the tutorial, relative to the repository
    cell: int  # index of the solution cell among the notebook's cells
    solution: str
    stub: str | None  # the stub cell right before the solution, if any
    setup: str  # the tutorial's setup cell (its imports)
    names: tuple[str, ...]  # functions and classes the solution defines
    following: tuple[str, ...]  # sources of the code cells after it, markdown skipped
    imported_before: frozenset[str]  # names imported by the code cells before it (no solutions)

    @property
    def id(self):
        return f"{Path(self.source).stem}:{'+'.join(self.names) or 'nothing'}"


def tutorial_sources():
    """MyST sources under book/ that hold exercise solutions (build folders skipped)."""
    found = []
    for path in sorted(BOOK.rglob("*.md")):
        if any(part.startswith(("_", ".")) for part in path.relative_to(BOOK).parts[:-1]):
            continue
        if SOLUTION in path.read_text(encoding="utf-8"):
            found.append(path)
    return found


def defined_names(source):
    """Names of the functions and classes defined at the top level of ``source``."""
    tree = ast.parse(_pages.as_python(source))
    return tuple(
        node.name
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
    )


def imported_names(source):
    """Names bound by the top-level imports of ``source`` (``*`` for a star import)."""
    names = set()
    for node in ast.parse(_pages.as_python(source)).body:
        if isinstance(node, ast.Import):
            names |= {alias.asname or alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names |= {alias.asname or alias.name for alias in node.names}
    return names


def exercises_of(path):
    """The exercises of the page at ``path``, in page order."""
    cells = _pages.cells(path)
    code = [c for c in cells if c.cell_type == "code"]
    setup = next(c.source for c in code if HEADER not in _pages.tags(c))
    found = []
    for index, cell in enumerate(cells):
        if cell.cell_type != "code" or SOLUTION not in _pages.tags(cell):
            continue
        previous = cells[index - 1] if index else None
        stub = previous.source if previous is not None and STUB in _pages.tags(previous) else None
        following = tuple(c.source for c in cells[index + 1 :] if c.cell_type == "code")
        imported = set()
        for earlier in cells[:index]:
            if earlier.cell_type == "code" and SOLUTION not in _pages.tags(earlier):
                imported |= imported_names(earlier.source)
        found.append(
            Exercise(
                source=path.relative_to(ROOT).as_posix(),
                cell=index,
                solution=cell.source,
                stub=stub,
                setup=setup,
                names=defined_names(cell.source),
                following=following,
                imported_before=frozenset(imported),
            )
        )
    return found


def all_exercises():
    """The exercises of every tutorial, tutorial by tutorial."""
    return [exercise for path in tutorial_sources() for exercise in exercises_of(path)]


def namespace(exercise, *, stub=False):
    """A fresh namespace: the setup cell run, then the solution's (or stub's) definitions."""
    source = exercise.stub if stub else exercise.solution
    ns = {"__name__": f"tutorial_{Path(exercise.source).stem}"}
    with _pages.isolated():
        _pages.run_cell(exercise.setup, ns, filename=f"{exercise.source}:setup")
        where = f"{exercise.source}:cell{exercise.cell}"
        _pages.run_cell(source, ns, only=_DEFINITIONS, filename=where)
    return ns


EXERCISES = all_exercises()
TUTORIALS = tutorial_sources()
