"""Executed notebooks: students meet their first exercise, and runs repeat exactly.

These run whole notebooks in a Jupyter kernel (with the offline surrogate data), so they are
marked ``slow``; the reference notebooks themselves are executed by nbmake in the test command.
"""

import nbtools  # tools/, on pytest's pythonpath (pyproject.toml)
import pytest

SLUGS = nbtools.tutorial_slugs()
ROOT = nbtools.ROOT


@pytest.mark.slow
@pytest.mark.parametrize("slug", SLUGS)
def test_student_notebook_stops_at_first_stub(slug):
    path = ROOT / nbtools.STUDENT_DIR / f"{slug}.ipynb"
    run = nbtools.execute(path, timeout=300)
    assert run.error is not None, "the student notebook ran to the end: where are the exercises?"
    first_stub = next(
        i for i, c in enumerate(run.notebook.cells) if nbtools.STUB in c.metadata.get("tags", [])
    )
    # The first failure is the first stub, raising the student-exercise error; none before it.
    assert run.error["cell"] == first_stub, run.error
    assert run.error["ename"] == "NotImplementedError"
    assert run.error["evalue"].startswith("Student exercise")
    for cell in run.notebook.cells[:first_stub]:
        assert not any(o.get("output_type") == "error" for o in cell.get("outputs", []))


@pytest.mark.slow
@pytest.mark.parametrize("slug", SLUGS)
def test_student_notebook_errors_only_at_stubs_and_checks_say_not_implemented(slug):
    """Run on past every error: each stub raises, and the check after it says so, kindly.

    The first stub raises the student-exercise error; a later one may fail earlier (a NameError
    for a result of an exercise before it), as it would for a student who skipped that one.
    """
    path = ROOT / nbtools.STUDENT_DIR / f"{slug}.ipynb"
    nb = nbtools.execute(path, timeout=300, stop_on_error=False).notebook
    stubs = [i for i, c in enumerate(nb.cells) if nbtools.STUB in c.metadata.get("tags", [])]
    assert stubs
    [first] = [o for o in nb.cells[stubs[0]].outputs if o.output_type == "error"]
    assert first.ename == "NotImplementedError" and first.evalue.startswith("Student exercise")
    for i in stubs:
        [error] = [o for o in nb.cells[i].outputs if o.output_type == "error"]
        assert error.ename in ("NotImplementedError", "NameError"), (i, error.ename)
        # The solution is folded Markdown; the self-check is the next code cell.
        check = next(c for c in nb.cells[i + 1 :] if c.cell_type == "code")
        assert check.source.startswith("check_"), check.source
        printed = "".join(o.get("text", "") for o in check.outputs if o.output_type == "stream")
        assert "not implemented" in printed, (slug, check.source, printed)
        assert not any(o.output_type == "error" for o in check.outputs), check.source


@pytest.mark.slow
@pytest.mark.parametrize("slug", SLUGS)
def test_solutions_notebook_runs_top_to_bottom_with_tags_ignored(slug):
    """What Colab's Run all does with the 'with solutions' notebook: no tag saves a cell."""
    import nbformat

    path = ROOT / nbtools.SOLUTIONS_DIR / f"{slug}.ipynb"
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("tags", None)
    run = nbtools.execute(nb, timeout=300, cwd=path.parent)
    assert run.error is None, run.error


@pytest.mark.slow
@pytest.mark.parametrize("slug", SLUGS)
def test_reference_notebook_prints_the_same_text_twice(slug):
    path = ROOT / nbtools.REFERENCE_DIR / f"{slug}.ipynb"
    first, second = nbtools.execute(path), nbtools.execute(path)
    assert first.error is None and second.error is None, (first.error, second.error)
    a, b = nbtools.text_outputs(first.notebook), nbtools.text_outputs(second.notebook)
    assert a, "no text output at all: the comparison would prove nothing"
    assert a == b


def test_text_outputs_drop_timing_lines_only():
    import nbformat

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="loss: 1.234\n"),
        nbformat.v4.new_output(
            "stream", name="stderr", text="100%|####| 10/10 [00:01<00:00, 9.8it/s]\n"
        ),
        nbformat.v4.new_output("display_data", data={"text/plain": "<Figure at 0x7f00ab>"}),
    ]
    nb.cells = [cell]
    assert nbtools.text_outputs(nb) == ["[0] loss: 1.234", "[0] <Figure>"]
