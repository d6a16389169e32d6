"""The cells the grader runs for one notebook: the student's code cells and its own.

The plan is the student's code cells in their order, with three kinds of cells of the grader's:

* a first cell, which calls :func:`nma_dl.grade._inkernel.start` (no network);
* after the cell that sets an exercise (:func:`nma_dl.grade._detect.anchors`), one *check cell*
  per exercise it sets, which checks it there, before any later cell can change it;
* at the end, a check cell for each exercise that no cell sets (its check then says the name is
  not defined).

The student's own check cells (``check_RDM(RDM)``) run as any other cell of theirs: whatever
they print, edited or not, counts for nothing. A check cell imports the checks afresh: it takes
every ``nma_dl`` module out of ``sys.modules``, so that the import reads the package's files
rather than the copy the student's code may have patched (``nma_dl.checks.check_RDM = ...``),
from the grader's own folder (put first in ``sys.path`` for the import: a ``nma_dl`` that a cell
wrote into the working folder is never found, and one found elsewhere is refused); it puts the
student's copy back afterwards, so the rest of the notebook runs as it would have. Its verdict
is written to a file named with a random token that no cell could know in advance
(:func:`nma_dl.grade._inkernel.grade_one`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from nma_dl.grade._detect import anchors

STUDENT, START, CHECK = "student", "start", "check"

# Where the grader's nma_dl is: the check cells import it from there, not from a folder of the
# notebook's (whose working folder comes first in sys.path, where a cell may write a fake nma_dl).
_ROOT = str(Path(__file__).resolve().parents[2])

# Runs in the student's namespace: only names that start with _nma_dl_grade are bound there, and
# deleted at the end. The helper's own names are locals, so no global of the student's
# (an exercise named `sys`, say) can shadow them.
_FRESH_IMPORT = """\
def _nma_dl_grade_fresh(root, module, function, *args):
    import importlib
    import os
    import sys

    def ours(key):
        return key == "nma_dl" or key.startswith("nma_dl.")

    saved = {key: sys.modules.pop(key) for key in list(sys.modules) if ours(key)}
    path = list(sys.path)
    sys.path.insert(0, root)
    try:
        loaded = importlib.import_module(module)
        where = os.path.realpath(loaded.__file__)
        if not where.startswith(os.path.join(root, "nma_dl", "")):
            raise ImportError(f"{module} was loaded from {where}, not from the grader's nma_dl")
        getattr(loaded, function)(*args)
    finally:
        sys.path[:] = path
        for key in [key for key in sys.modules if ours(key)]:
            del sys.modules[key]
        sys.modules.update(saved)
"""


def _call(function, *args, found=False):
    """Return the line that calls ``nma_dl.grade._inkernel.<function>(*args)`` afresh.

    With ``found``, the student's value and whether it is defined come first, from
    ``_nma_dl_grade_found``.
    """
    arguments = [repr(a) for a in (_ROOT, "nma_dl.grade._inkernel", function)]
    arguments += ["*_nma_dl_grade_found"] if found else []
    arguments += [repr(a) for a in args]
    return f"_nma_dl_grade_fresh({', '.join(arguments)})\n"


def start_cell(output_limit):
    """Return the source of the first cell, which calls :func:`nma_dl.grade._inkernel.start`."""
    return f"{_FRESH_IMPORT}\n\n{_call('start', int(output_limit))}del _nma_dl_grade_fresh\n"


@dataclass(frozen=True)
class Step:
    """One cell the grader runs.

    Attributes
    ----------
    kind : {"student", "start", "check"}
    source : str
    cell : int or None
        For a student's cell, its index among the notebook's code cells.
    exercise : nma_dl.checks._tutorials.Exercise or None
        For a check cell, the exercise it checks.
    result : pathlib.Path or None
        For a check cell, the file its verdict is written to.
    token : str
        For a check cell, the random token its verdict must carry.
    """

    kind: str
    source: str
    cell: int | None = None
    exercise: object = None
    result: Path | None = None
    token: str = ""


def check_cell(exercise, result, token):
    """Return the source of the cell that checks ``exercise`` and writes its verdict."""
    spec = (exercise.name, exercise.check, exercise.argument)
    return (
        f"try:\n"
        f"    _nma_dl_grade_found = ({exercise.argument}, True)\n"
        f"except NameError:\n"
        f"    _nma_dl_grade_found = (None, False)\n"
        f"{_FRESH_IMPORT}\n\n"
        f"{_call('grade_one', spec, str(result), token, found=True)}"
        f"del _nma_dl_grade_fresh, _nma_dl_grade_found\n"
    )


def _check_step(exercise, results):
    token = secrets.token_hex(16)
    result = Path(results, f"{exercise.name}-{token}.json")
    return Step(CHECK, check_cell(exercise, result, token), None, exercise, result, token)


def plan(code_sources, tutorial, results, output_limit):
    """Return the steps that run the notebook and check every exercise of ``tutorial``.

    Parameters
    ----------
    code_sources : list of str
        The notebook's code cells, in order.
    tutorial : nma_dl.checks._tutorials.Tutorial
        Its tutorial.
    results : str or os.PathLike
        The folder the check cells write their verdicts to, outside the notebook's working
        folder.

    output_limit : int
        Characters the notebook may print in all (:func:`nma_dl.grade._inkernel.start`).

    Returns
    -------
    list of Step
        The start cell, the student's cells each followed by the check cells of the exercises it
        sets, then the check cells of the exercises no cell sets.
    """
    where = anchors(code_sources, tutorial)
    steps = [Step(START, start_cell(output_limit))]
    for index, source in enumerate(code_sources):
        steps.append(Step(STUDENT, source, index))
        steps.extend(_check_step(e, results) for e in tutorial.exercises if where[e.name] == index)
    steps.extend(_check_step(e, results) for e in tutorial.exercises if where[e.name] is None)
    return steps
