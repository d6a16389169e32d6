"""Colab forms (tools/nbtools_colab.py): the setup cells of the student and with-solutions
notebooks open folded behind a title; no other cell does, and no other view changes."""

from pathlib import Path

import jupytext
import nbformat
import nbtools  # tools/, on pytest's pythonpath (pyproject.toml)
import nbtools_colab
import pytest
from test_nbtools import SLUG, project  # noqa: F401 (the toy course tree, a fixture)

ROOT = Path(__file__).resolve().parents[2]
VIEWS = {"student": nbtools.student_notebook, "solutions": nbtools.solutions_notebook}


def _read(path):
    return nbformat.reads(Path(path).read_text(), as_version=4)


def _folded(nb) -> list[int]:
    """Cells with any part of a form: a title line or Colab's form view."""
    return [i for i, c in enumerate(nb.cells) if "cellView" in c.metadata or "@title" in c.source]


@pytest.mark.parametrize("view", VIEWS)
def test_toy_setup_cells_are_forms_and_nothing_else_is(project, view):  # noqa: F811
    nbtools.build(project)
    nb = _read(project / f"notebooks/{view}/{SLUG}.ipynb")
    install = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    imports = next(i for i, c in enumerate(nb.cells) if c.source.endswith("import math"))
    assert _folded(nb) == [install, imports]
    assert nb.cells[imports].source == "# @title Imports and setup\nimport math"
    for i in (install, imports):
        assert nbtools_colab.is_form(nb.cells[i])
        assert nb.cells[i].metadata["cellView"] == "form"


def test_toy_source_and_reference_have_no_forms(project):  # noqa: F811
    """The book renders the source; the reference is its exact pair: both stay as they were."""
    nbtools.build(project)
    source = jupytext.read(project / f"book/{SLUG}.md", fmt="md:myst")
    ref = _read(project / f"notebooks/reference/{SLUG}.ipynb")
    for nb in (source, ref):
        assert _folded(nb) == []
    assert "cellView" not in (project / f"book/{SLUG}.md").read_text()


@pytest.mark.parametrize("slug", nbtools.tutorial_slugs())
@pytest.mark.parametrize("view", VIEWS)
def test_course_notebooks_fold_install_and_setup_cells_only(slug, view):
    """In every tutorial: the install cell and the code of the Setup section are titled forms,
    before the first exercise; no other cell has a title line or Colab's form view."""
    source = jupytext.read(ROOT / "book" / f"{slug}.md", fmt="md:myst")
    repo, version = nbtools.load_repository(), nbtools.load_version()
    nb = VIEWS[view](source, repo, slug, version)
    folded = _folded(nb)
    assert len(folded) >= 2, "no install cell or no code under a Setup heading"
    assert nbtools.HEADER in nb.cells[folded[0]].metadata["tags"]
    first_exercise = next(
        i
        for i, c in enumerate(nb.cells)
        if "<details>" in c.source or "exercise" in str(c.metadata)
    )
    for i in folded:
        cell = nb.cells[i]
        assert nbtools_colab.is_form(cell), (i, cell.source[:80])
        assert cell.source.count("@title") == 1 and i < first_exercise
        title = cell.source.splitlines()[0].removeprefix("# @title ").strip()
        assert title and not title.startswith("#")
    # The code under the Setup heading, and only it (the install cell aside).
    setup = [i for i in folded[1:] if nbtools_colab._opens_setup(nb.cells[i - 1])]
    assert setup, "the cell right after the Setup heading is not folded"
    for i in folded[1:]:
        assert i - 1 in folded or i in setup
    # Nothing but the title line and the metadata differ from the source's cell.
    code = {c.source for c in source.cells if c.cell_type == "code"}
    for i in folded[1:]:
        assert nb.cells[i].source.split("\n", 1)[1] in code


@pytest.mark.parametrize(
    ("source", "titled"),
    [
        ("import math", "# @title Imports and setup\nimport math"),
        ("# Figure settings\nx = 1", "# @title Figure settings\nx = 1"),
        ("# @title Kept\nx = 1", "# @title Kept\nx = 1"),
        ("#\nx = 1", "# @title Imports and setup\n#\nx = 1"),
    ],
)
def test_titled(source, titled):
    assert nbtools_colab.titled(source) == titled


@pytest.mark.parametrize(
    ("markdown", "opens"),
    [
        ("Intro.\n\n## Setup", True),
        ("## Setup\n\nRun the cell below.", True),
        ("### setup", True),
        ("## Setup\n\n## Section 1", False),
        ("```\n## Setup\n```", False),
        ("Set up your account.", False),
    ],
)
def test_setup_heading(markdown, opens):
    assert nbtools_colab._opens_setup(nbformat.v4.new_markdown_cell(markdown)) is opens


def test_exercises_and_code_after_prose_are_never_folded():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("## Setup"),
        nbformat.v4.new_code_cell("import math"),
        nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["exercise-stub"]}),
        nbformat.v4.new_code_cell("y = 2"),
        nbformat.v4.new_markdown_cell("Prose."),
        nbformat.v4.new_code_cell("z = 3"),
    ]
    folded = nbtools_colab.fold_setup_cells(nb)
    assert [i for i, c in enumerate(folded.cells) if nbtools_colab.is_form(c)] == [1]
    assert nb.cells[1].source == "import math", "the notebook given is left as it was"
