"""The student notebook ends with where the student stands (tools/nbtools_summary.py).

Its last two cells are a Markdown cell "Where you stand" and the one line
``nma_dl.checks.summary("<notebook>")``. The with-solutions and reference notebooks have neither:
with the solutions every check passes, and the reference stays the pair of its source.
"""

import ast
import contextlib
import io
from pathlib import Path, PurePosixPath

import jupytext
import nbformat
import nbtools  # tools/, on pytest's pythonpath (pyproject.toml)
import nbtools_summary
import pytest
from test_nbtools import SLUG, project  # noqa: F401 (the toy course tree, a fixture)

from nma_dl.checks import _summary
from nma_dl.checks._tutorials import TUTORIALS

ROOT = Path(__file__).resolve().parents[2]
SLUGS = nbtools.tutorial_slugs()
TOY = PurePosixPath(SLUG).name


def _views(slug, root=ROOT):
    """The three notebooks of a tutorial, as ``build`` would write them."""
    source = jupytext.read(root / nbtools.SOURCE_DIR / f"{slug}.md", fmt="md:myst")
    repo, version = nbtools.load_repository(root), nbtools.load_version(root)
    return {
        "student": nbtools.student_notebook(source, repo, slug, version),
        "solutions": nbtools.solutions_notebook(source, repo, slug, version),
        "reference": nbtools.reference_notebook(source, repo, slug, version),
    }


def _is_summary(cell):
    return "summary(" in cell.source or "Where you stand" in cell.source


def test_every_tutorial_of_the_book_has_self_checked_exercises():
    assert SLUGS and {PurePosixPath(slug).name for slug in SLUGS} == set(TUTORIALS)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_student_notebook_ends_with_the_summary_of_its_tutorial(slug):
    views = _views(slug)
    *_, markdown, code = views["student"].cells
    assert markdown.cell_type == "markdown" and markdown.source.startswith("## Where you stand")
    name = PurePosixPath(slug).name
    assert code.cell_type == "code"
    assert code.source == f'nma_dl.checks.summary("{name}")'  # one line, ruff-clean
    ast.parse(code.source)
    assert code.metadata == {} and code.outputs == []
    assert [c for c in views["student"].cells if _is_summary(c)] == [markdown, code]
    for view in ("solutions", "reference"):
        assert not [c for c in views[view].cells if _is_summary(c)], view


@pytest.mark.parametrize("slug", SLUGS)
def test_the_notebook_binds_what_the_summary_cell_uses(slug):
    # `nma_dl` comes from the install cell; `nma_dl.checks` from the setup's import of a check.
    code = [c.source for c in _views(slug)["student"].cells if c.cell_type == "code"]
    assert any("import nma_dl\n" in f"{source}\n" for source in code[:-1])
    imports = [ast.parse(s) for s in code[:-1] if "from nma_dl import" in s]
    names = {
        alias.name
        for tree in imports
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "nma_dl"
        for alias in node.names
    }
    assert any(name.startswith("check_") for name in names), names


def test_the_summary_cell_runs_after_the_setup(monkeypatch):
    monkeypatch.setattr(_summary, "_LATEST", {})
    namespace = {}
    exec("import nma_dl\nfrom nma_dl import check_RDM", namespace)  # the header and setup
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(nbtools_summary.summary_cells("W1D5_Tutorial3")[1].source, namespace)
    assert out.getvalue().startswith(f"{TUTORIALS['W1D5_Tutorial3'].title} (W1D5_Tutorial3)")


def test_a_tutorial_without_self_checks_gets_no_summary(project):  # noqa: F811
    assert TOY not in TUTORIALS
    assert not [c for c in _views(SLUG, project)["student"].cells if _is_summary(c)]


def test_the_summary_is_built_into_the_student_notebook_once(project, monkeypatch):  # noqa: F811
    monkeypatch.setitem(TUTORIALS, TOY, TUTORIALS["W1D5_Tutorial3"])  # the toy, self-checked
    nbtools.build(project)
    student = nbformat.read(project / nbtools.STUDENT_DIR / f"{SLUG}.ipynb", as_version=4)
    assert student.cells[-1].source == f'nma_dl.checks.summary("{TOY}")'
    assert len([c for c in student.cells if _is_summary(c)]) == 2
    for view in (nbtools.SOLUTIONS_DIR, nbtools.REFERENCE_DIR):
        text = (project / view / f"{SLUG}.ipynb").read_text()
        assert "summary(" not in text and "Where you stand" not in text
    assert nbtools.build(project) == [] and nbtools.stale(project) == []
