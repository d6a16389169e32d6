"""Where a student stands in a tutorial: the verdicts of its self-checks, and what to do next.

Every self-check records its verdict here (:func:`_record`, called by
:func:`nma_dl.checks._core._run`), the latest one per exercise, for as long as the kernel lives.
:func:`summary` lists a tutorial's exercises in page order (from
:data:`nma_dl.checks._tutorials.TUTORIALS`) with the mark of each verdict, the first words of a
failed check's line, and one line on what to do next. It shows only what the checks printed
already, so never an answer.

Nothing here imports torch: ``import nma_dl.checks`` stays instant.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from nma_dl.checks._result import FAILED, NOT_IMPLEMENTED, PASSED
from nma_dl.checks._tutorials import TUTORIALS
from nma_dl.i18n import tr

__all__ = ["NOT_RUN", "Summary", "summary"]

NOT_RUN = "not run"  # the status of an exercise whose check has not run in this kernel

_LATEST = {}  # exercise name -> its latest CheckResult, in the order they were last checked
_MARKS = {PASSED: "✓", FAILED: "✗", NOT_IMPLEMENTED: "○", NOT_RUN: "○"}
_POINTER = 56  # columns of a check's line shown for a failed exercise (a kanji takes two)
# Which case failed, as the check's line says it in English or in Japanese.
_CASE = re.compile(r"^(case \d+ of \d+ \([^)]*\)|ケース \d+/\d+（.*?）): ")


def _record(result):
    """Keep ``result``, a :class:`~nma_dl.checks.CheckResult`, as its exercise's latest verdict."""
    _LATEST.pop(result.name, None)  # re-inserted, so that it moves to the end
    _LATEST[result.name] = result


@dataclass(frozen=True)
class Summary:
    """What :func:`summary` listed: a tutorial's exercises and their status, in page order.

    Attributes
    ----------
    tutorial : str
        The tutorial's notebook name, e.g. ``"W1D5_Tutorial1"``.
    exercises : tuple of (str, str)
        ``(name, status)`` of each exercise, the status one of ``"passed"``, ``"failed"``,
        ``"not implemented"`` and ``"not run"``.
    """

    tutorial: str
    exercises: tuple[tuple[str, str], ...]

    def __bool__(self):
        """Whether every exercise of the tutorial passed its check."""
        return all(status == PASSED for _, status in self.exercises)

    def _ipython_display_(self):
        """Display nothing: the summary is printed already."""


def summary(tutorial=None):
    """Print where you stand in a tutorial: each exercise ✓, ✗ or ○, and what to do next.

    The exercises are listed in the order of the page, each with the verdict of the latest run
    of its check in this kernel: ✓ passed, ✗ failed (with the first words of the check's line),
    ○ not checked yet or not finished. A last line names the first exercise left to do and how,
    or says that all pass. Nothing shown is an answer: only what the checks printed already.

    Parameters
    ----------
    tutorial : str, optional
        The tutorial's notebook name, e.g. ``"W1D5_Tutorial1"`` (a file name or path such as
        ``"W1D5_Tutorial1.ipynb"`` works too). If omitted, the tutorial whose exercises the checks
        run so far in this kernel belong to; when none has run, or they belong to several
        tutorials, a line says so and how to name the tutorial.

    Returns
    -------
    Summary or None
        The exercises and their status, true when all passed; ``None`` when the tutorial could
        not be inferred. A notebook displays nothing for it.

    Raises
    ------
    TypeError
        If ``tutorial`` is neither a str nor None.
    ValueError
        If ``tutorial`` names no tutorial with self-checked exercises; the message lists them.

    Examples
    --------
    >>> from nma_dl import RDM, check_RDM
    >>> _ = check_RDM(RDM)  # doctest: +ELLIPSIS
    ✓ RDM: ...
    >>> summary("W1D5_Tutorial3").exercises[0]  # doctest: +ELLIPSIS
    Tutorial 3: Building and evaluating normative encoding models (W1D5_Tutorial3): ...
    ('RDM', 'passed')
    """
    if tutorial is None:
        tutorial = _inferred()
        if tutorial is None:
            return None
    else:
        tutorial = _notebook(tutorial)
    exercises = TUTORIALS[tutorial].exercises
    results = [_LATEST.get(exercise.name) for exercise in exercises]
    statuses = [NOT_RUN if result is None else result.status for result in results]
    print("\n".join(_lines(TUTORIALS[tutorial], results, statuses)))
    return Summary(tutorial, tuple((e.name, s) for e, s in zip(exercises, statuses, strict=True)))


def _notebook(tutorial):
    """Return the notebook name that ``tutorial`` stands for; raise if it names none."""
    if not isinstance(tutorial, str):
        raise TypeError(
            f"tutorial must be a str such as {next(iter(TUTORIALS))!r}, or None; "
            f"got {type(tutorial).__name__} {tutorial!r}"
        )
    # A file name or path is forgiven: "W1D5_DeepLearning/W1D5_Tutorial1.ipynb".
    name = re.sub(r"\.(ipynb|md)$", "", re.split(r"[\\/]", tutorial.strip())[-1])
    if name not in TUTORIALS:
        valid = ", ".join(repr(n) for n in TUTORIALS)
        raise ValueError(f"tutorial must be one of {valid}; got {tutorial!r}")
    return name


def _inferred():
    """Return the one tutorial the checks run so far belong to; else print why not, return None."""
    ran = [name for name in _LATEST if any(name in _names(t) for t in TUTORIALS.values())]
    fits = [n for n, t in TUTORIALS.items() if ran and set(ran) <= _names(t)]
    if len(fits) == 1:
        return fits[0]
    if not ran:
        lines = [
            tr("No self-check has run in this kernel yet, so which tutorial to list is unknown:")
        ]
        lines += [f"  {_call(n)}  # {_title(t)}" for n, t in TUTORIALS.items()]
    else:  # checks of several tutorials (or of an exercise two tutorials share)
        lines = [
            tr("Checks of more than one tutorial have run in this kernel: name the one to list.")
        ]
        for n, t in TUTORIALS.items():
            checked = [name for name in ran if name in _names(t)]
            if checked:
                lines.append(
                    tr("  {call}  # checked: {names}", call=_call(n), names=", ".join(checked))
                )
    print("\n".join(lines))
    return None


def _call(notebook):
    return f'nma_dl.checks.summary("{notebook}")'


def _names(tutorial):
    return {exercise.name for exercise in tutorial.exercises}


def _title(tutorial):
    """Return the tutorial's title in the chosen language (in English, ``tutorial.title``)."""
    titles = {
        "W1D3_Tutorial1": tr("Tutorial 1: Biological vs. artificial neural networks"),
        "W1D5_Tutorial1": tr("Tutorial 1: Decoding neural responses"),
        "W1D5_Tutorial2": tr("Tutorial 2: Convolutional neural networks"),
        "W1D5_Tutorial3": tr("Tutorial 3: Building and evaluating normative encoding models"),
        "W1D5_Tutorial4": tr("Tutorial 4: Diving deeper into decoding and encoding (bonus)"),
    }
    return titles.get(tutorial.notebook, tutorial.title)


def _width(text):
    """Return the columns ``text`` takes on screen: two for a kanji or a kana, one otherwise."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _lines(tutorial, results, statuses):
    """Return the lines to print: a heading with the count, each exercise, what to do next."""
    n, passed = len(statuses), statuses.count(PASSED)
    heading = tr(
        "{title} ({notebook}): {passed} of {count} exercises pass.",
        title=_title(tutorial),
        notebook=tutorial.notebook,
        passed=passed,
        count=n,
    )
    lines = [heading]
    width = max(len(exercise.name) for exercise in tutorial.exercises)
    for exercise, result, status in zip(tutorial.exercises, results, statuses, strict=True):
        line = f"  {_MARKS[status]} {exercise.name:<{width}}  {_pointer(result, status)}"
        lines.append(line.rstrip())
    lines.append(_next(tutorial.exercises, statuses))
    return lines


def _pointer(result, status):
    """Return a few words on an exercise that did not pass, from its check's line."""
    if status == PASSED:
        return ""
    if status == NOT_RUN:
        return tr("not checked yet")
    text = result.message.partition(f"{result.name}: ")[2]
    if status == NOT_IMPLEMENTED:  # "not implemented yet: …" or "not finished yet: …"
        return text.partition(":")[0]
    text = _CASE.sub("", text)
    if _width(text) <= _POINTER:
        return text
    cut = ""
    for char in text:  # the first _POINTER + 1 columns
        if _width(cut + char) > _POINTER + 1:
            break
        cut += char
    # Cut again after the last word (in Japanese, at a comma, a full stop or a bracket).
    words = re.match(r"(.*)(?:[ 、。]|(?=（))", cut, flags=re.DOTALL)
    return (words.group(1) if words else cut).rstrip(",;:、。") + "…"


def _next(exercises, statuses):
    """Return the line on what to do next: the first exercise, in page order, not passed."""
    todo = [(e, s) for e, s in zip(exercises, statuses, strict=True) if s != PASSED]
    if not todo:
        if len(exercises) > 1:
            return tr("All {count} exercises pass.", count=len(exercises))
        return tr("It passes.")
    exercise, status = todo[0]
    call = f"`{exercise.check}({exercise.argument})`"
    head = tr("Next: `{name}` ({mark}) — ", name=exercise.name, mark=_MARKS[status])
    if status == FAILED:
        return tr(
            "{head}re-read its check's line above (its hint), fix the exercise, then run its "
            "cell and {call} again.",
            head=head,
            call=call,
        )
    if status == NOT_IMPLEMENTED:
        return tr(
            "{head}finish the exercise (fill in each `...`, delete its `raise "
            "NotImplementedError` line), then run its cell and {call} again.",
            head=head,
            call=call,
        )
    return tr(
        "{head}do the exercise, then run its cell and its check, {call}.", head=head, call=call
    )
