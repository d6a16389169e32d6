"""Grade submissions: read each notebook, find its tutorial, run it, collect its grades.

Each notebook is graded on its own, on a copy in a temporary folder of its own; whatever
happens to one (it is no notebook, loops, prints without end, kills its kernel, deletes its
files) ends as its row's status, and the others are graded all the same.
"""

from __future__ import annotations

import asyncio
import math
import re
import tempfile
from numbers import Integral, Real
from pathlib import Path
from time import monotonic

from nma_dl.grade._detect import NotANotebook, detect_tutorial, parse_notebook
from nma_dl.grade._plan import plan
from nma_dl.grade._report import NO_CELLS, NOT_A_NOTEBOOK, UNKNOWN_TUTORIAL, NotebookGrade
from nma_dl.grade._run import GRADER_ERROR, kernel_environment, run_notebook
from nma_dl.grade._submissions import collect, read_bytes

#: Seconds a notebook's cells may run in all, by default.
DEFAULT_TIMEOUT = 900.0
#: Characters a notebook may print before its output is dropped (and its row says so).
OUTPUT_LIMIT = 1_000_000
MAX_JOBS = 64


def _require(value, name, kind, low, high):
    if isinstance(value, bool) or not isinstance(value, kind):
        expected = "an int" if kind is Integral else "a number"
        raise TypeError(f"{name} must be {expected}, got {type(value).__name__} {value!r}")
    if not (low <= value <= high) or (kind is Real and not math.isfinite(value)):
        raise ValueError(f"{name} must be between {low} and {high}, got {value!r}")
    return value


def validate_settings(timeout, jobs, output_limit):
    """Check the grader's settings; raise a TypeError or ValueError naming the bad one."""
    _require(timeout, "timeout", Real, 1, 7 * 24 * 3600)
    _require(jobs, "jobs", Integral, 1, MAX_JOBS)
    _require(output_limit, "output_limit", Integral, 1000, 2**31)


def _prepare(submission):
    """Return ``(data, cells, tutorial, found_by)``, or the NotebookGrade that stops it here."""
    if submission.problem:
        return NotebookGrade(submission.name, status=submission.problem, detail=submission.detail)
    data = read_bytes(submission)
    if isinstance(data, tuple):
        return NotebookGrade(submission.name, status=data[0], detail=data[1])
    try:
        cells = parse_notebook(data)
    except NotANotebook as error:
        return NotebookGrade(submission.name, status=NOT_A_NOTEBOOK, detail=str(error))
    if not any(cell.kind == "code" and cell.source.strip() for cell in cells):
        return NotebookGrade(submission.name, status=NO_CELLS, detail="no code cell to run")
    tutorial, found_by = detect_tutorial(cells)
    if tutorial is None:
        detail = "neither its title nor its code names a tutorial of the course"
        return NotebookGrade(submission.name, status=UNKNOWN_TUTORIAL, detail=detail)
    return data, cells, tutorial, found_by


def _copy_name(name):
    # The notebook's copy in the working folder: its own base name, made safe.
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", name.replace("\\", "/").split("/")[-1])
    return base if base.lower().endswith(".ipynb") else f"{base or 'notebook'}.ipynb"


async def _run(submission, prepared, settings):
    data, cells, tutorial, found_by = prepared
    code = [cell.source for cell in cells if cell.kind == "code"]
    with tempfile.TemporaryDirectory(prefix="nma_dl_grade_", ignore_cleanup_errors=True) as tmp:
        work, results = Path(tmp, "work"), Path(tmp, "results")
        work.mkdir()
        results.mkdir(mode=0o700)  # outside the working folder the notebook sees
        Path(work, _copy_name(submission.name)).write_bytes(data)
        steps = plan(code, tutorial, results, settings["output_limit"])
        outcome = await run_notebook(steps, work, **settings)
    return NotebookGrade(
        submission.name, tutorial, found_by, outcome.status, outcome.verdicts, 0.0, outcome.detail
    )


async def grade_one(submission, settings):
    """Grade one submission; never raises for anything the notebook does.

    ``settings`` holds ``timeout``, ``output_limit`` and ``env`` (see
    :func:`nma_dl.grade._run.run_notebook`).
    """
    started = monotonic()
    try:
        prepared = _prepare(submission)
        if isinstance(prepared, NotebookGrade):
            grade = prepared
        else:
            grade = await _run(submission, prepared, settings)
    except Exception as error:  # one notebook must never stop the others
        grade = NotebookGrade(submission.name, status=GRADER_ERROR, detail=repr(error))
    grade.seconds = monotonic() - started
    return grade


async def grade_all(submissions, timeout, jobs, output_limit, on_done=None):
    """Grade ``submissions``, ``jobs`` at a time; return their grades in the same order.

    ``on_done(index, grade)``, if given, is called as each notebook is done.
    """
    settings = {"timeout": timeout, "output_limit": output_limit, "env": kernel_environment()}
    slots = asyncio.Semaphore(jobs)

    async def one(index, submission):
        async with slots:
            grade = await grade_one(submission, settings)
        if on_done is not None:
            on_done(index, grade)
        return grade

    return list(await asyncio.gather(*(one(i, s) for i, s in enumerate(submissions))))


def grade(
    paths,
    *,
    timeout=DEFAULT_TIMEOUT,
    jobs=1,
    output_limit=OUTPUT_LIMIT,
    on_found=None,
    on_done=None,
):
    """Grade the notebooks named by ``paths``.

    Parameters
    ----------
    paths : sequence of str or os.PathLike
        Notebooks, folders searched recursively for ``.ipynb`` files, and ``.zip`` archives
        (:func:`nma_dl.grade._submissions.collect`).
    timeout : float, optional
        Seconds a notebook's own cells may run in all (900 by default); each check gets up to
        :data:`nma_dl.grade._run.CHECK_CELL_LIMIT` seconds more.
    jobs : int, optional
        Notebooks graded at the same time, each in its own kernel (1 by default).
    output_limit : int, optional
        Characters a notebook may print before the rest is dropped.
    on_found : callable, optional
        Called with the list of submissions once they are found, before any is graded.
    on_done : callable, optional
        Called with ``(index, grade)`` as each notebook is done.

    Returns
    -------
    list of nma_dl.grade._report.NotebookGrade
        One per notebook, in the order found.

    Raises
    ------
    TypeError, ValueError
        If an argument is of the wrong kind or out of range, or ``paths`` names nothing
        that exists (the message names the argument).
    """
    validate_settings(timeout, jobs, output_limit)
    with tempfile.TemporaryDirectory(prefix="nma_dl_grade_zip_") as scratch:
        submissions = collect(paths, scratch)
        if on_found is not None:
            on_found(submissions)
        return asyncio.run(grade_all(submissions, timeout, jobs, output_limit, on_done))
