"""The Japanese notebooks run as the English ones do, and speak Japanese where the package speaks.

Slow: each notebook runs in a Jupyter kernel (offline surrogate data). The with-solutions
notebook runs top to bottom with its tags removed, as Colab's *Run all* runs it; the student
notebook is run on past every error: its first error is its first stub, and the self-check after
each stub prints its line in Japanese (the install cell chose Japanese).
"""

import re

import nbformat
import nbtools  # tools/, on pytest's pythonpath (pyproject.toml)
import pytest
import translate_book

SLUGS = nbtools.tutorial_slugs()
ROOT = nbtools.ROOT
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _errors(cell):
    return [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]


def _printed(cell):
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream")


@pytest.mark.slow
@pytest.mark.parametrize("slug", SLUGS)
def test_japanese_solutions_notebook_runs_top_to_bottom_with_tags_ignored(slug):
    path = ROOT / translate_book.SOLUTIONS_DIR / f"{slug}.ipynb"
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("tags", None)
    run = nbtools.execute(nb, timeout=300, cwd=path.parent)
    assert run.error is None, run.error
    checks = [
        c for c in run.notebook.cells if c.cell_type == "code" and c.source.startswith("check_")
    ]
    for cell in checks:  # every self-check passes, and says so in Japanese
        assert JAPANESE.search(_printed(cell)), (cell.source, _printed(cell))


@pytest.mark.slow
@pytest.mark.parametrize("slug", SLUGS)
def test_japanese_student_notebook_stops_only_at_stubs_and_checks_speak_japanese(slug):
    path = ROOT / translate_book.STUDENT_DIR / f"{slug}.ipynb"
    nb = nbtools.execute(path, timeout=300, stop_on_error=False).notebook
    failed = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and _errors(c)]
    stubs = [i for i, c in enumerate(nb.cells) if nbtools.STUB in c.metadata.get("tags", [])]
    assert stubs and failed and failed[0] == stubs[0], (failed[:1], stubs[:1])
    [first] = _errors(nb.cells[stubs[0]])
    assert first.ename == "NotImplementedError" and first.evalue.startswith("Student exercise")
    for i in stubs:
        check = next(c for c in nb.cells[i + 1 :] if c.cell_type == "code")
        assert check.source.startswith("check_"), check.source
        printed = _printed(check)
        assert JAPANESE.search(printed) and "not implemented" not in printed, printed
