"""The notebook pipeline: headers, exercise markup, student generation, staleness, pairing."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
# The authoring tools are scripts in tools/, not part of the package.
if str(ROOT / "tools") not in sys.path:
    sys.path.insert(0, str(ROOT / "tools"))
import nbtools  # noqa: E402

DAY = "W0D0_Toy"
SLUG = f"{DAY}/W0D0_Tutorial1"

TOY = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# Tutorial 1: Toy tutorial

Some prose with $x^2$.

```{code-cell} ipython3
import math
```

```{code-cell} ipython3
:tags: [exercise-stub, raises-exception, remove-output]

def square(x):
    raise NotImplementedError("Student exercise: return x squared")

square(3)
```

```{code-cell} ipython3
:tags: [exercise-solution, hide-input]

def square(x):
    return x * x

print(square(3))
```

After the exercise.
"""


@pytest.fixture
def project(tmp_path):
    """A minimal course tree: one day with an intro page (no notebooks) and one tutorial."""
    (tmp_path / "book" / DAY).mkdir(parents=True)
    (tmp_path / "book" / f"{SLUG}.md").write_text(TOY)
    (tmp_path / "book" / DAY / "chapter_intro.md").write_text(
        TOY.replace("# Tutorial 1: Toy tutorial", "# Toy day")
    )
    (tmp_path / "_config.yml").write_text(
        "title: t\nrepository:\n  url: https://github.com/example/course\n  branch: dev\n"
    )
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\nparts:\n  - caption: W0D0\n    chapters:\n"
        f"      - file: book/{DAY}/chapter_intro\n"
        f"      - file: book/{SLUG}\n        title: 'Tutorial 1: Toy tutorial'\n"
    )
    shutil.copy(ROOT / "jupytext.toml", tmp_path / "jupytext.toml")
    return tmp_path


def _read(path):
    return nbformat.reads(Path(path).read_text(), as_version=4)


def test_repository_urls():
    repo = nbtools.Repository("https://github.com/example/course", "dev")
    assert repo.slug == "example/course"
    assert repo.colab_url("a/b.ipynb") == (
        "https://colab.research.google.com/github/example/course/blob/dev/a/b.ipynb"
    )
    assert repo.kaggle_url("a/b.ipynb").endswith(
        "src=https://raw.githubusercontent.com/example/course/dev/a/b.ipynb"
    )
    assert repo.install_spec() == "nma-dl @ git+https://github.com/example/course@dev"


@pytest.mark.bad_input
def test_repository_rejects_non_github_url():
    with pytest.raises(ValueError, match="repository url"):
        _ = nbtools.Repository("ftp://example.org/x").slug


def test_tutorial_slugs_follow_toc(project):
    """Only the tutorial pages of a day get notebooks, not its intro."""
    assert nbtools.tutorial_slugs(project) == [SLUG]
    assert nbtools.is_tutorial("W1D5_DeepLearning/W1D5_Tutorial1")
    assert not nbtools.is_tutorial("W1D5_DeepLearning/W1D5_Outro")
    assert not nbtools.is_tutorial("W1D5_DeepLearning/further_reading")


def test_build_writes_three_views_and_is_idempotent(project):
    written = nbtools.build(project)
    names = sorted(p.relative_to(project).as_posix() for p in written)
    assert names == [
        f"book/{SLUG}.md",
        f"notebooks/reference/{SLUG}.ipynb",
        f"notebooks/student/{SLUG}.ipynb",
    ]
    snapshot = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    assert nbtools.build(project) == []
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == snapshot
    assert nbtools.stale(project) == []


def test_header_sits_under_title_with_badges_and_guarded_install(project):
    nbtools.build(project)
    ref = _read(project / f"notebooks/reference/{SLUG}.ipynb")
    assert ref.cells[0].source == "# Tutorial 1: Toy tutorial"
    badges, install = ref.cells[1], ref.cells[2]
    assert badges.metadata["tags"] == ["nma-header"]
    for view in ("student", "reference"):
        path = f"example/course/blob/dev/notebooks/{view}/{SLUG}.ipynb"
        assert f"https://colab.research.google.com/github/{path}" in badges.source
    assert "Open in Kaggle" in badges.source
    assert install.cell_type == "code"
    assert 'if importlib.util.find_spec("nma_dl") is None:' in install.source
    assert "%pip install" in install.source and "torch" not in install.source.split("%pip")[1]


def test_student_notebook_has_no_solution_code(project):
    nbtools.build(project)
    student = _read(project / f"notebooks/student/{SLUG}.ipynb")
    code = "\n".join(c.source for c in student.cells if c.cell_type == "code")
    assert "return x * x" not in code
    assert 'raise NotImplementedError("Student exercise' in code
    blocks = [
        c.source for c in student.cells if c.cell_type == "markdown" and "<details>" in c.source
    ]
    assert len(blocks) == 1 and "return x * x" in blocks[0]
    assert "```python" in blocks[0] and "<summary>" in blocks[0]
    badges = student.cells[1].source
    assert f"notebooks/student/{SLUG}.ipynb" in badges and "notebooks/reference" not in badges


def test_generated_notebooks_carry_no_outputs(project):
    nbtools.build(project)
    for view in ("reference", "student"):
        nb = json.loads((project / f"notebooks/{view}/{SLUG}.ipynb").read_text())
        for cell in nb["cells"]:
            assert cell.get("outputs", []) == [] and cell.get("execution_count") is None


def test_stale_notebook_and_out_of_sync_source_are_reported(project):
    nbtools.build(project)
    student = project / f"notebooks/student/{SLUG}.ipynb"
    student.write_text(student.read_text().replace("Toy tutorial", "Edited by hand"))
    source = project / f"book/{SLUG}.md"
    source.write_text(source.read_text().replace("After the exercise.", "New prose."))
    problems = "\n".join(nbtools.stale(project))
    assert f"notebooks/student/{SLUG}.ipynb: stale" in problems
    assert f"notebooks/reference/{SLUG}.ipynb: stale" in problems
    assert nbtools.main.__name__ == "main"


def test_markup_problems_are_reported(project):
    source = project / f"book/{SLUG}.md"
    source.write_text(
        source.read_text().replace(
            ":tags: [exercise-solution, hide-input]", ":tags: [exercise-solution]"
        )
    )
    problems = nbtools.stale(project)
    assert any("solution cell" in p and "hide-input" in p for p in problems)
    source.write_text(TOY.replace(":tags: [exercise-solution, hide-input]\n", ""))
    assert any("not followed by" in p for p in nbtools.stale(project))


def test_jupytext_sync_keeps_exercise_tags(project):
    """Round trip through the project's jupytext.toml pairing: md -> ipynb -> md."""
    nbtools.build(project)
    ref = project / f"notebooks/reference/{SLUG}.ipynb"
    ref.unlink()
    subprocess.run(
        [sys.executable, "-m", "jupytext", "--sync", f"book/{SLUG}.md"],
        cwd=project,
        check=True,
        capture_output=True,
    )
    paired = _read(ref)
    tags = [c.metadata.get("tags", []) for c in paired.cells]
    assert list(nbtools.STUB_TAGS) in tags and list(nbtools.SOLUTION_TAGS) in tags
    # Back again: edit the notebook, sync, and the source still carries every tag.
    paired.cells[-1].source = "Edited in Jupyter."
    nbformat.write(paired, ref)
    (project / f"book/{SLUG}.md").touch()
    import os
    import time

    later = time.time() + 5
    os.utime(ref, (later, later))
    subprocess.run(
        [sys.executable, "-m", "jupytext", "--sync", str(ref.relative_to(project))],
        cwd=project,
        check=True,
        capture_output=True,
    )
    md = (project / f"book/{SLUG}.md").read_text()
    assert "Edited in Jupyter." in md
    assert ":tags: [exercise-stub, raises-exception, remove-output]" in md
    assert ":tags: [exercise-solution, hide-input]" in md


@pytest.mark.parametrize("slug", nbtools.tutorial_slugs())
def test_real_sources_round_trip_with_tags(slug, tmp_path):
    """Every tutorial of the course keeps its exercise tags through a jupytext round trip."""
    src = ROOT / "book" / f"{slug}.md"
    nb = jupytext.read(src)
    again = jupytext.reads(
        jupytext.writes(jupytext.reads(jupytext.writes(nb, "ipynb"), "ipynb"), "md:myst"),
        "md:myst",
    )
    before = [c.metadata.get("tags", []) for c in nb.cells]
    after = [c.metadata.get("tags", []) for c in again.cells]
    assert before == after
    assert any(nbtools.STUB in t for t in before), f"{slug} has no exercise"
    assert nbtools.check_exercise_tags(nb, slug) == []


def test_committed_notebooks_are_up_to_date():
    """Fails when a source changed and `python tools/nbtools.py build` was not run."""
    assert nbtools.stale() == []


def test_toc_documents_lists_root_then_files_once():
    toc = {
        "format": "jb-book",
        "root": "book/intro",
        "parts": [
            {"chapters": [{"file": "book/D1/a.md"}, {"file": "book/D1/b"}]},
            {"chapters": [{"file": "book/D1/a"}]},
        ],
    }
    assert nbtools.toc_documents(toc) == ["book/intro", "book/D1/a", "book/D1/b"]


def test_orphan_notebooks_are_reported(project):
    """A notebook no tutorial generates (e.g. left behind by a rename) is stale."""
    nbtools.build(project)
    old = project / "notebooks/student/old_name.ipynb"
    old.write_text((project / f"notebooks/student/{SLUG}.ipynb").read_text())
    problems = nbtools.stale(project)
    assert problems == [
        "notebooks/student/old_name.ipynb: generated from no tutorial of _toc.yml (delete it)"
    ]


def test_tutorial_titles_carry_their_number_and_match_the_toc(project):
    nbtools.build(project)
    assert nbtools.layout_problems(project) == []
    toc = project / "_toc.yml"
    toc.write_text(toc.read_text().replace("Tutorial 1: Toy tutorial", "Tutorial 1: Toy"))
    [problem] = nbtools.layout_problems(project)
    assert "differs from its _toc.yml title 'Tutorial 1: Toy'" in problem
    toc.write_text(toc.read_text().replace("Tutorial 1: Toy", "Toy tutorial"))
    source = project / f"book/{SLUG}.md"
    source.write_text(source.read_text().replace("# Tutorial 1: Toy tutorial", "# Toy tutorial"))
    [problem] = nbtools.layout_problems(project)
    assert "does not start with 'Tutorial 1: '" in problem
    assert any("does not start with" in p for p in nbtools.stale(project))


def test_course_layout():
    """One folder per day; its tutorials are named after it; notebooks mirror the folders."""
    slugs = nbtools.tutorial_slugs()
    assert slugs, "no tutorial in _toc.yml"
    for slug in slugs:
        day, name = slug.split("/")
        assert name.startswith(day.split("_")[0] + "_Tutorial"), slug
        assert (ROOT / "book" / f"{slug}.md").is_file()
        for folder in (nbtools.REFERENCE_DIR, nbtools.STUDENT_DIR):
            assert (ROOT / folder / f"{slug}.ipynb").is_file()
    days = [slug.split("/")[0] for slug in slugs]
    assert days == sorted(days, key=lambda d: [int(n) for n in re.findall(r"\d+", d)[:2]])
    assert nbtools.layout_problems() == []
