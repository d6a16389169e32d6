"""Executed notebooks: students meet their first exercise, and runs repeat exactly.

These run whole notebooks in a Jupyter kernel (with the offline surrogate data), so they are
marked ``slow``. Each notebook of a tutorial runs once here, and the tests that read the same
run share it:

* the student notebook, run on past every error: its first error is its first stub, and every
  stub and the self-check after it behave as a student who skips an exercise sees them;
* the with-solutions notebook, its tags removed, as Colab's *Run all* runs it;
* the reference notebook, run as nbmake runs it (``pytest --nbmake``, which instructors use):
  no error, and the same printed text as an earlier run of the same cells. The reference
  notebook is the Jupytext pair of its page, so the book build (``make book``; ``make test``
  builds the book before the slow tests) has run those cells already; jupyter-book keeps that
  run in its cache. Without a built book, or if the book's run is stale, a second fresh run
  takes its place.

A run shared by several tests is made by the first of them to ask, once per session, also when
pytest-xdist spreads the tests over workers (``make test`` runs two): the other workers wait for
it and read it from the session's temporary folder.
"""

import dataclasses
import warnings

import nbtools  # tools/, on pytest's pythonpath (pyproject.toml)
import pytest
import yaml

SLUGS = nbtools.tutorial_slugs()
ROOT = nbtools.ROOT


def _errors(cell):
    return [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]


# --------------------------------------------------------------------------- student notebooks


def _student_run(shared_run, slug):
    """The student notebook run on past every error (each error stays in its cell's outputs)."""

    def execute():
        path = ROOT / nbtools.STUDENT_DIR / f"{slug}.ipynb"
        return nbtools.execute(path, timeout=300, stop_on_error=False).notebook, None

    return shared_run(f"student:{slug}", execute)[0]


@pytest.mark.slow
@pytest.mark.parametrize("slug", SLUGS)
def test_student_notebook_stops_at_first_stub(shared_run, slug):
    """Run all stops at the first stub, raising the student-exercise error; no cell before it
    fails. (Run on past every error, the first cell with an error is where Run all stops.)"""
    nb = _student_run(shared_run, slug)
    failed = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and _errors(c)]
    assert failed, "the student notebook ran to the end: where are the exercises?"
    first_stub = next(
        i for i, c in enumerate(nb.cells) if nbtools.STUB in c.metadata.get("tags", [])
    )
    # The first failure is the first stub, raising the student-exercise error; none before it.
    assert failed[0] == first_stub, (failed[0], _errors(nb.cells[failed[0]]))
    [error] = _errors(nb.cells[first_stub])
    assert error.ename == "NotImplementedError"
    assert error.evalue.startswith("Student exercise")
    for cell in nb.cells[:first_stub]:
        assert not _errors(cell)


@pytest.mark.slow
@pytest.mark.parametrize("slug", SLUGS)
def test_student_notebook_errors_only_at_stubs_and_checks_say_not_implemented(shared_run, slug):
    """Run on past every error: each stub raises, and the check after it says so, kindly.

    The first stub raises the student-exercise error; a later one may fail earlier (a NameError
    for a result of an exercise before it), as it would for a student who skipped that one.
    """
    nb = _student_run(shared_run, slug)
    stubs = [i for i, c in enumerate(nb.cells) if nbtools.STUB in c.metadata.get("tags", [])]
    assert stubs
    [first] = _errors(nb.cells[stubs[0]])
    assert first.ename == "NotImplementedError" and first.evalue.startswith("Student exercise")
    for i in stubs:
        [error] = _errors(nb.cells[i])
        assert error.ename in ("NotImplementedError", "NameError"), (i, error.ename)
        # The solution is folded Markdown; the self-check is the next code cell.
        check = next(c for c in nb.cells[i + 1 :] if c.cell_type == "code")
        assert check.source.startswith("check_"), check.source
        printed = "".join(o.get("text", "") for o in check.outputs if o.output_type == "stream")
        assert "not implemented" in printed, (slug, check.source, printed)
        assert not _errors(check), check.source


# --------------------------------------------------------------------------- solutions notebooks


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


# --------------------------------------------------------------------------- reference notebooks


def _reference_run(shared_run, slug, run=1):
    """Run ``run`` of the reference notebook, as ``pytest --nbmake --nbmake-kernel=python3
    --nbmake-timeout=600`` runs it (nbmake's own runner): the executed notebook and its error
    (``summary``, ``trace`` and ``failing_cell_index``, or None)."""

    def execute():
        from nbmake.nb_run import NotebookRun

        path = ROOT / nbtools.REFERENCE_DIR / f"{slug}.ipynb"
        result = NotebookRun(path, 600, kernel="python3").execute()
        return result.nb, dataclasses.asdict(result.error) if result.error else None

    return shared_run(f"reference {run}:{slug}", execute)


def _book_run(slug):
    """The book build's run of the page whose cells the reference notebook has, or None.

    jupyter-book caches each page it executes (``execute.cache`` in ``_config.yml``), keyed by
    the page's code: returns (cache record, executed notebook), None without a built book or if
    the book was built from another version of the page.
    """
    import nbformat

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    cache_dir = ROOT / config["execute"]["cache"]
    if not (cache_dir / "global.db").is_file():
        return None
    from jupyter_cache import get_cache

    cache = get_cache(cache_dir)
    path = ROOT / nbtools.REFERENCE_DIR / f"{slug}.ipynb"
    try:
        pk, executed = cache.merge_match_into_notebook(nbformat.read(path, as_version=4))
    except KeyError:
        return None
    return cache.get_cache_record(pk), executed


@pytest.mark.slow
@pytest.mark.parametrize("slug", SLUGS)
def test_reference_notebook_runs_as_nbmake_runs_it(shared_run, slug):
    """Every cell runs; only the exercise stubs, tagged ``raises-exception``, may fail."""
    _, error = _reference_run(shared_run, slug)
    where = f"cell {error['failing_cell_index']}: {error['summary']}" if error else ""
    assert error is None, f"{where}\n{error['trace']}"


@pytest.mark.slow
@pytest.mark.parametrize("slug", SLUGS)
def test_reference_notebook_prints_the_same_text_twice(shared_run, slug):
    """Two runs of the same cells print the same text: this one and the book build's.

    Where no built book holds a run of these cells, or the book's run prints other text (it was
    made with other data or an older package: jupyter-book re-executes a page only when its code
    changes), the second run is a fresh one, and a differing book gets a warning.
    """
    notebook, error = _reference_run(shared_run, slug)
    assert error is None, error["summary"]
    text = nbtools.text_outputs(notebook)
    assert text, "no text output at all: the comparison would prove nothing"
    book = _book_run(slug)
    again = nbtools.text_outputs(book[1]) if book else None
    if again != text:
        if book:
            record = book[0]
            pairs = enumerate(zip(again, text, strict=False))
            line = next((i for i, (a, b) in pairs if a != b), min(len(again), len(text)))
            warnings.warn(
                f"the book's cached run of {record.uri} ({record.created:%Y-%m-%d %H:%M}) prints "
                f"other text than a fresh run from output line {line} on, so a second fresh run "
                "is compared instead; if they agree, the site shows stale outputs (rm -rf "
                "_build/.jupyter_cache, then make book)",
                stacklevel=1,
            )
        notebook, error = _reference_run(shared_run, slug, run=2)
        assert error is None, error["summary"]
        again = nbtools.text_outputs(notebook)
    assert text == again


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
