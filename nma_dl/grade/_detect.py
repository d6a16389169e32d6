"""Read a submitted notebook: its cells, which tutorial it is, and where each exercise is set.

A notebook's file name says nothing reliable (students rename their copies; a platform may name
every file ``submission.ipynb``), so the tutorial is found from the content:

1. by its title, a level-1 heading (``# Tutorial 3: …``) of its markdown cells, which the
   course's notebooks start with and which differs between every two tutorials
   (:data:`nma_dl.checks._tutorials.TUTORIALS`): the first heading that is a tutorial's title;
2. failing that (a title edited or deleted), by its code: the tutorial that its summary cell
   names (``nma_dl.checks.summary("W1D5_Tutorial3")``, the last cell of a student notebook) or,
   without one, the tutorial of which the code cells define (``def``, ``class``, assignment) or
   check (``check_<name>(``) the most exercises, if exactly one tutorial has the most.

An exercise is *set* by the last code cell that binds the global its check takes (for the
exercises of the course, the cell of the exercise itself, or the student's later fix): that is
where the grader checks it.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass

from nma_dl.checks._tutorials import TUTORIALS

_HEADING = re.compile(r"^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
_CHECK_CALL = re.compile(r"\bcheck_(\w+)\s*\(")
_SUMMARY_CALL = re.compile(r"\bsummary\(\s*[\"'](\w+)[\"']")
_COMPOUND = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try)


class NotANotebook(ValueError):
    """The bytes are not a Jupyter notebook; the message says why."""


@dataclass(frozen=True)
class Cell:
    """One cell of a notebook: its type (``"code"``, ``"markdown"``, …) and its source."""

    kind: str
    source: str


def _source(raw, key):
    source = raw.get(key, "")
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    if not isinstance(source, str):
        raise NotANotebook(f"a cell's {key} is {type(source).__name__}, not text")
    return source


def parse_notebook(data):
    """Return the cells of the notebook whose file holds ``data``.

    Parameters
    ----------
    data : bytes
        The file's content: nbformat 4 JSON (nbformat 3, whose cells sit in worksheets, is read
        too). Outputs and metadata are ignored.

    Returns
    -------
    list of Cell

    Raises
    ------
    TypeError
        If ``data`` is not bytes.
    NotANotebook
        A ValueError, if ``data`` is not JSON, or JSON without a list of cells.
    """
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"data must be bytes, got {type(data).__name__}")
    try:
        document = json.loads(bytes(data).decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise NotANotebook(f"not JSON ({type(error).__name__})") from None
    if not isinstance(document, dict):
        raise NotANotebook(f"JSON {type(document).__name__}, not a notebook")
    cells, key = document.get("cells"), "source"
    worksheets = document.get("worksheets")
    if cells is None and isinstance(worksheets, list) and worksheets:  # nbformat 3
        cells, key = worksheets[0].get("cells") if isinstance(worksheets[0], dict) else None, None
    if not isinstance(cells, list):
        raise NotANotebook("JSON without a list of cells")
    found = []
    for raw in cells:
        if not isinstance(raw, dict):
            raise NotANotebook(f"a cell is {type(raw).__name__}, not an object")
        kind = str(raw.get("cell_type", ""))
        found.append(Cell(kind, _source(raw, key or ("input" if kind == "code" else "source"))))
    return found


# --------------------------------------------------------------------------- names a cell binds


def _as_python(source):
    """``source`` with IPython's syntax (``%pip``, ``!ls``, ``x?``) turned into Python."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # pragma: no cover - the grader's environment has IPython
        return source
    try:
        return TransformerManager().transform_cell(source)
    except Exception:  # an odd cell is read as it is
        return source


def _targets(node):
    """Names an assignment target binds (``a``, ``a, (b, *c)``), not ``a.x`` or ``a[0]``."""
    if isinstance(node, ast.Name):
        yield node.id
    elif isinstance(node, (ast.Tuple, ast.List)):
        for element in node.elts:
            yield from _targets(element)
    elif isinstance(node, ast.Starred):
        yield from _targets(node.value)


def _statement_bindings(node):
    """Return ``(defined, imported)``: the names one module-level statement binds."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}, set()
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return set(), {(a.asname or a.name).split(".")[0] for a in node.names if a.name != "*"}
    targets = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        targets = [node.target]
    elif isinstance(node, (ast.For, ast.AsyncFor)):
        targets = [node.target]
    elif isinstance(node, (ast.With, ast.AsyncWith)):
        targets = [item.optional_vars for item in node.items if item.optional_vars]
    defined = {name for target in targets for name in _targets(target)}
    walrus = (n.target.id for n in ast.walk(node) if isinstance(n, ast.NamedExpr))
    return defined | set(walrus), set()


def _walk_module(body):
    """Module-level statements, into if/for/while/with/try blocks but not into functions."""
    for node in body:
        yield node
        if isinstance(node, _COMPOUND):
            for field in ("body", "orelse", "finalbody"):
                yield from _walk_module(getattr(node, field, []))
            for handler in getattr(node, "handlers", []):
                yield from _walk_module(handler.body)


def _fallback_bindings(source):
    # A cell that is not valid Python still shows its definitions to the eye.
    defined = set(re.findall(r"^(?:async\s+)?(?:def|class)\s+(\w+)", source, re.MULTILINE))
    defined |= set(re.findall(r"^(\w+)\s*(?::[^=\n]*)?=(?!=)", source, re.MULTILINE))
    return defined, set()


def bindings(source):
    """Return ``(defined, imported)``: the global names a code cell binds.

    ``defined`` holds those bound by ``def``, ``class``, assignments, ``for`` and ``with``
    targets and ``:=``; ``imported`` those bound by imports. A cell that does not parse (a
    syntax error of the student's) is read line by line for ``def``, ``class`` and ``name =``.
    """
    try:
        tree = ast.parse(_as_python(source))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return _fallback_bindings(source)
    defined, imported = set(), set()
    for node in _walk_module(tree.body):
        more_defined, more_imported = _statement_bindings(node)
        defined |= more_defined
        imported |= more_imported
        if isinstance(node, ast.Try):
            defined |= {h.name for h in node.handlers if h.name}
    return defined, imported


# --------------------------------------------------------------------------- which tutorial


def headings(cells):
    """Yield the notebook's level-1 markdown headings, in order, spaces collapsed."""
    for cell in cells:
        if cell.kind == "markdown":
            for match in _HEADING.finditer(cell.source):
                yield " ".join(match.group(1).split())


def title(cells):
    """Return the notebook's first level-1 markdown heading, or None."""
    return next(headings(cells), None)


def _by_code(cells):
    """Return the tutorial that the code names in summary(), or whose exercises it does most."""
    defined, called, named = set(), set(), set()
    for cell in cells:
        if cell.kind == "code":
            defined |= bindings(cell.source)[0]
            called |= set(_CHECK_CALL.findall(cell.source))
            named |= set(_SUMMARY_CALL.findall(cell.source)) & set(TUTORIALS)
    if len(named) == 1:
        return TUTORIALS[named.pop()]
    scores = {
        key: sum(e.name in defined or e.name in called for e in tutorial.exercises)
        for key, tutorial in TUTORIALS.items()
    }
    best = max(scores.values())
    winners = [key for key, score in scores.items() if score == best]
    return TUTORIALS[winners[0]] if best > 0 and len(winners) == 1 else None


def detect_tutorial(cells):
    """Return ``(tutorial, how)``: the tutorial of ``cells`` and how it was found.

    Parameters
    ----------
    cells : list of Cell

    Returns
    -------
    tuple
        ``(Tutorial, "title")``, ``(Tutorial, "code")``, or ``(None, "")`` when neither the title
        nor the code says which tutorial it is.
    """
    titles = {tutorial.title.casefold(): tutorial for tutorial in TUTORIALS.values()}
    for heading in headings(cells):  # the first that is a title: a student may add one above
        if heading.casefold() in titles:
            return titles[heading.casefold()], "title"
    tutorial = _by_code(cells)
    return (tutorial, "code") if tutorial is not None else (None, "")


def anchors(code_sources, tutorial):
    """Map each exercise's name to the index of the code cell that sets it, or None.

    Parameters
    ----------
    code_sources : list of str
        The notebook's code cells, in order.
    tutorial : nma_dl.checks._tutorials.Tutorial

    Returns
    -------
    dict
        ``{exercise name: index}``, the index of the last code cell that binds the exercise's
        global (by definition, assignment or import), None where no cell binds it.
    """
    found = {exercise.name: None for exercise in tutorial.exercises}
    for index, source in enumerate(code_sources):
        defined, imported = bindings(source)
        for exercise in tutorial.exercises:
            if exercise.argument in defined or exercise.argument in imported:
                found[exercise.name] = index
    return found
