"""The book's pages as the tests read and run them: the one implementation every test file uses.

A page is a MyST source under ``book/`` (``book/<day>/<WxDy>_Tutorial<n>.md`` for a tutorial).
Tests read its cells with :func:`cells`, run the code of one cell with :func:`run_cell` (all of
it, or only some kinds of top-level statement; inside :func:`isolated` to leave no global state
behind), run the page itself, solutions in place, with
:func:`run_page`, and see what a notebook would display for a cell with :func:`run_in_ipython`.

Reading and running are cached for the test session (per pytest-xdist worker): a page is read
once, and run once for each stopping point, however many test files ask. What they return is
shared, so tests only read it: no test may change a cell, a variable or a figure of a page.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import io
import os
import random
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
HEADER, STUB = "nma-header", "exercise-stub"


def tags(cell):
    """The tags of a cell (a list, empty if it has none)."""
    return list(cell.get("metadata", {}).get("tags", []))


@functools.cache
def cells(path):
    """The cells of the page at ``path``, read once per session (a tuple: read, never change)."""
    # Imported here: the conftest imports this module, and the hosted-image mirror
    # (tests/pages/test_colab_env.py) runs package tests where only nma-dl is installed.
    import jupytext

    return tuple(jupytext.read(Path(path)).cells)


def as_python(source):
    """Cell source as plain Python: each IPython magic or shell line becomes ``pass``."""
    lines = []
    for line in source.splitlines():
        code = line.lstrip()
        if code.startswith(("%", "!")):
            line = f"{line[: len(line) - len(code)]}pass  # {code}"
        lines.append(line)
    return "\n".join(lines)


def run_cell(source, namespace, *, only=None, filename="<cell>"):
    """Execute a cell's code in ``namespace`` and return the namespace.

    ``only``, a tuple of :mod:`ast` statement types, keeps just those top-level statements
    (``(ast.Assign,)``: a cell's tensors without its plotting; imports, ``def`` and ``class``: a
    solution's definitions without its demo calls, which need earlier cells' variables).
    """
    tree = ast.parse(as_python(source))
    if only is not None:
        tree = ast.Module(body=[n for n in tree.body if isinstance(n, only)], type_ignores=[])
    exec(compile(tree, filename, "exec"), namespace)
    return namespace


@contextlib.contextmanager
def isolated(*, threads=None):
    """Run a page's code without leaving a trace: what it prints is swallowed, and the global
    random generators (Python's, NumPy's, torch's), matplotlib's settings and torch's thread
    count are put back afterwards. Setup cells set all of these; ``threads=1`` runs the code on
    one torch thread, as the tutorials do (more threads round float32 sums differently)."""
    import matplotlib
    import numpy as np
    import torch

    count = torch.get_num_threads()
    python_state, numpy_state = random.getstate(), np.random.get_state()
    try:
        if threads is not None:
            torch.set_num_threads(threads)
        with (
            torch.random.fork_rng(devices=[]),
            matplotlib.rc_context(),
            contextlib.redirect_stdout(io.StringIO()),
        ):
            yield
    finally:
        torch.set_num_threads(count)
        random.setstate(python_state)
        np.random.set_state(numpy_state)


def prose(text):
    """Markdown as one line of words, so a sentence matches across line breaks."""
    return " ".join(text.split())


@dataclass(frozen=True)
class PageRun:
    """What running a page left: its variables, and by code cell (keyed by its source) the text
    it printed, the figures it drew and the prose that follows it up to the next code cell run."""

    ns: dict
    printed: dict
    figures: dict
    after: dict


def run_page(path, *, until=None, skip=()):
    """Run the code cells of the page at ``path`` in order, solutions in place; once per session
    and data set (the data source and surrogate seed of the environment, see ``data_draw`` in
    ``tests/pages/conftest.py``).

    Header cells and exercise stubs are left out, and so are the code cells whose source starts
    with one of the strings in ``skip``; the prose after a left-out cell counts as the prose
    after the last cell run. The run stops at the first Markdown cell that contains ``until``
    (a heading, say), whose text before it is still prose. Printed text is captured per cell;
    matplotlib's settings and torch's thread count are restored afterwards, and every figure is
    closed once its cell has run (so a cell's figures are those it drew).
    """
    data = tuple(os.environ.get(k, "") for k in ("NMA_DL_DATA_SOURCE", "NMA_DL_SURROGATE_SEED"))
    return _run_page(Path(path), until, tuple(skip), data)


@functools.cache
def _run_page(path, until, skip, data):
    """:func:`run_page`, cached on its arguments and on ``data`` (which the run reads)."""
    import matplotlib
    import matplotlib.pyplot as plt
    import torch

    namespace, printed, figures, after = {}, {}, {}, {}
    last = None
    threads = torch.get_num_threads()
    try:
        with matplotlib.rc_context():
            for index, cell in enumerate(cells(path)):
                if cell.cell_type == "markdown":
                    text, stop, _ = (
                        cell.source.partition(until) if until else (cell.source, "", "")
                    )
                    if last is not None:
                        after[last] += " " + prose(text)
                    if stop:
                        break
                    continue
                if cell.cell_type != "code" or HEADER in tags(cell) or STUB in tags(cell):
                    continue
                if skip and cell.source.startswith(tuple(skip)):
                    continue
                out = io.StringIO()
                with contextlib.redirect_stdout(out):
                    run_cell(cell.source, namespace, filename=f"{path.name}:cell {index}")
                printed[cell.source] = out.getvalue()
                figures[cell.source] = [plt.figure(n) for n in plt.get_fignums()]
                after[cell.source], last = "", cell.source
                plt.close("all")
    finally:
        torch.set_num_threads(threads)
    return PageRun(ns=namespace, printed=printed, figures=figures, after=after)


def run_in_ipython(source):
    """Run ``source`` as a notebook cell, with history, in this process's IPython shell.

    Returns IPython's ``ExecutionResult``: its ``result`` is what the cell displays (``None``
    after a trailing ``;``).
    """
    from IPython.core.interactiveshell import InteractiveShell

    return InteractiveShell.instance().run_cell(source, store_history=True)
